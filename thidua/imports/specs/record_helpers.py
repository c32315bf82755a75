"""What the record imports (ratings, awards, initiatives, disciplines) share.

Whole numbers (years, months) read from text cells, the subject a code names (a staff code or a
unit code), duplicate keys inside one file, and records-service refusals turned into problems on
the row and the column of the field at fault.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.errors import BusinessRuleError
from thidua.imports.parsing import Choice, Column, Row
from thidua.imports.results import Problem
from thidua.imports.specs.base import Plan
from thidua.org.models import Person, Unit
from thidua.records.services import MIN_YEAR

YES_NO = Choice({"CO": ("Có", "x", "1", "yes"), "KHONG": ("Không", "0", "no")})


def whole_number(
    row: Row, column: Column, problems: list[Problem], *, minimum: int, maximum: int
) -> int | None:
    """The cell as a whole number from `minimum` to `maximum`; None (and a problem) otherwise.

    An empty cell gives None without a problem: the column says whether it is required.
    """
    text = row.values.get(column.key) or ""
    if text == "":
        return None
    try:
        value = int(str(text).strip())
    except ValueError:
        problems.append(
            Problem(
                row.number,
                column.label,
                _("“%(value)s” is not a whole number") % {"value": text},
                "invalid_number",
            )
        )
        return None
    if not minimum <= value <= maximum:
        problems.append(
            Problem(
                row.number,
                column.label,
                _("%(value)s is not between %(min)s and %(max)s")
                % {"value": value, "min": minimum, "max": maximum},
                "out_of_range",
            )
        )
        return None
    return value


def year_of(row: Row, column: Column, problems: list[Problem]) -> int | None:
    return whole_number(row, column, problems, minimum=MIN_YEAR, maximum=timezone.localdate().year)


class Subjects:
    """The people (and, when `units`, the units) of an agency that a file's codes name."""

    def __init__(self, *, agency, codes: set[str], units: bool):
        self.units_allowed = units
        self.people = {
            p.staff_code: p
            for p in Person.objects.filter(agency=agency, staff_code__in=codes).select_related(
                "unit"
            )
        }
        self.units = (
            {u.code: u for u in Unit.objects.filter(agency=agency, code__in=codes)} if units else {}
        )

    def find(self, row: Row, column: Column, problems: list[Problem]) -> Person | Unit | None:
        code = row.values.get(column.key) or ""
        if not code:
            return None
        person, unit = self.people.get(code), self.units.get(code)
        if person is not None and unit is not None:
            problems.append(
                Problem(
                    row.number,
                    column.label,
                    _("%(code)s is both a staff code and a unit code in this agency")
                    % {"code": code},
                    "ambiguous_code",
                )
            )
            return None
        if person is None and unit is None:
            message = (
                _("there is no staff member or unit with code %(code)s in this agency")
                if self.units_allowed
                else _("there is no staff member with code %(code)s in this agency")
            )
            problems.append(
                Problem(row.number, column.label, message % {"code": code}, "unknown_code")
            )
            return None
        return person if person is not None else unit

    def q(self, subjects: list[Person | Unit]) -> Q:
        """A filter of records (with person/unit foreign keys) belonging to `subjects`."""
        people = [s.pk for s in subjects if isinstance(s, Person)]
        units = [s.pk for s in subjects if isinstance(s, Unit)]
        return Q(person_id__in=people) | Q(unit_id__in=units)


def subject_key(subject: Person | Unit) -> tuple[str, int]:
    return ("person" if isinstance(subject, Person) else "unit", subject.pk)


def record_key(record) -> tuple[str, int]:
    return ("person", record.person_id) if record.person_id else ("unit", record.unit_id)


def load_subject(values: dict) -> Person | Unit:
    """The subject of a planned row, read again when the row is applied."""
    kind, pk = values["subject"]
    return Person.objects.get(pk=pk) if kind == "person" else Unit.objects.get(pk=pk)


def repeated_problem(row: Row, column: Column, first_row: int) -> Problem:
    return Problem(
        row.number,
        column.label,
        _("the same record already appears on row %(first)s of this file") % {"first": first_row},
        "duplicate_row",
    )


def refusal(spec, row: Row, exc: BusinessRuleError) -> Problem:
    """A records-service refusal as a problem on the column of the field it names."""
    code = exc.code if exc.code != "invalid" else "rejected"
    return Problem(row.number, spec.column_for_field(exc.field).label, exc.message, code)


def show_bool(value: bool | None) -> str:
    if value is None:
        return ""
    return YES_NO.display("CO" if value else "KHONG")


def read_subject_rows(
    spec, *, agency, rows: list[Row], units: bool, extra=None
) -> tuple[Plan, list[tuple], "Subjects"]:
    """The shared first pass of the yearly-record kinds: each row's subject (by "Mã") and year.

    Returns the plan with those problems, the subjects read (for later queries) and, for rows whose subject and year were read,
    `(row, subject, year, *extra(row, problems), clean)` where `clean` says the row had no problem.
    """
    plan = Plan()
    subjects = Subjects(
        agency=agency, codes={r.values["code"] for r in rows if r.values["code"]}, units=units
    )
    parsed = []
    for row in rows:
        problems: list[Problem] = []
        subject = subjects.find(row, spec.column("code"), problems)
        year = year_of(row, spec.column("year"), problems)
        more = tuple(extra(row, problems)) if extra else ()
        plan.problems += problems
        if subject is not None and year is not None:
            parsed.append((row, subject, year, *more, not problems))
    return plan, parsed, subjects
