"""Decisions of the director: drafted from a round, issued atomically with a number from the
register and the award records, revoked or corrected without losing the original.

Personas and objects: thidua/conftest.py (`world`); builders: decisions/tests/builders.py.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.audit.models import AuditAction, AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.decisions import services
from thidua.decisions.models import Decision, DecisionStatus, Register
from thidua.decisions.tests.builders import SIGNED, draft_of, issued_of, passed, round_of
from thidua.eligibility.selectors import evaluate_subject, subject_rows
from thidua.notifications.models import Notification
from thidua.records.models import Award, AwardStatus
from thidua.records.selectors import person_history
from thidua.records.services import record_award, set_rating
from thidua.rounds import selectors as round_selectors
from thidua.rounds.models import NominationState, NominationStep
from thidua.testing import NominationFactory, PersonFactory, RoundFactory

D = datetime.date


def _issue(w, decision, **kw):
    values = {"signed_on": SIGNED, "signer": w.users["director"], **kw}
    return services.issue_decision(actor=w.users["officer"], decision=decision, **values)


def _audit(obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.model_name, object_id=str(obj.pk)).order_by(
            "pk"
        )
    )


# --- draft ------------------------------------------------------------------------------------


def test_draft_decision_takes_every_passed_nomination_the_director_decides(world):
    round_ = round_of(world)
    ldtt = passed(world, world.in_a1, round_=round_)
    gk_unit = passed(world, world.unit_b, "GK", round_=round_)
    passed(world, world.colleague, "BK_TINH", round_=round_)  # decided by the province
    NominationFactory(person=world.in_b, round=round_, title="LDTT", state="CHECKED")

    decision = services.draft_decision(actor=world.users["officer"], round=round_)

    lines = {
        (line.nomination_id, line.title, line.person_id, line.unit_id)
        for line in decision.lines.all()
    }
    assert lines == {
        (ldtt.pk, "LDTT", world.in_a1.pk, None),
        (gk_unit.pk, "GK", None, world.unit_b.pk),
    }
    assert (decision.status, decision.number, decision.agency, decision.round) == (
        DecisionStatus.DRAFT,
        None,
        world.agency,
        round_,
    )
    assert decision.summary.endswith("năm 2024")
    [entry] = _audit(decision)
    assert (entry.action, entry.changes["lines"], entry.actor) == (
        AuditAction.CREATE,
        2,
        world.users["officer"],
    )


def test_draft_decision_numbers_lines_per_title_in_vietnamese_name_order(world):
    round_ = round_of(world)
    for given in ("Đức", "An", "Dũng", "Ánh"):
        passed(world, PersonFactory(unit=world.unit_b, given_name=given), round_=round_)

    decision = services.draft_decision(actor=world.users["officer"], round=round_)

    ordered = decision.lines.order_by("position").select_related("person")
    assert [(line.position, line.person.given_name) for line in ordered] == [
        (1, "An"),
        (2, "Ánh"),
        (3, "Dũng"),
        (4, "Đức"),
    ]


def test_draft_decision_refuses_a_nomination_already_in_a_live_decision(world):
    round_ = round_of(world)
    nomination = passed(world, world.in_a1, round_=round_)
    services.draft_decision(actor=world.users["officer"], round=round_)

    with pytest.raises(BusinessRuleError) as exc:
        services.draft_decision(
            actor=world.users["officer"], round=round_, nominations=[nomination]
        )
    assert exc.value.code == "not_decidable"
    with pytest.raises(BusinessRuleError) as exc:
        services.draft_decision(actor=world.users["officer"], round=round_)
    assert exc.value.code == "nothing_to_decide"
    assert Decision.objects.count() == 1


@pytest.mark.parametrize(
    ("state", "title"), [("CHECKED", "LDTT"), ("PASSED", "CSTD_TINH"), ("PASSED", "BK_TINH")]
)
def test_draft_decision_refuses_what_the_director_cannot_decide_now(world, state, title):
    round_ = round_of(world)
    nomination = NominationFactory(person=world.in_a1, round=round_, title=title, state=state)

    with pytest.raises(BusinessRuleError):
        services.draft_decision(
            actor=world.users["officer"], round=round_, nominations=[nomination.pk]
        )
    assert Decision.objects.count() == 0


def test_remove_draft_lines_frees_the_nomination_and_discards_an_empty_draft(world):
    decision = draft_of(world)  # two LĐTT lines
    first, second = decision.lines.order_by("pk")

    kept = services.remove_draft_lines(
        actor=world.users["officer"], decision=decision, lines=[first]
    )
    again = services.draft_decision(actor=world.users["officer"], round=decision.round)
    gone = services.remove_draft_lines(
        actor=world.users["officer"], decision=kept, lines=[second.pk]
    )

    assert (kept.pk, gone) == (decision.pk, None)
    assert list(again.lines.values_list("nomination_id", flat=True)) == [first.nomination_id]
    assert not Decision.objects.filter(pk=decision.pk).exists()
    assert [e.action for e in _audit(decision)] == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
        AuditAction.DELETE,
    ]


# --- issue ------------------------------------------------------------------------------------


def test_issue_decision_numbers_writes_awards_and_decides_nominations(world):
    decision = draft_of(world)
    nominations = [line.nomination for line in decision.lines.all()]

    issued = _issue(world, decision)

    assert (issued.status, issued.number, issued.year, issued.symbol, issued.reference) == (
        DecisionStatus.ISSUED,
        1,
        2025,
        "QĐ-STN",
        "1/QĐ-STN",
    )
    assert (issued.signed_on, issued.signer, issued.signer_position) == (
        SIGNED,
        world.users["director"],
        "Giám đốc",
    )
    awards = {
        (a.person_id, a.year, a.title, a.decision_number, a.decision_date, a.authority, a.status)
        for a in Award.objects.all()
    }
    assert awards == {
        (n.person_id, 2024, "LDTT", "1/QĐ-STN", SIGNED, "Giám đốc Sở", AwardStatus.ACTIVE)
        for n in nominations
    }
    assert all(line.award.person_id == line.person_id for line in issued.lines.all())
    states = {
        n.pk: n.state
        for n in type(nominations[0]).objects.filter(pk__in=[n.pk for n in nominations])
    }
    assert set(states.values()) == {NominationState.DECIDED}
    steps = NominationStep.objects.filter(to_state=NominationState.DECIDED)
    assert all("1/QĐ-STN" in s.reason and "15/01/2025" in s.reason for s in steps)
    assert steps.count() == 2
    assert _audit(issued)[-1].changes["number"] == "1/QĐ-STN"
    history = person_history(world.users["officer"], world.in_a1)  # the person's page
    shown = [(a.title, a.decision_number) for year in history for a in year.awards]
    assert shown == [("LDTT", "1/QĐ-STN")]


def test_issue_decision_notifies_awarded_people_and_the_nominating_head(world):
    decision = draft_of(world)  # in_a1 and colleague, nominated by the head of PA
    world.users["staff"].person = world.colleague
    world.users["staff"].save()

    _issue(world, decision)

    notified = set(Notification.objects.values_list("user__username", "kind"))
    assert notified == {("canbo", "DECISION_ISSUED"), ("truong", "DECISION_ISSUED")}


def test_issue_decision_numbers_consecutively_and_restarts_with_the_year(world):
    first = _issue(world, draft_of(world))
    round_ = round_of(world)
    passed(world, world.in_b, round_=round_)
    second = _issue(world, services.draft_decision(actor=world.users["officer"], round=round_))
    passed(world, PersonFactory(unit=world.unit_b), round_=round_)
    third = _issue(
        world,
        services.draft_decision(actor=world.users["officer"], round=round_),
        signed_on=D(2026, 1, 5),
    )

    assert [(d.number, d.year) for d in (first, second, third)] == [(1, 2025), (2, 2025), (1, 2026)]


def test_issue_decision_by_the_director_records_them_as_actor(world):
    issued = services.issue_decision(
        actor=world.users["director"],
        decision=draft_of(world),
        signed_on=SIGNED,
        signer=world.users["director"],
    )
    assert _audit(issued)[-1].actor == world.users["director"]


@pytest.mark.parametrize("signer", ["officer", "head", "other"])
def test_issue_decision_refuses_a_signer_who_is_not_the_director(world, signer):
    decision = draft_of(world)
    with pytest.raises(BusinessRuleError) as exc:
        _issue(world, decision, signer=world.users[signer])
    assert exc.value.field == "signer"
    decision.refresh_from_db()
    assert (decision.status, Award.objects.count(), Register.objects.count()) == ("DRAFT", 0, 0)


def test_issue_decision_refuses_a_date_in_the_future_or_before_the_year_rewarded(world):
    decision = draft_of(world)
    for day in (D(2030, 1, 1), D(2023, 12, 30)):
        with pytest.raises(BusinessRuleError) as exc:
            _issue(world, decision, signed_on=day)
        assert exc.value.field == "signed_on"
    assert Award.objects.count() == 0


def test_issue_decision_refuses_an_issued_decision(world):
    decision = issued_of(world)
    with pytest.raises(BusinessRuleError) as exc:
        _issue(world, decision)
    assert exc.value.code == "not_draft"


def test_issue_decision_blocked_by_posting_gives_its_number_back(world, monkeypatch):
    """A failure after the number was taken leaves no gap: the next issue gets the same number."""
    decision = draft_of(world)
    blocked = decision.lines.first().nomination_id
    real = round_selectors.decision_blockers_many

    def still_posted(nominations, today):
        return {n.pk: ["Đang niêm yết công khai."] for n in nominations if n.pk == blocked}

    monkeypatch.setattr(round_selectors, "decision_blockers_many", still_posted)
    with pytest.raises(BusinessRuleError) as exc:
        _issue(world, decision)
    assert exc.value.code == "blocked"
    decision.refresh_from_db()
    assert (decision.status, decision.number, Award.objects.count()) == ("DRAFT", None, 0)
    assert NominationStep.objects.count() == 0

    monkeypatch.setattr(round_selectors, "decision_blockers_many", real)
    assert _issue(world, decision).number == 1


def test_issue_decision_refuses_a_title_still_publicly_posted(world):
    """CSTĐCS is posted before the decision (setting posting_titles): not posted yet → refused."""
    round_ = round_of(world)
    passed(world, world.in_a1, "CSTDCS", round_=round_)
    decision = services.draft_decision(actor=world.users["officer"], round=round_)

    with pytest.raises(BusinessRuleError) as exc:
        _issue(world, decision)
    assert exc.value.code == "blocked"
    assert Award.objects.count() == 0


def test_issue_decision_failing_on_an_award_writes_nothing(world):
    """An award already in force for the same title and year refuses the whole issue."""
    decision = draft_of(world)
    record_award(
        actor=world.users["officer"], subject=world.colleague, year=2024, title="LDTT",
        decision_number="9/QĐ-STN", decision_date=D(2024, 12, 30), authority="Giám đốc Sở",
    )  # fmt: skip
    audit_before = AuditEntry.objects.count()

    with pytest.raises(BusinessRuleError) as exc:
        _issue(world, decision)

    assert exc.value.code == "duplicate_award"
    assert (Award.objects.count(), AuditEntry.objects.count()) == (1, audit_before)
    assert set(decision.lines.values_list("nomination__state", flat=True)) == {"PASSED"}
    assert Register.objects.filter(last_number__gt=0).count() == 0


def test_issue_decision_refuses_a_nomination_withdrawn_meanwhile(world):
    decision = draft_of(world)
    line = decision.lines.first()
    type(line.nomination).objects.filter(pk=line.nomination_id).update(state="WITHDRAWN")

    with pytest.raises(BusinessRuleError) as exc:
        _issue(world, decision)
    assert exc.value.code == "not_passed"


# --- eligibility reads the awards -------------------------------------------------------------


def test_issued_cstdcs_counts_for_next_years_bang_khen(world):
    """Bằng khen tỉnh needs CSTĐCS 2 years in a row (Điều 74.1.d Luật TĐKT 2022): the 2024
    CSTĐCS written by the decision makes the person eligible in 2025."""
    person = world.in_a1
    for year in (2024, 2025):
        set_rating(actor=world.users["officer"], subject=person, year=year, level="HTXSNV")

    def bang_khen_2025() -> bool:
        evaluation = evaluate_subject(agency=world.agency, year=2025, person_id=person.pk)
        rows = subject_rows(evaluation, kind="person", subject_id=person.pk)
        return next(r["eligible"] for r in rows if r["title"] == "BK_TINH")

    round_ = round_of(world)
    passed(
        world, person, "CSTDCS", round_=round_,
        posted_from=D(2024, 12, 20), posted_until=D(2024, 12, 27),
    )  # fmt: skip
    decision = services.draft_decision(actor=world.users["officer"], round=round_)
    before = bang_khen_2025()

    _issue(world, decision)

    assert (before, bang_khen_2025()) == (False, True)


# --- revoke and correct -----------------------------------------------------------------------


def test_revoke_decision_keeps_it_and_marks_its_awards(world):
    decision = issued_of(world)

    services.revoke_decision(
        actor=world.users["director"], decision=decision, reason="Phát hiện sai sót hồ sơ"
    )

    decision.refresh_from_db()
    assert (decision.status, decision.status_reason) == ("REVOKED", "Phát hiện sai sót hồ sơ")
    assert decision.lines.count() == 2
    statuses = set(Award.objects.values_list("status", flat=True))
    assert statuses == {AwardStatus.REVOKED}
    assert all("1/QĐ-STN" in a.status_reason for a in Award.objects.all())
    assert _audit(decision)[-1].changes["awards_revoked"] == 2


def test_revoke_decision_needs_a_reason_and_an_issued_decision(world):
    with pytest.raises(BusinessRuleError) as exc:
        services.revoke_decision(actor=world.users["officer"], decision=draft_of(world), reason="x")
    assert exc.value.code == "not_issued"
    issued = Decision.objects.get()
    issued = _issue(world, issued)
    with pytest.raises(BusinessRuleError) as exc:
        services.revoke_decision(actor=world.users["officer"], decision=issued, reason="  ")
    assert exc.value.field == "reason"


def test_correct_decision_issues_a_replacement_and_keeps_the_original(world):
    old = issued_of(world)
    dropped = old.lines.get(person=world.colleague)
    kept = old.lines.get(person=world.in_a1)

    new = services.correct_decision(
        actor=world.users["officer"],
        decision=old,
        reason="Ông Bình không đủ thời gian công tác",
        signed_on=D(2025, 2, 1),
        signer=world.users["director"],
        remove_lines=[dropped.pk],
    )

    old.refresh_from_db()
    assert (old.status, old.replaced_by, new.replaces) == ("CORRECTED", new, old)
    assert (new.status, new.reference, new.signed_on) == ("ISSUED", "2/QĐ-STN", D(2025, 2, 1))
    assert old.lines.count() == 2  # the original keeps its lists
    [line] = new.lines.all()
    assert (line.person, line.nomination_id) == (world.in_a1, kept.nomination_id)
    kept.award.refresh_from_db()
    dropped.award.refresh_from_db()
    assert (kept.award.status, kept.award.replaced_by) == (AwardStatus.CORRECTED, line.award)
    assert (line.award.decision_number, line.award.status) == ("2/QĐ-STN", AwardStatus.ACTIVE)
    assert dropped.award.status == AwardStatus.REVOKED
    assert [e.action for e in _audit(new)] == [AuditAction.CREATE]


def test_correct_decision_refuses_to_drop_every_line(world):
    old = issued_of(world)
    with pytest.raises(BusinessRuleError) as exc:
        services.correct_decision(
            actor=world.users["officer"], decision=old, reason="Sai", signed_on=D(2025, 2, 1),
            signer=world.users["director"], remove_lines=old.lines.all(),
        )  # fmt: skip
    assert exc.value.code == "empty"
    old.refresh_from_db()
    assert (old.status, Decision.objects.count()) == ("ISSUED", 1)


def test_correct_decision_can_add_a_passed_nomination(world):
    old = issued_of(world)
    late = passed(world, world.in_b, round_=old.round)

    new = services.correct_decision(
        actor=world.users["officer"], decision=old, reason="Bổ sung", signed_on=D(2025, 2, 1),
        signer=world.users["director"], add_nominations=[late],
    )  # fmt: skip

    late.refresh_from_db()
    assert late.state == NominationState.DECIDED
    assert new.lines.count() == 3
    assert Award.objects.get(person=world.in_b).decision_number == "2/QĐ-STN"


def _issue_queries(world, n: int) -> int:
    round_ = RoundFactory(agency=world.agency, name=f"Đợt {n}")
    for _ in range(n):
        passed(world, PersonFactory(unit=world.unit_b), round_=round_)
    decision = services.draft_decision(actor=world.users["officer"], round=round_)
    with CaptureQueriesContext(connection) as ctx:
        _issue(world, decision)
    assert decision.lines.filter(award__isnull=True).count() == 0
    return len(ctx.captured_queries)


def test_issue_decision_queries_do_not_grow_with_lines(world):
    """A year-end decision holds thousands of lines: it is written in bulk (≈3 s for 5,000)."""
    _issue_queries(world, 1)  # the year's register row is created once
    assert _issue_queries(world, 40) == _issue_queries(world, 4)
