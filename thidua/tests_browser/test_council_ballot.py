"""A member votes on their secret ballot with the keyboard only (headless Chromium).

Checked through data, ids and URLs, never through UI labels (the catalogue may not be compiled).
"""

import pytest

from thidua.council.models import Ballot
from thidua.council.tests.builders import voting_meeting
from thidua.tests_browser.conftest import login, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


def test_member_votes_by_keyboard_and_may_change_the_vote(
    transactional_db, world, live_server, page
):
    meeting = voting_meeting(world, nominations=2)
    first, second = meeting.items.all()
    login(page, live_server, "hoidong")
    page.goto(f"{live_server.url}/council/meetings/{meeting.pk}/ballot/")

    # Arrow keys move within a radio group (Agree → Disagree); Tab goes to the reason field,
    # then to the next nomination; Enter in a text field sends the form.
    page.focus(f"#id_c{first.pk}_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Abstain …
    page.keyboard.press("Tab")
    page.keyboard.type("Chưa đủ minh chứng")  # … with its reason
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith(f"/council/meetings/{meeting.pk}/ballot/")
    assert set(Ballot.objects.values_list("item", "choice", "reason")) == {
        (first.pk, "NO", ""),
        (second.pk, "ABSTAIN", "Chưa đủ minh chứng"),
    }
    # The page shows the member's own choices back, and they may change them until closing.
    assert page.is_checked(f"#id_c{first.pk}_1")
    page.check(f"#id_c{first.pk}_0")
    with page.expect_navigation():
        page.click("#ballot-form button[type=submit]")
    assert Ballot.objects.get(item=first).choice == "YES"
    assert Ballot.objects.count() == 2
