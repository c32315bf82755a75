"""Objects the decision tests and the permission matrix start from (no fixtures: plain functions
of the `world` personas, see thidua/conftest.py).

Nominations are written in the PASSED state directly by the factory: the council's vote is the
council app's business. Titles are chosen so that no public posting is needed (LĐTT, TTLĐXS),
unless a test posts them itself.
"""

import datetime

from thidua.decisions import services
from thidua.decisions.models import Decision, DecisionStatus, Submission, SubmissionStatus
from thidua.rounds.models import Nomination, Round
from thidua.testing import NominationFactory, RoundFactory

SIGNED = datetime.date(2025, 1, 15)


def round_of(w) -> Round:
    found = Round.objects.filter(agency=w.agency, year=2024).first()
    return found or RoundFactory(agency=w.agency, titles=["LDTT", "CSTDCS", "GK", "TTLDXS"])


def passed(w, subject, title: str = "LDTT", round_: Round | None = None, **kw) -> Nomination:
    """A nomination of `subject` (a person or a unit) that the council passed."""
    round_ = round_ or round_of(w)
    is_unit = subject._meta.model_name == "unit"
    return NominationFactory(
        round=round_,
        person=None if is_unit else subject,
        unit=subject if is_unit else None,
        nominating_unit=subject if is_unit else subject.unit,
        title=title,
        state="PASSED",
        created_by=w.users["head"],
        **kw,
    )


def round_with_passed(w) -> Round:
    """A round with two people passed for LĐTT and a unit passed for TTLĐXS."""
    round_ = round_of(w)
    passed(w, w.in_a1, round_=round_)
    passed(w, w.colleague, round_=round_)
    passed(w, w.unit_b, "TTLDXS", round_=round_)
    return round_


def draft_of(w) -> Decision:
    round_ = round_with_passed(w)
    return services.draft_decision(actor=w.users["officer"], round=round_)


def issued_of(w) -> Decision:
    return services.issue_decision(
        actor=w.users["officer"], decision=draft_of(w), signed_on=SIGNED, signer=w.users["director"]
    )


def draft_submission_of(w) -> Submission:
    return services.create_submission(
        actor=w.users["officer"], round=round_with_passed(w), authority="Chủ tịch UBND tỉnh"
    )


def sent_submission_of(w) -> Submission:
    return services.send_submission(
        actor=w.users["officer"],
        submission=draft_submission_of(w),
        sent_on=SIGNED,
        signer=w.users["director"],
    )


def the_draft(w) -> Decision:
    return Decision.objects.get(agency=w.agency, status=DecisionStatus.DRAFT)


def the_sent_submission(w) -> Submission:
    return Submission.objects.get(agency=w.agency, status=SubmissionStatus.SENT)
