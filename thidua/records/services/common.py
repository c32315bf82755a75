"""What every records service shares: limits, the subject of a record, audit rows, checks."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.audit.models import AuditAction
from thidua.audit.services import diff, record, snapshot
from thidua.core.errors import BusinessRuleError
from thidua.org.models import Person, Unit
from thidua.records.enums import SubjectKind

# The oldest year a record may be about: history is loaded from the archives, not invented.
MIN_YEAR = 1990
# The longest disciplinary period recorded, in months (the usual ones are 12 and 18).
MAX_DISCIPLINE_MONTHS = 60
DECREE_90 = "Điều 2 Nghị định 90/2020/NĐ-CP, sửa đổi bởi Nghị định 48/2023/NĐ-CP"

RATING_AUDIT_FIELDS = [
    "year",
    "level",
    "months_worked",
    "maternity_leave",
    "self_reliant",
    "rated_by_director",
    "note",
]
AWARD_AUDIT_FIELDS = [
    "year",
    "title",
    "decision_number",
    "decision_date",
    "authority",
    "status",
    "status_reason",
    "replaced_by",
]
AWARD_CORRECTABLE = ("year", "title", "decision_number", "decision_date", "authority")
INITIATIVE_AUDIT_FIELDS = ["year", "name", "scope", "kind"]
DISCIPLINE_AUDIT_FIELDS = ["decided_on", "kind", "months", "decision_number"]
ACHIEVEMENT_AUDIT_FIELDS = ["year", "kind", "description"]
CASE_AUDIT_FIELDS = ["kind", "opened_on", "closed_on", "note"]

Subject = Person | Unit


def local_today() -> datetime.date:
    return timezone.localdate()


def subject_kind(subject: Subject) -> str:
    if isinstance(subject, Person):
        return SubjectKind.PERSON
    if isinstance(subject, Unit):
        return SubjectKind.UNIT
    raise TypeError(f"a record's subject is a Person or a Unit, not {type(subject).__name__}")


def subject_fields(subject: Subject) -> dict[str, object]:
    """The `person`/`unit` keyword arguments of a record of `subject`."""
    if subject_kind(subject) == SubjectKind.PERSON:
        return {"person": subject, "unit": None}
    return {"person": None, "unit": subject}


def subject_lookup(subject: Subject) -> dict[str, object]:
    """The filter of the records of `subject`: {"person": …} or {"unit": …}."""
    return {k: v for k, v in subject_fields(subject).items() if v is not None}


def audit_update(*, actor, obj, before: dict, fields: list[str], note: str = "") -> bool:
    """Write an UPDATE row with before → after; nothing when nothing changed. True if written."""
    changes = diff(before, snapshot(obj, fields))
    if not changes:
        return False
    record(
        actor=actor,
        agency_id=obj.agency_id,
        action=AuditAction.UPDATE,
        obj=obj,
        changes=changes,
        note=note,
    )
    return True


def check_year(year: object, *, field: str = "year") -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise BusinessRuleError(_("The year must be a whole number such as 2024."), field=field)
    today = local_today()
    if year < MIN_YEAR or year > today.year:
        raise BusinessRuleError(
            _("The year must be between %(first)s and %(last)s.")
            % {"first": MIN_YEAR, "last": today.year},
            field=field,
        )
    return year


def check_date(value: datetime.date | None, *, field: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise BusinessRuleError(_("Enter the date as dd/mm/yyyy."), field=field, code="required")
    if value > local_today():
        raise BusinessRuleError(
            _("The date %(date)s is in the future.") % {"date": f"{value:%d/%m/%Y}"}, field=field
        )
    return value


def check_choice(value: str, choices: type, *, field: str, message: str) -> str:
    if value not in choices.values:
        raise BusinessRuleError(message, field=field)
    return value


def check_subject_in_year(subject: Subject, year: int) -> None:
    """The subject existed in the agency during `year`: recruited (or established) and not gone."""
    if subject_kind(subject) == SubjectKind.PERSON:
        if subject.recruited_on and subject.recruited_on.year > year:
            raise BusinessRuleError(
                _("%(name)s was recruited on %(date)s, after %(year)s.")
                % {"name": subject, "date": f"{subject.recruited_on:%d/%m/%Y}", "year": year},
                field="year",
            )
        if subject.left_on and subject.left_on.year < year:
            raise BusinessRuleError(
                _("%(name)s left the agency on %(date)s, before %(year)s.")
                % {"name": subject, "date": f"{subject.left_on:%d/%m/%Y}", "year": year},
                field="year",
            )
        return
    if subject.established_on and subject.established_on.year > year:
        raise BusinessRuleError(
            _("%(name)s was established on %(date)s, after %(year)s.")
            % {"name": subject, "date": f"{subject.established_on:%d/%m/%Y}", "year": year},
            field="year",
        )
    if subject.dissolved_on and subject.dissolved_on.year < year:
        raise BusinessRuleError(
            _("%(name)s was dissolved on %(date)s, before %(year)s.")
            % {"name": subject, "date": f"{subject.dissolved_on:%d/%m/%Y}", "year": year},
            field="year",
        )
