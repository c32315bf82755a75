"""Reads of the yearly records, always through the user's scope.

A person's or unit's history is read in one query whatever the number of years and kinds of
record, and grouped by year, most recent first.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from django.db import connection
from django.db.models import Q, QuerySet

from thidua.accounts.selectors import people_visible_to, scope_for, units_visible_to
from thidua.org.models import Person, Unit
from thidua.records.models import (
    Achievement,
    Award,
    Discipline,
    Initiative,
    PendingCase,
    Rating,
)


# What the history shows of each record: plain rows, not model objects (a person with ten years
# of records has some sixty of them, and a model object costs fifteen times a row to build).
class YearRating(NamedTuple):
    level: str
    months_worked: int
    maternity_leave: bool
    self_reliant: bool
    rated_by_director: bool
    note: str


class YearAward(NamedTuple):
    pk: int
    year: int
    title: str
    decision_number: str
    decision_date: datetime.date | None
    authority: str
    status: str
    status_reason: str


class YearInitiative(NamedTuple):
    name: str
    kind: str
    scope: str


class YearDiscipline(NamedTuple):
    decided_on: datetime.date
    kind: str
    months: int
    decision_number: str


class YearAchievement(NamedTuple):
    description: str
    kind: str


class OpenCase(NamedTuple):
    """A discipline review, inspection or complaint not closed yet."""

    kind: str
    opened_on: datetime.date
    note: str


@dataclass
class YearRecords:
    """Everything recorded about one subject for one year."""

    year: int
    rating: YearRating | None = None
    awards: list[YearAward] = field(default_factory=list)
    initiatives: list[YearInitiative] = field(default_factory=list)
    disciplines: list[YearDiscipline] = field(default_factory=list)
    achievements: list[YearAchievement] = field(default_factory=list)


@dataclass
class PersonRecords:
    """The person page's records section: the history by year and the open cases."""

    years: list[YearRecords]
    open_cases: list[OpenCase]


# Every kind of record is read into the same columns, so that one UNION ALL reads them all: on
# PostgreSQL six plain queries cost ≈ 0.5 ms (Django and backend), the UNION ≈ 0.25 ms. A kind
# fills the columns it needs; the others are NULLs of the column's type, which PostgreSQL needs
# to match the branches. Each row starts with its kind and id.
_COLUMNS = {
    "year": "integer",
    "on_date": "date",  # orders disciplines and cases
    "sort_text": "varchar",  # orders awards (by title) and initiatives (by name)
    "code": "varchar",
    "code2": "varchar",
    "text": "varchar",
    "text2": "varchar",
    "text3": "varchar",
    "date": "date",
    "number": "integer",
    "flag": "boolean",
    "flag2": "boolean",
    "flag3": "boolean",
}
_BRANCHES = {
    "rating": (
        Rating,
        {
            "year": "year",
            "code": "level",
            "text": "note",
            "number": "months_worked",
            "flag": "maternity_leave",
            "flag2": "self_reliant",
            "flag3": "rated_by_director",
        },
    ),
    "award": (
        Award,
        {
            "year": "year",
            "sort_text": "title",
            "code": "title",
            "code2": "status",
            "text": "decision_number",
            "text2": "authority",
            "text3": "status_reason",
            "date": "decision_date",
        },
    ),
    "initiative": (
        Initiative,
        {"year": "year", "sort_text": "name", "code": "kind", "code2": "scope", "text": "name"},
    ),
    "discipline": (
        Discipline,
        {"on_date": "decided_on", "code": "kind", "text": "decision_number", "number": "months"},
    ),
    "achievement": (Achievement, {"year": "year", "code": "kind", "text": "description"}),
    "case": (PendingCase, {"on_date": "opened_on", "code": "kind", "text": "note"}),
}
PERSON_KINDS = ("rating", "award", "initiative", "discipline", "achievement", "case")
UNIT_KINDS = ("rating", "award", "achievement")


@cache
def _history_sql(subject_column: str, kinds: tuple[str, ...]) -> str:
    branches = []
    for kind in kinds:
        model, columns = _BRANCHES[kind]
        values = ", ".join(
            f"{columns.get(name, f'CAST(NULL AS {type_})')} AS {name}"
            for name, type_ in _COLUMNS.items()
        )
        where = f"{subject_column} = %s"
        if kind == "case":
            where += " AND closed_on IS NULL"
        branches.append(
            f"SELECT '{kind}' AS kind, id, {values} FROM {model._meta.db_table} WHERE {where}"
        )
    # Within each kind, the order its list shows: awards by year, title and id, initiatives by
    # year and name, disciplines and cases most recent first.
    return " UNION ALL ".join(branches) + " ORDER BY year DESC, on_date DESC, sort_text, id"


def _date(value) -> datetime.date | None:
    # SQLite types a UNION's columns after its first branch: dates of the others come as text
    # (and booleans as 0 and 1).
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _read_history(
    subject_column: str, subject_id: int, kinds: tuple[str, ...]
) -> tuple[list[YearRecords], list[OpenCase]]:
    with connection.cursor() as cursor:
        cursor.execute(_history_sql(subject_column, kinds), [subject_id] * len(kinds))
        rows = cursor.fetchall()
    years: dict[int, YearRecords] = {}
    cases: list[OpenCase] = []

    def of(year: int) -> YearRecords:
        return years.setdefault(year, YearRecords(year=year))

    for row in rows:
        kind, pk, year, on_date, _, code, code2, text, text2, text3, date, number = row[:12]
        if kind == "rating":
            maternity_leave, self_reliant, by_director = (bool(flag) for flag in row[12:])
            of(year).rating = YearRating(
                code, number, maternity_leave, self_reliant, by_director, text
            )
        elif kind == "award":
            award = YearAward(pk, year, code, text, _date(date), text2, code2, text3)
            of(year).awards.append(award)
        elif kind == "initiative":
            of(year).initiatives.append(YearInitiative(text, code, code2))
        elif kind == "discipline":
            decided_on = _date(on_date)
            of(decided_on.year).disciplines.append(YearDiscipline(decided_on, code, number, text))
        elif kind == "achievement":
            of(year).achievements.append(YearAchievement(text, code))
        else:
            cases.append(OpenCase(code, _date(on_date), text))
    return sorted(years.values(), key=lambda r: r.year, reverse=True), cases


def person_records(user, person: Person) -> PersonRecords:
    """The person's records by year, most recent first, and their open cases, in one query.

    Nothing if the person is out of the user's scope (decided from the scope, no query).
    """
    if not scope_for(user).sees_person(person.pk, person.agency_id, person.unit_id):
        return PersonRecords(years=[], open_cases=[])
    years, cases = _read_history("person_id", person.pk, PERSON_KINDS)
    return PersonRecords(years=years, open_cases=cases)


def person_history(user, person: Person) -> list[YearRecords]:
    """The person's records by year, most recent first; nothing if the person is out of scope."""
    return person_records(user, person).years


def unit_history(user, unit: Unit) -> list[YearRecords]:
    """The unit's own records (not its members') by year, most recent first."""
    if not units_visible_to(user).filter(pk=unit.pk).exists():
        return []
    return _read_history("unit_id", unit.pk, UNIT_KINDS)[0]


def awards_visible_to(user) -> QuerySet[Award]:
    """Awards of the people and units the user can see."""
    return Award.objects.filter(
        Q(person__in=people_visible_to(user)) | Q(unit__in=units_visible_to(user))
    ).select_related("person__unit", "unit")


def rating_of(subject: Person | Unit, year: int) -> Rating | None:
    """The subject's rating of `year`, if recorded (the caller has checked the scope)."""
    if isinstance(subject, Person):
        return Rating.objects.filter(person=subject, year=year).first()
    return Rating.objects.filter(unit=subject, year=year).first()


@dataclass
class RatingRow:
    person: Person
    rating: Rating | None


def people_to_rate(user, unit: Unit, year: int) -> list[RatingRow]:
    """The people of `unit` and its sub-units whom `user` may rate for `year`, with their rating.

    People who left before the year are not listed, nor the user themself (nobody rates their
    own work). Names in Vietnamese order.
    """
    people = (
        people_visible_to(user)
        .filter(unit__path__startswith=unit.path)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=datetime.date(year, 1, 1)))
        .select_related("unit")
        .order_by("sort_key", "pk")
    )
    person_id = getattr(user, "person_id", None)
    if person_id:
        people = people.exclude(pk=person_id)
    people = list(people)
    ratings = {
        r.person_id: r for r in Rating.objects.filter(person__in=[p.pk for p in people], year=year)
    }
    return [RatingRow(person=p, rating=ratings.get(p.pk)) for p in people]
