"""Closing the ballot: exact thresholds on the base of all members, ties, nominations moved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.core.errors import BusinessRuleError
from thidua.council import selectors, services
from thidua.council.models import VoteChoice, VotingMethod
from thidua.council.services import tally
from thidua.council.tests.builders import (
    checked,
    make_council,
    make_meeting,
    planned_meeting,
    set_setting,
    voting_meeting,
)
from thidua.rounds.models import NominationState, NominationStep
from thidua.rounds.services import transition

YES, NO, ABSTAIN = VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN


# --- the arithmetic ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "total", "threshold", "passed"),
    [
        (6, 7, 80, True),  # 85.7 %
        (5, 7, 80, False),  # 71.4 %
        (9, 10, 90, True),
        (8, 10, 90, False),
        (8, 10, 80, True),  # exactly 80 %: "từ 80 %" includes it
        (27, 30, 90, True),  # exactly 90 %
        (26, 30, 90, False),  # 86.7 %
    ],
)
def test_tally_threshold_is_exact_on_all_members(yes, total, threshold, passed):
    result = tally(yes=yes, no=0, abstain=0, recused=0, total=total, threshold=threshold)
    assert (result.passed, result.not_voted) == (passed, total - yes)


def test_tally_without_a_vote_needed_passes():
    result = tally(yes=0, no=0, abstain=0, recused=0, total=7, threshold=0)
    assert (result.passed, result.not_voted) == (True, 7)


@pytest.mark.parametrize(
    ("chair", "passed"), [(YES, True), (NO, False), (ABSTAIN, False), (None, False)]
)
def test_tally_tie_follows_the_chair_where_it_can_reach_the_threshold(chair, passed):
    result = tally(yes=5, no=5, abstain=0, recused=0, total=10, threshold=50, chair_choice=chair)
    assert result.passed is passed


def test_tally_tie_short_of_the_threshold_fails_whatever_the_chair():
    result = tally(yes=2, no=2, abstain=0, recused=0, total=10, threshold=40, chair_choice=YES)
    assert result.passed is False


def test_tally_note_gives_the_share_with_a_decimal():
    note = tally(yes=6, no=1, abstain=0, recused=0, total=7, threshold=80).note
    assert "6/7" in note and "80" in note and ("85,7" in note or "85.7" in note)


# --- closing a real ballot --------------------------------------------------------------------


def _vote(meeting, usernames, item, choice):
    for name in usernames:
        user = meeting.council.members.get(user__username=name).user
        services.cast_vote(actor=user, meeting=meeting, item=item, choice=choice, reason="x")


def _written(w, meeting, usernames, item, choice):
    for name in usernames:
        member = meeting.council.members.get(user__username=name)
        services.enter_written_votes(
            actor=w.users["officer"],
            meeting=meeting,
            member=member,
            choices={item.pk: (choice, "")},
        )


def _seven_members_five_present(w, nominations: int = 2):
    """7 members: 5 present (director, council, hoidong1–3), hoidong4–5 absent."""
    meeting = planned_meeting(w, extra=5, nominations=nominations)
    ids = meeting.council.members.exclude(user__username__in=["hoidong4", "hoidong5"])
    services.record_attendance(
        actor=w.users["officer"], meeting=meeting,
        present_member_ids=list(ids.values_list("pk", flat=True)),
    )  # fmt: skip
    return services.open_ballot(actor=w.users["officer"], meeting=meeting)


def test_close_ballot_six_of_seven_passes_five_fails(world):
    meeting = _seven_members_five_present(world)
    first, second = meeting.items.all()
    present = ["giamdoc", "hoidong", "hoidong1", "hoidong2", "hoidong3"]
    _vote(meeting, present, first, YES)
    _written(world, meeting, ["hoidong4"], first, YES)
    _written(world, meeting, ["hoidong5"], first, NO)  # 6 yes, 1 no
    _vote(meeting, present[:4], second, YES)
    _vote(meeting, present[4:], second, ABSTAIN)
    _written(world, meeting, ["hoidong4"], second, YES)  # 5 yes, 1 abstain, 1 did not vote

    services.close_ballot(actor=world.users["officer"], meeting=meeting)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.yes, first.no, first.abstain, first.not_voted, first.passed) == (6, 1, 0, 0, True)
    assert (second.yes, second.abstain, second.not_voted, second.passed) == (5, 1, 1, False)
    states = {
        i.nomination_id: i.nomination.state for i in meeting.items.select_related("nomination")
    }
    assert states == {
        first.nomination_id: NominationState.PASSED,
        second.nomination_id: NominationState.NOT_PASSED,
    }


def test_close_ballot_base_is_all_members_not_those_present(world):
    meeting = _seven_members_five_present(world, nominations=1)
    item = meeting.items.get()
    _vote(meeting, ["giamdoc", "hoidong", "hoidong1", "hoidong2", "hoidong3"], item, YES)

    services.close_ballot(actor=world.users["officer"], meeting=meeting)

    item.refresh_from_db()
    # Everyone present agreed, but 5 of 7 members is 71.4 % < 80 %.
    assert (item.yes, item.not_voted, item.passed) == (5, 2, False)


def test_close_ballot_ninety_percent_of_ten_members(world):
    meeting = make_meeting(world, make_council(world, extra=8))
    nine = checked(world, round=meeting.round, title="CSTD_TINH")
    eight = checked(world, round=meeting.round, title="CSTD_TINH")
    services.set_agenda(actor=world.users["officer"], meeting=meeting, nominations=[nine, eight])
    everyone = list(meeting.council.members.values_list("pk", flat=True))
    services.record_attendance(actor=world.users["officer"], meeting=meeting,
                               present_member_ids=everyone)  # fmt: skip
    services.open_ballot(actor=world.users["officer"], meeting=meeting)
    names = ["giamdoc", "hoidong"] + [f"hoidong{n}" for n in range(1, 9)]
    items = {i.nomination_id: i for i in meeting.items.all()}
    _vote(meeting, names[:9], items[nine.pk], YES)
    _vote(meeting, names[9:], items[nine.pk], NO)
    _vote(meeting, names[:8], items[eight.pk], YES)
    _vote(meeting, names[8:], items[eight.pk], NO)

    services.close_ballot(actor=world.users["officer"], meeting=meeting)

    result = {i.nomination_id: (i.threshold_percent, i.yes, i.passed) for i in meeting.items.all()}
    assert result == {nine.pk: (90, 9, True), eight.pk: (90, 8, False)}


@pytest.mark.parametrize(("chair", "passed"), [(YES, True), (NO, False), (None, False)])
def test_close_ballot_tie_follows_the_chair(world, chair, passed):
    # Giấy khen at 40 % (agency setting), 5 members: 2 against 2 reaches 40 %.
    set_setting(world.agency, "gk_vote_percent", 40)
    meeting = planned_meeting(world, extra=3, nominations=0)
    gk = checked(world, round=meeting.round, title="GK")
    services.set_agenda(actor=world.users["officer"], meeting=meeting, nominations=[gk])
    services.open_ballot(actor=world.users["officer"], meeting=meeting)
    item = meeting.items.get()
    assert item.threshold_percent == 40
    if chair is None:
        _vote(meeting, ["hoidong", "hoidong1"], item, YES)
        _vote(meeting, ["hoidong2", "hoidong3"], item, NO)
    else:
        _vote(meeting, ["giamdoc"], item, chair)
        _vote(meeting, ["hoidong"], item, chair)
        _vote(meeting, ["hoidong1", "hoidong2"], item, NO if chair == YES else YES)

    services.close_ballot(actor=world.users["officer"], meeting=meeting)

    item.refresh_from_db()
    assert (item.yes, item.no, item.passed) == (2, 2, passed)


def test_close_ballot_passes_titles_without_a_vote_and_gives_reasons(world):
    meeting = planned_meeting(world, nominations=0)
    ldtt = checked(world, round=meeting.round, title="LDTT")
    services.set_agenda(actor=world.users["officer"], meeting=meeting, nominations=[ldtt])
    services.open_ballot(actor=world.users["officer"], meeting=meeting)

    services.close_ballot(actor=world.users["officer"], meeting=meeting)

    item = meeting.items.get()
    step = NominationStep.objects.filter(nomination=ldtt).last()
    assert (item.threshold_percent, item.passed) == (0, True)
    assert (step.from_state, step.to_state, step.reason) == (
        NominationState.BEFORE_COUNCIL, NominationState.PASSED, item.result_note,
    )  # fmt: skip


def test_close_ballot_leaves_a_withdrawn_nomination_where_it_is(world):
    meeting = voting_meeting(world, nominations=2)
    first, second = meeting.items.select_related("nomination")
    transition(actor=world.users["officer"], nomination=first.nomination, to="WITHDRAWN")

    services.close_ballot(actor=world.users["officer"], meeting=meeting)

    first.nomination.refresh_from_db()
    second.nomination.refresh_from_db()
    assert (first.nomination.state, second.nomination.state) == ("WITHDRAWN", "NOT_PASSED")


def test_close_ballot_of_paper_uses_the_tally(world):
    meeting = voting_meeting(world, extra=5, method=VotingMethod.PAPER)
    item = meeting.items.get()
    services.enter_paper_tally(
        actor=world.users["officer"], meeting=meeting, tallies={item.pk: (6, 1, 0)}
    )

    services.close_ballot(actor=world.users["officer"], meeting=meeting)

    item.refresh_from_db()
    item.nomination.refresh_from_db()
    assert (item.yes, item.no, item.passed, item.nomination.state) == (6, 1, True, "PASSED")


def test_close_ballot_of_paper_needs_the_tally(world):
    meeting = voting_meeting(world, method=VotingMethod.PAPER)
    with pytest.raises(BusinessRuleError) as err:
        services.close_ballot(actor=world.users["officer"], meeting=meeting)
    assert err.value.code == "no_tally"


def test_close_ballot_queries_do_not_grow_with_the_agenda(world):
    def closing_queries(n: int) -> int:
        meeting = voting_meeting(world, nominations=n)
        for item in meeting.items.all():
            _vote(meeting, ["giamdoc", "hoidong"], item, YES)
        with CaptureQueriesContext(connection) as ctx:
            services.close_ballot(actor=world.users["officer"], meeting=meeting)
        meeting.council.active = False  # the next meeting gets a council of its own
        meeting.council.save(update_fields=["active"])
        return len(ctx.captured_queries)

    assert closing_queries(2) == closing_queries(8)


def test_meeting_results_group_items_by_title(world):
    meeting = planned_meeting(world, nominations=1)
    ldtt = checked(world, round=meeting.round, title="LDTT")
    services.set_agenda(actor=world.users["officer"], meeting=meeting, nominations=[ldtt])
    services.open_ballot(actor=world.users["officer"], meeting=meeting)
    services.close_ballot(actor=world.users["officer"], meeting=meeting)
    meeting.refresh_from_db()

    groups = selectors.meeting_results(meeting)

    assert [(g.title, len(g.items), g.passed) for g in groups] == [
        ("LDTT", 1, 1),
        ("CSTDCS", 1, 0),
    ]
