import datetime
import unicodedata

import pytest
from django.utils import timezone

from thidua.audit.models import AuditAction, AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.core.legacy_encoding import encode_legacy
from thidua.imports.services import run_import
from thidua.imports.specs import staff
from thidua.imports.tests.files import STAFF_HEADERS, counts, write_csv, write_xlsx
from thidua.org.models import EmploymentType, Gender, Membership, Person
from thidua.org.services import create_person
from thidua.testing import PersonFactory

HA = ["CB01", "Nguyễn Thị Thu Hà", "17/05/1985", "Nữ", "VP", "Phó Chánh Văn phòng", "Công chức", "01/03/2010"]  # fmt: skip
THANG = ["CB02", "Trần Đức Thắng", "02/09/1979", "Nam", "QLDD", "Chuyên viên", "viên chức", ""]
ANH = ["CB03", "Lê Văn Ánh", "", "NAM", "VP", "", "NGUOI_LAO_DONG", "15-01-2020"]


def _import(officer, agency, path, **kwargs):
    return run_import(
        actor=officer,
        agency=agency,
        kind="staff",
        filename=path.name,
        data=path.read_bytes(),
        **kwargs,
    )


def _only_problem(result):
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


@pytest.mark.django_db
def test_staff_import_creates_people_with_memberships(
    tmp_path, agency, officer, office, land_division
):
    path = write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA, THANG, ANH])

    result = _import(officer, agency, path)

    assert result.problems == []
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    ha = Person.objects.get(agency=agency, staff_code="CB01")
    assert ha.full_name == "Nguyễn Thị Thu Hà"
    assert (ha.family_name, ha.middle_name, ha.given_name) == ("Nguyễn", "Thị Thu", "Hà")
    assert ha.gender == Gender.FEMALE
    assert ha.birth_date == datetime.date(1985, 5, 17)
    assert ha.employment_type == EmploymentType.CIVIL_SERVANT
    assert ha.unit == office
    assert ha.position == "Phó Chánh Văn phòng"
    membership = Membership.objects.get(person=ha)
    assert (membership.unit, membership.start, membership.end) == (
        office,
        datetime.date(2010, 3, 1),
        None,
    )
    thang = Person.objects.get(staff_code="CB02")
    assert thang.employment_type == EmploymentType.PUBLIC_EMPLOYEE
    assert thang.recruited_on is None
    assert Membership.objects.get(person=thang).start == timezone.localdate()
    anh = Person.objects.get(staff_code="CB03")
    assert anh.employment_type == EmploymentType.CONTRACT
    assert anh.recruited_on == datetime.date(2020, 1, 15)
    assert [p["action"] for p in result.preview] == ["create", "create", "create"]
    imports = AuditEntry.objects.filter(action=AuditAction.IMPORT)
    assert imports.count() == 1
    assert imports.get().changes == {
        "kind": "staff",
        "filename": "canbo.xlsx",
        "created": 3,
        "updated": 0,
        "unchanged": 0,
    }


@pytest.mark.django_db
def test_staff_import_again_is_a_no_op(tmp_path, agency, officer, office, land_division):
    path = write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA, THANG, ANH])
    _import(officer, agency, path)
    before = counts()

    result = _import(officer, agency, path)

    assert result.problems == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert counts() == before
    assert [p["action"] for p in result.preview] == ["unchanged"] * 3


@pytest.mark.django_db
def test_staff_import_updates_only_what_differs(tmp_path, agency, officer, office, land_division):
    person = PersonFactory(
        agency=agency,
        unit=office,
        staff_code="CB01",
        family_name="Nguyễn",
        middle_name="Thị Thu",
        given_name="Hà",
        gender=Gender.FEMALE,
        birth_date=datetime.date(1985, 5, 17),
        position="Chuyên viên",
        recruited_on=datetime.date(2010, 3, 1),
    )
    moved = ["CB01", "Nguyễn Thị Thu Hà", "", "Nữ", "QLDD", "Phó Trưởng phòng", "Công chức", ""]
    path = write_csv(tmp_path / "canbo.csv", [STAFF_HEADERS, moved])

    result = _import(officer, agency, path)

    assert result.problems == []
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert result.preview[0]["changes"] == {
        "Mã đơn vị": ["VP", "QLDD"],
        "Chức vụ": ["Chuyên viên", "Phó Trưởng phòng"],
    }
    person.refresh_from_db()
    assert person.unit == land_division
    assert person.position == "Phó Trưởng phòng"
    # An empty optional cell keeps the stored value.
    assert person.birth_date == datetime.date(1985, 5, 17)
    periods = list(Membership.objects.filter(person=person).order_by("start"))
    assert [(m.unit, m.end is None) for m in periods] == [(office, False), (land_division, True)]


@pytest.mark.django_db
def test_staff_import_wrong_header_is_refused(tmp_path, agency, officer, office):
    headers = [*STAFF_HEADERS]
    headers[1] = "Họ tên"
    path = write_xlsx(tmp_path / "canbo.xlsx", [headers, HA])
    before = counts()

    result = _import(officer, agency, path)

    problem = _only_problem(result)
    assert (problem.row, problem.column, problem.code) == (1, "Họ và tên", "missing_header")
    assert "Họ tên" in result.ignored_columns
    assert counts() == before


@pytest.mark.django_db
def test_staff_import_unknown_unit_is_refused(tmp_path, agency, officer, office):
    path = write_xlsx(
        tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA, [*THANG[:4], "KHONGCO", *THANG[5:]]]
    )
    before = counts()

    result = _import(officer, agency, path)

    problem = _only_problem(result)
    assert (problem.row, problem.column, problem.code) == (3, "Mã đơn vị", "unknown_unit")
    assert "KHONGCO" in problem.message
    assert counts() == before


@pytest.mark.django_db
def test_staff_import_duplicate_code_in_file_is_refused(tmp_path, agency, officer, office):
    twice = ["cb01", *ANH[1:]]  # the same code, typed in lower case
    path = write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA, ANH, twice])
    before = counts()

    result = _import(officer, agency, path)

    problem = _only_problem(result)
    assert (problem.row, problem.column, problem.code) == (4, "Mã cán bộ", "duplicate_code")
    assert "2" in problem.message  # names the first row
    assert counts() == before


@pytest.mark.django_db
def test_staff_import_impossible_date_is_refused(tmp_path, agency, officer, office):
    path = write_csv(tmp_path / "canbo.csv", [STAFF_HEADERS, [*HA[:2], "31/02/1990", *HA[3:]]])
    before = counts()

    result = _import(officer, agency, path)

    problem = _only_problem(result)
    assert (problem.row, problem.column, problem.code) == (2, "Ngày sinh", "invalid_date")
    assert counts() == before


@pytest.mark.django_db
def test_staff_import_empty_name_is_refused(tmp_path, agency, officer, office):
    path = write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, ANH, [HA[0], "", *HA[2:]]])
    before = counts()

    result = _import(officer, agency, path)

    problem = _only_problem(result)
    assert (problem.row, problem.column, problem.code) == (3, "Họ và tên", "required")
    assert counts() == before


@pytest.mark.django_db
def test_staff_import_reports_every_problem_in_row_order(tmp_path, agency, officer, office):
    rows = [
        STAFF_HEADERS,
        [*HA[:3], "Không rõ", *HA[4:]],
        ANH,
        ["CB04", "", "32/13/2000", "Nam", "XX", "", "công chức", ""],
        ["CB03", *ANH[1:]],
    ]
    path = write_xlsx(tmp_path / "canbo.xlsx", rows)

    result = _import(officer, agency, path)

    assert [(p.row, p.column, p.code) for p in result.problems] == [
        (2, "Giới tính", "invalid_choice"),
        (4, "Họ và tên", "required"),
        (4, "Ngày sinh", "invalid_date"),
        (4, "Mã đơn vị", "unknown_unit"),
        (5, "Mã cán bộ", "duplicate_code"),
    ]
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_staff_import_matches_headers_ignoring_case_marks_and_spaces(
    tmp_path, agency, officer, office
):
    headers = ["ma can bo", "HỌ VÀ TÊN", "NgàySinh", " giới   tính ", "MA DON VI", "chuc vu", "Loại Cán Bộ", "ngay tuyen dung", "Ghi chú"]  # fmt: skip
    path = write_xlsx(tmp_path / "canbo.xlsx", [headers, [*HA, "bỏ qua"]])

    result = _import(officer, agency, path)

    assert result.problems == []
    assert result.ignored_columns == ["Ghi chú"]
    assert Person.objects.get(staff_code="CB01").full_name == "Nguyễn Thị Thu Hà"


@pytest.mark.django_db
def test_staff_import_reads_real_excel_dates(tmp_path, agency, officer, office):
    row = [*HA]
    row[2], row[7] = datetime.datetime(1985, 5, 17), datetime.date(2010, 3, 1)
    path = write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, row])

    result = _import(officer, agency, path)

    assert result.problems == []
    person = Person.objects.get(staff_code="CB01")
    assert (person.birth_date, person.recruited_on) == (
        datetime.date(1985, 5, 17),
        datetime.date(2010, 3, 1),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
def test_staff_import_legacy_csv_is_converted(tmp_path, agency, officer, office, encoding):
    rows = [[encode_legacy(cell, encoding) for cell in row] for row in [STAFF_HEADERS, HA, ANH]]
    path = write_csv(tmp_path / "canbo.csv", rows, encoding="cp1252")

    result = _import(officer, agency, path)

    assert result.problems == []
    ha = Person.objects.get(staff_code="CB01")
    assert ha.full_name == "Nguyễn Thị Thu Hà"
    assert unicodedata.is_normalized("NFC", ha.full_name)
    assert ha.position == "Phó Chánh Văn phòng"
    assert ha.gender == Gender.FEMALE
    assert Person.objects.get(staff_code="CB03").full_name == "Lê Văn Ánh"


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
def test_staff_import_legacy_xlsx_cells_are_converted(tmp_path, agency, officer, office, encoding):
    rows = [STAFF_HEADERS, [HA[0], encode_legacy(HA[1], encoding), *HA[2:5], encode_legacy(HA[5], encoding), *HA[6:]]]  # fmt: skip
    path = write_xlsx(tmp_path / "canbo.xlsx", rows)

    result = _import(officer, agency, path)

    assert result.problems == []
    ha = Person.objects.get(staff_code="CB01")
    assert (ha.full_name, ha.position) == ("Nguyễn Thị Thu Hà", "Phó Chánh Văn phòng")
    assert unicodedata.is_normalized("NFC", ha.full_name)


@pytest.mark.django_db
@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ";"), ("cp1258", "\t")])
def test_staff_import_csv_encodings_and_delimiters(
    tmp_path, agency, officer, office, encoding, delimiter
):
    path = write_csv(
        tmp_path / "canbo.csv", [STAFF_HEADERS, HA], encoding=encoding, delimiter=delimiter
    )

    result = _import(officer, agency, path)

    assert result.problems == []
    ha = Person.objects.get(staff_code="CB01")
    assert (ha.full_name, ha.position) == ("Nguyễn Thị Thu Hà", "Phó Chánh Văn phòng")
    assert unicodedata.is_normalized("NFC", ha.full_name)


@pytest.mark.django_db
def test_staff_import_dry_run_writes_nothing(tmp_path, agency, officer, office):
    path = write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA, ANH])
    before = counts()

    result = _import(officer, agency, path, dry_run=True)

    assert result.dry_run and result.ok and not result.applied
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert [(p["row"], p["action"], p["code"], p["name"]) for p in result.preview] == [
        (2, "create", "CB01", "Nguyễn Thị Thu Hà"),
        (3, "create", "CB03", "Lê Văn Ánh"),
    ]
    assert counts() == before


@pytest.mark.django_db
def test_staff_import_recruitment_after_leaving_is_refused(tmp_path, agency, officer, office):
    PersonFactory(agency=agency, unit=office, staff_code="CB03", left_on=datetime.date(2012, 1, 1))
    late = ["CB03", "Lê Văn Ánh", "", "Nam", "VP", "", "Công chức", "01/03/2013"]
    path = write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA, late])
    before = counts()

    result = _import(officer, agency, path)

    problem = _only_problem(result)
    assert (problem.row, problem.column, problem.code) == (3, "Ngày tuyển dụng", "date_order")
    assert counts() == before


@pytest.mark.django_db
def test_staff_import_refusal_by_a_service_rolls_back_everything(
    tmp_path, agency, officer, office, monkeypatch
):
    # A rule only the org services know (simulated): the row they refuse becomes the problem,
    # and the rows already written before it are rolled back.
    def refuse_cb03(**kwargs):
        if kwargs["staff_code"] == "CB03":
            raise BusinessRuleError("refused by the org service", field="unit")
        return create_person(**kwargs)

    monkeypatch.setattr(staff, "create_person", refuse_cb03)
    path = write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA, ANH])
    before = counts()

    result = _import(officer, agency, path)

    problem = _only_problem(result)
    assert (problem.row, problem.column, problem.code) == (3, "Mã đơn vị", "rejected")
    assert problem.message == "refused by the org service"
    assert not result.applied
    assert counts() == before
