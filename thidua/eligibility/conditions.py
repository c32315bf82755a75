"""The conditions of every title and form, per regime, as column expressions with explanations.

Each condition is a named boolean expression over the facts of `features.py` and a Vietnamese
message built from the same facts (its evidence), citing the article. A title is eligible when
all its conditions pass, or any of them for titles with alternative branches (Bằng khen cấp tỉnh).
Titles read each other (CSTĐCS needs LĐTT in the year), so they are evaluated in order.
"""

import datetime
import re
from dataclasses import dataclass

import polars as pl
from django.utils.translation import gettext as _

OK, KO = "✓", "✗"
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def fmt(template: str, **values: pl.Expr | str | int) -> pl.Expr:
    """A string column from a translated %(name)s template whose values are columns."""
    parts: list[pl.Expr] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > pos:
            parts.append(pl.lit(template[pos : match.start()]))
        value = values[match.group(1)]
        parts.append(value.cast(pl.Utf8) if isinstance(value, pl.Expr) else pl.lit(str(value)))
        pos = match.end()
    if pos < len(template):
        parts.append(pl.lit(template[pos:]))
    return pl.concat_str(parts, ignore_nulls=True)


def mark(passed: pl.Expr) -> pl.Expr:
    return pl.when(passed).then(pl.lit(OK)).otherwise(pl.lit(KO))


def level(k: int) -> pl.Expr:
    return pl.col(f"lvl_{k}").fill_null(_("not rated"))


def year_chain(year: int, ks: list[int], ok: "callable", text: "callable") -> pl.Expr:
    """ "Năm 2023: HTXSNV ✓ · Năm 2024: HTTNV ✗" over the years Y-k, oldest first."""
    parts = []
    for i, k in enumerate(sorted(ks, reverse=True)):
        if i:
            parts.append(pl.lit(" · "))
        parts.append(fmt(_("Year %(year)s: %(value)s "), year=year - k, value=text(k)))
        parts.append(mark(ok(k)))
    return pl.concat_str(parts)


@dataclass(frozen=True)
class Condition:
    code: str
    passed: pl.Expr
    message: pl.Expr


@dataclass(frozen=True)
class TitleRule:
    title: str
    subject: str
    conditions: tuple[Condition, ...]
    any_of: bool = False


@dataclass(frozen=True)
class Context:
    year: int
    regime: str
    review: datetime.date
    settings: dict


def _served(ctx: Context, months: int) -> Condition:
    """Enough time in the service by the review date; maternity and training time count."""
    start_limit = ctx.review + datetime.timedelta(days=1)
    served = pl.col("recruited_on").is_null() | (
        pl.col("recruited_on").dt.offset_by(f"{months}mo") <= pl.lit(start_limit)
    )
    worked = pl.col("maternity_0") | (pl.col("months_0") >= months)
    basis = (
        _("Decree 91/2017/NĐ-CP")
        if ctx.regime == "R2017"
        else _("Circular 01/2024/TT-BNV Art. 1.5")
    )
    return Condition(
        "served_months",
        served & worked,
        fmt(
            _("Recruited on %(date)s, %(months)s months worked in the year%(maternity)s: "
              "needs at least %(need)s months (%(basis)s) %(mark)s"),
            date=pl.col("recruited_on").dt.strftime("%d/%m/%Y").fill_null("?"),
            months=pl.col("months_0"),
            maternity=pl.when(pl.col("maternity_0"))
            .then(pl.lit(_(" (maternity leave counts)")))
            .otherwise(pl.lit("")),
            need=months,
            basis=basis,
            mark=mark(served & worked),
        ),
    )  # fmt: skip


def _rating_at_least(k: int, need_rank: int, need_text: str, basis: str, code: str) -> Condition:
    passed = pl.col(f"rank_{k}") >= need_rank
    return Condition(
        code,
        passed,
        fmt(
            _("Rating of %(year)s: %(level)s — needs %(need)s (%(basis)s) %(mark)s"),
            year=pl.col("_year") - k,
            level=level(k),
            need=need_text,
            basis=basis,
            mark=mark(passed),
        ),
    )


def _no_pending(ctx: Context) -> Condition:
    passed = ~pl.col("pending_case") & ~pl.col("disc_in_force")
    return Condition(
        "no_pending_case",
        passed,
        pl.when(passed)
        .then(pl.lit(_("No discipline in force, inspection or complaint pending (Decree "
                       "152/2025 Art. 4) ✓")))
        .otherwise(pl.lit(_("A discipline is in force or an inspection or complaint is pending: "
                            "no award may be proposed (Decree 152/2025 Art. 4) ✗"))),
    )  # fmt: skip


def person_rules(ctx: Context) -> list[TitleRule]:
    r2017 = ctx.regime == "R2017"
    law = _("Law 2003") if r2017 else _("Law 06/2022")
    y = ctx.year
    cstdcs = {k: pl.col(f"aw_CSTDCS_{k}") for k in range(1, 5)}
    cstdcs[0] = pl.col("aw_CSTDCS_0") | pl.col("eligible_CSTDCS")
    rules: list[TitleRule] = []

    ldtt = [
        _rating_at_least(0, 3, "HTTNV", _("%(law)s Art. 24.1.a") % {"law": law}, "rating"),
        Condition(
            "self_reliant",
            pl.col("self_reliant_0"),
            pl.when(pl.col("self_reliant_0"))
            .then(pl.lit(_("Self-reliant and united, as the unit records (Art. 24.1.b) ✓")))
            .otherwise(pl.lit(_("The unit recorded a lack of self-reliance or unity (Art. 24.1.b) ✗"))),
        ),
        _served(ctx, 10 if r2017 else 6),
    ]  # fmt: skip
    if r2017:
        passed = pl.col("disc_severity_0") == 0
        ldtt.append(
            Condition(
                "no_discipline",
                passed,
                pl.when(passed)
                .then(pl.lit(_("No disciplinary measure in the year (Decree 91/2017) ✓")))
                .otherwise(pl.lit(_("Disciplined in the year: reprimand or heavier (Decree 91/2017) ✗"))),
            )
        )  # fmt: skip
    rules.append(TitleRule("LDTT", "person", tuple(ldtt)))

    ldtt_now = pl.col("aw_LDTT_0") | pl.col("eligible_LDTT")
    has_ini = pl.col("ini_0") > 0
    cond_ldtt = Condition(
        "ldtt_in_year",
        ldtt_now,
        fmt(_("Advanced worker (LĐTT) in %(year)s %(mark)s"), year=y, mark=mark(ldtt_now)),
    )
    if r2017:
        excellence = Condition(
            "initiative",
            has_ini,
            fmt(
                _("%(n)s initiative(s) or research topic(s) recognised in %(year)s — "
                  "at least one is required (Law 2003 Art. 23; Decree 91/2017) %(mark)s"),
                n=pl.col("ini_0"), year=y, mark=mark(has_ini),
            ),
        )  # fmt: skip
    else:
        passed = (pl.col("rank_0") == 4) | has_ini
        excellence = Condition(
            "excellence",
            passed,
            fmt(
                _("Rating %(level)s, %(n)s initiative(s) or topic(s) in %(year)s — needs HTXSNV "
                  "or a recognised initiative or topic (Law 06/2022 Art. 23) %(mark)s"),
                level=level(0), n=pl.col("ini_0"), year=y, mark=mark(passed),
            ),
        )  # fmt: skip
    rules.append(TitleRule("CSTDCS", "person", (cond_ldtt, excellence)))

    three = cstdcs[0] & cstdcs[1] & cstdcs[2]
    tinh_ini = pl.col("ini_tinh_3y") > 0
    rules.append(
        TitleRule(
            "CSTD_TINH",
            "person",
            (
                Condition(
                    "cstdcs_3_years",
                    three,
                    pl.concat_str([
                        year_chain(y, [0, 1, 2], lambda k: cstdcs[k],
                                   lambda k: pl.lit("CSTĐCS")),
                        pl.lit(_(" — needs CSTĐCS 3 years in a row (%(law)s Art. 22)") % {"law": law}),
                    ]),
                ),
                Condition(
                    "initiative_province",
                    tinh_ini,
                    fmt(_("%(n)s initiative(s) of province or ministry scope in %(from)s–%(to)s "
                          "— at least one is required (Art. 22) %(mark)s"),
                        n=pl.col("ini_tinh_3y"), **{"from": y - 2}, to=y, mark=mark(tinh_ini)),
                ),
            ),
        )
    )  # fmt: skip

    tinh_now = pl.col("aw_CSTD_TINH_0") | pl.col("eligible_CSTD_TINH")
    twice = tinh_now & pl.col("aw_CSTD_TINH_3")
    tq_ini = pl.col("ini_tq_6y") > 0
    rules.append(
        TitleRule(
            "CSTD_TQ",
            "person",
            (
                Condition(
                    "cstd_tinh_twice",
                    twice,
                    fmt(_("Provincial emulation fighter in %(prev)s %(m1)s and in %(year)s %(m2)s "
                          "— needs 2 times in a row (%(law)s Art. 21)"),
                        prev=y - 3, m1=mark(pl.col("aw_CSTD_TINH_3")), year=y,
                        m2=mark(tinh_now), law=law),
                ),
                Condition(
                    "initiative_national",
                    tq_ini,
                    fmt(_("%(n)s initiative(s) of national scope — at least one is required "
                          "(Art. 21) %(mark)s"), n=pl.col("ini_tq_6y"), mark=mark(tq_ini)),
                ),
            ),
        )
    )  # fmt: skip

    gk = [_rating_at_least(0, 3, "HTTNV", _("Law 06/2022 Art. 75.2; provincial rules"), "rating")]
    if ctx.settings.get("gk_needs_achievement", True):
        passed = pl.col("achievements_0") > 0
        gk.append(
            Condition(
                "achievement",
                passed,
                fmt(_("%(n)s achievement(s) confirmed in %(year)s (movement or ad hoc) — "
                      "at least one is required (Art. 75) %(mark)s"),
                    n=pl.col("achievements_0"), year=y, mark=mark(passed)),
            )
        )  # fmt: skip
    rules.append(TitleRule("GK", "person", tuple(gk)))

    two_cstdcs = cstdcs[0] & cstdcs[1]
    two_htxs = (pl.col("rank_0") == 4) & (pl.col("rank_1") == 4)
    ini_two_years = pl.col("ini_0") + pl.col("ini_1")
    branch_d2 = two_htxs & (ini_two_years >= 2)
    rules.append(
        TitleRule(
            "BK_TINH",
            "person",
            (
                Condition(
                    "cstdcs_2_years",
                    two_cstdcs,
                    pl.concat_str([
                        year_chain(y, [0, 1], lambda k: cstdcs[k], lambda k: pl.lit("CSTĐCS")),
                        pl.lit(_(" — CSTĐCS 2 years in a row (Law 06/2022 Art. 74.1.d)")),
                    ]),
                ),
                Condition(
                    "htxsnv_2_years_2_initiatives",
                    branch_d2,
                    pl.concat_str([
                        year_chain(y, [0, 1], lambda k: pl.col(f"rank_{k}") == 4, level),
                        fmt(_(" · %(n)s initiative(s) — needs 2 years in a row HTXSNV and 2 "
                              "unit-level initiatives or topics (Art. 74.1.d) %(mark)s"),
                            n=ini_two_years, mark=mark(branch_d2)),
                    ]),
                ),
                Condition(
                    "recognised_achievement",
                    pl.col("recognised_0"),
                    pl.when(pl.col("recognised_0"))
                    .then(pl.lit(_("An achievement confirmed by the officer (Art. 74.1.a–c) ✓")))
                    .otherwise(pl.lit(_("No achievement confirmed by the officer (Art. 74.1.a–c) ✗"))),
                ),
            ),
            any_of=True,
        )
    )  # fmt: skip

    has_bk = Condition(
        "holds_bk_tinh",
        pl.col("has_bk_tinh"),
        pl.when(pl.col("has_bk_tinh"))
        .then(pl.lit(_("Already holds a provincial or ministerial Bằng khen ✓")))
        .otherwise(pl.lit(_("Does not yet hold a provincial or ministerial Bằng khen ✗"))),
    )
    if r2017:
        five = pl.all_horizontal([pl.col(f"rank_{k}") == 4 for k in range(5)])
        ini5 = pl.sum_horizontal([pl.col(f"ini_{k}") for k in range(5)])
        rest = (
            Condition(
                "htxsnv_5_years",
                five,
                pl.concat_str([
                    year_chain(y, list(range(5)), lambda k: pl.col(f"rank_{k}") == 4, level),
                    pl.lit(_(" — needs 5 years in a row HTXSNV (Decree 91/2017)")),
                ]),
            ),
            Condition(
                "initiatives_5",
                ini5 >= 5,
                fmt(_("%(n)s unit-level initiatives in 5 years — needs 5 (Decree 91/2017) %(mark)s"),
                    n=ini5, mark=mark(ini5 >= 5)),
            ),
        )  # fmt: skip
    else:
        five = pl.all_horizontal([pl.col(f"rank_{k}") >= 3 for k in range(5)])
        n_cstdcs = pl.sum_horizontal([cstdcs[k].cast(pl.Int32) for k in range(5)])
        rest = (
            Condition(
                "good_5_years",
                five,
                pl.concat_str([
                    year_chain(y, list(range(5)), lambda k: pl.col(f"rank_{k}") >= 3, level),
                    pl.lit(_(" — needs 5 years in a row HTTNV or better (Law 06/2022 Art. 73.1.b)")),
                ]),
            ),
            Condition(
                "cstdcs_3_in_5",
                n_cstdcs >= 3,
                fmt(_("%(n)s CSTĐCS titles in %(from)s–%(to)s — needs 3 (Art. 73.1.b) %(mark)s"),
                    n=n_cstdcs, **{"from": y - 4}, to=y, mark=mark(n_cstdcs >= 3)),
            ),
        )  # fmt: skip
    rules.append(TitleRule("BK_TTG", "person", (has_bk, *rest)))

    if ctx.regime == "R2025":
        pending = _no_pending(ctx)
        rules = [TitleRule(r.title, r.subject, (*r.conditions, pending), r.any_of) for r in rules]
        # An alternative-branch title still needs the cross-cutting rule: keep it mandatory.
    return rules


def unit_rules(ctx: Context) -> list[TitleRule]:
    r2017 = ctx.regime == "R2017"
    y = ctx.year
    share = (
        pl.when(pl.col("n_members") > 0)
        .then((pl.col("n_ldtt") * 100 / pl.col("n_members")).round(1))
        .otherwise(0.0)
    )
    # Compare exact counts, not the rounded share shown: 17 of 21 (80.95%) is below 81%.
    ldtt_x100 = pl.col("n_ldtt") * 100
    if r2017:
        ldtt_ok = (pl.col("n_members") > 0) & (ldtt_x100 > 50 * pl.col("n_members"))
        need = _("more than 50%% (Decree 91/2017)").replace("%%", "%")
    else:
        percent = int(ctx.settings.get("ttldtt_ldtt_percent", 70))
        ldtt_ok = (
            pl.when(pl.col("n_members") > 0)
            .then(ldtt_x100 >= percent * pl.col("n_members"))
            .otherwise(pl.lit(percent <= 0))
        )
        need = _("at least %(p)s%% (agency setting; Law 06/2022 Art. 28)") % {"p": percent}
    ldtt_cond = Condition(
        "members_ldtt",
        ldtt_ok,
        fmt(_("%(n)s of %(total)s members LĐTT (%(share)s%%) — needs %(need)s %(mark)s")
            .replace("%%", "%"),
            n=pl.col("n_ldtt"), total=pl.col("n_members"), share=share, need=need,
            mark=mark(ldtt_ok)),
    )  # fmt: skip
    no_warned = pl.col("n_warned") == 0
    warned_cond = Condition(
        "no_member_warned",
        no_warned,
        fmt(_("%(n)s member(s) disciplined with a warning or heavier in %(year)s — needs none "
              "%(mark)s"), n=pl.col("n_warned"), year=y, mark=mark(no_warned)),
    )  # fmt: skip
    law = _("Law 2003") if r2017 else _("Law 06/2022")
    rules = [
        TitleRule(
            "TTLDTT",
            "unit",
            (_rating_at_least(0, 3, "HTTNV", _("%(law)s Art. 28") % {"law": law}, "rating"),
             ldtt_cond, warned_cond),
        )
    ]  # fmt: skip
    all_htnv = pl.col("n_at_least_htnv") == pl.col("n_rated")
    ldtt70 = (pl.col("n_members") > 0) & (ldtt_x100 >= 70 * pl.col("n_members"))
    one_cstdcs = pl.col("n_cstdcs") >= 1
    ttldxs = [
        _rating_at_least(0, 4, "HTXSNV", _("%(law)s Art. 27") % {"law": law}, "rating"),
        Condition(
            "members_htnv",
            all_htnv,
            fmt(_("%(n)s of %(total)s rated members HTNV or better — needs all (Art. 27) %(mark)s"),
                n=pl.col("n_at_least_htnv"), total=pl.col("n_rated"), mark=mark(all_htnv)),
        ),
        Condition(
            "members_ldtt_70",
            ldtt70,
            fmt(_("%(n)s of %(total)s members LĐTT (%(share)s%) — needs at least 70% (Art. 27) %(mark)s"),
                n=pl.col("n_ldtt"), total=pl.col("n_members"), share=share, mark=mark(ldtt70)),
        ),
        Condition(
            "member_cstdcs",
            one_cstdcs,
            fmt(_("%(n)s member(s) CSTĐCS — needs at least one (Art. 27) %(mark)s"),
                n=pl.col("n_cstdcs"), mark=mark(one_cstdcs)),
        ),
    ]  # fmt: skip
    if r2017:
        ttldxs.append(warned_cond)
    rules.append(TitleRule("TTLDXS", "unit", tuple(ttldxs)))

    gk = [_rating_at_least(0, 3, "HTTNV", _("Law 06/2022 Art. 75.2; provincial rules"), "rating")]
    if ctx.settings.get("gk_needs_achievement", True):
        passed = pl.col("achievements_0") > 0
        gk.append(
            Condition(
                "achievement",
                passed,
                fmt(_("%(n)s achievement(s) confirmed in %(year)s — at least one is required "
                      "(Art. 75) %(mark)s"), n=pl.col("achievements_0"), year=y,
                    mark=mark(passed)),
            )
        )  # fmt: skip
    rules.append(TitleRule("GK", "unit", tuple(gk)))

    ttldxs_now = pl.col("aw_TTLDXS_0") | pl.col("eligible_TTLDXS")
    year_ok = {
        0: (pl.col("rank_0") == 4) | ttldxs_now,
        1: (pl.col("rank_1") == 4) | pl.col("aw_TTLDXS_1"),
    }
    two = year_ok[0] & year_ok[1]
    rules.append(
        TitleRule(
            "BK_TINH",
            "unit",
            (
                Condition(
                    "excellent_2_years",
                    two,
                    pl.concat_str([
                        year_chain(y, [0, 1], lambda k: year_ok[k],
                                   lambda k: pl.concat_str([level(k), pl.when(
                                       ttldxs_now if k == 0 else pl.col("aw_TTLDXS_1"))
                                       .then(pl.lit(", TTLĐXS")).otherwise(pl.lit(""))])),
                        pl.lit(_(" — needs HTXSNV or TTLĐXS 2 years in a row (Law 06/2022 Art. 74)")),
                    ]),
                ),
            ),
        )
    )  # fmt: skip
    return rules
