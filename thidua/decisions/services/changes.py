"""Revoking and correcting an issued decision. The original stays, with its lines and its
award records, marked REVOKED or CORRECTED; a correction is a new numbered decision that
`replaces` it."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.decisions.models import Decision, DecisionLine, DecisionStatus
from thidua.decisions.services.common import (
    audit_document,
    check_date,
    check_passed,
    check_signer,
    lock_document,
    lock_nominations,
    required_text,
)
from thidua.decisions.services.decisions import (
    check_year,
    issue_lines,
    make_lines,
    notify_issued,
    renumber,
    take_number,
    to_decide,
)
from thidua.records.models import AwardStatus
from thidua.records.services import correct_awards, revoke_awards
from thidua.rounds.models import Nomination


def _check_issued(decision: Decision) -> None:
    if decision.status != DecisionStatus.ISSUED:
        raise BusinessRuleError(
            _("This decision is %(status)s: only an issued decision can be revoked or corrected.")
            % {"status": decision.get_status_display()},
            code="not_issued",
        )


@transaction.atomic
def revoke_decision(*, actor, decision: Decision, reason: str) -> Decision:
    """Revoke an issued decision (thu hồi): it stays, marked REVOKED with the reason, and so do
    its award records (status REVOKED, as `records.services.revoke_award` marks them; never
    deleted), so they no longer count for eligibility. Its nominations stay DECIDED, the end of
    their workflow: the decision's status tells what became of it. Side effects: the statuses
    and audit rows."""
    decision = lock_document(decision)
    _check_issued(decision)
    reason = required_text(
        reason, field="reason", message=_("Give the reason for revoking."), limit=1000
    )
    note = _("%(reason)s (revoking decision %(number)s)") % {
        "reason": reason,
        "number": decision.reference,
    }
    awards = revoke_awards(actor=actor, awards=_awards_of(decision), reason=note)
    decision.status = DecisionStatus.REVOKED
    decision.status_reason = reason
    decision.save(update_fields=["status", "status_reason"])
    audit_document(
        actor=actor,
        document=decision,
        action=AuditAction.UPDATE,
        changes={
            "status": [str(DecisionStatus.ISSUED.label), str(DecisionStatus.REVOKED.label)],
            "awards_revoked": len(awards),
        },
        note=reason,
    )
    return decision


def _awards_of(decision: Decision) -> list:
    return [line.award for line in decision.lines.select_related("award").order_by("pk")]


@transaction.atomic
def correct_decision(
    *,
    actor,
    decision: Decision,
    reason: str,
    signed_on: datetime.date,
    signer,
    remove_lines=(),
    add_nominations=(),
    summary: str | None = None,
) -> Decision:
    """Issue a new numbered decision that replaces an issued one (đính chính, thay thế).

    The old decision becomes CORRECTED (`replaces` points to it from the new one) and keeps its
    lines. For each kept line its award is corrected (the old record CORRECTED, pointing to a
    new one with the new number and date); the awards of `remove_lines` are revoked;
    `add_nominations` (passed, decided by the agency's head, in no live decision) are decided
    and awarded as in `issue_decision`. Side effects: the new number,
    both decisions, the award records, audit rows and notices; any failure undoes all of it.
    """
    old = lock_document(decision)
    _check_issued(old)
    reason = required_text(
        reason, field="reason", message=_("Give the reason for the correction."), limit=1000
    )
    name, position = check_signer(agency_id=old.agency_id, signer=signer)
    check_date(signed_on, field="signed_on", not_before=old.signed_on)
    old_lines = list(old.lines.select_related("award", "person", "unit").order_by("pk"))
    remove_ids = {line.pk if isinstance(line, DecisionLine) else int(line) for line in remove_lines}
    if remove_ids - {line.pk for line in old_lines}:
        raise BusinessRuleError(
            _("A line to remove is not in this decision."), field="remove_lines", code="unknown"
        )
    kept = [line for line in old_lines if line.pk not in remove_ids]
    added = []
    if add_nominations:
        if old.round is None:
            raise BusinessRuleError(
                _("This decision has no round to add nominations from."), code="no_round"
            )
        added = to_decide(round_=old.round, nominations=add_nominations)
    if not kept and not added:
        raise BusinessRuleError(
            _("The correction would leave no line: revoke the decision instead."),
            field="remove_lines",
            code="empty",
        )
    for line in kept:
        if line.award_id is None or line.award.status != AwardStatus.ACTIVE:
            raise BusinessRuleError(
                _("%(subject)s: the award of this line is no longer in force; remove the line.")
                % {"subject": line.person or line.unit},
                field="remove_lines",
                code="award_not_active",
            )
    new = Decision(
        agency=old.agency,
        round=old.round,
        status=DecisionStatus.ISSUED,
        summary=(nfc(summary) or old.summary)[:500],
        signed_on=signed_on,
        signer=signer,
        signer_name=name,
        signer_position=position,
        replaces=old,
        created_by=actor if getattr(actor, "pk", None) else None,
        issued_at=timezone.now(),
    )
    take_number(new, signed_on)
    added_locked = lock_nominations([n.pk for n in added]) if added else []
    if added_locked:
        check_year(signed_on, added_locked)
        check_passed(added_locked, on=signed_on)
    new.save()
    old.status = DecisionStatus.CORRECTED
    old.status_reason = reason
    old.save(update_fields=["status", "status_reason"])
    note = _("%(reason)s (decision %(old)s replaced by %(new)s)") % {
        "reason": reason,
        "old": old.reference,
        "new": new.reference,
    }
    moved = correct_awards(
        actor=actor,
        awards=[line.award for line in kept],
        reason=note,
        decision_number=new.reference,
        decision_date=signed_on,
    )
    DecisionLine.objects.bulk_create(
        [
            DecisionLine(
                decision=new,
                nomination_id=line.nomination_id,
                person_id=line.person_id,
                unit_id=line.unit_id,
                title=line.title,
                position=line.position,
                award=moved[line.award_id],
            )
            for line in kept
        ],
        batch_size=1000,
    )
    removed = [line for line in old_lines if line.pk in remove_ids]
    revoke_awards(actor=actor, awards=[line.award for line in removed], reason=note)
    if added_locked:
        extra = make_lines(new, added_locked)
        issue_lines(actor=actor, decision=new, lines=extra, nominations=added_locked)
        renumber(new)
    audit_document(
        actor=actor,
        document=old,
        action=AuditAction.UPDATE,
        changes={
            "status": [str(DecisionStatus.ISSUED.label), str(DecisionStatus.CORRECTED.label)],
            "replaced_by": new.reference,
        },
        note=reason,
    )
    audit_document(
        actor=actor,
        document=new,
        action=AuditAction.CREATE,
        changes={
            "number": new.reference,
            "replaces": old.reference,
            "signed_on": signed_on.isoformat(),
            "signer": name,
            "kept": len(kept),
            "removed": [
                f"{line.get_title_display()}: {line.person or line.unit}" for line in removed
            ][:200],
            "added": len(added_locked),
        },
        note=reason,
    )
    kept_nominations = list(
        Nomination.objects.filter(
            pk__in=[line.nomination_id for line in kept if line.nomination_id]
        )
    )
    notify_issued(new, kept_nominations + added_locked)
    return new
