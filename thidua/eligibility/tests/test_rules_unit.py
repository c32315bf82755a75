"""Titles and forms of collectives (units), each rule from a worked example of the legal text.

A unit's members are the people in it on the review date (org.Membership); their LĐTT and
CSTĐCS are those the engine finds eligible in the same evaluation, or already recorded.
"""

import pytest

from thidua.eligibility.tests.conftest import KO, OK, D, chain, has_numbers, verdict
from thidua.org.models import Membership


def staff(h, unit, year: int, levels: dict[str, int]) -> list:
    """Members of `unit` rated in `year`: {"HTTNV": 7, "HTNV": 3} → 10 people."""
    people = []
    for level, n in levels.items():
        for p in h.people(unit, n):
            h.rate(p, {year: level})
            people.append(p)
    return people


# TTLĐTT --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ldtt", "others", "eligible"), [(7, 3, True), (6, 3, False), (9, 0, True)]
)
def test_ttldtt_r2024_at_least_70_percent_ldtt(h, unit, ldtt, others, eligible):
    """Điều 28 Luật TĐKT 2022 (agency setting, default 70%): exactly 7 of 10 LĐTT passes."""
    h.rate(unit, {2024: "HTTNV"})
    staff(h, unit, 2024, {"HTTNV": ldtt, "HTNV": others})
    v = h.verdict(2024, unit, "TTLDTT")
    assert v.eligible is eligible
    assert v.passed("members_ldtt") is eligible
    share = round(ldtt * 100 / (ldtt + others), 1)
    assert has_numbers(v.message("members_ldtt"), ldtt, ldtt + others, share, 70)
    assert v.message("members_ldtt").endswith(OK if eligible else KO)


@pytest.mark.parametrize(("ldtt", "others", "eligible"), [(1, 1, False), (2, 1, True)])
def test_ttldtt_r2017_more_than_half_ldtt(h, unit, ldtt, others, eligible):
    """Điều 28 Luật TĐKT 2003: "trên 50%" LĐTT — exactly 50% fails, 2 of 3 passes."""
    h.rate(unit, {2023: "HTTNV"})
    staff(h, unit, 2023, {"HTTNV": ldtt, "HTNV": others})
    v = h.verdict(2023, unit, "TTLDTT")
    assert v.eligible is eligible and v.passed("members_ldtt") is eligible
    assert has_numbers(v.message("members_ldtt"), ldtt, ldtt + others, 50)


def test_ttldtt_r2024_setting_raises_the_share(h, unit):
    """Điều 28 Luật TĐKT 2022: the share is the province's (setting ttldtt_ldtt_percent)."""
    h.rate(unit, {2024: "HTTNV"})
    staff(h, unit, 2024, {"HTTNV": 7, "HTNV": 3})
    assert h.verdict(2024, unit, "TTLDTT").eligible
    v = h.verdict(2024, unit, "TTLDTT", ttldtt_ldtt_percent=80)
    assert not v.eligible and has_numbers(v.message("members_ldtt"), 7, 10, 70, 80)


def test_ttldtt_share_just_below_the_setting_refused(h, unit):
    """Điều 28 Luật TĐKT 2022: "ít nhất" is exact — 17 of 21 is 80.95%, below a setting of 81%.

    The share shown is rounded to one decimal (81.0); the comparison must not be.
    """
    h.rate(unit, {2024: "HTTNV"})
    staff(h, unit, 2024, {"HTTNV": 17, "HTNV": 4})
    v = h.verdict(2024, unit, "TTLDTT", ttldtt_ldtt_percent=81)
    assert not v.passed("members_ldtt") and not v.eligible
    assert h.verdict(2024, unit, "TTLDTT", ttldtt_ldtt_percent=80).eligible


def test_ttldtt_unit_rating_below_httnv_refused(h, unit):
    """Điều 28 Luật TĐKT 2022: the unit itself must complete its duties well (HTTNV)."""
    h.rate(unit, {2024: "HTNV"})
    staff(h, unit, 2024, {"HTTNV": 3})
    v = h.verdict(2024, unit, "TTLDTT")
    assert not v.eligible and not v.passed("rating") and v.passed("members_ldtt")
    assert "2024" in v.message("rating") and "HTNV" in v.message("rating")


@pytest.mark.parametrize(("kind", "eligible"), [("CANH_CAO", False), ("KHIEN_TRACH", True)])
def test_ttldtt_member_warned_in_year_refused(h, unit, kind, eligible):
    """Điều 28 Luật TĐKT 2022: no member disciplined with cảnh cáo or heavier in the year."""
    h.rate(unit, {2024: "HTTNV"})
    members = staff(h, unit, 2024, {"HTTNV": 4, "KHTNV": 1})
    h.discipline(members[-1], D(2024, 4, 2), kind=kind)
    v = h.verdict(2024, unit, "TTLDTT", ttldtt_ldtt_percent=80)
    assert v.eligible is eligible
    assert v.passed("no_member_warned") is eligible
    assert has_numbers(v.message("no_member_warned"), 0 if eligible else 1, 2024)


def test_ttldtt_counts_recorded_ldtt(h, unit):
    """Điều 28 Luật TĐKT 2022: an LĐTT already decided for the year counts as one."""
    h.rate(unit, {2024: "HTTNV"})
    decided, rated = h.people(unit, 2)
    h.award(decided, 2024, "LDTT")
    h.rate(rated, {2024: "HTTNV"})
    v = h.verdict(2024, unit, "TTLDTT")
    assert v.eligible and has_numbers(v.message("members_ldtt"), 2, 2)


def test_ttldtt_members_are_those_on_the_review_date(h):
    """Điều 28 Luật TĐKT 2022: the collective's members at the assessment (org.Membership).

    One leaves the division for a branch in June 2024 and one joins it in May: the division is
    judged on the members it has on 31/12/2024.
    """
    division, branch = h.unit("PQLDD"), h.unit("CN_VL")
    for u in (division, branch):
        h.rate(u, {2024: "HTTNV"})
    staff(h, division, 2024, {"HTTNV": 2})
    leaves = staff(h, division, 2024, {"HTNV": 1})[0]
    joins = staff(h, branch, 2024, {"HTTNV": 1})[0]
    h.transfer(leaves, branch, on=D(2024, 6, 1))
    h.transfer(joins, division, on=D(2024, 5, 1))
    ev = h.evaluate(2024)
    assert verdict(ev, division, "TTLDTT").eligible  # 3 of 3
    assert has_numbers(verdict(ev, division, "TTLDTT").message("members_ldtt"), 3, 3, 100)
    assert not verdict(ev, branch, "TTLDTT").eligible  # 0 of 1
    assert verdict(ev, leaves, "LDTT").unit_id == branch.pk


# TTLĐXS --------------------------------------------------------------------------------------


def _excellent_unit(h, unit, year: int) -> list:
    """10 members: 1 HTXSNV (CSTĐCS under R2024), 6 HTTNV, 3 HTNV → 7 LĐTT, all ≥ HTNV."""
    h.rate(unit, {year: "HTXSNV"})
    return staff(h, unit, year, {"HTXSNV": 1, "HTTNV": 6, "HTNV": 3})


def test_ttldxs_all_conditions_pass(h, unit):
    """Điều 27 Luật TĐKT 2022: HTXSNV; 100% ≥ HTNV; ≥ 70% LĐTT; at least one CSTĐCS."""
    _excellent_unit(h, unit, 2024)
    v = h.verdict(2024, unit, "TTLDXS")
    assert v.eligible
    assert v.codes == ["rating", "members_htnv", "members_ldtt_70", "member_cstdcs"]
    assert has_numbers(v.message("members_htnv"), 10, 10)
    assert has_numbers(v.message("members_ldtt_70"), 7, 10, 70, 70)
    assert has_numbers(v.message("member_cstdcs"), 1)


def test_ttldxs_one_member_not_completing_refused(h, unit):
    """Điều 27.c Luật TĐKT 2022: 100% of members complete their duties — one KHTNV fails it."""
    _excellent_unit(h, unit, 2024)
    staff(h, unit, 2024, {"KHTNV": 1})
    v = h.verdict(2024, unit, "TTLDXS")
    assert not v.eligible and not v.passed("members_htnv")
    assert has_numbers(v.message("members_htnv"), 10, 11)


def test_ttldxs_without_cstdcs_refused(h, unit):
    """Điều 27.d Luật TĐKT 2022: at least one member CSTĐCS."""
    h.rate(unit, {2024: "HTXSNV"})
    staff(h, unit, 2024, {"HTTNV": 7, "HTNV": 3})
    v = h.verdict(2024, unit, "TTLDXS")
    assert not v.eligible and not v.passed("member_cstdcs")
    assert v.passed("members_ldtt_70") and v.passed("members_htnv")


def test_ttldxs_below_70_percent_ldtt_refused(h, unit):
    """Điều 27.c Luật TĐKT 2022: at least 70% LĐTT — 6 of 10 fails."""
    h.rate(unit, {2024: "HTXSNV"})
    staff(h, unit, 2024, {"HTXSNV": 1, "HTTNV": 5, "HTNV": 4})
    v = h.verdict(2024, unit, "TTLDXS")
    assert not v.eligible and not v.passed("members_ldtt_70")
    assert has_numbers(v.message("members_ldtt_70"), 6, 10, 60)


def test_ttldxs_unit_rated_httnv_refused(h, unit):
    """Điều 27.a Luật TĐKT 2022: the collective itself completes its duties excellently."""
    h.rate(unit, {2024: "HTTNV"})
    staff(h, unit, 2024, {"HTXSNV": 1, "HTTNV": 6})
    v = h.verdict(2024, unit, "TTLDXS")
    assert not v.eligible and not v.passed("rating")


def test_ttldxs_member_warned_refuses_under_r2017_only(h):
    """Điều 27 Luật TĐKT 2003 adds "no member disciplined with cảnh cáo or heavier"."""
    old, new = h.unit("P2023"), h.unit("P2024")
    for u, year in ((old, 2023), (new, 2024)):
        members = _excellent_unit(h, u, year)
        h.initiative(members[0], year)  # CSTĐCS under R2017 needs the initiative
        h.discipline(members[-1], D(year, 3, 15), kind="CANH_CAO")
    refused = h.verdict(2023, old, "TTLDXS")
    assert not refused.eligible and not refused.passed("no_member_warned")
    assert refused.passed("member_cstdcs")
    accepted = h.verdict(2024, new, "TTLDXS")
    assert accepted.eligible and "no_member_warned" not in accepted.codes


def test_ttldxs_r2017_htxsnv_member_without_initiative_is_no_cstdcs(h, unit):
    """Điều 23 Luật TĐKT 2003: under R2017 an HTXSNV member without initiative is no CSTĐCS."""
    _excellent_unit(h, unit, 2023)
    v = h.verdict(2023, unit, "TTLDXS")
    assert not v.eligible and not v.passed("member_cstdcs")


# Bằng khen cấp tỉnh (tập thể) ----------------------------------------------------------------


def test_bk_tinh_unit_two_years_htxsnv_passes(h, unit):
    """Điều 74 Luật TĐKT 2022: 2 consecutive years HTXSNV (or TTLĐXS)."""
    h.rate(unit, {2023: "HTXSNV", 2024: "HTXSNV"})
    v = h.verdict(2024, unit, "BK_TINH")
    assert v.eligible
    assert chain(v.message("excellent_2_years")) == {2023: OK, 2024: OK}


def test_bk_tinh_unit_ttldxs_award_counts_for_a_year(h, unit):
    """Điều 74 Luật TĐKT 2022: TTLĐXS 2023 (recorded) then HTXSNV 2024 is two years."""
    h.award(unit, 2023, "TTLDXS")
    h.rate(unit, {2024: "HTXSNV"})
    v = h.verdict(2024, unit, "BK_TINH")
    assert v.eligible
    assert "TTLĐXS" in v.message("excellent_2_years")
    assert chain(v.message("excellent_2_years")) == {2023: OK, 2024: OK}


def test_bk_tinh_unit_one_year_short_refused(h, unit):
    """Điều 74 Luật TĐKT 2022: HTTNV 2023 then HTXSNV 2024 is not two years in a row."""
    h.rate(unit, {2023: "HTTNV", 2024: "HTXSNV"})
    v = h.verdict(2024, unit, "BK_TINH")
    assert not v.eligible
    assert chain(v.message("excellent_2_years")) == {2023: KO, 2024: OK}
    assert "HTTNV" in v.message("excellent_2_years")


def test_bk_tinh_unit_revoked_ttldxs_does_not_count(h, unit):
    """Điều 74 Luật TĐKT 2022 reads titles in force: a revoked TTLĐXS is no year."""
    h.award(unit, 2023, "TTLDXS", status="REVOKED")
    h.rate(unit, {2024: "HTXSNV"})
    v = h.verdict(2024, unit, "BK_TINH")
    assert not v.eligible and chain(v.message("excellent_2_years"))[2023] == KO


# Giấy khen (tập thể) -------------------------------------------------------------------------


def test_gk_unit_with_and_without_achievement_setting(h, unit):
    """Điều 75.2 Luật TĐKT 2022: default HTTNV + a confirmed achievement; a setting drops it."""
    other = h.unit("PKHTC")
    for u in (unit, other):
        h.rate(u, {2024: "HTTNV"})
    h.achievement(unit, 2024)
    ev = h.evaluate(2024)
    assert verdict(ev, unit, "GK").eligible
    assert not verdict(ev, other, "GK").eligible
    assert not verdict(ev, other, "GK").passed("achievement")
    relaxed = h.evaluate(2024, gk_needs_achievement=False)
    assert verdict(relaxed, other, "GK").eligible
    assert verdict(relaxed, other, "GK").codes == ["rating"]


def test_transfer_on_the_review_date_counts_the_person_in_the_new_unit(h):
    """Điều 28 Luật TĐKT 2022 counts the collective's members: a person is a member of one unit.

    A same-day transfer on 31/12/2024 leaves two memberships covering that day (the old one
    ending, the new one starting); the person belongs to the new unit whatever order the
    memberships were entered in.
    """
    division, branch = h.unit("PQLDD"), h.unit("CN_BS")
    p = h.person(division)
    h.rate(p, {2024: "HTTNV"})
    for u in (division, branch):
        h.rate(u, {2024: "HTTNV"})
    Membership.objects.filter(person=p).delete()
    Membership.objects.create(person=p, unit=branch, start=D(2024, 12, 31))
    Membership.objects.create(person=p, unit=division, start=D(2010, 3, 1), end=D(2024, 12, 31))
    ev = h.evaluate(2024)
    assert verdict(ev, p, "LDTT").unit_id == branch.pk
    assert verdict(ev, branch, "TTLDTT").eligible
    assert has_numbers(verdict(ev, division, "TTLDTT").message("members_ldtt"), 0, 0)
