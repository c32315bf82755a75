"""Reads of eligibility: an agency's settings, and evaluations shaped for pages, files and the API."""

import datetime

import polars as pl
from django.db.models import Count

from thidua.eligibility.catalogue import SETTING_DEFS, TITLES
from thidua.eligibility.engine import Evaluation, evaluate
from thidua.eligibility.models import AgencySetting
from thidua.org.models import Agency, Person, Unit
from thidua.records.enums import RatingLevel
from thidua.records.models import Rating


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
    return eligible_counts_of(evaluation.table)


def subject_rows(evaluation: Evaluation, *, kind: str, subject_id: int) -> list[dict]:
    """One subject's titles in catalogue order, each with its name and its conditions."""
    rows = {r["title"]: r for r in evaluation.for_subject(kind, subject_id).iter_rows(named=True)}
    ordered = []
    for title in TITLES:
        if title.subject == kind and title.code in rows:
            row = rows[title.code]
            ordered.append(
                {
                    "title": title.code,
                    "name": title.name,
                    "decided_by": title.decided_by,
                    "basis": title.basis,
                    "eligible": row["eligible"],
                    "conditions": row["conditions"],
                }
            )
    return ordered


def subject_names(agency: Agency) -> dict[tuple[str, str], str]:
    """(kind, code) → name, for exports."""
    names = {("person", c): n for c, n in Person.objects.filter(agency=agency).values_list(
        "staff_code", "full_name")}  # fmt: skip
    names |= {
        ("unit", c): n for c, n in Unit.objects.filter(agency=agency).values_list("code", "name")
    }
    return names


def agency_listing(
    evaluation: Evaluation,
    *,
    person_ids: set[int] | None,
    unit_ids: set[int] | None,
    title: str = "",
    kind: str = "",
    only_eligible: bool = False,
) -> tuple[list[dict], dict[tuple[str, str], int]]:
    """Rows for the agency page and the eligible count per (kind, title), within the user's scope.

    `person_ids`/`unit_ids` None means no limit (agency-wide roles).
    """
    keep = pl.lit(True)
    if person_ids is not None:
        keep = keep & (
            ((pl.col("kind") == "person") & pl.col("subject_id").is_in(list(person_ids)))
            | ((pl.col("kind") == "unit") & pl.col("subject_id").is_in(list(unit_ids or [])))
        )
    counts = eligible_counts_of(evaluation.table.filter(keep))
    if title:
        keep = keep & (pl.col("title") == title)
    if kind:
        keep = keep & (pl.col("kind") == kind)
    if only_eligible:
        keep = keep & pl.col("eligible")
    # The conditions are joined to the rows shown only, not to the whole agency.
    shown = Evaluation(
        evaluation.year,
        evaluation.regime,
        evaluation.review,
        evaluation.table,
        evaluation.conditions,
    )
    shown.restrict(keep)
    return shown.results.sort(["kind", "code", "title"]).to_dicts(), counts


def eligible_counts_of(results: pl.DataFrame) -> dict[tuple[str, str], int]:
    counts = results.group_by("kind", "title").agg(pl.col("eligible").sum())
    return {(r["kind"], r["title"]): int(r["eligible"]) for r in counts.iter_rows(named=True)}


def rating_summary(*, agency: Agency, year: int, person_ids=None, unit_ids=None) -> list[dict]:
    """Ratings of the year by level, for units and people: all, and those the director rated.

    This is the first line of the annual report (seed 000 §II.4: "06 tập thể HTXSNV…").
    """
    rows = []
    for is_unit in (True, False):
        qs = Rating.objects.filter(agency=agency, year=year)
        if is_unit:
            qs = qs.filter(unit__isnull=False)
            if unit_ids is not None:
                qs = qs.filter(unit_id__in=unit_ids)
        else:
            qs = qs.filter(person__isnull=False)
            if person_ids is not None:
                qs = qs.filter(person_id__in=person_ids)
        counts = {
            (r["level"], r["rated_by_director"]): r["n"]
            for r in qs.values("level", "rated_by_director").annotate(n=Count("id")).order_by()
        }
        for level in RatingLevel:
            director = counts.get((level.value, True), 0)
            rows.append(
                {"unit": is_unit, "level": level.value, "label": level.label,
                 "total": director + counts.get((level.value, False), 0), "director": director}
            )  # fmt: skip
    return rows
