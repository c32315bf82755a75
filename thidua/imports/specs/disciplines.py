"""KIND "disciplines": disciplinary decisions against staff (Mã cán bộ · Ngày quyết định · …).

A row is identified by the staff code, the decision date and the measure: one already recorded
is updated when its period differs. A decision lowers the person's rating of its year to KHTNV
(Nghị định 90/2020, amended by 48/2023): the preview shows it as a change of that rating.
"""

import datetime

from django.utils.translation import gettext as _

from thidua.core.errors import BusinessRuleError
from thidua.imports.parsing import CHOICE, CODE, DATE, TEXT, Choice, Column, Row
from thidua.imports.results import CREATE, UPDATE
from thidua.imports.specs.base import ImportSpec, Plan, PlannedRow, action_for, show
from thidua.imports.specs.ratings import RATING_LEVELS
from thidua.imports.specs.record_helpers import Subjects, refusal, repeated_problem, whole_number
from thidua.org.models import Person
from thidua.records.enums import DisciplineKind, RatingLevel
from thidua.records.models import Discipline, Rating
from thidua.records.services import (
    MAX_DISCIPLINE_MONTHS,
    add_discipline,
    check_discipline,
    update_discipline,
)

MEASURES = Choice(
    {
        DisciplineKind.KHIEN_TRACH: ("Khiển trách",),
        DisciplineKind.CANH_CAO: ("Cảnh cáo",),
        DisciplineKind.HA_BAC_LUONG: ("Hạ bậc lương",),
        DisciplineKind.GIANG_CHUC: ("Giáng chức",),
        DisciplineKind.CACH_CHUC: ("Cách chức",),
        DisciplineKind.BUOC_THOI_VIEC: ("Buộc thôi việc",),
    }
)


class DisciplinesSpec(ImportSpec):
    kind = "disciplines"
    sheet_title = "Kỷ luật"
    title = "Quyết định kỷ luật cán bộ, công chức, viên chức"
    notes = (
        "Mỗi dòng là một quyết định kỷ luật. Dòng trùng mã cán bộ, ngày quyết định và hình thức "
        "với quyết định đã có thì được cập nhật thời hạn.",
        "Người bị kỷ luật trong năm thì xếp loại năm đó là Không hoàn thành nhiệm vụ (Nghị định "
        "90/2020/NĐ-CP, sửa đổi bởi Nghị định 48/2023/NĐ-CP): xếp loại đã nhập của năm đó được "
        "hạ xuống.",
    )
    columns = (
        Column(
            "code",
            "Mã cán bộ",
            CODE,
            required=True,
            max_length=32,
            help="Mã của người bị kỷ luật.",
            example="CB0001",
        ),
        Column(
            "decided_on",
            "Ngày quyết định",
            DATE,
            required=True,
            help="Ngày/tháng/năm (dd/mm/yyyy) của quyết định kỷ luật.",
            example=datetime.date(2024, 6, 15),
        ),
        Column(
            "measure",
            "Hình thức kỷ luật",
            CHOICE,
            required=True,
            choice=MEASURES,
            help="Hình thức kỷ luật.",
            example="Khiển trách",
        ),
        Column(
            "months",
            "Thời hạn (tháng)",
            TEXT,
            required=True,
            help=f"Số tháng thi hành kỷ luật, từ 0 đến {MAX_DISCIPLINE_MONTHS}.",
            example="12",
        ),
    )
    field_columns = {
        "person": "code",
        "decided_on": "decided_on",
        "kind": "measure",
        "months": "months",
    }

    def plan(self, *, agency, rows: list[Row], today: datetime.date) -> Plan:
        plan = Plan()
        people = Subjects(
            agency=agency, codes={r.values["code"] for r in rows if r.values["code"]}, units=False
        )
        parsed = []
        for row in rows:
            problems: list = []
            person = people.find(row, self.column("code"), problems)
            months = whole_number(
                row, self.column("months"), problems, minimum=0, maximum=MAX_DISCIPLINE_MONTHS
            )
            plan.problems += problems
            values = row.values
            if person is not None and values["decided_on"] and values["measure"]:
                parsed.append((row, person, months, not problems and months is not None))
        person_ids = [p.pk for _r, p, *_rest in parsed]
        existing = {
            (d.person_id, d.decided_on, d.kind): d
            for d in Discipline.objects.filter(person_id__in=person_ids)
        }
        ratings = {
            (r.person_id, r.year): r
            for r in Rating.objects.filter(person_id__in=person_ids).exclude(
                level=RatingLevel.KHTNV
            )
        }
        first_row: dict[tuple, int] = {}
        for row, person, months, clean in parsed:
            key = (person.pk, row.values["decided_on"], row.values["measure"])
            if key in first_row:
                plan.problems.append(repeated_problem(row, self.column("code"), first_row[key]))
                continue
            first_row[key] = row.number
            if not clean:
                continue
            try:
                check_discipline(
                    person=person,
                    decided_on=row.values["decided_on"],
                    kind=row.values["measure"],
                    months=months,
                )
            except BusinessRuleError as exc:
                plan.problems.append(refusal(self, row, exc))
                continue
            rating = ratings.get((person.pk, row.values["decided_on"].year))
            plan.rows.append(self._plan_row(row, person, months, existing.get(key), rating))
        return plan

    def _plan_row(
        self,
        row: Row,
        person: Person,
        months: int,
        discipline: Discipline | None,
        rating: Rating | None,
    ) -> PlannedRow:
        values = row.values
        changes: dict[str, list[str]] = {}
        if discipline is not None and discipline.months != months:
            changes[self.column("months").label] = [show(discipline.months), show(months)]
        action = action_for(changes, exists=discipline is not None)
        if action == CREATE and rating is not None:
            label = _("Rating %(year)s") % {"year": rating.year}
            changes[label] = [
                RATING_LEVELS.display(rating.level),
                RATING_LEVELS.display(RatingLevel.KHTNV),
            ]
        return PlannedRow(
            row=row.number,
            action=action,
            code=values["code"],
            values={
                "person_id": person.pk,
                "discipline_id": discipline.pk if discipline else None,
                "decided_on": values["decided_on"],
                "kind": values["measure"],
                "months": months,
            },
            summary={
                "name": f"{person} · {show(values['decided_on'])}: "
                f"{MEASURES.display(values['measure'])}"
            },
            changes=changes,
        )

    def apply(self, *, actor, agency, item: PlannedRow, today: datetime.date) -> None:
        values = item.values
        if item.action == CREATE:
            add_discipline(
                actor=actor,
                person=Person.objects.get(pk=values["person_id"]),
                decided_on=values["decided_on"],
                kind=values["kind"],
                months=values["months"],
            )
        elif item.action == UPDATE:
            update_discipline(
                actor=actor,
                discipline=Discipline.objects.get(pk=values["discipline_id"]),
                months=values["months"],
            )
