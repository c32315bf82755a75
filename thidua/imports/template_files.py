"""The downloadable .xlsx template of each import kind: headers, one example row, instructions.

The headers are the file format itself and the instructions are file content for Vietnamese
users, so both are written in Vietnamese here rather than translated.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.imports.parsing import CHOICE, CODE, DATE, Column
from thidua.imports.specs import get_spec

GUIDE_SHEET = "Hướng dẫn"
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_BOLD = Font(bold=True)
_LAST_ROW = 2000  # how far the drop-down lists and text formats reach
_GENERAL_NOTES = (
    "Dòng đầu tiên của trang đầu tiên là tên cột; không đổi tên cột. Cột thừa được bỏ qua; "
    "chữ hoa, chữ thường, dấu và khoảng trắng trong tên cột không quan trọng.",
    "Dòng 2 là ví dụ: ghi đè hoặc xoá dòng này trước khi nhập.",
    "Ngày ghi theo dạng ngày/tháng/năm (dd/mm/yyyy) hoặc dùng ô ngày của Excel.",
    "Ô có danh sách chọn nhận mã hoặc tên đầy đủ, có dấu hay không dấu đều được.",
    "Tệp có bất kỳ lỗi nào sẽ không được nhập; hệ thống liệt kê mọi lỗi theo dòng và cột.",
    "Có thể lưu tệp dạng .xlsx hoặc .csv (UTF-8); chữ gõ bằng phông TCVN3 (ABC) hoặc VNI "
    "được tự động chuyển sang Unicode.",
)


def _width(column: Column) -> int:
    return max(len(column.label), len(str(column.example)), 12) + 4


def _write_data_sheet(sheet, columns: tuple[Column, ...]) -> None:
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.label)
        header.font = _BOLD
        header.fill = _HEADER_FILL
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        example = sheet.cell(row=2, column=index, value=column.example or None)
        if column.type == DATE:
            example.number_format = "DD/MM/YYYY"
        elif column.type == CODE:
            example.number_format = "@"  # keep leading zeros of codes such as 0012
        sheet.column_dimensions[letter].width = _width(column)
        if column.type == CHOICE:
            options = ",".join(column.choice.names)
            validation = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
            # No error box: codes and names without diacritics are accepted too.
            validation.showErrorMessage = False
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{_LAST_ROW}")
    sheet.freeze_panes = "A2"


def _write_guide_sheet(sheet, spec) -> None:
    sheet.append([f"Hướng dẫn nhập: {spec.title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(["Cột", "Bắt buộc", "Nội dung và giá trị chấp nhận"])
    for cell in sheet[3]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for column in spec.columns:
        accepted = column.help
        if column.type == CHOICE:
            accepted += " Giá trị chấp nhận: " + "; ".join(
                f"{names[0]} (mã {code})" for code, names in column.choice.options.items()
            )
        sheet.append([column.label, "Có" if column.required else "Không", accepted])
    sheet.append([])
    sheet.append(["Lưu ý"])
    sheet.cell(row=sheet.max_row, column=1).font = _BOLD
    for note in (*spec.notes, *_GENERAL_NOTES):
        sheet.append(["", "", note])
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 90


def build_template(kind: str) -> bytes:
    """The .xlsx template of `kind`: a data sheet (bold headers, an example row) and a
    "Hướng dẫn" sheet explaining each column. Raises BusinessRuleError for an unknown kind."""
    spec = get_spec(kind)
    workbook = Workbook()
    data_sheet = workbook.active
    data_sheet.title = spec.sheet_title
    _write_data_sheet(data_sheet, spec.columns)
    _write_guide_sheet(workbook.create_sheet(GUIDE_SHEET), spec)
    workbook.properties.title = spec.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
