"""The browser fixtures of thidua/tests_browser, for this app's browser test."""

from thidua.tests_browser.conftest import browser, new_page, page  # noqa: F401
