"""Who may do what in award rounds (django-rules), checked the same way by views and services.

Visibility (may the user see this round or dossier at all?) is `rounds.selectors`: outside it the
pages answer 404. These predicates decide what a user may do with what they see:

- the officer and the administrator manage rounds, check dossiers, return them for amendment,
  pass those that need no vote and run the public posting;
- a unit head nominates people and units of their subtree and edits, submits and withdraws the
  dossiers of the units they head (a branch's dossier goes through its parent unit's head);
- the director and the council members read every dossier; staff read their own.
"""

import rules

from thidua.accounts.rules import in_same_agency, is_agency_editor, is_unit_head, sees_many
from thidua.accounts.selectors import scope_for


@rules.predicate
def has_a_role(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.roles)


@rules.predicate
def heads_nominating_unit(user, nomination) -> bool:
    """The user heads the unit that proposed the nomination, or a unit above it."""
    if nomination is None:
        return False
    return scope_for(user).covers_path(nomination.nominating_unit.path)


@rules.predicate
def reaches_subject(user, subject) -> bool:
    """The subject is a person of the user's units (and sub-units) or one of those units."""
    if subject is None:
        return False
    scope = scope_for(user)
    if subject._meta.model_name == "person":
        return subject.unit_id is not None and scope.covers_path(subject.unit.path)
    return scope.covers_path(subject.path)


rules.add_perm("rounds.view_rounds", has_a_role)
rules.add_perm("rounds.manage_rounds", is_agency_editor)
rules.add_perm("rounds.change_round", in_same_agency & is_agency_editor)
rules.add_perm("rounds.view_nomination_list", sees_many)
rules.add_perm("rounds.nominate", in_same_agency & (is_agency_editor | is_unit_head))
rules.add_perm("rounds.nominate_subject", in_same_agency & (is_agency_editor | reaches_subject))
rules.add_perm("rounds.change_dossier", in_same_agency & (is_agency_editor | heads_nominating_unit))
rules.add_perm("rounds.check_dossier", in_same_agency & is_agency_editor)
rules.add_perm("rounds.manage_posting", in_same_agency & is_agency_editor)
