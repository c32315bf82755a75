"""The demo's award round: nominations from the engine, checked, before a council of seven."""

from collections import Counter

from thidua.council.models import Council, Meeting, MemberRole
from thidua.rounds.models import Nomination, NominationStep, Round


def test_demo_round_holds_the_heads_submitted_and_checked_nominations(demo):
    round = Round.objects.get(agency__code="STNMT-LS", year=2025)
    states = Counter(Nomination.objects.filter(round=round).values_list("state", flat=True))
    assert round.regime == "R2025"
    assert (
        states["CHECKED"] >= 5
        and states["SUBMITTED"] == 1
        and sum(states.values()) == (states["CHECKED"] + 1)
    )
    # LS0130 qualifies for CSTĐ cấp tỉnh in 2025 (records_seed): the head nominated him.
    assert Nomination.objects.filter(round=round, person__staff_code="LS0130", title="CSTD_TINH")
    assert all(Nomination.objects.filter(round=round).values_list("eligible", flat=True))
    # Every step went through the workflow: submitted by the head, checked by the officer.
    actors = set(NominationStep.objects.filter(nomination__round=round).values_list(
        "actor__username", "to_state"))  # fmt: skip
    assert actors == {
        ("truongdonvi", "DRAFT"),
        ("truongdonvi", "SUBMITTED"),
        ("thiduakt", "CHECKED"),
    }


def test_demo_council_has_seven_members_chaired_by_the_director(demo):
    council = Council.objects.get(agency__code="STNMT-LS", active=True)
    seats = dict(council.members.values_list("user__username", "role"))
    assert len(seats) == 7 and seats["giamdoc"] == MemberRole.CHAIR
    assert Meeting.objects.get(council=council).status == "PLANNED"
