"""Councils, meetings and ballots for the tests and the permission matrix.

`world` (thidua/conftest.py) gives the personas: the director chairs; the `council` persona holds
a seat; `extra` members are new COUNCIL logins with staff records in PB (Thanh tra Sở), unless
`units` says otherwise.
"""

import datetime

from django.utils import timezone

from thidua.accounts.models import Role
from thidua.council import services
from thidua.council.models import Council, Meeting, MemberRole, VotingMethod
from thidua.eligibility.models import AgencySetting
from thidua.rounds.models import Nomination
from thidua.testing import NominationFactory, PersonFactory, RoundFactory, make_user

COUNCIL_NAME = "Hội đồng Thi đua - Khen thưởng Sở"
# 14:00 in Hà Nội: the same calendar day in UTC, so str(meeting) reads the same everywhere.
HELD_AT = datetime.datetime(
    2024, 12, 20, 14, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
)


def set_setting(agency, key: str, value) -> None:
    AgencySetting.objects.update_or_create(agency=agency, key=key, defaults={"value": value})


def member_user(w, n: int, unit=None):
    person = PersonFactory(
        unit=unit or w.unit_b, staff_code=f"HD{n:03d}", family_name="Hoàng", middle_name="Văn",
        given_name=f"Thành viên {n}",
    )  # fmt: skip
    return make_user(agency=w.agency, role=Role.COUNCIL, person=person, username=f"hoidong{n}")


def make_council(w, *, extra: int = 0, units=None) -> Council:
    """A council: the director (chair), the `council` persona and `extra` more members."""
    members = [(w.users["director"], MemberRole.CHAIR), (w.users["council"], MemberRole.MEMBER)]
    for n in range(extra):
        unit = units[n] if units else None
        members.append((member_user(w, n + 1, unit), MemberRole.MEMBER))
    return services.set_up_council(
        actor=w.users["officer"], agency=w.agency, name=COUNCIL_NAME,
        established_by="15/QĐ-STNMT", members=members,
    )  # fmt: skip


def checked(w, *, person=None, round=None, title: str = "CSTDCS", **kw) -> Nomination:
    # PA: members sit in PB unless said, so that no conflict of unit arises by accident.
    person = person or PersonFactory(unit=w.unit_a)
    round = round or RoundFactory(agency=w.agency)
    return NominationFactory(person=person, round=round, title=title, state="CHECKED", **kw)


def make_meeting(w, council: Council | None = None, *, method: str = VotingMethod.ONLINE,
                 round=None) -> Meeting:  # fmt: skip
    council = council or make_council(w)
    return services.schedule_meeting(
        actor=w.users["officer"], council=council, round=round or RoundFactory(agency=w.agency),
        held_at=HELD_AT, place="Phòng họp tầng 2", method=method,
    )  # fmt: skip


def planned_meeting(w, *, nominations: int = 1, extra: int = 0, method=VotingMethod.ONLINE):
    """A meeting with `nominations` CSTĐCS nominations on its agenda, everyone present."""
    council = make_council(w, extra=extra)
    meeting = make_meeting(w, council, method=method)
    noms = [checked(w, round=meeting.round) for _ in range(nominations)]
    if noms:
        services.set_agenda(actor=w.users["officer"], meeting=meeting, nominations=noms)
    services.record_attendance(
        actor=w.users["officer"], meeting=meeting,
        present_member_ids=list(council.members.values_list("pk", flat=True)),
    )  # fmt: skip
    return meeting


def voting_meeting(w, **kw) -> Meeting:
    meeting = planned_meeting(w, **kw)
    return services.open_ballot(actor=w.users["officer"], meeting=meeting)


def closed_meeting(w, **kw) -> Meeting:
    meeting = voting_meeting(w, **kw)
    return services.close_ballot(actor=w.users["officer"], meeting=meeting)


def now() -> datetime.datetime:
    return timezone.now()
