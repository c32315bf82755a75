"""The secret ballot: opening it (quorum, conflicts), votes, written votes, the paper tally.

Secrecy: no audit row, notification or message ever carries a member's choice; the audit log
says who acted, when and on how many items, never what they chose.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.audit.services import record
from thidua.core.errors import BusinessRuleError
from thidua.council import selectors
from thidua.council.models import (
    AgendaItem,
    Attendance,
    Ballot,
    CouncilMember,
    Meeting,
    MeetingStatus,
    VoteChoice,
    VoteSource,
    VotingMethod,
)
from thidua.council.services.common import (
    DENIED_CODES,
    agency_id_of,
    audit,
    clean_choices,
    lock_meeting,
    require_manager,
    require_status,
    update_rows,
    voting_member,
)
from thidua.eligibility.selectors import agency_settings
from thidua.notifications.models import NotificationKind
from thidua.notifications.services import notify


@transaction.atomic
def open_ballot(*, actor, meeting: Meeting) -> Meeting:
    """Open the ballot (PLANNED → VOTING), or refuse when the quorum is not met.

    Fixes the base of every result now: the active members (all of them, present or not:
    Nghị định 98/2023 Điều 30.7), those present, and the quorum (setting
    `council_quorum_percent`, default 67 = at least two thirds present, exactly:
    `selectors.quorum_met`). Members without an attendance row are recorded absent.
    Writes a RECUSED ballot for every vote a member may not cast (`selectors.recusals`: their
    own nomination; their own unit's when the agency sets `council_recuse_own_unit`), and,
    for an online ballot, notifies every member with a link to their ballot. Audited.
    """
    meeting = lock_meeting(meeting)
    require_manager(actor, meeting.council)
    require_status(meeting, MeetingStatus.PLANNED)
    members = list(
        CouncilMember.objects.filter(council_id=meeting.council_id, active=True).select_related(
            "user", "person__unit"
        )
    )
    if not members:
        raise BusinessRuleError(_("The council has no members."), code="no_members")
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        raise BusinessRuleError(
            _("The agenda is empty: put the checked nominations on it first."), code="no_agenda"
        )
    settings = agency_settings(agency_id_of(meeting))
    quorum = int(settings.get("council_quorum_percent") or 0)
    attendance = selectors.attendance_of(meeting)
    total = len(members)
    present = sum(1 for m in members if attendance.get(m.pk))
    if not selectors.quorum_met(present, total, quorum):
        raise BusinessRuleError(
            _("The quorum is not met: %(present)s of %(total)s members are present, and at least "
              "%(needed)s (%(percent)s%% of all members) must be. Record the attendance again "
              "when enough members are present.")
            % {"present": present, "total": total, "needed": selectors.quorum_needed(total, quorum),
               "percent": quorum},
            code="no_quorum",
        )  # fmt: skip
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, member=m, present=False)
            for m in members
            if m.pk not in attendance
        ]
    )
    conflicts = selectors.recusals(
        meeting=meeting,
        members=members,
        recuse_own_unit=bool(settings.get("council_recuse_own_unit")),
    )
    Ballot.objects.bulk_create(
        [
            Ballot(
                item_id=item_id, member_id=member_id, choice=VoteChoice.RECUSED, reason=why[:500]
            )
            for member_id, item_id, why in conflicts
        ],
        batch_size=1000,
    )
    meeting.status = MeetingStatus.VOTING
    meeting.members_total, meeting.present_count = total, present
    meeting.quorum_percent, meeting.quorum_met = quorum, True
    meeting.opened_at = timezone.now()
    meeting.save(
        update_fields=[
            "status", "members_total", "present_count", "quorum_percent", "quorum_met", "opened_at"
        ]
    )  # fmt: skip
    audit(
        actor=actor,
        agency_id=agency_id_of(meeting),
        obj=meeting,
        changes={
            "status": [str(MeetingStatus.PLANNED.label), str(MeetingStatus.VOTING.label)],
            "members_total": total,
            "present_count": present,
            "quorum_percent": quorum,
            "recused": len(conflicts),
        },
    )
    if meeting.method == VotingMethod.ONLINE:
        notify(
            users=[m.user for m in members],
            kind=NotificationKind.BALLOT_OPENED,
            message=_(
                "The secret ballot of the council meeting %(meeting)s is open: cast your vote."
            )
            % {"meeting": meeting},
            url=reverse("council:ballot", args=[meeting.pk]),
            key=f"ballot-opened:{meeting.pk}",
        )
    return meeting


def record_refused_vote(*, actor, meeting_id: int, reason: str, items: int = 0) -> None:
    """Write a DENIED row: someone tried to vote in a ballot where they may not.

    Called after the refused vote's own transaction has rolled back (or by the view before it
    answers 403/404), so that the row stays although the vote does not.
    """
    record(
        actor=actor,
        agency_id=selectors.meeting_agency_id(meeting_id),
        action=AuditAction.DENIED,
        object_type="meeting",
        object_id=str(meeting_id),
        changes={"items": items},
        note=_("Vote refused: %(reason)s") % {"reason": reason},
    )


def _items(meeting: Meeting, ids) -> dict[int, AgendaItem]:
    wanted = []
    for raw in ids:
        try:
            wanted.append(int(raw))
        except (TypeError, ValueError):
            continue
    return {
        item.pk: item
        for item in AgendaItem.objects.filter(meeting=meeting, pk__in=wanted).select_related(
            "nomination__person", "nomination__unit"
        )
    }


def _write(*, member: CouncilMember, cleaned: dict, source: str, entered_by=None) -> int:
    """Create or change the member's ballots (one per item: the unique constraint holds it)."""
    existing = {b.item_id: b for b in Ballot.objects.filter(member=member, item_id__in=cleaned)}
    now = timezone.now()
    new, changed = [], []
    for item_id, (choice, reason) in cleaned.items():
        ballot = existing.get(item_id)
        if ballot is None:
            new.append(
                Ballot(item_id=item_id, member=member, choice=choice, reason=reason,
                       source=source, entered_by=entered_by)
            )  # fmt: skip
        elif (ballot.choice, ballot.reason) != (choice, reason):
            changed.append(
                (choice, reason, source, getattr(entered_by, "pk", None), now, ballot.pk)
            )
    Ballot.objects.bulk_create(new, batch_size=1000)
    update_rows(Ballot, ["choice", "reason", "source", "entered_by", "cast_at"], changed)
    return len(new) + len(changed)


@transaction.atomic
def _cast(*, actor, meeting: Meeting, choices: dict) -> int:
    meeting = lock_meeting(meeting)
    member = voting_member(actor, meeting)
    require_status(meeting, MeetingStatus.VOTING)
    if meeting.method != VotingMethod.ONLINE:
        raise BusinessRuleError(
            _("This meeting votes on paper: the office enters the tally."), code="paper"
        )
    if not selectors.attendance_of(meeting).get(member.pk):
        raise BusinessRuleError(
            _("You are recorded absent from this meeting: absent members vote in writing, and "
              "the office enters the written vote."),
            code="absent",
        )  # fmt: skip
    cleaned = clean_choices(_items(meeting, choices.keys()), choices)
    recused = selectors.recused_items(meeting, member)
    for item_id in cleaned:
        if item_id in recused:
            raise BusinessRuleError(
                _("You cannot vote on this nomination: %(why)s") % {"why": recused[item_id]},
                field=f"c{item_id}",
                code="recused",
            )
    written = _write(member=member, cleaned=cleaned, source=VoteSource.ONLINE)
    audit(
        actor=actor,
        agency_id=agency_id_of(meeting),
        obj=meeting,
        changes={"ballots": written},
        note=_("Secret ballot cast online"),
    )
    return written


def cast_votes(*, actor, meeting: Meeting, choices: dict) -> int:
    """Cast (or change) the actor's own votes {item id: (choice, reason)}, all or nothing.

    Only an active member of the meeting's council who is present, only while the ballot is
    open (online method), never on an item they are recused from; Abstain needs a reason. A
    member may change their choice until the ballot closes: it stays one ballot per member
    and item (unique constraint), counted once. Returns the number of ballots written.

    A refusal for a non-member, a recused item or a forbidden actor is also written to the
    audit log as DENIED; that row is written after the vote's transaction has rolled back, so
    it stays (callers must not wrap this call in an atomic block they roll back).
    """
    try:
        return _cast(actor=actor, meeting=meeting, choices=choices)
    except BusinessRuleError as exc:
        if exc.code in DENIED_CODES:
            record_refused_vote(
                actor=actor, meeting_id=meeting.pk, reason=exc.message, items=len(choices)
            )
        raise


def cast_vote(
    *, actor, meeting: Meeting, item: AgendaItem | int, choice: str, reason: str = ""
) -> int:
    """One vote: `cast_votes` with a single item."""
    item_id = item.pk if isinstance(item, AgendaItem) else int(item)
    return cast_votes(actor=actor, meeting=meeting, choices={item_id: (choice, reason)})


@transaction.atomic
def enter_written_votes(*, actor, meeting: Meeting, member: CouncilMember, choices: dict) -> int:
    """The officer enters the written vote of a member recorded absent (source WRITTEN).

    The base of the vote is all members, so absent members vote in writing (domain.md;
    Nghị định 98/2023 Điều 30.7). Only while an online ballot is open; the officer may correct
    an entry until it closes. Recused items stay recused. Audited, without the choices.
    """
    meeting = lock_meeting(meeting)
    require_manager(actor, meeting.council)
    require_status(meeting, MeetingStatus.VOTING)
    if meeting.method != VotingMethod.ONLINE:
        raise BusinessRuleError(
            _("This meeting votes on paper: written votes are counted in the paper tally."),
            code="paper",
        )
    member = CouncilMember.objects.filter(
        pk=getattr(member, "pk", member), council_id=meeting.council_id, active=True
    ).first()
    if member is None:
        raise BusinessRuleError(_("This is not a member of the council."), field="member")
    if selectors.attendance_of(meeting).get(member.pk, False):
        raise BusinessRuleError(
            _("%(name)s is recorded present: members present vote themselves.") % {"name": member},
            field="member",
            code="present",
        )
    cleaned = clean_choices(_items(meeting, choices.keys()), choices)
    recused = selectors.recused_items(meeting, member)
    for item_id in cleaned:
        if item_id in recused:
            raise BusinessRuleError(
                _("%(name)s cannot vote on this nomination: %(why)s")
                % {"name": member, "why": recused[item_id]},
                field=f"c{item_id}",
                code="recused",
            )
    written = _write(member=member, cleaned=cleaned, source=VoteSource.WRITTEN, entered_by=actor)
    audit(
        actor=actor,
        agency_id=agency_id_of(meeting),
        obj=meeting,
        changes={"ballots": written, "member": str(member)},
        note=_("Written vote of an absent member entered"),
    )
    return written


@transaction.atomic
def enter_paper_tally(*, actor, meeting: Meeting, tallies: dict) -> int:
    """The officer enters the counted paper ballots {item id: (yes, no, abstain)}, all or nothing.

    Each count is a whole number ≥ 0 and, with the item's recused members, no more than all
    members (yes + no + abstain + recused ≤ members). Only for a paper ballot that is open;
    entering again replaces the counts. The result is computed when the ballot closes.
    """
    meeting = lock_meeting(meeting)
    require_manager(actor, meeting.council)
    require_status(meeting, MeetingStatus.VOTING)
    if meeting.method != VotingMethod.PAPER:
        raise BusinessRuleError(
            _("This meeting votes online: the members cast their own ballots."), code="online"
        )
    items = _items(meeting, tallies.keys())
    recused = selectors.recused_counts(meeting)
    rows = []
    for raw_id, counts in tallies.items():
        item = items.get(int(raw_id)) if str(raw_id).isdigit() else None
        if item is None:
            raise BusinessRuleError(
                _("This nomination is not on the agenda of the meeting."), code="unknown_item"
            )
        if item.threshold_percent == 0:
            continue
        try:
            yes, no, abstain = (int(c) for c in counts)
        except (TypeError, ValueError):
            yes = no = abstain = -1
        if min(yes, no, abstain) < 0:
            raise BusinessRuleError(
                _("%(item)s: each count is a whole number, 0 or more.") % {"item": item.nomination},
                field=f"y{item.pk}",
            )
        taken = recused.get(item.pk, 0)
        if yes + no + abstain + taken > meeting.members_total:
            raise BusinessRuleError(
                _("%(item)s: %(sum)s ballots (%(recused)s of them members who may not vote) are "
                  "more than the %(total)s members of the council.")
                % {"item": item.nomination, "sum": yes + no + abstain + taken, "recused": taken,
                   "total": meeting.members_total},
                field=f"y{item.pk}",
            )  # fmt: skip
        rows.append((yes, no, abstain, item.pk))
    update_rows(AgendaItem, ["yes", "no", "abstain"], rows)
    audit(
        actor=actor,
        agency_id=agency_id_of(meeting),
        obj=meeting,
        changes={"tallied_items": len(rows)},
        note=_("Paper ballot tally entered"),
    )
    return len(rows)
