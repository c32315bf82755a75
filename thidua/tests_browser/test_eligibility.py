"""The officer reads why a person is not yet eligible, condition by condition."""

import pytest

from thidua.records.models import Award, Initiative, Rating
from thidua.tests_browser.conftest import login, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


def test_officer_reads_failing_condition_of_person_one_year_short_of_bang_khen(
    page, live_server, agency_staff
):
    """Bằng khen cấp tỉnh (điểm d khoản 1 Điều 74 Luật TĐKT 2022): CSTĐCS 2 years in a row,
    or HTXSNV 2 years in a row with 2 initiatives. Bích was CSTĐCS in 2023 but is only rated
    HTTNV in 2024 without an initiative: one year short."""
    agency, bich = agency_staff["agency"], agency_staff["bich"]
    for year, level in [(2022, "HTXSNV"), (2023, "HTXSNV"), (2024, "HTTNV")]:
        Rating.objects.create(agency=agency, person=bich, year=year, level=level)
    Award.objects.create(agency=agency, person=bich, year=2023, title="CSTDCS")
    Award.objects.create(agency=agency, person=bich, year=2023, title="LDTT")
    Initiative.objects.create(
        agency=agency, person=bich, year=2023, name="Số hoá hồ sơ", scope="CO_SO", kind="SANG_KIEN"
    )

    login(page, live_server, "canbo_tdkt")
    page.goto(f"{live_server.url}/eligibility/?year=2024&title=BK_TINH")
    row = page.locator("#results tbody tr", has_text="Trần Thị Bích")
    assert row.count() == 1
    assert "✗" in row.inner_text()
    with page.expect_navigation():
        row.get_by_role("link", name="Trần Thị Bích").click()

    assert page.inner_text("h1") == "Trần Thị Bích"
    bk = page.locator("#title-BK_TINH")
    assert bk.get_attribute("data-eligible") == "0"
    failing = bk.locator('li[data-code="cstdcs_2_years"]').inner_text()
    # The evidence: 2023 held, 2024 missing, with the article.
    assert "2023" in failing and "2024" in failing
    assert failing.index("✓") < failing.index("✗")
    assert "74" in failing
    # LĐTT 2024 holds (HTTNV), so the person is not refused everything.
    assert page.locator("#title-LDTT").get_attribute("data-eligible") == "1"
