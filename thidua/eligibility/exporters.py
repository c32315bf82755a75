"""The eligibility list as an .xlsx workbook (one sheet of results, one of quotas)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from thidua.eligibility.selectors import title_name


def eligibility_xlsx(document: dict, *, names: dict[tuple[str, str], str]) -> bytes:
    """`document` is `selectors.as_document(...)`; `names` maps (kind, code) to a display name."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Kết quả xét"
    ws.append([f"{document['agency']} — năm {document['year']} — chế độ {document['regime']}"])
    ws.append(["Mã", "Tên", "Loại", "Danh hiệu/Hình thức", "Đủ điều kiện", "Điều kiện"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in document["results"]:
        ws.append(
            [
                row["subject"],
                names.get((row["kind"], row["subject"]), ""),
                "Cá nhân" if row["kind"] == "person" else "Tập thể",
                title_name(row["title"], row["kind"]),
                "Có" if row["eligible"] else "Không",
                "\n".join(c["message"] for c in row["conditions"]),
            ]
        )
    for column, width in zip("ABCDEF", (12, 32, 10, 34, 12, 110), strict=True):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=3, min_col=6, max_col=6):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    quotas = wb.create_sheet("Chỉ tiêu")
    quotas.append(["Chỉ tiêu", "Phạm vi", "Tối đa", "Đã dùng"])
    for cell in quotas[1]:
        cell.font = Font(bold=True)
    for q in document["quotas"]:
        quotas.append([q["code"], q["scope"], q["limit"], q["used"]])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
