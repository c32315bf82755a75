"""Titles and forms of individuals, each rule from a worked example of the legal text.

Years: 2023 is assessed under R2017 (Luật TĐKT 2003 + Nghị định 91/2017), 2024 under R2024
(Luật TĐKT 2022 + Nghị định 98/2023 + Thông tư 01/2024), 2025 under R2025 (+ Nghị định 152/2025).
"""

import pytest

from thidua.eligibility.catalogue import PERSON_TITLES
from thidua.eligibility.tests.conftest import KO, OK, D, chain, has_numbers, verdict
from thidua.records.models import Achievement, AwardStatus, Rating

# LĐTT ----------------------------------------------------------------------------------------


def test_ldtt_rating_httnv_or_better_passes(h, unit):
    """Điều 24.1.a Luật TĐKT 2022: LĐTT needs "hoàn thành tốt nhiệm vụ" (HTTNV) or better."""
    good, excellent, completed = h.people(unit, 3)
    h.rate(good, {2024: "HTTNV"})
    h.rate(excellent, {2024: "HTXSNV"})
    h.rate(completed, {2024: "HTNV"})
    ev = h.evaluate(2024)

    assert verdict(ev, good, "LDTT").eligible
    assert verdict(ev, excellent, "LDTT").eligible
    refused = verdict(ev, completed, "LDTT")
    assert not refused.eligible
    assert not refused.passed("rating")
    assert "2024" in refused.message("rating") and "HTNV" in refused.message("rating")
    assert refused.message("rating").endswith(KO)


def test_ldtt_without_rating_refused(h, unit):
    """Điều 24.1.a Luật TĐKT 2022: no rating of the year, no LĐTT."""
    p = h.person(unit)
    h.rate(p, {2023: "HTXSNV"})
    v = h.verdict(2024, p, "LDTT")
    assert not v.eligible and not v.passed("rating")


def test_ldtt_unit_records_no_self_reliance_refused(h, unit):
    """Điều 24.1.b Luật TĐKT 2022: "tinh thần tự lực, tự cường; đoàn kết" — the unit may say no."""
    p = h.person(unit)
    h.rate(p, {2024: "HTXSNV"}, self_reliant=False)
    v = h.verdict(2024, p, "LDTT")
    assert not v.eligible
    assert not v.passed("self_reliant") and v.passed("rating")


def test_ldtt_r2024_exactly_six_months_since_recruitment_passes(h, unit):
    """Thông tư 01/2024/TT-BNV Điều 1.5: ≥ 6 months since recruitment. 01/07–31/12/2024 is 6."""
    p = h.person(unit, recruited_on=D(2024, 7, 1))
    h.rate(p, {2024: "HTTNV"}, months=6)
    v = h.verdict(2024, p, "LDTT")
    assert v.eligible
    assert v.passed("served_months")
    assert "01/07/2024" in v.message("served_months") and v.message("served_months").endswith(OK)


def test_ldtt_r2024_one_day_short_of_six_months_refused(h, unit):
    """Thông tư 01/2024/TT-BNV Điều 1.5: recruited 02/07/2024 has not served 6 months on 31/12."""
    p = h.person(unit, recruited_on=D(2024, 7, 2))
    h.rate(p, {2024: "HTTNV"}, months=6)
    v = h.verdict(2024, p, "LDTT")
    assert not v.eligible and not v.passed("served_months")


def test_ldtt_r2017_recruited_01_07_2023_refused_needs_ten_months(h, unit):
    """Nghị định 91/2017/NĐ-CP: no LĐTT for staff recruited less than 10 months before."""
    p = h.person(unit, recruited_on=D(2023, 7, 1))
    h.rate(p, {2023: "HTTNV"}, months=6)
    v = h.verdict(2023, p, "LDTT")
    assert not v.eligible
    assert not v.passed("served_months")
    assert has_numbers(v.message("served_months"), 6, 10)
    assert v.message("served_months").endswith(KO)


def test_ldtt_r2017_recruited_01_03_2023_passes_ten_months(h, unit):
    """Nghị định 91/2017/NĐ-CP: 01/03–31/12/2023 is exactly 10 months."""
    p = h.person(unit, recruited_on=D(2023, 3, 1))
    h.rate(p, {2023: "HTTNV"}, months=10)
    v = h.verdict(2023, p, "LDTT")
    assert v.eligible and v.passed("served_months")


@pytest.mark.parametrize("year", [2023, 2024])
def test_ldtt_maternity_leave_counts_as_time_worked(h, unit, year):
    """Thông tư 01/2024/TT-BNV Điều 1.5 (Nghị định 91/2017 before): maternity leave counts.

    Four months worked and the rest on maternity leave: LĐTT is still possible; without the
    maternity leave the same four months are not enough.
    """
    mother, absent = h.people(unit, 2)
    h.rate(mother, {year: "HTTNV"}, months=4, maternity=True)
    h.rate(absent, {year: "HTTNV"}, months=4)
    ev = h.evaluate(year)
    assert verdict(ev, mother, "LDTT").eligible
    assert verdict(ev, mother, "LDTT").passed("served_months")
    assert not verdict(ev, absent, "LDTT").passed("served_months")
    assert not verdict(ev, absent, "LDTT").eligible


def test_ldtt_r2017_discipline_in_year_refused(h, unit):
    """Nghị định 91/2017/NĐ-CP: no LĐTT for whoever is disciplined (khiển trách or heavier)."""
    p = h.person(unit)
    h.rate(p, {2023: "HTTNV"})
    h.discipline(p, D(2023, 5, 10), kind="KHIEN_TRACH", months=6)
    v = h.verdict(2023, p, "LDTT")
    assert not v.eligible
    assert not v.passed("no_discipline")
    assert v.passed("rating") and v.passed("served_months")
    assert v.message("no_discipline").endswith(KO)


def test_ldtt_r2017_discipline_of_previous_year_does_not_count(h, unit):
    """Nghị định 91/2017/NĐ-CP: the discipline condition looks at the assessed year only."""
    p = h.person(unit)
    h.rate(p, {2023: "HTTNV"})
    h.discipline(p, D(2022, 11, 10), kind="CANH_CAO", months=12)
    v = h.verdict(2023, p, "LDTT")
    assert v.eligible and v.passed("no_discipline")


def test_ldtt_r2024_has_no_discipline_condition(h, unit):
    """Điều 24 Luật TĐKT 2022: a discipline acts through the rating (KHTNV), not a condition."""
    p = h.person(unit)
    h.rate(p, {2024: "HTTNV"})
    assert h.verdict(2024, p, "LDTT").codes == ["rating", "self_reliant", "served_months"]


# R2025: no award while a discipline is in force or a case is pending (Nghị định 152/2025 Đ4) ---


def _excellent_2025(h, person) -> None:
    """A person who, alone, is eligible for LĐTT, CSTĐCS, GK and BK_TINH (branch a–c) in 2025."""
    h.rate(person, {2025: "HTXSNV"})
    h.achievement(person, 2025, kind=Achievement.Kind.MOVEMENT)
    h.achievement(person, 2025, kind=Achievement.Kind.RECOGNISED)


def test_r2025_discipline_in_force_refuses_every_person_title(h, unit):
    """Nghị định 152/2025 Điều 4: while a discipline is in force, no title and no form."""
    clean, disciplined = h.people(unit, 2)
    _excellent_2025(h, clean)
    _excellent_2025(h, disciplined)
    h.discipline(disciplined, D(2025, 3, 1), kind="KHIEN_TRACH", months=12)
    ev = h.evaluate(2025)

    assert ev.regime == "R2025"
    for title in ("LDTT", "CSTDCS", "GK", "BK_TINH"):
        assert verdict(ev, clean, title).eligible, title
    for title in PERSON_TITLES:
        v = verdict(ev, disciplined, title)
        assert not v.eligible, title
        assert not v.passed("no_pending_case"), title
        assert v.message("no_pending_case").endswith(KO)


def test_r2025_pending_case_refuses_every_person_title(h, unit):
    """Nghị định 152/2025 Điều 4: an inspection or complaint under way blocks every proposal."""
    p = h.person(unit)
    _excellent_2025(h, p)
    h.pending(p, D(2025, 11, 3))
    ev = h.evaluate(2025)
    for title in PERSON_TITLES:
        v = verdict(ev, p, title)
        assert not v.eligible and not v.passed("no_pending_case"), title


def test_r2025_closed_case_and_expired_discipline_do_not_refuse(h, unit):
    """Nghị định 152/2025 Điều 4: a case closed and a discipline whose period ended no longer bar."""
    p = h.person(unit)
    _excellent_2025(h, p)
    h.pending(p, D(2025, 2, 1), closed_on=D(2025, 6, 30))
    h.discipline(p, D(2024, 3, 1), kind="KHIEN_TRACH", months=6)
    ev = h.evaluate(2025)
    for title in ("LDTT", "CSTDCS", "GK", "BK_TINH"):
        v = verdict(ev, p, title)
        assert v.eligible and v.passed("no_pending_case"), title


def test_r2024_pending_case_is_not_a_condition(h, unit):
    """Before 01/07/2025 (Nghị định 98/2023) there is no pending-case rule."""
    p = h.person(unit)
    h.rate(p, {2024: "HTXSNV"})
    h.pending(p, D(2024, 11, 3))
    v = h.verdict(2024, p, "LDTT")
    assert v.eligible and "no_pending_case" not in v.codes


# CSTĐCS --------------------------------------------------------------------------------------


def test_cstdcs_r2024_htxsnv_alone_passes(h, unit):
    """Điều 23 Luật TĐKT 2022: LĐTT and (HTXSNV or an initiative or topic): HTXSNV suffices."""
    p = h.person(unit)
    h.rate(p, {2024: "HTXSNV"})
    v = h.verdict(2024, p, "CSTDCS")
    assert v.eligible
    assert v.passed("ldtt_in_year") and v.passed("excellence")
    assert "HTXSNV" in v.message("excellence") and v.message("excellence").endswith(OK)


def test_cstdcs_r2017_htxsnv_alone_refused_needs_initiative(h, unit):
    """Điều 23 Luật TĐKT 2003, Nghị định 91/2017: an initiative or accepted topic is mandatory."""
    p = h.person(unit)
    h.rate(p, {2023: "HTXSNV"})
    v = h.verdict(2023, p, "CSTDCS")
    assert not v.eligible
    assert v.passed("ldtt_in_year") and not v.passed("initiative")
    assert has_numbers(v.message("initiative"), 0, 2023)


@pytest.mark.parametrize("kind", ["SANG_KIEN", "DE_TAI"])
def test_cstdcs_r2017_initiative_or_topic_passes(h, unit, kind):
    """Điều 23 Luật TĐKT 2003: an initiative recognised at unit level, or an accepted topic."""
    p = h.person(unit)
    h.rate(p, {2023: "HTTNV"})
    h.initiative(p, 2023, kind=kind)
    v = h.verdict(2023, p, "CSTDCS")
    assert v.eligible and v.passed("initiative")


def test_cstdcs_r2024_httnv_with_initiative_passes_without_refused(h, unit):
    """Điều 23 Luật TĐKT 2022: HTTNV needs a recognised initiative or topic of the year."""
    with_ini, without = h.people(unit, 2)
    h.rate(with_ini, {2024: "HTTNV"})
    h.rate(without, {2024: "HTTNV"})
    h.initiative(with_ini, 2024)
    h.initiative(without, 2023)  # last year's initiative is not this year's
    ev = h.evaluate(2024)
    assert verdict(ev, with_ini, "CSTDCS").eligible
    refused = verdict(ev, without, "CSTDCS")
    assert not refused.eligible and not refused.passed("excellence")


def test_cstdcs_needs_ldtt_of_the_year(h, unit):
    """Điều 23.1 Luật TĐKT 2022: CSTĐCS is chosen among those who are LĐTT."""
    p = h.person(unit)
    h.rate(p, {2024: "HTXSNV"}, self_reliant=False)
    h.initiative(p, 2024)
    v = h.verdict(2024, p, "CSTDCS")
    assert not v.eligible
    assert not v.passed("ldtt_in_year") and v.passed("excellence")
    assert "2024" in v.message("ldtt_in_year") and v.message("ldtt_in_year").endswith(KO)


# CSTĐ cấp tỉnh -------------------------------------------------------------------------------


def _cstdcs_years(h, person, years) -> None:
    for year in years:
        h.award(person, year, "CSTDCS")


def test_cstd_tinh_three_years_and_province_initiative_passes(h, unit):
    """Điều 22 Luật TĐKT 2022: CSTĐCS 3 times in a row and an initiative of province scope."""
    p = h.person(unit)
    _cstdcs_years(h, p, [2022, 2023])
    h.rate(p, {2024: "HTXSNV"})  # CSTĐCS 2024 from the rating itself
    h.initiative(p, 2023, scope="BO_TINH")
    v = h.verdict(2024, p, "CSTD_TINH")
    assert v.eligible
    assert chain(v.message("cstdcs_3_years")) == {2022: OK, 2023: OK, 2024: OK}
    assert "CSTĐCS" in v.message("cstdcs_3_years")
    assert has_numbers(v.message("initiative_province"), 1, 2022, 2024)


def test_cstd_tinh_broken_run_refused_message_shows_broken_year(h, unit):
    """Điều 22 Luật TĐKT 2022: "03 lần liên tục" — CSTĐCS 2022 ✓, 2023 ✗, 2024 ✓ is no run."""
    p = h.person(unit)
    _cstdcs_years(h, p, [2021, 2022])
    h.rate(p, {2023: "HTTNV", 2024: "HTXSNV"})
    h.initiative(p, 2024, scope="BO_TINH")
    v = h.verdict(2024, p, "CSTD_TINH")
    assert not v.eligible
    assert not v.passed("cstdcs_3_years") and v.passed("initiative_province")
    assert chain(v.message("cstdcs_3_years")) == {2022: OK, 2023: KO, 2024: OK}


def test_cstd_tinh_unit_level_initiative_not_enough(h, unit):
    """Điều 22 Luật TĐKT 2022: the initiative must reach province or ministry scope."""
    p = h.person(unit)
    _cstdcs_years(h, p, [2022, 2023, 2024])
    h.rate(p, {2024: "HTXSNV"})
    h.initiative(p, 2023, scope="CO_SO")
    h.initiative(p, 2021, scope="BO_TINH")  # before the three years: does not count
    v = h.verdict(2024, p, "CSTD_TINH")
    assert v.passed("cstdcs_3_years") and not v.passed("initiative_province")
    assert not v.eligible


def test_cstd_tinh_revoked_cstdcs_does_not_count(h, unit):
    """Điều 22 Luật TĐKT 2022 reads titles in force: a revoked CSTĐCS (Điều 94) breaks the run."""
    p = h.person(unit)
    h.award(p, 2022, "CSTDCS")
    h.award(p, 2023, "CSTDCS", status=AwardStatus.REVOKED)
    h.rate(p, {2024: "HTXSNV"})
    h.initiative(p, 2024, scope="BO_TINH")
    v = h.verdict(2024, p, "CSTD_TINH")
    assert not v.eligible
    assert chain(v.message("cstdcs_3_years")) == {2022: OK, 2023: KO, 2024: OK}


def test_cstd_tinh_run_follows_person_across_transfer(h):
    """Điều 22 Luật TĐKT 2022: the run is the person's, whatever unit they were in each year."""
    division, branch = h.unit("PQLDD"), h.unit("CN_CL")
    p = h.person(division)
    _cstdcs_years(h, p, [2022, 2023])
    h.transfer(p, branch, on=D(2023, 7, 1))
    h.rate(p, {2024: "HTXSNV"})
    h.initiative(p, 2022, scope="BO_TINH")
    ev = h.evaluate(2024)
    v = verdict(ev, p, "CSTD_TINH")
    assert v.eligible
    assert v.unit_id == branch.pk
    assert chain(v.message("cstdcs_3_years")) == {2022: OK, 2023: OK, 2024: OK}


# CSTĐ toàn quốc ------------------------------------------------------------------------------


def test_cstd_tq_twice_provincial_and_national_initiative_passes(h, unit):
    """Điều 21 Luật TĐKT 2022: CSTĐ tỉnh twice in a row and an initiative of national scope."""
    p = h.person(unit)
    h.award(p, 2021, "CSTD_TINH")
    h.award(p, 2024, "CSTD_TINH")
    h.initiative(p, 2022, scope="TOAN_QUOC")
    v = h.verdict(2024, p, "CSTD_TQ")
    assert v.eligible
    message = v.message("cstd_tinh_twice")
    assert "2021 ✓" in message and "2024 ✓" in message


def test_cstd_tq_once_refused(h, unit):
    """Điều 21 Luật TĐKT 2022: one CSTĐ tỉnh is not two in a row."""
    p = h.person(unit)
    h.award(p, 2024, "CSTD_TINH")
    h.initiative(p, 2023, scope="TOAN_QUOC")
    v = h.verdict(2024, p, "CSTD_TQ")
    assert not v.eligible and not v.passed("cstd_tinh_twice")
    assert "2021 ✗" in v.message("cstd_tinh_twice")


def test_cstd_tq_province_scope_initiative_refused(h, unit):
    """Điều 21 Luật TĐKT 2022: a province-scope initiative is not national scope."""
    p = h.person(unit)
    h.award(p, 2021, "CSTD_TINH")
    h.award(p, 2024, "CSTD_TINH")
    h.initiative(p, 2023, scope="BO_TINH")
    v = h.verdict(2024, p, "CSTD_TQ")
    assert not v.eligible and not v.passed("initiative_national")


def test_cstd_tq_national_initiative_before_the_two_periods_refused(h, unit):
    """Điều 21 Luật TĐKT 2022: the initiative is one of the two CSTĐ tỉnh periods (2019–2024).

    CSTĐ tỉnh 2021 covers CSTĐCS 2019–2021, CSTĐ tỉnh 2024 covers 2022–2024; an initiative of
    2018 was achieved before either and cannot support the national title.
    """
    early, inside = h.people(unit, 2)
    for p in (early, inside):
        h.award(p, 2021, "CSTD_TINH")
        h.award(p, 2024, "CSTD_TINH")
    h.initiative(early, 2018, scope="TOAN_QUOC")
    h.initiative(inside, 2019, scope="TOAN_QUOC")
    ev = h.evaluate(2024)
    assert not verdict(ev, early, "CSTD_TQ").passed("initiative_national")
    assert verdict(ev, inside, "CSTD_TQ").eligible


# Giấy khen -----------------------------------------------------------------------------------


def test_gk_needs_rating_and_confirmed_achievement_by_default(h, unit):
    """Điều 75.2 Luật TĐKT 2022: criteria set by the province; default HTTNV + an achievement."""
    achiever, plain, weak = h.people(unit, 3)
    h.rate(achiever, {2024: "HTTNV"})
    h.rate(plain, {2024: "HTTNV"})
    h.rate(weak, {2024: "HTNV"})
    h.achievement(achiever, 2024, kind=Achievement.Kind.AD_HOC)
    h.achievement(weak, 2024)
    h.achievement(plain, 2023)  # last year's achievement
    ev = h.evaluate(2024)
    assert verdict(ev, achiever, "GK").eligible
    assert not verdict(ev, plain, "GK").eligible
    assert not verdict(ev, plain, "GK").passed("achievement")
    assert not verdict(ev, weak, "GK").eligible
    assert not verdict(ev, weak, "GK").passed("rating")


def test_gk_without_achievement_setting_rating_suffices(h, unit):
    """Điều 75.2 Luật TĐKT 2022: a province may drop the achievement (gk_needs_achievement)."""
    p = h.person(unit)
    h.rate(p, {2024: "HTTNV"})
    v = h.verdict(2024, p, "GK", gk_needs_achievement=False)
    assert v.eligible and v.codes == ["rating"]


# Bằng khen cấp tỉnh (cá nhân) ----------------------------------------------------------------


def _bk_branches(v) -> dict[str, bool]:
    return {
        code: v.passed(code)
        for code in ("cstdcs_2_years", "htxsnv_2_years_2_initiatives", "recognised_achievement")
    }


def test_bk_tinh_branch_d_cstdcs_two_years_alone_passes(h, unit):
    """Điều 74.1.d Luật TĐKT 2022: CSTĐCS 2 years in a row suffices alone."""
    p = h.person(unit)
    h.award(p, 2023, "CSTDCS")
    h.rate(p, {2023: "HTTNV", 2024: "HTTNV"})
    h.initiative(p, 2024)  # CSTĐCS 2024 from HTTNV + initiative: one initiative, not two
    v = h.verdict(2024, p, "BK_TINH")
    assert v.eligible
    assert _bk_branches(v) == {
        "cstdcs_2_years": True,
        "htxsnv_2_years_2_initiatives": False,
        "recognised_achievement": False,
    }
    assert chain(v.message("cstdcs_2_years")) == {2023: OK, 2024: OK}


def test_bk_tinh_branch_d_htxsnv_two_years_two_initiatives_alone_passes(h, unit):
    """Điều 74.1.d Luật TĐKT 2022: 2 years HTXSNV with 2 unit-level initiatives in them."""
    p = h.person(unit)
    h.rate(p, {2023: "HTXSNV", 2024: "HTXSNV"})
    h.initiative(p, 2023)
    h.initiative(p, 2024, kind="DE_TAI")
    v = h.verdict(2024, p, "BK_TINH")
    assert v.eligible
    assert _bk_branches(v) == {
        "cstdcs_2_years": False,  # no CSTĐCS was awarded for 2023
        "htxsnv_2_years_2_initiatives": True,
        "recognised_achievement": False,
    }
    message = v.message("htxsnv_2_years_2_initiatives")
    assert chain(message) == {2023: OK, 2024: OK}
    assert "HTXSNV" in message and has_numbers(message, 2023, 2024, 2)


def test_bk_tinh_branch_d_one_initiative_refused(h, unit):
    """Điều 74.1.d Luật TĐKT 2022: two years HTXSNV with one initiative is not enough."""
    p = h.person(unit)
    h.rate(p, {2023: "HTXSNV", 2024: "HTXSNV"})
    h.initiative(p, 2024)
    v = h.verdict(2024, p, "BK_TINH")
    assert not v.eligible
    assert not any(_bk_branches(v).values())


def test_bk_tinh_branch_a_c_recognised_achievement_alone_passes(h, unit):
    """Điều 74.1.a–c Luật TĐKT 2022: an achievement the officer recognises suffices alone."""
    p = h.person(unit)
    h.rate(p, {2024: "HTTNV"})
    h.achievement(p, 2024, kind=Achievement.Kind.RECOGNISED)
    v = h.verdict(2024, p, "BK_TINH")
    assert v.eligible
    assert _bk_branches(v) == {
        "cstdcs_2_years": False,
        "htxsnv_2_years_2_initiatives": False,
        "recognised_achievement": True,
    }


def test_bk_tinh_movement_achievement_is_not_a_recognised_one(h, unit):
    """Điều 74.1.a–c Luật TĐKT 2022: a GK-level achievement is not recognised for a Bằng khen."""
    p = h.person(unit)
    h.rate(p, {2024: "HTTNV"})
    h.achievement(p, 2024, kind=Achievement.Kind.MOVEMENT)
    v = h.verdict(2024, p, "BK_TINH")
    assert not v.eligible and not v.passed("recognised_achievement")


def test_bk_tinh_r2025_branch_still_needs_no_pending_case(h, unit):
    """Nghị định 152/2025 Điều 4 applies to the alternative-branch form too."""
    p = h.person(unit)
    h.rate(p, {2025: "HTTNV"})
    h.achievement(p, 2025, kind=Achievement.Kind.RECOGNISED)
    h.pending(p, D(2025, 12, 1), kind="COMPLAINT")
    v = h.verdict(2025, p, "BK_TINH")
    assert v.passed("recognised_achievement")
    assert not v.eligible


# Bằng khen Thủ tướng -------------------------------------------------------------------------


def _bk_ttg_2024(h, person, *, bk=True, levels=None, cstdcs=(2020, 2022)) -> None:
    if bk:
        h.award(person, 2019, "BK_TINH")
    h.rate(
        person,
        levels or {2020: "HTTNV", 2021: "HTTNV", 2022: "HTTNV", 2023: "HTTNV", 2024: "HTXSNV"},
    )
    for year in cstdcs:
        h.award(person, year, "CSTDCS")


def test_bk_ttg_r2024_bk_five_good_years_three_cstdcs_passes(h, unit):
    """Điều 73.1.b Luật TĐKT 2022: a BK, 5 years ≥ HTTNV, 3 CSTĐCS in them (2024 the third)."""
    p = h.person(unit)
    _bk_ttg_2024(h, p)
    v = h.verdict(2024, p, "BK_TTG")
    assert v.eligible
    assert chain(v.message("good_5_years")) == dict.fromkeys(range(2020, 2025), OK)
    assert has_numbers(v.message("cstdcs_3_in_5"), 3, 2020, 2024)


def test_bk_ttg_r2024_without_bk_refused(h, unit):
    """Điều 73.1.b Luật TĐKT 2022: the person must already hold a Bằng khen cấp bộ/tỉnh."""
    p = h.person(unit)
    _bk_ttg_2024(h, p, bk=False)
    v = h.verdict(2024, p, "BK_TTG")
    assert not v.eligible and not v.passed("holds_bk_tinh")


def test_bk_ttg_r2024_revoked_bk_does_not_count(h, unit):
    """Điều 73.1.b Luật TĐKT 2022 reads the Bằng khen in force only."""
    p = h.person(unit)
    _bk_ttg_2024(h, p, bk=False)
    h.award(p, 2019, "BK_TINH", status=AwardStatus.REVOKED)
    assert not h.verdict(2024, p, "BK_TTG").passed("holds_bk_tinh")


def test_bk_ttg_r2024_one_htnv_year_breaks_the_five(h, unit):
    """Điều 73.1.b Luật TĐKT 2022: "05 năm liên tục" HTTNV or better — 2022 HTNV breaks it."""
    p = h.person(unit)
    levels = {2020: "HTTNV", 2021: "HTTNV", 2022: "HTNV", 2023: "HTTNV", 2024: "HTXSNV"}
    _bk_ttg_2024(h, p, levels=levels, cstdcs=(2020, 2021, 2023))
    v = h.verdict(2024, p, "BK_TTG")
    assert not v.eligible and not v.passed("good_5_years")
    marks = chain(v.message("good_5_years"))
    assert marks[2022] == KO and marks[2021] == OK and marks[2023] == OK


def test_bk_ttg_r2024_two_cstdcs_refused(h, unit):
    """Điều 73.1.b Luật TĐKT 2022: three CSTĐCS in the five years; two are not enough."""
    p = h.person(unit)
    levels = dict.fromkeys(range(2020, 2025), "HTTNV")
    _bk_ttg_2024(h, p, levels=levels, cstdcs=(2020, 2022))
    v = h.verdict(2024, p, "BK_TTG")
    assert not v.eligible and not v.passed("cstdcs_3_in_5")
    assert has_numbers(v.message("cstdcs_3_in_5"), 2)


def test_bk_ttg_r2017_five_htxsnv_years_and_five_initiatives(h, unit):
    """Nghị định 91/2017 (Điều 71.1.b Luật TĐKT 2003): BK, 5 years HTXSNV, 5 initiatives."""
    full, short, good_year = h.people(unit, 3)
    for p in (full, short, good_year):
        h.award(p, 2018, "BK_TINH")
        h.rate_years(p, "HTXSNV", range(2019, 2024))
    Rating.objects.filter(person=good_year, year=2021).update(level="HTTNV")
    for year in range(2019, 2024):
        h.initiative(full, year)
        h.initiative(good_year, year)
    for year in range(2019, 2023):
        h.initiative(short, year)
    ev = h.evaluate(2023)
    assert ev.regime == "R2017"
    assert verdict(ev, full, "BK_TTG").eligible
    assert verdict(ev, full, "BK_TTG").codes == ["holds_bk_tinh", "htxsnv_5_years", "initiatives_5"]
    refused = verdict(ev, short, "BK_TTG")
    assert not refused.eligible and not refused.passed("initiatives_5")
    assert has_numbers(refused.message("initiatives_5"), 4, 5)
    broken = verdict(ev, good_year, "BK_TTG")
    assert not broken.eligible and chain(broken.message("htxsnv_5_years"))[2021] == KO
