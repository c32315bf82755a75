"""Meetings of the council: scheduling, the agenda of nominations, attendance."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.council.models import (
    AgendaItem,
    Attendance,
    Council,
    CouncilMember,
    Meeting,
    MeetingStatus,
    VotingMethod,
)
from thidua.council.services.common import (
    agency_id_of,
    audit,
    lock_meeting,
    require_manager,
    require_status,
)
from thidua.eligibility.selectors import agency_settings
from thidua.rounds.models import Nomination, NominationState
from thidua.rounds.selectors import vote_share_for
from thidua.rounds.services import transition_many

MEETING_FIELDS = ["round", "held_at", "place", "method"]


@transaction.atomic
def schedule_meeting(
    *, actor, council: Council, round, held_at: datetime.datetime, place: str = "", method: str
) -> Meeting:
    """Schedule a meeting of the council in office for a round of the same agency. Audited."""
    require_manager(actor, council)
    if not council.active:
        raise BusinessRuleError(_("This council is no longer in office."), code="inactive")
    if round is None or round.agency_id != council.agency_id:
        raise BusinessRuleError(_("Choose an award round of the agency."), field="round")
    if not isinstance(held_at, datetime.datetime):
        raise BusinessRuleError(_("Enter the date and time of the meeting."), field="held_at")
    if method not in VotingMethod.values:
        raise BusinessRuleError(_("Choose how the council votes."), field="method")
    meeting = Meeting.objects.create(
        council=council, round=round, held_at=held_at, place=nfc(place)[:300], method=method
    )
    audit(
        actor=actor,
        agency_id=council.agency_id,
        obj=meeting,
        action=AuditAction.CREATE,
        changes={
            "round": str(round),
            "held_at": held_at.isoformat(),
            "place": meeting.place,
            "method": meeting.get_method_display(),
        },
    )
    return meeting


@transaction.atomic
def set_agenda(*, actor, meeting: Meeting, nominations) -> list[AgendaItem]:
    """Put nominations of the meeting's round before the council (CHECKED → BEFORE_COUNCIL).

    Each item keeps the share of ALL members its title needs, fixed now (Nghị định 98/2023
    Điều 30.7: CSTĐCS 80 %, CSTĐ cấp tỉnh and toàn quốc 90 %, Cờ thi đua 80 %; Giấy khen as the
    agency sets; others 0: no vote needed). The nominations move through the rounds' one
    transition function (one call for all, audited per nomination). Items are added after the
    ones already on the agenda, by title and then the Vietnamese order of names.
    """
    meeting = lock_meeting(meeting)
    require_manager(actor, meeting.council)
    require_status(meeting, MeetingStatus.PLANNED)
    ids = {n.pk if isinstance(n, Nomination) else int(n) for n in nominations}
    if not ids:
        raise BusinessRuleError(
            _("Choose at least one nomination for the agenda."), field="nominations"
        )
    chosen = list(
        Nomination.objects.filter(pk__in=ids)
        .select_related("person", "unit")
        .order_by("title", "person__sort_key", "unit__path", "pk")
    )
    for nomination in chosen:
        if nomination.round_id != meeting.round_id or nomination.agency_id != agency_id_of(meeting):
            raise BusinessRuleError(
                _("%(nomination)s is not a nomination of this round.") % {"nomination": nomination},
                field="nominations",
            )
        if nomination.state != NominationState.CHECKED:
            raise BusinessRuleError(
                _("%(nomination)s has not been checked by the office: it cannot go before the "
                  "council yet.") % {"nomination": nomination},
                field="nominations",
            )  # fmt: skip
    if len(chosen) != len(ids):
        raise BusinessRuleError(_("A chosen nomination no longer exists."), field="nominations")
    settings = agency_settings(agency_id_of(meeting))
    start = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    items = AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                nomination=n,
                position=start + i,
                threshold_percent=vote_share_for(n, settings=settings),
            )
            for i, n in enumerate(chosen)
        ],
        batch_size=1000,
    )
    transition_many(
        actor=actor,
        nominations=chosen,
        to=NominationState.BEFORE_COUNCIL,
        reason=_("On the agenda of the council meeting %(meeting)s") % {"meeting": meeting},
    )
    audit(
        actor=actor,
        agency_id=agency_id_of(meeting),
        obj=meeting,
        changes={"agenda": [None, len(items)]},
        note=_("%(n)s nominations put on the agenda") % {"n": len(items)},
    )
    return items


@transaction.atomic
def remove_from_agenda(*, actor, item: AgendaItem) -> Nomination:
    """Take an item off the agenda before the ballot opens; its nomination goes back to CHECKED."""
    meeting = lock_meeting(item.meeting_id)
    require_manager(actor, meeting.council)
    require_status(meeting, MeetingStatus.PLANNED)
    item = AgendaItem.objects.select_related("nomination").get(pk=item.pk, meeting=meeting)
    nomination = item.nomination
    item.delete()
    transition_many(
        actor=actor,
        nominations=[nomination],
        to=NominationState.CHECKED,
        reason=_("Taken off the agenda of the council meeting %(meeting)s") % {"meeting": meeting},
    )
    audit(
        actor=actor,
        agency_id=agency_id_of(meeting),
        obj=meeting,
        changes={"agenda": [str(nomination), None]},
        note=_("Taken off the agenda"),
    )
    return nomination


@transaction.atomic
def record_attendance(*, actor, meeting: Meeting, present_member_ids) -> list[Attendance]:
    """Record who is present: every active member gets a row, present or absent. Audited.

    Attendance decides the quorum when the ballot opens, and that absent members vote in
    writing (entered by the officer). It can change until the ballot opens.
    """
    meeting = lock_meeting(meeting)
    require_manager(actor, meeting.council)
    require_status(meeting, MeetingStatus.PLANNED)
    members = {
        m.pk: m
        for m in CouncilMember.objects.filter(council=meeting.council, active=True).select_related(
            "person", "user"
        )
    }
    present = {int(pk) for pk in present_member_ids}
    unknown = present - members.keys()
    if unknown:
        raise BusinessRuleError(
            _("Only members of the council in office can be marked present."), field="present"
        )
    existing = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    before = sorted(pk for pk, a in existing.items() if a.present)
    rows = []
    for pk in members:
        row = existing.get(pk) or Attendance(meeting=meeting, member_id=pk)
        row.present = pk in present
        rows.append(row)
    Attendance.objects.bulk_create([r for r in rows if r.pk is None])
    Attendance.objects.bulk_update([r for r in rows if r.pk is not None], ["present"])
    names = {m.pk: str(m) for m in members.values()}
    audit(
        actor=actor,
        agency_id=agency_id_of(meeting),
        obj=meeting,
        changes={
            "present": [
                [names.get(pk, str(pk)) for pk in before],
                sorted(names[pk] for pk in present),
            ]
        },
        note=_("%(present)s of %(total)s members present")
        % {"present": len(present), "total": len(members)},
    )
    return rows
