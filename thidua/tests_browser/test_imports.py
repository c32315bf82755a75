"""An officer importing a staff list from Excel: every mistake shown, then a clean import."""

import re
import unicodedata

import pytest
from openpyxl import Workbook

from thidua.accounts.models import Role
from thidua.imports.models import ImportBatch, ImportStatus
from thidua.org.models import Membership, Person
from thidua.testing import AgencyFactory, UnitFactory, make_user
from thidua.tests_browser.conftest import login, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]

HEADERS = [
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Mã đơn vị",
    "Chức vụ",
    "Loại cán bộ",
    "Ngày tuyển dụng",
]
# The correct rows, then one row per mistake: rows 3, 4, 5 and 6 of the file.
HA = ["CB01", "Nguyễn Thị Thu Hà", "17/05/1985", "Nữ", "VP", "Chuyên viên", "Công chức", "01/03/2010"]  # fmt: skip
THANG = ["CB02", "Trần Đức Thắng", "02/09/1979", "Nam", "QLDD", "Phó Trưởng phòng", "Viên chức", ""]  # fmt: skip
UNKNOWN_UNIT = ["CB02", "Trần Đức Thắng", "02/09/1979", "Nam", "KHONGCO", "", "Viên chức", ""]
IMPOSSIBLE_DATE = ["CB03", "Lê Văn Ánh", "31/02/1990", "Nam", "VP", "", "Công chức", ""]
NO_NAME = ["CB04", "", "", "Nữ", "QLDD", "", "Công chức", ""]
SAME_CODE_AS_HA = ["CB01", "Hoàng Văn Nam", "", "Nam", "QLDD", "", "Công chức", ""]


def _nfd(row):
    """The row with its text decomposed (NFD), as some keyboards and old files send it."""
    return [unicodedata.normalize("NFD", cell) for cell in row]


def _xlsx(path, rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def officer(transactional_db):
    agency = AgencyFactory(code="STNMT_LS", name="Sở Tài nguyên và Môi trường tỉnh Lạng Sơn")
    UnitFactory(agency=agency, code="VP", name="Văn phòng Sở")
    UnitFactory(agency=agency, code="QLDD", name="Phòng Quản lý đất đai")
    return make_user(agency=agency, role=Role.OFFICER, username="canbo_tdkt")


def _upload(page, live_server, path):
    page.goto(f"{live_server.url}/import/")
    page.select_option("#id_kind", "staff")
    page.set_input_files("#id_file", path)
    with page.expect_navigation(url=re.compile(r"/import/\d+/$")):
        # A <select> does not submit on Enter: go to the button, as a keyboard user does.
        page.locator("main form button[type=submit]").press("Enter")


def test_import_with_mistakes_shows_each_mistake_and_stores_nothing(
    page, live_server, officer, tmp_path
):
    path = _xlsx(
        tmp_path / "canbo-co-loi.xlsx",
        [HEADERS, HA, UNKNOWN_UNIT, IMPOSSIBLE_DATE, NO_NAME, SAME_CODE_AS_HA],
    )
    people_before = Person.objects.count()
    login(page, live_server, "canbo_tdkt")

    _upload(page, live_server, path)

    assert page.inner_text("h1") == "canbo-co-loi.xlsx"
    problems = page.locator("#problems li").all_inner_texts()
    assert len(problems) == 4, problems
    for text, row in zip(problems, (3, 4, 5, 6), strict=True):
        assert re.search(rf"\b{row}\b", text), (row, text)
    assert "KHONGCO" in problems[0]
    assert "31/02/1990" in problems[1]
    assert "Họ và tên" in problems[2]
    assert "CB01" in problems[3] and re.search(r"\b2\b", problems[3])
    assert page.locator("form[action$='/confirm/']").count() == 0
    page.screenshot(path=tmp_path / "import-problems.png", full_page=True)
    assert Person.objects.count() == people_before
    assert ImportBatch.objects.get().status == ImportStatus.REJECTED

    # The corrected file; the names are typed decomposed (NFD), as some keyboards send them.
    path = _xlsx(tmp_path / "canbo.xlsx", [HEADERS, _nfd(HA), _nfd(THANG)])
    assert _nfd(HA)[1] != HA[1]
    _upload(page, live_server, path)

    assert page.locator("#problems").count() == 0
    assert re.findall(r"\d+", page.inner_text("#summary")) == ["2", "0", "0"]
    preview = page.locator("#preview tbody tr")
    assert preview.count() == 2
    ha, thang = HA[1], THANG[1]
    assert "CB01" in preview.nth(0).inner_text() and ha in preview.nth(0).inner_text()
    assert "CB02" in preview.nth(1).inner_text() and thang in preview.nth(1).inner_text()
    assert Person.objects.count() == people_before

    with page.expect_navigation():
        page.locator("form[action$='/confirm/'] button[type=submit]").press("Enter")

    assert page.locator("form[action$='/confirm/']").count() == 0
    assert page.inner_text(".steps li[aria-current=step]").startswith("4.")
    assert ImportBatch.objects.latest("pk").status == ImportStatus.APPLIED
    people = {p.staff_code: p for p in Person.objects.all()}
    assert set(people) == {"CB01", "CB02"}
    assert people["CB01"].full_name == ha == unicodedata.normalize("NFC", ha)
    assert people["CB02"].full_name == thang == unicodedata.normalize("NFC", thang)
    assert people["CB02"].unit.code == "QLDD"
    assert people["CB02"].position == "Phó Trưởng phòng"
    assert Membership.objects.filter(person__in=people.values()).count() == 2

    page.goto(f"{live_server.url}/people/?q=thang")
    assert page.locator("#results tbody td a").all_inner_texts() == [thang]
