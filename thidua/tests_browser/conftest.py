"""Fixtures of the browser tests: one headless Chromium per session, one fresh context per page.

The tests drive Debian's Chromium (never a downloaded one) through Playwright's sync API against
pytest-django's live server. Data is built in the test with the shared factories and checked
through what a user sees: names, codes, positions, element ids, URLs and counts; never UI labels,
whose Vietnamese catalogue may not be compiled when the tests run.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in this thread; the ORM calls the tests
# make between two browser steps are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Every step is local: anything slower than this is a hang, better reported early.
TIMEOUT_MS = 10_000

# For the test modules' `pytestmark`: without Debian's Chromium there is nothing to drive.
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable]:
    """Open a page in a context of its own (own cookies: another person's browser)."""
    contexts = []

    def open_page(viewport: dict[str, int] = DESKTOP):
        context = browser.new_context(viewport=viewport, locale="vi-VN")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page(DESKTOP)


@pytest.fixture
def phone_page(new_page):
    return new_page(PHONE)


def login(page, live_server, username: str) -> None:
    """Log in through the real form, by keyboard: django-axes checks the real request."""
    from thidua.testing import PASSWORD

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert "/login/" not in page.url, f"{username} could not log in"


@pytest.fixture
def agency_staff(transactional_db) -> dict:
    """An agency with unit A (and its sub-unit A1) and unit B, their people and two logins.

    Rows are committed (transactional_db) so that the live server's thread sees them.
    """
    from thidua.accounts.models import Role
    from thidua.testing import AgencyFactory, PersonFactory, UnitFactory, make_user

    agency = AgencyFactory(code="STNMT_LS", name="Sở Tài nguyên và Môi trường tỉnh Lạng Sơn")
    unit_a = UnitFactory(agency=agency, code="QLDD", name="Phòng Quản lý đất đai")
    unit_a1 = UnitFactory(agency=agency, code="QLDD-DK", name="Tổ Đăng ký", parent=unit_a)
    unit_b = UnitFactory(agency=agency, code="VP", name="Văn phòng Sở")

    def person(unit, code, family, middle, given, position="Chuyên viên"):
        return PersonFactory(
            unit=unit,
            staff_code=code,
            family_name=family,
            middle_name=middle,
            given_name=given,
            position=position,
        )

    return {
        "agency": agency,
        "unit_a": unit_a,
        "unit_a1": unit_a1,
        "unit_b": unit_b,
        "a_acute": person(unit_a1, "CB001", "Nguyễn", "Văn", "Á"),
        "an": person(unit_a, "CB002", "Nguyễn", "Văn", "An"),
        "bich": person(unit_a, "CB003", "Trần", "Thị", "Bích"),
        # In unit B: outside the unit head's reach although the name matches the search.
        "anh_in_b": person(unit_b, "CB004", "Nguyễn", "Văn", "Ánh", "Chánh Văn phòng"),
        "unit_head": make_user(
            agency=agency, role=Role.UNIT_HEAD, unit=unit_a, username="truongphong_qldd"
        ),
        "officer": make_user(agency=agency, role=Role.OFFICER, username="canbo_tdkt"),
    }
