"""The one transition function of a nomination's workflow."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.audit.services import record, record_many
from thidua.core.errors import BusinessRuleError
from thidua.rounds.models import TRANSITIONS, Nomination, NominationState, NominationStep


def lock(nomination: Nomination) -> Nomination:
    """The nomination re-read under a row lock, so that concurrent steps queue."""
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("round", "person", "unit", "nominating_unit")
        .get(pk=nomination.pk)
    )


@transaction.atomic
def transition(
    *,
    actor,
    nomination: Nomination,
    to: str,
    reason: str = "",
    changes: dict | None = None,
    update_fields: dict | None = None,
) -> Nomination:
    """Move a nomination to state `to`, or refuse with a Vietnamese message.

    Owns every side effect of a move: re-reads the nomination under a row lock, refuses a move
    that TRANSITIONS does not allow, saves the new state together with `update_fields` (other
    fields the step sets, e.g. the reason for a return), appends a `NominationStep` (who, when,
    from → to, reason, what changed) and one audit row. Callers check their own business rules
    (who may do it, deadlines, votes) before calling; notifications are sent by the caller's
    service after this returns, inside the same transaction.
    """
    current = lock(nomination)
    allowed = TRANSITIONS.get(current.state, frozenset())
    if to not in allowed:
        raise BusinessRuleError(
            _("This dossier is at the step “%(state)s”: it cannot go to “%(to)s”.")
            % {"state": current.get_state_display(), "to": NominationState(to).label},
            field="state",
            code="illegal_transition",
        )
    before = current.state
    fields = ["state", "updated_at"]
    for name, value in (update_fields or {}).items():
        setattr(current, name, value)
        fields.append(name)
    current.state = to
    current.save(update_fields=fields)
    NominationStep.objects.create(
        nomination=current,
        from_state=before,
        to_state=to,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason[:1000],
        changes=changes or {},
    )
    record(
        actor=actor,
        agency_id=current.agency_id,
        action=AuditAction.UPDATE,
        obj=current,
        changes={"state": [str(NominationState(before).label), str(NominationState(to).label)]}
        | (changes or {}),
        note=reason,
    )
    return current


@transaction.atomic
def transition_many(
    *, actor, nominations, to: str, reason: str = "", reasons: dict[int, str] | None = None
) -> list[Nomination]:
    """Move many nominations to `to` at once (closing a ballot, issuing a decision).

    The same rules and side effects as `transition`, in a fixed number of queries: the rows are
    locked together, and if any of them may not move the whole call is refused (nothing moves).
    `reasons` optionally gives each nomination (by id) its own reason, e.g. its vote tally.
    """
    ids = sorted({n.pk if isinstance(n, Nomination) else int(n) for n in nominations})
    if not ids:
        return []
    locked = list(
        Nomination.objects.select_for_update(of=("self",))
        .select_related("person", "unit")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    for current in locked:
        if to not in TRANSITIONS.get(current.state, frozenset()):
            raise BusinessRuleError(
                _("%(subject)s: this dossier is at the step “%(state)s”: it cannot go to “%(to)s”.")
                % {
                    "subject": current,
                    "state": current.get_state_display(),
                    "to": NominationState(to).label,
                },
                field="state",
                code="illegal_transition",
            )
    reasons = reasons or {}
    before = {n.pk: n.state for n in locked}
    Nomination.objects.filter(pk__in=ids).update(state=to, updated_at=timezone.now())
    who = actor if getattr(actor, "pk", None) else None
    NominationStep.objects.bulk_create(
        [
            NominationStep(
                nomination=n,
                from_state=before[n.pk],
                to_state=to,
                actor=who,
                reason=reasons.get(n.pk, reason)[:1000],
            )
            for n in locked
        ],
        batch_size=1000,
    )
    for n in locked:
        n.state = to
    label = {s: str(s.label) for s in NominationState}
    record_many(
        actor=actor,
        action=AuditAction.UPDATE,
        rows=[
            (n, {"state": [label[before[n.pk]], label[to]]}, reasons.get(n.pk, reason))
            for n in locked
        ],
    )
    return locked
