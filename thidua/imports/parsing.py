"""Turning a table's cells into values: header matching, text, codes, dates and coded values.

Headers match ignoring case, diacritics and spaces ("ma can bo" = "Mã cán bộ"). Every text cell is
converted from legacy fonts (TCVN3/VNI) when detected, then stored NFC. Each cell that cannot be
understood becomes a `Problem` on its row and column; nothing stops at the first one.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from thidua.core.legacy_encoding import to_unicode
from thidua.core.text import fold, nfc
from thidua.imports.reading import Table
from thidua.imports.results import Problem

TEXT = "text"
CODE = "code"
DATE = "date"
CHOICE = "choice"

_NOT_KEY = re.compile(r"[\s*:]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")


class CellError(ValueError):
    """A cell that cannot be read; `code` names the kind of problem."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def header_key(value: object) -> str:
    """How headers are compared: "Mã  Cán bộ" and "MA CAN BO*" give "macanbo"."""
    return _NOT_KEY.sub("", fold(clean_text(value)))


def clean_text(value: object) -> str:
    """A cell as stored text: legacy fonts converted, NFC, spaces folded, numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return nfc(to_unicode(str(value)))


def parse_date(value: object) -> datetime.date | None:
    """A real date cell, or text as dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, ISO).

    Empty gives None; anything else that is not a real calendar date raises CellError.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_text(value)
    if not text:
        return None
    match = _DATE.fullmatch(text)
    if match:
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        raise CellError(
            "invalid_date",
            _("“%(value)s” is not a date; write it as dd/mm/yyyy, for example 16/11/2022")
            % {"value": text},
        )
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(
            "invalid_date",
            _("“%(value)s” is not a real date (no such day in the calendar)") % {"value": text},
        ) from None


class Choice:
    """A coded value written as its code or its Vietnamese name, any case, with or without marks.

    `options` maps each code to its accepted names, the first being the one shown to people.
    """

    def __init__(self, options: dict[str, tuple[str, ...]]):
        self.options = options
        self._lookup: dict[str, str] = {}
        for code, names in options.items():
            for name in (code, *names):
                self._lookup.setdefault(self._key(name), code)

    @staticmethod
    def _key(value: str) -> str:
        return _NOT_ALNUM.sub("", fold(value))

    @property
    def names(self) -> list[str]:
        return [names[0] for names in self.options.values()]

    def display(self, code: str) -> str:
        return self.options[code][0] if code in self.options else code

    def parse(self, value: object) -> str | None:
        text = clean_text(value)
        if not text:
            return None
        code = self._lookup.get(self._key(text))
        if code is None:
            raise CellError(
                "invalid_choice",
                _("“%(value)s” is not an accepted value; write one of: %(choices)s")
                % {"value": text, "choices": ", ".join(self.names)},
            )
        return code


@dataclass(frozen=True)
class Column:
    """One column of an import kind. `label` is the header of the file format (Vietnamese).

    `help` and `example` are Vietnamese file content for the downloadable template.
    """

    key: str
    label: str
    type: str = TEXT
    required: bool = False
    choice: Choice | None = None
    max_length: int | None = None
    help: str = ""
    example: object = ""


@dataclass
class Row:
    number: int
    values: dict[str, object] = field(default_factory=dict)


@dataclass
class BoundTable:
    rows: list[Row]
    problems: list[Problem]
    # False when a required column is missing: the rows cannot be checked as a whole.
    complete: bool
    ignored_columns: list[str]


def _parse_cell(column: Column, value: object) -> object:
    if column.type == DATE:
        return parse_date(value)
    if column.type == CHOICE:
        return column.choice.parse(value)
    text = clean_text(value)
    if column.type == CODE:
        text = text.upper()
    if column.max_length and len(text) > column.max_length:
        raise CellError(
            "too_long",
            _("the text is longer than %(limit)s characters") % {"limit": column.max_length},
        )
    return text


def _is_empty(value: object) -> bool:
    return value is None or value == ""


def bind_rows(columns: tuple[Column, ...], table: Table) -> BoundTable:
    """Match the file's headers to `columns` and parse every cell of every data row.

    A required column that is missing is one problem on row 1 naming the header expected;
    an optional column may be left out (its cells count as empty); other headers are ignored.
    """
    problems: list[Problem] = []
    wanted = {header_key(c.label): c for c in columns}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(table.headers):
        key = header_key(header)
        column = wanted.get(key)
        if column is None:
            if key:
                ignored.append(clean_text(header))
        elif column.key in positions:
            problems.append(
                Problem(
                    1, column.label, _("this column appears more than once"), "duplicate_header"
                )
            )
        else:
            positions[column.key] = index
    complete = True
    for column in columns:
        if column.key not in positions and column.required:
            complete = False
            problems.append(
                Problem(
                    1,
                    column.label,
                    _("the column is missing or its header is misspelled (expected “%(label)s”)")
                    % {"label": column.label},
                    "missing_header",
                )
            )
    rows = []
    for number, cells in table.rows:
        row = Row(number)
        for column in columns:
            index = positions.get(column.key)
            raw = cells[index] if index is not None and index < len(cells) else None
            try:
                value = _parse_cell(column, raw)
            except CellError as exc:
                problems.append(Problem(number, column.label, exc.message, exc.code))
                value = None
            else:
                if _is_empty(value) and column.required and index is not None:
                    problems.append(
                        Problem(number, column.label, _("a value is required"), "required")
                    )
            row.values[column.key] = value
        rows.append(row)
    return BoundTable(rows=rows, problems=problems, complete=complete, ignored_columns=ignored)
