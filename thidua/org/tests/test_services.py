"""Org services: unit history (rename, move, merge, split, dissolve), people, audit and NFC."""

import datetime
import unicodedata

import pytest
import time_machine

from thidua.accounts.models import Role
from thidua.audit.models import AuditAction, AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.org import selectors, services
from thidua.org.models import Membership, Person, UnitEvent, UnitEventKind, UnitKind, UnitState
from thidua.testing import AgencyFactory, make_user

D = datetime.date
MERGE_DAY = D(2025, 3, 1)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def agency(db):
    return AgencyFactory(code="STNMT-LS", name="Sở Tài nguyên và Môi trường tỉnh Lạng Sơn")


@pytest.fixture
def actor(agency):
    return make_user(agency=agency, role=Role.OFFICER, username="thiduakt")


@pytest.fixture
def unit(agency, actor):
    """`unit("CODE", parent=...)` → a unit established on 01/01/2008 through the service."""

    def _unit(code: str, name: str | None = None, parent=None, kind=UnitKind.DIVISION):
        return services.create_unit(
            actor=actor,
            agency=agency,
            code=code,
            name=name or f"Phòng {code}",
            kind=kind,
            parent=parent,
            established_on=D(2008, 1, 1),
        )

    return _unit


@pytest.fixture
def person(agency, actor):
    """`person(unit, "CB1", "Nguyễn Văn An")` → a person in `unit` since 01/03/2010."""

    def _person(unit, code: str, full_name: str, start: datetime.date | None = None):
        return services.create_person(
            actor=actor,
            agency=agency,
            unit=unit,
            start=start or D(2010, 3, 1),
            staff_code=code,
            full_name=full_name,
            gender="NAM",
            employment_type="CONG_CHUC",
            position="Chuyên viên",
            birth_date=D(1985, 5, 17),
        )

    return _person


def _periods(p: Person) -> list[tuple[str, datetime.date, datetime.date | None]]:
    return [(m.unit.code, m.start, m.end) for m in p.memberships.order_by("start")]


def _counts() -> tuple[int, ...]:
    return (
        AuditEntry.objects.count(),
        Membership.objects.count(),
        UnitState.objects.count(),
        UnitEvent.objects.count(),
    )


# --- units ------------------------------------------------------------------------------------


def test_create_unit_stores_nfc_and_writes_state_event_audit(agency, actor):
    u = services.create_unit(
        actor=actor, agency=agency, code=" vp ", name=nfd("Văn phòng  Sở"), kind=UnitKind.OFFICE
    )
    state = u.states.get()
    entry = AuditEntry.objects.get(object_type="unit", object_id=str(u.pk))
    assert (u.code, u.name, u.path) == ("VP", "Văn phòng Sở", f"/{u.pk}/")
    assert (state.name, state.valid_to) == ("Văn phòng Sở", None)
    assert list(UnitEvent.objects.filter(targets=u).values_list("kind", flat=True)) == ["CREATE"]
    assert (entry.action, entry.actor_name, entry.changes["name"]) == (
        AuditAction.CREATE,
        "thiduakt",
        "Văn phòng Sở",
    )


def test_create_unit_duplicate_code_refused_naming_field(unit):
    unit("VP")
    with pytest.raises(BusinessRuleError) as exc:
        unit("vp")
    assert exc.value.field == "code"
    assert "VP" in exc.value.message


def test_change_unit_rename_keeps_old_name_for_earlier_dates(unit, actor):
    u = unit("TNN", "Phòng Tài nguyên nước")
    services.change_unit(
        actor=actor, unit=u, date=MERGE_DAY, name=nfd("Phòng Tài nguyên nước và Khoáng sản")
    )
    names = [selectors.unit_names_on({u.pk}, d)[u.pk] for d in (D(2008, 1, 1), D(2025, 2, 28))]
    assert names == ["Phòng Tài nguyên nước", "Phòng Tài nguyên nước"]
    assert selectors.unit_names_on({u.pk}, MERGE_DAY) == {
        u.pk: "Phòng Tài nguyên nước và Khoáng sản"
    }
    assert list(u.states.values_list("valid_from", "valid_to")) == [
        (D(2008, 1, 1), D(2025, 2, 28)),
        (MERGE_DAY, None),
    ]
    entry = AuditEntry.objects.filter(object_id=str(u.pk), action=AuditAction.UPDATE).get()
    assert entry.changes == {
        "name": ["Phòng Tài nguyên nước", "Phòng Tài nguyên nước và Khoáng sản"]
    }


def test_change_unit_rename_on_first_day_corrects_state(unit, actor):
    u = unit("TTR", "Thanh tra")
    services.change_unit(actor=actor, unit=u, date=D(2008, 1, 1), name="Thanh tra Sở")
    assert list(u.states.values_list("name", "valid_from", "valid_to")) == [
        ("Thanh tra Sở", D(2008, 1, 1), None)
    ]


def test_change_unit_move_updates_paths_of_whole_subtree(unit, actor):
    x = unit("X")
    y = unit("Y")
    y1 = unit("Y1", parent=y)
    y11 = unit("Y11", parent=y1)
    services.change_unit(actor=actor, unit=y, date=MERGE_DAY, parent=x)
    for u in (y, y1, y11):
        u.refresh_from_db()
    assert [y.path, y1.path, y11.path] == [
        f"/{x.pk}/{y.pk}/",
        f"/{x.pk}/{y.pk}/{y1.pk}/",
        f"/{x.pk}/{y.pk}/{y1.pk}/{y11.pk}/",
    ]
    assert [y.depth, y11.depth] == [1, 3]
    assert y.states.get(valid_to__isnull=True).parent == x
    assert y.states.get(valid_to=D(2025, 2, 28)).parent is None


def test_change_unit_move_under_own_sub_unit_refused(unit, actor):
    y = unit("Y")
    y1 = unit("Y1", parent=y)
    with pytest.raises(BusinessRuleError) as exc:
        services.change_unit(actor=actor, unit=y, date=MERGE_DAY, parent=y1)
    assert exc.value.field == "parent"


def test_merge_units_moves_people_and_closes_old_memberships(unit, person, actor):
    source, target = unit("S", "Phòng Cũ"), unit("T", "Phòng Mới")
    child = unit("S1", parent=source)
    people = [person(source, "CB1", "Nguyễn Văn An"), person(source, "CB2", "Lê Thị Ánh")]

    event = services.merge_units(
        actor=actor, sources=[source], target=target, date=MERGE_DAY, note=nfd("QĐ số 53")
    )

    source.refresh_from_db()
    child.refresh_from_db()
    for p in people:
        p.refresh_from_db()
        assert p.unit == target
        assert _periods(p) == [("S", D(2010, 3, 1), D(2025, 2, 28)), ("T", MERGE_DAY, None)]
        assert [m.position for m in p.memberships.all()] == ["Chuyên viên", "Chuyên viên"]
    assert source.dissolved_on == MERGE_DAY
    assert (child.parent, child.path) == (target, f"/{target.pk}/{child.pk}/")
    assert (event.kind, event.note) == (UnitEventKind.MERGE, "QĐ số 53")
    assert (list(event.sources.all()), list(event.targets.all())) == ([source], [target])
    # The past stays with the old unit: who was in "Phòng Cũ" at the end of 2024.
    assert set(selectors.members_on(source, D(2024, 12, 31))) == set(people)
    assert list(selectors.members_on(target, D(2024, 12, 31))) == []
    history = selectors.membership_history(people[0])
    assert [row.unit_name_then for row in history] == ["Phòng Mới", "Phòng Cũ"]


def test_merge_units_of_another_agency_refused_without_writes(unit, person, actor):
    source, target = unit("S"), unit("T")
    person(source, "CB1", "Nguyễn Văn An")
    stranger = services.create_unit(
        actor=None, agency=AgencyFactory(code="STNMT-BP"), code="S", name="Phòng", kind="PHONG"
    )
    before = _counts()
    with pytest.raises(BusinessRuleError) as exc:
        services.merge_units(actor=actor, sources=[source, stranger], target=target, date=MERGE_DAY)
    assert exc.value.field == "sources"
    assert _counts() == before


def test_merge_units_failing_later_step_leaves_nothing_half_written(unit, person, actor):
    first, second, target = unit("S"), unit("S2"), unit("T")
    child = unit("S1", parent=first)
    moved = person(first, "CB1", "Nguyễn Văn An")
    # Joined S2 after the merger date: transferring them is refused, after S was fully merged.
    person(second, "CB2", "Lê Thị Ánh", start=D(2025, 6, 1))
    before = _counts()

    with pytest.raises(BusinessRuleError) as exc:
        services.merge_units(actor=actor, sources=[first, second], target=target, date=MERGE_DAY)

    assert exc.value.field == "date"
    assert _counts() == before
    first.refresh_from_db()
    child.refresh_from_db()
    moved.refresh_from_db()
    assert (first.dissolved_on, child.parent, moved.unit) == (None, first, first)
    assert child.path == f"/{first.pk}/{child.pk}/"
    assert _periods(moved) == [("S", D(2010, 3, 1), None)]


def test_split_unit_requires_an_assignment_for_every_member(unit, person, actor):
    source, left, right = unit("S"), unit("L"), unit("R")
    first = person(source, "CB1", "Nguyễn Văn An")
    person(source, "CB2", "Lê Thị Ánh")
    before = _counts()
    with pytest.raises(BusinessRuleError) as exc:
        services.split_unit(
            actor=actor,
            source=source,
            targets=[left, right],
            assignments={first.pk: left},
            date=MERGE_DAY,
        )
    assert exc.value.field == "assignments"
    assert "Lê Thị Ánh" in exc.value.message
    assert "Nguyễn Văn An" not in exc.value.message
    assert _counts() == before


def test_split_unit_sends_each_member_to_their_unit(unit, person, actor):
    source, left, right = unit("S"), unit("L"), unit("R")
    a, b = person(source, "CB1", "Nguyễn Văn An"), person(source, "CB2", "Lê Thị Ánh")
    services.split_unit(
        actor=actor,
        source=source,
        targets=[left, right],
        assignments={a.pk: left, b.pk: right},
        date=MERGE_DAY,
    )
    source.refresh_from_db()
    assert [Person.objects.get(pk=p.pk).unit.code for p in (a, b)] == ["L", "R"]
    assert _periods(a) == [("S", D(2010, 3, 1), D(2025, 2, 28)), ("L", MERGE_DAY, None)]
    assert source.dissolved_on == MERGE_DAY


def test_dissolve_unit_with_staff_refused(unit, person, actor):
    u = unit("S", "Phòng Cũ")
    person(u, "CB1", "Nguyễn Văn An")
    with pytest.raises(BusinessRuleError) as exc:
        services.dissolve_unit(actor=actor, unit=u, date=MERGE_DAY)
    assert "Phòng Cũ" in exc.value.message
    u.refresh_from_db()
    assert u.dissolved_on is None


def test_dissolve_unit_with_sub_units_refused(unit, actor):
    u = unit("S")
    unit("S1", parent=u)
    with pytest.raises(BusinessRuleError):
        services.dissolve_unit(actor=actor, unit=u, date=MERGE_DAY)


def test_dissolve_empty_unit_ends_it_and_its_state(unit, actor):
    u = unit("S")
    services.dissolve_unit(actor=actor, unit=u, date=MERGE_DAY)
    u.refresh_from_db()
    assert (u.dissolved_on, u.is_active) == (MERGE_DAY, False)
    assert list(u.states.values_list("valid_to", flat=True)) == [D(2025, 2, 28)]
    entry = AuditEntry.objects.filter(object_id=str(u.pk), action=AuditAction.UPDATE).get()
    assert entry.changes == {"dissolved_on": [None, "2025-03-01"]}


def test_ensure_agency_second_call_changes_nothing(db):
    first, created = services.ensure_agency(code="cq-x", name=nfd("Sở Nội vụ"))
    again, created_again = services.ensure_agency(code="CQ-X", name="Tên khác")
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert (again.code, again.name) == ("CQ-X", "Sở Nội vụ")
    assert AuditEntry.objects.filter(object_type="agency").count() == 1


# --- people -----------------------------------------------------------------------------------


def test_create_person_stores_nfc_and_writes_membership_and_audit(unit, person):
    u = unit("VP", "Văn phòng Sở")
    p = person(u, " cb-01 ", nfd("Nguyễn  Thị Thu Hà"))
    p.refresh_from_db()
    assert (p.family_name, p.middle_name, p.given_name) == ("Nguyễn", "Thị Thu", "Hà")
    assert (p.full_name, p.staff_code) == ("Nguyễn Thị Thu Hà", "CB-01")
    assert p.search_text == "nguyen thi thu ha cb-01"
    assert unicodedata.is_normalized("NFC", p.full_name)
    assert _periods(p) == [("VP", D(2010, 3, 1), None)]
    entry = AuditEntry.objects.get(object_type="person", object_id=str(p.pk))
    assert entry.action == AuditAction.CREATE
    assert {k: entry.changes[k] for k in ("staff_code", "full_name", "unit", "birth_date")} == {
        "staff_code": "CB-01",
        "full_name": "Nguyễn Thị Thu Hà",
        "unit": "Văn phòng Sở",
        "birth_date": "1985-05-17",
    }


def test_create_person_duplicate_staff_code_refused_naming_field(unit, person):
    u = unit("VP")
    person(u, "CB1", "Nguyễn Văn An")
    with pytest.raises(BusinessRuleError) as exc:
        person(u, "cb1", "Lê Thị Ánh")
    assert (exc.value.field, "CB1" in exc.value.message) == ("staff_code", True)
    assert Person.objects.filter(staff_code="CB1").count() == 1


def test_create_person_same_staff_code_in_another_agency_allowed(unit, person):
    person(unit("VP"), "CB1", "Nguyễn Văn An")
    other = AgencyFactory(code="STNMT-BP")
    p = services.create_person(
        actor=None, agency=other, unit=None, staff_code="CB1", full_name="Lê Văn Bình",
        gender="NAM", employment_type="CONG_CHUC",
    )  # fmt: skip
    assert (p.agency, p.staff_code) == (other, "CB1")


@time_machine.travel(datetime.datetime(2025, 1, 15, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_create_person_birth_date_in_future_refused(agency, unit):
    with pytest.raises(BusinessRuleError) as exc:
        services.create_person(
            actor=None, agency=agency, unit=unit("VP"), staff_code="CB1",
            full_name="Nguyễn Văn An", gender="NAM", employment_type="CONG_CHUC",
            birth_date=D(2025, 1, 16),
        )  # fmt: skip
    assert exc.value.field == "birth_date"


def test_update_person_writes_before_and_after(unit, person, actor):
    p = person(unit("VP"), "CB1", "Nguyễn Văn An")
    services.update_person(
        actor=actor, person=p, full_name=nfd("Nguyễn Văn Ân"), birth_date=D(1986, 1, 2)
    )
    entry = AuditEntry.objects.filter(object_id=str(p.pk), action=AuditAction.UPDATE).get()
    assert entry.changes == {
        "full_name": ["Nguyễn Văn An", "Nguyễn Văn Ân"],
        "birth_date": ["1985-05-17", "1986-01-02"],
    }
    assert (entry.actor, entry.object_repr) == (actor, "Nguyễn Văn Ân")


def test_update_person_without_change_writes_no_audit(unit, person, actor):
    p = person(unit("VP"), "CB1", "Nguyễn Văn An")
    before = AuditEntry.objects.count()
    services.update_person(actor=actor, person=p, full_name="Nguyễn Văn An")
    assert AuditEntry.objects.count() == before


def test_update_person_duplicate_staff_code_refused(unit, person, actor):
    u = unit("VP")
    person(u, "CB1", "Nguyễn Văn An")
    p = person(u, "CB2", "Lê Thị Ánh")
    with pytest.raises(BusinessRuleError) as exc:
        services.update_person(actor=actor, person=p, staff_code="CB1")
    assert exc.value.field == "staff_code"
    p.refresh_from_db()
    assert p.staff_code == "CB2"


def test_update_person_new_unit_is_recorded_as_transfer(unit, person, actor):
    vp, qldd = unit("VP"), unit("QLDD")
    p = person(vp, "CB1", "Nguyễn Văn An")
    services.update_person(actor=actor, person=p, unit=qldd, date=MERGE_DAY, position="Phó phòng")
    assert _periods(p) == [("VP", D(2010, 3, 1), D(2025, 2, 28)), ("QLDD", MERGE_DAY, None)]
    entry = AuditEntry.objects.filter(object_id=str(p.pk), action=AuditAction.UPDATE).get()
    assert entry.changes == {
        "position": ["Chuyên viên", "Phó phòng"],
        "unit": ["Phòng VP", "Phòng QLDD"],
    }


def test_update_person_on_day_assignment_began_corrects_it_in_place(unit, person, actor):
    vp, qldd = unit("VP"), unit("QLDD")
    p = person(vp, "CB1", "Nguyễn Văn An")
    services.update_person(actor=actor, person=p, unit=qldd, date=D(2010, 3, 1))
    assert _periods(p) == [("QLDD", D(2010, 3, 1), None)]


def test_update_person_dated_before_assignment_under_way_refused(unit, person, actor):
    vp, qldd = unit("VP"), unit("QLDD")
    p = person(vp, "CB1", "Nguyễn Văn An")
    with pytest.raises(BusinessRuleError) as exc:
        services.update_person(actor=actor, person=p, unit=qldd, date=D(2001, 1, 1))
    assert exc.value.field == "date"
    p.refresh_from_db()
    assert (p.unit, _periods(p)) == (vp, [("VP", D(2010, 3, 1), None)])


@time_machine.travel(datetime.datetime(2025, 1, 15, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_update_person_corrects_assignment_not_begun_yet(unit, person, actor):
    vp, qldd = unit("VP"), unit("QLDD")
    p = person(vp, "CB1", "Nguyễn Văn An", start=D(2025, 2, 1))
    services.update_person(actor=actor, person=p, unit=qldd)
    assert _periods(p) == [("QLDD", D(2025, 2, 1), None)]


def test_transfer_person_keeps_history_with_names_of_the_time(unit, person, actor):
    vp, qldd = unit("VP", "Văn phòng"), unit("QLDD", "Phòng Đất đai")
    p = person(vp, "CB1", "Nguyễn Văn An")
    services.transfer_person(actor=actor, person=p, unit=qldd, date=D(2020, 7, 1))
    services.change_unit(actor=actor, unit=qldd, date=D(2023, 1, 1), name="Phòng Quản lý đất đai")
    services.transfer_person(
        actor=actor, person=p, unit=vp, date=D(2024, 1, 1), position=nfd("Chánh Văn phòng")
    )
    rows = [
        (r.membership.start, r.membership.end, r.unit_name_then, r.membership.position)
        for r in selectors.membership_history(p)
    ]
    assert rows == [
        (D(2024, 1, 1), None, "Văn phòng", "Chánh Văn phòng"),
        (D(2020, 7, 1), D(2023, 12, 31), "Phòng Đất đai", "Chuyên viên"),
        (D(2010, 3, 1), D(2020, 6, 30), "Văn phòng", "Chuyên viên"),
    ]


def test_transfer_person_on_or_before_current_start_refused(unit, person, actor):
    vp, qldd = unit("VP"), unit("QLDD")
    p = person(vp, "CB1", "Nguyễn Văn An")
    with pytest.raises(BusinessRuleError) as exc:
        services.transfer_person(actor=actor, person=p, unit=qldd, date=D(2010, 3, 1))
    assert (exc.value.field, "01/03/2010" in exc.value.message) == ("date", True)
    assert _periods(p) == [("VP", D(2010, 3, 1), None)]


def test_transfer_person_to_unit_of_another_agency_refused(unit, person, actor):
    p = person(unit("VP"), "CB1", "Nguyễn Văn An")
    stranger = services.create_unit(
        actor=None, agency=AgencyFactory(code="STNMT-BP"), code="VP", name="VP", kind="VAN_PHONG"
    )
    with pytest.raises(BusinessRuleError) as exc:
        services.transfer_person(actor=actor, person=p, unit=stranger, date=MERGE_DAY)
    assert exc.value.field == "unit"
