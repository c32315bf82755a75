"""Public posting before the decision (Điều 6 Luật TĐKT 2022): which nominations are posted, for
how long, the comments received and answered, and what still blocks the decision."""

import datetime

import pytest
import time_machine

from thidua.audit.models import AuditEntry
from thidua.core.errors import BusinessRuleError
from thidua.rounds import services
from thidua.rounds.models import Nomination, NominationState
from thidua.rounds.selectors import decision_blockers, decision_blockers_many
from thidua.testing import NominationFactory

S = NominationState
D = datetime.date
TODAY = D(2025, 1, 6)


def _at(world, rnd, state, title, person=None, **kw):
    return NominationFactory(
        person=person or world.in_a1, round=rnd, state=state, title=title, **kw
    )


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2025, 1, 6, 9, 0), tick=False):
        yield


def test_start_posting_posts_checked_and_passed_nominations_of_the_posted_titles(world, rnd):
    passed = _at(world, rnd, S.PASSED, "CSTDCS")
    checked = _at(world, rnd, S.CHECKED, "BK_TINH", person=world.colleague)
    ldtt = _at(world, rnd, S.PASSED, "LDTT", person=world.own)  # not a posted title
    draft = _at(world, rnd, S.DRAFT, "CSTDCS", person=world.in_b)

    count = services.start_posting(actor=world.users["officer"], round=rnd)

    windows = dict(
        (pk, (start, end))
        for pk, start, end in Nomination.objects.values_list("pk", "posted_from", "posted_until")
    )
    assert count == 2
    assert windows[passed.pk] == windows[checked.pk] == (TODAY, D(2025, 1, 11))
    assert windows[ldtt.pk] == windows[draft.pk] == (None, None)
    assert AuditEntry.objects.filter(object_type="nomination").count() == 2


def test_start_posting_keeps_the_window_of_those_already_posted(world, rnd):
    first = _at(
        world, rnd, S.PASSED, "CSTDCS", posted_from=D(2025, 1, 2), posted_until=D(2025, 1, 7)
    )
    assert services.start_posting(actor=world.users["officer"], round=rnd, start=TODAY) == 0
    first.refresh_from_db()
    assert (first.posted_from, first.posted_until) == (D(2025, 1, 2), D(2025, 1, 7))


def test_start_posting_uses_the_agencys_number_of_days(world, rnd, setting):
    setting("posting_days", 10)
    n = _at(world, rnd, S.PASSED, "CSTDCS")
    services.start_posting(actor=world.users["officer"], round=rnd, start=D(2025, 2, 1))
    n.refresh_from_db()
    assert n.posted_until == D(2025, 2, 11)


def test_start_posting_when_the_agency_posts_nothing_is_refused(world, rnd, setting):
    setting("posting_days", 0)
    with pytest.raises(BusinessRuleError) as err:
        services.start_posting(actor=world.users["officer"], round=rnd)
    assert err.value.code == "no_posting"


def test_start_posting_by_head_is_refused(world, rnd):
    with pytest.raises(BusinessRuleError) as err:
        services.start_posting(actor=world.users["head"], round=rnd)
    assert err.value.code == "forbidden"


def test_decision_blockers_until_posted(world, rnd):
    n = _at(world, rnd, S.PASSED, "CSTDCS")
    reasons = decision_blockers(n, TODAY)
    assert len(reasons) == 1 and world.in_a1.full_name in reasons[0]


def test_decision_blockers_while_the_window_runs(world, rnd):
    n = _at(world, rnd, S.PASSED, "CSTDCS", posted_from=D(2025, 1, 2), posted_until=D(2025, 1, 7))
    assert len(decision_blockers(n, TODAY)) == 1
    assert "07/01/2025" in decision_blockers(n, TODAY)[0]
    assert decision_blockers(n, D(2025, 1, 7)) == []


def test_decision_blockers_until_every_comment_is_answered(world, rnd):
    n = _at(
        world, rnd, S.PASSED, "CSTDCS", posted_from=D(2024, 12, 20), posted_until=D(2024, 12, 25)
    )
    comment = services.record_comment(
        actor=world.users["officer"],
        nomination=n,
        received_on=D(2024, 12, 22),
        author="Ông Hoàng Văn Dân",
        text="Đề nghị làm rõ sáng kiến.",
    )
    assert len(decision_blockers(n, TODAY)) == 1

    services.answer_comment(actor=world.users["officer"], comment=comment, answer="Đã làm rõ.")

    assert decision_blockers(n, TODAY) == []
    comment.refresh_from_db()
    assert (comment.answered_on, comment.answered_by) == (TODAY, world.users["officer"])


def test_decision_blockers_none_for_titles_the_agency_does_not_post(world, rnd):
    assert decision_blockers(_at(world, rnd, S.PASSED, "LDTT"), TODAY) == []


def test_decision_blockers_none_when_the_agency_posts_for_zero_days(world, rnd, setting):
    setting("posting_days", 0)
    assert decision_blockers(_at(world, rnd, S.PASSED, "CSTDCS"), TODAY) == []


def test_decision_blockers_many_agrees_with_one_by_one(world, rnd, django_assert_max_num_queries):
    rows = [
        _at(world, rnd, S.PASSED, "CSTDCS"),
        _at(world, rnd, S.PASSED, "LDTT", person=world.colleague),
        _at(world, rnd, S.PASSED, "BK_TINH", person=world.own, posted_from=D(2025, 1, 1),
            posted_until=D(2025, 1, 9)),
    ]  # fmt: skip
    with django_assert_max_num_queries(2):
        many = decision_blockers_many(rows, TODAY)
    assert many == {n.pk: decision_blockers(n, TODAY) for n in rows if decision_blockers(n, TODAY)}
    assert set(many) == {rows[0].pk, rows[2].pk}


def test_record_comment_on_a_nomination_not_posted_is_refused(world, rnd):
    with pytest.raises(BusinessRuleError) as err:
        services.record_comment(
            actor=world.users["officer"],
            nomination=_at(world, rnd, S.PASSED, "CSTDCS"),
            received_on=TODAY,
            author="",
            text="Góp ý",
        )
    assert err.value.code == "not_posted"


@pytest.mark.parametrize(
    ("received_on", "text", "field"),
    [(D(2025, 1, 7), "Góp ý", "received_on"), (None, "Góp ý", "received_on"), (TODAY, " ", "text")],
)
def test_record_comment_needs_a_past_date_and_a_text(world, rnd, received_on, text, field):
    n = _at(world, rnd, S.PASSED, "CSTDCS", posted_from=TODAY, posted_until=D(2025, 1, 11))
    with pytest.raises(BusinessRuleError) as err:
        services.record_comment(
            actor=world.users["officer"],
            nomination=n,
            received_on=received_on,
            author="",
            text=text,
        )
    assert err.value.field == field


def test_answer_comment_is_audited_and_needs_text(world, rnd):
    n = _at(world, rnd, S.PASSED, "CSTDCS", posted_from=TODAY, posted_until=D(2025, 1, 11))
    comment = services.record_comment(
        actor=world.users["officer"], nomination=n, received_on=TODAY, author="", text="Góp ý"
    )
    with pytest.raises(BusinessRuleError):
        services.answer_comment(actor=world.users["officer"], comment=comment, answer="")
    services.answer_comment(actor=world.users["officer"], comment=comment, answer="Trả lời")
    entries = AuditEntry.objects.filter(object_type="postingcomment").order_by("id")
    assert [(e.action, e.object_repr) for e in entries] == [
        ("CREATE", str(n)), ("UPDATE", str(n))
    ]  # fmt: skip
    assert entries.last().changes == {"answer": ["", "Trả lời"]}
