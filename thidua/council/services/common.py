"""What the council services share: locks, permission checks, audit rows and bulk row updates."""

from django.db import connection
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.audit.services import record
from thidua.core.errors import BusinessRuleError
from thidua.council.models import Council, CouncilMember, Meeting, MeetingStatus, VoteChoice

# A refusal with one of these codes is a forged or misdirected vote, not a typing mistake: it
# is written to the audit log as DENIED (who, when, which meeting) although the vote is refused.
DENIED_CODES = frozenset({"not_member", "recused", "forbidden"})

VOTES = (VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN)
REASON_MAX = 500


def lock_meeting(meeting: Meeting | int) -> Meeting:
    """The meeting re-read under a row lock: votes, tallies and the closing queue behind it.

    On SQLite the IMMEDIATE transactions (settings) already serialise writers.
    """
    pk = meeting.pk if isinstance(meeting, Meeting) else int(meeting)
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("council", "round")
        .get(pk=pk)
    )


def require_manager(actor, council: Council) -> None:
    """Only the officer or the administrator of the council's agency manages it."""
    if actor is None or not actor.has_perm("council.manage", council):
        raise BusinessRuleError(
            _("Only the commendation officer of the agency may do this."), code="forbidden"
        )


def require_status(meeting: Meeting, status: str) -> None:
    if meeting.status == status:
        return
    messages = {
        MeetingStatus.PLANNED: _(
            "The ballot of this meeting has already been opened: the agenda and the attendance "
            "can no longer change."
        ),
        MeetingStatus.VOTING: (
            _("The ballot of this meeting is closed: votes can no longer change.")
            if meeting.status == MeetingStatus.CLOSED
            else _("The ballot of this meeting is not open yet.")
        ),
    }
    raise BusinessRuleError(
        messages.get(status, _("This meeting is at another step.")), code="wrong_status"
    )


def voting_member(actor, meeting: Meeting) -> CouncilMember:
    """The actor's active seat in the meeting's council, or a refusal that will be logged."""
    member = None
    if getattr(actor, "pk", None):
        member = (
            CouncilMember.objects.filter(
                council_id=meeting.council_id, user_id=actor.pk, active=True
            )
            .select_related("person")
            .first()
        )
    if member is None:
        raise BusinessRuleError(
            _("Only the members of this council vote in its ballot."), code="not_member"
        )
    return member


def agency_id_of(meeting: Meeting) -> int:
    return meeting.council.agency_id


def audit(*, actor, agency_id: int, obj, action: str = AuditAction.UPDATE, changes=None, note=""):
    return record(
        actor=actor, agency_id=agency_id, action=action, obj=obj, changes=changes, note=note
    )


def update_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """UPDATE `fields` of many rows by primary key: one prepared statement run for all rows.

    `rows` are (value, …, pk) tuples in the order of `fields`. `bulk_update` writes a CASE per
    field and row, which costs seconds for thousands of agenda items; `executemany` costs
    about 0.2 s for 5,000 (PostgreSQL: psycopg pipelines the statements; SQLite: a library call).
    """
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s", rows
        )


def clean_choices(items: dict[int, object], choices: dict) -> dict[int, tuple[str, str]]:
    """Check a member's choices: item ids of the meeting that need a vote, a known choice, and a
    reason for every abstention (the ballot page asks for it). Returns {item id: (choice, reason)}.
    """
    cleaned: dict[int, tuple[str, str]] = {}
    for raw_id, value in choices.items():
        try:
            item_id = int(raw_id)
        except (TypeError, ValueError):
            item_id = None
        item = items.get(item_id)
        if item is None:
            raise BusinessRuleError(
                _("This nomination is not on the agenda of the meeting."), code="unknown_item"
            )
        if isinstance(value, str):
            choice, reason = value, ""
        else:
            choice, reason = value
        reason = " ".join(str(reason or "").split())
        if item.threshold_percent == 0:
            raise BusinessRuleError(
                _("%(item)s needs no council vote.") % {"item": item.nomination},
                field=f"c{item_id}",
                code="no_vote_needed",
            )
        if choice not in VOTES:
            raise BusinessRuleError(
                _("%(item)s: choose Agree, Disagree or Abstain.") % {"item": item.nomination},
                field=f"c{item_id}",
                code="bad_choice",
            )
        if choice == VoteChoice.ABSTAIN and not reason:
            raise BusinessRuleError(
                _("%(item)s: write why you abstain.") % {"item": item.nomination},
                field=f"r{item_id}",
                code="reason_required",
            )
        if len(reason) > REASON_MAX:
            raise BusinessRuleError(
                _("%(item)s: the reason is longer than %(max)s characters.")
                % {"item": item.nomination, "max": REASON_MAX},
                field=f"r{item_id}",
            )
        cleaned[item_id] = (choice, reason)
    return cleaned
