"""Typed readers of environment variables, and the settings built from them: bad values fail
loudly at start-up (ImproperlyConfigured) instead of being read as something else."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from thidua.core.env import env_bool, env_int, env_list, env_str

NAME = "THIDUA_TEST_VALUE"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" YES ", True), ("on", True),
     ("0", False), ("False", False), ("no", False), ("off", False), ("", False)],
)  # fmt: skip
def test_env_bool_reads_yes_and_no(monkeypatch, raw, expected):
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, not expected) is expected


def test_env_bool_unset_gives_default(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    assert (env_bool(NAME, True), env_bool(NAME, False)) == (True, False)


@pytest.mark.parametrize("raw", ["2", "yes please", "tru", "đúng"])
def test_env_bool_bad_value_fails_loudly(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_bool(NAME, False)


@pytest.mark.parametrize(("raw", "expected"), [("42", 42), (" 7 ", 7), ("", 5), ("-3", -3)])
def test_env_int_reads_whole_numbers(monkeypatch, raw, expected):
    monkeypatch.setenv(NAME, raw)
    assert env_int(NAME, 5) == expected


@pytest.mark.parametrize("raw", ["abc", "1.5", "10 phút", "0x10"])
def test_env_int_bad_value_fails_loudly(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int(NAME, 5)


def test_env_int_below_minimum_fails_loudly(monkeypatch):
    monkeypatch.setenv(NAME, "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int(NAME, 5, minimum=1)


def test_env_int_unset_gives_default_even_below_minimum(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    assert env_int(NAME, 5, minimum=1) == 5


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv(NAME, " thidua.example.vn, ,localhost,")
    assert env_list(NAME, ["x"]) == ["thidua.example.vn", "localhost"]


def test_env_list_and_str_unset_give_defaults(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    assert (env_list(NAME, ["a"]), env_str(NAME, "mặc định")) == (["a"], "mặc định")


def test_env_str_returns_value_as_is(monkeypatch):
    monkeypatch.setenv(NAME, " Sở TN&MT ")
    assert env_str(NAME, "") == " Sở TN&MT "


# --- the settings module fails at start-up on a bad value -------------------------------------


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"THIDUA_DEBUG": "maybe"}, "THIDUA_DEBUG"),
        ({"THIDUA_LOGIN_FAILURE_LIMIT": "0"}, "THIDUA_LOGIN_FAILURE_LIMIT"),
        ({"THIDUA_PAGE_SIZE": "fifty"}, "THIDUA_PAGE_SIZE"),
        ({"DATABASE_URL": "oracle-ish://nowhere"}, "DATABASE_URL"),
        (
            {"THIDUA_REQUIRE_SECRET": "1", "THIDUA_SECRET_KEY": None, "THIDUA_DEBUG": "0"},
            "THIDUA_SECRET_KEY",
        ),
    ],
)
def test_settings_bad_environment_fails_loudly(load_settings, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load_settings(**env)


def test_settings_read_typed_values(load_settings):
    values = load_settings(
        THIDUA_DEBUG="no",
        THIDUA_PAGE_SIZE="20",
        THIDUA_LOGIN_FAILURE_LIMIT="3",
        THIDUA_ALLOWED_HOSTS="thidua.langson.gov.vn,localhost",
    )
    assert (values["DEBUG"], values["PAGE_SIZE"], values["AXES_FAILURE_LIMIT"]) == (False, 20, 3)
    assert values["ALLOWED_HOSTS"] == ["thidua.langson.gov.vn", "localhost"]


def test_postgresql_prepares_repeated_queries_unless_told_not_to(load_settings):
    url = "postgres://thidua@db.example:5432/thidua"
    options = load_settings(DATABASE_URL=url)["DATABASES"]["default"]["OPTIONS"]
    assert (options["server_side_binding"], options["prepare_threshold"]) == (True, 5)
    options = load_settings(DATABASE_URL=url, THIDUA_PG_PREPARE="false")["DATABASES"]["default"]
    assert "server_side_binding" not in options.get("OPTIONS", {})
