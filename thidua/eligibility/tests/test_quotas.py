"""Quotas: limits computed per agency and per unit, rounded down.

- Rating: HTXSNV ≤ 20% (setting) of those rated HTTNV, or HTTNV and above (setting "base")
  (Nghị định 90/2020 amended by Nghị định 48/2023).
- CSTĐCS under R2017: ≤ 15% of the LĐTT, rounded down (Nghị định 91/2017 Điều 9.3); from 2024
  none unless the agency sets one.
"""

from thidua.eligibility.engine import evaluate
from thidua.eligibility.selectors import evaluate_agency
from thidua.eligibility.services import set_setting
from thidua.eligibility.tests.conftest import quota, verdict
from thidua.testing import UserFactory


def counts(ev, code: str, scope: str) -> tuple[int, int, int]:
    """(base, limit, used) of one quota row."""
    row = quota(ev, code, scope)
    return row["base"], row["limit"], row["used"]


def _ldtt_unit(h, code: str, year: int, n_ldtt: int, *, with_initiative: int = 0) -> list:
    """A unit whose `n_ldtt` members are LĐTT (HTTNV), the first ones with an initiative."""
    unit = h.unit(code)
    people = h.people(unit, n_ldtt)
    for i, p in enumerate(people):
        h.rate(p, {year: "HTTNV"})
        if i < with_initiative:
            h.initiative(p, year)
    return people


def test_cstdcs_quota_r2017_is_15_percent_of_ldtt_rounded_down(h):
    """Nghị định 91/2017 Điều 9.3: ⌊15% × LĐTT⌋ — 13 → 1, 20 → 3, 6 → 0; the agency 39 → 5."""
    _ldtt_unit(h, "P13", 2023, 13, with_initiative=2)
    _ldtt_unit(h, "P20", 2023, 20, with_initiative=1)
    six = _ldtt_unit(h, "P06", 2023, 6)
    h.rate(h.person(six[0].unit), {2023: "HTNV"})  # not LĐTT: not in the base
    ev = h.evaluate(2023)
    assert counts(ev, "CSTDCS", "P13") == (13, 1, 2)  # 1.95 → 1; two candidates for one place
    assert counts(ev, "CSTDCS", "P20") == (20, 3, 1)  # 3.0 exactly
    assert counts(ev, "CSTDCS", "P06") == (6, 0, 0)  # 0.9 → 0
    assert counts(ev, "CSTDCS", "AGENCY") == (39, 5, 3)  # 5.85 → 5
    agency = quota(ev, "CSTDCS", "AGENCY")
    assert agency["agency_id"] == h.agency.pk


def test_cstdcs_quota_r2024_none_unless_set(h):
    """Luật TĐKT 2022 sets no CSTĐCS ratio; an agency may (setting cstdcs_quota_percent)."""
    _ldtt_unit(h, "P20", 2024, 20, with_initiative=4)
    assert not [q for q in h.evaluate(2024).quotas if q["code"] == "CSTDCS"]
    ev = h.evaluate(2024, cstdcs_quota_percent=10)
    assert counts(ev, "CSTDCS", "P20") == (20, 2, 4)


def _rated_unit(h):
    """3 HTXSNV, 7 HTTNV, 2 HTNV, and the unit itself HTXSNV (not a person: not counted)."""
    unit = h.unit("PQLDD")
    h.rate(unit, {2024: "HTXSNV"})
    for level, n in (("HTXSNV", 3), ("HTTNV", 7), ("HTNV", 2)):
        for p in h.people(unit, n):
            h.rate(p, {2024: level})
    return unit


def test_rating_quota_base_httnv_or_above_by_default(h):
    """Nghị định 48/2023: HTXSNV ≤ 20% — base "HTTNV or above" (default): ⌊20% × 10⌋ = 2."""
    _rated_unit(h)
    assert counts(h.evaluate(2024), "RATING_HTXSNV", "PQLDD") == (10, 2, 3)


def test_rating_quota_base_httnv_only(h):
    """Nghị định 48/2023: base "HTTNV" only: ⌊20% × 7⌋ = ⌊1.4⌋ = 1."""
    _rated_unit(h)
    ev = h.evaluate(2024, rating_quota_base="HTTNV")
    assert counts(ev, "RATING_HTXSNV", "PQLDD") == (7, 1, 3)


def test_rating_quota_percent_setting(h):
    """The share is an agency setting: ⌊30% × 10⌋ = 3 for the agency."""
    _rated_unit(h)
    row = quota(h.evaluate(2024, rating_quota_percent=30), "RATING_HTXSNV", "AGENCY")
    assert (row["base"], row["limit"]) == (10, 3)


def test_rating_quota_reads_the_agency_stored_settings(h):
    """A setting saved by the officer (services.set_setting) changes the next evaluation."""
    _rated_unit(h)
    officer = UserFactory(agency=h.agency)
    set_setting(actor=officer, agency=h.agency, key="rating_quota_base", value="HTTNV")
    row = quota(evaluate_agency(agency=h.agency, year=2024), "RATING_HTXSNV", "PQLDD")
    assert (row["base"], row["limit"]) == (7, 1)


def test_one_subject_evaluation_has_no_quotas(h, unit):
    """Quotas are about a whole agency: one person's evaluation reports none."""
    p = h.person(unit)
    h.rate(p, {2024: "HTXSNV"})
    ev = evaluate(agency_ids=[h.agency.pk], year=2024, settings=h.settings(), person_ids=[p.pk])
    assert ev.quotas == []
    assert verdict(ev, p, "CSTDCS").eligible
