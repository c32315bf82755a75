"""The person page read cheaply (issue #2's load goal): the person and their assignments in one
plain query, visibility decided from the scope, a query count that does not grow with the years
of records, the moves or the changes, and the same content as before.

Personas (thidua/conftest.py): the officer sees the whole agency and edits; the head of PA sees
PA and PA1 and edits their people; staff see their own record; the other agency sees nothing.
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.accounts.models import Role
from thidua.accounts.selectors import people_visible_to, scope_for
from thidua.audit.models import AuditEntry
from thidua.audit.selectors import change_rows
from thidua.audit.templatetags.audit_tags import change_items
from thidua.org import selectors, services
from thidua.org.models import Person, UnitState
from thidua.records import services as records
from thidua.records.models import PendingCase
from thidua.testing import PersonFactory, make_user

D = datetime.date


def _everyone(w) -> dict:
    """The world's users, a superuser of the installation, a user without an agency, and a unit
    head whose own record sits outside the unit they head."""
    me = PersonFactory(unit=w.unit_b, staff_code="CB020", given_name="Minh")
    return {
        **w.users,
        "root": get_user_model().objects.create(username="root", is_superuser=True),
        "nobody": get_user_model().objects.create(username="lac"),
        "head_a1": make_user(agency=w.agency, role=Role.UNIT_HEAD, unit=w.unit_a1, person=me),
    }


def _moves(w) -> Person:
    """`in_b` moved three times, their units renamed along the way."""
    person = w.in_b
    services.change_unit(actor=None, unit=w.unit_a, date=D(2022, 6, 1), name="Văn phòng Đất đai")
    for i, unit in enumerate((w.unit_a, w.unit_a1, w.unit_b)):
        services.transfer_person(
            actor=None, person=person, unit=unit, date=D(2021 + i, 1, 1), position=f"Chức vụ {i}"
        )
    return person


def _years_of_records(w, person: Person, years: range) -> None:
    officer = w.users["officer"]
    for year in years:
        records.set_rating(actor=officer, subject=person, year=year, level="HTTNV")
        records.record_award(actor=officer, subject=person, year=year, title="LDTT",
                             decision_number=f"{year}/QĐ", decision_date=D(year, 12, 20),
                             authority="Giám đốc Sở")  # fmt: skip
        records.add_initiative(actor=officer, person=person, year=year, name=f"Sáng kiến {year}",
                               scope="CO_SO")  # fmt: skip
    PendingCase.objects.create(agency=w.agency, person=person, kind="COMPLAINT",
                               opened_on=D(2024, 5, 1))  # fmt: skip


# --- who sees whom ---------------------------------------------------------------------------------


def test_sees_person_agrees_with_people_visible_to_for_every_persona(world):
    users = _everyone(world)
    people = list(Person.objects.all())

    for name, user in users.items():
        seen = {p.pk for p in people if scope_for(user).sees_person(p.pk, p.agency_id, p.unit_id)}
        assert seen == set(people_visible_to(user).values_list("pk", flat=True)), name


def test_person_page_outside_the_scope_or_missing_is_none(world):
    assert selectors.person_page(world.users["head"], world.in_b.pk) is None
    assert selectors.person_page(world.users["other"], world.in_a1.pk) is None
    assert selectors.person_page(world.users["staff"], world.colleague.pk) is None
    assert selectors.person_page(world.users["officer"], 987654) is None


# --- what the page reads ---------------------------------------------------------------------------


def test_person_page_reads_person_and_history_in_one_query(world, django_assert_num_queries):
    person = _moves(world)
    officer = world.users["officer"]
    scope_for(officer)  # read once per request, before the page

    with django_assert_num_queries(1):
        page = selectors.person_page(officer, person.pk)

    assert (page.person.full_name, page.person.unit.name) == ("Trần Thị Lan", "Thanh tra Sở")
    assert page.person.unit.path == world.unit_b.path
    expected = [
        (r.membership.start, r.membership.end, r.unit_name_then, r.membership.position)
        for r in selectors.membership_history(person)
    ]
    assert [
        (r.membership.start, r.membership.end, r.unit_name_then, r.membership.position)
        for r in page.history
    ] == expected
    assert [name for _s, _e, name, _p in expected] == [
        "Thanh tra Sở",
        "Chi nhánh Văn phòng Đăng ký đất đai huyện Cao Lộc",
        "Văn phòng Đăng ký đất đai",  # its name in 2021, before the renaming of 2022
        "Thanh tra Sở",
    ]


def test_person_page_names_a_unit_without_states_by_its_name(world):
    UnitState.objects.filter(unit=world.unit_a1).delete()

    page = selectors.person_page(world.users["officer"], world.in_a1.pk)

    assert [r.unit_name_then for r in page.history] == [world.unit_a1.name]


def test_person_page_of_someone_without_unit_or_assignment(world):
    lonely = PersonFactory(unit=None, agency=world.agency, staff_code="CB030")

    page = selectors.person_page(world.users["officer"], lonely.pk)

    assert (page.person.unit, page.history) == (None, [])


# Every signed-in page reads the session, the user, their roles (a unit head: and the units
# they head) and the unread notices; the person page adds the person with their assignments,
# their records, and for those who may edit them the recent changes.
@pytest.mark.parametrize(
    ("persona", "target", "changes_shown", "most"),
    [("officer", "in_a1", True, 7), ("head", "in_a1", True, 8), ("staff", "own", False, 6)],
)
def test_person_page_queries_do_not_grow_with_records_moves_or_changes(
    world, login, persona, target, changes_shown, most
):
    person = getattr(world, target)
    bare = PersonFactory(unit=person.unit, staff_code="CB040")
    client = login(world.users[persona])
    if persona == "staff":  # their own record is the one page they may open
        bare, person = person, person
    client.get(f"/people/{bare.pk}/")  # the first request of a session may write it
    with CaptureQueriesContext(connection) as bare_page:
        client.get(f"/people/{bare.pk}/")

    _years_of_records(world, person, range(2015, 2025))
    for i, unit in enumerate((world.unit_a, world.unit_a1)):
        services.transfer_person(
            actor=world.users["officer"], person=person, unit=unit, date=D(2020 + i, 1, 1)
        )
    for i in range(5):
        services.update_person(actor=world.users["officer"], person=person, position=f"CV {i}")
    with CaptureQueriesContext(connection) as rich_page:
        response = client.get(f"/people/{person.pk}/")

    body = response.content.decode()
    assert len(re.findall(r'id="records-\d{4}"', body)) == 10
    assert ('id="record-changes"' in body) is changes_shown
    assert len(rich_page) == len(bare_page)
    assert len(rich_page) <= most


def test_person_page_shows_the_changes_as_the_audit_log_does(world, login):
    entry = AuditEntry.objects.create(
        agency=world.agency,
        actor_name="<thiduakt>",
        action="UPDATE",
        object_type="person",
        object_id=str(world.in_a1.pk),
        changes={
            "position": ["Chuyên viên", "<Phó> & trưởng"],
            "months": [0, 12.5],
            "roles": [["STAFF"], ["OFFICER", "HEAD"]],
            "left_on": [None, "2025-01-31"],
            "note": "",
        },
        note="Theo QĐ <5>",
    )

    body = login(world.users["officer"]).get(f"/people/{world.in_a1.pk}/").content.decode()

    table = body[body.index('id="record-changes"') :]
    assert "&lt;thiduakt&gt;" in table and "<thiduakt>" not in table
    assert "<strong>Chức vụ</strong>: Chuyên viên → &lt;Phó&gt; &amp; trưởng" in table
    # 0 shows as "—", a decimal the Vietnamese way
    assert "<strong>Months</strong>: — → 12,5" in table
    assert "<li>Theo QĐ &lt;5&gt;</li>" in table
    # The rows are those the audit log shows for the same entry (as read back: PostgreSQL
    # orders a JSON object's keys its own way).
    entry.refresh_from_db()
    rows = change_items(change_rows(entry))
    assert f'<ul class="changes">{rows}<li>Theo QĐ' in table
    log = login(world.users["officer"]).get("/audit/").content.decode()
    assert rows in log
