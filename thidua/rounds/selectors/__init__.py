"""Reads of award rounds and nominations, always starting from the user's scope.

Officers, administrators, the director and council members see every round and dossier of their
agency; a unit head sees the dossiers their units proposed and those about people and units of
their subtree; staff see their own nominations. Anything else is simply not found (404).
"""

from thidua.rounds.selectors.dossier import (
    decision_blockers,
    decision_blockers_many,
    dossier_changes,
    dossier_contents,
    file_name,
    history,
    needs_posting,
    person_or_unit,
    posting_titles,
    step_indicator,
    title_choices_for,
    vote_share_for,
)
from thidua.rounds.selectors.listing import (
    FILTER_UNITS_ALL,
    LIST_COLUMNS,
    LIST_ORDER,
    NominationListing,
    candidates,
    filter_units,
    nomination_list,
    subjects_in_reach,
)
from thidua.rounds.selectors.visibility import (
    counts_table,
    nominations_visible_to,
    rounds_visible_to,
    state_counts,
)

__all__ = [
    "FILTER_UNITS_ALL",
    "LIST_COLUMNS",
    "NominationListing",
    "candidates",
    "counts_table",
    "decision_blockers",
    "decision_blockers_many",
    "dossier_changes",
    "dossier_contents",
    "file_name",
    "filter_units",
    "history",
    "needs_posting",
    "nomination_list",
    "nominations_visible_to",
    "person_or_unit",
    "posting_titles",
    "LIST_ORDER",
    "rounds_visible_to",
    "state_counts",
    "step_indicator",
    "subjects_in_reach",
    "title_choices_for",
    "vote_share_for",
]
