"""Permission predicates, defined once and used by views, templates and the API (django-rules).

Visibility (may the user see this object at all?) is decided by the selectors in
`accounts.selectors`: objects outside it answer 404. These predicates decide what the user may do.
"""

import rules

from thidua.accounts.models import Role
from thidua.accounts.selectors import scope_for


@rules.predicate
def is_agency_editor(user) -> bool:
    return scope_for(user).agency_editor


@rules.predicate
def is_admin(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.has(Role.ADMIN)


@rules.predicate
def is_unit_head(user) -> bool:
    return bool(scope_for(user).unit_paths)


@rules.predicate
def heads_unit_of_person(user, person) -> bool:
    if person is None or person.unit_id is None:
        return False
    scope = scope_for(user)
    return person.agency_id == scope.agency_id and scope.covers_path(person.unit.path)


@rules.predicate
def in_same_agency(user, obj) -> bool:
    if obj is None:
        return False
    scope = scope_for(user)
    return scope.superuser or obj.agency_id == scope.agency_id


rules.add_perm("org.change_person", in_same_agency & (is_agency_editor | heads_unit_of_person))
rules.add_perm("org.add_person", is_agency_editor | is_unit_head)
rules.add_perm("org.change_unit", in_same_agency & is_agency_editor)
rules.add_perm("org.restructure_units", is_agency_editor)
rules.add_perm("imports.run_import", is_agency_editor)
rules.add_perm("audit.view_log", is_agency_editor)
rules.add_perm("accounts.manage_users", is_admin)


@rules.predicate
def sees_many(user) -> bool:
    scope = scope_for(user)
    return scope.agency_wide or bool(scope.unit_paths)


rules.add_perm("eligibility.view_agency", sees_many)
rules.add_perm("eligibility.change_settings", is_admin)


# --- yearly records (thidua.records) -----------------------------------------------------------


@rules.predicate
def rates_subject(user, subject) -> bool:
    """A unit head rates the people of their units and the sub-units below them.

    Not their own unit (the director rates it) and not themself (nobody rates their own work).
    """
    if subject is None:
        return False
    scope = scope_for(user)
    if subject.agency_id != scope.agency_id:
        return False
    kind = subject._meta.model_name
    if kind == "person":
        if subject.pk == scope.person_id or subject.unit_id is None:
            return False
        return scope.covers_path(subject.unit.path)
    if kind == "unit":
        return any(subject.path.startswith(p) and subject.path != p for p in scope.unit_paths)
    return False


@rules.predicate
def heads_unit(user, unit) -> bool:
    """The user heads `unit` or a unit above it."""
    return unit is not None and scope_for(user).covers_path(unit.path)


rules.add_perm("records.rate", in_same_agency & (is_agency_editor | rates_subject))
rules.add_perm("records.rate_unit_staff", in_same_agency & (is_agency_editor | heads_unit))
rules.add_perm("records.add_initiative", in_same_agency & (is_agency_editor | rates_subject))
rules.add_perm("records.record_award", in_same_agency & is_agency_editor)
rules.add_perm("records.change_award", in_same_agency & is_agency_editor)
rules.add_perm("records.add_discipline", in_same_agency & is_agency_editor)
rules.add_perm("records.add_achievement", in_same_agency & is_agency_editor)
rules.add_perm("records.manage_pending_cases", in_same_agency & is_agency_editor)
