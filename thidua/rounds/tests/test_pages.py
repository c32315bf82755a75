"""The rounds pages: what they show and what their forms do. Permissions per persona are in the
matrix (tests/matrix.py); here, the content, the filters, the refused steps that change nothing,
file downloads, and the number of queries of the officer's list."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from thidua.rounds import services
from thidua.rounds.models import Nomination, NominationState, Round
from thidua.testing import NominationFactory, PersonFactory, UnitFactory

S = NominationState
LATER = timezone.localdate() + datetime.timedelta(days=7)


def test_round_create_page_opens_a_round(world, login):
    response = login(world.users["officer"]).post(
        reverse("rounds:create"),
        {"kind": "ANNUAL", "year": "2025", "name": "Xét khen thưởng năm 2025",
         "titles": ["LDTT", "GK"], "review_date": "", "nominations_due": "05/12/2025"},
    )  # fmt: skip
    r = Round.objects.get()
    assert response["Location"] == reverse("rounds:detail", args=[r.pk])
    assert (r.agency, r.regime, r.titles, r.nominations_due) == (
        world.agency, "R2025", ["LDTT", "GK"], datetime.date(2025, 12, 5)
    )  # fmt: skip


def test_round_create_page_shows_a_rule_error_next_to_its_field(world, login):
    response = login(world.users["officer"]).post(
        reverse("rounds:create"),
        {"kind": "ANNUAL", "year": "2025", "name": "Đợt", "titles": ["LDTT"],
         "nominations_due": "10/12/2025", "checks_due": "01/12/2025"},
    )  # fmt: skip
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["checks_due"]
    assert not Round.objects.exists()


def test_round_detail_counts_what_the_viewer_may_see(world, login, rnd):
    NominationFactory(person=world.in_a1, round=rnd, state=S.SUBMITTED)
    NominationFactory(person=world.in_b, round=rnd, state=S.SUBMITTED)
    url = reverse("rounds:detail", args=[rnd.pk])
    for persona, expected in (("officer", 2), ("head", 1)):
        response = login(world.users[persona]).get(url)
        rows = {r["state"]: r["count"] for r in response.context["table"]}
        assert (rows["SUBMITTED"], response.context["total"]) == (expected, expected)


def test_round_detail_lists_the_staff_members_own_nominations(world, login, rnd):
    mine = NominationFactory(person=world.own, round=rnd)
    NominationFactory(person=world.colleague, round=rnd)
    response = login(world.users["staff"]).get(reverse("rounds:detail", args=[rnd.pk]))
    assert [n.pk for n in response.context["own"]] == [mine.pk]


# --- the officer's list -----------------------------------------------------------------------


@pytest.fixture
def listed(world, rnd):
    return [
        NominationFactory(person=world.own, round=rnd, title="LDTT", state=S.SUBMITTED),
        NominationFactory(person=world.in_a1, round=rnd, title="CSTDCS", state=S.SUBMITTED),
        NominationFactory(person=world.in_b, round=rnd, title="LDTT", state=S.CHECKED),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Phạm Thị Hoa", "Nguyễn Văn Á", "Trần Thị Lan"}),
        ("?state=SUBMITTED", {"Phạm Thị Hoa", "Nguyễn Văn Á"}),
        ("?title=LDTT", {"Phạm Thị Hoa", "Trần Thị Lan"}),
        ("?q=nguyen+a", {"Nguyễn Văn Á"}),
        ("?state=SUBMITTED&title=CSTDCS", {"Nguyễn Văn Á"}),
    ],
)
def test_nominations_page_filters(world, login, rnd, listed, query, expected):
    response = login(world.users["officer"]).get(
        reverse("rounds:nominations", args=[rnd.pk]) + query
    )
    assert {str(n.subject) for n in response.context["page"].object_list} == expected


def test_nominations_page_unit_filter(world, login, rnd, listed):
    url = reverse("rounds:nominations", args=[rnd.pk]) + f"?unit={world.unit_a.pk}"
    response = login(world.users["officer"]).get(url)
    assert {str(n.subject) for n in response.context["page"].object_list} == {
        "Phạm Thị Hoa", "Nguyễn Văn Á"
    }  # fmt: skip
    assert response.context["listing"].counts == {"SUBMITTED": 2}


def test_nominations_page_state_links_carry_the_other_filters(world, login, rnd, listed):
    url = reverse("rounds:nominations", args=[rnd.pk]) + "?title=LDTT&state=CHECKED"
    body = login(world.users["officer"]).get(url).content.decode()
    assert "?title=LDTT&amp;state=SUBMITTED" in body


def _grow(round, n):
    unit = UnitFactory(agency=round.agency)
    for _ in range(n):
        NominationFactory(person=PersonFactory(unit=unit), round=round, title="LDTT")


def test_nominations_page_queries_do_not_grow_with_rows(
    world, login, rnd, django_assert_max_num_queries
):
    client = login(world.users["officer"])
    url = reverse("rounds:nominations", args=[rnd.pk]) + "?q=nguyen&state=DRAFT"
    _grow(rnd, 3)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _grow(rnd, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 43
    # Session, user, roles, round, units searched, counts, page ids, page rows, the filter's
    # units (count, rows), and the menu's unread notifications.
    assert len(few.captured_queries) <= 12


# --- the dossier page -------------------------------------------------------------------------


def test_nomination_page_marks_the_current_step(world, login, rnd):
    n = NominationFactory(person=world.in_a1, round=rnd, state=S.CHECKED)
    body = login(world.users["officer"]).get(reverse("rounds:nomination", args=[n.pk])).content
    assert b'data-state="CHECKED" aria-current="step"' in body
    assert body.count(b'aria-current="step"') == 1


def test_nomination_page_shows_a_return_clearly(world, login, rnd, nominate):
    n = nominate(world.in_a1)
    services.submit(actor=world.users["head"], nomination=n)
    services.return_for_amendment(
        actor=world.users["officer"], nomination=n, reason="Bổ sung minh chứng", amend_by=LATER
    )
    response = login(world.users["head"]).get(reverse("rounds:nomination", args=[n.pk]))
    body = response.content.decode()
    assert 'class="current returned" data-state="RETURNED"' in body
    assert "Bổ sung minh chứng" in body and f"{LATER:%d/%m/%Y}" in body
    assert response.context["action"]["kind"] == "submit"


@pytest.mark.parametrize(
    ("state", "persona", "kind"),
    [(S.DRAFT, "head", "submit"), (S.DRAFT, "officer", "submit"), (S.DRAFT, "director", "wait"),
     (S.SUBMITTED, "officer", "check"), (S.SUBMITTED, "head", "wait"),
     (S.CHECKED, "officer", "council"), (S.PASSED, "council", "wait")],
)  # fmt: skip
def test_nomination_page_offers_one_next_action(world, login, rnd, state, persona, kind):
    n = NominationFactory(person=world.in_a1, round=rnd, state=state, title="CSTDCS")
    response = login(world.users[persona]).get(reverse("rounds:nomination", args=[n.pk]))
    assert response.context["action"]["kind"] == kind


def test_nomination_page_asks_for_the_report_before_submitting(world, login, rnd):
    n = NominationFactory(person=world.in_a1, round=rnd, achievement_report="")
    response = login(world.users["head"]).get(reverse("rounds:nomination", args=[n.pk]))
    assert response.context["action"]["kind"] == "write"


def test_nomination_page_history_shows_what_changed_on_resubmission(world, login, rnd, nominate):
    head = world.users["head"]
    n = nominate(world.in_a1, report="Lần 1")
    services.submit(actor=head, nomination=n)
    services.return_for_amendment(
        actor=world.users["officer"], nomination=n, reason="Sửa", amend_by=LATER
    )
    services.update_dossier(actor=head, nomination=n, achievement_report="Lần 2")
    services.submit(actor=head, nomination=n)

    response = login(world.users["officer"]).get(reverse("rounds:nomination", args=[n.pk]))

    rows = response.context["history_rows"]
    assert [r["step"].to_state for r in rows] == ["DRAFT", "SUBMITTED", "RETURNED", "SUBMITTED"]
    assert [(c["field"], c["before"], c["after"]) for c in rows[-1]["changes"]] == [
        ("achievement_report", "Lần 1", "Lần 2")
    ]
    assert rows[2]["step"].reason == "Sửa"


def test_illegal_step_shows_the_message_and_changes_nothing(world, login, rnd):
    n = NominationFactory(person=world.in_a1, round=rnd, state=S.DRAFT)
    response = login(world.users["officer"]).post(reverse("rounds:check", args=[n.pk]))
    assert response.status_code == 200
    assert response.context["error"]
    n.refresh_from_db()
    assert (n.state, n.steps.count()) == (S.DRAFT, 0)


def test_return_without_reason_shows_the_form_error(world, login, rnd):
    n = NominationFactory(person=world.in_a1, round=rnd, state=S.SUBMITTED)
    response = login(world.users["officer"]).post(
        reverse("rounds:return", args=[n.pk]), {"reason": "", "amend_by": f"{LATER:%d/%m/%Y}"}
    )
    assert response.status_code == 200
    assert "reason" in response.context["return_form"].errors
    n.refresh_from_db()
    assert n.state == S.SUBMITTED


def test_return_page_sets_reason_and_deadline(world, login, rnd):
    n = NominationFactory(person=world.in_a1, round=rnd, state=S.SUBMITTED)
    login(world.users["officer"]).post(
        reverse("rounds:return", args=[n.pk]),
        {"reason": "Bổ sung", "amend_by": f"{LATER:%d/%m/%Y}"},
    )
    n.refresh_from_db()
    assert (n.state, n.return_reason, n.amend_by) == (S.RETURNED, "Bổ sung", LATER)


def test_submit_from_page_without_report_shows_why(world, login, rnd):
    n = NominationFactory(person=world.in_a1, round=rnd, title="HCLD3", achievement_report="")
    response = login(world.users["head"]).post(reverse("rounds:submit", args=[n.pk]))
    assert (response.status_code, bool(response.context["error"])) == (200, True)
    n.refresh_from_db()
    assert n.state == S.DRAFT


# --- files ------------------------------------------------------------------------------------


def test_edit_page_uploads_the_report_and_evidence(world, login, rnd):
    n = NominationFactory(person=world.in_a1, round=rnd, title="HCLD3")
    client = login(world.users["head"])
    client.post(
        reverse("rounds:nomination_edit", args=[n.pk]),
        {"achievement_report": "Báo cáo", "report_file": SimpleUploadedFile("bc.pdf", b"%PDF-r")},
    )
    client.post(
        reverse("rounds:evidence_add", args=[n.pk]),
        {"name": "Biên bản", "file": SimpleUploadedFile("bb.pdf", b"%PDF-e")},
    )
    n.refresh_from_db()
    evidence = n.evidence.get()
    assert (n.achievement_report, n.report_file.read(), evidence.name) == (
        "Báo cáo", b"%PDF-r", "Biên bản"
    )  # fmt: skip

    response = login(world.users["council"]).get(
        reverse("rounds:evidence_file", args=[evidence.pk])
    )

    assert response.content == b"%PDF-e"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


def test_edit_page_refuses_an_unaccepted_file_and_saves_nothing(world, login, rnd):
    n = NominationFactory(person=world.in_a1, round=rnd, title="HCLD3")
    response = login(world.users["head"]).post(
        reverse("rounds:evidence_add", args=[n.pk]),
        {"name": "x", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert response.status_code == 200
    assert "file" in response.context["evidence_form"].errors
    assert not n.evidence.exists()


@pytest.mark.parametrize("persona", ["head", "staff", "other", "norole"])
def test_evidence_file_of_a_dossier_out_of_scope_is_404(world, login, rnd, persona):
    n = NominationFactory(person=world.in_b, round=rnd, title="HCLD3")
    evidence = services.add_evidence(
        actor=world.users["officer"],
        nomination=n,
        name="Tờ trình",
        file=SimpleUploadedFile("tt.pdf", b"%PDF-secret"),
    )
    response = login(world.users[persona]).get(reverse("rounds:evidence_file", args=[evidence.pk]))
    assert response.status_code == 404
    assert b"%PDF-secret" not in response.content


def test_files_are_never_under_a_public_url(world, rnd, settings):
    n = NominationFactory(person=world.in_a1, round=rnd, title="HCLD3")
    evidence = services.add_evidence(
        actor=world.users["head"], nomination=n, name="x", file=SimpleUploadedFile("x.pdf", b"%PDF")
    )
    with pytest.raises(Resolver404):
        resolve(settings.MEDIA_URL + evidence.file.name)


# --- nominating -------------------------------------------------------------------------------


def test_nominate_page_prefills_the_eligible_candidates(world, login, rnd, rate):
    rate(world.in_a1)
    response = login(world.users["head"]).get(reverse("rounds:nominate", args=[rnd.pk]))
    assert [(c["name"], c["title"]) for c in response.context["candidates"]] == [
        ("Nguyễn Văn Á", "LDTT")
    ]


def test_nominate_page_creates_the_ticked_drafts(world, login, rnd, rate):
    rate(world.in_a1)
    rate(world.colleague)
    response = login(world.users["head"]).post(
        reverse("rounds:nominate", args=[rnd.pk]),
        {"action": "many", "pick": [f"p{world.in_a1.pk}:LDTT", f"p{world.colleague.pk}:LDTT"]},
    )
    assert response.status_code == 302
    assert set(Nomination.objects.values_list("person__staff_code", "state")) == {
        ("CB003", "DRAFT"), ("CB002", "DRAFT")
    }  # fmt: skip


def test_nominate_page_refusal_lists_the_engines_reasons_and_saves_nothing(world, login, rnd, rate):
    rate(world.in_a1, "HTNV")
    response = login(world.users["head"]).post(
        reverse("rounds:nominate", args=[rnd.pk]),
        {"action": "one", "subject": f"p{world.in_a1.pk}", "title": "LDTT"},
    )
    assert response.status_code == 200
    errors = response.context["one"].errors["title"]
    assert "HTNV" in errors[0] and "✗" in errors[0]
    assert not Nomination.objects.exists()


def test_nominate_page_search_finds_subjects_of_the_scope(world, login, rnd):
    response = login(world.users["head"]).get(
        reverse("rounds:nominate", args=[rnd.pk]) + "?q=nguyen"
    )
    assert [m["value"] for m in response.context["matches"]] == [f"p{world.in_a1.pk}"]


def test_nominate_page_one_subject_goes_to_its_new_dossier(world, login, rnd):
    response = login(world.users["head"]).post(
        reverse("rounds:nominate", args=[rnd.pk]),
        {
            "action": "one",
            "subject": f"p{world.in_a1.pk}",
            "title": "HCLD3",
            "achievement_report": "BC",
        },
    )
    n = Nomination.objects.get()
    assert response["Location"] == reverse("rounds:nomination", args=[n.pk])
    assert (n.achievement_report, n.created_by) == ("BC", world.users["head"])


def test_nominate_page_nominates_all_listed_of_a_title(world, login, rnd, rate):
    rate(world.in_a1, "HTXSNV")  # LĐTT and CSTĐCS
    rate(world.colleague, "HTTNV")  # LĐTT
    url = reverse("rounds:nominate", args=[rnd.pk]) + "?title=LDTT"
    response = login(world.users["head"]).post(url, {"action": "all"})
    assert response.status_code == 302
    assert set(Nomination.objects.values_list("person__staff_code", "title")) == {
        ("CB003", "LDTT"), ("CB002", "LDTT")
    }  # fmt: skip


def test_nominate_page_shows_one_way_at_a_time(world, login, rnd, rate):
    rate(world.in_a1)
    client = login(world.users["head"])
    eligible = client.get(reverse("rounds:nominate", args=[rnd.pk]))
    other = client.get(reverse("rounds:nominate", args=[rnd.pk]) + "?tab=other")
    assert (eligible.context["tab"], len(eligible.context["candidates"])) == ("eligible", 1)
    assert (other.context["tab"], other.context["candidates"]) == ("other", [])
    assert b'id="candidates"' not in other.content
