"""The records services: the rules of Nghị định 90/2020 (amended by 48/2023) for ratings, awards
kept through revocation and correction, duplicates refused, and the audit rows every write leaves.

Personas and objects: thidua/conftest.py (`world`).
"""

import datetime

import pytest

from thidua.audit.models import AuditAction, AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.records import services
from thidua.records.enums import RatingLevel
from thidua.records.models import (
    Achievement,
    Award,
    AwardStatus,
    Discipline,
    Initiative,
    PendingCase,
    Rating,
)

D = datetime.date
NEXT_YEAR = datetime.date.today().year + 1


def _audit(obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.model_name, object_id=str(obj.pk)).order_by(
            "id"
        )
    )


def _rate(world, subject=None, **kw):
    values = {"year": 2024, "level": "HTTNV", **kw}
    return services.set_rating(
        actor=world.users["officer"], subject=subject or world.in_a1, **values
    )


def _award(world, subject=None, **kw):
    values = {
        "year": 2024,
        "title": "LDTT",
        "decision_number": "53/QĐ-STNMT",
        "decision_date": D(2024, 12, 20),
        "authority": "Giám đốc Sở",
        **kw,
    }
    return services.record_award(
        actor=world.users["officer"], subject=subject or world.in_a1, **values
    )


# --- ratings ----------------------------------------------------------------------------------


def test_set_rating_creates_the_years_rating_with_an_audit_row(world):
    rating = _rate(world, level="HTXSNV", months_worked=11, note="Tổ trưởng")

    assert (rating.person, rating.unit, rating.agency) == (world.in_a1, None, world.agency)
    assert (rating.year, rating.level, rating.months_worked, rating.note) == (
        2024,
        "HTXSNV",
        11,
        "Tổ trưởng",
    )
    [entry] = _audit(rating)
    assert entry.action == AuditAction.CREATE
    assert entry.actor == world.users["officer"]
    assert entry.changes["year"] == 2024
    assert entry.changes["months_worked"] == 11


def test_set_rating_same_year_updates_with_before_and_after(world):
    first = _rate(world, level="HTTNV")

    second = _rate(world, level="HTXSNV")

    assert second.pk == first.pk
    assert Rating.objects.filter(person=world.in_a1).count() == 1
    create, update = _audit(first)
    assert (create.action, update.action) == (AuditAction.CREATE, AuditAction.UPDATE)
    assert update.changes == {
        "level": [str(RatingLevel.HTTNV.label), str(RatingLevel.HTXSNV.label)]
    }


def test_set_rating_with_the_same_values_writes_no_audit_row(world):
    rating = _rate(world)

    _rate(world)

    assert [e.action for e in _audit(rating)] == [AuditAction.CREATE]


def test_set_rating_fewer_than_6_months_is_refused_citing_the_decree(world):
    with pytest.raises(BusinessRuleError) as refused:
        _rate(world, months_worked=5, level="HTNV")

    assert refused.value.field == "months_worked"
    assert refused.value.code == "too_few_months"
    assert "90/2020" in refused.value.message and "48/2023" in refused.value.message
    assert not Rating.objects.exists()


def test_set_rating_fewer_than_6_months_on_maternity_leave_is_allowed(world):
    rating = _rate(world, months_worked=4, maternity_leave=True, level="HTXSNV")

    assert (rating.months_worked, rating.maternity_leave, rating.level) == (4, True, "HTXSNV")


@pytest.mark.parametrize(("months", "level"), [(9, "HTTNV"), (7, "HTXSNV"), (8, "HTTNV")])
def test_set_rating_leave_of_3_to_under_6_months_above_htnv_is_refused(world, months, level):
    with pytest.raises(BusinessRuleError) as refused:
        _rate(world, months_worked=months, level=level)

    assert (refused.value.field, refused.value.code) == ("level", "capped_by_leave")
    assert "90/2020" in refused.value.message
    assert str(12 - months) in refused.value.message


@pytest.mark.parametrize("level", ["HTNV", "KHTNV"])
def test_set_rating_leave_of_3_to_under_6_months_at_most_htnv_is_allowed(world, level):
    assert _rate(world, months_worked=9, level=level).level == level


def test_set_rating_leave_under_3_months_is_not_capped(world):
    assert _rate(world, months_worked=10, level="HTXSNV").level == "HTXSNV"


def test_set_rating_maternity_leave_of_3_to_6_months_is_not_capped(world):
    rating = _rate(world, months_worked=8, maternity_leave=True, level="HTXSNV")
    assert rating.level == "HTXSNV"


def test_set_rating_exactly_6_months_worked_is_rated_without_cap(world):
    # Leave of exactly 6 months is neither "under 6 months worked" nor "3 to under 6 months of
    # leave": the literal rule (as the brief reads it) leaves it uncapped.
    assert _rate(world, months_worked=6, level="HTTNV").level == "HTTNV"


def test_set_rating_disciplined_in_the_year_allows_only_khtnv(world):
    Discipline.objects.create(
        agency=world.agency, person=world.in_a1, decided_on=D(2024, 6, 15), kind="KHIEN_TRACH"
    )

    with pytest.raises(BusinessRuleError) as refused:
        _rate(world, level="HTNV")
    rating = _rate(world, level="KHTNV")

    assert (refused.value.field, refused.value.code) == ("level", "disciplined")
    assert "15/06/2024" in refused.value.message and "90/2020" in refused.value.message
    assert rating.level == "KHTNV"


def test_set_rating_discipline_of_another_year_does_not_limit(world):
    Discipline.objects.create(
        agency=world.agency, person=world.in_a1, decided_on=D(2023, 12, 31), kind="CANH_CAO"
    )

    assert _rate(world, level="HTXSNV").level == "HTXSNV"


def test_set_rating_of_a_unit_has_no_months_nor_maternity(world):
    rating = _rate(world, subject=world.unit_a1, level="HTXSNV", rated_by_director=True)

    with pytest.raises(BusinessRuleError) as months:
        _rate(world, subject=world.unit_a1, months_worked=10)
    with pytest.raises(BusinessRuleError) as maternity:
        _rate(world, subject=world.unit_a1, maternity_leave=True)

    assert (rating.unit, rating.person, rating.rated_by_director) == (world.unit_a1, None, True)
    assert (months.value.field, maternity.value.field) == ("months_worked", "maternity_leave")


@pytest.mark.parametrize("year", [NEXT_YEAR, 1989, 2009])
def test_set_rating_outside_the_persons_years_is_refused(world, year):
    # in_a1 was recruited on 01/03/2010.
    with pytest.raises(BusinessRuleError) as refused:
        _rate(world, year=year)

    assert refused.value.field == "year"
    assert not Rating.objects.exists()


def test_set_rating_months_out_of_range_is_refused(world):
    with pytest.raises(BusinessRuleError) as refused:
        _rate(world, months_worked=13)
    assert refused.value.field == "months_worked"


def test_set_ratings_with_one_bad_row_saves_nothing_and_names_the_row(world):
    entries = [
        services.RatingEntry(subject=world.own, level="HTXSNV"),
        services.RatingEntry(subject=world.colleague, level="HTTNV", months_worked=3),
        services.RatingEntry(subject=world.in_a1, level="HTNV"),
    ]

    with pytest.raises(services.RatingRowsError) as refused:
        services.set_ratings(actor=world.users["head"], year=2024, entries=entries)

    assert list(refused.value.errors) == [1]
    assert refused.value.errors[1].field == "months_worked"
    assert not Rating.objects.exists()
    assert not AuditEntry.objects.filter(object_type="rating").exists()


def test_set_ratings_saves_every_row(world):
    entries = [
        services.RatingEntry(subject=world.own, level="HTXSNV"),
        services.RatingEntry(subject=world.in_a1, level="HTNV", months_worked=9),
    ]

    saved = services.set_ratings(actor=world.users["head"], year=2024, entries=entries)

    assert {(r.person.staff_code, r.level) for r in saved} == {
        ("CB001", "HTXSNV"),
        ("CB003", "HTNV"),
    }
    assert AuditEntry.objects.filter(object_type="rating", actor=world.users["head"]).count() == 2


# --- disciplines ------------------------------------------------------------------------------


def test_add_discipline_lowers_the_rating_of_its_year_to_khtnv(world):
    rating = _rate(world, level="HTXSNV")
    other_year = _rate(world, year=2023, level="HTXSNV")

    discipline = services.add_discipline(
        actor=world.users["officer"],
        person=world.in_a1,
        decided_on=D(2024, 9, 2),
        kind="CANH_CAO",
        months=12,
        decision_number="12/QĐ-STNMT",
    )

    rating.refresh_from_db()
    other_year.refresh_from_db()
    assert (rating.level, other_year.level) == ("KHTNV", "HTXSNV")
    assert [e.action for e in _audit(discipline)] == [AuditAction.CREATE]
    lowered = _audit(rating)[-1]
    assert lowered.action == AuditAction.UPDATE
    assert "02/09/2024" in lowered.note and "90/2020" in lowered.note
    assert lowered.changes["level"] == [
        str(RatingLevel.HTXSNV.label),
        str(RatingLevel.KHTNV.label),
    ]


def test_add_discipline_twice_is_refused(world):
    values = {"person": world.in_a1, "decided_on": D(2024, 9, 2), "kind": "KHIEN_TRACH"}
    services.add_discipline(actor=world.users["officer"], **values)

    with pytest.raises(BusinessRuleError) as refused:
        services.add_discipline(actor=world.users["officer"], **values)

    assert (refused.value.field, refused.value.code) == ("decided_on", "duplicate")
    assert Discipline.objects.count() == 1


def test_add_discipline_in_the_future_is_refused(world):
    with pytest.raises(BusinessRuleError) as refused:
        services.add_discipline(
            actor=world.users["officer"], person=world.in_a1, decided_on=D(2999, 1, 1),
            kind="KHIEN_TRACH",
        )  # fmt: skip
    assert refused.value.field == "decided_on"


def test_update_discipline_changes_the_period_with_an_audit_row(world):
    discipline = services.add_discipline(
        actor=world.users["officer"], person=world.in_a1, decided_on=D(2024, 9, 2),
        kind="GIANG_CHUC",
    )  # fmt: skip

    services.update_discipline(actor=world.users["officer"], discipline=discipline, months=18)

    discipline.refresh_from_db()
    assert discipline.months == 18
    assert _audit(discipline)[-1].changes == {"months": [12, 18]}


# --- awards -----------------------------------------------------------------------------------


def test_record_award_saves_the_decision_with_an_audit_row(world):
    award = _award(world)

    assert (award.person, award.year, award.title, award.status) == (
        world.in_a1,
        2024,
        "LDTT",
        AwardStatus.ACTIVE,
    )
    assert (award.decision_number, award.decision_date, award.authority) == (
        "53/QĐ-STNMT",
        D(2024, 12, 20),
        "Giám đốc Sở",
    )
    [entry] = _audit(award)
    assert entry.action == AuditAction.CREATE
    assert entry.changes["decision_number"] == "53/QĐ-STNMT"


def test_record_award_duplicate_in_force_is_refused(world):
    _award(world)

    with pytest.raises(BusinessRuleError) as refused:
        _award(world, decision_number="60/QĐ-STNMT")

    assert (refused.value.field, refused.value.code) == ("title", "duplicate_award")
    assert "53/QĐ-STNMT" in refused.value.message
    assert Award.objects.count() == 1


def test_record_award_same_title_another_year_or_subject_is_allowed(world):
    _award(world)
    _award(world, year=2023, decision_date=D(2023, 12, 20))
    _award(world, subject=world.colleague)

    assert Award.objects.filter(status=AwardStatus.ACTIVE).count() == 3


@pytest.mark.parametrize(
    ("subject", "title"), [("in_a1", "TTLDTT"), ("unit_a1", "LDTT"), ("unit_a1", "CSTDCS")]
)
def test_record_award_for_the_wrong_kind_of_subject_is_refused(world, subject, title):
    with pytest.raises(BusinessRuleError) as refused:
        _award(world, subject=getattr(world, subject), title=title)

    assert (refused.value.field, refused.value.code) == ("title", "wrong_subject")


def test_record_award_for_a_unit_accepts_unit_and_shared_forms(world):
    for title in ("TTLDTT", "GK", "BK_TINH"):
        _award(world, subject=world.unit_a1, title=title)

    assert set(Award.objects.filter(unit=world.unit_a1).values_list("title", flat=True)) == {
        "TTLDTT",
        "GK",
        "BK_TINH",
    }


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"decision_date": D(2023, 12, 20)}, "decision_date"),
        ({"decision_date": D(2999, 1, 1)}, "decision_date"),
        ({"decision_date": None}, "decision_date"),
        ({"decision_number": " "}, "decision_number"),
        ({"authority": ""}, "authority"),
        ({"title": "XX"}, "title"),
    ],
)
def test_record_award_with_a_bad_decision_is_refused(world, values, field):
    with pytest.raises(BusinessRuleError) as refused:
        _award(world, **values)

    assert refused.value.field == field
    assert not Award.objects.exists()


def test_revoke_award_keeps_the_record_with_its_reason(world):
    award = _award(world)

    services.revoke_award(
        actor=world.users["officer"], award=award, reason="QĐ 70/QĐ-STNMT thu hồi"
    )

    award.refresh_from_db()
    assert (award.status, award.status_reason) == (AwardStatus.REVOKED, "QĐ 70/QĐ-STNMT thu hồi")
    assert Award.objects.count() == 1
    revoked = _audit(award)[-1]
    assert revoked.action == AuditAction.UPDATE
    assert revoked.changes["status"] == [
        str(AwardStatus.ACTIVE.label),
        str(AwardStatus.REVOKED.label),
    ]
    assert revoked.note == "QĐ 70/QĐ-STNMT thu hồi"


def test_revoke_award_without_reason_or_twice_is_refused(world):
    award = _award(world)
    with pytest.raises(BusinessRuleError) as no_reason:
        services.revoke_award(actor=world.users["officer"], award=award, reason="  ")
    services.revoke_award(actor=world.users["officer"], award=award, reason="Thu hồi")

    with pytest.raises(BusinessRuleError) as twice:
        services.revoke_award(actor=world.users["officer"], award=award, reason="Lần hai")

    assert (no_reason.value.field, twice.value.code) == ("reason", "not_active")


def test_revoked_award_does_not_block_a_new_one(world):
    award = _award(world)
    services.revoke_award(actor=world.users["officer"], award=award, reason="Sai đối tượng")

    again = _award(world, decision_number="80/QĐ-STNMT")

    assert again.status == AwardStatus.ACTIVE
    assert Award.objects.count() == 2


def test_correct_award_keeps_the_old_record_pointing_to_the_new_one(world):
    award = _award(world)

    new = services.correct_award(
        actor=world.users["officer"],
        award=award,
        reason="Đính chính số quyết định",
        decision_number="54/QĐ-STNMT",
    )

    award.refresh_from_db()
    assert (award.status, award.replaced_by, award.status_reason) == (
        AwardStatus.CORRECTED,
        new,
        "Đính chính số quyết định",
    )
    assert (new.status, new.decision_number, new.decision_date, new.person) == (
        AwardStatus.ACTIVE,
        "54/QĐ-STNMT",
        D(2024, 12, 20),
        world.in_a1,
    )
    old_rows, new_rows = _audit(award), _audit(new)
    assert [e.action for e in old_rows] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert old_rows[-1].changes["status"] == [
        str(AwardStatus.ACTIVE.label),
        str(AwardStatus.CORRECTED.label),
    ]
    assert [e.action for e in new_rows] == [AuditAction.CREATE]
    assert new_rows[0].note == "Đính chính số quyết định"


def test_correct_award_can_change_the_title(world):
    award = _award(world)

    new = services.correct_award(
        actor=world.users["officer"], award=award, reason="Nhầm danh hiệu", title="CSTDCS"
    )

    assert (new.title, Award.objects.get(pk=award.pk).status) == ("CSTDCS", AwardStatus.CORRECTED)


def test_correct_award_into_a_duplicate_or_without_change_is_refused(world):
    award = _award(world)
    _award(world, title="CSTDCS")

    with pytest.raises(BusinessRuleError) as duplicate:
        services.correct_award(
            actor=world.users["officer"], award=award, reason="x", title="CSTDCS"
        )
    with pytest.raises(BusinessRuleError) as unchanged:
        services.correct_award(
            actor=world.users["officer"], award=award, reason="x", authority="Giám đốc Sở"
        )

    assert (duplicate.value.code, unchanged.value.code) == ("duplicate_award", "no_change")
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE
    assert Award.objects.count() == 2


def test_correct_award_already_corrected_is_refused(world):
    award = _award(world)
    services.correct_award(actor=world.users["officer"], award=award, reason="x", authority="UBND")

    with pytest.raises(BusinessRuleError) as refused:
        services.correct_award(
            actor=world.users["officer"], award=award, reason="y", authority="Bộ"
        )

    assert refused.value.code == "not_active"


# --- initiatives, achievements, pending cases -------------------------------------------------


def test_add_initiative_records_it_and_refuses_a_duplicate(world):
    initiative = services.add_initiative(
        actor=world.users["head"], person=world.in_a1, year=2024, name="Số hoá hồ sơ địa chính",
        scope="CO_SO", kind="SANG_KIEN",
    )  # fmt: skip

    with pytest.raises(BusinessRuleError) as refused:
        services.add_initiative(
            actor=world.users["head"], person=world.in_a1, year=2024,
            name="Số hoá  hồ sơ địa chính", scope="BO_TINH",
        )  # fmt: skip

    assert (initiative.scope, initiative.kind, initiative.agency) == (
        "CO_SO",
        "SANG_KIEN",
        world.agency,
    )
    assert (refused.value.field, refused.value.code) == ("name", "duplicate")
    assert Initiative.objects.count() == 1
    assert _audit(initiative)[0].changes["name"] == "Số hoá hồ sơ địa chính"


def test_update_initiative_changes_scope_with_an_audit_row(world):
    initiative = services.add_initiative(
        actor=world.users["officer"], person=world.in_a1, year=2024, name="Đề tài A",
        scope="CO_SO", kind="DE_TAI",
    )  # fmt: skip

    services.update_initiative(actor=world.users["officer"], initiative=initiative, scope="BO_TINH")

    initiative.refresh_from_db()
    assert initiative.scope == "BO_TINH"
    assert list(_audit(initiative)[-1].changes) == ["scope"]


def test_add_achievement_for_a_unit_and_a_person(world):
    for subject in (world.unit_a1, world.in_a1):
        services.add_achievement(
            actor=world.users["officer"], subject=subject, year=2024, kind="AD_HOC",
            description="Hoàn thành sớm cấp giấy chứng nhận",
        )  # fmt: skip

    with pytest.raises(BusinessRuleError) as refused:
        services.add_achievement(
            actor=world.users["officer"], subject=world.in_a1, year=2024, kind="AD_HOC",
            description="Hoàn thành sớm cấp giấy chứng nhận",
        )  # fmt: skip

    assert Achievement.objects.filter(unit=world.unit_a1).count() == 1
    assert Achievement.objects.filter(person=world.in_a1).count() == 1
    assert refused.value.code == "duplicate"
    assert AuditEntry.objects.filter(object_type="achievement").count() == 2


def test_pending_case_opens_and_closes_once(world):
    case = services.open_pending_case(
        actor=world.users["officer"], person=world.in_a1, kind="COMPLAINT", opened_on=D(2025, 3, 1)
    )
    with pytest.raises(BusinessRuleError) as too_early:
        services.close_pending_case(
            actor=world.users["officer"], case=case, closed_on=D(2025, 2, 1)
        )

    services.close_pending_case(
        actor=world.users["officer"], case=case, closed_on=D(2025, 5, 1), note="Không có cơ sở"
    )
    with pytest.raises(BusinessRuleError) as twice:
        services.close_pending_case(
            actor=world.users["officer"], case=case, closed_on=D(2025, 6, 1)
        )

    case.refresh_from_db()
    assert (case.closed_on, case.note) == (D(2025, 5, 1), "Không có cơ sở")
    assert too_early.value.field == twice.value.field == "closed_on"
    assert [e.action for e in _audit(case)] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert _audit(case)[-1].changes["closed_on"] == [None, "2025-05-01"]
    assert PendingCase.objects.count() == 1
