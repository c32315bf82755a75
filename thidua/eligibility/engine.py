"""The eligibility engine: every subject × every title of a year, in bulk, with explanations.

One implementation serves one subject and a whole agency: the records are read into frames
(`frames.py`), the facts are computed per subject with set operations (`features.py`), and each
title's conditions (`conditions.py`) are column expressions evaluated over all rows at once.
Nothing loops over subjects in Python.
"""

import datetime
import math
from dataclasses import dataclass, field

import polars as pl

from thidua.eligibility.catalogue import regime_on, review_date_for
from thidua.eligibility.conditions import Context, TitleRule, person_rules, unit_rules
from thidua.eligibility.features import person_features, unit_features
from thidua.eligibility.frames import Frames, load_frames

KEY = ["kind", "subject_id", "title"]


@dataclass
class Evaluation:
    """The outcome of an evaluation, flat so that it stays cheap at a million subjects.

    `table`: one row per subject and title (subject_id, kind, code, agency_id, unit_id, title,
    eligible). `conditions`: one row per subject, title and condition (kind, subject_id, title,
    code, passed, message), in the conditions' order. `results` joins the two (conditions as a
    list of {code, passed, message}) for the pages, the API and `thidua eligibility`.
    """

    year: int
    regime: str
    review: datetime.date
    table: pl.DataFrame
    conditions: pl.DataFrame
    quotas: list[dict] = field(default_factory=list)

    @property
    def results(self) -> pl.DataFrame:
        grouped = self.conditions.group_by(KEY, maintain_order=True).agg(
            pl.struct("code", "passed", "message").alias("conditions")
        )
        return self.table.join(grouped, on=KEY, how="left", maintain_order="left")

    def restrict(self, keep: pl.Expr) -> None:
        """Keep only the rows of `table` that `keep` selects, and their conditions."""
        self.table = self.table.filter(keep)
        self.conditions = self.conditions.join(self.table.select(KEY), on=KEY, how="semi")

    def for_subject(self, kind: str, subject_id: int) -> pl.DataFrame:
        one = Evaluation(self.year, self.regime, self.review, self.table, self.conditions)
        one.restrict((pl.col("kind") == kind) & (pl.col("subject_id") == subject_id))
        return one.results


def _apply_rules(df: pl.DataFrame, rules: list[TitleRule], kind: str) -> pl.DataFrame:
    """Add `eligible_<TITLE>` and, per condition, `c_<TITLE>__<code>` / `m_…` columns.

    Rules run in order: a later title may read an earlier title's `eligible_…` column.
    """
    for rule in rules:
        passed_cols = []
        exprs = []
        for cond in rule.conditions:
            name = f"{rule.title}__{cond.code}"
            exprs.append(cond.passed.fill_null(False).alias(f"c_{name}"))
            exprs.append(cond.message.alias(f"m_{name}"))
            passed_cols.append(pl.col(f"c_{name}"))
        df = df.with_columns(exprs)
        if rule.any_of:
            # Alternative branches, but a cross-cutting rule (code no_pending_case) is mandatory.
            branches = [
                pl.col(f"c_{rule.title}__{c.code}")
                for c in rule.conditions
                if c.code != "no_pending_case"
            ]
            mandatory = [
                pl.col(f"c_{rule.title}__{c.code}")
                for c in rule.conditions
                if c.code == "no_pending_case"
            ]
            eligible = pl.any_horizontal(branches)
            if mandatory:
                eligible = eligible & pl.all_horizontal(mandatory)
        else:
            eligible = pl.all_horizontal(passed_cols)
        df = df.with_columns(eligible.alias(f"eligible_{rule.title}"))
    return df


def _flat(
    df: pl.DataFrame, rules: list[TitleRule], kind: str, id_col: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """From one wide row per subject to the flat table and the conditions (see Evaluation)."""
    unit_col = pl.col("unit_id") if kind == "person" else pl.col(id_col)
    tables, conditions = [], []
    for rule in rules:
        tables.append(
            df.select(
                pl.col(id_col).alias("subject_id"),
                pl.lit(kind).alias("kind"),
                pl.col("code"),
                pl.col("agency_id"),
                unit_col.alias("unit_id"),
                pl.lit(rule.title).alias("title"),
                pl.col(f"eligible_{rule.title}").alias("eligible"),
            )
        )
        for cond in rule.conditions:
            name = f"{rule.title}__{cond.code}"
            conditions.append(
                df.select(
                    pl.lit(kind).alias("kind"),
                    pl.col(id_col).alias("subject_id"),
                    pl.lit(rule.title).alias("title"),
                    pl.lit(cond.code).alias("code"),
                    pl.col(f"c_{name}").alias("passed"),
                    pl.col(f"m_{name}").alias("message"),
                )
            )
    return pl.concat(tables), pl.concat(conditions)


def evaluate_frames(fr: Frames, *, year: int, review: datetime.date, settings: dict) -> Evaluation:
    regime = regime_on(review).code
    ctx = Context(year=year, regime=regime, review=review, settings=settings)
    people = person_features(fr, year=year, review=review).with_columns(_year=pl.lit(year))
    p_rules = person_rules(ctx)
    people = _apply_rules(people, p_rules, "person")
    units = unit_features(fr, people, year=year).with_columns(_year=pl.lit(year))
    u_rules = unit_rules(ctx)
    units = _apply_rules(units, u_rules, "unit")
    p_table, p_conditions = _flat(people, p_rules, "person", "person_id")
    u_table, u_conditions = _flat(units, u_rules, "unit", "unit_id")
    evaluation = Evaluation(
        year=year,
        regime=regime,
        review=review,
        table=pl.concat([p_table, u_table], how="vertical_relaxed"),
        conditions=pl.concat([p_conditions, u_conditions], how="vertical_relaxed"),
    )
    evaluation.quotas = quotas(people, fr.units, regime=regime, settings=settings)
    return evaluation


def _quota_rows(
    people: pl.DataFrame, units: pl.DataFrame, *, code: str, base: pl.Expr, used: pl.Expr,
    percent: float,
) -> list[dict]:  # fmt: skip
    """Limit = ⌊percent × base⌋ and use, for the agency and for each unit."""
    rows = []
    per_agency = people.group_by("agency_id").agg(
        base.sum().alias("base"), used.sum().alias("used")
    )
    per_unit = (
        people.filter(pl.col("unit_id").is_not_null())
        .group_by("unit_id")
        .agg(base.sum().alias("base"), used.sum().alias("used"))
        .join(units.select("unit_id", "code"), on="unit_id", how="inner")
        .sort("code")
    )
    for row in per_agency.iter_rows(named=True):
        rows.append(
            {
                "code": code,
                "scope": "AGENCY",
                "agency_id": row["agency_id"],
                "limit": math.floor(percent * row["base"] / 100 + 1e-9),
                "used": int(row["used"]),
                "base": int(row["base"]),
            }
        )
    for row in per_unit.iter_rows(named=True):
        rows.append(
            {
                "code": code,
                "scope": row["code"],
                "limit": math.floor(percent * row["base"] / 100 + 1e-9),
                "used": int(row["used"]),
                "base": int(row["base"]),
            }
        )
    return rows


def quotas(people: pl.DataFrame, units: pl.DataFrame, *, regime: str, settings: dict) -> list[dict]:
    """The quotas of the year, as limit and use, for the agency and each unit.

    - Rating: HTXSNV ≤ 20% (setting) of those rated HTTNV, or HTTNV and above (setting)
      (Nghị định 90/2020 amended by 48/2023).
    - CSTĐCS under R2017: ≤ 15% of the LĐTT, rounded down (Nghị định 91/2017 Điều 9.3); from 2024
      only if the agency sets a percentage.
    - Quotas an agency adds: `custom_quotas` settings, each {code, title, base_title, percent}.
    """
    result = []
    base_kind = settings.get("rating_quota_base", "HTTNV_OR_ABOVE")
    rating_base = (
        (pl.col("rank_0") >= 3) if base_kind == "HTTNV_OR_ABOVE" else (pl.col("rank_0") == 3)
    )
    result += _quota_rows(
        people, units, code="RATING_HTXSNV", base=rating_base.cast(pl.Int64),
        used=(pl.col("rank_0") == 4).cast(pl.Int64),
        percent=float(settings.get("rating_quota_percent", 20)),
    )  # fmt: skip
    ldtt = (pl.col("aw_LDTT_0") | pl.col("eligible_LDTT")).cast(pl.Int64)
    cstdcs = pl.col("eligible_CSTDCS").cast(pl.Int64)
    percent = 15 if regime == "R2017" else float(settings.get("cstdcs_quota_percent", 0))
    if percent:
        result += _quota_rows(people, units, code="CSTDCS", base=ldtt, used=cstdcs, percent=percent)
    for quota in settings.get("custom_quotas", []):
        base_col = f"eligible_{quota['base_title']}"
        used_col = f"eligible_{quota['title']}"
        if base_col in people.columns and used_col in people.columns:
            result += _quota_rows(
                people, units, code=quota["code"], base=pl.col(base_col).cast(pl.Int64),
                used=pl.col(used_col).cast(pl.Int64), percent=float(quota["percent"]),
            )  # fmt: skip
    return result


def evaluate(
    *,
    agency_ids: list[int] | None,
    year: int,
    settings: dict,
    review: datetime.date | None = None,
    person_ids: list[int] | None = None,
    unit_ids: list[int] | None = None,
) -> Evaluation:
    """Evaluate every title for the agencies' subjects (or only the subjects given) in `year`.

    The regime is the one in force on the review date (default: 31 December of the year).
    """
    review = review or review_date_for(year)
    if person_ids is not None and unit_ids is None:
        unit_ids = []
    elif unit_ids is not None and person_ids is None:
        person_ids = []
    frames = load_frames(
        agency_ids=agency_ids, year=year, review=review, person_ids=person_ids, unit_ids=unit_ids
    )
    evaluation = evaluate_frames(frames, year=year, review=review, settings=settings)
    if person_ids is not None or unit_ids is not None:
        keep = pl.lit(False)
        if person_ids:
            keep = keep | ((pl.col("kind") == "person") & pl.col("subject_id").is_in(person_ids))
        if unit_ids:
            keep = keep | ((pl.col("kind") == "unit") & pl.col("subject_id").is_in(unit_ids))
        evaluation.restrict(keep)
        evaluation.quotas = []
    return evaluation
