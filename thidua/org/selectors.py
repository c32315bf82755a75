"""Reads of the organisation: trees, lists and histories, always within a user's scope."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Subquery
from django.urls import reverse

from thidua.accounts.selectors import people_visible_to, scope_for, units_visible_to
from thidua.core.text import fold
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
# The list is the page everyone opens, at province scale (50,000 people): it is read with as
# little as possible between the database and the HTML (bench/README.md has the figures).


def org_version() -> int | None:
    """The current `OrgVersion` token, or None when there is none (then nothing is cached)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {OrgVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


_CACHE: dict[tuple, object] = {}
_CACHE_LIMIT = 1024


def cached_on_version[T](key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, remembered in this process until a unit or a person is written.

    `key` must name everything the value depends on besides the units and people tables. The
    token is read before computing, so a value computed while a write commits is filed under
    the token from before the write, which no reader asks for once the write is visible.
    """
    version = org_version()
    if version is None:
        return compute()
    full_key = (version, *key)
    try:
        return _CACHE[full_key]  # type: ignore[return-value]
    except KeyError:
        pass
    value = compute()
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()  # old tokens' entries are never asked for again
    _CACHE[full_key] = value
    return value


def unit_options(user, *, limit: int) -> list[tuple[int, str, str]] | None:
    """The active units `user` sees, as (id, name, path) in tree order; None beyond `limit`.

    What the people list's unit filter offers (a list, or a code field when there are too many);
    the same for every request of the same scope until a unit or person is written.
    """

    def compute() -> list[tuple[int, str, str]] | None:
        units = units_visible_to(user).filter(dissolved_on__isnull=True).order_by("path")
        rows = list(units.values_list("pk", "name", "path")[: limit + 1])
        return None if len(rows) > limit else rows

    return cached_on_version(("unit_options", scope_for(user).units_key(), limit), compute)


class PersonRow(dict):
    """A row of the people list: a dict for the template (its fastest lookup), attributes for
    Python code (`row.full_name`)."""

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


# Beyond this offset a page reads its ids from the person_list_order index first: SQLite would
# otherwise read the row of every person it skips (page 500: 4.3 ms instead of 1.0 ms).
_DIRECT_OFFSET = 500
_ROW_FIELDS = ("pk", "staff_code", "full_name", "position")
# A person id no real row has, to cut the person page's URL around it once per page.
_URL_MARK = 987654321


def people_list_page(
    user, *, query: str = "", unit: Unit | None = None, number=None, per_page: int
) -> Page:
    """One page of `search_people(user, query=…, unit=…)` for the people list.

    The same people in the same order as `search_people`, but `page.object_list` holds
    `PersonRow` dicts (pk, staff_code, full_name, position, unit_name, url), not model objects.
    The count costs as little as it can: without a search text it is the same for every
    request of the same scope, so it is cached until a person or unit is written
    (`cached_on_version`); a page that comes back short tells its own count, so a rare name
    is found with one query instead of two. Page numbers behave as `Paginator.get_page`: not a
    number → the first page, out of range → the last page.
    """
    people = search_people(user, query=query, unit=unit)
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    rows: list[PersonRow] = []
    count = None
    if wanted >= 1:
        rows = _rows(people, (wanted - 1) * per_page, per_page)
        if len(rows) < per_page and (rows or wanted == 1):
            count = (wanted - 1) * per_page + len(rows)
    if count is None:
        if query.strip():
            count = people.count()
        else:
            key = ("people_count", scope_for(user).people_key(), unit.pk if unit else None)
            count = cached_on_version(key, people.count)
    paginator = Paginator(people, per_page)
    paginator.count = count  # a cached_property: set, it is not counted again
    last = paginator.num_pages
    if not 1 <= wanted <= last:
        wanted = last
        rows = _rows(people, (wanted - 1) * per_page, per_page)
    return Page(rows, wanted, paginator)


def _rows(people: QuerySet[Person], offset: int, limit: int) -> list[PersonRow]:
    fields = {"unit_name": F("unit__name")}
    if offset <= _DIRECT_OFFSET:
        rows = list(people.values(*_ROW_FIELDS, **fields)[offset : offset + limit])
    else:
        ids = people.values("pk")[offset : offset + limit]
        rows = list(
            Person.objects.filter(pk__in=Subquery(ids))
            .order_by(*people.query.order_by)
            .values(*_ROW_FIELDS, **fields)
        )
    # One reverse() for the page, not one {% url %} per row.
    head, tail = reverse("org:person", args=[_URL_MARK]).split(str(_URL_MARK))
    result = []
    for row in rows:
        row["url"] = f"{head}{row['pk']}{tail}"
        if row["unit_name"] is None:  # someone without a unit (imported so): an empty cell
            row["unit_name"] = ""
        result.append(PersonRow(row))
    return result


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
