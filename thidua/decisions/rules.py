"""Who may do what with decisions and submissions (django-rules, autodiscovered).

Reading is decided by the selectors (another agency's document is 404). Acting:
- the commendation officer and the administrator draft decisions, forward nominations in a
  submission and record the higher authority's decision;
- the director (who signs) and the officer (who enters the signed decision) issue, revoke and
  correct decisions (Điều 80.1 Luật TĐKT 2022: the head of the agency decides).
"""

import rules

from thidua.accounts.models import Role
from thidua.accounts.rules import in_same_agency, is_agency_editor
from thidua.accounts.selectors import scope_for


@rules.predicate
def is_officer(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.has(Role.OFFICER)


@rules.predicate
def is_director(user) -> bool:
    return scope_for(user).has(Role.DIRECTOR)


@rules.predicate
def reads_decisions(user) -> bool:
    """Agency-wide roles, unit heads and staff read the agency's decisions."""
    scope = scope_for(user)
    return scope.agency_wide or bool(scope.unit_paths) or scope.has(Role.STAFF)


@rules.predicate
def sees_drafts(user) -> bool:
    return scope_for(user).agency_wide


rules.add_perm("decisions.view_decisions", reads_decisions)
rules.add_perm("decisions.view_drafts", sees_drafts)
# Without an object: whether to offer the rounds waiting for a decision or a submission.
rules.add_perm("decisions.prepare", is_agency_editor)
rules.add_perm("decisions.draft_decision", in_same_agency & is_agency_editor)
rules.add_perm("decisions.issue_decision", in_same_agency & (is_officer | is_director))
rules.add_perm("decisions.change_decision", in_same_agency & (is_officer | is_director))
rules.add_perm("decisions.forward", in_same_agency & is_agency_editor)
rules.add_perm("decisions.record_outside_decision", in_same_agency & is_agency_editor)
