"""Reads of decisions and submissions, always starting from the user's scope.

Agency-wide roles (administrator, officer, director, council) read every decision and
submission of their agency, drafts included; unit heads and staff read what has been issued or
sent. Nobody reads another agency's documents: they are simply not found (404).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet

from thidua.accounts.models import Role, User
from thidua.accounts.selectors import of_own_agency, scope_for
from thidua.core.text import collate_key
from thidua.decisions.models import (
    Decision,
    DecisionLine,
    DecisionStatus,
    Submission,
    SubmissionLine,
    SubmissionStatus,
)
from thidua.eligibility.catalogue import TITLES, title_def
from thidua.rounds import selectors as round_selectors
from thidua.rounds.models import Nomination, NominationState, Round

# Who decides a title: the agency's head (Điều 80.1 Luật TĐKT 2022) or a higher authority, to
# whom the agency forwards the dossier in a submission (tờ trình).
AGENCY_HEAD = "Giám đốc Sở"
AGENCY_AUTHORITY = AGENCY_HEAD
DECIDED_HERE = frozenset((t.code, t.subject) for t in TITLES if t.decided_by == AGENCY_HEAD)
DECIDED_ABOVE = frozenset((t.code, t.subject) for t in TITLES if t.decided_by != AGENCY_HEAD)
TITLES_HERE = frozenset(code for code, _kind in DECIDED_HERE)
TITLES_ABOVE = frozenset(code for code, _kind in DECIDED_ABOVE)
# Decisions whose lines still hold their nominations: a nomination is in at most one of them.
LIVE_DECISION = (DecisionStatus.DRAFT, DecisionStatus.ISSUED)
# Catalogue order of the lists of a decision: persons' titles, then units'.
TITLE_ORDER = {(t.code, t.subject): i for i, t in enumerate(TITLES)}

DEFAULT_DECISION_SUMMARY = "Về việc tặng danh hiệu thi đua và hình thức khen thưởng năm {year}"
DEFAULT_SUBMISSION_SUMMARY = "Về việc đề nghị khen thưởng năm {year}"


def decided_here(nomination: Nomination) -> bool:
    """The agency's head decides this title for this kind of subject (LĐTT, CSTĐCS, TTLĐTT, GK)."""
    return (nomination.title, nomination.subject_kind) in DECIDED_HERE


def decided_above(nomination: Nomination) -> bool:
    return (nomination.title, nomination.subject_kind) in DECIDED_ABOVE


# --- scope ------------------------------------------------------------------------------------


def _readers_of_issued(scope) -> bool:
    return bool(scope.unit_paths) or scope.has(Role.STAFF)


def decisions_visible_to(user) -> QuerySet[Decision]:
    """The decisions the user may read: the agency's (drafts only for agency-wide roles)."""
    scope = scope_for(user)
    qs = of_own_agency(user, Decision.objects.all())
    if scope.superuser or scope.agency_wide:
        return qs
    if _readers_of_issued(scope):
        return qs.exclude(status=DecisionStatus.DRAFT)
    return qs.none()


def submissions_visible_to(user) -> QuerySet[Submission]:
    """The submissions the user may read, on the same terms as decisions."""
    scope = scope_for(user)
    qs = of_own_agency(user, Submission.objects.all())
    if scope.superuser or scope.agency_wide:
        return qs
    if _readers_of_issued(scope):
        return qs.exclude(status=SubmissionStatus.DRAFT)
    return qs.none()


def rounds_of_agency(user) -> QuerySet[Round]:
    """Rounds of the user's agency: the starting point of a decision or a submission."""
    return of_own_agency(user, Round.objects.all())


def directors_of(agency_id: int) -> QuerySet[User]:
    """The users who may sign for the agency: those holding the director's role."""
    return (
        User.objects.filter(agency_id=agency_id, is_active=True, roles__role=Role.DIRECTOR)
        .select_related("person")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- nominations waiting for a decision or a submission ---------------------------------------


def in_live_decision() -> Exists:
    return Exists(
        DecisionLine.objects.filter(nomination=OuterRef("pk"), decision__status__in=LIVE_DECISION)
    )


def in_submission() -> Exists:
    return Exists(SubmissionLine.objects.filter(nomination=OuterRef("pk")))


def passed_to_decide(round_: Round) -> QuerySet[Nomination]:
    """PASSED nominations of the round that the agency's head decides and no live decision holds."""
    return (
        round_.nominations.filter(state=NominationState.PASSED, title__in=TITLES_HERE)
        .exclude(in_live_decision())
        .select_related("person", "unit")
        .order_by("pk")
    )


def passed_to_forward(round_: Round) -> QuerySet[Nomination]:
    """PASSED nominations of the round decided above the agency and in no submission yet."""
    return (
        round_.nominations.filter(state=NominationState.PASSED, title__in=TITLES_ABOVE)
        .exclude(in_submission())
        .select_related("person", "unit")
        .order_by("pk")
    )


@dataclass
class WaitingRound:
    round: Round
    to_decide: int
    to_forward: int


def rounds_waiting(user) -> list[WaitingRound]:
    """Rounds with passed nominations that no decision or submission holds yet (3 queries)."""
    passed = Nomination.objects.filter(
        round__in=rounds_of_agency(user), state=NominationState.PASSED
    )
    to_decide = dict(
        passed.filter(title__in=TITLES_HERE)
        .exclude(in_live_decision())
        .values_list("round_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    to_forward = dict(
        passed.filter(title__in=TITLES_ABOVE)
        .exclude(in_submission())
        .values_list("round_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rounds = Round.objects.filter(pk__in=set(to_decide) | set(to_forward)).order_by("-year", "-pk")
    return [WaitingRound(r, to_decide.get(r.pk, 0), to_forward.get(r.pk, 0)) for r in rounds]


def blockers_of(nominations, today: datetime.date) -> dict[int, list[str]]:
    """Why each nomination may not be decided yet (public posting not over, comments unanswered).

    The rounds app owns those rules (`rounds.selectors.decision_blockers`, here in its bulk form:
    two queries whatever the number); only nominations with a reason are returned.
    """
    return round_selectors.decision_blockers_many(nominations, today)


# --- one decision -----------------------------------------------------------------------------


def _own(item):
    return item


def _nomination_of(line):
    return line.nomination


def sort_subjects(items: list, *, of=_own) -> list:
    """People the Vietnamese way (given name, family name, middle name), then units by name.

    `of(item)` is what names the subject: a decision line or a nomination (person/unit fields).
    """

    def key(item) -> tuple:
        subject = of(item)
        if subject.person_id:
            return (0, bytes(subject.person.sort_key or b""), item.pk)
        return (1, collate_key(subject.unit.name), item.pk)

    return sorted(items, key=key)


@dataclass
class TitleGroup:
    title: str
    kind: str
    label: str
    decided_by: str
    lines: list = field(default_factory=list)


def group_lines(lines, *, of=_own) -> list[TitleGroup]:
    """Lines grouped per title and kind of subject in catalogue order, subjects sorted."""
    groups: dict[tuple[str, str], TitleGroup] = {}
    for line in lines:
        subject = of(line)
        # What the page names: the line's own subject, or its nomination's.
        line.who = subject
        kind = "person" if subject.person_id else "unit"
        key = (subject.title, kind)
        if key not in groups:
            definition = title_def(subject.title, kind)
            groups[key] = TitleGroup(subject.title, kind, definition.name, definition.decided_by)
        groups[key].lines.append(line)
    ordered = sorted(groups.values(), key=lambda g: TITLE_ORDER.get((g.title, g.kind), 99))
    for group in ordered:
        group.lines = sort_subjects(group.lines, of=of)
    return ordered


def decision_lines(decision: Decision) -> list[DecisionLine]:
    return list(
        decision.lines.select_related(
            "person__unit", "unit", "award", "nomination__nominating_unit"
        ).order_by("pk")
    )


@dataclass
class DecisionPage:
    decision: Decision
    groups: list[TitleGroup]
    count: int
    replaces: Decision | None
    replaced_by: Decision | None


def decision_page(decision: Decision) -> DecisionPage:
    """A decision with its lists per title, its award records and what it replaced."""
    lines = decision_lines(decision)
    replaced_by = Decision.objects.filter(replaces=decision).first()
    return DecisionPage(
        decision=decision,
        groups=group_lines(lines),
        count=len(lines),
        replaces=decision.replaces,
        replaced_by=replaced_by,
    )


def decision_list(user) -> QuerySet[Decision]:
    """The list page: every visible decision with its number of lines, newest first."""
    return (
        decisions_visible_to(user)
        .select_related("round")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-pk")
    )


# --- submissions ------------------------------------------------------------------------------


def submission_list(user) -> QuerySet[Submission]:
    return (
        submissions_visible_to(user)
        .select_related("round")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-pk")
    )


def submission_groups(submission: Submission) -> list[TitleGroup]:
    """The nominations of a submission grouped per title in catalogue order, sorted by name."""
    lines = submission.lines.select_related(
        "nomination__person__unit", "nomination__unit", "nomination__round", "award"
    )
    return group_lines(list(lines), of=_nomination_of)
