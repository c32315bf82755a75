"""The dossier's life: edited by its unit, submitted, checked or returned by the office, withdrawn.

Every move of state goes through `workflow.transition` (lock, legal move, step, audit row); the
functions here check who may take the step and the step's own rules first.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from thidua.accounts.models import Role, User
from thidua.audit.models import AuditAction
from thidua.audit.services import record
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.eligibility.selectors import agency_settings
from thidua.notifications.models import NotificationKind
from thidua.notifications.services import notify
from thidua.rounds.models import (
    EDITABLE,
    TRANSITIONS,
    Evidence,
    Nomination,
    NominationState,
    Round,
    RoundStatus,
)
from thidua.rounds.selectors import (
    dossier_changes,
    dossier_contents,
    file_name,
    vote_share_for,
)
from thidua.rounds.services.assessment import assess
from thidua.rounds.services.common import allowed, check_file, ensure, text, today
from thidua.rounds.services.workflow import lock, transition, transition_many

S = NominationState
# A unit head may withdraw their own dossier until the office has checked it.
HEAD_MAY_WITHDRAW = frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED})


def _refuse_move(nomination: Nomination, to: str) -> None:
    """The same refusal as `transition`, before a step checks anything else."""
    if to not in TRANSITIONS.get(nomination.state, frozenset()):
        raise BusinessRuleError(
            _("This dossier is at the step “%(state)s”: it cannot go to “%(to)s”.")
            % {"state": nomination.get_state_display(), "to": NominationState(to).label},
            field="state",
            code="illegal_transition",
        )


def _editable(nomination: Nomination) -> None:
    if nomination.state not in EDITABLE:
        raise BusinessRuleError(
            _(
                "The dossier can be changed only as a draft or when returned for amendment; "
                "it is now at the step “%(state)s”."
            )
            % {"state": nomination.get_state_display()},
            field="state",
            code="not_editable",
        )


def _may_edit(actor, nomination: Nomination) -> None:
    ensure(
        actor,
        "rounds.change_dossier",
        nomination,
        _("Only the head of the nominating unit or the officer can change this dossier."),
    )


@transaction.atomic
def update_dossier(
    *, actor, nomination: Nomination, achievement_report: str | None = None, report_file=None
) -> Nomination:
    """Change the achievement report (typed, or uploaded as a file) while the dossier is a draft
    or returned for amendment. Audited with the values before and after."""
    nomination = lock(nomination)
    _may_edit(actor, nomination)
    _editable(nomination)
    before = {
        "achievement_report": nomination.achievement_report,
        "report_file": file_name(nomination.report_file),
    }
    fields = ["updated_at"]
    if achievement_report is not None:
        nomination.achievement_report = text(achievement_report)
        fields.append("achievement_report")
    if report_file is not None:
        check_file(report_file, field="report_file")
        # The old file stays on disk: a returned dossier's first version is part of its history.
        nomination.report_file.save(report_file.name, report_file, save=False)
        fields.append("report_file")
    nomination.save(update_fields=fields)
    after = {
        "achievement_report": nomination.achievement_report,
        "report_file": file_name(nomination.report_file),
    }
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if changes:
        record(
            actor=actor,
            agency_id=nomination.agency_id,
            action=AuditAction.UPDATE,
            obj=nomination,
            changes=changes,
        )
    return nomination


@transaction.atomic
def add_evidence(*, actor, nomination: Nomination, name: str, file) -> Evidence:
    """Attach a file to the dossier (proof of an initiative, of a rating, minutes…)."""
    nomination = lock(nomination)
    _may_edit(actor, nomination)
    _editable(nomination)
    check_file(file, field="file")
    name = nfc(name) or nfc(file.name)
    evidence = Evidence.objects.create(
        nomination=nomination,
        name=name[:300],
        file=file,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        actor=actor,
        agency_id=nomination.agency_id,
        action=AuditAction.CREATE,
        obj=evidence,
        changes={
            "nomination": str(nomination),
            "name": evidence.name,
            "file": file_name(evidence.file),
        },
    )
    return evidence


@transaction.atomic
def remove_evidence(*, actor, evidence: Evidence) -> None:
    """Take a file out of a dossier that is still editable; the file goes once this commits."""
    nomination = lock(evidence.nomination)
    _may_edit(actor, nomination)
    _editable(nomination)
    evidence = Evidence.objects.get(pk=evidence.pk)
    record(
        actor=actor,
        agency_id=nomination.agency_id,
        action=AuditAction.DELETE,
        obj=evidence,
        changes={
            "nomination": str(nomination),
            "name": evidence.name,
            "file": file_name(evidence.file),
        },
    )
    storage, path = evidence.file.storage, evidence.file.name
    evidence.delete()
    if path:
        transaction.on_commit(lambda: storage.delete(path))


@transaction.atomic
def submit(*, actor, nomination: Nomination) -> Nomination:
    """Send a draft (or an amended dossier) to the office.

    It needs an achievement report (typed or uploaded; Điều 84 Luật TĐKT 2022). The engine runs
    again, as the records may have changed since the nomination; on a resubmission after a
    return, what changed since the return (report, report file, evidence) is kept in the step,
    so that the officer sees it.
    """
    nomination = lock(nomination)
    _may_edit(actor, nomination)
    _refuse_move(nomination, S.SUBMITTED)
    if nomination.round.status != RoundStatus.OPEN:
        raise BusinessRuleError(
            _("The round is closed: dossiers can no longer be submitted."), code="closed"
        )
    if not nomination.achievement_report and not nomination.report_file:
        raise BusinessRuleError(
            _("Write the achievement report, or upload it, before submitting."),
            field="achievement_report",
            code="no_report",
        )
    (result,) = assess(
        round=nomination.round,
        items=[(nomination.subject, nomination.title)],
        settings=agency_settings(nomination.agency_id),
        exclude_ids={nomination.pk},
    )
    changes = {}
    if nomination.state == S.RETURNED:
        changes = dossier_changes(nomination.amend_from or {}, dossier_contents(nomination))
    return transition(
        actor=actor,
        nomination=nomination,
        to=S.SUBMITTED,
        changes=changes,
        update_fields={
            "eligible": result.eligible,
            "eligibility": result.conditions,
            "warnings": result.warnings,
        },
    )


def _unit_heads_over(nomination: Nomination):
    """The heads of the nominating unit and of the units above it (a branch's dossier goes
    through its parent unit)."""
    ids = [int(part) for part in nomination.nominating_unit.path.strip("/").split("/") if part]
    return User.objects.filter(
        roles__role=Role.UNIT_HEAD, roles__unit_id__in=ids, is_active=True
    ).distinct()


@transaction.atomic
def return_for_amendment(
    *, actor, nomination: Nomination, reason: str, amend_by: datetime.date | None
) -> Nomination:
    """Return a submitted (or checked) dossier to its unit with a reason and a deadline.

    The dossier as it stands is kept (`amend_from`) so that the resubmission shows what changed;
    the person who created the nomination and the heads of the nominating unit are notified.
    """
    nomination = lock(nomination)
    ensure(
        actor,
        "rounds.check_dossier",
        nomination,
        _("Only the commendation officer returns dossiers."),
    )
    _refuse_move(nomination, S.RETURNED)
    reason = nfc(reason)
    if not reason:
        raise BusinessRuleError(_("Say what the unit must amend."), field="reason", code="required")
    if amend_by is None or amend_by <= today():
        raise BusinessRuleError(
            _("Give the unit a deadline after today."), field="amend_by", code="deadline"
        )
    nomination = transition(
        actor=actor,
        nomination=nomination,
        to=S.RETURNED,
        reason=reason,
        update_fields={
            "return_reason": reason[:1000],
            "amend_by": amend_by,
            "amend_from": dossier_contents(nomination),
        },
    )
    recipients = list(_unit_heads_over(nomination))
    if nomination.created_by_id:
        recipients.append(nomination.created_by)
    notify(
        users=[u for u in recipients if not actor or u.pk != actor.pk],
        kind=NotificationKind.RETURNED,
        message=_("%(nomination)s was returned for amendment by %(date)s: %(reason)s")
        % {"nomination": nomination, "date": f"{amend_by:%d/%m/%Y}", "reason": reason},
        url=reverse("rounds:nomination", args=[nomination.pk]),
    )
    return nomination


@transaction.atomic
def mark_checked(*, actor, nomination: Nomination) -> Nomination:
    """The office found the dossier complete and the subject eligible: it goes on."""
    ensure(
        actor,
        "rounds.check_dossier",
        nomination,
        _("Only the commendation officer checks dossiers."),
    )
    return transition(actor=actor, nomination=nomination, to=S.CHECKED)


@transaction.atomic
def withdraw(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """Withdraw a nomination, with the reason. The unit head may until the office has checked
    it; the officer at any step the workflow allows (not after a decision)."""
    nomination = lock(nomination)
    _may_edit(actor, nomination)
    _refuse_move(nomination, S.WITHDRAWN)
    if not allowed(actor, "rounds.check_dossier", nomination) and (
        nomination.state not in HEAD_MAY_WITHDRAW
    ):
        raise BusinessRuleError(
            _("The office has checked this dossier: ask the commendation officer to withdraw it."),
            field="state",
            code="checked",
        )
    reason = nfc(reason)
    if not reason:
        raise BusinessRuleError(
            _("Say why the nomination is withdrawn."), field="reason", code="required"
        )
    return transition(actor=actor, nomination=nomination, to=S.WITHDRAWN, reason=reason)


@transaction.atomic
def pass_without_vote(*, actor, round: Round) -> int:
    """Every checked nomination of the round whose title needs no council vote passes at once
    (LĐTT, TTLĐTT, Giấy khen unless the agency sets a vote…: Nghị định 98/2023 Điều 30.7 asks a
    vote only for the emulation fighters and the flag). Returns how many passed."""
    ensure(actor, "rounds.change_round", round, _("Only the commendation officer does this."))
    settings = agency_settings(round.agency_id)
    checked = list(
        Nomination.objects.filter(round=round, state=S.CHECKED).only(
            "pk", "title", "person_id", "unit_id", "agency_id"
        )
    )
    ids = [n.pk for n in checked if vote_share_for(n, settings=settings) == 0]
    if ids:
        transition_many(
            actor=actor,
            nominations=ids,
            to=S.PASSED,
            reason=_("No council vote is needed for this title or form."),
        )
    return len(ids)
