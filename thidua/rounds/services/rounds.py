"""Award rounds: created, changed and closed by the officer."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.audit.services import record, record_update, snapshot
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.eligibility.catalogue import regime_on, review_date_for
from thidua.org.models import Agency
from thidua.records.enums import TitleCode
from thidua.rounds.models import ENDED_BADLY, Round, RoundKind, RoundStatus
from thidua.rounds.services.common import ensure, ensure_agency

ROUND_AUDIT_FIELDS = [
    "kind",
    "year",
    "name",
    "titles",
    "review_date",
    "regime",
    "status",
    "nominations_due",
    "checks_due",
    "council_due",
    "decision_due",
]
DEADLINES = ("nominations_due", "checks_due", "council_due", "decision_due")
MIN_YEAR, MAX_YEAR = 2000, 2100


def _clean_titles(titles) -> list[str]:
    codes = [str(t) for t in (titles or [])]
    if not codes:
        raise BusinessRuleError(
            _("Choose at least one title or form for the round."), field="titles", code="required"
        )
    unknown = [c for c in codes if c not in TitleCode.values]
    if unknown:
        raise BusinessRuleError(
            _("Choose titles and forms from the list (unknown: %(codes)s).")
            % {"codes": ", ".join(unknown)},
            field="titles",
        )
    # Catalogue order, each once.
    return [c for c in TitleCode.values if c in codes]


def _check_deadlines(values: dict[str, datetime.date | None]) -> None:
    """Each step's deadline comes after the previous step's: units nominate, the office checks,
    the council meets, the director decides."""
    previous = None
    for name in DEADLINES:
        date = values.get(name)
        if date is None:
            continue
        if previous is not None and date < values[previous]:
            raise BusinessRuleError(
                _("This deadline (%(date)s) comes before the previous step's (%(before)s).")
                % {"date": f"{date:%d/%m/%Y}", "before": f"{values[previous]:%d/%m/%Y}"},
                field=name,
                code="deadline_order",
            )
        previous = name


def _check_basics(*, kind: str, year: int, name: str) -> None:
    if kind not in RoundKind.values:
        raise BusinessRuleError(_("Choose the kind of round."), field="kind", code="required")
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise BusinessRuleError(
            _("Enter the year the round assesses, from %(min)s to %(max)s.")
            % {"min": MIN_YEAR, "max": MAX_YEAR},
            field="year",
        )
    if not name:
        raise BusinessRuleError(_("Give the round a name."), field="name", code="required")


@transaction.atomic
def create_round(
    *,
    actor,
    agency: Agency,
    kind: str,
    year: int,
    name: str,
    titles,
    review_date: datetime.date | None = None,
    nominations_due: datetime.date | None = None,
    checks_due: datetime.date | None = None,
    council_due: datetime.date | None = None,
    decision_due: datetime.date | None = None,
) -> Round:
    """Open a round for nominations. The review date defaults to 31/12 of the year, and the
    regime is the one in force on it (the rules that judge eligibility, domain.md "regime")."""
    ensure(actor, "rounds.manage_rounds", None, _("Only the commendation officer opens rounds."))
    ensure_agency(actor, agency.pk)
    name = nfc(name)
    _check_basics(kind=kind, year=year, name=name)
    titles = _clean_titles(titles)
    review_date = review_date or review_date_for(year)
    if review_date.year not in (year, year + 1):
        raise BusinessRuleError(
            _("The review date must fall in the year assessed or early in the next one."),
            field="review_date",
        )
    deadlines = {
        "nominations_due": nominations_due,
        "checks_due": checks_due,
        "council_due": council_due,
        "decision_due": decision_due,
    }
    _check_deadlines(deadlines)
    round = Round.objects.create(
        agency=agency,
        kind=kind,
        year=year,
        name=name,
        titles=titles,
        review_date=review_date,
        regime=regime_on(review_date).code,
        created_by=actor if getattr(actor, "pk", None) else None,
        **deadlines,
    )
    record(
        actor=actor,
        agency_id=agency.pk,
        action=AuditAction.CREATE,
        obj=round,
        changes=snapshot(round, ROUND_AUDIT_FIELDS),
    )
    return round


def _live_titles(round: Round) -> set[str]:
    return set(
        round.nominations.exclude(state__in=ENDED_BADLY).values_list("title", flat=True).distinct()
    )


@transaction.atomic
def update_round(
    *,
    actor,
    round: Round,
    kind: str | None = None,
    year: int | None = None,
    name: str | None = None,
    titles=None,
    review_date: datetime.date | None = None,
    nominations_due: datetime.date | None = None,
    checks_due: datetime.date | None = None,
    council_due: datetime.date | None = None,
    decision_due: datetime.date | None = None,
) -> Round:
    """Change a round. Deadlines are replaced as given (None clears one). Once nominations exist
    the year and the review date stay (the engine judged the dossiers by them), and a title
    cannot be dropped while nominations for it are alive."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    ensure(actor, "rounds.change_round", round, _("Only the commendation officer changes rounds."))
    before = snapshot(round, ROUND_AUDIT_FIELDS)
    kind = kind or round.kind
    year = round.year if year is None else year
    name = round.name if name is None else nfc(name)
    _check_basics(kind=kind, year=year, name=name)
    titles = round.titles if titles is None else _clean_titles(titles)
    review_date = review_date or (
        round.review_date if year == round.year else review_date_for(year)
    )
    has_nominations = round.nominations.exists()
    if has_nominations and (year != round.year or review_date != round.review_date):
        raise BusinessRuleError(
            _("Nominations were already made under this year and review date: they cannot change."),
            field="year" if year != round.year else "review_date",
            code="frozen",
        )
    dropped = _live_titles(round) - set(titles)
    if dropped:
        raise BusinessRuleError(
            _("Nominations for %(titles)s are still in the round: withdraw them first.")
            % {"titles": ", ".join(str(TitleCode(t).label) for t in sorted(dropped))},
            field="titles",
            code="in_use",
        )
    deadlines = {
        "nominations_due": nominations_due,
        "checks_due": checks_due,
        "council_due": council_due,
        "decision_due": decision_due,
    }
    _check_deadlines(deadlines)
    round.kind, round.year, round.name, round.titles = kind, year, name, titles
    round.review_date = review_date
    round.regime = regime_on(review_date).code
    for key, value in deadlines.items():
        setattr(round, key, value)
    round.save()
    record_update(actor=actor, obj=round, before=before, fields=ROUND_AUDIT_FIELDS)
    return round


@transaction.atomic
def close_round(*, actor, round: Round, reopen: bool = False) -> Round:
    """Close a round to new nominations and submissions (or open it again with `reopen`)."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    ensure(actor, "rounds.change_round", round, _("Only the commendation officer closes rounds."))
    target = RoundStatus.OPEN if reopen else RoundStatus.CLOSED
    if round.status == target:
        raise BusinessRuleError(
            _("The round is already open.") if reopen else _("The round is already closed."),
            field="status",
            code="unchanged",
        )
    before = snapshot(round, ROUND_AUDIT_FIELDS)
    round.status = target
    round.save(update_fields=["status"])
    record_update(actor=actor, obj=round, before=before, fields=ROUND_AUDIT_FIELDS)
    return round
