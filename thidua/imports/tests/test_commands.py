import io
import sys

import pytest
from django.core.management import call_command

from thidua import cli
from thidua.audit.models import AuditAction, AuditEntry
from thidua.imports.tests.files import STAFF_HEADERS, counts, write_csv, write_xlsx
from thidua.org.models import Agency, Person

HA = ["CB01", "Nguyễn Thị Thu Hà", "17/05/1985", "Nữ", "VP", "Chuyên viên", "Công chức", ""]


def _run(*args, **options):
    """Run a command as the console does; returns (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err, **options)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_command_imports_and_exits_zero(tmp_path, agency, office):
    path = write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA])

    status, out, _err = _run("import", "staff", str(path), agency="stnmt_ls")

    assert status == 0
    assert "1" in out
    assert Person.objects.get(agency=agency, staff_code="CB01").full_name == HA[1]
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT, actor=None).count() == 1


@pytest.mark.django_db
def test_import_command_dry_run_writes_nothing(tmp_path, agency, office):
    path = write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA])
    before = counts()

    status, _out, _err = _run("import", "staff", str(path), agency=agency.code, dry_run=True)

    assert status == 0
    assert counts() == before


@pytest.mark.django_db
def test_import_command_rejected_file_exits_one_listing_every_problem(tmp_path, agency, office):
    rows = [STAFF_HEADERS, [*HA[:2], "31/02/1990", *HA[3:]], ["CB02", "", "", "Nam", "XX", "", "Công chức", ""]]  # fmt: skip
    path = write_csv(tmp_path / "canbo.csv", rows)
    before = counts()

    status, out, _err = _run("import", "staff", str(path), agency=agency.code)

    assert status == 1
    lines = out.splitlines()
    assert len(lines) == 3
    assert "2" in lines[0] and "Ngày sinh" in lines[0]
    assert "3" in lines[1] and "Họ và tên" in lines[1]
    assert "3" in lines[2] and "Mã đơn vị" in lines[2]
    assert counts() == before


@pytest.mark.django_db
def test_import_command_empty_file_exits_one(tmp_path, agency):
    path = tmp_path / "canbo.csv"
    path.write_bytes(b"")

    status, out, _err = _run("import", "staff", str(path), agency=agency.code)

    assert status == 1
    assert out.strip()


@pytest.mark.django_db
def test_import_command_records_the_user_given(tmp_path, agency, office, officer):
    path = write_xlsx(tmp_path / "canbo.xlsx", [STAFF_HEADERS, HA])

    status, _out, _err = _run(
        "import", "staff", str(path), agency=agency.code, user=officer.username
    )

    assert status == 0
    assert AuditEntry.objects.get(action=AuditAction.IMPORT).actor == officer


@pytest.mark.django_db
def test_create_agency_command_is_idempotent():
    status, _out, _err = _run(
        "create_agency",
        "stnmt_ls",
        name="Sở Tài nguyên và Môi trường tỉnh Lạng Sơn",
        place="Lạng Sơn",
        symbol="STNMT",
    )
    assert status == 0
    agency = Agency.objects.get(code="STNMT_LS")
    assert (agency.name, agency.place, agency.symbol) == (
        "Sở Tài nguyên và Môi trường tỉnh Lạng Sơn",
        "Lạng Sơn",
        "STNMT",
    )
    audit = AuditEntry.objects.count()

    status, _out, _err = _run("create_agency", "STNMT_LS", name="Tên khác", place="Khác")

    assert status == 0
    assert Agency.objects.count() == 1
    agency.refresh_from_db()
    assert agency.name == "Sở Tài nguyên và Môi trường tỉnh Lạng Sơn"
    assert AuditEntry.objects.count() == audit


@pytest.mark.django_db
def test_cli_accepts_hyphenated_command_names(monkeypatch):
    """`thidua create-agency` runs Django's create_agency command.

    Django closes every connection after a command run from the command line, which would end
    the test's transaction on PostgreSQL; so this checks the argv handed over, and the command
    itself is run through call_command in the tests above.
    """
    seen = []
    monkeypatch.setattr(sys, "argv", ["thidua", "create-agency", "X", "--name", "a-b"])
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.append(argv)
    )

    cli.main()

    assert seen == [["thidua", "create_agency", "X", "--name", "a-b"]]
