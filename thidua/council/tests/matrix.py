"""This app's rows of the permission matrix (run by accounts/tests/test_permissions.py).

The council of the agency: the director chairs, the `council` persona holds a seat, hoidong1…
are further members (builders.py). The officer and the administrator manage; only members vote
(the admin and the officer hold no seat: 403, and the refused vote is logged); unit heads, staff
and users without a role do not see meetings (404), nor does the other agency's officer.
Vote rows count ballots, since a refused vote also writes an audit row (DENIED).
"""

from dataclasses import dataclass

from thidua.council import services
from thidua.council.models import Ballot, Meeting, VotingMethod
from thidua.council.tests import builders
from thidua.testing import RoundFactory
from thidua.testing_matrix import GET, POST, Target


@dataclass(frozen=True)
class Shown:
    """A URL key with the text its page must show (and a 404 must not)."""

    pk: int
    text: str

    def __str__(self) -> str:
        return self.text


def ballot_count(w) -> int:
    return Ballot.objects.count()


def council(w):
    return builders.make_council(w, extra=1)


def planned(w):
    return builders.planned_meeting(w)


def voting(w):
    return builders.voting_meeting(w)


def closed(w):
    return builders.closed_meeting(w)


def paper(w):
    return builders.voting_meeting(w, method=VotingMethod.PAPER)


def agenda_item(w):
    return builders.planned_meeting(w).items.get()


def seat(w):
    return builders.make_council(w, extra=1).members.get(user__username="hoidong1")


def absent_member(w):
    """The attendance row of hoidong2, absent from an open online ballot (4 members, 3 here)."""
    meeting = builders.planned_meeting(w, extra=2)
    here = meeting.council.members.exclude(user__username="hoidong2").values_list("pk", flat=True)
    services.record_attendance(
        actor=w.users["officer"], meeting=meeting, present_member_ids=list(here)
    )
    services.open_ballot(actor=w.users["officer"], meeting=meeting)
    row = meeting.attendance.select_related("member__person").get(member__user__username="hoidong2")
    return Shown(pk=row.pk, text=str(row.member))


# --- request bodies (built after the URL's object: they may read it) --------------------------


def _meeting() -> Meeting:
    return Meeting.objects.get()


def setup_form(w):
    return {"name": "Hội đồng Thi đua - Khen thưởng", "established_by": "15/QĐ-STNMT",
            "chair": w.users["director"].pk, "members": [w.users["council"].pk]}  # fmt: skip


def with_council(w):
    council(w)
    return {}


def add_member_form(w):
    council(w)
    return {"user": builders.member_user(w, 7).pk, "role": "MEMBER"}


def meeting_form(w):
    council(w)
    round = RoundFactory(agency=w.agency)
    return {"round": round.pk, "date": "20/12/2024", "time": "14:00", "place": "Phòng họp",
            "method": "ONLINE"}  # fmt: skip


def agenda_form(w):
    builders.checked(w, round=_meeting().round)
    return {"everything": "1"}


def attendance_form(w):
    return {"present": list(_meeting().council.members.values_list("pk", flat=True))}


def vote_form(w):
    return {f"c{_meeting().items.get().pk}": "YES"}


def confirm_form(w):
    return {"confirm": "1"}


def tally_form(w):
    item = _meeting().items.get()
    return {f"y{item.pk}": "2", f"n{item.pk}": "0", f"a{item.pk}": "0"}


T = Target
# fmt: off
ROWS = [
    #                                                          anon adm  off  dir  cou  head staf none other
    (GET,  T("council:home"),                                 (302, 200, 200, 200, 200, 403, 403, 403, 200)),
    (GET,  T("council:home", data=with_council, label="council:home[council]"),
                                                              (302, 200, 200, 200, 200, 403, 403, 403, 200)),
    (GET,  T("council:setup"),                                (302, 200, 200, 403, 403, 403, 403, 403, 200)),
    # The other agency's officer cannot pick this agency's director: the form refuses, 200.
    (POST, T("council:setup", data=setup_form),               (302, 302, 302, 403, 403, 403, 403, 403, 200)),
    (GET,  T("council:members", data=with_council),           (302, 200, 200, 403, 403, 403, 403, 403, 404)),
    (POST, T("council:members", data=add_member_form),        (302, 302, 302, 403, 403, 403, 403, 403, 404)),
    (POST, T("council:member_remove", seat, label="council:member_remove"),
                                                              (302, 302, 302, 403, 403, 404, 404, 404, 404)),
    (GET,  T("council:meeting_create", data=with_council),    (302, 200, 200, 403, 403, 403, 403, 403, 404)),
    (POST, T("council:meeting_create", data=meeting_form),    (302, 302, 302, 403, 403, 403, 403, 403, 404)),
    (GET,  T("council:meeting", planned, label="council:meeting[planned]"),
                                                              (302, 200, 200, 200, 200, 404, 404, 404, 404)),
    (GET,  T("council:meeting", voting, label="council:meeting[voting]"),
                                                              (302, 200, 200, 200, 200, 404, 404, 404, 404)),
    (GET,  T("council:meeting", closed, label="council:meeting[closed]"),
                                                              (302, 200, 200, 200, 200, 404, 404, 404, 404)),
    (GET,  T("council:agenda", planned, label="council:agenda"),
                                                              (302, 200, 200, 403, 403, 404, 404, 404, 404)),
    (POST, T("council:agenda", planned, data=agenda_form, label="council:agenda[add]"),
                                                              (302, 302, 302, 403, 403, 404, 404, 404, 404)),
    (POST, T("council:agenda_remove", agenda_item, label="council:agenda_remove"),
                                                              (302, 302, 302, 403, 403, 404, 404, 404, 404)),
    (GET,  T("council:attendance", planned, label="council:attendance"),
                                                              (302, 200, 200, 403, 403, 404, 404, 404, 404)),
    (POST, T("council:attendance", planned, data=attendance_form, label="council:attendance[save]"),
                                                              (302, 302, 302, 403, 403, 404, 404, 404, 404)),
    (POST, T("council:open", planned, label="council:open"),  (302, 302, 302, 403, 403, 404, 404, 404, 404)),
    (POST, T("council:close", voting, data=confirm_form, label="council:close"),
                                                              (302, 302, 302, 403, 403, 404, 404, 404, 404)),
    # Only members vote: the chair (director) and the council persona. Everyone else is refused
    # (403 or 404) and the attempt is logged as DENIED (see test_pages.py).
    (GET,  T("council:ballot", voting, label="council:ballot"),
                                                              (302, 403, 403, 200, 200, 404, 404, 404, 404)),
    (POST, T("council:ballot", voting, data=vote_form, effect=ballot_count, label="council:ballot[vote]"),
                                                              (302, 403, 403, 302, 302, 404, 404, 404, 404)),
    (GET,  T("council:written_votes", absent_member, label="council:written_votes"),
                                                              (302, 200, 200, 403, 403, 404, 404, 404, 404)),
    (POST, T("council:written_votes", absent_member, data=vote_form, effect=ballot_count,
             label="council:written_votes[enter]"),
                                                              (302, 302, 302, 403, 403, 404, 404, 404, 404)),
    (GET,  T("council:paper_tally", paper, label="council:paper_tally"),
                                                              (302, 200, 200, 403, 403, 404, 404, 404, 404)),
    (POST, T("council:paper_tally", paper, data=tally_form, label="council:paper_tally[enter]"),
                                                              (302, 302, 302, 403, 403, 404, 404, 404, 404)),
]
# fmt: on
