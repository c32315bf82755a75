"""KIND "staff": the people of an agency and the unit each works in.

A staff code already in the agency updates that person (only the fields that differ; an empty
optional cell keeps what is stored). A change of unit or position is a transfer from today. New
people start in their unit on their recruitment date, or today when it is not given.
"""

import datetime

from django.utils.translation import gettext as _

from thidua.core.text import split_full_name
from thidua.imports.parsing import CHOICE, CODE, DATE, TEXT, Choice, Column, Row
from thidua.imports.results import CREATE, UPDATE, Problem
from thidua.imports.specs.base import (
    ImportSpec,
    Plan,
    PlannedRow,
    action_for,
    duplicate_problem,
    show,
)
from thidua.org.models import EmploymentType, Gender, Person, Unit
from thidua.org.services import create_person, update_person

GENDERS = Choice({Gender.MALE: ("Nam",), Gender.FEMALE: ("Nữ",)})
EMPLOYMENT_TYPES = Choice(
    {
        EmploymentType.CIVIL_SERVANT: ("Công chức",),
        EmploymentType.PUBLIC_EMPLOYEE: ("Viên chức",),
        EmploymentType.CONTRACT: ("Người lao động", "Lao động hợp đồng", "Hợp đồng"),
    }
)
# Longest name parts the Person model stores (family, middle, given).
_NAME_LIMITS = (50, 100, 50)


class StaffSpec(ImportSpec):
    kind = "staff"
    sheet_title = "Cán bộ"
    title = "Danh sách cán bộ, công chức, viên chức, người lao động"
    notes = (
        "Mỗi dòng là một người. Người đã có (cùng mã cán bộ) được cập nhật những thông tin khác "
        "với hệ thống; ô tuỳ chọn để trống thì giữ nguyên thông tin đã có.",
        "Đổi đơn vị hoặc chức vụ của người đã có được ghi là điều động từ ngày nhập.",
        "Mã đơn vị phải là đơn vị đang hoạt động của cơ quan: nhập danh sách đơn vị trước.",
    )
    columns = (
        Column(
            "code",
            "Mã cán bộ",
            CODE,
            required=True,
            max_length=32,
            help="Mã riêng của từng người, không trùng trong cơ quan.",
            example="CB0001",
        ),
        Column(
            "full_name",
            "Họ và tên",
            TEXT,
            required=True,
            max_length=200,
            help="Họ, tên đệm và tên, có dấu.",
            example="Nguyễn Thị Thu Hà",
        ),
        Column(
            "birth_date",
            "Ngày sinh",
            DATE,
            help="Ngày/tháng/năm (dd/mm/yyyy), ví dụ 17/05/1985. Có thể để trống.",
            example=datetime.date(1985, 5, 17),
        ),
        Column(
            "gender",
            "Giới tính",
            CHOICE,
            required=True,
            choice=GENDERS,
            help="Nam hoặc Nữ.",
            example="Nữ",
        ),
        Column(
            "unit_code",
            "Mã đơn vị",
            CODE,
            required=True,
            max_length=32,
            help="Mã của đơn vị nơi người đó công tác (xem danh sách đơn vị).",
            example="VP",
        ),
        Column(
            "position",
            "Chức vụ",
            TEXT,
            max_length=150,
            help="Ví dụ: Chánh Văn phòng, Phó Trưởng phòng, Chuyên viên. Có thể để trống.",
            example="Chuyên viên",
        ),
        Column(
            "employment_type",
            "Loại cán bộ",
            CHOICE,
            required=True,
            choice=EMPLOYMENT_TYPES,
            help="Công chức, Viên chức hoặc Người lao động.",
            example="Công chức",
        ),
        Column(
            "recruited_on",
            "Ngày tuyển dụng",
            DATE,
            help="Ngày/tháng/năm (dd/mm/yyyy). Có thể để trống.",
            example=datetime.date(2010, 3, 1),
        ),
    )
    field_columns = {
        "staff_code": "code",
        "given_name": "full_name",
        "family_name": "full_name",
        "birth_date": "birth_date",
        "recruited_on": "recruited_on",
        "left_on": "recruited_on",
        "unit": "unit_code",
        "date": "unit_code",
    }

    def plan(self, *, agency, rows: list[Row], today: datetime.date) -> Plan:
        plan = Plan()
        units = {u.code: u for u in Unit.objects.filter(agency=agency)}
        codes = [row.values["code"] for row in rows if row.values["code"]]
        people = {
            p.staff_code: p
            for p in Person.objects.filter(agency=agency, staff_code__in=codes).select_related(
                "unit"
            )
        }
        first_row: dict[str, int] = {}
        for row in rows:
            code = row.values["code"]
            if code in first_row:
                plan.problems.append(
                    duplicate_problem(
                        row=row.number,
                        column=self.column("code"),
                        code=code,
                        first_row=first_row[code],
                    )
                )
                continue
            if code:
                first_row[code] = row.number
            plan.problems += self._check_row(row, units, today, people.get(code))
            if code:
                plan.rows.append(self._plan_row(row, people.get(code)))
        return plan

    def _check_row(
        self, row: Row, units: dict[str, Unit], today: datetime.date, person: Person | None
    ) -> list[Problem]:
        values, problems = row.values, []
        name = values["full_name"]
        if name and any(
            len(p) > n for p, n in zip(split_full_name(name), _NAME_LIMITS, strict=True)
        ):
            problems.append(
                Problem(
                    row.number,
                    self.column("full_name").label,
                    _("a part of the name is too long"),
                    "too_long",
                )
            )
        unit_code, unit_label = values["unit_code"], self.column("unit_code").label
        if unit_code and unit_code not in units:
            problems.append(
                Problem(
                    row.number,
                    unit_label,
                    _("there is no unit with code %(code)s in this agency") % {"code": unit_code},
                    "unknown_unit",
                )
            )
        elif unit_code and not units[unit_code].is_active:
            problems.append(
                Problem(
                    row.number,
                    unit_label,
                    _("the unit %(code)s has been dissolved") % {"code": unit_code},
                    "inactive_unit",
                )
            )
        # An empty cell keeps the stored date: check the dates the person will have.
        born = values["birth_date"] or (person.birth_date if person else None)
        recruited = values["recruited_on"] or (person.recruited_on if person else None)
        if values["birth_date"] and born > today:
            problems.append(
                Problem(
                    row.number,
                    self.column("birth_date").label,
                    _("the birth date is in the future"),
                    "date_order",
                )
            )
        if born and recruited and recruited < born:
            blamed = "recruited_on" if values["recruited_on"] else "birth_date"
            problems.append(
                Problem(
                    row.number,
                    self.column(blamed).label,
                    _("the recruitment date is before the birth date"),
                    "date_order",
                )
            )
        left = person.left_on if person else None
        if left and values["recruited_on"] and values["recruited_on"] > left:
            problems.append(
                Problem(
                    row.number,
                    self.column("recruited_on").label,
                    _("the recruitment date is after the day this person left (%(date)s)")
                    % {"date": show(left)},
                    "date_order",
                )
            )
        return problems

    def _plan_row(self, row: Row, person: Person | None) -> PlannedRow:
        values = row.values
        changes: dict[str, list[str]] = {}
        if person is not None:
            pairs = (
                ("full_name", person.full_name, values["full_name"]),
                ("birth_date", person.birth_date, values["birth_date"]),
                ("gender", GENDERS.display(person.gender), GENDERS.display(values["gender"])),
                ("unit_code", person.unit.code if person.unit_id else "", values["unit_code"]),
                ("position", person.position, values["position"]),
                (
                    "employment_type",
                    EMPLOYMENT_TYPES.display(person.employment_type),
                    EMPLOYMENT_TYPES.display(values["employment_type"]),
                ),
                ("recruited_on", person.recruited_on, values["recruited_on"]),
            )
            for key, before, after in pairs:
                # Empty optional cells keep what is stored.
                if after not in (None, "") and before != after:
                    changes[self.column(key).label] = [show(before), show(after)]
        return PlannedRow(
            row=row.number,
            action=action_for(changes, exists=person is not None),
            code=values["code"],
            values=values,
            summary={"name": show(values["full_name"]), "unit": show(values["unit_code"])},
            changes=changes,
        )

    def apply(self, *, actor, agency, item: PlannedRow, today: datetime.date) -> None:
        """Create the person with a membership, or update the differing fields from `today`."""
        values = item.values
        unit = Unit.objects.get(agency=agency, code=values["unit_code"])
        if item.action == CREATE:
            create_person(
                actor=actor,
                agency=agency,
                unit=unit,
                start=values["recruited_on"] or today,
                full_name=values["full_name"],
                staff_code=item.code,
                gender=values["gender"],
                birth_date=values["birth_date"],
                employment_type=values["employment_type"],
                position=values["position"] or "",
                recruited_on=values["recruited_on"],
            )
            return
        if item.action != UPDATE:
            return
        person = Person.objects.get(agency=agency, staff_code=item.code)
        fields: dict[str, object] = {
            "gender": values["gender"],
            "employment_type": values["employment_type"],
        }
        for key in ("birth_date", "recruited_on", "position"):
            if values[key] not in (None, ""):
                fields[key] = values[key]
        update_person(
            actor=actor,
            person=person,
            unit=unit,
            date=today,
            full_name=values["full_name"],
            **fields,
        )
