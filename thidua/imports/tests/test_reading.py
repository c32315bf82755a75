import datetime

import pytest

from thidua.core.errors import BusinessRuleError
from thidua.imports.parsing import CellError, Choice, header_key, parse_date
from thidua.imports.reading import read_table
from thidua.imports.services import run_import
from thidua.imports.specs.staff import EMPLOYMENT_TYPES, GENDERS
from thidua.imports.specs.units import UNIT_KINDS
from thidua.imports.tests.files import STAFF_HEADERS, counts, write_csv, write_xlsx


def _read(path):
    return read_table(filename=path.name, data=path.read_bytes())


def test_read_table_empty_file_is_refused(tmp_path):
    path = tmp_path / "canbo.xlsx"
    path.write_bytes(b"")

    with pytest.raises(BusinessRuleError) as refused:
        _read(path)

    assert refused.value.code == "empty_file"


@pytest.mark.django_db
def test_run_import_empty_file_writes_nothing(tmp_path, agency, officer):
    path = tmp_path / "canbo.csv"
    path.write_bytes(b"")
    before = counts()

    with pytest.raises(BusinessRuleError) as refused:
        run_import(actor=officer, agency=agency, kind="staff", filename=path.name, data=b"")

    assert refused.value.code == "empty_file"
    assert counts() == before


@pytest.mark.parametrize("name", ["canbo.xls", "canbo.docx", "canbo"])
def test_read_table_unknown_extension_is_refused(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"Ma can bo\nCB01\n")

    with pytest.raises(BusinessRuleError) as refused:
        _read(path)

    assert refused.value.code == "unknown_format"


def test_read_table_corrupt_xlsx_is_refused(tmp_path):
    path = tmp_path / "canbo.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")

    with pytest.raises(BusinessRuleError) as refused:
        _read(path)

    assert refused.value.code == "unreadable_file"


@pytest.mark.parametrize("rows", [[[None, None], ["CB01", "Nguyễn Văn An"]], [[]]])
def test_read_table_without_header_row_is_refused(tmp_path, rows):
    path = write_xlsx(tmp_path / "canbo.xlsx", rows)

    with pytest.raises(BusinessRuleError) as refused:
        _read(path)

    assert refused.value.code == "no_header"


def test_read_table_csv_of_blank_lines_has_no_header(tmp_path):
    path = tmp_path / "canbo.csv"
    path.write_bytes(b"\r\n\r\n")

    with pytest.raises(BusinessRuleError) as refused:
        _read(path)

    assert refused.value.code == "no_header"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_read_table_csv_delimiter_is_sniffed(tmp_path, delimiter):
    rows = [STAFF_HEADERS, ["CB01", "Nguyễn Văn An, con", "", "Nam", "VP", "", "Công chức", ""]]
    path = write_csv(tmp_path / "canbo.csv", rows, delimiter=delimiter)

    table = _read(path)

    assert table.headers == STAFF_HEADERS
    assert table.rows == [(2, rows[1])]


def test_read_table_skips_blank_rows_and_keeps_row_numbers(tmp_path):
    path = write_xlsx(tmp_path / "canbo.xlsx", [["Mã cán bộ"], ["CB01"], [None], ["  "], ["CB02"]])

    table = _read(path)

    assert table.rows == [(2, ["CB01"]), (5, ["CB02"])]


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Mã cán bộ", "macanbo"),
        ("ma can bo", "macanbo"),
        ("HỌ VÀ TÊN", "hovaten"),
        (" Mã  đơn vị* ", "madonvi"),
    ],  # fmt: skip
)
def test_header_key_ignores_case_marks_and_spaces(header, key):
    assert header_key(header) == key


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("17/05/1985", datetime.date(1985, 5, 17)),
        ("7/5/1985", datetime.date(1985, 5, 7)),
        ("17-05-1985", datetime.date(1985, 5, 17)),
        ("1985-05-17", datetime.date(1985, 5, 17)),
        (datetime.datetime(1985, 5, 17, 0, 0), datetime.date(1985, 5, 17)),
        ("", None),
        (None, None),
    ],
)
def test_parse_date_accepts_vietnamese_and_real_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["31/02/1990", "29/02/2023", "17/13/1985", "17/05/85", "năm 1985"]
)
def test_parse_date_refuses_impossible_or_unclear_dates(value):
    with pytest.raises(CellError) as refused:
        parse_date(value)

    assert refused.value.code == "invalid_date"


@pytest.mark.parametrize(
    ("choice", "text", "code"),
    [
        (UNIT_KINDS, "Phòng", "PHONG"),
        (UNIT_KINDS, "PHONG", "PHONG"),
        (UNIT_KINDS, "chi cuc", "CHI_CUC"),
        (UNIT_KINDS, "Trung tâm", "TRUNG_TAM"),
        (UNIT_KINDS, "VĂN PHÒNG", "VAN_PHONG"),
        (UNIT_KINDS, "Chi nhánh", "CHI_NHANH"),
        (UNIT_KINDS, "Khác", "KHAC"),
        (UNIT_KINDS, "Ban Giám đốc", "BAN"),
        (UNIT_KINDS, "BAN", "BAN"),
        (GENDERS, "Nữ", "NU"),
        (GENDERS, "nam", "NAM"),
        (EMPLOYMENT_TYPES, "công chức", "CONG_CHUC"),
        (EMPLOYMENT_TYPES, "Viên Chức", "VIEN_CHUC"),
        (EMPLOYMENT_TYPES, "người lao động", "NGUOI_LAO_DONG"),
        (EMPLOYMENT_TYPES, "NGUOI_LAO_DONG", "NGUOI_LAO_DONG"),
    ],
)
def test_choice_accepts_code_or_name(choice, text, code):
    assert choice.parse(text) == code


def test_choice_refuses_unknown_value_naming_the_accepted_ones():
    kinds = Choice({"A": ("Một",), "B": ("Hai",)})

    with pytest.raises(CellError) as refused:
        kinds.parse("Ba")

    assert refused.value.code == "invalid_choice"
    assert "Một, Hai" in refused.value.message
