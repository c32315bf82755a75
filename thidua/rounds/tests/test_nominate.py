"""Nominating: who may nominate whom, the engine's verdict stored with the dossier, an
ineligible subject or a broken quota refused or warned as the agency sets, all-or-nothing lists.

Personas: thidua/conftest.py; helpers: tests/conftest.py (a person rated HTTNV in 2024 qualifies
for LĐTT, HTXSNV also for CSTĐCS).
"""

import pytest

from thidua.audit.models import AuditAction, AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.rounds import services
from thidua.rounds.models import Nomination, NominationStep
from thidua.testing import RoundFactory


def test_nominate_by_unit_head_starts_a_draft_of_the_persons_unit(world, rnd, nominate):
    n = nominate(world.in_a1, "HCLD3")

    assert (n.state, n.nominating_unit, n.person, n.unit, n.agency) == (
        "DRAFT", world.unit_a1, world.in_a1, None, world.agency
    )  # fmt: skip
    assert n.created_by == world.users["head"]
    step = NominationStep.objects.get(nomination=n)
    assert (step.from_state, step.to_state, step.actor) == ("", "DRAFT", world.users["head"])
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="nomination", object_id=str(n.pk)
    ).exists()


def test_nominate_unit_takes_the_unit_itself_as_nominating_unit(world, rnd, nominate, setting):
    setting("nomination_ineligible", "WARN")
    n = nominate(world.unit_a1, "TTLDTT")
    assert (n.unit, n.person, n.nominating_unit) == (world.unit_a1, None, world.unit_a1)


def test_nominate_outside_the_heads_units_is_refused(world, rnd, nominate):
    with pytest.raises(BusinessRuleError) as err:
        nominate(world.in_b, "HCLD3")
    assert (err.value.code, err.value.field) == ("forbidden", "subject")
    assert not Nomination.objects.exists()


def test_nominate_by_officer_reaches_the_whole_agency(world, rnd, nominate):
    n = nominate(world.in_b, "HCLD3", by="officer")
    assert n.nominating_unit == world.unit_b


def test_nominate_other_agencys_person_is_refused(world, rnd, nominate):
    with pytest.raises(BusinessRuleError) as err:
        nominate(world.outsider, "HCLD3", by="officer")
    assert err.value.code == "forbidden"


@pytest.mark.parametrize("persona", ["director", "council", "staff"])
def test_nominate_by_reader_roles_is_refused(world, rnd, nominate, persona):
    with pytest.raises(BusinessRuleError) as err:
        nominate(world.own, "HCLD3", by=persona)
    assert err.value.code == "forbidden"


def test_nominate_title_not_in_the_round_is_refused(world, nominate):
    round = RoundFactory(agency=world.agency, titles=["LDTT"])
    with pytest.raises(BusinessRuleError) as err:
        nominate(world.in_a1, "CSTDCS", round=round)
    assert (err.value.code, err.value.field) == ("title", "title")


def test_nominate_unit_title_for_a_person_is_refused(world, rnd, nominate):
    with pytest.raises(BusinessRuleError) as err:
        nominate(world.in_a1, "TTLDTT")
    assert err.value.code == "wrong_subject"


def test_nominate_eligible_person_stores_the_engines_conditions(world, rnd, nominate, rate):
    rate(world.in_a1, "HTTNV")

    n = nominate(world.in_a1, "LDTT")

    assert n.eligible is True
    assert n.warnings == []
    assert {c["code"] for c in n.eligibility} >= {"rating", "self_reliant", "served_months"}
    assert all(c["passed"] for c in n.eligibility)
    assert all(set(c) == {"code", "passed", "message"} for c in n.eligibility)


def test_nominate_ineligible_is_refused_with_the_engines_reasons_when_blocked(
    world, rnd, nominate, rate
):
    rate(world.in_a1, "HTNV")
    with pytest.raises(BusinessRuleError) as err:
        nominate(world.in_a1, "LDTT")
    assert err.value.code == "ineligible"
    assert "HTNV" in err.value.message and "✗" in err.value.message
    assert not Nomination.objects.exists()


def test_nominate_ineligible_is_saved_with_a_warning_when_the_agency_warns(
    world, rnd, nominate, rate, setting
):
    setting("nomination_ineligible", "WARN")
    rate(world.in_a1, "HTNV")

    n = nominate(world.in_a1, "LDTT")

    assert n.eligible is False
    assert [w["code"] for w in n.warnings] == ["ineligible"]
    assert "✗" in n.warnings[0]["message"]
    assert [c["code"] for c in n.eligibility if not c["passed"]] == ["rating"]


def test_nominate_title_the_engine_does_not_assess_warns_for_a_check_by_hand(world, rnd, nominate):
    n = nominate(world.in_a1, "HCLD3")
    assert (n.eligible, n.eligibility, [w["code"] for w in n.warnings]) == (
        None, [], ["manual_check"]
    )  # fmt: skip


def test_nominate_twice_for_the_same_title_is_refused(world, rnd, nominate):
    nominate(world.in_a1, "HCLD3")
    with pytest.raises(BusinessRuleError) as err:
        nominate(world.in_a1, "HCLD3", by="officer")
    assert err.value.code == "duplicate"


def test_nominate_again_after_withdrawal_is_allowed(world, rnd, nominate):
    first = nominate(world.in_a1, "HCLD3")
    services.withdraw(actor=world.users["head"], nomination=first, reason="Nhầm người")
    second = nominate(world.in_a1, "HCLD3")
    assert second.pk != first.pk


def test_nominate_in_a_closed_round_is_refused(world, rnd, nominate):
    services.close_round(actor=world.users["officer"], round=rnd)
    with pytest.raises(BusinessRuleError) as err:
        nominate(world.in_a1, "HCLD3")
    assert err.value.code == "closed"


@pytest.fixture
def two_fighters(world, rate, setting):
    """Two people qualifying for CSTĐCS with a quota of ⌊50% × 2 LĐTT⌋ = 1."""
    setting("cstdcs_quota_percent", 50)
    rate(world.in_a1, "HTXSNV")
    rate(world.colleague, "HTXSNV")
    return world.in_a1, world.colleague


def test_nominate_beyond_a_quota_is_warned_by_default(world, rnd, nominate, two_fighters):
    first = nominate(two_fighters[0], "CSTDCS")
    second = nominate(two_fighters[1], "CSTDCS")

    assert first.warnings == []
    assert [w["code"] for w in second.warnings] == ["over_quota"]
    assert second.eligible is True


def test_nominate_beyond_a_quota_is_refused_when_the_agency_blocks(
    world, rnd, nominate, two_fighters, setting
):
    setting("nomination_over_quota", "BLOCK")
    nominate(two_fighters[0], "CSTDCS")
    with pytest.raises(BusinessRuleError) as err:
        nominate(two_fighters[1], "CSTDCS")
    assert err.value.code == "over_quota"
    assert Nomination.objects.count() == 1


def test_nominate_withdrawn_nominations_do_not_count_against_the_quota(
    world, rnd, nominate, two_fighters, setting
):
    setting("nomination_over_quota", "BLOCK")
    first = nominate(two_fighters[0], "CSTDCS")
    services.withdraw(actor=world.users["head"], nomination=first, reason="Rút")
    assert nominate(two_fighters[1], "CSTDCS").warnings == []


def test_nominate_custom_quota_of_the_agency_counts_too(world, rnd, nominate, rate, quota, setting):
    # Giấy khen ≤ 30% of LĐTT: four people qualify for LĐTT, so at most ⌊30% × 4⌋ = 1.
    for person in (world.in_a1, world.colleague, world.own, world.in_b):
        rate(person, "HTTNV")
    quota(code="gk_30", title="GK", base_title="LDTT", percent=30)
    setting("nomination_ineligible", "WARN")  # Giấy khen also asks for a confirmed achievement
    nominate(world.in_a1, "GK")
    second = nominate(world.colleague, "GK")
    assert "over_quota" in [w["code"] for w in second.warnings]


def test_nominate_many_creates_every_draft(world, rnd, rate):
    rate(world.in_a1)
    rate(world.colleague)
    made = services.nominate_many(
        actor=world.users["head"],
        round=rnd,
        subjects_titles=[(world.in_a1, "LDTT"), (world.colleague, "LDTT")],
    )
    assert [(n.person, n.state, n.eligible) for n in made] == [
        (world.in_a1, "DRAFT", True), (world.colleague, "DRAFT", True)
    ]  # fmt: skip


def test_nominate_many_is_all_or_nothing(world, rnd, rate):
    rate(world.in_a1)
    with pytest.raises(BusinessRuleError) as err:
        services.nominate_many(
            actor=world.users["head"],
            round=rnd,
            subjects_titles=[(world.in_a1, "LDTT"), (world.in_b, "HCLD3")],
        )
    assert world.in_b.full_name in err.value.message
    assert not Nomination.objects.exists()


def test_nominate_many_refuses_an_empty_list(world, rnd):
    with pytest.raises(BusinessRuleError) as err:
        services.nominate_many(actor=world.users["head"], round=rnd, subjects_titles=[])
    assert err.value.code == "required"


def test_nominate_many_refuses_the_same_pair_twice_in_one_list(world, rnd):
    with pytest.raises(BusinessRuleError) as err:
        services.nominate_many(
            actor=world.users["head"],
            round=rnd,
            subjects_titles=[(world.in_a1, "HCLD3"), (world.in_a1, "HCLD3")],
        )
    assert err.value.code == "duplicate"
