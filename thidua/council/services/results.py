"""Closing the ballot: every item's result, set-wise, and the nominations moved on.

The base of every threshold is ALL members of the council when the ballot opened, present or
not (Nghị định 98/2023/NĐ-CP Điều 30.7): 6 of 7 members agreeing is 85.7 % and passes an 80 %
title, 5 of 7 (71.4 %) does not, however many were present or voted.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from thidua.core.errors import BusinessRuleError
from thidua.council import selectors
from thidua.council.models import (
    AgendaItem,
    Ballot,
    Meeting,
    MeetingStatus,
    VoteChoice,
    VotingMethod,
)
from thidua.council.services.common import (
    agency_id_of,
    audit,
    lock_meeting,
    require_manager,
    require_status,
    update_rows,
)
from thidua.rounds.models import NominationState
from thidua.rounds.services import transition_many

# Where a tie can reach the threshold (≤ 50 % of the members), the chair's vote decides:
# the usual rule of the council's own rules of procedure (Quy chế hoạt động của Hội đồng Thi
# đua - Khen thưởng: "trường hợp số phiếu ngang nhau thì quyết định theo ý kiến mà Chủ tịch
# Hội đồng đã biểu quyết"). Above 50 % a tie can never reach the threshold.
TIE_RULE = "Quy chế hoạt động của Hội đồng Thi đua - Khen thưởng"


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    abstain: int
    recused: int
    not_voted: int
    passed: bool
    note: str


@dataclass(frozen=True)
class Texts:
    """The note's sentences, translated once per closing instead of once per item."""

    decimal: str
    no_vote: str
    share: str
    detail: str
    tie: str
    tie_no_chair: str
    passed: str
    failed: str


def texts() -> Texts:
    return Texts(
        decimal=get_format("DECIMAL_SEPARATOR"),
        no_vote=_("No council vote is needed for this title."),
        share=_(
            "%(yes)s/%(total)s members agree (%(share)s%%), %(threshold)s%% of all members needed"
        ),
        detail=_(
            "disagree %(no)s, abstain %(abstain)s, may not vote %(recused)s, "
            "did not vote %(not_voted)s"
        ),
        tie=_("tie: the chair's vote decides (%(rule)s)") % {"rule": TIE_RULE},
        tie_no_chair=_("tie and the chair did not vote: not passed (%(rule)s)")
        % {"rule": TIE_RULE},
        passed=_("Passed."),
        failed=_("Not passed."),
    )


def tally(
    *,
    yes: int,
    no: int,
    abstain: int,
    recused: int,
    total: int,
    threshold: int,
    chair_choice: str | None = None,
    words: Texts | None = None,
) -> Tally:
    """The result of one item, in exact integer arithmetic.

    Passed when yes × 100 ≥ threshold × all members (Nghị định 98/2023 Điều 30.7). Threshold 0:
    the title needs no council vote, passed. A tie (yes = no) matters only where the threshold
    is at most 50 %, since only there can a tie reach it: then the chair's vote decides (passed
    if the chair agreed; not passed if the chair disagreed, abstained or did not vote) — see
    TIE_RULE. A tie short of the threshold fails like any other result short of it.
    The note reads e.g. "6/7 thành viên đồng ý (85,7%), cần từ 80% tổng số thành viên; …".
    """
    words = words or texts()
    not_voted = max(total - yes - no - abstain - recused, 0)
    if threshold == 0:
        return Tally(yes, no, abstain, recused, not_voted, True, words.no_vote)
    meets = total > 0 and yes * 100 >= threshold * total
    share = f"{yes * 100 / total:.1f}".replace(".", words.decimal) if total else "0"
    parts = [
        words.share % {"yes": yes, "total": total, "share": share, "threshold": threshold},
        words.detail % {"no": no, "abstain": abstain, "recused": recused, "not_voted": not_voted},
    ]
    passed = meets
    if meets and yes == no and threshold <= 50:
        passed = chair_choice == VoteChoice.YES
        voted = chair_choice in (VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN)
        parts.append(words.tie if voted else words.tie_no_chair)
    verdict = words.passed if passed else words.failed
    return Tally(yes, no, abstain, recused, not_voted, passed, "; ".join(parts) + ". " + verdict)


def _counts(meeting: Meeting) -> dict[int, dict[str, int]]:
    """item id → {choice: ballots}: one GROUP BY over the meeting's ballots."""
    rows = (
        Ballot.objects.filter(item__meeting_id=meeting.pk)
        .order_by()
        .values("item_id", "choice")
        .annotate(n=Count("pk"))
        .values_list("item_id", "choice", "n")
    )
    counts: dict[int, dict[str, int]] = {}
    for item_id, choice, n in rows:
        counts.setdefault(item_id, {})[choice] = n
    return counts


def _chair_choices(meeting: Meeting) -> dict[int, str]:
    chair = selectors.chair_of(meeting.council_id)
    if chair is None:
        return {}
    return dict(
        Ballot.objects.filter(item__meeting_id=meeting.pk, member=chair).values_list(
            "item_id", "choice"
        )
    )


@transaction.atomic
def close_ballot(*, actor, meeting: Meeting) -> Meeting:
    """Close the ballot (VOTING → CLOSED), compute every result and move the nominations.

    Set-wise, in a fixed number of queries whatever the size of the agenda: one GROUP BY over
    the ballots (online and written; a paper ballot's counts come from the tally the officer
    entered, its recusals from the ballots), one UPDATE statement run for all items, and one
    `transition_many` call per target state (PASSED, NOT_PASSED), each nomination with its tally
    as the reason. Items whose nomination left BEFORE_COUNCIL meanwhile (withdrawn) keep their
    result but are not moved. Audited.
    """
    meeting = lock_meeting(meeting)
    require_manager(actor, meeting.council)
    require_status(meeting, MeetingStatus.VOTING)
    items = list(
        AgendaItem.objects.filter(meeting_id=meeting.pk).values_list(
            "pk", "nomination_id", "threshold_percent", "yes", "no", "abstain", "nomination__state"
        )
    )
    counts = _counts(meeting)
    paper = meeting.method == VotingMethod.PAPER
    if paper and not any(y or n or a for _pk, _nid, thr, y, n, a, _s in items if thr):
        raise BusinessRuleError(
            _("Enter the tally of the paper ballots before closing the ballot."), code="no_tally"
        )
    chair = _chair_choices(meeting) if any(0 < it[2] <= 50 for it in items) else {}
    total = meeting.members_total
    rows, moves = [], {NominationState.PASSED: [], NominationState.NOT_PASSED: []}
    reasons: dict[int, str] = {}
    words = texts()
    for pk, nomination_id, threshold, p_yes, p_no, p_abstain, state in items:
        c = counts.get(pk, {})
        if paper:
            yes, no, abstain = p_yes, p_no, p_abstain
        else:
            yes, no, abstain = c.get("YES", 0), c.get("NO", 0), c.get("ABSTAIN", 0)
        t = tally(
            yes=yes,
            no=no,
            abstain=abstain,
            recused=c.get("RECUSED", 0),
            total=total,
            threshold=threshold,
            chair_choice=chair.get(pk),
            words=words,
        )
        rows.append((t.yes, t.no, t.abstain, t.recused, t.not_voted, t.passed, t.note[:500], pk))
        if state == NominationState.BEFORE_COUNCIL:
            moves[NominationState.PASSED if t.passed else NominationState.NOT_PASSED].append(
                nomination_id
            )
            reasons[nomination_id] = t.note
    update_rows(
        AgendaItem,
        ["yes", "no", "abstain", "recused", "not_voted", "passed", "result_note"],
        rows,
    )
    for to, ids in moves.items():
        if ids:
            transition_many(actor=actor, nominations=ids, to=to, reasons=reasons)
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["status", "closed_at"])
    audit(
        actor=actor,
        agency_id=agency_id_of(meeting),
        obj=meeting,
        changes={
            "status": [str(MeetingStatus.VOTING.label), str(MeetingStatus.CLOSED.label)],
            "passed": len(moves[NominationState.PASSED]),
            "not_passed": len(moves[NominationState.NOT_PASSED]),
        },
    )
    return meeting
