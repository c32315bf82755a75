"""Opening the ballot (quorum, conflicts), votes, written votes and the paper tally.

A council of 7 unless said: the director (chair), the `council` persona and 5 members
hoidong1…5 with staff records in PB (Thanh tra Sở).
"""

import pytest

from thidua.audit.models import AuditAction, AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.council import selectors, services
from thidua.council.models import (
    Attendance,
    Ballot,
    MeetingStatus,
    VoteChoice,
    VoteSource,
    VotingMethod,
)
from thidua.council.tests.builders import (
    checked,
    make_council,
    make_meeting,
    planned_meeting,
    set_setting,
    voting_meeting,
)
from thidua.notifications.models import Notification, NotificationKind
from thidua.testing import PersonFactory, UnitFactory

YES, NO, ABSTAIN = VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN


def _user(w, name):
    return w.users[name] if name in w.users else w.agency.users.get(username=name)


def _present(w, meeting, usernames):
    ids = meeting.council.members.filter(user__username__in=usernames).values_list("pk", flat=True)
    services.record_attendance(
        actor=w.users["officer"], meeting=meeting, present_member_ids=list(ids)
    )


# --- quorum -----------------------------------------------------------------------------------


def test_open_ballot_with_quorum_fixes_the_base(world):
    meeting = planned_meeting(world, extra=5)
    _present(world, meeting, ["giamdoc", "hoidong", "hoidong1", "hoidong2", "hoidong3"])

    services.open_ballot(actor=world.users["officer"], meeting=meeting)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.members_total, meeting.present_count) == ("VOTING", 7, 5)
    assert (meeting.quorum_percent, meeting.quorum_met) == (67, True)
    absent = set(
        Attendance.objects.filter(meeting=meeting, present=False).values_list(
            "member__user__username", flat=True
        )
    )
    assert absent == {"hoidong4", "hoidong5"}


def test_open_ballot_without_quorum_is_refused_with_the_numbers(world):
    meeting = planned_meeting(world, extra=5)
    _present(world, meeting, ["giamdoc", "hoidong", "hoidong1", "hoidong2"])

    with pytest.raises(BusinessRuleError) as err:
        services.open_ballot(actor=world.users["officer"], meeting=meeting)

    meeting.refresh_from_db()
    assert (err.value.code, meeting.status, Ballot.objects.count()) == ("no_quorum", "PLANNED", 0)
    # 4 present of 7; 5 needed (67 % of 7 = 4.69 → 5).
    assert all(n in err.value.message for n in ("4", "7", "5", "67"))


@pytest.mark.parametrize(
    ("total", "present", "percent", "met"),
    [
        (7, 5, 67, True),
        (7, 4, 67, False),
        (6, 4, 67, True),  # exactly two thirds: the default 67 means 2/3
        (3, 2, 67, True),
        (9, 5, 67, False),
        (10, 5, 50, True),
        (10, 4, 50, False),
        (10, 7, 70, True),
        (10, 6, 70, False),
    ],
)
def test_quorum_is_exact(total, present, percent, met):
    assert selectors.quorum_met(present, total, percent) is met
    needed = selectors.quorum_needed(total, percent)
    assert (
        selectors.quorum_met(needed, total, percent),
        selectors.quorum_met(needed - 1, total, percent),
    ) == (True, False)


def test_open_ballot_quorum_follows_the_agency_setting(world):
    set_setting(world.agency, "council_quorum_percent", 50)
    meeting = planned_meeting(world, extra=2)  # 4 members
    _present(world, meeting, ["giamdoc", "hoidong"])

    services.open_ballot(actor=world.users["officer"], meeting=meeting)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.quorum_percent, meeting.present_count) == ("VOTING", 50, 2)


def test_open_ballot_notifies_every_member_with_their_ballot(world):
    meeting = voting_meeting(world, extra=1)
    notes = Notification.objects.filter(kind=NotificationKind.BALLOT_OPENED)
    assert {n.user.username for n in notes} == {"giamdoc", "hoidong", "hoidong1"}
    assert {n.url for n in notes} == {f"/council/meetings/{meeting.pk}/ballot/"}


def test_open_ballot_refuses_an_empty_agenda(world):
    meeting = planned_meeting(world, nominations=0)
    with pytest.raises(BusinessRuleError) as err:
        services.open_ballot(actor=world.users["officer"], meeting=meeting)
    assert err.value.code == "no_agenda"


# --- conflicts --------------------------------------------------------------------------------


def _recused(meeting) -> set[tuple[str, int]]:
    return set(
        Ballot.objects.filter(item__meeting=meeting, choice=VoteChoice.RECUSED).values_list(
            "member__user__username", "item__nomination_id"
        )
    )


def test_member_is_recused_from_their_own_nomination(world):
    set_setting(world.agency, "council_recuse_own_unit", False)
    council = make_council(world, extra=1)
    meeting = make_meeting(world, council)
    member = council.members.get(user__username="hoidong1")
    own = checked(world, person=member.person, round=meeting.round)
    other = checked(world, round=meeting.round)
    services.set_agenda(actor=world.users["officer"], meeting=meeting, nominations=[own, other])
    _present(world, meeting, ["giamdoc", "hoidong", "hoidong1"])

    services.open_ballot(actor=world.users["officer"], meeting=meeting)

    assert _recused(meeting) == {("hoidong1", own.pk)}


@pytest.mark.parametrize(
    ("member_unit", "nominating_unit", "setting", "recused"),
    [
        ("unit_b", "unit_b", True, True),  # the member's own unit
        ("unit_b", "unit_b", False, False),  # …unless the agency does not set it
        ("unit_a", "unit_a1", True, True),  # a branch of the member's unit
        ("unit_a1", "unit_a", True, True),  # the member's parent unit
        ("unit_a1", "sibling", True, False),  # another branch of the same office
        ("unit_a", "unit_b", True, False),  # an unrelated unit
    ],
)
def test_own_unit_recusal_follows_the_tree_and_the_setting(
    world, member_unit, nominating_unit, setting, recused
):
    set_setting(world.agency, "council_recuse_own_unit", setting)
    units = {
        "unit_a": world.unit_a,
        "unit_a1": world.unit_a1,
        "unit_b": world.unit_b,
        "sibling": UnitFactory(agency=world.agency, parent=world.unit_a, code="PA2"),
    }
    council = make_council(world, extra=1, units=[units[member_unit]])
    meeting = make_meeting(world, council)
    nominee = PersonFactory(unit=units[nominating_unit])
    nomination = checked(world, person=nominee, round=meeting.round)
    services.set_agenda(actor=world.users["officer"], meeting=meeting, nominations=[nomination])
    _present(world, meeting, ["giamdoc", "hoidong", "hoidong1"])

    services.open_ballot(actor=world.users["officer"], meeting=meeting)

    assert (("hoidong1", nomination.pk) in _recused(meeting)) is recused


def test_items_needing_no_vote_get_no_recusal(world):
    council = make_council(world, extra=1)
    meeting = make_meeting(world, council)
    member = council.members.get(user__username="hoidong1")
    ldtt = checked(world, person=member.person, round=meeting.round, title="LDTT")
    services.set_agenda(actor=world.users["officer"], meeting=meeting, nominations=[ldtt])
    _present(world, meeting, ["giamdoc", "hoidong", "hoidong1"])

    services.open_ballot(actor=world.users["officer"], meeting=meeting)

    assert _recused(meeting) == set()


# --- votes ------------------------------------------------------------------------------------


def _item(meeting):
    return meeting.items.get()


def test_cast_vote_writes_one_ballot_and_may_change_it(world):
    meeting = voting_meeting(world)
    item = _item(meeting)
    council = world.users["council"]

    services.cast_vote(actor=council, meeting=meeting, item=item, choice=YES)
    services.cast_vote(actor=council, meeting=meeting, item=item, choice=NO)

    ballots = list(Ballot.objects.filter(item=item).values_list("member__user", "choice", "source"))
    assert ballots == [(council.pk, NO, VoteSource.ONLINE)]


def test_cast_vote_abstain_needs_a_reason(world):
    meeting = voting_meeting(world)
    item = _item(meeting)

    with pytest.raises(BusinessRuleError) as err:
        services.cast_vote(actor=world.users["council"], meeting=meeting, item=item, choice=ABSTAIN)
    assert (err.value.field, Ballot.objects.count()) == (f"r{item.pk}", 0)

    services.cast_vote(
        actor=world.users["council"], meeting=meeting, item=item, choice=ABSTAIN,
        reason="Chưa đủ thông tin về sáng kiến",
    )  # fmt: skip
    assert Ballot.objects.get().reason == "Chưa đủ thông tin về sáng kiến"


def test_cast_votes_is_all_or_nothing(world):
    meeting = voting_meeting(world, nominations=2)
    first, second = meeting.items.all()

    with pytest.raises(BusinessRuleError):
        services.cast_votes(
            actor=world.users["council"], meeting=meeting,
            choices={first.pk: (YES, ""), second.pk: (ABSTAIN, "")},
        )  # fmt: skip

    assert Ballot.objects.count() == 0


@pytest.mark.parametrize("persona", ["officer", "admin", "head", "other"])
def test_cast_vote_by_a_non_member_is_refused_and_logged(world, persona):
    meeting = voting_meeting(world)
    actor = world.users[persona]

    with pytest.raises(BusinessRuleError) as err:
        services.cast_vote(actor=actor, meeting=meeting, item=_item(meeting), choice=YES)

    denied = AuditEntry.objects.filter(action=AuditAction.DENIED)
    assert (err.value.code, Ballot.objects.count()) == ("not_member", 0)
    assert list(denied.values_list("actor", "object_type", "object_id", "agency")) == [
        (actor.pk, "meeting", str(meeting.pk), world.agency.pk)
    ]


def test_cast_vote_by_a_member_who_left_is_refused(world):
    meeting = planned_meeting(world, extra=1)
    seat = meeting.council.members.get(user__username="hoidong1")
    services.remove_member(actor=world.users["officer"], member=seat)
    services.open_ballot(actor=world.users["officer"], meeting=meeting)

    with pytest.raises(BusinessRuleError) as err:
        services.cast_vote(actor=seat.user, meeting=meeting, item=_item(meeting), choice=YES)
    assert err.value.code == "not_member"


def test_cast_vote_on_a_recused_item_is_refused_and_logged(world):
    council = make_council(world, extra=1)
    meeting = make_meeting(world, council)
    member = council.members.get(user__username="hoidong1")
    own = checked(world, person=member.person, round=meeting.round)
    services.set_agenda(actor=world.users["officer"], meeting=meeting, nominations=[own])
    _present(world, meeting, ["giamdoc", "hoidong", "hoidong1"])
    services.open_ballot(actor=world.users["officer"], meeting=meeting)

    with pytest.raises(BusinessRuleError) as err:
        services.cast_vote(actor=member.user, meeting=meeting, item=_item(meeting), choice=YES)

    assert err.value.code == "recused"
    assert Ballot.objects.get(member=member).choice == VoteChoice.RECUSED
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, actor=member.user).count() == 1


@pytest.mark.parametrize("status", ["PLANNED", "CLOSED"])
def test_cast_vote_outside_the_open_ballot_is_refused(world, status):
    meeting = planned_meeting(world)
    if status == "CLOSED":
        services.open_ballot(actor=world.users["officer"], meeting=meeting)
        services.close_ballot(actor=world.users["officer"], meeting=meeting)

    with pytest.raises(BusinessRuleError) as err:
        services.cast_vote(
            actor=world.users["council"], meeting=meeting, item=_item(meeting), choice=YES
        )
    assert err.value.code == "wrong_status"


def test_absent_member_cannot_vote_online(world):
    meeting = planned_meeting(world, extra=2)
    _present(world, meeting, ["giamdoc", "hoidong", "hoidong2"])
    services.open_ballot(actor=world.users["officer"], meeting=meeting)

    with pytest.raises(BusinessRuleError) as err:
        services.cast_vote(
            actor=_user(world, "hoidong1"), meeting=meeting, item=_item(meeting), choice=YES
        )
    assert err.value.code == "absent"


# --- written votes ----------------------------------------------------------------------------


def _absent_meeting(w):
    meeting = planned_meeting(w, extra=2)
    _present(w, meeting, ["giamdoc", "hoidong", "hoidong1"])
    return services.open_ballot(actor=w.users["officer"], meeting=meeting)


def test_written_vote_of_an_absent_member_is_entered_by_the_officer(world):
    meeting = _absent_meeting(world)
    absent = meeting.council.members.get(user__username="hoidong2")
    item = _item(meeting)

    services.enter_written_votes(
        actor=world.users["officer"], meeting=meeting, member=absent,
        choices={item.pk: (YES, "")},
    )  # fmt: skip

    ballot = Ballot.objects.get()
    assert (ballot.member, ballot.source, ballot.entered_by, ballot.choice) == (
        absent, VoteSource.WRITTEN, world.users["officer"], YES,
    )  # fmt: skip


def test_written_vote_is_refused_for_a_member_present(world):
    meeting = _absent_meeting(world)
    present = meeting.council.members.get(user__username="hoidong1")

    with pytest.raises(BusinessRuleError) as err:
        services.enter_written_votes(
            actor=world.users["officer"], meeting=meeting, member=present,
            choices={_item(meeting).pk: (YES, "")},
        )  # fmt: skip
    assert (err.value.code, Ballot.objects.count()) == ("present", 0)


@pytest.mark.parametrize("persona", ["director", "council", "other"])
def test_written_vote_is_for_the_officer_only(world, persona):
    meeting = _absent_meeting(world)
    absent = meeting.council.members.get(user__username="hoidong2")

    with pytest.raises(BusinessRuleError) as err:
        services.enter_written_votes(
            actor=world.users[persona], meeting=meeting, member=absent,
            choices={_item(meeting).pk: (YES, "")},
        )  # fmt: skip
    assert err.value.code == "forbidden"


# --- paper tally ------------------------------------------------------------------------------


def _paper(w, **kw):
    return voting_meeting(w, method=VotingMethod.PAPER, **kw)


@pytest.mark.parametrize(
    "counts", [(-1, 0, 0), (3, 3, 2), ("x", 0, 0)], ids=["negative", "over", "nan"]
)
def test_paper_tally_refuses_impossible_counts(world, counts):
    meeting = _paper(world, extra=5)  # 7 members
    item = _item(meeting)

    with pytest.raises(BusinessRuleError) as err:
        services.enter_paper_tally(
            actor=world.users["officer"], meeting=meeting, tallies={item.pk: counts}
        )

    item.refresh_from_db()
    assert err.value.field == f"y{item.pk}"
    assert (item.yes, item.no, item.abstain) == (0, 0, 0)


def test_paper_tally_counts_recused_members_in_the_limit(world):
    council = make_council(world, extra=1)  # 3 members, hoidong1 recused from their own
    meeting = make_meeting(world, council, method=VotingMethod.PAPER)
    own = checked(world, person=council.members.get(user__username="hoidong1").person,
                  round=meeting.round)  # fmt: skip
    services.set_agenda(actor=world.users["officer"], meeting=meeting, nominations=[own])
    _present(world, meeting, ["giamdoc", "hoidong", "hoidong1"])
    services.open_ballot(actor=world.users["officer"], meeting=meeting)
    item = _item(meeting)

    with pytest.raises(BusinessRuleError):
        services.enter_paper_tally(
            actor=world.users["officer"], meeting=meeting, tallies={item.pk: (3, 0, 0)}
        )
    services.enter_paper_tally(
        actor=world.users["officer"], meeting=meeting, tallies={item.pk: (2, 0, 0)}
    )
    item.refresh_from_db()
    assert (item.yes, item.no, item.abstain) == (2, 0, 0)


def test_paper_tally_is_refused_for_an_online_ballot(world):
    meeting = voting_meeting(world)
    with pytest.raises(BusinessRuleError) as err:
        services.enter_paper_tally(
            actor=world.users["officer"], meeting=meeting, tallies={_item(meeting).pk: (1, 0, 0)}
        )
    assert err.value.code == "online"


# --- secrecy ----------------------------------------------------------------------------------


def test_my_ballot_shows_only_the_members_own_choices(world):
    meeting = voting_meeting(world, nominations=2)
    first, second = meeting.items.all()
    services.cast_vote(actor=world.users["director"], meeting=meeting, item=first, choice=NO)
    services.cast_vote(actor=world.users["council"], meeting=meeting, item=second, choice=YES)

    mine = selectors.my_ballot(world.users["council"], meeting)

    assert [(r.item.pk, r.choice) for r in mine.rows] == [(first.pk, ""), (second.pk, YES)]


def test_my_ballot_hides_even_own_choices_once_closed(world):
    meeting = voting_meeting(world)
    services.cast_vote(
        actor=world.users["council"], meeting=meeting, item=_item(meeting), choice=YES
    )
    services.close_ballot(actor=world.users["officer"], meeting=meeting)
    meeting.refresh_from_db()

    mine = selectors.my_ballot(world.users["council"], meeting)

    assert (mine.is_open, [r.choice for r in mine.rows]) == (False, [""])


def test_audit_rows_of_votes_never_hold_the_choice(world):
    meeting = voting_meeting(world)
    services.cast_vote(
        actor=world.users["council"], meeting=meeting, item=_item(meeting), choice=ABSTAIN,
        reason="Lý do riêng",
    )  # fmt: skip
    entry = AuditEntry.objects.filter(actor=world.users["council"]).get()
    text = f"{entry.changes} {entry.note} {entry.object_repr}"
    assert ("ABSTAIN" not in text, "Lý do riêng" not in text) == (True, True)
    assert meeting.status == MeetingStatus.VOTING
