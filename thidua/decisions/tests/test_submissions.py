"""Submissions forwarding higher titles, and the outside decision that completes them."""

import datetime

import pytest

from thidua.audit.models import AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.decisions import services
from thidua.decisions.models import Submission, SubmissionStatus
from thidua.decisions.tests.builders import SIGNED, passed, round_of
from thidua.notifications.models import Notification
from thidua.records.models import Award
from thidua.rounds.models import Nomination, NominationState

D = datetime.date
PROVINCE = "Chủ tịch UBND tỉnh"


@pytest.fixture
def higher(world):
    """A round with two units passed for TTLĐXS (decided by the province, not posted) and one
    person passed for LĐTT (decided by the director)."""
    round_ = round_of(world)
    return {
        "round": round_,
        "a1": passed(world, world.unit_a1, "TTLDXS", round_=round_),
        "b": passed(world, world.unit_b, "TTLDXS", round_=round_),
        "ldtt": passed(world, world.in_a1, round_=round_),
    }


def _create(world, round_, **kw):
    return services.create_submission(
        actor=world.users["officer"], round=round_, authority=PROVINCE, **kw
    )


def _send(world, submission, **kw):
    values = {"sent_on": SIGNED, "signer": world.users["director"], **kw}
    return services.send_submission(actor=world.users["officer"], submission=submission, **values)


def _state(nomination) -> str:
    return Nomination.objects.get(pk=nomination.pk).state


def test_create_submission_takes_the_passed_nominations_decided_above(world, higher):
    submission = _create(world, higher["round"])

    assert set(submission.lines.values_list("nomination_id", flat=True)) == {
        higher["a1"].pk,
        higher["b"].pk,
    }
    assert (submission.status, submission.number, submission.authority) == (
        SubmissionStatus.DRAFT,
        None,
        PROVINCE,
    )
    assert submission.summary.endswith("năm 2024")
    with pytest.raises(BusinessRuleError) as exc:
        _create(world, higher["round"])
    assert exc.value.code == "nothing_to_forward"


def test_create_submission_refuses_a_title_the_director_decides(world, higher):
    with pytest.raises(BusinessRuleError) as exc:
        _create(world, higher["round"], nominations=[higher["ldtt"]])
    assert exc.value.code == "not_forwardable"
    assert Submission.objects.count() == 0


def test_create_submission_needs_the_authority(world, higher):
    with pytest.raises(BusinessRuleError) as exc:
        services.create_submission(
            actor=world.users["officer"], round=higher["round"], authority=" "
        )
    assert exc.value.field == "authority"


def test_send_submission_numbers_from_the_ttr_register_and_forwards(world, higher):
    submission = _send(world, _create(world, higher["round"]))

    assert (submission.status, str(submission), submission.sent_on) == (
        SubmissionStatus.SENT,
        "1/TTr-STN",
        SIGNED,
    )
    assert (_state(higher["a1"]), _state(higher["b"]), _state(higher["ldtt"])) == (
        NominationState.FORWARDED,
        NominationState.FORWARDED,
        NominationState.PASSED,
    )
    # The decision register is separate: the director's first decision is still number 1.
    decision = services.draft_decision(actor=world.users["officer"], round=higher["round"])
    issued = services.issue_decision(
        actor=world.users["officer"], decision=decision, signed_on=SIGNED,
        signer=world.users["director"],
    )  # fmt: skip
    assert issued.reference == "1/QĐ-STN"


def test_send_submission_refuses_a_posted_title_not_yet_posted(world):
    round_ = round_of(world)
    passed(world, world.in_a1, "BK_TINH", round_=round_)
    submission = _create(world, round_)

    with pytest.raises(BusinessRuleError) as exc:
        _send(world, submission)

    submission.refresh_from_db()
    assert (exc.value.code, submission.status, submission.number) == ("blocked", "DRAFT", None)


def test_send_submission_refuses_a_signer_who_is_not_the_director(world, higher):
    submission = _create(world, higher["round"])
    with pytest.raises(BusinessRuleError) as exc:
        _send(world, submission, signer=world.users["officer"])
    assert exc.value.field == "signer"


def test_record_outside_decision_completes_the_nominations(world, higher):
    submission = _send(world, _create(world, higher["round"]))

    services.record_outside_decision(
        actor=world.users["officer"],
        submission=submission,
        number="123/QĐ-UBND",
        date=D(2025, 3, 20),
        authority=PROVINCE,
        results={higher["a1"].pk: True, higher["b"].pk: False},
    )

    submission.refresh_from_db()
    assert (submission.status, submission.outside_number, submission.outside_date) == (
        SubmissionStatus.ANSWERED,
        "123/QĐ-UBND",
        D(2025, 3, 20),
    )
    assert (_state(higher["a1"]), _state(higher["b"])) == (
        NominationState.AWARDED,
        NominationState.REFUSED,
    )
    [award] = Award.objects.all()
    assert (award.unit, award.year, award.title, award.decision_number, award.authority) == (
        world.unit_a1,
        2024,
        "TTLDXS",
        "123/QĐ-UBND",
        PROVINCE,
    )
    lines = {line.nomination_id: (line.awarded, line.award_id) for line in submission.lines.all()}
    assert lines == {higher["a1"].pk: (True, award.pk), higher["b"].pk: (False, None)}
    assert Notification.objects.filter(user=world.users["head"]).count() == 1


def test_record_outside_decision_needs_a_result_for_every_nomination(world, higher):
    submission = _send(world, _create(world, higher["round"]))
    audit_before = AuditEntry.objects.count()

    with pytest.raises(BusinessRuleError) as exc:
        services.record_outside_decision(
            actor=world.users["officer"], submission=submission, number="123/QĐ-UBND",
            date=D(2025, 3, 20), authority=PROVINCE, results={higher["a1"].pk: True},
        )  # fmt: skip

    assert exc.value.code == "missing"
    assert (Award.objects.count(), AuditEntry.objects.count()) == (0, audit_before)
    assert _state(higher["a1"]) == NominationState.FORWARDED


def test_record_outside_decision_refuses_a_draft_or_a_date_before_sending(world, higher):
    submission = _create(world, higher["round"])
    results = {higher["a1"].pk: True, higher["b"].pk: True}
    with pytest.raises(BusinessRuleError) as exc:
        services.record_outside_decision(
            actor=world.users["officer"], submission=submission, number="1/QĐ-UBND",
            date=D(2025, 3, 20), authority=PROVINCE, results=results,
        )  # fmt: skip
    assert exc.value.code == "not_sent"
    _send(world, submission)
    with pytest.raises(BusinessRuleError) as exc:
        services.record_outside_decision(
            actor=world.users["officer"], submission=submission, number="1/QĐ-UBND",
            date=D(2025, 1, 2), authority=PROVINCE, results=results,
        )  # fmt: skip
    assert exc.value.field == "date"
