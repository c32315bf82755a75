"""Writes of award rounds and nominations. Every state change goes through `transition`.

Each function takes keyword arguments, runs in one transaction, checks who may take the step and
the step's rules, raises `BusinessRuleError` with a Vietnamese message (naming the field at
fault) and writes its audit rows.
"""

from thidua.rounds.services.assessment import Assessment, assess, quota_codes
from thidua.rounds.services.dossier import (
    add_evidence,
    mark_checked,
    pass_without_vote,
    remove_evidence,
    return_for_amendment,
    submit,
    update_dossier,
    withdraw,
)
from thidua.rounds.services.nominations import nominate, nominate_many
from thidua.rounds.services.posting import answer_comment, record_comment, start_posting
from thidua.rounds.services.rounds import close_round, create_round, update_round
from thidua.rounds.services.workflow import transition, transition_many

__all__ = [
    "Assessment",
    "add_evidence",
    "answer_comment",
    "assess",
    "close_round",
    "create_round",
    "mark_checked",
    "nominate",
    "nominate_many",
    "pass_without_vote",
    "quota_codes",
    "record_comment",
    "remove_evidence",
    "return_for_amendment",
    "start_posting",
    "submit",
    "transition",
    "transition_many",
    "update_dossier",
    "update_round",
    "withdraw",
]
