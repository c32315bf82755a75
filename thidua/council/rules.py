"""Who may do what with the council (django-rules; autodiscovered).

Seeing a meeting at all is the selectors' business (`meetings_visible_to`: 404 outside it).
These predicates decide what a user who sees it may do (403 otherwise):

- the officer and the administrator of the agency manage the council, its meetings, the agenda,
  attendance, the written votes of absent members and the paper tally, and open and close ballots;
- only an active member of the meeting's council votes: the COUNCIL role alone is not enough,
  the seat is what counts (and a member who is not an officer manages nothing);
- whoever sees the meeting (agency-wide roles and the members, the director who chairs among
  them) sees its results once closed: tallies only.
"""

import rules

from thidua.accounts.rules import is_agency_editor
from thidua.accounts.selectors import scope_for
from thidua.council.models import Council, Meeting
from thidua.council.selectors import seat_of


def _agency_of(obj) -> int | None:
    if isinstance(obj, Council):
        return obj.agency_id
    if isinstance(obj, Meeting):
        return obj.council.agency_id
    council = getattr(obj, "council", None)
    return council.agency_id if council is not None else getattr(obj, "agency_id", None)


def _council_id(obj) -> int | None:
    if isinstance(obj, Council):
        return obj.pk
    return getattr(obj, "council_id", None)


@rules.predicate
def in_council_agency(user, obj) -> bool:
    """`obj` (a council, a meeting, a seat) belongs to the user's agency."""
    if obj is None:
        return False
    scope = scope_for(user)
    return scope.superuser or _agency_of(obj) == scope.agency_id


@rules.predicate
def sits_on_council(user, obj) -> bool:
    """The user holds an active seat in the council of `obj` (a council or a meeting)."""
    council_id = _council_id(obj)
    return council_id is not None and seat_of(user, council_id) is not None


@rules.predicate
def sees_council_pages(user) -> bool:
    """Agency-wide roles, and anyone holding a seat in a council, open the council pages."""
    scope = scope_for(user)
    if scope.agency_wide:
        return True
    return (
        getattr(user, "is_authenticated", False) and user.council_seats.filter(active=True).exists()
    )


rules.add_perm("council.view", sees_council_pages)
rules.add_perm("council.set_up", is_agency_editor)
rules.add_perm("council.manage", in_council_agency & is_agency_editor)
rules.add_perm("council.vote", in_council_agency & sits_on_council)
