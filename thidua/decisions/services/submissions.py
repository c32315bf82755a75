"""Submissions (tờ trình) forwarding nominations to the province or the Ministry, and the outside
decision that later completes them.

Titles decided above the agency (CSTĐ tỉnh, Bằng khen tỉnh and Thủ tướng, TTLĐXS, Huân chương,
CSTĐ toàn quốc, Cờ thi đua) go up in a submission numbered from the agency's TTr register when
it is sent; the higher authority's decision is recorded when it comes back: award records for
those awarded, AWARDED or REFUSED for each nomination.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.decisions import selectors
from thidua.decisions.models import DocumentKind, Submission, SubmissionLine, SubmissionStatus
from thidua.decisions.services.common import (
    audit_document,
    check_date,
    check_passed,
    check_signer,
    chosen_nominations,
    lock_document,
    lock_nominations,
    notify_decided,
    required_text,
)
from thidua.decisions.services.register import next_number, symbol_for
from thidua.records.services import record_awards
from thidua.rounds.models import Nomination, NominationState, Round
from thidua.rounds.services import transition_many


def _to_forward(*, round_: Round, nominations) -> list[Nomination]:
    if nominations is None:
        found = list(selectors.passed_to_forward(round_))
        if not found:
            raise BusinessRuleError(
                _("No nomination of this round is waiting to be forwarded."),
                field="nominations",
                code="nothing_to_forward",
            )
        return found
    return chosen_nominations(
        round_=round_,
        nominations=nominations,
        held=selectors.in_submission(),
        goes_here=selectors.decided_above,
        elsewhere=_("%(subject)s: this title is decided by the director; put it in a decision."),
        taken=_("%(subject)s is already in a submission."),
        code="not_forwardable",
    )


@transaction.atomic
def create_submission(
    *, actor, round: Round, nominations=None, authority: str, summary: str | None = None
) -> Submission:
    """Gather the passed nominations decided above the agency into a draft submission.

    By default every PASSED nomination of the round whose title a higher authority decides and
    that is in no submission yet. `authority` is who it goes to (e.g. "Chủ tịch UBND tỉnh").
    Side effects: the submission, its lines and a CREATE audit row.
    """
    round_ = Round.objects.select_for_update(of=("self",)).select_related("agency").get(pk=round.pk)
    authority = required_text(
        authority,
        field="authority",
        message=_("Say who the submission goes to, for example Chủ tịch UBND tỉnh."),
        limit=300,
    )
    chosen = _to_forward(round_=round_, nominations=nominations)
    summary = nfc(summary) or selectors.DEFAULT_SUBMISSION_SUMMARY.format(year=round_.year)
    submission = Submission.objects.create(
        agency=round_.agency,
        round=round_,
        status=SubmissionStatus.DRAFT,
        authority=authority,
        summary=summary[:500],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    SubmissionLine.objects.bulk_create(
        [SubmissionLine(submission=submission, nomination=n) for n in chosen], batch_size=1000
    )
    audit_document(
        actor=actor,
        document=submission,
        action=AuditAction.CREATE,
        changes={
            "round": str(round_),
            "authority": authority,
            "summary": summary,
            "lines": len(chosen),
        },
    )
    return submission


@transaction.atomic
def send_submission(*, actor, submission: Submission, sent_on: datetime.date, signer) -> Submission:
    """Number, sign and send a draft submission: its nominations become FORWARDED.

    The signer is the agency's director; the number comes from the agency's TTr register of the
    year of sending ("5/TTr-STNMT"), taken in this transaction (no gap on failure). Every
    nomination must still be PASSED with nothing blocking it (public posting over, comments
    answered: Điều 6 Luật TĐKT 2022). Side effects: the submission, the nominations' steps, audit
    rows.
    """
    submission = lock_document(submission)
    if submission.status != SubmissionStatus.DRAFT:
        raise BusinessRuleError(
            _("This submission was already sent."), field="status", code="not_draft"
        )
    name, _position = check_signer(agency_id=submission.agency_id, signer=signer)
    check_date(sent_on, field="sent_on")
    ids = list(submission.lines.order_by("pk").values_list("nomination_id", flat=True))
    if not ids:
        raise BusinessRuleError(_("The submission has no nomination."), code="empty")
    submission.year = sent_on.year
    submission.number = next_number(
        agency=submission.agency, kind=DocumentKind.SUBMISSION, year=submission.year
    )
    submission.symbol = symbol_for(submission.agency, DocumentKind.SUBMISSION)
    nominations = lock_nominations(ids)
    check_passed(nominations, on=sent_on)
    submission.status = SubmissionStatus.SENT
    submission.sent_on = sent_on
    submission.signer = signer
    submission.signer_name = name
    submission.save(
        update_fields=["status", "year", "number", "symbol", "sent_on", "signer", "signer_name"]
    )
    transition_many(
        actor=actor,
        nominations=nominations,
        to=NominationState.FORWARDED,
        reason=_("Submission %(number)s of %(date)s to %(authority)s")
        % {"number": submission, "date": f"{sent_on:%d/%m/%Y}", "authority": submission.authority},
    )
    audit_document(
        actor=actor,
        document=submission,
        action=AuditAction.UPDATE,
        changes={
            "status": [str(SubmissionStatus.DRAFT.label), str(SubmissionStatus.SENT.label)],
            "number": str(submission),
            "sent_on": sent_on.isoformat(),
            "signer": name,
            "lines": len(ids),
        },
    )
    return submission


@transaction.atomic
def record_outside_decision(
    *,
    actor,
    submission: Submission,
    number: str,
    date: datetime.date,
    authority: str,
    results: dict[int, bool],
) -> Submission:
    """Record the higher authority's decision on a sent submission.

    `results` says for every nomination of the submission (by id) whether it was awarded. Those
    awarded get an award record (the outside number, date and authority, e.g. "Chủ tịch UBND
    tỉnh"), feeding next year's eligibility, and become AWARDED; the others become REFUSED. The
    submission becomes ANSWERED. Side effects: award records, steps, audit rows, notices.
    """
    submission = lock_document(submission)
    if submission.status != SubmissionStatus.SENT:
        raise BusinessRuleError(
            _("Only a sent submission can receive the outside decision."),
            field="status",
            code="not_sent",
        )
    number = required_text(
        number,
        field="number",
        message=_("Enter the number of their decision, for example 123/QĐ-UBND."),
        limit=64,
    )
    authority = required_text(
        authority,
        field="authority",
        message=_("Say who decided, for example Chủ tịch UBND tỉnh."),
        limit=200,
    )
    check_date(date, field="date", not_before=submission.sent_on)
    lines = list(submission.lines.order_by("pk"))
    wanted = {int(k): bool(v) for k, v in results.items()}
    nominations = lock_nominations([line.nomination_id for line in lines])
    by_id = {n.pk: n for n in nominations}
    missing = [by_id[line.nomination_id] for line in lines if line.nomination_id not in wanted]
    if missing:
        raise BusinessRuleError(
            _("Say whether %(subject)s was awarded.") % {"subject": missing[0]},
            field="results",
            code="missing",
        )
    if set(wanted) - set(by_id):
        raise BusinessRuleError(
            _("A result names a nomination that is not in this submission."),
            field="results",
            code="unknown",
        )
    awarded = [by_id[line.nomination_id] for line in lines if wanted[line.nomination_id]]
    refused = [by_id[line.nomination_id] for line in lines if not wanted[line.nomination_id]]
    awards = record_awards(
        actor=actor,
        entries=[(n.subject, n.round.year, n.title) for n in awarded],
        decision_number=number,
        decision_date=date,
        authority=authority,
    )
    award_of = {n.pk: award for n, award in zip(awarded, awards, strict=True)}
    for line in lines:
        line.awarded = wanted[line.nomination_id]
        line.award = award_of.get(line.nomination_id)
    SubmissionLine.objects.bulk_update(lines, ["awarded", "award"], batch_size=1000)
    reason = _("Decision %(number)s of %(date)s, %(authority)s") % {
        "number": number,
        "date": f"{date:%d/%m/%Y}",
        "authority": authority,
    }
    transition_many(actor=actor, nominations=awarded, to=NominationState.AWARDED, reason=reason)
    transition_many(actor=actor, nominations=refused, to=NominationState.REFUSED, reason=reason)
    submission.status = SubmissionStatus.ANSWERED
    submission.outside_number = number
    submission.outside_date = date
    submission.outside_authority = authority
    submission.save(update_fields=["status", "outside_number", "outside_date", "outside_authority"])
    audit_document(
        actor=actor,
        document=submission,
        action=AuditAction.UPDATE,
        changes={
            "status": [str(SubmissionStatus.SENT.label), str(SubmissionStatus.ANSWERED.label)],
            "outside_decision": reason,
            "awarded": len(awarded),
            "refused": len(refused),
        },
    )
    if awarded:
        notify_decided(
            nominations=awarded,
            message=_("%(authority)s awarded by decision %(number)s of %(date)s.")
            % {"authority": authority, "number": number, "date": f"{date:%d/%m/%Y}"},
            url_name="decisions:submission",
            pk=submission.pk,
            key=f"submission:{submission.pk}",
        )
    return submission
