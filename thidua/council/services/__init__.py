"""Writes of the council: members, meetings, the secret ballot and its results.

Every function takes keyword arguments, runs in a transaction, checks its business rules
(raising `BusinessRuleError` with a Vietnamese message) and writes its own audit rows.
Nominations change state only through `thidua.rounds.services.transition_many`.
"""

from thidua.council.services.ballots import (
    cast_vote,
    cast_votes,
    enter_paper_tally,
    enter_written_votes,
    open_ballot,
    record_refused_vote,
)
from thidua.council.services.common import DENIED_CODES
from thidua.council.services.meetings import (
    record_attendance,
    remove_from_agenda,
    schedule_meeting,
    set_agenda,
)
from thidua.council.services.members import add_member, remove_member, set_up_council
from thidua.council.services.results import TIE_RULE, Tally, close_ballot, tally

__all__ = [
    "DENIED_CODES",
    "TIE_RULE",
    "Tally",
    "add_member",
    "cast_vote",
    "cast_votes",
    "close_ballot",
    "enter_paper_tally",
    "enter_written_votes",
    "open_ballot",
    "record_attendance",
    "record_refused_vote",
    "remove_from_agenda",
    "remove_member",
    "schedule_meeting",
    "set_agenda",
    "set_up_council",
    "tally",
]
