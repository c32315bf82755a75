"""Logging in: Argon2 password hashing and the lock-out after repeated failures (django-axes).

Every attempt goes through the real login form (`client.post("/login/", ...)`).
"""

import datetime

import pytest
import time_machine
from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings

from thidua.accounts.models import Role
from thidua.testing import PASSWORD, AgencyFactory, make_user

ARGON2_FIRST = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOCKED_TEMPLATE = "accounts/locked_out.html"


@pytest.fixture
def officer(db):
    return make_user(agency=AgencyFactory(code="CQL"), role=Role.OFFICER, username="thiduakt")


def _attempt(client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


def _logged_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_password_hashers_start_with_argon2_when_fast_hasher_off(load_settings):
    hashers = load_settings(THIDUA_FAST_HASHER=None)["PASSWORD_HASHERS"]
    assert hashers == ARGON2_FIRST


def test_password_hashers_put_md5_first_only_for_fast_tests(load_settings):
    hashers = load_settings(THIDUA_FAST_HASHER="1")["PASSWORD_HASHERS"]
    assert hashers == ["django.contrib.auth.hashers.MD5PasswordHasher", *ARGON2_FIRST]


def test_argon2_hash_is_argon2id_and_checks():
    encoded = make_password(PASSWORD, hasher="argon2")
    assert encoded.startswith("argon2$argon2id$")
    assert check_password(PASSWORD, encoded) is True
    assert check_password("sai-mat-khau", encoded) is False


@override_settings(PASSWORD_HASHERS=ARGON2_FIRST)
def test_new_user_password_stored_with_argon2(db):
    user = make_user(agency=AgencyFactory(code="CQA2"), role=Role.STAFF)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


@override_settings(PASSWORD_HASHERS=ARGON2_FIRST)
def test_login_form_accepts_argon2_password(client, officer):
    officer.set_password(PASSWORD)
    officer.save()
    response = _attempt(client, "thiduakt", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")
    assert _logged_in_as(client) == str(officer.pk)


def test_login_form_refuses_wrong_password(client, officer):
    response = _attempt(client, "thiduakt", "sai-mat-khau")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert _logged_in_as(client) is None


def test_login_locks_out_after_five_failures_even_with_right_password(client, officer):
    for _ in range(5):
        _attempt(client, "thiduakt", "sai-mat-khau")

    response = _attempt(client, "thiduakt", PASSWORD)

    assert response.status_code == 429
    assert LOCKED_TEMPLATE in [t.name for t in response.templates]
    assert _logged_in_as(client) is None


def test_login_four_failures_do_not_lock(client, officer):
    for _ in range(4):
        _attempt(client, "thiduakt", "sai-mat-khau")
    response = _attempt(client, "thiduakt", PASSWORD)
    assert (response.status_code, _logged_in_as(client)) == (302, str(officer.pk))


def test_login_lockout_leaves_other_users_free(client, officer):
    colleague = make_user(agency=officer.agency, role=Role.STAFF, username="canbo")
    for _ in range(5):
        _attempt(client, "thiduakt", "sai-mat-khau")
    response = _attempt(client, "canbo", PASSWORD)
    assert (response.status_code, _logged_in_as(client)) == (302, str(colleague.pk))


def test_login_lockout_ends_after_cool_off(client, officer):
    start = datetime.datetime(2025, 3, 3, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            _attempt(client, "thiduakt", "sai-mat-khau")
        assert _attempt(client, "thiduakt", PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        response = _attempt(client, "thiduakt", PASSWORD)
        assert (response.status_code, _logged_in_as(client)) == (302, str(officer.pk))


def test_login_success_resets_the_failure_count(client, officer):
    for _ in range(4):
        _attempt(client, "thiduakt", "sai-mat-khau")
    _attempt(client, "thiduakt", PASSWORD)
    client.logout()
    for _ in range(4):
        _attempt(client, "thiduakt", "sai-mat-khau")
    response = _attempt(client, "thiduakt", PASSWORD)
    assert (response.status_code, _logged_in_as(client)) == (302, str(officer.pk))
