"""Deadline reminders: who each deadline concerns, once per user and deadline, and the command."""

import datetime
import io
import re
import sys

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua import cli
from thidua.accounts.models import Role
from thidua.council.models import Council, CouncilMember, MemberRole
from thidua.notifications import services
from thidua.notifications.models import Notification, NotificationKind
from thidua.testing import RoundFactory, UnitFactory, make_user

TODAY = datetime.date(2025, 1, 13)


def _in(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


def _recipients(**filters) -> set[str]:
    return set(Notification.objects.filter(**filters).values_list("user__username", flat=True))


@pytest.fixture
def round_(world):
    return RoundFactory(agency=world.agency, year=2024)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("nominations_due", {"truong", "thiduakt"}),
        ("checks_due", {"thiduakt"}),
        ("council_due", {"thiduakt", "hoidong"}),
        ("decision_due", {"thiduakt", "giamdoc"}),
    ],
)
def test_remind_deadlines_reaches_the_people_each_deadline_concerns(world, round_, field, expected):
    setattr(round_, field, _in(2))
    round_.save()

    created = services.remind_deadlines(today=TODAY, days_ahead=3)

    assert {n.user.username for n in created} == expected
    assert _recipients(kind=NotificationKind.DEADLINE_NEAR) == expected
    assert {n.key for n in created} == {f"deadline:round {round_.pk}:{field}:2025-01-15"}


def test_remind_deadlines_sends_each_reminder_once(world, round_):
    round_.nominations_due = _in(3)
    round_.save()

    first = services.remind_deadlines(today=TODAY)
    next_day = services.remind_deadlines(today=_in(1))

    assert (len(first), next_day) == (2, [])
    assert Notification.objects.count() == 2


def test_remind_deadlines_reminds_again_when_the_deadline_moves(world, round_):
    round_.checks_due = _in(1)
    round_.save()
    services.remind_deadlines(today=TODAY)
    round_.checks_due = _in(2)
    round_.save()

    again = services.remind_deadlines(today=TODAY)

    assert [n.user.username for n in again] == ["thiduakt"]
    assert Notification.objects.filter(user=world.users["officer"]).count() == 2


@pytest.mark.parametrize(
    ("due_in", "days_ahead", "reminded"),
    [(0, 3, True), (3, 3, True), (4, 3, False), (-1, 3, False), (0, 0, True), (1, 0, False)],
)
def test_remind_deadlines_window_includes_today_and_excludes_passed_deadlines(
    world, round_, due_in, days_ahead, reminded
):
    round_.decision_due = _in(due_in)
    round_.save()

    created = services.remind_deadlines(today=TODAY, days_ahead=days_ahead)

    assert bool(created) == reminded


def test_remind_deadlines_skips_closed_rounds(world, round_):
    round_.nominations_due = _in(1)
    round_.status = "CLOSED"
    round_.save()

    assert services.remind_deadlines(today=TODAY) == []


def test_remind_deadlines_covers_every_deadline_of_a_round_at_once(world, round_):
    round_.nominations_due = round_.checks_due = _in(1)
    round_.council_due = _in(2)
    round_.decision_due = _in(10)
    round_.save()

    created = services.remind_deadlines(today=TODAY)

    by_key = {}
    for n in created:
        by_key.setdefault(n.key.split(":")[2], set()).add(n.user.username)
    assert by_key == {
        "nominations_due": {"truong", "thiduakt"},
        "checks_due": {"thiduakt"},
        "council_due": {"thiduakt", "hoidong"},
    }


def test_remind_deadlines_stays_within_the_rounds_agency(world, round_):
    round_.nominations_due = _in(1)
    round_.save()
    theirs = RoundFactory(agency=world.other_agency, nominations_due=_in(2))

    created = services.remind_deadlines(today=TODAY)

    by_round = {(n.key.split(":")[1], n.user.username) for n in created}
    assert by_round == {
        (f"round {round_.pk}", "truong"),
        (f"round {round_.pk}", "thiduakt"),
        (f"round {theirs.pk}", "bp.thiduakt"),
    }


def test_remind_deadlines_leaves_out_inactive_users_and_heads_of_dissolved_units(world, round_):
    round_.nominations_due = _in(1)
    round_.save()
    world.users["officer"].is_active = False
    world.users["officer"].save(update_fields=["is_active"])
    gone = UnitFactory(agency=world.agency, code="PCU", dissolved_on=datetime.date(2024, 6, 30))
    make_user(agency=world.agency, role=Role.UNIT_HEAD, unit=gone, username="truong.cu")

    created = services.remind_deadlines(today=TODAY)

    assert [n.user.username for n in created] == ["truong"]


def test_council_deadline_reaches_the_members_of_the_council_in_office(world, round_):
    round_.council_due = _in(1)
    round_.save()
    council = Council.objects.create(agency=world.agency, name="Hội đồng TĐKT Sở")
    CouncilMember.objects.create(
        council=council, user=world.users["director"], role=MemberRole.CHAIR
    )
    CouncilMember.objects.create(
        council=council, user=world.users["head"], role=MemberRole.MEMBER, active=False
    )
    old = Council.objects.create(agency=world.agency, name="Hội đồng cũ", active=False)
    CouncilMember.objects.create(council=old, user=world.users["staff"], role=MemberRole.MEMBER)

    created = services.remind_deadlines(today=TODAY)

    assert {n.user.username for n in created} == {"thiduakt", "hoidong", "giamdoc"}


def test_remind_deadlines_emails_after_commit(world, round_, django_capture_on_commit_callbacks):
    world.users["officer"].email = "thiduakt@x.vn"
    world.users["officer"].save(update_fields=["email"])
    round_.checks_due = _in(2)
    round_.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.remind_deadlines(today=TODAY)

    assert [m.to for m in mail.outbox] == [["thiduakt@x.vn"]]
    assert round_.name in mail.outbox[0].body
    assert "15/01/2025" in mail.outbox[0].body


def test_reminder_message_names_the_round_and_the_date(world, round_):
    round_.decision_due = _in(2)
    round_.save()

    note = services.remind_deadlines(today=TODAY)[0]

    assert round_.name in note.message and "15/01/2025" in note.message
    assert note.url == f"/rounds/{round_.pk}/"


def test_remind_deadlines_refuses_a_negative_window(world):
    with pytest.raises(ValueError):
        services.remind_deadlines(today=TODAY, days_ahead=-1)


# --- the command ------------------------------------------------------------------------------


def _run(*args, **options) -> str:
    out = io.StringIO()
    call_command("remind_deadlines", *args, stdout=out, **options)
    return out.getvalue()


def _number(output: str) -> int:
    (count,) = re.findall(r"\d+", output)  # the one number, whatever the language of the text
    return int(count)


def test_command_prints_how_many_were_sent(world, round_):
    round_.nominations_due = _in(2)
    round_.save()

    first = _run("--today", "13/01/2025", "--days", "3")
    again = _run("--today", "13/01/2025", "--days", "3")

    assert (_number(first), _number(again)) == (2, 0)
    assert Notification.objects.count() == 2


def test_command_days_narrows_the_window(world, round_):
    round_.nominations_due = _in(2)
    round_.save()

    assert _number(_run("--today", "13/01/2025", "--days", "1")) == 0
    assert Notification.objects.count() == 0


@time_machine.travel(datetime.datetime(2025, 1, 13, 1, 0, tzinfo=datetime.UTC), tick=False)
def test_command_counts_from_today_by_default(world, round_):
    round_.checks_due = datetime.date(2025, 1, 16)
    round_.save()

    assert _number(_run()) == 1
    assert _recipients() == {"thiduakt"}


@pytest.mark.parametrize(
    "args", [("--today", "31/02/2025"), ("--today", "2025-01-13"), ("--days", "-1")]
)
def test_command_refuses_bad_arguments(world, args):
    with pytest.raises(CommandError):
        _run(*args)
    assert Notification.objects.count() == 0


def test_cli_maps_remind_deadlines(monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "argv", ["thidua", "remind-deadlines", "--days", "5"])
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.append(argv)
    )

    cli.main()

    assert seen == [["thidua", "remind_deadlines", "--days", "5"]]
