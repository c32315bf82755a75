"""Decisions of the agency's head: drafted from a round, then issued with a number.

Issuing is one transaction: the number from the register, the award records (which feed next
year's eligibility), the nominations moved to DECIDED, the audit rows and the notices. Any
failure undoes all of it, the number included. Revoking and correcting: `changes.py`.
"""

import datetime

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.decisions import selectors
from thidua.decisions.models import Decision, DecisionLine, DecisionStatus, DocumentKind
from thidua.decisions.services.common import (
    audit_document,
    check_date,
    check_passed,
    check_signer,
    chosen_nominations,
    lock_document,
    lock_nominations,
    notify_decided,
)
from thidua.decisions.services.register import next_number, symbol_for
from thidua.records.models import Award, AwardStatus
from thidua.records.services import record_awards
from thidua.rounds.models import Nomination, NominationState, Round
from thidua.rounds.services import transition_many


def to_decide(*, round_: Round, nominations) -> list[Nomination]:
    """The nominations a decision of `round_` may hold: passed, decided by the agency's head,
    in no other live decision. None means every such nomination of the round."""
    if nominations is None:
        found = list(selectors.passed_to_decide(round_))
        if not found:
            raise BusinessRuleError(
                _("No nomination of this round is waiting for the director's decision."),
                field="nominations",
                code="nothing_to_decide",
            )
        return found
    return chosen_nominations(
        round_=round_,
        nominations=nominations,
        held=selectors.in_live_decision(),
        goes_here=selectors.decided_here,
        elsewhere=_("%(subject)s: this title is decided by a higher authority; forward it."),
        taken=_("%(subject)s is already in another decision."),
        code="not_decidable",
    )


def make_lines(decision: Decision, nominations: list[Nomination]) -> list[DecisionLine]:
    """One line per nomination, numbered per title in the Vietnamese order of names."""
    lines = []
    for group in selectors.group_lines(nominations):
        for position, n in enumerate(group.lines, start=1):
            lines.append(
                DecisionLine(
                    decision=decision,
                    nomination=n,
                    person_id=n.person_id,
                    unit_id=n.unit_id,
                    title=n.title,
                    position=position,
                )
            )
    return DecisionLine.objects.bulk_create(lines, batch_size=1000)


@transaction.atomic
def draft_decision(
    *, actor, round: Round, nominations=None, summary: str | None = None
) -> Decision:
    """Put the passed nominations of a round into one draft decision, with a list per title.

    By default every PASSED nomination of the round whose title the agency's head decides
    (LĐTT, CSTĐCS, TTLĐTT, Giấy khen: Điều 80.1 Luật TĐKT 2022) and that no other draft or
    issued decision holds. Side effects: the decision, its lines and a CREATE audit row.
    """
    round_ = Round.objects.select_for_update(of=("self",)).select_related("agency").get(pk=round.pk)
    chosen = to_decide(round_=round_, nominations=nominations)
    summary = nfc(summary) or selectors.DEFAULT_DECISION_SUMMARY.format(year=round_.year)
    decision = Decision.objects.create(
        agency=round_.agency,
        round=round_,
        status=DecisionStatus.DRAFT,
        summary=summary[:500],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    lines = make_lines(decision, chosen)
    audit_document(
        actor=actor,
        document=decision,
        action=AuditAction.CREATE,
        changes={"round": str(round_), "summary": summary, "lines": len(lines)},
    )
    return decision


@transaction.atomic
def remove_draft_lines(*, actor, decision: Decision, lines) -> Decision | None:
    """Take lines out of a draft (e.g. a dossier still publicly posted); their nominations can go
    into a later decision. A draft left empty is discarded (None is returned): it was never a
    legal document. Side effects: the lines deleted, one audit row."""
    decision = lock_document(decision)
    if decision.status != DecisionStatus.DRAFT:
        raise BusinessRuleError(
            _("Only a draft can be changed; correct an issued decision instead."),
            code="not_draft",
        )
    ids = {line.pk if isinstance(line, DecisionLine) else int(line) for line in lines}
    chosen = list(decision.lines.filter(pk__in=ids).select_related("person", "unit").order_by("pk"))
    if not chosen:
        raise BusinessRuleError(_("Choose at least one line."), field="lines", code="required")
    removed = [f"{line.get_title_display()}: {line.person or line.unit}" for line in chosen]
    decision.lines.filter(pk__in=[line.pk for line in chosen]).delete()
    left = decision.lines.count()
    renumber(decision)
    if left == 0:
        audit_document(
            actor=actor,
            document=decision,
            action=AuditAction.DELETE,
            changes={"removed": removed[:200], "lines": len(removed)},
        )
        decision.delete()
        return None
    audit_document(
        actor=actor,
        document=decision,
        action=AuditAction.UPDATE,
        changes={"removed": removed[:200], "lines": [left + len(removed), left]},
    )
    return decision


def renumber(decision: Decision) -> None:
    """Number the lines again per title, in the Vietnamese order of names."""
    lines = list(decision.lines.select_related("person", "unit"))
    for group in selectors.group_lines(lines):
        for position, line in enumerate(group.lines, start=1):
            line.position = position
    DecisionLine.objects.bulk_update(lines, ["position"], batch_size=1000)


def _award_year(nomination: Nomination) -> int:
    return nomination.round.year


def check_year(signed_on: datetime.date, nominations: list[Nomination]) -> None:
    latest = max((_award_year(n) for n in nominations), default=signed_on.year)
    if signed_on.year < latest:
        raise BusinessRuleError(
            _("A decision rewarding %(year)s cannot be signed before that year.")
            % {"year": latest},
            field="signed_on",
        )


def issue_lines(*, actor, decision: Decision, lines: list[DecisionLine], nominations) -> None:
    """Write one award record per line, link it on the line, move the nominations to DECIDED."""
    by_id = {n.pk: n for n in nominations}
    record_awards(
        actor=actor,
        entries=[
            (by_id[line.nomination_id].subject, _award_year(by_id[line.nomination_id]), line.title)
            for line in lines
        ],
        decision_number=decision.reference,
        decision_date=decision.signed_on,
        authority=selectors.AGENCY_AUTHORITY,
    )
    _link_awards(lines, decision.reference)
    reason = _("Decision %(number)s of %(date)s") % {
        "number": decision.reference,
        "date": f"{decision.signed_on:%d/%m/%Y}",
    }
    transition_many(actor=actor, nominations=nominations, to=NominationState.DECIDED, reason=reason)


def _link_awards(lines: list[DecisionLine], reference: str) -> None:
    """Point each line at the award just written for it, in one UPDATE per kind of subject
    (Django's bulk_update writes a CASE of 5,000 branches: a second on a year-end decision)."""
    ids = [line.pk for line in lines]
    for kind in ("person", "unit"):
        award = Award.objects.filter(
            decision_number=reference,
            status=AwardStatus.ACTIVE,
            title=OuterRef("title"),
            **{kind: OuterRef(kind)},
        ).values("pk")[:1]
        for start in range(0, len(ids), 1000):
            DecisionLine.objects.filter(
                pk__in=ids[start : start + 1000], **{f"{kind}__isnull": False}
            ).update(award=Subquery(award))


def take_number(decision: Decision, signed_on: datetime.date) -> None:
    decision.year = signed_on.year
    decision.number = next_number(
        agency=decision.agency, kind=DocumentKind.DECISION, year=decision.year
    )
    decision.symbol = symbol_for(decision.agency, DocumentKind.DECISION)


def notify_issued(decision: Decision, nominations) -> None:
    notify_decided(
        nominations=nominations,
        message=_("Decision %(number)s of %(date)s was issued: %(summary)s")
        % {
            "number": decision.reference,
            "date": f"{decision.signed_on:%d/%m/%Y}",
            "summary": decision.summary,
        },
        url_name="decisions:detail",
        pk=decision.pk,
        key=f"decision:{decision.pk}",
    )


ISSUE_FIELDS = [
    "status",
    "number",
    "year",
    "symbol",
    "signed_on",
    "signer",
    "signer_name",
    "signer_position",
    "issued_at",
]


@transaction.atomic
def issue_decision(*, actor, decision: Decision, signed_on: datetime.date, signer) -> Decision:
    """Issue a draft decision signed by the agency's director (Điều 80.1 Luật TĐKT 2022).

    Refused unless the decision is a draft, the signer holds the director's role and every
    nomination is PASSED with nothing blocking it on the signing date (public posting over,
    comments answered). In one transaction: the next number of the agency's register for the
    year of signing, status ISSUED, one award record per line ("12/QĐ-STNMT", the date,
    "Giám đốc Sở") linked on the line, the nominations moved to DECIDED, audit rows, and a notice
    to the awarded people and the heads who nominated them. Any failure undoes all of it and
    gives the number back.
    """
    decision = lock_document(decision)
    if decision.status != DecisionStatus.DRAFT:
        raise BusinessRuleError(
            _("This decision is %(status)s: only a draft can be issued.")
            % {"status": decision.get_status_display()},
            code="not_draft",
        )
    name, position = check_signer(agency_id=decision.agency_id, signer=signer)
    check_date(signed_on, field="signed_on")
    lines = list(decision.lines.order_by("pk"))
    if not lines:
        raise BusinessRuleError(_("The decision has no line."), code="empty")
    # The register is locked first, the nominations next: every issuing service takes them in
    # this order, so concurrent issues queue instead of deadlocking.
    take_number(decision, signed_on)
    nominations = lock_nominations([line.nomination_id for line in lines])
    check_year(signed_on, nominations)
    check_passed(nominations, on=signed_on)
    decision.status = DecisionStatus.ISSUED
    decision.signed_on = signed_on
    decision.signer = signer
    decision.signer_name = name
    decision.signer_position = position
    decision.issued_at = timezone.now()
    decision.save(update_fields=ISSUE_FIELDS)
    issue_lines(actor=actor, decision=decision, lines=lines, nominations=nominations)
    audit_document(
        actor=actor,
        document=decision,
        action=AuditAction.UPDATE,
        changes={
            "status": [str(DecisionStatus.DRAFT.label), str(DecisionStatus.ISSUED.label)],
            "number": decision.reference,
            "signed_on": signed_on.isoformat(),
            "signer": name,
            "lines": len(lines),
        },
    )
    notify_issued(decision, nominations)
    return decision
