"""What each user may see of rounds and nominations; anything else answers 404.

Officers, administrators, the director and council members see every round and dossier of their
agency; a unit head sees the dossiers their units proposed and those about people and units of
their subtree; staff see their own nominations (and the rounds, to find them).
"""

from django.db.models import Count, Q, QuerySet

from thidua.accounts.selectors import of_own_agency, scope_for
from thidua.org.models import Person
from thidua.rounds.models import Nomination, NominationState, Round


def rounds_visible_to(user) -> QuerySet[Round]:
    """The rounds of the user's agency, for anyone holding a role there."""
    scope = scope_for(user)
    if not scope.superuser and not scope.roles:
        return Round.objects.none()
    return of_own_agency(user, Round.objects.all())


def nominations_visible_to(user) -> QuerySet[Nomination]:
    """The dossiers the user may read (see the module docstring)."""
    scope = scope_for(user)
    qs = of_own_agency(user, Nomination.objects.all())
    if scope.superuser or scope.agency_wide:
        return qs
    q = Q(pk__in=[])
    if scope.unit_ids:
        # People of the units as a subquery (index on org_person.unit_id), not a join: joined,
        # the OR made PostgreSQL read all of a province's people for every page of the list
        # (bench/ROUNDS.md: the unit head's list, 12 ms of database work → 2 ms).
        people = Person.objects.filter(unit_id__in=scope.unit_ids).values("pk")
        q |= (
            Q(nominating_unit_id__in=scope.unit_ids)
            | Q(person_id__in=people)
            | Q(unit_id__in=scope.unit_ids)
        )
    if scope.person_id:
        q |= Q(person_id=scope.person_id)
    return qs.filter(q)


def state_counts(nominations: QuerySet[Nomination]) -> dict[str, int]:
    """State → number of nominations, in one GROUP BY query."""
    rows = nominations.order_by().values_list("state").annotate(n=Count("id"))
    return {state: n for state, n in rows}


def counts_table(counts: dict[str, int]) -> list[dict]:
    """Every state in workflow order with its count (for the round page and the list filters)."""
    return [
        {"state": s.value, "label": s.label, "count": counts.get(s.value, 0)}
        for s in NominationState
    ]
