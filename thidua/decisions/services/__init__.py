"""Writes of decisions and submissions. Every function takes keyword arguments, runs in one
transaction, checks its rules (BusinessRuleError with a Vietnamese message) and writes its own
audit rows. Numbers come from the agency's register inside the issuing transaction."""

from thidua.decisions.services.changes import correct_decision, revoke_decision
from thidua.decisions.services.decisions import (
    draft_decision,
    issue_decision,
    remove_draft_lines,
)
from thidua.decisions.services.register import next_number, symbol_for
from thidua.decisions.services.submissions import (
    create_submission,
    record_outside_decision,
    send_submission,
)

__all__ = [
    "correct_decision",
    "create_submission",
    "draft_decision",
    "issue_decision",
    "next_number",
    "record_outside_decision",
    "remove_draft_lines",
    "revoke_decision",
    "send_submission",
    "symbol_for",
]
