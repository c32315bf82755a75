"""The regime in force on the review date decides which rules apply (domain.md, "regime" table).

R2017: 01/10/2017–31/12/2023 (Luật TĐKT 2003/2013 + Nghị định 91/2017); R2024: 01/01/2024–
30/06/2025 (Luật TĐKT 06/2022 + Nghị định 98/2023 + Thông tư 01/2024); R2025: from 01/07/2025
(+ Nghị định 152/2025, which replaces 98/2023).
"""

import pytest

from thidua.eligibility.catalogue import PERSON_TITLES, regime_on, review_date_for
from thidua.eligibility.tests.conftest import KO, OK, D, verdict


@pytest.mark.parametrize(
    ("day", "regime"),
    [
        (D(2016, 12, 31), "R2017"),  # before 01/10/2017: the oldest known regime
        (D(2017, 10, 1), "R2017"),
        (D(2023, 12, 31), "R2017"),
        (D(2024, 1, 1), "R2024"),  # Luật 06/2022/QH15 Điều 96: in force from 01/01/2024
        (D(2025, 6, 30), "R2024"),
        (D(2025, 7, 1), "R2025"),  # Nghị định 152/2025: in force from 01/07/2025
        (D(2030, 12, 31), "R2025"),
    ],
)
def test_regime_on_boundaries(day, regime):
    """Each regime from its first day in force to the eve of the next one."""
    assert regime_on(day).code == regime


@pytest.mark.parametrize(
    ("year", "regime"), [(2021, "R2017"), (2023, "R2017"), (2024, "R2024"), (2025, "R2025")]
)
def test_evaluation_regime_follows_default_review_date(h, year, regime):
    """The default review date is 31 December of the assessed year."""
    assert review_date_for(year) == D(year, 12, 31)
    ev = h.evaluate(year)
    assert ev.regime == regime and ev.review == D(year, 12, 31)


def test_same_person_2023_and_2024_differ_on_cstdcs(h, unit):
    """Điều 23: Luật 2003 needs an initiative for CSTĐCS; Luật 2022 accepts HTXSNV instead.

    The same person, rated HTXSNV in 2023 and in 2024 with no initiative: refused for 2023,
    accepted for 2024.
    """
    p = h.person(unit)
    h.rate(p, {2023: "HTXSNV", 2024: "HTXSNV"})
    v2023 = h.verdict(2023, p, "CSTDCS")
    v2024 = h.verdict(2024, p, "CSTDCS")
    assert not v2023.eligible and v2023.codes == ["ldtt_in_year", "initiative"]
    assert v2024.eligible and v2024.codes == ["ldtt_in_year", "excellence"]


def test_round_review_date_in_2024_applies_r2024_to_year_2023(h, unit):
    """A round may set the review date: a 2023 year reviewed on 15/01/2024 follows R2024.

    Recruited 01/04/2023 (9 months): refused under Nghị định 91/2017 (10 months), accepted
    under Thông tư 01/2024 Điều 1.5 (6 months).
    """
    p = h.person(unit, recruited_on=D(2023, 4, 1))
    h.rate(p, {2023: "HTTNV"}, months=9)
    at_year_end = h.evaluate(2023)
    in_january = h.evaluate(2023, review=D(2024, 1, 15))
    assert at_year_end.regime == "R2017" and in_january.regime == "R2024"
    assert not verdict(at_year_end, p, "LDTT").eligible
    assert verdict(in_january, p, "LDTT").eligible


def test_round_review_date_before_july_2025_has_no_pending_case_rule(h, unit):
    """Nghị định 152/2025 Điều 4 applies from 01/07/2025 only."""
    p = h.person(unit)
    h.rate(p, {2025: "HTTNV"})
    h.pending(p, D(2025, 5, 1))
    early = h.evaluate(2025, review=D(2025, 6, 30))
    late = h.evaluate(2025)
    assert early.regime == "R2024" and late.regime == "R2025"
    assert verdict(early, p, "LDTT").eligible
    assert not verdict(late, p, "LDTT").eligible


def test_condition_codes_per_regime(h, unit):
    """The conditions of each title under each regime (domain.md table)."""
    p = h.person(unit)
    h.rate(p, {2023: "HTTNV", 2024: "HTTNV", 2025: "HTTNV"})
    codes = {year: verdict(h.evaluate(year), p, "LDTT").codes for year in (2023, 2024, 2025)}
    assert codes[2023] == ["rating", "self_reliant", "served_months", "no_discipline"]
    assert codes[2024] == ["rating", "self_reliant", "served_months"]
    assert codes[2025] == ["rating", "self_reliant", "served_months", "no_pending_case"]
    bk_ttg = {year: verdict(h.evaluate(year), p, "BK_TTG").codes for year in (2023, 2024)}
    assert bk_ttg[2023] == ["holds_bk_tinh", "htxsnv_5_years", "initiatives_5"]
    assert bk_ttg[2024] == ["holds_bk_tinh", "good_5_years", "cstdcs_3_in_5"]
    ev2025 = h.evaluate(2025)
    for title in PERSON_TITLES:
        assert verdict(ev2025, p, title).codes[-1] == "no_pending_case", title


def test_messages_cite_the_law_of_the_regime(h, unit):
    """Ratings are judged under Luật 2003 in 2023 and under Luật 06/2022 from 2024."""
    p = h.person(unit)
    h.rate(p, {2023: "HTTNV", 2024: "HTTNV"})
    old = verdict(h.evaluate(2023), p, "LDTT").message("rating")
    new = verdict(h.evaluate(2024), p, "LDTT").message("rating")
    assert "2003" in old and "2022" not in old
    assert "2022" in new and "2003" not in new


def test_unit_share_switches_from_half_to_seventy_percent(h, unit):
    """Điều 28: "trên 50%" LĐTT under Luật 2003, 70% (setting) under Luật 2022.

    Two of three members LĐTT (66.7%) in 2023 and again in 2024: accepted, then refused.
    """
    h.rate(unit, {2023: "HTTNV", 2024: "HTTNV"})
    for level in ("HTTNV", "HTTNV", "HTNV"):
        h.rate(h.person(unit), {2023: level, 2024: level})
    v2023 = h.verdict(2023, unit, "TTLDTT")
    v2024 = h.verdict(2024, unit, "TTLDTT")
    assert v2023.eligible and v2023.message("members_ldtt").endswith(OK)
    assert not v2024.eligible and v2024.message("members_ldtt").endswith(KO)
