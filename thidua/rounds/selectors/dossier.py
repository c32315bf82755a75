"""Reads of one dossier: the council vote it needs, the public posting, what changed, its steps."""

import datetime

from django.db.models import Count
from django.utils.translation import gettext as _

from thidua.eligibility.catalogue import title_def
from thidua.eligibility.selectors import agency_settings
from thidua.org.models import Person, Unit
from thidua.records.enums import SubjectKind, TitleCode, title_allows
from thidua.rounds.models import (
    STEPS,
    Nomination,
    NominationState,
    NominationStep,
    PostingComment,
    Round,
)

S = NominationState

# --- council votes ----------------------------------------------------------------------------


def vote_share_for(nomination_or_title, subject_kind: str | None = None, settings=None) -> int:
    """The share of ALL council members (percent) a nomination needs; 0 = no vote needed.

    From the catalogue (Nghị định 98/2023 Điều 30.7: CSTĐCS ≥ 80%, CSTĐ tỉnh ≥ 90%…); for a
    Giấy khen the agency sets it (`gk_vote_percent`, Điều 75.2 Luật TĐKT 2022 leaves it open).
    Accepts a Nomination, or a title code with the subject kind ("person"/"unit").
    """
    if isinstance(nomination_or_title, Nomination):
        title = nomination_or_title.title
        subject_kind = subject_kind or nomination_or_title.subject_kind
        if settings is None:
            settings = agency_settings(nomination_or_title.agency_id)
    else:
        title = str(nomination_or_title)
    settings = settings or {}
    if title == TitleCode.GK:
        return int(settings.get("gk_vote_percent", 0) or 0)
    kind = subject_kind or SubjectKind.PERSON
    try:
        return title_def(title, kind).vote_share
    except StopIteration:
        return 0


# --- public posting ---------------------------------------------------------------------------


def posting_titles(settings: dict) -> set[str]:
    return {c.strip() for c in str(settings.get("posting_titles") or "").split(",") if c.strip()}


def needs_posting(nomination: Nomination, settings: dict) -> bool:
    """Whether the agency posts this title publicly before the decision (Điều 6 Luật TĐKT 2022)."""
    return int(settings.get("posting_days") or 0) > 0 and nomination.title in posting_titles(
        settings
    )


def _blockers(nomination: Nomination, today: datetime.date, settings: dict, open_comments: int):
    reasons = []
    if not needs_posting(nomination, settings):
        return reasons
    if nomination.posted_from is None:
        reasons.append(
            _("%(subject)s: not yet posted publicly (the agency posts %(title)s before deciding).")
            % {"subject": nomination.subject, "title": nomination.get_title_display()}
        )
    elif nomination.posted_until and today < nomination.posted_until:
        reasons.append(
            _("%(subject)s: the public posting runs until %(date)s.")
            % {"subject": nomination.subject, "date": f"{nomination.posted_until:%d/%m/%Y}"}
        )
    if open_comments:
        reasons.append(
            _("%(subject)s: %(n)s comment(s) from the public posting not answered yet.")
            % {"subject": nomination.subject, "n": open_comments}
        )
    return reasons


def decision_blockers(nomination: Nomination, today: datetime.date) -> list[str]:
    """Why a decision may not include this nomination yet (Vietnamese), or [] when it may.

    For the titles the agency posts publicly (settings `posting_titles`, `posting_days`): the
    nomination must have been posted, the window must have ended, and every comment received
    must have been answered (Điều 6 Luật TĐKT 2022: công khai, dân chủ).
    """
    settings = agency_settings(nomination.agency_id)
    open_comments = PostingComment.objects.filter(nomination=nomination, answer="").count()
    return _blockers(nomination, today, settings, open_comments)


def decision_blockers_many(nominations, today: datetime.date) -> dict[int, list[str]]:
    """`decision_blockers` for many nominations in two queries: id → reasons (only those with any)."""
    nominations = list(nominations)
    if not nominations:
        return {}
    settings_by_agency = {a: agency_settings(a) for a in {n.agency_id for n in nominations}}
    open_by_id = dict(
        PostingComment.objects.filter(nomination__in=[n.pk for n in nominations], answer="")
        .order_by()
        .values_list("nomination_id")
        .annotate(n=Count("id"))
    )
    result = {}
    for n in nominations:
        reasons = _blockers(n, today, settings_by_agency[n.agency_id], open_by_id.get(n.pk, 0))
        if reasons:
            result[n.pk] = reasons
    return result


# --- the dossier page -------------------------------------------------------------------------


def dossier_contents(nomination: Nomination) -> dict:
    """What the unit may amend, as plain data: kept when a dossier is returned (`amend_from`)
    and compared on resubmission, so that the officer sees what changed."""
    return {
        "achievement_report": nomination.achievement_report,
        "report_file": file_name(nomination.report_file),
        "evidence": sorted(nomination.evidence.values_list("name", flat=True)),
    }


def file_name(file) -> str:
    return file.name.rsplit("/", 1)[-1] if file else ""


def dossier_changes(before: dict, after: dict) -> dict[str, list]:
    """field → [before, after] for what differs; evidence as lists of names."""
    changes = {}
    for key in ("achievement_report", "report_file", "evidence"):
        if before.get(key, "" if key != "evidence" else []) != after.get(key):
            changes[key] = [before.get(key), after.get(key)]
    return changes


def step_indicator(nomination: Nomination, history: list[NominationStep] | None = None) -> list:
    """The STEPS of the workflow as the dossier page shows them: each with a status
    (done, current, todo) and, where the dossier left the straight path, its real state
    (returned for amendment, not passed, forwarded, awarded, refused, withdrawn) in place."""
    state = nomination.state
    place = {s: i for i, s in enumerate(STEPS)}
    detour = {
        S.RETURNED: S.SUBMITTED,
        S.NOT_PASSED: S.PASSED,
        S.FORWARDED: S.DECIDED,
        S.AWARDED: S.DECIDED,
        S.REFUSED: S.DECIDED,
    }
    tone = {S.RETURNED: "returned", S.NOT_PASSED: "bad", S.REFUSED: "bad", S.WITHDRAWN: "bad"}
    if state == S.WITHDRAWN:
        before = next(
            (h.from_state for h in reversed(history or []) if h.to_state == S.WITHDRAWN), S.DRAFT
        )
        at = place.get(detour.get(before, before), 0)
    else:
        at = place[detour.get(state, state)]
    steps = []
    for i, s in enumerate(STEPS):
        item = {"state": s.value, "label": s.label, "status": "todo", "tone": ""}
        if i < at:
            item["status"] = "done"
        elif i == at:
            item["status"] = "current"
            if state != s:
                item["state"] = state
                item["label"] = NominationState(state).label
                item["tone"] = tone.get(state, "")
        steps.append(item)
    return steps


def history(nomination: Nomination) -> list[NominationStep]:
    return list(nomination.steps.select_related("actor").order_by("at", "pk"))


def title_choices_for(round: Round, kind: str | None = None) -> list[tuple[str, str]]:
    """The round's titles (those a subject of `kind` may receive), as form choices."""
    return [
        (code, TitleCode(code).label)
        for code in TitleCode.values
        if code in round.titles and (kind is None or title_allows(code, kind))
    ]


def person_or_unit(agency_id: int, value: str) -> Person | Unit | None:
    """ "p12" → Person 12, "u3" → Unit 3 of the agency; None when there is no such subject."""
    if len(value) < 2 or value[0] not in "pu" or not value[1:].isdigit():
        return None
    if value[0] == "p":
        return (
            Person.objects.select_related("unit")
            .filter(agency_id=agency_id, pk=int(value[1:]))
            .first()
        )
    return Unit.objects.filter(agency_id=agency_id, pk=int(value[1:])).first()
