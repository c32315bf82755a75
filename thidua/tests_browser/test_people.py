"""A unit head and an officer working on the people of their agency, in a real browser."""

import re

import pytest

from thidua.org.models import Person
from thidua.org.services import update_person
from thidua.tests_browser.conftest import login, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


def _result_names(page) -> list[str]:
    return page.locator("#results tbody td a").all_inner_texts()


def _search_with_enter(page) -> None:
    """Press Enter in the search box and wait for the new page.

    Typing also starts htmx's live search after a pause; waiting for the document's "load"
    event (which htmx's swap and URL push never fire) makes sure the page read afterwards is
    the one the Enter key asked for.
    """
    with page.expect_event("load"):
        page.keyboard.press("Enter")


def test_unit_head_finds_person_unaccented_edits_position_and_audit_shows_it(
    page, new_page, live_server, agency_staff, tmp_path
):
    person = agency_staff["a_acute"]
    login(page, live_server, "truongphong_qldd")

    with page.expect_navigation():
        page.click("nav a[href='/people/']")
    page.fill("#id_q", "nguyen van a")
    _search_with_enter(page)
    assert re.search(r"/people/\?q=nguyen\+van\+a", page.url)

    names = _result_names(page)
    assert "Nguyễn Văn Á" in names
    assert "Nguyễn Văn An" in names
    # Bích does not match; Ánh matches but works in a unit this head does not lead.
    assert "Trần Thị Bích" not in names
    assert "Nguyễn Văn Ánh" not in names
    page.screenshot(path=tmp_path / "people.png", full_page=True)

    with page.expect_navigation():
        page.get_by_role("link", name="Nguyễn Văn Á", exact=True).click()
    assert page.url == f"{live_server.url}/people/{person.pk}/"
    assert page.inner_text("h1") == "Nguyễn Văn Á"
    assert page.inner_text("#position") == "Chuyên viên"

    with page.expect_navigation():
        page.click(f"a[href='/people/{person.pk}/edit/']")
    assert page.input_value("#id_position") == "Chuyên viên"
    page.fill("#id_position", "Phó Trưởng phòng")
    with page.expect_navigation(url=f"{live_server.url}/people/{person.pk}/"):
        page.press("#id_position", "Enter")

    assert page.inner_text("#position") == "Phó Trưởng phòng"
    changes = page.inner_text("#record-changes tbody")
    assert "Chuyên viên → Phó Trưởng phòng" in changes
    assert "truongphong_qldd" in changes
    person.refresh_from_db()
    assert person.position == "Phó Trưởng phòng"

    officer_page = new_page()
    login(officer_page, live_server, "canbo_tdkt")
    officer_page.goto(f"{live_server.url}/audit/")
    rows = officer_page.locator("#audit tbody tr").filter(has_text="Nguyễn Văn Á")
    assert rows.filter(has_text="Phó Trưởng phòng").count() == 1
    row = rows.filter(has_text="Phó Trưởng phòng").inner_text()
    assert "truongphong_qldd" in row
    assert "Chuyên viên → Phó Trưởng phòng" in row


def test_people_list_keyboard_only_and_phone_width(phone_page, live_server, agency_staff):
    page = phone_page
    login(page, live_server, "canbo_tdkt")
    page.goto(f"{live_server.url}/people/")
    assert len(_result_names(page)) == Person.objects.count() == 4

    # Start from the top of the page, as someone arriving with the keyboard does.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _press in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    else:
        pytest.fail("Tab never reached the search box #id_q")
    page.keyboard.type("tran bich")
    _search_with_enter(page)
    assert re.search(r"/people/\?q=tran\+bich", page.url)

    assert _result_names(page) == ["Trần Thị Bích"]
    row = page.inner_text("#results tbody tr")
    assert "CB003" in row
    assert "Phòng Quản lý đất đai" in row
    # Readable on a phone: nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    # Every cell of the result sits inside the screen.
    for box in (cell.bounding_box() for cell in page.locator("#results tbody td").all()):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1


def test_person_page_title_is_the_persons_name_after_a_change(page, live_server, agency_staff):
    person = agency_staff["an"]
    update_person(actor=agency_staff["officer"], person=person, position="Trưởng phòng")
    login(page, live_server, "canbo_tdkt")

    page.goto(f"{live_server.url}/people/{person.pk}/")

    assert page.locator("#record-changes").count() == 1
    assert page.title() == "Nguyễn Văn An — thidua"
