"""Reading an uploaded file (.xlsx or .csv) as a table: a header row and numbered data rows.

Cells come back raw (str, int, float, datetime, None); `parsing` turns them into values. Row
numbers are those a person sees when opening the file: the header is row 1.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from thidua.core.errors import BusinessRuleError
from thidua.core.legacy_encoding import decode_bytes

EXTENSIONS = (".xlsx", ".csv")
MAX_ROWS = 50_000
_DELIMITERS = (",", ";", "\t")


@dataclass
class Table:
    headers: list[object]
    # (row number in the file, cells); wholly empty rows are left out.
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _xlsx_rows(data: bytes) -> list[list[object]]:
    # A damaged or disguised file fails in many ways inside openpyxl, zipfile and the XML
    # parser; every one of them means the same thing to the person uploading it.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise BusinessRuleError(
            _("The file cannot be read as an Excel workbook (.xlsx); it may be damaged."),
            code="unreadable_file",
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; forget it and read to the real end.
        sheet.reset_dimensions()
        rows = []
        for cells in sheet.iter_rows(values_only=True):
            rows.append(list(cells))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except Exception as exc:
        raise BusinessRuleError(
            _("The file cannot be read as an Excel workbook (.xlsx); it may be damaged."),
            code="unreadable_file",
        ) from exc
    finally:
        workbook.close()


def _sniff_delimiter(first_line: str) -> str:
    """The delimiter that splits the header line into the most fields (comma on a tie)."""
    best, best_count = ",", 1
    for delimiter in _DELIMITERS:
        count = len(next(csv.reader([first_line], delimiter=delimiter), []))
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _csv_rows(data: bytes) -> list[list[object]]:
    text = decode_bytes(data).lstrip("\ufeff")
    first_line = text.split("\n", 1)[0].rstrip("\r")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    rows: list[list[object]] = []
    try:
        for cells in reader:
            rows.append(list(cells))
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise BusinessRuleError(
            _("The file cannot be read as CSV: %(error)s") % {"error": exc},
            code="unreadable_file",
        ) from exc
    return rows


def read_table(*, filename: str, data: bytes) -> Table:
    """The table in `data`, an upload named `filename` (.xlsx: its first sheet; .csv).

    Refuses with a BusinessRuleError an empty or oversized file, another format, a damaged
    workbook and a file whose first row holds no column names.
    """
    extension = PurePath(filename or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise BusinessRuleError(
            _(
                "Only .xlsx (Excel) and .csv files can be imported; "
                "save the file in one of these formats."
            ),
            code="unknown_format",
        )
    if not data:
        raise BusinessRuleError(_("The file is empty."), code="empty_file")
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise BusinessRuleError(
            _("The file is larger than %(size)s MB.")
            % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024) or 1},
            code="file_too_large",
        )
    rows = _xlsx_rows(data) if extension == ".xlsx" else _csv_rows(data)
    if not rows or all(_is_blank(cell) for cell in rows[0]):
        raise BusinessRuleError(
            _("The file has no header row: its first row must hold the column names."),
            code="no_header",
        )
    if len(rows) > MAX_ROWS + 1:
        raise BusinessRuleError(
            _("The file has more than %(count)s rows; split it into smaller files.")
            % {"count": MAX_ROWS},
            code="too_many_rows",
        )
    table = Table(headers=rows[0])
    for number, cells in enumerate(rows[1:], start=2):
        if not all(_is_blank(cell) for cell in cells):
            table.rows.append((number, cells))
    return table
