"""Reads of eligibility: an agency's settings, and evaluations shaped for pages, files and the API."""

import datetime

import polars as pl

from thidua.eligibility.catalogue import SETTING_DEFS, TITLES
from thidua.eligibility.engine import Evaluation, evaluate
from thidua.eligibility.models import AgencySetting
from thidua.org.models import Agency


def agency_settings(agency_id: int) -> dict:
    """Every setting of the agency: its own value where it set one, the catalogue default otherwise."""
    values = {key: d.default for key, d in SETTING_DEFS.items()}
    values["custom_quotas"] = []
    for row in AgencySetting.objects.filter(agency_id=agency_id):
        values[row.key] = row.value
    return values


def evaluate_agency(
    *, agency: Agency, year: int, review: datetime.date | None = None
) -> Evaluation:
    return evaluate(
        agency_ids=[agency.pk], year=year, settings=agency_settings(agency.pk), review=review
    )


def evaluate_subject(
    *, agency: Agency, year: int, person_id: int | None = None, unit_id: int | None = None,
    review: datetime.date | None = None,
) -> Evaluation:  # fmt: skip
    """The same engine, limited to one person or one unit (and the unit's members)."""
    return evaluate(
        agency_ids=[agency.pk],
        year=year,
        settings=agency_settings(agency.pk),
        review=review,
        person_ids=[person_id] if person_id is not None else None,
        unit_ids=[unit_id] if unit_id is not None else None,
    )


def title_name(code: str, kind: str) -> str:
    return next((t.name for t in TITLES if t.code == code and t.subject == kind), code)


def as_document(evaluation: Evaluation, agency: Agency) -> dict:
    """The JSON of `thidua eligibility` and of the API (domain.md "Interfaces others rely on")."""
    results = [
        {
            "subject": row["code"],
            "kind": row["kind"],
            "title": row["title"],
            "eligible": bool(row["eligible"]),
            "conditions": [
                {"code": c["code"], "passed": bool(c["passed"]), "message": c["message"]}
                for c in row["conditions"]
            ],
        }
        for row in evaluation.results.sort(["kind", "code", "title"]).iter_rows(named=True)
    ]
    quotas = [
        {
            "code": q["code"],
            "scope": agency.code if q["scope"] == "AGENCY" else q["scope"],
            "limit": q["limit"],
            "used": q["used"],
        }
        for q in evaluation.quotas
    ]
    return {
        "agency": agency.code,
        "year": evaluation.year,
        "regime": evaluation.regime,
        "results": results,
        "quotas": quotas,
    }


def eligible_counts(evaluation: Evaluation) -> dict[tuple[str, str], int]:
    """(kind, title) → number of eligible subjects."""
    counts = evaluation.results.group_by("kind", "title").agg(pl.col("eligible").sum())
    return {(r["kind"], r["title"]): int(r["eligible"]) for r in counts.iter_rows(named=True)}
