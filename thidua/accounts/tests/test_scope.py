"""The scope read on every request (plain queries) and the session store that reads sessions."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone

from thidua.accounts.backends import LoginBackend
from thidua.accounts.models import Role, RoleAssignment
from thidua.accounts.selectors import _compute_scope, scope_for
from thidua.accounts.sessions import SessionStore
from thidua.testing import PersonFactory, UnitFactory, make_user


def _fresh(user):
    user.__dict__.pop("_thidua_scope", None)  # the scope is cached on the user for a request
    return scope_for(user)


def test_scope_of_officer_is_agency_wide(world):
    scope = _fresh(world.users["officer"])
    assert (scope.agency_id, scope.roles, scope.agency_wide, scope.agency_editor) == (
        world.agency.pk,
        frozenset({Role.OFFICER}),
        True,
        True,
    )
    assert (scope.unit_paths, scope.unit_ids) == ((), ())


def test_scope_of_unit_head_covers_the_subtree_and_not_its_record_twice(world):
    head = world.users["head"]
    head.person = world.colleague  # works in PA, the unit they head
    head.save()
    scope = _fresh(head)
    assert scope.unit_paths == (world.unit_a.path,)
    assert scope.unit_ids == tuple(sorted((world.unit_a.pk, world.unit_a1.pk)))
    assert (scope.person_id, scope.own_person_id) == (world.colleague.pk, None)


def test_scope_of_unit_head_keeps_their_own_record_outside_the_subtree(world):
    head = world.users["head"]
    head.person = world.in_b  # works in PB
    head.save()
    assert _fresh(head).own_person_id == world.in_b.pk


def test_scope_of_head_of_two_units_joins_both_subtrees(world):
    head = world.users["head"]
    RoleAssignment.objects.create(user=head, role=Role.UNIT_HEAD, unit=world.unit_b)
    scope = _fresh(head)
    assert set(scope.unit_paths) == {world.unit_a.path, world.unit_b.path}
    assert set(scope.unit_ids) == {world.unit_a.pk, world.unit_a1.pk, world.unit_b.pk}


def test_scope_follows_a_role_given_after_the_last_request(world, login):
    user = make_user(agency=world.agency, role=None, username="moi")
    client = login(user)
    assert client.get("/people/").status_code == 302  # no role: nothing to list
    RoleAssignment.objects.create(user=user, role=Role.OFFICER)
    assert client.get("/people/").context["page"].paginator.count == 4


def test_scope_keys_tell_personas_apart(world):
    unit_c = UnitFactory(agency=world.agency, code="PC")
    other_head = make_user(agency=world.agency, role=Role.UNIT_HEAD, unit=unit_c, username="t2")
    users = [world.users[name] for name in ("officer", "head", "staff", "other")] + [other_head]
    people_keys = [_fresh(u).people_key() for u in users]
    units_keys = [_fresh(u).units_key() for u in users]
    assert len(set(people_keys)) == len(users)
    assert len(set(units_keys)) == len(users)
    # Every agency-wide role of the same agency sees the same people.
    assert {_fresh(world.users[r]).people_key() for r in ("admin", "director", "council")} == {
        people_keys[0]
    }


def test_session_store_reads_a_live_session_and_not_an_expired_one(db):
    assert settings.SESSION_ENGINE == "thidua.accounts.sessions"
    store = SessionStore()
    store["colour"] = "xanh"
    store.save()
    assert SessionStore(store.session_key).load() == {"colour": "xanh"}
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    stale = SessionStore(store.session_key)
    assert stale.load() == {}
    assert stale.session_key is None  # as Django's own store: a new key on the next save
    assert SessionStore("no-such-session-key").load() == {}


def test_the_scope_of_the_request_user_is_the_scope_read_on_its_own(world):
    """The signed-in user comes with their roles and own unit (one query); the scope made from
    them is the one `scope_for` reads by itself, for every persona."""
    mine = PersonFactory(unit=world.unit_b, staff_code="CB021", given_name="Minh")
    users = {
        **world.users,
        "head_elsewhere": make_user(
            agency=world.agency, role=Role.UNIT_HEAD, unit=world.unit_a1, person=mine
        ),
    }
    for name, user in users.items():
        loaded = LoginBackend().get_user(user.pk)
        fresh = get_user_model().objects.get(pk=user.pk)
        assert _compute_scope(loaded) == _compute_scope(fresh), name
