"""KIND "units": the unit tree of an agency (Mã đơn vị · Tên đơn vị · Mã đơn vị cấp trên · Loại).

A parent may be a unit already in the database or any row of the same file, above or below:
rows are applied parents first. A unit whose code exists is renamed, re-kinded or moved from
today through `change_unit`, so the unit's history keeps its earlier states.
"""

import datetime

from django.utils.translation import gettext as _

from thidua.imports.parsing import CHOICE, CODE, TEXT, Choice, Column, Row
from thidua.imports.results import CREATE, UPDATE, Problem
from thidua.imports.specs.base import (
    ImportSpec,
    Plan,
    PlannedRow,
    action_for,
    duplicate_problem,
    show,
)
from thidua.org.models import Unit, UnitKind
from thidua.org.services import change_unit, create_unit

UNIT_KINDS = Choice(
    {
        UnitKind.DIVISION: ("Phòng",),
        UnitKind.SUB_DEPARTMENT: ("Chi cục",),
        UnitKind.CENTRE: ("Trung tâm",),
        UnitKind.OFFICE: ("Văn phòng",),
        UnitKind.BRANCH: ("Chi nhánh",),
        UnitKind.OTHER: ("Khác",),
        UnitKind.BOARD: ("Ban Giám đốc", "Ban"),
    }
)


class UnitsSpec(ImportSpec):
    kind = "units"
    sheet_title = "Đơn vị"
    title = "Danh sách đơn vị trực thuộc"
    notes = (
        "Mỗi dòng là một đơn vị. Đơn vị đã có (cùng mã) được cập nhật tên, loại, đơn vị cấp trên "
        "từ ngày nhập; đơn vị chưa có được tạo mới.",
        "Đơn vị cấp trên có thể là đơn vị đã có trong hệ thống hoặc một dòng khác của tệp "
        "(ở trên hay ở dưới đều được).",
    )
    columns = (
        Column(
            "code",
            "Mã đơn vị",
            CODE,
            required=True,
            max_length=32,
            help="Mã viết tắt, không trùng trong cơ quan, ví dụ VP, KHTC, VPDK.",
            example="VP",
        ),
        Column(
            "name",
            "Tên đơn vị",
            TEXT,
            required=True,
            max_length=255,
            help="Tên đầy đủ của đơn vị.",
            example="Văn phòng Sở",
        ),
        Column(
            "parent_code",
            "Mã đơn vị cấp trên",
            CODE,
            max_length=32,
            help="Để trống nếu đơn vị trực thuộc Sở; ghi mã đơn vị cấp trên với chi nhánh.",
            example="",
        ),
        Column(
            "unit_kind",
            "Loại đơn vị",
            CHOICE,
            required=True,
            choice=UNIT_KINDS,
            help="Phòng, Chi cục, Trung tâm, Văn phòng, Chi nhánh, Khác hoặc Ban Giám đốc.",
            example="Văn phòng",
        ),
    )
    field_columns = {"code": "code", "name": "name", "parent": "parent_code", "kind": "unit_kind"}

    def plan(self, *, agency, rows: list[Row], today: datetime.date) -> Plan:
        plan = Plan()
        existing = {u.code: u for u in Unit.objects.filter(agency=agency).select_related("parent")}
        in_file: dict[str, Row] = {}
        for row in rows:
            code = row.values["code"]
            if not code:
                continue
            if code in in_file:
                plan.problems.append(
                    duplicate_problem(
                        row=row.number,
                        column=self.column("code"),
                        code=code,
                        first_row=in_file[code].number,
                    )
                )
            else:
                in_file[code] = row
        # The tree as it will be: the database's parents, overridden by the file's.
        parent_of = {code: u.parent.code if u.parent_id else "" for code, u in existing.items()}
        parent_column = self.column("parent_code")
        for code, row in in_file.items():
            parent = row.values["parent_code"] or ""
            parent_of[code] = parent
            if not parent:
                continue
            if parent not in existing and parent not in in_file:
                plan.problems.append(
                    Problem(
                        row.number,
                        parent_column.label,
                        _("there is no unit with code %(code)s in this agency or in this file")
                        % {"code": parent},
                        "unknown_parent",
                    )
                )
                parent_of[code] = ""
            elif parent in existing and not existing[parent].is_active:
                plan.problems.append(
                    Problem(
                        row.number,
                        parent_column.label,
                        _("the unit %(code)s has been dissolved") % {"code": parent},
                        "inactive_unit",
                    )
                )
        plan.problems += self._cycles(in_file, parent_of)
        depth = _depths(in_file, parent_of)
        for code, row in sorted(in_file.items(), key=lambda i: (depth[i[0]], i[1].number)):
            item = self._plan_row(code, row, existing.get(code))
            if item.action == UPDATE and not existing[code].is_active:
                plan.problems.append(
                    Problem(
                        row.number,
                        self.column("code").label,
                        _("the unit %(code)s has been dissolved and can no longer change")
                        % {"code": code},
                        "inactive_unit",
                    )
                )
            plan.rows.append(item)
        return plan

    def _plan_row(self, code: str, row: Row, unit: Unit | None) -> PlannedRow:
        values = row.values
        changes: dict[str, list[str]] = {}
        if unit is not None:
            pairs = (
                ("name", unit.name, values["name"]),
                (
                    "unit_kind",
                    UNIT_KINDS.display(unit.kind),
                    UNIT_KINDS.display(values["unit_kind"]),
                ),
                ("parent_code", unit.parent.code if unit.parent_id else "", values["parent_code"]),
            )
            for key, before, after in pairs:
                if after is not None and before != after:
                    changes[self.column(key).label] = [show(before), show(after)]
        return PlannedRow(
            row=row.number,
            action=action_for(changes, exists=unit is not None),
            code=code,
            values=values,
            summary={
                "name": show(values["name"]),
                "kind": UNIT_KINDS.display(values["unit_kind"] or ""),
                "parent": show(values["parent_code"]),
            },
            changes=changes,
        )

    def _cycles(self, in_file: dict[str, Row], parent_of: dict[str, str]) -> list[Problem]:
        """One problem per loop of parents, on the loop's first row in the file."""
        problems, seen = [], set()
        for code in in_file:
            chain, current = [], code
            while current and current not in seen and current not in chain:
                chain.append(current)
                current = parent_of.get(current, "")
            if current in chain:
                loop = chain[chain.index(current) :]
                first = min((c for c in loop if c in in_file), key=lambda c: in_file[c].number)
                problems.append(
                    Problem(
                        in_file[first].number,
                        self.column("parent_code").label,
                        _("the parent units form a loop: %(chain)s")
                        % {"chain": " → ".join([*loop, loop[0]])},
                        "parent_cycle",
                    )
                )
            seen.update(chain)
        return problems

    def apply(self, *, actor, agency, item: PlannedRow, today: datetime.date) -> None:
        """Create the unit or change it from `today`; the parent is looked up fresh by code."""
        values = item.values
        parent_code = values["parent_code"]
        parent = Unit.objects.get(agency=agency, code=parent_code) if parent_code else None
        if item.action == CREATE:
            create_unit(
                actor=actor,
                agency=agency,
                code=item.code,
                name=values["name"],
                kind=values["unit_kind"],
                parent=parent,
            )
        elif item.action == UPDATE:
            unit = Unit.objects.get(agency=agency, code=item.code)
            change_unit(
                actor=actor,
                unit=unit,
                date=today,
                name=values["name"],
                kind=values["unit_kind"],
                parent=parent,
            )


def _depths(in_file: dict[str, Row], parent_of: dict[str, str]) -> dict[str, int]:
    """How many of a row's ancestors are rows of the file: the order to apply them in."""
    depths = {}
    for code in in_file:
        depth, current, visited = 0, parent_of.get(code, ""), {code}
        while current and current not in visited:
            visited.add(current)
            depth += current in in_file
            current = parent_of.get(current, "")
        depths[code] = depth
    return depths
