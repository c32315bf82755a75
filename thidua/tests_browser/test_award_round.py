"""A whole award round in headless Chromium, as its people do it (issue #4, acceptance point 1).

A unit head nominates three people for Chiến sĩ thi đua cơ sở, the officer returns one for
amendment, the head fixes it and resubmits, the officer sees what changed and checks all three;
a council of 7 meets with 5 present, the 2 absent vote in writing, one member abstains and one
may not vote on a nomination of their own unit; the ballot closes, the list is posted publicly,
the officer drafts the decision and the director issues it: "1/QĐ-STNMT". The three people's
records then show the title, and their eligibility for 2025 reads the 2024 CSTĐCS.

Arranged with factories and services (people, their 2024 ratings, logins, the council); the
round itself and everything after it is clicked. Checked through ids, names, codes, numbers,
URLs and the database, never through UI labels (the Vietnamese catalogue may not be compiled).

Choices that make the story exact:
- The three nominees work in the two branches of the land registration office (VPĐK): Hoa and
  Bình in Cao Lộc, Lan in Lộc Bình; the head of VPĐK nominates across its subtree. Council
  member Lý Văn Sơn directs the Lộc Bình branch: with `council_recuse_own_unit` on (the
  default) he may not vote on Lan's nomination and on nothing else, since sibling branches are
  no conflict (`council.selectors.recusals`). A nominee working in VPĐK itself would make him
  conflicted on every item, VPĐK lying above his branch.
- The abstention (Vũ Văn Hùng, on Bình) and the conflict (Sơn, on Lan) fall on different items,
  so every item reaches 6 of 7 (85.7 % ≥ 80 % of all members, Nghị định 98/2023 Điều 30.7):
  Hoa 7/7, Bình 6/7 with one abstention, Lan 6/7 with one member who may not vote. All pass.
- CSTĐCS is posted publicly for 5 days before the decision (default settings). The officer
  starts the posting in the browser dated 6 days back, so the window is over when the director
  signs today: no clock is moved under the live server's thread.
"""

import datetime
import re

import pytest
from django.utils import timezone

from thidua.accounts.models import Role
from thidua.council.models import AgendaItem, Ballot, Meeting, MemberRole
from thidua.council.services import set_up_council
from thidua.decisions.models import Decision
from thidua.eligibility.selectors import (
    agency_settings,
    as_document,
    evaluate_agency,
    evaluate_subject,
    subject_rows,
)
from thidua.org.models import UnitKind
from thidua.records.models import Award
from thidua.records.services import set_rating
from thidua.rounds.models import Nomination, Round
from thidua.testing import AgencyFactory, PersonFactory, UnitFactory, make_user
from thidua.tests_browser.conftest import login, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]

YEAR = 2024
DECISION_NUMBER = "1/QĐ-STNMT"
RETURN_REASON = "Bổ sung minh chứng xếp loại HTXSNV năm 2024 và số hồ sơ đã giải quyết."
AMENDED_REPORT = (
    "Năm 2024 chủ trì giải quyết 1.250 hồ sơ đăng ký đất đai, 100% đúng hạn; được xếp loại "
    "Hoàn thành xuất sắc nhiệm vụ (Quyết định số 210/QĐ-STNMT)."
)
EVIDENCE_NAME = "Quyết định xếp loại HTXSNV năm 2024"
ABSTAIN_REASON = "Chưa đủ thông tin về kết quả công tác."
# Council seats besides the director (chair): key, unit key, name, position, role.
SEATS = [
    ("hd1", "office", "Vũ Văn Hùng", "Phó Giám đốc Sở", MemberRole.VICE_CHAIR),
    ("hd2", "office", "Đỗ Thị Hạnh", "Chánh Văn phòng", MemberRole.SECRETARY),
    ("hd3", "inspection", "Bùi Văn Long", "Chánh Thanh tra", MemberRole.MEMBER),
    ("hd4", "inspection", "Ngô Thị Thu", "Phó Chánh Thanh tra", MemberRole.MEMBER),
    ("hd5", "office", "Phan Văn Tài", "Phó Chánh Văn phòng", MemberRole.MEMBER),
    # Directs the Lộc Bình branch: Lan's nomination is his own unit's.
    ("hd6", "cn2", "Lý Văn Sơn", "Giám đốc Chi nhánh", MemberRole.MEMBER),
]
PRESENT = ("director", "hd1", "hd2", "hd3", "hd6")
ABSENT = ("hd4", "hd5")


def vn(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def cstdcs_held(person, year: int) -> str:
    """The part of the engine's "CSTĐCS 2 years in a row" condition of Bằng khen tỉnh for
    `year` + 1 that speaks of `year`, e.g. "Năm 2024: CSTĐCS ✓" (điểm d khoản 1 Điều 74)."""
    evaluation = evaluate_subject(agency=person.agency, year=year + 1, person_id=person.pk)
    rows = subject_rows(evaluation, kind="person", subject_id=person.pk)
    message = next(
        c["message"] for r in rows if r["title"] == "BK_TINH" for c in r["conditions"]
        if c["code"] == "cstdcs_2_years"
    )  # fmt: skip
    return next(part for part in message.split("·") if str(year) in part)


@pytest.fixture
def cast(transactional_db) -> dict:
    """The agency STNMT (the symbol of its decisions), its units, people, logins and council.

    Rows are committed (transactional_db) so that the live server's thread sees them.
    """
    agency = AgencyFactory(
        code="STNMT_LS", name="Sở Tài nguyên và Môi trường tỉnh Lạng Sơn", symbol="STNMT"
    )
    vpdk = UnitFactory(agency=agency, code="VPDK", name="Văn phòng Đăng ký đất đai",
                       kind=UnitKind.OFFICE)  # fmt: skip
    units = {
        "office": UnitFactory(agency=agency, code="VPS", name="Văn phòng Sở"),
        "inspection": UnitFactory(agency=agency, code="TTS", name="Thanh tra Sở"),
        "cn1": UnitFactory(agency=agency, code="CN-CL", kind=UnitKind.BRANCH, parent=vpdk,
                           name="Chi nhánh Văn phòng Đăng ký đất đai huyện Cao Lộc"),
        "cn2": UnitFactory(agency=agency, code="CN-LB", kind=UnitKind.BRANCH, parent=vpdk,
                           name="Chi nhánh Văn phòng Đăng ký đất đai huyện Lộc Bình"),
    }  # fmt: skip

    def person(unit, code, name, position="Chuyên viên"):
        family, middle, given = name.split(" ", 2)
        return PersonFactory(unit=unit, staff_code=code, family_name=family, middle_name=middle,
                             given_name=given, position=position)  # fmt: skip

    nominees = {
        "hoa": person(units["cn1"], "CB101", "Phạm Thị Hoa"),
        "binh": person(units["cn1"], "CB102", "Đặng Văn Bình"),
        "lan": person(units["cn2"], "CB103", "Nguyễn Thị Lan"),
    }
    # Rated HTTNV: they qualify for LĐTT only, so the CSTĐCS list is exactly the three above.
    colleagues = [
        person(vpdk, "CB104", "Trần Văn Nam"),
        person(units["cn1"], "CB105", "Lê Thị Mai"),
        person(units["cn2"], "CB106", "Hoàng Văn Minh"),
    ]
    director = person(units["office"], "GD001", "Hoàng Văn Quyết", "Giám đốc Sở")
    users = {
        "officer": make_user(agency=agency, role=Role.OFFICER, username="thiduakt"),
        "head": make_user(agency=agency, role=Role.UNIT_HEAD, unit=vpdk, username="truong_vpdk"),
        "director": make_user(
            agency=agency, role=Role.DIRECTOR, username="giamdoc", person=director,
            first_name="Hoàng Văn", last_name="Quyết",
        ),
    }  # fmt: skip
    for n, (key, unit, name, position, _role) in enumerate(SEATS, start=1):
        users[key] = make_user(
            agency=agency, role=Role.COUNCIL, username=f"hoidong{n}",
            person=person(units[unit], f"HD{n:03d}", name, position),
        )  # fmt: skip

    officer = users["officer"]
    for p in nominees.values():
        set_rating(actor=officer, subject=p, year=YEAR, level="HTXSNV")
    for p in colleagues:
        set_rating(actor=officer, subject=p, year=YEAR, level="HTTNV")
    council = set_up_council(
        actor=officer, agency=agency, name="Hội đồng Thi đua - Khen thưởng Sở",
        established_by="15/QĐ-STNMT ngày 10/01/2024",
        members=[(users["director"], MemberRole.CHAIR)]
        + [(users[key], role) for key, *_rest, role in SEATS],
    )  # fmt: skip

    # What the story relies on, against the settings in force and the engine.
    settings = agency_settings(agency.pk)
    assert settings["council_recuse_own_unit"] is True
    assert int(settings["posting_days"]) == 5 and "CSTDCS" in settings["posting_titles"]
    document = as_document(evaluate_agency(agency=agency, year=YEAR), agency)
    results = document["results"]
    assert {r["subject"] for r in results if r["title"] == "CSTDCS" and r["eligible"]} == {
        "CB101", "CB102", "CB103"
    }  # fmt: skip
    # Rated HTXSNV in 2024 but not yet awarded: 2024 does not count for the next titles.
    assert all("✗" in cstdcs_held(p, YEAR) for p in nominees.values())

    seats = {m.user_id: m for m in council.members.all()}
    members = {key: seats[u.pk] for key, u in users.items() if u.pk in seats}
    return {"nominees": nominees, "users": users, "members": members}


class Story:
    """The browsers of the round's people and what the test learns on the way."""

    def __init__(self, cast: dict, live_server, new_page, tmp_path):
        self.nominees, self.users, self.members = cast["nominees"], cast["users"], cast["members"]
        self.live_server, self.base = live_server, live_server.url
        self.new_page = new_page
        self.tmp_path = tmp_path
        self.nominations: dict[str, Nomination] = {}
        self.items: dict[str, AgendaItem] = {}

    # --- helpers ------------------------------------------------------------------------------

    def open_as(self, username: str):
        page = self.new_page()
        login(page, self.live_server, username)
        return page

    def submit(self, page, selector: str, to: str | re.Pattern | None = None) -> None:
        """Click a submit button (or follow a link) and wait for the page the server answers
        with, after its redirect; `to` is a path of the site or a pattern of the URL."""
        url = self.base + to if isinstance(to, str) else to
        with page.expect_navigation(**({"url": url} if url else {})):
            page.click(selector)

    def states(self) -> dict[str, str]:
        found = dict(
            Nomination.objects.filter(person__in=self.nominees.values()).values_list(
                "person_id", "state"
            )
        )
        return {key: found.get(p.pk) for key, p in self.nominees.items()}

    def all_in(self, state: str) -> dict[str, str]:
        return dict.fromkeys(self.nominees, state)

    # --- the story ----------------------------------------------------------------------------

    def officer_opens_the_round(self) -> None:
        officer = self.officer = self.open_as("thiduakt")
        self.submit(officer, "nav a[href='/rounds/']")
        self.submit(officer, "main a[href='/rounds/new/']")
        officer.select_option("#id_kind", "ANNUAL")
        officer.fill("#id_year", str(YEAR))
        officer.fill("#id_name", f"Xét khen thưởng năm {YEAR}")
        officer.check("input[name=titles][value=CSTDCS]")
        self.submit(officer, "main form button[type=submit]", re.compile(r"/rounds/\d+/$"))
        self.round = Round.objects.get()
        assert officer.url == f"{self.base}/rounds/{self.round.pk}/"
        # Review date left empty: 31/12 of the year, so the rules of R2024 apply.
        assert (self.round.year, self.round.review_date, self.round.regime) == (
            YEAR, datetime.date(YEAR, 12, 31), "R2024"
        )  # fmt: skip

    def head_nominates_three(self) -> None:
        head = self.head = self.open_as("truong_vpdk")
        rnd = self.round.pk
        self.submit(head, "nav a[href='/rounds/']")
        self.submit(head, f"#rounds a[href='/rounds/{rnd}/']")
        self.submit(head, f"main a[href='/rounds/{rnd}/nominate/']")
        # The candidates the engine found in the head's units, narrowed to CSTĐCS.
        head.select_option("#id_title", "CSTDCS")
        self.submit(head, "form.search button[type=submit]", re.compile(r"title=CSTDCS"))
        rows = head.locator("#candidates tbody tr[data-value]")
        offered = {rows.nth(i).get_attribute("data-value") for i in range(rows.count())}
        assert offered == {f"p{p.pk}:CSTDCS" for p in self.nominees.values()}
        for value in sorted(offered):
            head.check(f"#candidates input[name=pick][value='{value}']")
        self.submit(head, "button[name=action][value=many]", re.compile(r"state=DRAFT$"))
        assert head.locator("#nominations tbody tr[data-state=DRAFT]").count() == 3
        assert self.states() == self.all_in("DRAFT")

        for key, nominee in self.nominees.items():
            n = self.nominations[key] = Nomination.objects.get(person=nominee)
            assert (n.eligible, n.nominating_unit_id, n.title) == (True, nominee.unit_id, "CSTDCS")
            # From the list to the dossier, its report, then to the office.
            head.goto(f"{self.base}/rounds/{rnd}/nominations/?state=DRAFT")
            self.submit(head, f"#nominations a[href='/rounds/nominations/{n.pk}/']")
            assert head.get_attribute("#next-action", "data-kind") == "write"
            self.submit(head, f"#next-action a[href='/rounds/nominations/{n.pk}/edit/']")
            head.fill("#id_achievement_report", f"{nominee.full_name}: hoàn thành xuất sắc.")
            self.submit(head, "main form:not([action]) button", f"/rounds/nominations/{n.pk}/")
            assert head.get_attribute("#next-action", "data-kind") == "submit"
            submit_button = f"form[action='/rounds/nominations/{n.pk}/submit/'] button"
            self.submit(head, submit_button, f"/rounds/nominations/{n.pk}/")
        assert self.states() == self.all_in("SUBMITTED")

    def officer_returns_binh(self) -> None:
        officer, binh = self.officer, self.nominations["binh"]
        officer.goto(f"{self.base}/rounds/{self.round.pk}/nominations/")
        assert officer.inner_text("#state-counts li[data-state=SUBMITTED] .count") == "3"
        self.submit(officer, "#state-counts li[data-state=SUBMITTED] a")
        self.submit(officer, f"#nominations a[href='/rounds/nominations/{binh.pk}/']")
        assert officer.get_attribute("#next-action", "data-kind") == "check"
        officer.click("#return summary")
        officer.fill("#return #id_reason", RETURN_REASON)
        deadline = timezone.localdate() + datetime.timedelta(days=7)
        officer.fill("#return #id_amend_by", vn(deadline))
        self.submit(officer, "#return button[type=submit]", f"/rounds/nominations/{binh.pk}/")
        binh.refresh_from_db()
        assert (binh.state, binh.return_reason, binh.amend_by) == (
            "RETURNED", RETURN_REASON, deadline
        )  # fmt: skip

    def head_amends_binh(self) -> None:
        head, binh = self.head, self.nominations["binh"]
        dossier, edit = f"/rounds/nominations/{binh.pk}/", f"/rounds/nominations/{binh.pk}/edit/"
        # The notice of the return leads to the dossier, which says what to amend.
        self.submit(head, "nav a[href='/notifications/']")
        notice = head.locator("#notifications tbody tr.unread", has_text="Đặng Văn Bình")
        assert notice.count() == 1
        with head.expect_navigation(url=self.base + dossier):
            notice.locator("button[type=submit]").click()
        assert RETURN_REASON in head.inner_text("#returned")

        self.submit(head, f"#next-action a[href='{edit}']")
        head.fill("#id_achievement_report", AMENDED_REPORT)
        self.submit(head, "main form:not([action]) button", dossier)
        self.submit(head, f"main a[href='{edit}']")
        proof = self.tmp_path / "xep-loai-2024.pdf"
        proof.write_bytes(b"%PDF-1.4\n% quyet dinh xep loai\n%%EOF\n")
        head.fill("#id_name", EVIDENCE_NAME)
        head.set_input_files("#id_file", str(proof))
        self.submit(head, f"form[action='{dossier}evidence/'] button", edit)
        assert head.locator("#evidence tbody a", has_text=EVIDENCE_NAME).count() == 1
        self.submit(head, f"main a[href='{dossier}']")
        self.submit(head, f"form[action='{dossier}submit/'] button", dossier)
        binh.refresh_from_db()
        assert (binh.state, binh.achievement_report) == ("SUBMITTED", AMENDED_REPORT)

    def officer_checks_all(self) -> None:
        officer, binh = self.officer, self.nominations["binh"]
        officer.goto(f"{self.base}/rounds/nominations/{binh.pk}/")
        # What changed since the return, shown on the resubmission step of the history.
        resubmitted = officer.locator("#history tbody tr[data-to=SUBMITTED]").last
        assert resubmitted.locator("li[data-field=achievement_report]").count() == 1
        assert EVIDENCE_NAME in resubmitted.locator("li[data-field=evidence]").inner_text()
        step = binh.steps.get(from_state="RETURNED", to_state="SUBMITTED")
        assert step.actor == self.users["head"]
        assert step.changes["achievement_report"][1] == AMENDED_REPORT
        assert step.changes["evidence"] == [[], [EVIDENCE_NAME]]

        for n in self.nominations.values():
            officer.goto(f"{self.base}/rounds/{self.round.pk}/nominations/?state=SUBMITTED")
            self.submit(officer, f"#nominations a[href='/rounds/nominations/{n.pk}/']")
            check = f"form[action='/rounds/nominations/{n.pk}/check/'] button"
            self.submit(officer, check, f"/rounds/nominations/{n.pk}/")
            # CSTĐCS needs the council: the dossier now waits for an agenda.
            assert officer.get_attribute("#next-action", "data-kind") == "council"
        assert self.states() == self.all_in("CHECKED")

    def officer_prepares_the_meeting(self) -> None:
        officer = self.officer
        self.submit(officer, "nav a[href='/council/']")
        self.submit(officer, "main a[href='/council/meetings/new/']")
        officer.select_option("#id_round", str(self.round.pk))
        officer.fill("#id_date", vn(timezone.localdate()))
        officer.fill("#id_time", "14:00")
        officer.fill("#id_place", "Phòng họp tầng 2")
        officer.check("input[name=method][value=ONLINE]")
        agenda = re.compile(r"/council/meetings/\d+/agenda/$")
        self.submit(officer, "main form button[type=submit]", agenda)
        meeting = self.meeting = Meeting.objects.get()
        here = f"/council/meetings/{meeting.pk}/"

        self.submit(officer, "main form:has(input[name=everything]) button", agenda)
        assert officer.locator("#agenda tbody tr").count() == 3
        for key, n in self.nominations.items():
            self.items[key] = AgendaItem.objects.get(meeting=meeting, nomination=n)
            assert self.items[key].threshold_percent == 80
        assert self.states() == self.all_in("BEFORE_COUNCIL")

        self.submit(officer, f"main a[href='{here}']")
        self.submit(officer, f"main a[href='{here}attendance/']")
        for key in PRESENT:
            officer.check(f"input[name=present][value='{self.members[key].pk}']")
        for key in ABSENT:
            assert not officer.is_checked(f"input[name=present][value='{self.members[key].pk}']")
        self.submit(officer, "main form button[type=submit]", here)
        self.submit(officer, f"form[action='{here}open/'] button", here)
        meeting.refresh_from_db()
        assert (meeting.status, meeting.members_total, meeting.present_count) == ("VOTING", 7, 5)

    def member_votes(self, key: str):
        """A member present opens the notice of the open ballot and votes. Hùng abstains on
        Bình with a reason; Sơn finds Lan's nomination flagged, with no choice to make on it."""
        page = self.open_as(self.users[key].username)
        ballot = f"/council/meetings/{self.meeting.pk}/ballot/"
        self.submit(page, "nav a[href='/notifications/']")
        self.submit(page, "#notifications tbody tr.unread button[type=submit]", ballot)
        items = self.items
        if key == "hd6":
            assert page.locator(f"#id_c{items['lan'].pk}_0").count() == 0
            assert "Nguyễn Thị Lan" in page.inner_text("#recused")
        else:
            assert page.locator("#recused").count() == 0
        for nominee, item in items.items():
            if (key, nominee) == ("hd6", "lan"):
                continue
            if (key, nominee) == ("hd1", "binh"):
                page.check(f"#id_c{item.pk}_2")  # Abstain …
                page.fill(f"#id_r{item.pk}", ABSTAIN_REASON)  # … with the reason
            else:
                page.check(f"#id_c{item.pk}_0")  # Agree
        self.submit(page, "#ballot-form button[type=submit]", ballot)
        # The member's own choices come back while the ballot is open.
        assert page.is_checked(f"#id_c{items['hoa'].pk}_0")
        return page

    def officer_enters_written_votes_and_closes(self) -> None:
        officer, meeting = self.officer, self.meeting
        here = f"/council/meetings/{meeting.pk}/"
        for key in ABSENT:
            officer.goto(self.base + here)
            self.submit(officer, f"#absent a:has-text('{self.members[key].person.full_name}')")
            for item in self.items.values():
                officer.check(f"#id_c{item.pk}_0")
            self.submit(officer, "main form button[type=submit]", here)
        ballots = Ballot.objects.filter(item__meeting=meeting)
        # 5 present and 2 written, 3 items each; Sơn's recusal stands in for his vote on Lan.
        assert (ballots.count(), ballots.filter(source="WRITTEN").count()) == (21, 6)
        recused = ballots.get(choice="RECUSED")
        assert (recused.member, recused.item) == (self.members["hd6"], self.items["lan"])
        abstained = ballots.get(choice="ABSTAIN")
        assert (abstained.member, abstained.item, abstained.reason) == (
            self.members["hd1"], self.items["binh"], ABSTAIN_REASON
        )  # fmt: skip

        officer.check("#confirm-close")
        self.submit(officer, f"form[action='{here}close/'] button[type=submit]", here)
        meeting.refresh_from_db()
        assert meeting.status == "CLOSED"
        # Agree, Disagree, Abstain, May not vote, Did not vote, Needed: of all 7 members.
        expected = {
            "hoa": ["7", "0", "0", "0", "0", "80%"],
            "binh": ["6", "0", "1", "0", "0", "80%"],
            "lan": ["6", "0", "0", "1", "0", "80%"],
        }
        for key, item in self.items.items():
            shown = officer.locator(f"#item-{item.pk} td").all_inner_texts()
            assert [text.strip() for text in shown[1:7]] == expected[key], key
            item.refresh_from_db()
            assert item.passed is True
        assert self.states() == self.all_in("PASSED")

    def officer_posts_the_list(self) -> None:
        start = timezone.localdate() - datetime.timedelta(days=6)
        round_page = f"/rounds/{self.round.pk}/"
        self.officer.goto(self.base + round_page)
        self.officer.fill(f"form[action='{round_page}posting/'] #id_start", vn(start))
        self.submit(self.officer, f"form[action='{round_page}posting/'] button", round_page)
        posted = Nomination.objects.filter(round=self.round).values_list(
            "posted_from", "posted_until"
        )
        assert set(posted) == {(start, start + datetime.timedelta(days=5))}

    def officer_drafts_the_decision(self) -> None:
        officer, rnd = self.officer, self.round.pk
        self.submit(officer, "nav a[href='/decisions/']")
        self.submit(officer, f"#waiting tr[data-round='{rnd}'] a[href$='/rounds/{rnd}/draft/']")
        assert officer.inner_text("#to-decide li[data-title=CSTDCS] strong") == "3"
        self.submit(officer, "main form button[type=submit]", re.compile(r"/decisions/\d+/$"))
        self.decision = Decision.objects.get()
        assert officer.get_attribute("#status", "data-status") == "DRAFT"
        assert self.decision.lines.count() == 3

    def director_issues(self, director) -> None:
        detail = f"/decisions/{self.decision.pk}/"
        self.submit(director, "nav a[href='/decisions/']")
        self.submit(director, f"#decisions tr[data-status=DRAFT] a[href='{detail}']")
        self.submit(director, f"main a[href='{detail}issue/']")
        # Nothing blocks it: the posting window is over, no comment waits for an answer.
        assert director.locator("#blockers").count() == 0
        assert director.input_value("#id_signer") == str(self.users["director"].pk)
        assert director.input_value("#id_signed_on") == vn(timezone.localdate())
        self.submit(director, "main form button[type=submit]", detail)
        assert director.inner_text("#number") == DECISION_NUMBER
        assert director.get_attribute("#status", "data-status") == "ISSUED"
        awards = director.locator("table.lines [data-award-status=ACTIVE]").all_inner_texts()
        assert len(awards) == 3 and all(DECISION_NUMBER in text for text in awards)

    def records_show_the_title(self, page) -> None:
        """From the decision's list to each person's page: the 2024 row holds the CSTĐCS of
        the decision, and the 2025 eligibility section (fetched by htmx) counts it."""
        detail = f"/decisions/{self.decision.pk}/"
        for nominee in self.nominees.values():
            page.goto(self.base + detail)
            self.submit(page, f"table.lines a[href='/people/{nominee.pk}/']")
            assert page.inner_text("h1") == nominee.full_name
            assert DECISION_NUMBER in page.inner_text(f"#records-{YEAR}")
            page.goto(f"{self.base}/people/{nominee.pk}/?year={YEAR + 1}")
            page.wait_for_selector("#title-BK_TINH")  # swapped in by htmx
            two_years = page.inner_text("#title-BK_TINH li[data-code=cstdcs_2_years]")
            held = next(part for part in two_years.split("·") if str(YEAR) in part)
            assert "✓" in held and "✗" not in held, two_years


def test_whole_round_from_nomination_to_decision_and_next_years_eligibility(
    new_page, live_server, cast, tmp_path
):
    story = Story(cast, live_server, new_page, tmp_path)
    story.officer_opens_the_round()
    story.head_nominates_three()
    story.officer_returns_binh()
    story.head_amends_binh()
    story.officer_checks_all()
    story.officer_prepares_the_meeting()
    members = {key: story.member_votes(key) for key in PRESENT}
    story.officer_enters_written_votes_and_closes()
    story.officer_posts_the_list()
    story.officer_drafts_the_decision()
    story.director_issues(members["director"])
    story.records_show_the_title(members["director"])

    decision = story.decision
    decision.refresh_from_db()
    assert (decision.reference, decision.signed_on) == (DECISION_NUMBER, timezone.localdate())
    assert decision.signer == story.users["director"]
    assert story.states() == story.all_in("DECIDED")
    awards = Award.objects.filter(decision_number=DECISION_NUMBER)
    assert sorted(awards.values_list("person__staff_code", "year", "title", "status")) == [
        ("CB101", YEAR, "CSTDCS", "ACTIVE"),
        ("CB102", YEAR, "CSTDCS", "ACTIVE"),
        ("CB103", YEAR, "CSTDCS", "ACTIVE"),
    ]
    # The engine reads the award: 2024 now counts towards Bằng khen tỉnh in 2025.
    assert all("✓" in cstdcs_held(p, YEAR) for p in story.nominees.values())


def test_head_nominates_every_listed_candidate_with_one_button(new_page, live_server, cast):
    """ "Nominate all N listed" is a named button of a busy form: its value must reach the server
    although the script disables the buttons while the request runs."""
    story = Story(cast, live_server, new_page, None)
    story.officer_opens_the_round()
    head = story.open_as("truong_vpdk")
    rnd = story.round.pk
    head.goto(f"{story.base}/rounds/{rnd}/nominate/?title=CSTDCS")
    offered = head.locator("#candidates tbody tr[data-value]").count()
    story.submit(head, "button[name=action][value=all]", re.compile(r"state=DRAFT$"))
    assert offered == 3
    assert story.states() == story.all_in("DRAFT")
