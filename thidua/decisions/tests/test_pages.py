"""The decision and submission pages: what they show, what their forms do, how many queries the
lists take. Permissions per persona are in matrix.py (run by accounts/tests/test_permissions.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.decisions import services
from thidua.decisions.models import Decision, DecisionStatus, SubmissionStatus
from thidua.decisions.tests.builders import (
    SIGNED,
    draft_of,
    draft_submission_of,
    issued_of,
    passed,
    round_of,
    round_with_passed,
    sent_submission_of,
)
from thidua.records.models import Award, AwardStatus
from thidua.rounds.models import Nomination, NominationState
from thidua.testing import PersonFactory

D = datetime.date
DATE = f"{SIGNED:%d/%m/%Y}"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_decisions(w, n: int) -> None:
    round_ = round_of(w)
    for _ in range(n):
        passed(w, PersonFactory(unit=w.unit_b), round_=round_)
        services.draft_decision(actor=w.users["officer"], round=round_)


def _more_submissions(w, n: int) -> None:
    round_ = round_of(w)
    for _ in range(n):
        passed(w, PersonFactory(unit=w.unit_b), "HCLD3", round_=round_)
        services.create_submission(actor=w.users["officer"], round=round_, authority="Bộ trưởng")


@pytest.mark.parametrize(
    ("url", "grow"),
    [("/decisions/", _more_decisions), ("/decisions/submissions/", _more_submissions)],
)
def test_list_page_queries_do_not_grow_with_rows(
    world, login, django_assert_max_num_queries, url, grow
):
    client = login(world.users["officer"])
    grow(world, 3)
    client.get(url)  # warm the session
    with_three = _queries(client, url)
    grow(world, 20)
    with django_assert_max_num_queries(with_three):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 23


def test_list_page_offers_the_rounds_waiting_to_the_officer_only(world, login):
    round_ = round_with_passed(world)
    officer = login(world.users["officer"]).get("/decisions/")
    [waiting] = officer.context["waiting"]
    assert (waiting.round, waiting.to_decide, waiting.to_forward) == (round_, 2, 1)
    assert login(world.users["director"]).get("/decisions/").context["waiting"] == []


def test_list_page_hides_drafts_from_unit_heads(world, login):
    issued = issued_of(world)
    passed(world, world.in_b, round_=issued.round)
    services.draft_decision(actor=world.users["officer"], round=issued.round)

    def shown(who: str) -> set[str]:
        page = login(world.users[who]).get("/decisions/").context["page"]
        return {d.status for d in page}

    assert (shown("head"), shown("officer")) == ({"ISSUED"}, {"ISSUED", "DRAFT"})


def test_draft_page_post_makes_the_draft_and_opens_it(world, login):
    round_ = round_with_passed(world)
    client = login(world.users["officer"])
    groups = client.get(f"/decisions/rounds/{round_.pk}/draft/").context["groups"]
    assert [(g.title, len(g.lines)) for g in groups] == [("LDTT", 2)]

    response = client.post(f"/decisions/rounds/{round_.pk}/draft/", {"summary": ""})

    decision = Decision.objects.get()
    assert response["Location"] == f"/decisions/{decision.pk}/"
    assert decision.lines.count() == 2


def test_draft_page_with_nothing_to_decide_says_so(world, login):
    round_ = round_of(world)
    response = login(world.users["officer"]).post(f"/decisions/rounds/{round_.pk}/draft/", {})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Decision.objects.count() == 0


def test_detail_page_lists_each_title_with_names_in_vietnamese_order(world, login):
    round_ = round_of(world)
    for given in ("Đức", "An"):
        passed(world, PersonFactory(unit=world.unit_b, given_name=given), round_=round_)
    passed(world, world.unit_a1, "GK", round_=round_)
    passed(world, PersonFactory(unit=world.unit_b, given_name="Bảo"), "GK", round_=round_)
    decision = services.draft_decision(actor=world.users["officer"], round=round_)

    page = login(world.users["officer"]).get(f"/decisions/{decision.pk}/").context["page"]

    shown = [
        (
            g.title,
            g.kind,
            [
                (line.person or line.unit).name if line.unit else line.person.given_name
                for line in g.lines
            ],
        )
        for g in page.groups
    ]
    assert shown == [
        ("LDTT", "person", ["An", "Đức"]),
        ("GK", "person", ["Bảo"]),
        ("GK", "unit", [world.unit_a1.name]),
    ]


def test_detail_page_links_a_correction_both_ways(world, login):
    old = issued_of(world)
    new = services.correct_decision(
        actor=world.users["officer"], decision=old, reason="Sai ngày", signed_on=D(2025, 2, 1),
        signer=world.users["director"],
    )  # fmt: skip
    client = login(world.users["council"])

    old_page = client.get(f"/decisions/{old.pk}/").context["page"]
    new_page = client.get(f"/decisions/{new.pk}/").context["page"]

    assert (old_page.replaced_by, new_page.replaces) == (new, old)
    assert {line.award.status for g in old_page.groups for line in g.lines} == {"CORRECTED"}


def test_issue_page_post_by_the_director_issues_and_writes_awards(world, login):
    decision = draft_of(world)
    client = login(world.users["director"])
    form = client.get(f"/decisions/{decision.pk}/issue/").context["form"]
    assert form["signer"].initial == world.users["director"]

    response = client.post(
        f"/decisions/{decision.pk}/issue/",
        {"signer": world.users["director"].pk, "signed_on": DATE},
    )

    decision.refresh_from_db()
    assert response["Location"] == f"/decisions/{decision.pk}/"
    assert (decision.status, decision.reference) == (DecisionStatus.ISSUED, "1/QĐ-STN")
    assert Award.objects.filter(decision_number="1/QĐ-STN").count() == 2


def test_issue_page_shows_the_blockers_and_refuses_with_the_reason(world, login):
    round_ = round_of(world)
    blocked = passed(world, world.in_a1, "CSTDCS", round_=round_)
    decision = services.draft_decision(actor=world.users["officer"], round=round_)
    client = login(world.users["officer"])

    page = client.get(f"/decisions/{decision.pk}/issue/")
    response = client.post(
        f"/decisions/{decision.pk}/issue/",
        {"signer": world.users["director"].pk, "signed_on": DATE},
    )

    assert [line.nomination_id for line, _reasons in page.context["blocked"]] == [blocked.pk]
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    decision.refresh_from_db()
    assert (decision.status, decision.number) == (DecisionStatus.DRAFT, None)


def test_issue_page_refuses_a_date_in_the_wrong_format(world, login):
    decision = draft_of(world)
    response = login(world.users["officer"]).post(
        f"/decisions/{decision.pk}/issue/",
        {"signer": world.users["director"].pk, "signed_on": "2025-13-45"},
    )
    assert "signed_on" in response.context["form"].errors
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


def test_remove_lines_page_takes_the_ticked_lines_out(world, login):
    decision = draft_of(world)
    first = decision.lines.order_by("pk").first()

    response = login(world.users["officer"]).post(
        f"/decisions/{decision.pk}/remove-lines/", {"lines": [first.pk]}
    )

    assert response["Location"] == f"/decisions/{decision.pk}/"
    assert (
        list(decision.lines.values_list("pk", flat=True)) != []
        and not decision.lines.filter(pk=first.pk).exists()
    )


def test_correct_page_drops_the_ticked_line(world, login):
    old = issued_of(world)
    dropped = old.lines.get(person=world.colleague)

    response = login(world.users["officer"]).post(
        f"/decisions/{old.pk}/correct/",
        {"reason": "Sai đối tượng", "signer": world.users["director"].pk, "signed_on": DATE,
         "remove_lines": [dropped.pk]},
    )  # fmt: skip

    new = Decision.objects.get(replaces=old)
    assert response["Location"] == f"/decisions/{new.pk}/"
    assert list(new.lines.values_list("person", flat=True)) == [world.in_a1.pk]
    dropped.award.refresh_from_db()
    assert dropped.award.status == AwardStatus.REVOKED


def test_revoke_page_revokes_the_decision(world, login):
    decision = issued_of(world)
    login(world.users["director"]).post(
        f"/decisions/{decision.pk}/revoke/", {"reason": "Thu hồi theo kết luận thanh tra"}
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.REVOKED
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.REVOKED}


def test_submission_pages_create_send_and_record_the_outside_decision(world, login):
    round_ = round_with_passed(world)
    client = login(world.users["officer"])

    client.post(f"/decisions/rounds/{round_.pk}/submission/", {"authority": "Chủ tịch UBND tỉnh"})
    submission = round_.submissions.get()
    client.post(
        f"/decisions/submissions/{submission.pk}/send/",
        {"signer": world.users["director"].pk, "sent_on": DATE},
    )
    [line] = submission.lines.all()
    response = client.post(
        f"/decisions/submissions/{submission.pk}/outside-decision/",
        {"number": "45/QĐ-UBND", "date": "10/03/2025", "authority": "Chủ tịch UBND tỉnh",
         f"n{line.nomination_id}": "on"},
    )  # fmt: skip

    submission.refresh_from_db()
    assert response["Location"] == f"/decisions/submissions/{submission.pk}/"
    assert (submission.status, str(submission)) == (SubmissionStatus.ANSWERED, "1/TTr-STN")
    assert Nomination.objects.get(pk=line.nomination_id).state == NominationState.AWARDED
    assert Award.objects.get().decision_number == "45/QĐ-UBND"


def test_outside_decision_page_unticked_means_refused(world, login):
    submission = sent_submission_of(world)
    [line] = submission.lines.all()
    login(world.users["admin"]).post(
        f"/decisions/submissions/{submission.pk}/outside-decision/",
        {"number": "45/QĐ-UBND", "date": "10/03/2025", "authority": "Chủ tịch UBND tỉnh"},
    )
    assert Nomination.objects.get(pk=line.nomination_id).state == NominationState.REFUSED
    assert Award.objects.count() == 0


def test_submission_send_page_on_a_sent_submission_goes_back(world, login):
    submission = sent_submission_of(world)
    response = login(world.users["officer"]).get(f"/decisions/submissions/{submission.pk}/send/")
    assert response["Location"] == f"/decisions/submissions/{submission.pk}/"


def test_submission_page_shows_its_nominations(world, login):
    submission = draft_submission_of(world)
    groups = (
        login(world.users["officer"])
        .get(f"/decisions/submissions/{submission.pk}/")
        .context["groups"]
    )
    assert [(g.title, [line.who.unit for line in g.lines]) for g in groups] == [
        ("TTLDXS", [world.unit_b])
    ]
