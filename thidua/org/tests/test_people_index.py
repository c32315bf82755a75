"""The people list's in-memory index (org.people_index): it must find exactly what
`search_people` finds, in the same order, and never answer with rows older than the database."""

import datetime
import random

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from thidua.accounts.models import Role
from thidua.org import people_index, selectors, services
from thidua.org.models import OrgVersion, Person
from thidua.testing import AgencyFactory, PersonFactory, UnitFactory, make_user


@pytest.fixture(autouse=True)
def _token_row(db):
    """The row the migration adds: gone in a worker after a test that flushed the tables."""
    OrgVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def _listed(user, **kwargs) -> list[int]:
    """Everyone the people list shows `user`, page after page."""
    listing = selectors.PeopleList(user)
    assert listing.index is not None
    pks, number = [], 1
    while True:
        page = listing.page(number=number, per_page=3, **kwargs)
        pks += [row.pk for row in page.object_list]
        if not page.has_next():
            return pks
        number += 1


def _found(user, *, query: str = "", unit=None) -> list[int]:
    return [p.pk for p in selectors.search_people(user, query=query, unit=unit)]


@pytest.fixture
def crowd(world):
    """More people: diacritics, repeated and shared syllables, staff codes, one who left, one
    without a unit, and a unit head whose own record sits outside the unit they head."""
    for code, family, middle, given, unit in [
        ("NV001", "Nguyễn", "Thị Hồng", "Nhung", world.unit_a),
        ("NV002", "Đỗ", "Thị", "Hà", world.unit_a1),
        ("NV003", "Hà", "Văn", "Thắng", world.unit_b),
        ("NV004", "Trương", "Ngọc", "Ánh", world.unit_a1),
        ("NV005", "Lê", "Đức", "Anh", world.unit_b),
        ("NV006", "Nguyễn", "", "Nguyễn", world.unit_a),
        ("NV007", "Ngô", "Xuân", "Sơn", world.unit_b),
        ("AB-12", "Đặng", "Thu", "Hà", world.unit_a),
        ("NV009", "Nguyễn", "Văn", "Lâm", None),
    ]:
        PersonFactory(
            agency=world.agency,
            unit=unit,
            staff_code=code,
            family_name=family,
            middle_name=middle,
            given_name=given,
        )
    left = PersonFactory(unit=world.unit_a, staff_code="NV010", given_name="Nguyên")
    Person.objects.filter(pk=left.pk).update(left_on=datetime.date(2024, 6, 30))
    world.users["head_elsewhere"] = make_user(
        agency=world.agency, role=Role.UNIT_HEAD, unit=world.unit_a, person=world.in_b
    )
    return world


QUERIES = [
    "", "nguyen", "NGUYỄN", "nguyen van", "van nguyen", "nguyen nguyen", "ha", "hà", "thi ha",
    "anh", "ánh", "a", "d", "đ", "uc", "ngo xuan son", "nv0", "cb004", "ab-12", "b-1", "zz", "n",
    "0", "  thi   ", "nguyen lan",
]  # fmt: skip


@pytest.mark.parametrize("persona", ["officer", "head", "head_elsewhere", "other"])
def test_people_list_finds_what_search_people_finds(crowd, persona):
    user = crowd.users[persona]
    for unit in (None, crowd.unit_a, crowd.unit_a1, crowd.unit_b):
        for query in QUERIES:
            assert _listed(user, query=query, unit=unit) == _found(user, query=query, unit=unit), (
                query,
                unit,
            )


def test_people_list_of_a_head_holds_their_own_record_from_another_unit(crowd):
    listed = _listed(crowd.users["head_elsewhere"])
    assert crowd.in_b.pk in listed and crowd.in_b.pk not in _listed(crowd.users["head"])


def test_people_list_search_reads_only_the_token(crowd, django_assert_num_queries):
    officer = crowd.users["officer"]
    selectors.PeopleList(officer)  # build the index
    with django_assert_num_queries(1):  # the token: the page's rows come from the index
        page = selectors.PeopleList(officer).page(query="nguyen", per_page=2, number=2)
    expected = Person.objects.filter(pk__in=_found(officer, query="nguyen")[2:4])
    by_pk = {p.pk: p for p in expected.select_related("unit")}
    assert [
        (row.pk, row.staff_code, row.full_name, row.position, row.unit_name)
        for row in page.object_list
    ] == [
        (pk, p.staff_code, p.full_name, p.position, p.unit.name if p.unit else "")
        for pk in _found(officer, query="nguyen")[2:4]
        for p in [by_pk[pk]]
    ]


@pytest.mark.parametrize("number", ["0", "99", "abc", None])
def test_people_list_search_page_numbers_behave_like_get_page(crowd, number):
    officer = crowd.users["officer"]
    found = _found(officer, query="a")  # 11 people: pages of 2 → 6 pages
    page = selectors.PeopleList(officer).page(query="a", number=number, per_page=2)
    expected = 1 if number in ("abc", None) else 6
    assert (page.number, page.paginator.num_pages, page.paginator.count) == (expected, 6, 11)
    assert [row.pk for row in page.object_list] == found[(expected - 1) * 2 : expected * 2]


def test_people_list_of_the_installation_superuser_reads_the_database(crowd):
    superuser = make_user(agency=None, role=None, is_superuser=True)
    listing = selectors.PeopleList(superuser)
    assert listing.index is None
    page = listing.page(query="ngoai", per_page=10)  # the other agency's person
    assert [row.pk for row in page.object_list] == [crowd.outsider.pk]


# --- never older than the database --------------------------------------------------------------


WRITES = {
    "rename": lambda w: services.update_person(actor=None, person=w.in_b, full_name="Trần Thị Mai"),
    "leave": lambda w: services.update_person(
        actor=None, person=w.in_b, left_on=datetime.date(2025, 1, 31)
    ),
    "transfer": lambda w: services.transfer_person(
        actor=None, person=w.in_b, unit=w.unit_a1, date=datetime.date(2025, 2, 1)
    ),
    "unit move": lambda w: services.change_unit(
        actor=None, unit=w.unit_b, date=datetime.date(2025, 2, 1), parent=w.unit_a
    ),
    "factory insert": lambda w: PersonFactory(unit=w.unit_a1, given_name="Mai"),
    "queryset delete": lambda w: Person.objects.filter(pk=w.colleague.pk).delete(),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_people_list_follows_every_write_at_once(crowd, write):
    views = [
        (persona, query, unit)
        for persona in ("officer", "head")
        for query in ("", "mai", "lan", "thi")
        for unit in (None, crowd.unit_a)
    ]

    def seen() -> list[list[int]]:
        lists = [_listed(crowd.users[p], query=q, unit=u) for p, q, u in views]
        assert lists == [_found(crowd.users[p], query=q, unit=u) for p, q, u in views]
        return lists

    before = seen()  # also builds the index
    write(crowd)
    crowd.unit_a.refresh_from_db()  # a unit move changes paths
    assert seen() != before


def test_people_list_inside_a_transaction_sees_its_writes_and_forgets_them_on_rollback(crowd):
    officer = crowd.users["officer"]
    assert _listed(officer, query="zung") == []
    with pytest.raises(RuntimeError), transaction.atomic():
        zung = PersonFactory(unit=crowd.unit_b, given_name="Zung")
        assert _listed(officer, query="zung") == [zung.pk]
        raise RuntimeError
    assert _listed(officer, query="zung") == []


def test_people_index_is_kept_per_agency_for_the_latest_token_within_bounds(crowd, monkeypatch):
    monkeypatch.setattr(people_index, "_AGENCIES", 2)
    mine, theirs, third = crowd.agency.pk, crowd.other_agency.pk, AgencyFactory().pk
    token = selectors.org_version()
    index = people_index.for_agency(mine, token)
    people_index.for_agency(theirs, token)
    assert people_index.for_agency(mine, token) is index  # kept: same agency, same token
    UnitFactory(agency=AgencyFactory())  # any write: a new token
    token = selectors.org_version()
    assert people_index.for_agency(mine, token) is not index
    assert list(people_index._indexes) == [mine]  # the old token's indexes are dropped
    people_index.for_agency(theirs, token)
    people_index.for_agency(third, token)
    assert list(people_index._indexes) == [theirs, third]  # the least recently used goes


def test_people_list_search_asks_the_database_nothing_about_names(crowd, login):
    client = login(crowd.users["officer"])
    client.get("/people/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/people/", {"q": "nguyen van"})
    assert [row.full_name for row in response.context["page"].object_list] == [
        "Nguyễn Văn Á",
        "Nguyễn Văn Lâm",
    ]
    # Besides the session, the signed-in user and the token, nothing.
    assert len(ctx.captured_queries) == 3
    assert not [q for q in ctx.captured_queries if "search_text" in q["sql"]]


# --- the index alone, against a plain scan --------------------------------------------------------


def test_people_index_matches_a_plain_scan(monkeypatch):
    """Random names from a small alphabet, with the index's thresholds made tiny so that every
    path runs: tokens kept as bits and as lists, masks built both ways, words longer than the
    sorted prefix, short words remembered, deep pages found by skipping blocks."""
    monkeypatch.setattr(people_index, "_MASK_ROWS", 4)
    monkeypatch.setattr(people_index, "_SORT_PREFIX", 3)
    monkeypatch.setattr(people_index, "_SHORT_WORD", 1)
    monkeypatch.setattr(people_index, "_BLOCK", 8)
    monkeypatch.setattr(people_index, "_FEW_ROWS", 5)
    rng = random.Random(2026)

    def word(low: int, high: int) -> str:
        return "".join(rng.choice("abcd-") for _ in range(rng.randint(low, high)))

    rows = [
        (
            1000 + i,
            i % 5 or None,
            f"/{i % 5}/",
            f"Đơn vị {i % 5}",
            " ".join(word(1, 6) for _ in range(3)),
            f"CB{i:03}",
            f"Người {i}",
            # A NUL (from an SQLite file written by hand) is kept as it is.
            "Chuyên viên\0chính" if i == 7 else ("Chuyên viên" if i % 2 else None),
        )
        for i in range(300)
    ]
    index = people_index.PeopleIndex(1, 1, rows)
    within = index.subset(("units", 1, 3), unit_ids=[1, 3], person_id=1000)
    for _ in range(300):
        words = [word(1, 5) for _ in range(rng.randint(1, 3))]
        for subset in (None, within):
            expected = [
                pk
                for pk, unit_id, _path, _name, text, *_shown in rows
                if all(w in text for w in words)
                and (subset is None or unit_id in (1, 3) or pk == 1000)
            ]
            matches = index.matches(words, subset)
            assert matches.count == len(expected), words
            for offset in (0, 5, len(expected) // 2, len(expected)):
                assert matches.ids(offset, 7) == expected[offset : offset + 7], (words, offset)
    shown = {pk: (pk, code, name, position or "", unit and unit_name or "")
             for pk, unit, _path, unit_name, _text, code, name, position in rows}  # fmt: skip
    assert index.people(range(300)) == [shown[pk] for pk, *_rest in rows]


def test_people_index_of_an_agency_without_people():
    index = people_index.PeopleIndex(1, 1, [])
    assert index.matches([], None).count == 0
    assert index.matches(["nguyen"], None).ids(0, 50) == []
