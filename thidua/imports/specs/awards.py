"""KIND "awards": titles and forms received, with their decisions (Mã · Năm · Danh hiệu/Hình thức · …).

"Mã" is a staff code or a unit code. A row whose subject already holds the same title in force
for that year is unchanged when the decision matches, and otherwise recorded as a correction
(the old record is kept, marked corrected). A row matching a revoked award is left revoked: an
old file imported again does not bring it back. Awards are never deleted.
"""

import datetime

from django.utils.translation import gettext as _

from thidua.core.errors import BusinessRuleError
from thidua.imports.parsing import CHOICE, CODE, DATE, TEXT, Choice, Column, Row
from thidua.imports.results import CREATE, UNCHANGED, UPDATE
from thidua.imports.specs.base import ImportSpec, Plan, PlannedRow, show
from thidua.imports.specs.record_helpers import (
    load_subject,
    read_subject_rows,
    record_key,
    refusal,
    repeated_problem,
    subject_key,
)
from thidua.records.enums import TitleCode
from thidua.records.models import Award, AwardStatus
from thidua.records.services import check_award, correct_award, record_award

# The first name of each is what the template's drop-down list offers: no commas, and all of
# them together stay under Excel's 255-character limit for a list.
TITLES = Choice(
    {
        TitleCode.LDTT: ("Lao động tiên tiến",),
        TitleCode.CSTDCS: ("Chiến sĩ thi đua cơ sở",),
        TitleCode.CSTD_TINH: (
            "Chiến sĩ thi đua cấp tỉnh",
            "Chiến sĩ thi đua cấp bộ",
            "Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh",
        ),
        TitleCode.CSTD_TQ: ("Chiến sĩ thi đua toàn quốc",),
        TitleCode.TTLDTT: ("Tập thể lao động tiên tiến",),
        TitleCode.TTLDXS: ("Tập thể lao động xuất sắc",),
        TitleCode.CO_TD_TINH: (
            "Cờ thi đua cấp tỉnh",
            "Cờ thi đua cấp bộ",
            "Cờ thi đua của UBND tỉnh",
            "Cờ thi đua cấp bộ, ban, ngành, tỉnh",
        ),
        TitleCode.GK: ("Giấy khen", "Giấy khen của Giám đốc Sở"),
        TitleCode.BK_TINH: (
            "Bằng khen cấp tỉnh",
            "Bằng khen cấp bộ",
            "Bằng khen của Chủ tịch UBND tỉnh",
            "Bằng khen cấp bộ, ban, ngành, tỉnh",
        ),
        TitleCode.BK_TTG: ("Bằng khen Thủ tướng", "Bằng khen của Thủ tướng Chính phủ"),
        TitleCode.HCLD3: ("Huân chương Lao động hạng Ba",),
    }
)


class AwardsSpec(ImportSpec):
    kind = "awards"
    sheet_title = "Khen thưởng"
    title = "Danh hiệu thi đua và hình thức khen thưởng đã nhận"
    notes = (
        "Mỗi dòng là một danh hiệu hoặc hình thức khen thưởng của một người (mã cán bộ) hoặc một "
        "đơn vị (mã đơn vị), kèm quyết định. Có thể ghi quyết định của Sở hay của cấp trên.",
        "Dòng trùng người, năm và danh hiệu với khen thưởng đang có hiệu lực: nếu số, ngày hoặc "
        "cấp quyết định khác thì được ghi là đính chính (bản cũ vẫn lưu trong lịch sử).",
        "Khen thưởng đã bị thu hồi không được khôi phục khi nhập lại tệp cũ.",
    )
    columns = (
        Column(
            "code",
            "Mã",
            CODE,
            required=True,
            max_length=32,
            help="Mã cán bộ (khen thưởng cá nhân) hoặc mã đơn vị (khen thưởng tập thể).",
            example="CB0001",
        ),
        Column(
            "year",
            "Năm",
            TEXT,
            required=True,
            help="Năm của thành tích được khen, ví dụ 2024.",
            example="2024",
        ),
        Column(
            "title",
            "Danh hiệu/Hình thức",
            CHOICE,
            required=True,
            choice=TITLES,
            help="Mã (LDTT, CSTDCS, TTLDTT, GK, BK_TINH…) hoặc tên danh hiệu, hình thức.",
            example="Lao động tiên tiến",
        ),
        Column(
            "decision_number",
            "Số quyết định",
            TEXT,
            required=True,
            max_length=64,
            help="Ví dụ: 53/QĐ-STNMT.",
            example="53/QĐ-STNMT",
        ),
        Column(
            "decision_date",
            "Ngày quyết định",
            DATE,
            required=True,
            help="Ngày/tháng/năm (dd/mm/yyyy).",
            example=datetime.date(2024, 12, 20),
        ),
        Column(
            "authority",
            "Cấp quyết định",
            TEXT,
            required=True,
            max_length=200,
            help="Ví dụ: Giám đốc Sở, Chủ tịch UBND tỉnh, Bộ trưởng, Thủ tướng Chính phủ.",
            example="Giám đốc Sở",
        ),
    )
    field_columns = {
        "year": "year",
        "title": "title",
        "decision_number": "decision_number",
        "decision_date": "decision_date",
        "authority": "authority",
    }

    def plan(self, *, agency, rows: list[Row], today: datetime.date) -> Plan:
        plan, parsed, subjects = read_subject_rows(self, agency=agency, rows=rows, units=True)
        found = [subject for _row, subject, *_rest in parsed]
        years = {year for _row, _subject, year, _clean in parsed}
        active: dict[tuple, Award] = {}
        revoked: set[tuple] = set()
        for award in Award.objects.filter(subjects.q(found), year__in=years):
            key = (*record_key(award), award.year, award.title)
            if award.status == AwardStatus.ACTIVE:
                active[key] = award
            elif award.status == AwardStatus.REVOKED:
                revoked.add((*key, award.decision_number))
        first_row: dict[tuple, int] = {}
        for row, subject, year, clean in parsed:
            title = row.values["title"]
            if title is None:
                continue
            key = (*subject_key(subject), year, title)
            if key in first_row:
                plan.problems.append(repeated_problem(row, self.column("code"), first_row[key]))
                continue
            first_row[key] = row.number
            if not clean or not all(
                row.values[k] for k in ("decision_number", "decision_date", "authority")
            ):
                continue
            current = active.get(key)
            if current is None and (*key, row.values["decision_number"]) in revoked:
                plan.rows.append(self._plan_row(row, subject, year, None, UNCHANGED))
                continue
            try:
                check_award(
                    subject=subject,
                    year=year,
                    title=title,
                    decision_number=row.values["decision_number"],
                    decision_date=row.values["decision_date"],
                    authority=row.values["authority"],
                    replacing=current,
                )
            except BusinessRuleError as exc:
                plan.problems.append(refusal(self, row, exc))
                continue
            plan.rows.append(self._plan_row(row, subject, year, current))
        return plan

    def _plan_row(
        self, row: Row, subject, year: int, award: Award | None, action: str | None = None
    ) -> PlannedRow:
        values = row.values
        changes: dict[str, list[str]] = {}
        if award is not None:
            for key in ("decision_number", "decision_date", "authority"):
                before, after = getattr(award, key), values[key]
                if before != after:
                    changes[self.column(key).label] = [show(before), show(after)]
        if action is None:
            action = CREATE if award is None else (UPDATE if changes else UNCHANGED)
        return PlannedRow(
            row=row.number,
            action=action,
            code=values["code"],
            values={
                "subject": subject_key(subject),
                "award_id": award.pk if award else None,
                "year": year,
                "title": values["title"],
                "decision_number": values["decision_number"],
                "decision_date": values["decision_date"],
                "authority": values["authority"],
            },
            summary={"name": f"{subject} · {year}: {TITLES.display(values['title'])}"},
            changes=changes,
        )

    def apply(self, *, actor, agency, item: PlannedRow, today: datetime.date) -> None:
        """Record a new award, or correct the one in force (kept in the history as corrected)."""
        values = dict(item.values)
        award_id = values.pop("award_id")
        subject = load_subject(values)
        values.pop("subject")
        if item.action == CREATE:
            record_award(actor=actor, subject=subject, **values)
        elif item.action == UPDATE:
            award = Award.objects.get(pk=award_id)
            correct_award(
                actor=actor,
                award=award,
                reason=_("Corrected by an import file"),
                decision_number=values["decision_number"],
                decision_date=values["decision_date"],
                authority=values["authority"],
            )
