"""Reads of the organisation: trees, lists and histories, always within a user's scope."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from thidua.accounts.selectors import people_visible_to, units_visible_to
from thidua.core.text import fold
from thidua.org.models import Membership, Person, Unit, UnitEvent, UnitState


@dataclass
class TreeNode:
    unit: Unit
    depth: int
    staff_count: int


def unit_tree(user, *, include_dissolved: bool = False) -> list[TreeNode]:
    """The visible units in tree order (depth-first), with their current staff counts."""
    qs = units_visible_to(user)
    if not include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    units = list(qs.annotate(staff_count=Count("current_people")).order_by("sort_order", "name"))
    by_parent: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        by_parent.setdefault(parent, []).append(unit)
    result: list[TreeNode] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in by_parent.get(parent_id, []):
            result.append(TreeNode(unit=unit, depth=depth, staff_count=unit.staff_count))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return result


def search_people(
    user,
    *,
    query: str = "",
    unit: Unit | None = None,
    include_sub_units: bool = True,
    include_left: bool = False,
) -> QuerySet[Person]:
    """People visible to `user`, in Vietnamese name order, matching `query` without diacritics.

    Every word of the query must appear (in the name or the staff code): "nguyen a" finds
    "Nguyễn Văn Á".
    """
    qs = people_visible_to(user).select_related("unit")
    for word in fold(query).split():
        qs = qs.filter(search_text__contains=word)
    if unit is not None:
        if include_sub_units:
            qs = qs.filter(unit__path__startswith=unit.path)
        else:
            qs = qs.filter(unit=unit)
    if not include_left:
        qs = qs.filter(left_on__isnull=True)
    return qs.order_by("sort_key", "pk")


def people_page(people: QuerySet[Person], *, number, per_page: int) -> Page:
    """One page of `people` (from `search_people`), counted and sliced over ids only.

    The ids come from the person_list index, so a deep page's OFFSET skips index entries rather
    than whole rows; then only the page's people are loaded, by id.
    """
    page = Paginator(people.values_list("pk", flat=True), per_page).get_page(number)
    found = Person.objects.select_related("unit").in_bulk(list(page.object_list))
    page.object_list = [found[pk] for pk in page.object_list]
    return page


def unit_names_on(unit_ids: set[int], date: datetime.date) -> dict[int, str]:
    """What each unit was called on `date` (its state then, or its first state if none)."""
    states = UnitState.objects.filter(unit_id__in=unit_ids).order_by("unit_id", "valid_from")
    names: dict[int, str] = {}
    for state in states:
        if state.valid_from <= date and (state.valid_to is None or date <= state.valid_to):
            names[state.unit_id] = state.name
        names.setdefault(state.unit_id, state.name)
    return names


@dataclass
class MembershipRow:
    membership: Membership
    unit_name_then: str


def membership_history(person: Person) -> list[MembershipRow]:
    """A person's assignments, each named with the unit's name at the assignment's start."""
    memberships = list(person.memberships.select_related("unit").order_by("-start"))
    rows = []
    for m in memberships:
        names = unit_names_on({m.unit_id}, m.start)
        rows.append(MembershipRow(membership=m, unit_name_then=names.get(m.unit_id, m.unit.name)))
    return rows


def unit_history(unit: Unit) -> tuple[list[UnitState], list[UnitEvent]]:
    states = list(unit.states.select_related("parent").order_by("valid_from"))
    events = list(
        UnitEvent.objects.filter(Q(sources=unit) | Q(targets=unit))
        .prefetch_related("sources", "targets")
        .distinct()
        .order_by("date", "id")
    )
    return states, events


def members_on(unit: Unit, date: datetime.date) -> QuerySet[Person]:
    """The people who were members of `unit` on `date`."""
    return Person.objects.filter(
        Q(memberships__end__isnull=True) | Q(memberships__end__gte=date),
        memberships__unit=unit,
        memberships__start__lte=date,
    ).distinct()


def unit_choices(user, *, agency_id: int) -> QuerySet[Unit]:
    """Active units a form may offer to `user`."""
    return (
        units_visible_to(user)
        .filter(agency_id=agency_id, dissolved_on__isnull=True)
        .order_by("path", "sort_order")
    )
