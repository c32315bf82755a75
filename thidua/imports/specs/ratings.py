"""KIND "ratings": the annual quality ratings of people and units (Mã · Năm · Xếp loại · …).

"Mã" is a staff code (a person's rating) or a unit code (the unit's rating). A person or unit
already rated that year is updated; an empty optional cell keeps what is stored (12 months and
no maternity leave for a new rating). The rules of Nghị định 90/2020 (amended by 48/2023) are
checked for every row before anything is written, through `records.services.check_rating`.
"""

import datetime

from thidua.core.errors import BusinessRuleError
from thidua.imports.parsing import CHOICE, CODE, TEXT, Choice, Column, Row
from thidua.imports.results import CREATE, UPDATE
from thidua.imports.specs.base import ImportSpec, Plan, PlannedRow, action_for, show
from thidua.imports.specs.record_helpers import (
    YES_NO,
    load_subject,
    read_subject_rows,
    record_key,
    refusal,
    repeated_problem,
    show_bool,
    subject_key,
    whole_number,
)
from thidua.org.models import Person
from thidua.records.enums import RatingLevel
from thidua.records.models import Discipline, Rating
from thidua.records.services import check_rating, set_rating

RATING_LEVELS = Choice(
    {
        RatingLevel.HTXSNV: ("Hoàn thành xuất sắc nhiệm vụ",),
        RatingLevel.HTTNV: ("Hoàn thành tốt nhiệm vụ",),
        RatingLevel.HTNV: ("Hoàn thành nhiệm vụ",),
        RatingLevel.KHTNV: ("Không hoàn thành nhiệm vụ",),
    }
)


class RatingsSpec(ImportSpec):
    kind = "ratings"
    sheet_title = "Xếp loại"
    title = "Đánh giá, xếp loại chất lượng hằng năm của cá nhân và tập thể"
    notes = (
        "Mỗi dòng là xếp loại của một người (mã cán bộ) hoặc một đơn vị (mã đơn vị) trong một "
        "năm. Người hoặc đơn vị đã có xếp loại năm đó được cập nhật; ô tuỳ chọn để trống thì giữ "
        "nguyên thông tin đã có.",
        "Theo Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP): công tác dưới 6 "
        "tháng trong năm (trừ nghỉ thai sản) thì không xếp loại; nghỉ từ 3 đến dưới 6 tháng thì "
        "không xếp loại từ Hoàn thành tốt nhiệm vụ trở lên; bị kỷ luật trong năm thì xếp loại "
        "Không hoàn thành nhiệm vụ.",
        "Số tháng công tác và nghỉ thai sản chỉ ghi cho cá nhân; để trống với đơn vị.",
    )
    columns = (
        Column(
            "code",
            "Mã",
            CODE,
            required=True,
            max_length=32,
            help="Mã cán bộ (xếp loại cá nhân) hoặc mã đơn vị (xếp loại tập thể).",
            example="CB0001",
        ),
        Column(
            "year",
            "Năm",
            TEXT,
            required=True,
            help="Năm được đánh giá, ví dụ 2024.",
            example="2024",
        ),
        Column(
            "level",
            "Xếp loại",
            CHOICE,
            required=True,
            choice=RATING_LEVELS,
            help="HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ.",
            example="Hoàn thành tốt nhiệm vụ",
        ),
        Column(
            "months",
            "Số tháng công tác",
            TEXT,
            help="Số tháng thực tế công tác trong năm, từ 0 đến 12. Để trống: 12 tháng.",
            example="12",
        ),
        Column(
            "maternity",
            "Nghỉ thai sản",
            CHOICE,
            choice=YES_NO,
            help="Có hoặc Không. Để trống: Không.",
            example="Không",
        ),
    )
    field_columns = {
        "year": "year",
        "level": "level",
        "months_worked": "months",
        "maternity_leave": "maternity",
    }

    def plan(self, *, agency, rows: list[Row], today: datetime.date) -> Plan:
        plan, parsed, subjects = read_subject_rows(
            self,
            agency=agency,
            rows=rows,
            units=True,
            extra=lambda row, problems: [
                whole_number(row, self.column("months"), problems, minimum=0, maximum=12)
            ],
        )
        found = [subject for _row, subject, *_rest in parsed]
        years = {year for _row, _s, year, *_rest in parsed}
        existing = {
            (*record_key(r), r.year): r
            for r in Rating.objects.filter(subjects.q(found), year__in=years)
        }
        disciplines: dict[int, list[Discipline]] = {}
        for d in Discipline.objects.filter(
            person_id__in=[s.pk for s in found if isinstance(s, Person)],
            decided_on__year__in=years,
        ):
            disciplines.setdefault(d.person_id, []).append(d)
        first_row: dict[tuple, int] = {}
        for row, subject, year, months, clean in parsed:
            key = (*subject_key(subject), year)
            if key in first_row:
                plan.problems.append(repeated_problem(row, self.column("code"), first_row[key]))
                continue
            first_row[key] = row.number
            if not clean or row.values["level"] is None:
                continue
            item = self._plan_row(row, subject, year, months, existing.get(key))
            try:
                check_rating(
                    subject=subject,
                    year=year,
                    level=item.values["level"],
                    months_worked=item.values["months_worked"],
                    maternity_leave=item.values["maternity_leave"],
                    disciplines=disciplines.get(subject.pk, [])
                    if isinstance(subject, Person)
                    else [],
                )
            except BusinessRuleError as exc:
                plan.problems.append(refusal(self, row, exc))
                continue
            plan.rows.append(item)
        return plan

    def _plan_row(
        self, row: Row, subject, year: int, months: int | None, rating: Rating | None
    ) -> PlannedRow:
        values = row.values
        maternity = values["maternity"]
        # Empty optional cells keep what is stored; a new rating has 12 months, no leave.
        new_months = months if months is not None else (rating.months_worked if rating else 12)
        new_maternity = (
            maternity == "CO"
            if maternity is not None
            else (rating.maternity_leave if rating else False)
        )
        changes: dict[str, list[str]] = {}
        if rating is not None:
            pairs = (
                ("level", RATING_LEVELS.display(rating.level), RATING_LEVELS.display(values["level"])),
                ("months", show(rating.months_worked), show(new_months)),
                ("maternity", show_bool(rating.maternity_leave), show_bool(new_maternity)),
            )  # fmt: skip
            for key, before, after in pairs:
                if before != after:
                    changes[self.column(key).label] = [before, after]
        return PlannedRow(
            row=row.number,
            action=action_for(changes, exists=rating is not None),
            code=values["code"],
            values={
                "subject": subject_key(subject),
                "year": year,
                "level": values["level"],
                "months_worked": new_months,
                "maternity_leave": new_maternity,
            },
            summary={
                "name": f"{subject} · {year}: {RATING_LEVELS.display(values['level'])}",
            },
            changes=changes,
        )

    def apply(self, *, actor, agency, item: PlannedRow, today: datetime.date) -> None:
        """Create or update the rating through `set_rating`; fields outside the file are kept."""
        if item.action not in (CREATE, UPDATE):
            return
        values = item.values
        subject = load_subject(values)
        kept = Rating.objects.filter(year=values["year"], **{values["subject"][0]: subject}).first()
        set_rating(
            actor=actor,
            subject=subject,
            year=values["year"],
            level=values["level"],
            months_worked=values["months_worked"],
            maternity_leave=values["maternity_leave"],
            self_reliant=kept.self_reliant if kept else True,
            rated_by_director=kept.rated_by_director if kept else False,
            note=kept.note if kept else "",
        )
