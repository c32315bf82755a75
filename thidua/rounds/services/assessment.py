"""What the eligibility engine and the quotas say about proposed nominations.

A nomination is pre-filled with the engine's verdict on its subject and title (the conditions,
each with its evidence and article). An ineligible subject, or one more nomination than a quota
allows, is refused or accepted with a warning as the agency sets (settings
`nomination_ineligible`, `nomination_over_quota`; Điều 84 Luật TĐKT 2022 asks for a dossier
that meets the criteria, Nghị định 91/2017 Điều 9.3 and the province set the quotas).
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from thidua.core.errors import BusinessRuleError
from thidua.eligibility.catalogue import title_def
from thidua.eligibility.engine import evaluate
from thidua.eligibility.selectors import evaluate_agency, evaluate_subject
from thidua.records.enums import SubjectKind, TitleCode
from thidua.rounds.models import ENDED_BADLY, Nomination, Round
from thidua.rounds.services.common import kind_of

BLOCK = "BLOCK"


@dataclass
class Assessment:
    subject: object
    kind: str
    title: str
    eligible: bool | None = None
    conditions: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)


def quota_codes(title: str, *, regime: str, settings: dict) -> set[str]:
    """The engine's quotas that count nominations for `title`.

    CSTĐCS: ≤ 15% of the LĐTT under R2017 (Nghị định 91/2017 Điều 9.3), later only when the
    agency sets a share; plus the quotas the agency adds (`custom_quotas`).
    """
    codes = set()
    if title == TitleCode.CSTDCS and (
        regime == "R2017" or float(settings.get("cstdcs_quota_percent") or 0)
    ):
        codes.add("CSTDCS")
    for quota in settings.get("custom_quotas") or []:
        if quota.get("title") == title:
            codes.add(str(quota.get("code", "")).upper())
    return codes


def _verdicts(round: Round, subjects: list, settings: dict) -> dict[tuple, tuple]:
    """(kind, id, title) → (eligible, conditions) from one run of the engine."""
    person_ids = sorted({s.pk for s in subjects if kind_of(s) == SubjectKind.PERSON})
    unit_ids = sorted({s.pk for s in subjects if kind_of(s) == SubjectKind.UNIT})
    if not person_ids and not unit_ids:
        return {}
    if len(person_ids) + len(unit_ids) == 1:
        evaluation = evaluate_subject(
            agency=round.agency,
            year=round.year,
            person_id=person_ids[0] if person_ids else None,
            unit_id=unit_ids[0] if unit_ids else None,
            review=round.review_date,
        )
    else:
        evaluation = evaluate(
            agency_ids=[round.agency_id],
            year=round.year,
            settings=settings,
            review=round.review_date,
            person_ids=person_ids,
            unit_ids=unit_ids,
        )
    verdicts = {}
    for row in evaluation.results.iter_rows(named=True):
        conditions = [
            {"code": c["code"], "passed": bool(c["passed"]), "message": c["message"]}
            for c in row["conditions"] or []
        ]
        verdicts[(row["kind"], row["subject_id"], row["title"])] = (
            bool(row["eligible"]),
            conditions,
        )
    return verdicts


def _subject_label(subject) -> str:
    return str(subject)


def assess(
    *, round: Round, items: list[tuple[object, str]], settings: dict, exclude_ids=frozenset()
) -> list[Assessment]:
    """The engine's verdict and the quota check for each (subject, title), in order.

    Raises BusinessRuleError for the first item the agency's settings refuse (nothing is
    written by this function); otherwise returns each item's eligibility and warnings.
    `exclude_ids` are nominations not to count against the quotas (the one being resubmitted).
    """
    evaluated = []
    for subject, title in items:
        kind = kind_of(subject)
        try:
            if title_def(title, kind).evaluated:
                evaluated.append(subject)
        except StopIteration:
            pass
    verdicts = _verdicts(round, evaluated, settings) if evaluated else {}
    results = []
    for subject, title in items:
        kind = kind_of(subject)
        result = Assessment(subject=subject, kind=kind, title=title)
        label = TitleCode(title).label
        try:
            is_evaluated = title_def(title, kind).evaluated
        except StopIteration:
            is_evaluated = False
        verdict = verdicts.get((kind, subject.pk, title))
        if not is_evaluated:
            result.warnings.append(
                {
                    "code": "manual_check",
                    "message": _(
                        "The system does not assess %(title)s: the officer checks the "
                        "conditions by hand."
                    )
                    % {"title": label},
                }
            )
        elif verdict is None:
            result.warnings.append(
                {
                    "code": "no_result",
                    "message": _(
                        "The system found no record of this subject on the review date "
                        "%(date)s (left the agency, or the unit did not exist yet): check by hand."
                    )
                    % {"date": f"{round.review_date:%d/%m/%Y}"},
                }
            )
        else:
            result.eligible, result.conditions = verdict
            if not result.eligible:
                failing = [c["message"] for c in result.conditions if not c["passed"]]
                message = _(
                    "%(subject)s does not meet the conditions for %(title)s: %(reasons)s"
                ) % {
                    "subject": _subject_label(subject),
                    "title": label,
                    "reasons": "; ".join(failing),
                }
                if settings.get("nomination_ineligible", BLOCK) == BLOCK:
                    raise BusinessRuleError(message, field="title", code="ineligible")
                result.warnings.append({"code": "ineligible", "message": message})
        results.append(result)
    _check_quotas(round, results, settings, exclude_ids)
    return results


def _check_quotas(round: Round, results: list[Assessment], settings: dict, exclude_ids) -> None:
    """One more nomination than a quota's limit is refused or warned (setting
    `nomination_over_quota`). Quotas count individuals, agency-wide (Nghị định 91/2017 Điều 9.3)."""
    wanted = {
        r.title: quota_codes(r.title, regime=round.regime, settings=settings)
        for r in results
        if r.kind == SubjectKind.PERSON
    }
    wanted = {title: codes for title, codes in wanted.items() if codes}
    if not wanted:
        return
    limits = {
        q["code"]: q["limit"]
        for q in evaluate_agency(
            agency=round.agency, year=round.year, review=round.review_date
        ).quotas
        if q["scope"] == "AGENCY"
    }
    counts = dict(
        Nomination.objects.filter(round=round, title__in=list(wanted), person__isnull=False)
        .exclude(state__in=ENDED_BADLY)
        .exclude(pk__in=list(exclude_ids))
        .order_by()
        .values_list("title")
        .annotate(n=Count("id"))
    )
    for result in results:
        if result.kind != SubjectKind.PERSON or result.title not in wanted:
            continue
        count = counts.get(result.title, 0)
        for code in sorted(wanted[result.title]):
            limit = limits.get(code)
            if limit is None or count + 1 <= limit:
                continue
            message = _(
                "Quota %(code)s: at most %(limit)s in the agency, and %(count)s already "
                "nominated in this round for %(title)s (%(subject)s would exceed it)."
            ) % {
                "code": code,
                "limit": limit,
                "count": count,
                "title": TitleCode(result.title).label,
                "subject": _subject_label(result.subject),
            }
            if settings.get("nomination_over_quota", "WARN") == BLOCK:
                raise BusinessRuleError(message, field="title", code="over_quota")
            result.warnings.append({"code": "over_quota", "message": message})
        counts[result.title] = count + 1
