"""People outside a user's scope answer 404 in the browser, with nothing of them shown."""

import pytest

from thidua.accounts.models import Role
from thidua.testing import AgencyFactory, UnitFactory, make_user
from thidua.tests_browser.conftest import login, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


def test_staff_member_opening_another_persons_page_gets_404(page, live_server, agency_staff):
    me, other = agency_staff["bich"], agency_staff["an"]
    make_user(agency=agency_staff["agency"], role=Role.STAFF, person=me, username="bich")
    login(page, live_server, "bich")

    response = page.goto(f"{live_server.url}/people/{me.pk}/")
    assert response.status == 200
    assert page.inner_text("h1") == "Trần Thị Bích"
    assert page.inner_text("#position") == "Chuyên viên"

    response = page.goto(f"{live_server.url}/people/{other.pk}/")
    assert response.status == 404
    assert "Nguyễn Văn An" not in page.content()
    assert "CB002" not in page.content()


def test_outsider_of_other_agency_gets_404(page, live_server, agency_staff):
    other_agency = AgencyFactory(
        code="STNMT_BP", name="Sở Tài nguyên và Môi trường tỉnh Bình Phước"
    )
    UnitFactory(agency=other_agency, code="VP", name="Văn phòng Sở")
    make_user(agency=other_agency, role=Role.OFFICER, username="canbo_binhphuoc")
    login(page, live_server, "canbo_binhphuoc")
    person = agency_staff["a_acute"]

    response = page.goto(f"{live_server.url}/people/{person.pk}/")
    assert response.status == 404
    assert "Nguyễn Văn Á" not in page.content()
    response = page.goto(f"{live_server.url}/people/{person.pk}/edit/")
    assert response.status == 404
    # Their own people list does not leak the other agency's people either.
    page.goto(f"{live_server.url}/people/?q=nguyen")
    assert page.locator("#results tbody td a").count() == 0
