import pytest

from thidua.audit.models import AuditAction, AuditEntry
from thidua.imports.services import run_import
from thidua.imports.tests.files import UNIT_HEADERS, counts, write_csv, write_xlsx
from thidua.org.models import Unit, UnitKind, UnitState
from thidua.testing import UnitFactory

LAND_OFFICE = ["VPDK", "Văn phòng Đăng ký đất đai", "", "Văn phòng"]
BRANCH_LS = ["CN_LS", "Chi nhánh Văn phòng Đăng ký đất đai thành phố Lạng Sơn", "VPDK", "Chi nhánh"]
BRANCH_TD = ["CN_TD", "Chi nhánh Văn phòng Đăng ký đất đai huyện Tràng Định", "vpdk", "CHI NHANH"]


def _import(officer, agency, path, **kwargs):
    return run_import(
        actor=officer,
        agency=agency,
        kind="units",
        filename=path.name,
        data=path.read_bytes(),
        **kwargs,
    )


@pytest.mark.django_db
def test_units_import_accepts_a_parent_later_in_the_file(tmp_path, agency, officer):
    rows = [
        UNIT_HEADERS,
        BRANCH_LS,
        ["BGD", "Ban Giám đốc", "", "BAN"],
        LAND_OFFICE,
        BRANCH_TD,
        ["CCBVMT", "Chi cục Bảo vệ môi trường", "", "chi cuc"],
    ]
    path = write_xlsx(tmp_path / "donvi.xlsx", rows)

    result = _import(officer, agency, path)

    assert result.problems == []
    assert result.created == 5
    branch = Unit.objects.get(agency=agency, code="CN_LS")
    assert branch.parent.code == "VPDK"
    assert branch.kind == UnitKind.BRANCH
    assert branch.path == f"{branch.parent.path}{branch.pk}/"
    assert Unit.objects.get(code="CN_TD").parent.code == "VPDK"
    assert Unit.objects.get(code="BGD").kind == UnitKind.BOARD
    assert Unit.objects.get(code="CCBVMT").kind == UnitKind.SUB_DEPARTMENT
    assert [p["row"] for p in result.preview] == [2, 3, 4, 5, 6]


@pytest.mark.django_db
def test_units_import_again_is_a_no_op(tmp_path, agency, officer):
    path = write_csv(tmp_path / "donvi.csv", [UNIT_HEADERS, BRANCH_LS, LAND_OFFICE, BRANCH_TD])
    _import(officer, agency, path)
    before = counts()

    result = _import(officer, agency, path)

    assert result.problems == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert counts() == before


@pytest.mark.django_db
def test_units_import_renames_and_moves_existing_units(tmp_path, agency, officer):
    land_office = UnitFactory(agency=agency, code="VPDK", name="Văn phòng Đăng ký đất đai")
    UnitFactory(agency=agency, code="CN_LS", name="Chi nhánh thành phố", kind=UnitKind.BRANCH)
    path = write_xlsx(tmp_path / "donvi.xlsx", [UNIT_HEADERS, BRANCH_LS, LAND_OFFICE])
    audit_before = AuditEntry.objects.count()

    result = _import(officer, agency, path)

    assert result.problems == []
    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    branch = Unit.objects.get(code="CN_LS")
    assert branch.name == BRANCH_LS[1]
    assert branch.parent == land_office
    # The earlier name stays in the unit's history.
    assert list(UnitState.objects.filter(unit=branch).values_list("name", flat=True)) == [
        "Chi nhánh thành phố",
        BRANCH_LS[1],
    ]
    land_office.refresh_from_db()
    assert land_office.kind == UnitKind.OFFICE
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 1
    assert AuditEntry.objects.count() > audit_before


@pytest.mark.django_db
def test_units_import_parent_loop_is_refused(tmp_path, agency, officer):
    rows = [UNIT_HEADERS, ["A", "Đơn vị A", "B", "Khác"], ["B", "Đơn vị B", "A", "Khác"]]
    path = write_xlsx(tmp_path / "donvi.xlsx", rows)
    before = counts()

    result = _import(officer, agency, path)

    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (2, "Mã đơn vị cấp trên", "parent_cycle")
    ]
    assert counts() == before


@pytest.mark.django_db
def test_units_import_loop_through_the_database_is_refused(tmp_path, agency, officer):
    parent = UnitFactory(agency=agency, code="VPDK")
    UnitFactory(agency=agency, code="CN_LS", parent=parent, kind=UnitKind.BRANCH)
    # VPDK under its own branch, which stays under VPDK in the database.
    path = write_xlsx(
        tmp_path / "donvi.xlsx", [UNIT_HEADERS, ["VPDK", "VPĐK", "CN_LS", "Văn phòng"]]
    )

    result = _import(officer, agency, path)

    assert [(p.row, p.code) for p in result.problems] == [(2, "parent_cycle")]


@pytest.mark.django_db
def test_units_import_unknown_parent_is_refused(tmp_path, agency, officer):
    path = write_xlsx(tmp_path / "donvi.xlsx", [UNIT_HEADERS, LAND_OFFICE, ["CN_X", "Chi nhánh X", "KHONGCO", "Chi nhánh"]])  # fmt: skip
    before = counts()

    result = _import(officer, agency, path)

    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (3, "Mã đơn vị cấp trên", "unknown_parent")
    ]
    assert counts() == before


@pytest.mark.django_db
def test_units_import_duplicate_code_and_bad_kind_are_refused(tmp_path, agency, officer):
    rows = [
        UNIT_HEADERS,
        LAND_OFFICE,
        ["VPDK", "Trùng mã", "", "Phòng"],
        ["X", "Đơn vị X", "", "Tổ"],
    ]
    path = write_xlsx(tmp_path / "donvi.xlsx", rows)

    result = _import(officer, agency, path)

    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (3, "Mã đơn vị", "duplicate_code"),
        (4, "Loại đơn vị", "invalid_choice"),
    ]
    assert Unit.objects.count() == 0
