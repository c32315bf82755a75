"""Public posting (công khai) of nominations before the decision, and the comments it brings.

For the titles and forms the agency sets (`posting_titles`), the list is posted for
`posting_days` days; every comment received is recorded and must be answered before the
decision (Điều 6 Luật TĐKT 2022: công khai, dân chủ; `selectors.decision_blockers`).
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.audit.services import record, record_many
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.eligibility.selectors import agency_settings
from thidua.rounds.models import Nomination, NominationState, PostingComment, Round
from thidua.rounds.selectors import posting_titles
from thidua.rounds.services.common import ensure, today
from thidua.rounds.services.common import text as clean_text

S = NominationState
# Posted once the office has checked the dossier: before or after the council's vote.
POSTABLE = (S.CHECKED, S.BEFORE_COUNCIL, S.PASSED)


@transaction.atomic
def start_posting(*, actor, round: Round, start: datetime.date | None = None) -> int:
    """Post every checked or passed nomination of the round whose title the agency posts, from
    `start` (default today) for the agency's number of days. Nominations already posted keep
    their window. Returns how many were posted."""
    ensure(actor, "rounds.manage_posting", round, _("Only the commendation officer posts lists."))
    settings = agency_settings(round.agency_id)
    days = int(settings.get("posting_days") or 0)
    titles = posting_titles(settings)
    if days <= 0 or not titles:
        raise BusinessRuleError(
            _("The agency posts no title publicly (see the rules the agency sets)."),
            code="no_posting",
        )
    start = start or today()
    until = start + datetime.timedelta(days=days)
    rows = list(
        Nomination.objects.select_for_update(of=("self",))
        .select_related("person", "unit")
        .filter(round=round, state__in=POSTABLE, title__in=sorted(titles), posted_from__isnull=True)
        .order_by("pk")
    )
    if not rows:
        return 0
    Nomination.objects.filter(pk__in=[n.pk for n in rows]).update(
        posted_from=start, posted_until=until
    )
    changes = {
        "posted_from": [None, start.isoformat()],
        "posted_until": [None, until.isoformat()],
    }
    record_many(
        actor=actor,
        action=AuditAction.UPDATE,
        rows=[(n, changes, "") for n in rows],
    )
    return len(rows)


@transaction.atomic
def record_comment(
    *, actor, nomination: Nomination, received_on: datetime.date | None, author: str, text: str
) -> PostingComment:
    """Record a comment received about a posted nomination (who sent it, when, what it says)."""
    ensure(
        actor,
        "rounds.manage_posting",
        nomination,
        _("Only the commendation officer records comments."),
    )
    if nomination.posted_from is None:
        raise BusinessRuleError(
            _("This nomination has not been posted publicly."), code="not_posted"
        )
    body = clean_text(text)
    if not body:
        raise BusinessRuleError(_("Write what the comment says."), field="text", code="required")
    if received_on is None:
        raise BusinessRuleError(
            _("Enter the date the comment was received."), field="received_on", code="required"
        )
    if received_on > today():
        raise BusinessRuleError(
            _("The date received cannot be in the future."), field="received_on"
        )
    comment = PostingComment.objects.create(
        nomination=nomination,
        received_on=received_on,
        author=nfc(author)[:300],
        text=body,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        actor=actor,
        agency_id=nomination.agency_id,
        action=AuditAction.CREATE,
        obj=comment,
        object_repr=str(nomination),
        changes={
            "received_on": received_on.isoformat(),
            "author": comment.author,
            "text": body,
        },
    )
    return comment


@transaction.atomic
def answer_comment(*, actor, comment: PostingComment, answer: str) -> PostingComment:
    """Answer a comment (or change the answer); the decision waits until every one is answered."""
    comment = (
        PostingComment.objects.select_for_update(of=("self",))
        .select_related("nomination")
        .get(pk=comment.pk)
    )
    nomination = comment.nomination
    ensure(
        actor,
        "rounds.manage_posting",
        nomination,
        _("Only the commendation officer answers comments."),
    )
    body = clean_text(answer)
    if not body:
        raise BusinessRuleError(_("Write the answer."), field="answer", code="required")
    before = comment.answer
    comment.answer = body
    comment.answered_on = today()
    comment.answered_by = actor if getattr(actor, "pk", None) else None
    comment.save(update_fields=["answer", "answered_on", "answered_by"])
    record(
        actor=actor,
        agency_id=nomination.agency_id,
        action=AuditAction.UPDATE,
        obj=comment,
        object_repr=str(nomination),
        changes={"answer": [before, body]},
    )
    return comment
