"""Org reads: search without diacritics, Vietnamese name order, pagination, constant queries."""

import datetime
import random

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from thidua.audit.models import AuditAction
from thidua.audit.services import record
from thidua.org import selectors, services
from thidua.testing import PersonFactory, UnitFactory

# Given name first (a < ă < â, d < đ, a toneless vowel before a toned one), then family name
# (Bùi < Lê; Dương < Đặng because d < đ), then middle name (Thị < Văn).
VIETNAMESE_ORDER = [
    "Nguyễn Thị An",
    "Nguyễn Văn An",
    "Trần An",
    "Nguyễn Văn Anh",
    "Lê Thị Ánh",
    "Bùi Ăn",
    "Nguyễn Ân",
    "Hà Âu",
    "Bùi Bình",
    "Lê Bình",
    "Nguyễn Thị Dung",
    "Đỗ Dũng",
    "Dương Văn Đạt",
    "Đặng Văn Đạt",
]


def _add_people(world, names: list[str], unit=None) -> None:
    shuffled = names[:]
    random.Random(7).shuffle(shuffled)
    for i, name in enumerate(shuffled):
        services.create_person(
            actor=None,
            agency=world.agency,
            unit=unit or world.unit_b,
            start=datetime.date(2020, 1, 1),
            staff_code=f"NV{i:03d}",
            full_name=name,
            gender="NU",
            employment_type="VIEN_CHUC",
        )


def _names(qs) -> list[str]:
    return [p.full_name for p in qs]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen van a", ["Nguyễn Văn Á"]),
        ("dang", ["Đặng Văn Bình"]),
        ("ĐẶNG VĂN", ["Đặng Văn Bình"]),
        ("a nguyen", ["Nguyễn Văn Á"]),
        ("van", ["Nguyễn Văn Á", "Đặng Văn Bình"]),
        ("cb004", ["Trần Thị Lan"]),
        ("nguyen lan", []),
        ("", ["Nguyễn Văn Á", "Đặng Văn Bình", "Phạm Thị Hoa", "Trần Thị Lan"]),
    ],
)
def test_search_people_ignores_case_and_diacritics(world, query, expected):
    assert _names(selectors.search_people(world.users["officer"], query=query)) == expected


def test_search_people_stays_within_scope(world):
    head = world.users["head"]
    assert _names(selectors.search_people(head, query="tran")) == []
    assert _names(selectors.search_people(world.users["other"], query="nguyen")) == []


def test_search_people_unit_filter_includes_sub_units_on_request(world):
    officer = world.users["officer"]
    with_sub = selectors.search_people(officer, unit=world.unit_a)
    only_unit = selectors.search_people(officer, unit=world.unit_a, include_sub_units=False)
    assert _names(with_sub) == ["Nguyễn Văn Á", "Đặng Văn Bình", "Phạm Thị Hoa"]
    assert _names(only_unit) == ["Đặng Văn Bình", "Phạm Thị Hoa"]


def test_search_people_leaves_out_people_who_left_unless_asked(world):
    services.update_person(actor=None, person=world.in_b, left_on=datetime.date(2024, 6, 30))
    officer = world.users["officer"]
    assert "Trần Thị Lan" not in _names(selectors.search_people(officer))
    assert "Trần Thị Lan" in _names(selectors.search_people(officer, include_left=True))


def test_search_people_sorts_the_vietnamese_way(world):
    unit = UnitFactory(agency=world.agency, code="PS", name="Phòng Sắp xếp")
    _add_people(world, VIETNAMESE_ORDER, unit=unit)
    assert _names(selectors.search_people(world.users["officer"], unit=unit)) == VIETNAMESE_ORDER


@override_settings(PAGE_SIZE=5)
def test_people_page_paginates_in_name_order_and_keeps_the_search(world, login):
    unit = UnitFactory(agency=world.agency, code="PS", name="Phòng Sắp xếp")
    _add_people(world, VIETNAMESE_ORDER, unit=unit)
    client = login(world.users["officer"])
    response = client.get("/people/", {"q": "", "unit": unit.pk, "page": 2})
    page = response.context["page"]
    assert (page.number, page.paginator.num_pages, page.paginator.count) == (2, 3, 14)
    assert _names(page.object_list) == VIETNAMESE_ORDER[5:10]
    assert response.context["params"] == f"q=&unit={unit.pk}"


def test_people_page_htmx_request_returns_only_the_results(world, login):
    client = login(world.users["officer"])
    response = client.get("/people/", {"q": "dang"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "Đặng Văn Bình" in body and "Phạm Thị Hoa" not in body


def test_unit_tree_is_depth_first_with_staff_counts(world):
    nodes = selectors.unit_tree(world.users["officer"])
    # Siblings by name: "Thanh tra Sở" before "Văn phòng Đăng ký đất đai".
    assert [(n.unit.code, n.depth, n.staff_count) for n in nodes] == [
        ("PB", 0, 1),
        ("PA", 0, 2),
        ("PA1", 1, 1),
    ]


def test_unit_tree_of_unit_head_starts_at_their_unit(world):
    nodes = selectors.unit_tree(world.users["head"])
    assert [(n.unit.code, n.depth) for n in nodes] == [("PA", 0), ("PA1", 1)]


def test_unit_tree_leaves_out_dissolved_units_unless_asked(world):
    empty = UnitFactory(agency=world.agency, code="PC", name="Phòng C")
    services.dissolve_unit(actor=None, unit=empty, date=datetime.date(2025, 1, 1))
    officer = world.users["officer"]
    assert "PC" not in [n.unit.code for n in selectors.unit_tree(officer)]
    assert "PC" in [n.unit.code for n in selectors.unit_tree(officer, include_dissolved=True)]


# --- the number of queries does not grow with the number of rows ------------------------------


def _query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow_people(world, n: int) -> None:
    units = (world.unit_a, world.unit_a1, world.unit_b)
    for i in range(n):
        PersonFactory(unit=units[i % 3])


def _grow_units(world, n: int) -> None:
    for i in range(n):
        UnitFactory(agency=world.agency, parent=world.unit_a if i % 2 else None)


def _grow_audit(world, n: int) -> None:
    for i in range(n):
        record(
            actor=world.users["officer"],
            agency_id=world.agency.pk,
            action=AuditAction.UPDATE,
            obj=world.in_b,
            changes={"position": [f"Chức vụ {i}", f"Chức vụ {i + 1}"]},
        )


# (url, how to add rows, rows the world already has): measured at 10 rows, then at 60.
@pytest.mark.parametrize(
    ("url", "grow", "base"),
    [("/people/", _grow_people, 4), ("/units/", _grow_units, 3), ("/audit/", _grow_audit, 0)],
)
@override_settings(PAGE_SIZE=5)  # full pages at 10 rows as at 60: the same queries
def test_list_page_queries_do_not_grow_with_rows(
    world, login, django_assert_max_num_queries, url, grow, base
):
    client = login(world.users["officer"])
    grow(world, 10 - base)
    client.get(url)  # warm the session and caches
    with_ten = _query_count(client, url)
    grow(world, 50)
    client.get(url)  # the writes changed the OrgVersion: warm the people list's count again
    with django_assert_max_num_queries(with_ten):
        response = client.get(url)
    assert response.status_code == 200
