"""The officer's list of a round's nominations and the candidates for nomination."""

from collections import Counter
from dataclasses import dataclass, field

import polars as pl
from django.conf import settings as django_settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from thidua.accounts.selectors import people_visible_to, scope_for, units_visible_to
from thidua.core.text import fold
from thidua.eligibility.catalogue import TITLES, title_def
from thidua.eligibility.engine import evaluate
from thidua.eligibility.selectors import agency_settings
from thidua.org.models import Unit
from thidua.records.enums import TitleCode
from thidua.rounds.models import (
    ENDED_BADLY,
    Nomination,
    NominationState,
    Round,
)
from thidua.rounds.selectors.visibility import counts_table, nominations_visible_to, state_counts

# --- the officer's list -----------------------------------------------------------------------


@dataclass
class NominationListing:
    page: Page
    counts: dict[str, int]
    total: int = 0
    filtered: int = 0
    table: list[dict] = field(default_factory=list)


# Up to this many units, the list's unit filter offers them all.
FILTER_UNITS_ALL = 300


def filter_units(user) -> QuerySet[Unit]:
    """The units the list's unit filter offers. The filter takes a unit's subtree, so
    agency-wide users of a large agency get the top-level units (a province's ~1,500 units would
    make every page of the list heavy); unit heads every unit they head."""
    units = units_visible_to(user).filter(dissolved_on__isnull=True)
    if scope_for(user).agency_wide and units.count() > FILTER_UNITS_ALL:
        units = units.filter(parent__isnull=True)
    return units.order_by("path")


# What the officer's list shows of each nomination.
LIST_COLUMNS = (
    "pk", "round_id", "agency_id", "title", "state", "eligible", "warnings", "updated_at",
    "person__full_name", "person__staff_code", "person__agency_id", "person__unit_id",
    "unit__name", "unit__agency_id", "nominating_unit__name", "nominating_unit__path",
)  # fmt: skip


# The list's order; `_searched` sorts the same way in Python.
LIST_ORDER = ("nominating_unit_id", "title", "sort_key", "pk")


def _searched(base: QuerySet[Nomination], state: str | None) -> tuple[dict[str, int], list[int]]:
    """The counts per state and the ordered ids of a search's matches, from one query.

    A name matches a few dozen dossiers (a bare syllable such as "ha", at worst a third of the
    round), so they are read once, with what orders them, and counted, filtered and sorted
    here: in SQL that is two reads of the round, for the counts and for the page
    (bench/ROUNDS.md). Collectives have an empty sort key and come first within their title, as
    the database orders them.
    """
    rows = list(
        base.order_by().values_list("pk", "state", "nominating_unit_id", "title", "sort_key")
    )
    counts = dict(Counter(row[1] for row in rows))

    def order(row) -> tuple:
        pk, _state, unit_id, title, sort_key = row
        return (unit_id, title, bytes(sort_key), pk)

    return counts, [row[0] for row in sorted(rows, key=order) if not state or row[1] == state]


def _page_ids(ordered: QuerySet, page: Page) -> list[int]:
    """The ids of `page` of the ordered list, read from whichever end of it is nearer.

    An OFFSET makes the database sort and skip every row before the page: page 90 of 100 cost
    6 ms of PostgreSQL, page 1 0.4 ms (bench/ROUNDS.md). Read backwards, a page near the end is
    as cheap as one near the start; the reversed order (NULLs included) is exactly the list's
    order turned round, since the primary key ends it.
    """
    count = page.paginator.count
    bottom, top = max(page.start_index() - 1, 0), page.end_index()
    if bottom <= count - top:
        return list(page.object_list)
    return list(ordered.reverse()[count - top : count - bottom])[::-1]


def nomination_list(
    user,
    round: Round,
    *,
    state: str | None = None,
    unit: Unit | None = None,
    title: str | None = None,
    q: str | None = None,
    page: int | str | None = 1,
) -> NominationListing:
    """One page of the round's nominations the user may see, with the count of each state.

    Built for rounds of thousands of dossiers: the counts per state are one GROUP BY (over the
    other filters, so the state links say what each would show), the page's length comes from
    those counts instead of a second COUNT, the page is sliced over ids and its rows come in
    one query with their subject and units (3 queries in all, whatever the page; a search
    counts and orders its matches from one query, `_searched`).
    """
    base = nominations_visible_to(user).filter(round=round)
    if unit is not None:
        base = base.filter(nominating_unit__path__startswith=unit.path)
    if title:
        base = base.filter(title=title)
    words = fold(q or "").split()
    for word in words:
        base = base.filter(search_text__contains=word)
    if words:
        counts, ids = _searched(base, state)
    else:
        counts = state_counts(base)
        shown = base.filter(state=state) if state else base
        # Grouped by nominating unit (in the order units were created: tree order after an
        # import; the tree's paths would cost a sort of every row), then title, then names the
        # Vietnamese way. The page is chosen over ids alone (an OFFSET that skips ids, not
        # joined rows), then only its rows are read, with only the columns the list shows: a
        # dossier's report and conditions can be long.
        ids = shown.order_by(*LIST_ORDER).values_list("pk", flat=True)
    total = sum(counts.values())
    filtered = counts.get(state, 0) if state else total
    paginator = Paginator(ids, django_settings.PAGE_SIZE)
    # The length is known from the counts: spare the paginator its own COUNT(*).
    paginator.__dict__["count"] = filtered
    current = paginator.get_page(page)
    page_ids = list(current.object_list) if words else _page_ids(ids, current)
    rows = (
        Nomination.objects.select_related("person", "unit", "nominating_unit")
        .only(*LIST_COLUMNS)
        .in_bulk(page_ids)
    )
    # Labels looked up once per page: get_FOO_display hashes lazy choices on every call.
    titles = {k: str(v) for k, v in TitleCode.choices}
    states = {k: str(v) for k, v in NominationState.choices}
    current.object_list = [rows[pk] for pk in page_ids]
    for n in current.object_list:
        n.title_label = titles.get(n.title, n.title)
        n.state_label = states.get(n.state, n.state)
    return NominationListing(
        page=current,
        counts=counts,
        total=total,
        filtered=filtered,
        table=counts_table(counts),
    )


# --- candidates for the nominate page ---------------------------------------------------------


def candidates(
    user, round: Round, *, unit: Unit | None = None, title: str | None = None
) -> list[dict]:
    """Subjects in the user's scope whom the engine finds eligible for one of the round's titles
    and who are not nominated for it yet, with the engine's explanation, for pre-filling.

    Agency-wide users get the whole agency evaluated; a unit head only their subtree (the engine
    gives the same verdicts either way).
    """
    scope = scope_for(user)
    people = people_visible_to(user).filter(agency_id=round.agency_id, left_on__isnull=True)
    units = units_visible_to(user).filter(agency_id=round.agency_id, dissolved_on__isnull=True)
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
        units = units.filter(path__startswith=unit.path)
    person_rows = {
        pk: (name, code, sort_key, unit_name)
        for pk, name, code, sort_key, unit_name in people.values_list(
            "pk", "full_name", "staff_code", "sort_key", "unit__name"
        )
    }
    unit_rows = {pk: (name, code) for pk, name, code in units.values_list("pk", "name", "code")}
    if not person_rows and not unit_rows:
        return []
    limited = not scope.agency_wide or unit is not None
    evaluation = evaluate(
        agency_ids=[round.agency_id],
        year=round.year,
        settings=agency_settings(round.agency_id),
        review=round.review_date,
        person_ids=list(person_rows) if limited else None,
        unit_ids=list(unit_rows) if limited else None,
    )
    titles = [t for t in round.titles if not title or t == title]
    keep = (
        pl.col("eligible").fill_null(False)
        & pl.col("title").is_in(titles)
        & (
            ((pl.col("kind") == "person") & pl.col("subject_id").is_in(list(person_rows)))
            | ((pl.col("kind") == "unit") & pl.col("subject_id").is_in(list(unit_rows)))
        )
    )
    evaluation.restrict(keep)
    taken = set()
    for person_id, unit_id, title in (
        Nomination.objects.filter(round=round)
        .exclude(state__in=ENDED_BADLY)
        .values_list("person_id", "unit_id", "title")
    ):
        taken.add(("person", person_id, title) if person_id else ("unit", unit_id, title))
    order = {(t.code, t.subject): i for i, t in enumerate(TITLES)}
    found = []
    for row in evaluation.results.iter_rows(named=True):
        key = (row["kind"], row["subject_id"], row["title"])
        if key in taken:
            continue
        if row["kind"] == "person":
            name, code, sort_key, unit_name = person_rows[row["subject_id"]]
        else:
            (name, code), sort_key, unit_name = unit_rows[row["subject_id"]], b"", ""
        found.append(
            {
                "kind": row["kind"],
                "subject_id": row["subject_id"],
                "value": f"{row['kind'][0]}{row['subject_id']}:{row['title']}",
                "name": name,
                "code": code,
                "unit_name": unit_name,
                "title": row["title"],
                "title_name": title_def(row["title"], row["kind"]).name,
                "conditions": row["conditions"] or [],
                "_order": (order.get((row["title"], row["kind"]), 99), bytes(sort_key), name),
            }
        )
    found.sort(key=lambda c: c["_order"])
    for c in found:
        del c["_order"]
    return found


def subjects_in_reach(user, round: Round, *, query: str, limit: int = 30) -> list[dict]:
    """People and units of the user's scope matching `query`, for "nominate someone else"."""
    words = fold(query).split()
    if not words:
        return []
    people = people_visible_to(user).filter(agency_id=round.agency_id, left_on__isnull=True)
    for word in words:
        people = people.filter(search_text__contains=word)
    found = [
        {"value": f"p{pk}", "name": name, "code": code, "unit_name": unit_name, "kind": "person"}
        for pk, name, code, unit_name in people.order_by("sort_key", "pk").values_list(
            "pk", "full_name", "staff_code", "unit__name"
        )[:limit]
    ]
    units = units_visible_to(user).filter(agency_id=round.agency_id, dissolved_on__isnull=True)
    for pk, name, code in units.order_by("path").values_list("pk", "name", "code"):
        text = fold(f"{name} {code}")
        if all(w in text for w in words):
            found.append(
                {"value": f"u{pk}", "name": name, "code": code, "unit_name": "", "kind": "unit"}
            )
        if len(found) >= limit * 2:
            break
    return found
