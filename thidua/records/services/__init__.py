"""Writing the yearly records: ratings, awards, initiatives, disciplines, achievements, cases.

Every function takes keyword arguments, runs in one transaction, checks its rules, raises
`BusinessRuleError` (naming the field at fault) and writes its own audit rows with the values
before and after. Awards are legal records: they are revoked or corrected, never deleted, and a
correction is a new record that the old one points to (`replaced_by`).

The `check_*` functions apply the same rules without writing, so that an import can report
every refused row before anything is written.
"""

from thidua.records.services.awards import check_award, correct_award, record_award, revoke_award
from thidua.records.services.bulk_awards import correct_awards, record_awards, revoke_awards
from thidua.records.services.common import (
    AWARD_CORRECTABLE,
    DECREE_90,
    MAX_DISCIPLINE_MONTHS,
    MIN_YEAR,
    subject_kind,
)
from thidua.records.services.disciplines import (
    add_discipline,
    check_discipline,
    close_pending_case,
    open_pending_case,
    update_discipline,
)
from thidua.records.services.initiatives import (
    add_achievement,
    add_initiative,
    check_initiative,
    update_initiative,
)
from thidua.records.services.ratings import (
    RatingEntry,
    RatingRowsError,
    check_rating,
    disciplines_in_year,
    set_rating,
    set_ratings,
)

__all__ = [
    "AWARD_CORRECTABLE",
    "DECREE_90",
    "MAX_DISCIPLINE_MONTHS",
    "MIN_YEAR",
    "RatingEntry",
    "RatingRowsError",
    "add_achievement",
    "add_discipline",
    "add_initiative",
    "check_award",
    "check_discipline",
    "check_initiative",
    "check_rating",
    "close_pending_case",
    "correct_award",
    "correct_awards",
    "disciplines_in_year",
    "open_pending_case",
    "record_award",
    "record_awards",
    "revoke_award",
    "revoke_awards",
    "set_rating",
    "set_ratings",
    "subject_kind",
    "update_discipline",
    "update_initiative",
]
