"""Reads of the organisation: trees, lists and histories, always within a user's scope."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from thidua.accounts.selectors import people_visible_to, scope_for, units_visible_to
from thidua.core.text import fold
from thidua.org import people_index
from thidua.org.models import Membership, OrgVersion, Person, Unit, UnitEvent, UnitState


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


# --- the people list ---------------------------------------------------------------------------
#
# The list is the page everyone opens, at province scale (50,000 people): its people are chosen
# in memory (`people_index`), and only the page's rows are read from the database
# (bench/README.md has the figures).


def org_version() -> int | None:
    """The current `OrgVersion` token, or None when there is none (then nothing is cached)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {OrgVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


class UnitOption(NamedTuple):
    """A unit the people list's filter offers."""

    pk: int
    code: str
    name: str
    path: str


class PersonRow(dict):
    """A row of the people list: a dict for the template (its fastest lookup), attributes for
    Python code (`row.full_name`)."""

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class PeopleList:
    """The people list as one request of `user` sees it.

    The `OrgVersion` token is read once, when the list is made (one plain query): what the
    list derives from the people and units tables (the agency's `people_index`, the units it
    offers) is taken as of that token, so a list made after a write, even one not yet
    committed, sees it. Without a token (another database, a test that flushed the tables),
    and for the installation's superuser (whose list spans agencies), the list reads the
    database.
    """

    def __init__(self, user) -> None:
        self.user = user
        self.scope = scope_for(user)
        self.index: people_index.PeopleIndex | None = None
        if self.scope.agency_id is not None and not self.scope.superuser:
            token = org_version()
            if token is not None:
                self.index = people_index.for_agency(self.scope.agency_id, token)

    def units(self) -> list[UnitOption]:
        """The active units the user sees, in tree order: what the unit filter offers."""

        def compute() -> list[UnitOption]:
            units = units_visible_to(self.user).filter(dissolved_on__isnull=True)
            rows = units.order_by("path").values_list("pk", "code", "name", "path")
            return [UnitOption(*row) for row in rows]

        if self.index is None:
            return compute()
        return self.index.memo(("units", self.scope.units_key()), compute)

    def page(
        self, *, query: str = "", unit: Unit | None = None, number=None, per_page: int
    ) -> Page:
        """One page of `search_people(user, query=…, unit=…)`.

        The same people in the same order, but `page.object_list` holds `PersonRow` dicts (pk,
        staff_code, full_name, position, unit_name, url), not model objects. The count is
        exact. Page numbers behave as `Paginator.get_page`: not a number → the first page, out
        of range → the last page.
        """
        if self.index is None:
            people = search_people(self.user, query=query, unit=unit).values_list("pk")
            page = Paginator(people, per_page).get_page(number)
            page.object_list = _list_rows(_people_by_id([pk for (pk,) in page.object_list]))
            return page
        scope = self.scope
        within = self.index.subset(
            scope.people_key(),
            unit_ids=None if scope.agency_wide else scope.unit_ids,
            person_id=None if scope.agency_wide else scope.own_person_id,
            unit_path=unit.path if unit else None,
        )
        matches = self.index.matches(fold(query).split(), within)
        # A range stands for the matches: the paginator counts and slices it without a query.
        page = Paginator(range(matches.count), per_page).get_page(number)
        stretch = page.object_list
        people = self.index.people(matches.rows(stretch.start, len(stretch)))
        page.object_list = _list_rows(people)
        return page


# A person id no real row has, to cut the person page's URL around it once per page.
_URL_MARK = 987654321


def _people_by_id(ids: list[int]) -> list[tuple]:
    """(person id, staff code, full name, position, unit name) of these people, in this order:
    what `PeopleIndex.people` gives, for a list read without the index."""
    rows = Person.objects.filter(pk__in=ids).values_list(
        "pk", "staff_code", "full_name", "position", "unit__name"
    )
    found = {row[0]: row for row in rows}
    return [found[pk] for pk in ids if pk in found]


def _list_rows(people: Iterable[tuple]) -> list[PersonRow]:
    """The list's rows of `(person id, staff code, full name, position, unit name)`."""
    # One reverse() for the page, not one {% url %} per row.
    head, tail = reverse("org:person", args=[_URL_MARK]).split(str(_URL_MARK))
    return [
        PersonRow(
            pk=pk,
            staff_code=staff_code,
            full_name=full_name,
            position=position or "",
            # Someone without a unit (imported so): an empty cell.
            unit_name=unit_name or "",
            url=f"{head}{pk}{tail}",
        )
        for pk, staff_code, full_name, position, unit_name in people
    ]


def unit_names_on(unit_ids: set[int], date: datetime.date) -> dict[int, str]:
    """What each unit was called on `date` (its state then, or its first state if none)."""
    states = _states_by_unit(unit_ids)
    return {unit_id: _name_on(rows, date) for unit_id, rows in states.items()}


def _states_by_unit(unit_ids) -> dict[int, list[tuple]]:
    """(valid_from, valid_to, name) of each unit's states, oldest first, in one query."""
    states: dict[int, list[tuple]] = {}
    rows = (
        UnitState.objects.filter(unit_id__in=unit_ids)
        .order_by("unit_id", "valid_from")
        .values_list("unit_id", "valid_from", "valid_to", "name")
    )
    for unit_id, valid_from, valid_to, name in rows:
        states.setdefault(unit_id, []).append((valid_from, valid_to, name))
    return states


def _name_on(states: list[tuple], date: datetime.date) -> str:
    for valid_from, valid_to, name in states:
        if valid_from <= date and (valid_to is None or date <= valid_to):
            return name
    return states[0][2]


@dataclass
class MembershipRow:
    membership: Membership
    unit_name_then: str


def membership_history(person: Person) -> list[MembershipRow]:
    """A person's assignments, each named with the unit's name at the assignment's start.

    Two queries whatever the number of assignments (two plain reads cost less than one with
    correlated subqueries for the name).
    """
    memberships = list(person.memberships.select_related("unit").order_by("-start"))
    states = _states_by_unit({m.unit_id for m in memberships})
    return [
        MembershipRow(
            membership=m,
            unit_name_then=_name_on(states[m.unit_id], m.start)
            if m.unit_id in states
            else m.unit.name,
        )
        for m in memberships
    ]


@dataclass
class PersonPage:
    person: Person  # with `unit` (its id, name and path only)
    history: list[MembershipRow]


# The person's own columns (not the search and sort keys), their unit, and each assignment with
# its unit's states: one row per assignment and state of its unit. The units come from
# subqueries, not joins: PostgreSQL plans them faster (0.21 ms of backend for the read instead
# of 0.33 ms).
_PERSON_FIELDS = [
    f.attname for f in Person._meta.concrete_fields if f.name not in ("search_text", "sort_key")
]


def _person_page_sql() -> str:
    unit, person, membership, state = (
        model._meta.db_table for model in (Unit, Person, Membership, UnitState)
    )
    return (
        f"SELECT {', '.join(f'p.{name}' for name in _PERSON_FIELDS)},"
        f" (SELECT name FROM {unit} WHERE id = p.unit_id),"
        f" (SELECT path FROM {unit} WHERE id = p.unit_id),"
        ' m.id, m.unit_id, m.position, m.start, m."end",'
        f" (SELECT name FROM {unit} WHERE id = m.unit_id),"
        " s.valid_from, s.valid_to, s.name"
        f" FROM {person} p LEFT JOIN {membership} m ON m.person_id = p.id"
        f" LEFT JOIN {state} s ON s.unit_id = m.unit_id"
        " WHERE p.id = %s ORDER BY m.start DESC, m.id, s.valid_from"
    )


_PERSON_PAGE_SQL = _person_page_sql()
_MEMBERSHIP_FIELDS = ["id", "person_id", "unit_id", "position", "start", "end"]


def person_page(user, pk: int) -> PersonPage | None:
    """The person `pk` and their assignments (as `membership_history`), in one plain query;
    None if the person is not in the user's scope.

    The person page's main read: through the ORM, building the scoped query of the person
    alone cost 0.3 ms, six times this whole read.
    """
    with connection.cursor() as cursor:
        cursor.execute(_PERSON_PAGE_SQL, [pk])
        rows = cursor.fetchall()
    if not rows:
        return None
    person = Person.from_db(connection.alias, _PERSON_FIELDS, rows[0][: len(_PERSON_FIELDS)])
    if not scope_for(user).sees_person(person.pk, person.agency_id, person.unit_id):
        return None
    unit_name, unit_path = rows[0][len(_PERSON_FIELDS) : len(_PERSON_FIELDS) + 2]
    if person.unit_id is not None:
        person.unit = Unit.from_db(
            connection.alias, ["id", "name", "path"], [person.unit_id, unit_name, unit_path]
        )
    assignments: dict[int, tuple[Membership, str, list[tuple]]] = {}
    for row in rows:
        m_id, m_unit_id, position, start, end, name_now, valid_from, valid_to, name = row[
            len(_PERSON_FIELDS) + 2 :
        ]
        if m_id is None:  # no assignment at all
            continue
        if m_id not in assignments:
            membership = Membership.from_db(
                connection.alias,
                _MEMBERSHIP_FIELDS,
                [m_id, person.pk, m_unit_id, position, start, end],
            )
            assignments[m_id] = (membership, name_now, [])
        if valid_from is not None:
            assignments[m_id][2].append((valid_from, valid_to, name))
    history = [
        MembershipRow(membership=m, unit_name_then=_name_on(states, m.start) if states else now)
        for m, now, states in assignments.values()
    ]
    return PersonPage(person=person, history=history)


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
