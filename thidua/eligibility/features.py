"""Per-subject facts of an assessed year, one row per person or unit, computed set-wise.

Column naming: a suffix `_k` means "in year Y-k" (k = 0 is the assessed year). Ratings are
`lvl_k`; awards in force `aw_<TITLE>_k`; initiatives counted by year and scope.
"""

import datetime

import polars as pl

from thidua.eligibility.frames import LOOKBACK_YEARS, Frames
from thidua.records.enums import DISCIPLINE_SEVERITY, INITIATIVE_SCOPE_RANK

# Awards whose history a condition reads, and how many years back.
AWARD_HISTORY = {"LDTT": 0, "CSTDCS": 4, "CSTD_TINH": 5, "TTLDXS": 1}
RANK = {"HTXSNV": 4, "HTTNV": 3, "HTNV": 2, "KHTNV": 1}
SEVERITY = {str(k): v for k, v in DISCIPLINE_SEVERITY.items()}
SCOPE = {str(k): v for k, v in INITIATIVE_SCOPE_RANK.items()}


def rank(expr: pl.Expr) -> pl.Expr:
    """A rating level's rank (4 = HTXSNV … 1 = KHTNV; 0 = not rated)."""
    return expr.replace_strict(RANK, default=0, return_dtype=pl.Int8).fill_null(0)


def _levels(ratings: pl.DataFrame, key: str, year: int) -> pl.DataFrame:
    rows = ratings.filter(pl.col(key).is_not_null())
    out = rows.group_by(key).agg(
        [
            pl.col("level").filter(pl.col("year") == year - k).first().alias(f"lvl_{k}")
            for k in range(LOOKBACK_YEARS)
        ]
        + [
            pl.col(name).filter(pl.col("year") == year).first().alias(f"{name}_0")
            for name in ("months", "maternity", "self_reliant")
        ]
    )
    return out


def _awards(awards: pl.DataFrame, key: str, year: int, titles: dict[str, int]) -> pl.DataFrame:
    rows = awards.filter(pl.col(key).is_not_null()).with_columns(k=year - pl.col("year"))
    aggs = [
        ((pl.col("title") == title) & (pl.col("k") == k)).any().alias(f"aw_{title}_{k}")
        for title, depth in titles.items()
        for k in range(depth + 1)
    ]
    aggs.append((pl.col("title") == "BK_TINH").any().alias("has_bk_tinh"))
    return rows.group_by(key).agg(aggs)


def person_features(fr: Frames, *, year: int, review: datetime.date) -> pl.DataFrame:
    """One row per person with every fact the person titles read."""
    ini = fr.initiatives.with_columns(
        k=year - pl.col("year"), scope_rank=pl.col("scope").replace_strict(SCOPE, default=0)
    )
    initiatives = ini.group_by("person_id").agg(
        [(pl.col("k") == k).sum().cast(pl.Int32).alias(f"ini_{k}") for k in range(5)]
        + [
            ((pl.col("k") <= 2) & (pl.col("scope_rank") >= 2)).sum().alias("ini_tinh_3y"),
            # The two CSTĐ tỉnh periods (Y-3 and Y) cover the CSTĐCS years Y-5…Y (Điều 21).
            ((pl.col("k") <= 5) & (pl.col("scope_rank") >= 3)).sum().alias("ini_tq_6y"),
        ]
    )
    disc = fr.disciplines.with_columns(
        severity=pl.col("kind").replace_strict(SEVERITY, default=0, return_dtype=pl.Int8),
        ends=pl.col("decided_on").dt.offset_by(pl.format("{}mo", pl.col("months"))),
    )
    disciplines = disc.group_by("person_id").agg(
        pl.col("severity")
        .filter(pl.col("decided_on").dt.year() == year)
        .max()
        .alias("disc_severity_0"),
        (pl.col("ends") > pl.lit(review)).any().alias("disc_in_force"),
    )
    achievements = (
        fr.achievements.filter(pl.col("person_id").is_not_null())
        .group_by("person_id")
        .agg(
            pl.len().alias("achievements_0"),
            (pl.col("kind") == "RECOGNISED").any().alias("recognised_0"),
        )
    )
    pending = fr.pending.with_columns(pending_case=pl.lit(True))
    df = (
        fr.people.join(_levels(fr.ratings, "person_id", year), on="person_id", how="left")
        .join(_awards(fr.awards, "person_id", year, AWARD_HISTORY), on="person_id", how="left")
        .join(initiatives, on="person_id", how="left")
        .join(disciplines, on="person_id", how="left")
        .join(achievements, on="person_id", how="left")
        .join(pending, on="person_id", how="left")
    )
    bool_cols = [c for c in df.columns if c.startswith("aw_")] + [
        "has_bk_tinh",
        "disc_in_force",
        "recognised_0",
        "pending_case",
    ]
    count_cols = [c for c in df.columns if c.startswith("ini_")] + [
        "achievements_0",
        "disc_severity_0",
    ]
    return df.with_columns(
        [pl.col(c).fill_null(False) for c in bool_cols]
        + [pl.col(c).fill_null(0) for c in count_cols]
        + [
            pl.col("months_0").fill_null(12),
            pl.col("maternity_0").fill_null(0).cast(pl.Boolean),
            pl.col("self_reliant_0").fill_null(1).cast(pl.Boolean),
        ]
        + [rank(pl.col(f"lvl_{k}")).alias(f"rank_{k}") for k in range(LOOKBACK_YEARS)]
    )


def unit_features(fr: Frames, members: pl.DataFrame, *, year: int) -> pl.DataFrame:
    """One row per unit: its own ratings and awards, and counts over its members.

    `members` is the evaluated person frame (with `eligible_LDTT`, `eligible_CSTDCS`).
    """
    counts = (
        members.filter(pl.col("unit_id").is_not_null())
        .group_by("unit_id")
        .agg(
            pl.len().alias("n_members"),
            (pl.col("aw_LDTT_0") | pl.col("eligible_LDTT")).sum().alias("n_ldtt"),
            (pl.col("rank_0") > 0).sum().alias("n_rated"),
            (pl.col("rank_0") >= 2).sum().alias("n_at_least_htnv"),
            (pl.col("aw_CSTDCS_0") | pl.col("eligible_CSTDCS")).sum().alias("n_cstdcs"),
            (pl.col("disc_severity_0") >= SEVERITY["CANH_CAO"]).sum().alias("n_warned"),
        )
    )
    achievements = (
        fr.achievements.filter(pl.col("unit_id").is_not_null())
        .group_by("unit_id")
        .agg(pl.len().alias("achievements_0"))
    )
    df = (
        fr.units.join(_levels(fr.ratings, "unit_id", year), on="unit_id", how="left")
        .join(_awards(fr.awards, "unit_id", year, {"TTLDXS": 1}), on="unit_id", how="left")
        .join(counts, on="unit_id", how="left")
        .join(achievements, on="unit_id", how="left")
    )
    count_cols = ["n_members", "n_ldtt", "n_rated", "n_at_least_htnv", "n_cstdcs", "n_warned"]
    return df.with_columns(
        [pl.col(c).fill_null(False) for c in ("aw_TTLDXS_0", "aw_TTLDXS_1", "has_bk_tinh")]
        + [pl.col(c).fill_null(0) for c in [*count_cols, "achievements_0"]]
        + [rank(pl.col(f"lvl_{k}")).alias(f"rank_{k}") for k in range(2)]
    )
