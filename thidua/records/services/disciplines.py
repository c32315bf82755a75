"""Disciplinary decisions and the cases under way that hold awards back."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from thidua.audit.services import record_create, snapshot
from thidua.core.errors import BusinessRuleError
from thidua.core.text import nfc
from thidua.org.models import Person
from thidua.records.enums import DisciplineKind, RatingLevel, SubjectKind
from thidua.records.models import Discipline, PendingCase, Rating
from thidua.records.services.common import (
    CASE_AUDIT_FIELDS,
    DECREE_90,
    DISCIPLINE_AUDIT_FIELDS,
    MAX_DISCIPLINE_MONTHS,
    MIN_YEAR,
    RATING_AUDIT_FIELDS,
    audit_update,
    check_choice,
    check_date,
    local_today,
    subject_kind,
)

# --- disciplines ------------------------------------------------------------------------------


def check_discipline(
    *, person: Person, decided_on: datetime.date | None, kind: str, months: int
) -> None:
    """Refuse (BusinessRuleError) a disciplinary decision that cannot be recorded."""
    if subject_kind(person) != SubjectKind.PERSON:
        raise BusinessRuleError(_("Disciplines are recorded for people."), field="person")
    check_date(decided_on, field="decided_on")
    if decided_on.year < MIN_YEAR:
        raise BusinessRuleError(
            _("The year must be between %(first)s and %(last)s.")
            % {"first": MIN_YEAR, "last": local_today().year},
            field="decided_on",
        )
    check_choice(kind, DisciplineKind, field="kind", message=_("Choose the measure."))
    if isinstance(months, bool) or not isinstance(months, int):
        raise BusinessRuleError(
            _("The period must be a whole number of months from 0 to %(max)s.")
            % {"max": MAX_DISCIPLINE_MONTHS},
            field="months",
        )
    if not 0 <= months <= MAX_DISCIPLINE_MONTHS:
        raise BusinessRuleError(
            _("The period must be a whole number of months from 0 to %(max)s.")
            % {"max": MAX_DISCIPLINE_MONTHS},
            field="months",
        )


def _lower_rating_for(*, actor, discipline: Discipline) -> Rating | None:
    """Lower the person's rating of the decision's year to KHTNV (Nghị định 90 Điều 2)."""
    rating = (
        Rating.objects.select_for_update()
        .filter(person_id=discipline.person_id, year=discipline.decided_on.year)
        .exclude(level=RatingLevel.KHTNV)
        .first()
    )
    if rating is None:
        return None
    before = snapshot(rating, RATING_AUDIT_FIELDS)
    rating.level = RatingLevel.KHTNV
    rating.save(update_fields=["level"])
    audit_update(
        actor=actor,
        obj=rating,
        before=before,
        fields=RATING_AUDIT_FIELDS,
        note=_("Disciplinary decision of %(date)s (%(basis)s)")
        % {"date": f"{discipline.decided_on:%d/%m/%Y}", "basis": DECREE_90},
    )
    return rating


@transaction.atomic
def add_discipline(
    *,
    actor,
    person: Person,
    decided_on: datetime.date,
    kind: str,
    months: int = 12,
    decision_number: str = "",
) -> Discipline:
    """Record a disciplinary decision against a person (kỷ luật), with its period in months.

    Side effects: saves it and writes a CREATE audit row. A person disciplined in a year is
    rated KHTNV for that year (Điều 2 Nghị định 90/2020, amended by 48/2023): a rating of the
    decision's year already recorded above KHTNV is lowered to KHTNV, with its own UPDATE audit
    row citing the decision.
    """
    check_discipline(person=person, decided_on=decided_on, kind=kind, months=months)
    if Discipline.objects.filter(person=person, decided_on=decided_on, kind=kind).exists():
        raise BusinessRuleError(
            _("This decision (%(measure)s of %(date)s) is already recorded for %(person)s.")
            % {
                "measure": DisciplineKind(kind).label,
                "date": f"{decided_on:%d/%m/%Y}",
                "person": person,
            },
            field="decided_on",
            code="duplicate",
        )
    discipline = Discipline.objects.create(
        agency_id=person.agency_id,
        person=person,
        decided_on=decided_on,
        kind=kind,
        months=months,
        decision_number=nfc(decision_number),
    )
    record_create(actor=actor, obj=discipline, fields=DISCIPLINE_AUDIT_FIELDS)
    _lower_rating_for(actor=actor, discipline=discipline)
    return discipline


@transaction.atomic
def update_discipline(
    *, actor, discipline: Discipline, months: int | None = None, decision_number: str | None = None
) -> Discipline:
    """Change the period or the number of a recorded decision. Side effect: an UPDATE audit row."""
    discipline = (
        Discipline.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=discipline.pk)
    )
    months = discipline.months if months is None else months
    check_discipline(
        person=discipline.person, decided_on=discipline.decided_on, kind=discipline.kind,
        months=months,
    )  # fmt: skip
    before = snapshot(discipline, DISCIPLINE_AUDIT_FIELDS)
    discipline.months = months
    if decision_number is not None:
        discipline.decision_number = nfc(decision_number)
    discipline.save(update_fields=["months", "decision_number"])
    audit_update(actor=actor, obj=discipline, before=before, fields=DISCIPLINE_AUDIT_FIELDS)
    return discipline


# --- pending cases ---------------------------------------------------------------------------


@transaction.atomic
def open_pending_case(
    *, actor, person: Person, kind: str, opened_on: datetime.date, note: str = ""
) -> PendingCase:
    """Record a discipline review, inspection or complaint under way against a person.

    While it is open no award may be proposed (Điều 4 Nghị định 152/2025/NĐ-CP, from
    01/07/2025). Side effects: saves it and writes a CREATE audit row.
    """
    if subject_kind(person) != SubjectKind.PERSON:
        raise BusinessRuleError(_("Pending cases concern people."), field="person")
    check_choice(kind, PendingCase.Kind, field="kind", message=_("Choose the kind of case."))
    check_date(opened_on, field="opened_on")
    case = PendingCase.objects.create(
        agency_id=person.agency_id,
        person=person,
        kind=kind,
        opened_on=opened_on,
        note=nfc(note)[:500],
    )
    record_create(actor=actor, obj=case, fields=CASE_AUDIT_FIELDS)
    return case


@transaction.atomic
def close_pending_case(
    *, actor, case: PendingCase, closed_on: datetime.date, note: str = ""
) -> PendingCase:
    """Close an open case on `closed_on`. Side effects: saves it, writes an UPDATE audit row."""
    case = PendingCase.objects.select_for_update().get(pk=case.pk)
    if case.closed_on is not None:
        raise BusinessRuleError(
            _("This case was already closed on %(date)s.") % {"date": f"{case.closed_on:%d/%m/%Y}"},
            field="closed_on",
        )
    check_date(closed_on, field="closed_on")
    if closed_on < case.opened_on:
        raise BusinessRuleError(
            _("The case cannot close before it opened (%(date)s).")
            % {"date": f"{case.opened_on:%d/%m/%Y}"},
            field="closed_on",
        )
    before = snapshot(case, CASE_AUDIT_FIELDS)
    case.closed_on = closed_on
    if nfc(note):
        case.note = nfc(note)[:500]
    case.save(update_fields=["closed_on", "note"])
    audit_update(actor=actor, obj=case, before=before, fields=CASE_AUDIT_FIELDS)
    return case
