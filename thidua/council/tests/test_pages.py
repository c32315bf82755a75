"""The council pages: what they save, what they show, who is refused, and their query counts.

Personas (thidua/conftest.py): the officer manages; the director chairs and the `council`
persona holds a seat; further members hoidong1… come from builders.py.
"""

import pytest

from thidua.audit.models import AuditAction, AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.council import services
from thidua.council.models import (
    Ballot,
    Council,
    Meeting,
    MeetingStatus,
    MemberRole,
    VoteChoice,
    VotingMethod,
)
from thidua.council.tests.builders import (
    checked,
    closed_meeting,
    make_council,
    make_meeting,
    member_user,
    planned_meeting,
    voting_meeting,
)
from thidua.rounds.models import NominationState
from thidua.testing import RoundFactory


def _url(name: str, meeting) -> str:
    return f"/council/meetings/{meeting.pk}/{name}/"


# --- council and members ----------------------------------------------------------------------


def test_setup_page_sets_up_the_council_with_the_director_as_chair(world, login):
    member = member_user(world, 1)
    response = login(world.users["officer"]).post(
        "/council/setup/",
        {"name": "Hội đồng TĐKT Sở", "established_by": "15/QĐ-STNMT",
         "chair": world.users["director"].pk, "secretary": world.users["council"].pk,
         "members": [member.pk]},
    )  # fmt: skip
    council = Council.objects.get()
    assert response["Location"] == "/council/"
    assert set(council.members.values_list("user__username", "role")) == {
        ("giamdoc", MemberRole.CHAIR), ("hoidong", MemberRole.SECRETARY),
        ("hoidong1", MemberRole.MEMBER),
    }  # fmt: skip


def test_setup_page_offers_only_directors_as_chair(world, login):
    response = login(world.users["officer"]).get("/council/setup/")
    chairs = [pk for pk, _label in response.context["form"].fields["chair"].choices if pk]
    assert chairs == [world.users["director"].pk]


def test_members_page_adds_and_removes_a_member(world, login):
    council = make_council(world)
    new = member_user(world, 3)
    client = login(world.users["officer"])

    client.post("/council/members/", {"user": new.pk, "role": "VICE_CHAIR"})
    seat = council.members.get(user=new)
    client.post(f"/council/members/{seat.pk}/remove/")

    seat.refresh_from_db()
    assert (seat.role, seat.active) == (MemberRole.VICE_CHAIR, False)


def test_home_lists_members_chair_first(world, login):
    make_council(world, extra=2)
    response = login(world.users["council"]).get("/council/")
    roles = [m.role for m in response.context["members"]]
    assert roles[0] == MemberRole.CHAIR and len(roles) == 4
    assert response.context["can_manage"] is False


def test_home_queries_do_not_grow_with_members_and_meetings(
    world, login, django_assert_max_num_queries
):
    council = make_council(world, extra=1)
    make_meeting(world, council)
    client = login(world.users["officer"])
    with django_assert_max_num_queries(30) as few:
        client.get("/council/")
    services.add_member(actor=world.users["officer"], council=council,
                        user=member_user(world, 5), role="MEMBER")  # fmt: skip
    for _ in range(5):
        make_meeting(world, council)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/council/")
    assert (len(response.context["members"]), len(response.context["meetings"])) == (4, 6)


# --- meetings, agenda, attendance -------------------------------------------------------------


def test_meeting_create_schedules_in_local_time(world, login):
    make_council(world)
    round = RoundFactory(agency=world.agency)
    response = login(world.users["officer"]).post(
        "/council/meetings/new/",
        {"round": round.pk, "date": "20/12/2024", "time": "06:30", "place": "Phòng họp",
         "method": "PAPER"},
    )  # fmt: skip
    meeting = Meeting.objects.get()
    assert response["Location"] == _url("agenda", meeting)
    assert (str(meeting).endswith("20/12/2024"), meeting.method) == (True, VotingMethod.PAPER)


def test_agenda_page_puts_ticked_nominations_on_the_agenda(world, login):
    meeting = make_meeting(world)
    chosen, left = (checked(world, round=meeting.round) for _ in range(2))
    login(world.users["officer"]).post(_url("agenda", meeting), {"nominations": [chosen.pk]})

    chosen.refresh_from_db()
    left.refresh_from_db()
    assert list(meeting.items.values_list("nomination", "threshold_percent")) == [(chosen.pk, 80)]
    assert (chosen.state, left.state) == (NominationState.BEFORE_COUNCIL, NominationState.CHECKED)


def test_agenda_page_puts_every_checked_nomination_at_once(world, login):
    meeting = make_meeting(world)
    noms = [checked(world, round=meeting.round) for _ in range(3)]
    checked(world)  # another round: not offered
    login(world.users["officer"]).post(_url("agenda", meeting), {"everything": "1"})
    assert set(meeting.items.values_list("nomination", flat=True)) == {n.pk for n in noms}


def test_agenda_remove_sends_the_nomination_back_to_checked(world, login):
    meeting = planned_meeting(world)
    item = meeting.items.get()
    login(world.users["officer"]).post(f"/council/agenda/{item.pk}/remove/")
    item.nomination.refresh_from_db()
    assert (meeting.items.count(), item.nomination.state) == (0, NominationState.CHECKED)


def test_agenda_page_queries_do_not_grow(world, login, django_assert_max_num_queries):
    meeting = planned_meeting(world, nominations=1)
    checked(world, round=meeting.round)
    client = login(world.users["officer"])
    with django_assert_max_num_queries(40) as few:
        client.get(_url("agenda", meeting))
    services.set_agenda(actor=world.users["officer"], meeting=meeting,
                        nominations=[checked(world, round=meeting.round) for _ in range(5)])  # fmt: skip
    for _ in range(5):
        checked(world, round=meeting.round)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_url("agenda", meeting))
    assert (len(response.context["items"]), len(response.context["candidates"])) == (6, 6)


def test_attendance_page_records_who_is_present(world, login):
    meeting = make_meeting(world, make_council(world, extra=1))
    director = meeting.council.members.get(role=MemberRole.CHAIR)
    login(world.users["officer"]).post(_url("attendance", meeting), {"present": [director.pk]})
    assert dict(meeting.attendance.values_list("member__user__username", "present")) == {
        "giamdoc": True, "hoidong": False, "hoidong1": False,
    }  # fmt: skip


def test_open_without_quorum_shows_why_and_stays_planned(world, login):
    meeting = make_meeting(world, make_council(world, extra=4))
    services.set_agenda(actor=world.users["officer"], meeting=meeting,
                        nominations=[checked(world, round=meeting.round)])  # fmt: skip
    response = login(world.users["officer"]).post(_url("open", meeting), follow=True)
    meeting.refresh_from_db()
    shown = [m.level_tag for m in response.context["messages"]]
    assert (meeting.status, shown) == (MeetingStatus.PLANNED, ["error"])


def test_meeting_page_shows_results_per_title_once_closed(world, login):
    meeting = voting_meeting(world)
    item = meeting.items.get()
    for name in ("director", "council"):
        services.cast_vote(actor=world.users[name], meeting=meeting, item=item, choice="YES")
    login(world.users["officer"]).post(_url("close", meeting), {"confirm": "1"})

    response = login(world.users["director"]).get(f"/council/meetings/{meeting.pk}/")

    [group] = response.context["results"]
    assert (group.title, [(i.yes, i.passed) for i in group.items]) == ("CSTDCS", [(2, True)])


@pytest.mark.parametrize("status", ["PLANNED", "VOTING", "CLOSED"])
def test_meeting_page_queries_do_not_grow_with_the_agenda(
    world, login, django_assert_max_num_queries, status
):
    def page(n: int, limit: int):
        meeting = {"PLANNED": planned_meeting, "VOTING": voting_meeting,
                   "CLOSED": closed_meeting}[status](world, nominations=n)  # fmt: skip
        client = login(world.users["officer"])
        with django_assert_max_num_queries(limit) as ctx:
            client.get(f"/council/meetings/{meeting.pk}/")
        meeting.council.active = False  # the next meeting gets a council of its own
        meeting.council.save(update_fields=["active"])
        return len(ctx.captured_queries)

    few = page(1, 40)
    page(6, few)


# --- the ballot -------------------------------------------------------------------------------


def test_ballot_page_records_the_members_choices(world, login):
    meeting = voting_meeting(world, nominations=2)
    first, second = meeting.items.all()
    response = login(world.users["council"]).post(
        _url("ballot", meeting),
        {f"c{first.pk}": "YES", f"c{second.pk}": "ABSTAIN", f"r{second.pk}": "Cần thêm hồ sơ"},
    )
    assert response["Location"] == _url("ballot", meeting)
    assert set(Ballot.objects.values_list("item", "choice", "reason")) == {
        (first.pk, "YES", ""), (second.pk, "ABSTAIN", "Cần thêm hồ sơ"),
    }  # fmt: skip


def test_ballot_page_refuses_abstain_without_reason(world, login):
    meeting = voting_meeting(world)
    item = meeting.items.get()
    response = login(world.users["council"]).post(
        _url("ballot", meeting), {f"c{item.pk}": "ABSTAIN", f"r{item.pk}": "  "}
    )
    assert (response.status_code, Ballot.objects.count()) == (200, 0)
    assert f"r{item.pk}" in response.context["form"].errors


def test_ballot_page_shows_only_the_members_own_choice(world, login):
    meeting = voting_meeting(world)
    item = meeting.items.get()
    services.cast_vote(actor=world.users["director"], meeting=meeting, item=item, choice="NO")

    response = login(world.users["council"]).get(_url("ballot", meeting))

    assert [row.choice for row in response.context["mine"].rows] == [""]
    assert response.context["form"][f"c{item.pk}"].value() in ("", None)


def test_ballot_page_flags_recused_items_with_the_reason(world, login):
    council = make_council(world, extra=2)
    meeting = make_meeting(world, council)
    member = council.members.get(user__username="hoidong1")
    own = checked(world, person=member.person, round=meeting.round)
    other = checked(world, round=meeting.round)
    services.set_agenda(actor=world.users["officer"], meeting=meeting, nominations=[own, other])
    services.record_attendance(actor=world.users["officer"], meeting=meeting,
                               present_member_ids=list(council.members.values_list("pk", flat=True)))  # fmt: skip
    services.open_ballot(actor=world.users["officer"], meeting=meeting)

    response = login(member.user).get(_url("ballot", meeting))

    assert [row.item.nomination_id for row in response.context["recused"]] == [own.pk]
    assert [i.nomination_id for i in response.context["form"].items] == [other.pk]


@pytest.mark.parametrize(("persona", "status"), [("officer", 403), ("admin", 403), ("head", 404),
                                                 ("other", 404)])  # fmt: skip
def test_forged_vote_by_a_non_member_is_refused_and_logged(world, login, persona, status):
    meeting = voting_meeting(world)
    item = meeting.items.get()

    response = login(world.users[persona]).post(_url("ballot", meeting), {f"c{item.pk}": "YES"})

    denied = AuditEntry.objects.filter(action=AuditAction.DENIED)
    assert (response.status_code, Ballot.objects.count()) == (status, 0)
    assert list(denied.values_list("actor", "object_id", "agency")) == [
        (world.users[persona].pk, str(meeting.pk), world.agency.pk)
    ]


def test_forged_vote_on_a_recused_item_is_refused_and_logged(world, login):
    council = make_council(world, extra=2)
    meeting = make_meeting(world, council)
    member = council.members.get(user__username="hoidong1")
    own = checked(world, person=member.person, round=meeting.round)
    other = checked(world, round=meeting.round)
    services.set_agenda(actor=world.users["officer"], meeting=meeting, nominations=[own, other])
    services.record_attendance(actor=world.users["officer"], meeting=meeting,
                               present_member_ids=list(council.members.values_list("pk", flat=True)))  # fmt: skip
    services.open_ballot(actor=world.users["officer"], meeting=meeting)
    own_item = meeting.items.get(nomination=own)

    # The page offers no field for a recused item; a forged field is ignored and nothing else
    # was chosen, so the form answers with an error and writes nothing.
    response = login(member.user).post(_url("ballot", meeting), {f"c{own_item.pk}": "YES"})
    assert (response.status_code, Ballot.objects.exclude(choice="RECUSED").count()) == (200, 0)
    # Through the service (as the API would), the refusal is logged.
    with pytest.raises(BusinessRuleError):
        services.cast_vote(actor=member.user, meeting=meeting, item=own_item, choice="YES")
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, actor=member.user).count() == 1


def test_ballot_page_queries_do_not_grow(world, login, django_assert_max_num_queries):
    def page(n: int, limit: int) -> int:
        meeting = voting_meeting(world, nominations=n)
        for item in meeting.items.all():
            services.cast_vote(actor=world.users["council"], meeting=meeting, item=item,
                               choice=VoteChoice.YES)  # fmt: skip
        client = login(world.users["council"])
        with django_assert_max_num_queries(limit) as ctx:
            client.get(_url("ballot", meeting))
        meeting.council.active = False
        meeting.council.save(update_fields=["active"])
        return len(ctx.captured_queries)

    page(6, page(1, 40))


# --- written votes and paper tally ------------------------------------------------------------


def _with_absent(w):
    meeting = planned_meeting(w, extra=2)
    here = meeting.council.members.exclude(user__username="hoidong2").values_list("pk", flat=True)
    services.record_attendance(actor=w.users["officer"], meeting=meeting,
                               present_member_ids=list(here))  # fmt: skip
    services.open_ballot(actor=w.users["officer"], meeting=meeting)
    return meeting, meeting.attendance.get(member__user__username="hoidong2")


def test_written_votes_page_enters_an_absent_members_vote(world, login):
    meeting, row = _with_absent(world)
    item = meeting.items.get()
    response = login(world.users["officer"]).post(
        f"/council/attendance/{row.pk}/written/", {f"c{item.pk}": "NO"}
    )
    assert response["Location"] == f"/council/meetings/{meeting.pk}/"
    assert list(Ballot.objects.values_list("member", "choice", "source", "entered_by")) == [
        (row.member_id, "NO", "WRITTEN", world.users["officer"].pk)
    ]


def test_written_votes_page_refuses_a_member_present(world, login):
    meeting, _row = _with_absent(world)
    present = meeting.attendance.get(member__user__username="hoidong1")
    item = meeting.items.get()
    response = login(world.users["officer"]).post(
        f"/council/attendance/{present.pk}/written/", {f"c{item.pk}": "NO"}
    )
    assert (response.status_code, Ballot.objects.count()) == (200, 0)


def test_paper_tally_page_shows_the_error_and_saves_nothing(world, login):
    meeting = voting_meeting(world, method=VotingMethod.PAPER)  # 2 members
    item = meeting.items.get()
    response = login(world.users["officer"]).post(
        _url("tally", meeting), {f"y{item.pk}": "2", f"n{item.pk}": "1", f"a{item.pk}": "0"}
    )
    item.refresh_from_db()
    assert (response.status_code, item.yes) == (200, 0)
    assert f"y{item.pk}" in response.context["form"].errors


def test_paper_tally_page_then_close_gives_the_result(world, login):
    meeting = voting_meeting(world, method=VotingMethod.PAPER)
    item = meeting.items.get()
    client = login(world.users["officer"])
    client.post(
        _url("tally", meeting), {f"y{item.pk}": "2", f"n{item.pk}": "0", f"a{item.pk}": "0"}
    )
    client.post(_url("close", meeting), {"confirm": "1"})
    item.refresh_from_db()
    assert (item.yes, item.passed, item.nomination.state) == (2, True, NominationState.PASSED)


def test_close_needs_the_officers_confirmation(world, login):
    meeting = voting_meeting(world)
    login(world.users["officer"]).post(_url("close", meeting))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.VOTING
