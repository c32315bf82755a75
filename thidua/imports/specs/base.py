"""What every import kind provides: its columns, a plan of the file, and how to apply one row.

A kind is a subclass of `ImportSpec` listed in `thidua.imports.specs.SPECS`. Planning only reads
the database: it checks the rows together (duplicates, references) and says for each row whether
it creates, updates or leaves a record unchanged. Applying calls the owning app's services.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from thidua.imports.parsing import Column, Row
from thidua.imports.results import CREATE, UNCHANGED, UPDATE, Problem


@dataclass
class PlannedRow:
    """What one row will do. `values` are the parsed cells; `changes` label → [before, after]."""

    row: int
    action: str
    code: str
    values: dict[str, object]
    summary: dict[str, str] = field(default_factory=dict)
    changes: dict[str, list[str]] = field(default_factory=dict)

    def preview(self) -> dict[str, object]:
        return {
            "row": self.row,
            "action": self.action,
            "code": self.code,
            **self.summary,
            "changes": self.changes,
        }


@dataclass
class Plan:
    # In the order rows must be applied (a parent unit before its sub-units).
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def show(value: object) -> str:
    """A value as the preview shows it: dates as dd/mm/yyyy, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def action_for(changes: dict, *, exists: bool) -> str:
    if not exists:
        return CREATE
    return UPDATE if changes else UNCHANGED


def duplicate_problem(*, row: int, column: Column, code: str, first_row: int) -> Problem:
    return Problem(
        row,
        column.label,
        _("the code %(code)s already appears on row %(first)s of this file")
        % {"code": code, "first": first_row},
        "duplicate_code",
    )


class ImportSpec:
    """Base class of an import kind. Subclasses set the attributes and the two methods."""

    kind: str = ""
    # Vietnamese file content for the template: sheet title and notes of the "Hướng dẫn" sheet.
    sheet_title: str = ""
    title: str = ""
    notes: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    # BusinessRuleError.field of the owning services → the key of the column to blame.
    field_columns: dict[str, str] = {}

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def column_for_field(self, field_name: str | None) -> Column:
        """The column an error about a model field belongs to; the first column otherwise."""
        key = self.field_columns.get(field_name or "", "")
        return next((c for c in self.columns if c.key == key), self.columns[0])

    def plan(self, *, agency, rows: list[Row], today: datetime.date) -> Plan:
        raise NotImplementedError

    def apply(self, *, actor, agency, item: PlannedRow, today: datetime.date) -> None:
        """Write one planned row (create or update) through the owning app's services."""
        raise NotImplementedError
