import io

import pytest
from openpyxl import load_workbook

from thidua.audit.models import AuditAction, AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.imports.models import ImportStatus
from thidua.imports.results import ImportResult
from thidua.imports.services import confirm_batch, run_import, stage_upload
from thidua.imports.template_files import GUIDE_SHEET, build_template
from thidua.imports.tests.files import STAFF_HEADERS, UNIT_HEADERS, counts, write_xlsx
from thidua.org.models import Person, Unit

HA = ["CB01", "Nguyễn Thị Thu Hà", "17/05/1985", "Nữ", "VP", "Chuyên viên", "Công chức", ""]


def _stage(officer, agency, path):
    return stage_upload(
        actor=officer, agency=agency, kind="staff", filename=path.name, data=path.read_bytes()
    )


@pytest.mark.django_db
def test_stage_upload_keeps_the_file_and_its_preview_without_importing(
    tmp_path, agency, officer, office
):
    path = write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA])
    before = counts()

    batch = _stage(officer, agency, path)

    assert batch.status == ImportStatus.PREVIEWED
    assert bytes(batch.content) == path.read_bytes()
    assert batch.uploaded_by == officer
    preview = ImportResult.from_dict(batch.result)
    assert preview.dry_run and preview.created == 1
    assert preview.preview[0]["action"] == "create"
    assert counts() == before


@pytest.mark.django_db
def test_confirm_batch_imports_once(tmp_path, agency, officer, office):
    batch = _stage(officer, agency, write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA]))

    result = confirm_batch(actor=officer, batch=batch)

    assert result.applied and result.created == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert Person.objects.filter(agency=agency, staff_code="CB01").count() == 1
    assert AuditEntry.objects.get(action=AuditAction.IMPORT).actor == officer
    with pytest.raises(BusinessRuleError) as refused:
        confirm_batch(actor=officer, batch=batch)
    assert refused.value.code == "already_applied"


@pytest.mark.django_db
def test_stage_upload_with_problems_is_rejected_and_cannot_be_confirmed(tmp_path, agency, officer):
    batch = _stage(officer, agency, write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA]))

    assert batch.status == ImportStatus.REJECTED
    problems = ImportResult.from_dict(batch.result).problems
    assert [(p.row, p.column, p.code) for p in problems] == [(2, "Mã đơn vị", "unknown_unit")]
    with pytest.raises(BusinessRuleError):
        confirm_batch(actor=officer, batch=batch)


@pytest.mark.django_db
def test_confirm_batch_checks_again_against_current_data(tmp_path, agency, officer, office):
    batch = _stage(officer, agency, write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA]))
    office.dissolved_on = office.established_on
    office.save()

    result = confirm_batch(actor=officer, batch=batch)

    assert [p.code for p in result.problems] == ["inactive_unit"]
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REJECTED
    assert Person.objects.count() == 0


@pytest.mark.parametrize(("kind", "headers"), [("units", UNIT_HEADERS), ("staff", STAFF_HEADERS)])
def test_build_template_has_headers_example_and_guide(kind, headers):
    workbook = load_workbook(io.BytesIO(build_template(kind)))

    data, guide = workbook.worksheets
    assert [c.value for c in data[1]] == headers
    assert all(c.font.bold for c in data[1])
    assert data["A2"].value
    assert data.column_dimensions["B"].width > 12
    assert guide.title == GUIDE_SHEET
    guide_text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert all(header in guide_text for header in headers)


@pytest.mark.django_db
def test_build_template_example_rows_import_cleanly(agency, officer):
    units = run_import(
        actor=officer,
        agency=agency,
        kind="units",
        filename="donvi.xlsx",
        data=build_template("units"),
    )
    staff = run_import(
        actor=officer,
        agency=agency,
        kind="staff",
        filename="canbo.xlsx",
        data=build_template("staff"),
    )

    assert (units.problems, units.created) == ([], 1)
    assert (staff.problems, staff.created) == ([], 1)
    person = Person.objects.get(agency=agency)
    assert person.unit == Unit.objects.get(agency=agency)
