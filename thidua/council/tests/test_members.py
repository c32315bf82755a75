"""Setting up the council and changing its members (personas: thidua/conftest.py)."""

import pytest

from thidua.accounts.models import Role
from thidua.audit.models import AuditAction, AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.council import services
from thidua.council.models import Council, CouncilMember, MemberRole
from thidua.council.tests.builders import COUNCIL_NAME, make_council, member_user, voting_meeting
from thidua.testing import PersonFactory, make_user

CHAIR, MEMBER = MemberRole.CHAIR, MemberRole.MEMBER


def _set_up(w, members, actor="officer"):
    return services.set_up_council(
        actor=w.users[actor], agency=w.agency, name=COUNCIL_NAME, established_by="15/QĐ-STNMT",
        members=members,
    )  # fmt: skip


def test_set_up_council_keeps_members_persons_and_audits(world):
    person = PersonFactory(unit=world.unit_b)
    member = make_user(agency=world.agency, role=Role.COUNCIL, person=person)

    council = _set_up(world, [(world.users["director"], CHAIR), (member, MEMBER)])

    seats = {(s.user_id, s.role, s.person_id) for s in council.members.all()}
    assert seats == {(world.users["director"].pk, CHAIR, None), (member.pk, MEMBER, person.pk)}
    entry = AuditEntry.objects.get(object_type="council", object_id=str(council.pk))
    assert (entry.action, entry.actor, len(entry.changes["members"])) == (
        AuditAction.CREATE, world.users["officer"], 2,
    )  # fmt: skip


def test_set_up_council_refuses_a_chair_who_is_not_director(world):
    with pytest.raises(BusinessRuleError) as err:
        _set_up(world, [(world.users["council"], CHAIR)])
    assert err.value.field == "chair"
    assert not Council.objects.exists()


@pytest.mark.parametrize("chairs", [0, 2])
def test_set_up_council_needs_exactly_one_chair(world, chairs):
    second = make_user(agency=world.agency, role=Role.DIRECTOR, username="giamdoc2")
    members = [(world.users["director"], CHAIR if chairs else MEMBER)]
    members.append((second, CHAIR if chairs == 2 else MEMBER))
    with pytest.raises(BusinessRuleError) as err:
        _set_up(world, members)
    assert err.value.field == "chair"


def test_set_up_council_refuses_a_user_of_another_agency(world):
    with pytest.raises(BusinessRuleError) as err:
        _set_up(world, [(world.users["director"], CHAIR), (world.users["other"], MEMBER)])
    assert err.value.field == "user"


def test_set_up_council_refuses_a_second_council_in_office(world):
    make_council(world)
    with pytest.raises(BusinessRuleError) as err:
        _set_up(world, [(world.users["director"], CHAIR)])
    assert err.value.code == "exists"
    assert Council.objects.count() == 1


@pytest.mark.parametrize("actor", ["director", "council", "head", "other"])
def test_set_up_council_is_for_the_officer_of_the_agency(world, actor):
    with pytest.raises(BusinessRuleError) as err:
        _set_up(world, [(world.users["director"], CHAIR)], actor=actor)
    assert err.value.code == "forbidden"


def test_add_member_gives_back_an_old_seat(world):
    council = make_council(world, extra=1)
    seat = council.members.get(user__username="hoidong1")
    services.remove_member(actor=world.users["officer"], member=seat)

    again = services.add_member(
        actor=world.users["officer"], council=council, user=seat.user, role=MemberRole.SECRETARY
    )

    assert (again.pk, again.active, again.role) == (seat.pk, True, MemberRole.SECRETARY)


def test_remove_member_deactivates_and_keeps_the_seat(world):
    council = make_council(world, extra=1)
    seat = council.members.get(user__username="hoidong1")
    before = AuditEntry.objects.count()

    services.remove_member(actor=world.users["officer"], member=seat)

    seat.refresh_from_db()
    assert (seat.active, CouncilMember.objects.filter(pk=seat.pk).exists()) == (False, True)
    assert AuditEntry.objects.count() == before + 1


def test_remove_member_refuses_the_chair(world):
    council = make_council(world)
    chair = council.members.get(role=CHAIR)
    with pytest.raises(BusinessRuleError) as err:
        services.remove_member(actor=world.users["officer"], member=chair)
    assert err.value.code == "chair"


def test_add_member_as_chair_replaces_the_chair(world):
    council = make_council(world)
    new_director = make_user(agency=world.agency, role=Role.DIRECTOR, username="giamdocmoi")

    services.add_member(
        actor=world.users["officer"], council=council, user=new_director, role=CHAIR
    )

    chairs = list(council.members.filter(role=CHAIR, active=True).values_list("user", flat=True))
    assert chairs == [new_director.pk]


def test_add_member_refused_while_a_ballot_is_open(world):
    meeting = voting_meeting(world)
    with pytest.raises(BusinessRuleError) as err:
        services.add_member(
            actor=world.users["officer"], council=meeting.council,
            user=member_user(world, 9), role=MEMBER,
        )  # fmt: skip
    assert err.value.code == "ballot_open"
