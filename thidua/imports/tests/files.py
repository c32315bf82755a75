"""Builders of the files the import tests upload: written to disk, then read back."""

import csv
import io
import unicodedata
from pathlib import Path

from openpyxl import Workbook

from thidua.audit.models import AuditEntry
from thidua.org.models import Membership, Person, Unit

STAFF_HEADERS = [
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Mã đơn vị",
    "Chức vụ",
    "Loại cán bộ",
    "Ngày tuyển dụng",
]
UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", "Loại đơn vị"]


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: ă â ê ô ơ ư đ are letters, tones are
    separate combining marks ("ễ" = "ê" + U+0303). Python's codec does not decompose by itself."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            tones = "".join(m for m in marks if m in _TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in _TONE_MARKS))
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def write_csv(path: Path, rows: list[list], *, encoding="utf-8", delimiter=",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = buffer.getvalue()
    path.write_bytes(cp1258_bytes(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def counts() -> dict[str, int]:
    """What an import may write: compared before and after a refused file."""
    return {
        "people": Person.objects.count(),
        "units": Unit.objects.count(),
        "memberships": Membership.objects.count(),
        "audit": AuditEntry.objects.count(),
    }
