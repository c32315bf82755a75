"""The people list read cheaply (issue #2's load goal): the OrgVersion token its index keys on,
counts without COUNT(*), pages read over ids, rows as dicts written without the template engine.
The index itself (search semantics, invalidation) is tested in test_people_index.py."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.org import selectors, services
from thidua.org.forms import PeopleSearchForm
from thidua.org.models import OrgVersion, Person, Unit
from thidua.testing import PersonFactory, UnitFactory


@pytest.fixture(autouse=True)
def _token_row(db):
    """The row the migration adds: gone in a worker after a test that flushed the tables."""
    OrgVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def _version() -> int | None:
    return selectors.org_version()


def _count_queries(ctx) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        # A count of people; the signed-in user's query counts their unread notices.
        if "COUNT(*)" in q["sql"] and "org_person" in q["sql"] and "accounts_user" not in q["sql"]
    ]


# --- the OrgVersion token ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda w: PersonFactory(unit=w.unit_b), id="factory insert"),
        pytest.param(
            lambda w: Person.objects.filter(pk=w.in_b.pk).update(position="Trưởng phòng"),
            id="queryset update",
        ),
        pytest.param(lambda w: Person.objects.filter(pk=w.in_b.pk).delete(), id="delete"),
        pytest.param(lambda w: UnitFactory(agency=w.agency), id="unit insert"),
        pytest.param(
            lambda w: Unit.objects.filter(pk=w.unit_b.pk).update(name="Thanh tra"),
            id="unit update",
        ),
        pytest.param(
            lambda w: services.update_person(
                actor=None, person=w.in_b, left_on=datetime.date(2025, 1, 31)
            ),
            id="service",
        ),
    ],
)
def test_org_version_changes_whoever_writes_people_or_units(world, write):
    before = _version()
    assert before is not None
    write(world)
    assert _version() not in (None, before)


def test_org_version_stays_when_nothing_is_written(world):
    assert _version() == _version()


def test_people_list_index_is_built_again_after_a_write(world):
    officer = world.users["officer"]
    index = selectors.PeopleList(officer).index
    assert index is not None
    assert selectors.PeopleList(officer).index is index  # same token: the same index
    PersonFactory(unit=world.unit_b)
    assert selectors.PeopleList(officer).index is not index


def test_people_list_reads_the_database_without_the_token(world):
    OrgVersion.objects.all().delete()  # as after a test that flushed the tables
    listing = selectors.PeopleList(world.users["officer"])
    assert listing.index is None
    page = listing.page(query="thi", per_page=10)
    assert [row.staff_code for row in page.object_list] == ["CB001", "CB004"]
    assert [unit.code for unit in listing.units()] == ["PA", "PA1", "PB"]


# --- the count ---------------------------------------------------------------------------------


@override_settings(PAGE_SIZE=2)
def test_people_list_counts_without_count_queries_and_follows_writes(world, login):
    client = login(world.users["officer"])
    assert client.get("/people/").context["page"].paginator.count == 4
    PersonFactory(unit=world.unit_b)  # not through a service: the trigger still sees it
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/people/")
        searched = client.get("/people/", {"q": "nguyen"})
    assert response.context["page"].paginator.count == 5
    assert searched.context["page"].paginator.count == 2
    assert _count_queries(ctx) == []


@override_settings(PAGE_SIZE=1)
def test_people_list_counts_stay_apart_between_scopes(world, login):
    officer = login(world.users["officer"]).get("/people/")
    head = login(world.users["head"]).get("/people/")
    unit_a = login(world.users["officer"]).get("/people/", {"unit": world.unit_a.pk})
    # The officer sees the agency's four, the head PA's subtree, and the filter PA's three.
    assert officer.context["page"].paginator.count == 4
    assert head.context["page"].paginator.count == 3
    assert unit_a.context["page"].paginator.count == 3
    assert login(world.users["other"]).get("/people/").context["page"].paginator.count == 1


@override_settings(PAGE_SIZE=2)
def test_people_list_search_count_follows_a_left_person(world, login):
    client = login(world.users["officer"])
    assert client.get("/people/", {"q": "thi"}).context["page"].paginator.count == 2
    services.update_person(actor=None, person=world.in_b, left_on=datetime.date(2025, 1, 31))
    assert client.get("/people/", {"q": "thi"}).context["page"].paginator.count == 1
    assert client.get("/people/").context["page"].paginator.count == 3


def test_people_list_empty_search_shows_page_one_of_one(world, login):
    response = login(world.users["officer"]).get("/people/", {"q": "khong co ai"})
    page = response.context["page"]
    assert (list(page.object_list), page.number, page.paginator.count) == ([], 1, 0)
    assert page.paginator.num_pages == 1


# --- pages -------------------------------------------------------------------------------------


def _more_people(world, n: int) -> None:
    for i in range(n):
        PersonFactory(unit=(world.unit_a, world.unit_a1, world.unit_b)[i % 3])


@pytest.mark.parametrize("number", [None, "", "abc", "2.5", "1", "2", "4", "0", "-1", "5", "99"])
def test_people_list_page_numbers_behave_like_get_page(world, number):
    _more_people(world, 6)  # 10 people: pages of 3 → 4 pages
    officer = world.users["officer"]
    expected = Paginator(selectors.search_people(officer), 3).get_page(number)
    page = selectors.PeopleList(officer).page(number=number, per_page=3)
    assert (page.number, page.paginator.count) == (expected.number, 10)
    assert [row["pk"] for row in page.object_list] == [p.pk for p in expected.object_list]


def test_people_list_pages_follow_one_another_in_search_order(world):
    _more_people(world, 8)
    officer = world.users["officer"]
    everyone = [p.pk for p in selectors.search_people(officer)]
    listing = selectors.PeopleList(officer)
    pages = [listing.page(number=n, per_page=3) for n in (1, 2, 3, 4)]
    assert [row["pk"] for page in pages for row in page.object_list] == everyone


def test_people_list_rows_carry_unit_name_and_link(world):
    nobody_unit = PersonFactory(unit=None, agency=world.agency, staff_code="CB999")
    page = selectors.PeopleList(world.users["officer"]).page(query="cb999 ", per_page=10)
    assert [dict(row) for row in page.object_list] == [
        {
            "pk": nobody_unit.pk,
            "staff_code": "CB999",
            "full_name": nobody_unit.full_name,
            "position": "Chuyên viên",
            "unit_name": "",
            "url": reverse("org:person", args=[nobody_unit.pk]),
        }
    ]
    row = selectors.PeopleList(world.users["officer"]).page(query="cb004", per_page=10)
    assert (row.object_list[0].full_name, row.object_list[0].unit_name) == (
        "Trần Thị Lan",
        "Thanh tra Sở",
    )


def test_people_list_escapes_what_people_typed(world, login):
    PersonFactory(unit=world.unit_b, given_name="<b>An</b>", position='"Trưởng" & phó')
    body = login(world.users["officer"]).get("/people/", {"q": "an"}).content.decode()
    assert "&lt;b&gt;An&lt;/b&gt;" in body and "<b>An</b>" not in body
    assert "&quot;Trưởng&quot; &amp; phó" in body


# --- the unit filter ---------------------------------------------------------------------------


def test_people_list_units_follow_new_units_and_the_scope(world):
    officer = world.users["officer"]
    codes = lambda listing: [unit.code for unit in listing.units()]  # noqa: E731
    assert codes(selectors.PeopleList(officer)) == ["PA", "PA1", "PB"]
    services.create_unit(actor=None, agency=world.agency, code="PC", name="Phòng C", kind="PHONG")
    assert codes(selectors.PeopleList(officer)) == ["PA", "PA1", "PB", "PC"]
    assert codes(selectors.PeopleList(world.users["head"])) == ["PA", "PA1"]


def test_people_search_form_asks_for_a_code_past_the_listed_units(world, login, monkeypatch):
    monkeypatch.setattr(PeopleSearchForm, "MAX_LISTED_UNITS", 2)
    client = login(world.users["officer"])
    body = client.get("/people/").content.decode()
    assert '<input type="text" name="unit" maxlength="32" id="id_unit">' in body
    found = client.get("/people/", {"unit": " pa1 "})
    assert [row.staff_code for row in found.context["page"].object_list] == ["CB003"]
    wrong = client.get("/people/", {"unit": "PZ"})
    assert wrong.context["page"].paginator.count == 4  # the filter is left out
    assert (
        '<input type="text" name="unit" value="PZ" maxlength="32" aria-invalid="true"'
        ' aria-describedby="id_unit_error" id="id_unit">'
    ) in wrong.content.decode()
    assert 'id="id_unit_error">Không có đơn vị nào mang mã PZ' in wrong.content.decode()


def test_people_search_form_checks_a_listed_unit_against_the_scope(world, login):
    client = login(world.users["head"])
    ok = client.get("/people/", {"unit": world.unit_a1.pk})
    assert [row["staff_code"] for row in ok.context["page"].object_list] == ["CB003"]
    outside = client.get("/people/", {"unit": world.unit_b.pk})  # not the head's: ignored
    assert outside.context["form"].errors["unit"]
    assert outside.context["page"].paginator.count == 3


# --- the person page ---------------------------------------------------------------------------


def test_membership_history_reads_two_queries_whatever_the_moves(world, django_assert_num_queries):
    person = world.in_b
    for i, unit in enumerate((world.unit_a, world.unit_a1, world.unit_b)):
        services.transfer_person(
            actor=None, person=person, unit=unit, date=datetime.date(2021 + i, 1, 1)
        )
    with django_assert_num_queries(2):
        rows = selectors.membership_history(person)
    assert [r.unit_name_then for r in rows] == [
        "Thanh tra Sở",
        "Chi nhánh Văn phòng Đăng ký đất đai huyện Cao Lộc",
        "Văn phòng Đăng ký đất đai",
        "Thanh tra Sở",
    ]


@override_settings(PAGE_SIZE=5)
def test_unit_head_list_queries_do_not_grow_with_people_or_sub_units(
    world, login, django_assert_max_num_queries
):
    client = login(world.users["head"])
    _more_people(world, 6)
    client.get("/people/")  # warm the count and the unit options
    with CaptureQueriesContext(connection) as ctx:
        client.get("/people/")
    before = len(ctx.captured_queries)
    for i in range(5):
        UnitFactory(agency=world.agency, parent=world.unit_a, code=f"PA-{i}")
    _more_people(world, 30)
    client.get("/people/")
    with django_assert_max_num_queries(before):
        response = client.get("/people/")
    assert response.context["page"].paginator.count == 3 + 2 * 12  # PA, PA1 and their 24 new
