"""KIND "initiatives": recognised initiatives and accepted research topics of staff.

A row is identified by the staff code, the year and the name of the initiative: one already
recorded is updated when its scope or kind differs, and left alone otherwise.
"""

import datetime

from thidua.core.errors import BusinessRuleError
from thidua.imports.parsing import CHOICE, CODE, TEXT, Choice, Column, Row
from thidua.imports.results import CREATE, UPDATE
from thidua.imports.specs.base import ImportSpec, Plan, PlannedRow, action_for
from thidua.imports.specs.record_helpers import (
    read_subject_rows,
    refusal,
    repeated_problem,
)
from thidua.org.models import Person
from thidua.records.enums import InitiativeKind, InitiativeScope
from thidua.records.models import Initiative
from thidua.records.services import add_initiative, check_initiative, update_initiative

SCOPES = Choice(
    {
        InitiativeScope.CO_SO: ("Cơ sở", "Cấp cơ sở"),
        InitiativeScope.BO_TINH: ("Cấp tỉnh", "Cấp bộ", "Bộ, tỉnh", "Cấp bộ, tỉnh"),
        InitiativeScope.TOAN_QUOC: ("Toàn quốc", "Cấp toàn quốc"),
    }
)
KINDS = Choice(
    {
        InitiativeKind.SANG_KIEN: ("Sáng kiến",),
        InitiativeKind.DE_TAI: ("Đề tài", "Đề tài khoa học"),
    }
)


class InitiativesSpec(ImportSpec):
    kind = "initiatives"
    sheet_title = "Sáng kiến"
    title = "Sáng kiến được công nhận và đề tài được nghiệm thu"
    notes = (
        "Mỗi dòng là một sáng kiến hoặc đề tài của một người trong một năm. Dòng trùng mã cán "
        "bộ, năm và tên với sáng kiến đã có thì được cập nhật phạm vi và loại.",
        "Phạm vi ảnh hưởng: Cơ sở, Cấp tỉnh (cấp bộ, ban, ngành, tỉnh) hoặc Toàn quốc.",
    )
    columns = (
        Column(
            "code",
            "Mã cán bộ",
            CODE,
            required=True,
            max_length=32,
            help="Mã của người có sáng kiến.",
            example="CB0001",
        ),
        Column(
            "year",
            "Năm",
            TEXT,
            required=True,
            help="Năm sáng kiến được công nhận hoặc đề tài được nghiệm thu, ví dụ 2024.",
            example="2024",
        ),
        Column(
            "name",
            "Tên sáng kiến",
            TEXT,
            required=True,
            max_length=500,
            help="Tên đầy đủ của sáng kiến hoặc đề tài.",
            example="Số hoá hồ sơ địa chính",
        ),
        Column(
            "scope",
            "Phạm vi",
            CHOICE,
            required=True,
            choice=SCOPES,
            help="Phạm vi ảnh hưởng.",
            example="Cơ sở",
        ),
        Column(
            "initiative_kind",
            "Loại",
            CHOICE,
            required=True,
            choice=KINDS,
            help="Sáng kiến hoặc Đề tài.",
            example="Sáng kiến",
        ),
    )
    field_columns = {
        "person": "code",
        "year": "year",
        "name": "name",
        "scope": "scope",
        "kind": "initiative_kind",
    }

    def plan(self, *, agency, rows: list[Row], today: datetime.date) -> Plan:
        plan, parsed, people = read_subject_rows(self, agency=agency, rows=rows, units=False)
        parsed = [item for item in parsed if item[0].values["name"]]
        existing = {
            (i.person_id, i.year, i.name): i
            for i in Initiative.objects.filter(
                person__in=[p for _r, p, *_rest in parsed],
                year__in={y for _r, _p, y, _c in parsed},
            )
        }
        first_row: dict[tuple, int] = {}
        for row, person, year, clean in parsed:
            key = (person.pk, year, row.values["name"])
            if key in first_row:
                plan.problems.append(repeated_problem(row, self.column("name"), first_row[key]))
                continue
            first_row[key] = row.number
            if not clean or not row.values["scope"] or not row.values["initiative_kind"]:
                continue
            current = existing.get(key)
            try:
                check_initiative(
                    person=person,
                    year=year,
                    name=row.values["name"],
                    scope=row.values["scope"],
                    kind=row.values["initiative_kind"],
                    exclude=current.pk if current else None,
                )
            except BusinessRuleError as exc:
                plan.problems.append(refusal(self, row, exc))
                continue
            plan.rows.append(self._plan_row(row, person, year, current))
        return plan

    def _plan_row(
        self, row: Row, person: Person, year: int, initiative: Initiative | None
    ) -> PlannedRow:
        values = row.values
        changes: dict[str, list[str]] = {}
        if initiative is not None:
            pairs = (
                ("scope", SCOPES.display(initiative.scope), SCOPES.display(values["scope"])),
                ("initiative_kind", KINDS.display(initiative.kind),
                 KINDS.display(values["initiative_kind"])),
            )  # fmt: skip
            for key, before, after in pairs:
                if before != after:
                    changes[self.column(key).label] = [before, after]
        return PlannedRow(
            row=row.number,
            action=action_for(changes, exists=initiative is not None),
            code=values["code"],
            values={
                "person_id": person.pk,
                "initiative_id": initiative.pk if initiative else None,
                "year": year,
                "name": values["name"],
                "scope": values["scope"],
                "kind": values["initiative_kind"],
            },
            summary={"name": f"{person} · {year}: {values['name']}"},
            changes=changes,
        )

    def apply(self, *, actor, agency, item: PlannedRow, today: datetime.date) -> None:
        values = item.values
        if item.action == CREATE:
            add_initiative(
                actor=actor,
                person=Person.objects.get(pk=values["person_id"]),
                year=values["year"],
                name=values["name"],
                scope=values["scope"],
                kind=values["kind"],
            )
        elif item.action == UPDATE:
            update_initiative(
                actor=actor,
                initiative=Initiative.objects.get(pk=values["initiative_id"]),
                scope=values["scope"],
                kind=values["kind"],
            )
