"""Reads of the yearly records, always through the user's scope.

A person's or unit's history is read in one query per kind of record, whatever the number of
years, and grouped by year, most recent first.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from thidua.accounts.selectors import people_visible_to, units_visible_to
from thidua.org.models import Person, Unit
from thidua.records.models import (
    Achievement,
    Award,
    Discipline,
    Initiative,
    PendingCase,
    Rating,
)


@dataclass
class YearRecords:
    """Everything recorded about one subject for one year."""

    year: int
    rating: Rating | None = None
    awards: list[Award] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    disciplines: list[Discipline] = field(default_factory=list)
    achievements: list[Achievement] = field(default_factory=list)


def _by_year(
    *,
    ratings: list[Rating],
    awards: list[Award],
    achievements: list[Achievement],
    initiatives: list[Initiative] = (),
    disciplines: list[Discipline] = (),
) -> list[YearRecords]:
    years: dict[int, YearRecords] = {}

    def row(year: int) -> YearRecords:
        return years.setdefault(year, YearRecords(year=year))

    for rating in ratings:
        row(rating.year).rating = rating
    for award in awards:
        row(award.year).awards.append(award)
    for initiative in initiatives:
        row(initiative.year).initiatives.append(initiative)
    for discipline in disciplines:
        row(discipline.decided_on.year).disciplines.append(discipline)
    for achievement in achievements:
        row(achievement.year).achievements.append(achievement)
    return sorted(years.values(), key=lambda r: r.year, reverse=True)


def person_history(user, person: Person) -> list[YearRecords]:
    """The person's records by year, most recent first; nothing if the person is out of scope."""
    visible = people_visible_to(user).filter(pk=person.pk)
    ratings = list(Rating.objects.filter(person__in=visible))
    awards = list(Award.objects.filter(person__in=visible).order_by("-year", "title", "id"))
    initiatives = list(Initiative.objects.filter(person__in=visible).order_by("-year", "name"))
    disciplines = list(Discipline.objects.filter(person__in=visible).order_by("-decided_on"))
    achievements = list(Achievement.objects.filter(person__in=visible).order_by("-year", "id"))
    return _by_year(
        ratings=ratings,
        awards=awards,
        initiatives=initiatives,
        disciplines=disciplines,
        achievements=achievements,
    )


def unit_history(user, unit: Unit) -> list[YearRecords]:
    """The unit's own records (not its members') by year, most recent first."""
    visible = units_visible_to(user).filter(pk=unit.pk)
    ratings = list(Rating.objects.filter(unit__in=visible))
    awards = list(Award.objects.filter(unit__in=visible).order_by("-year", "title", "id"))
    achievements = list(Achievement.objects.filter(unit__in=visible).order_by("-year", "id"))
    return _by_year(ratings=ratings, awards=awards, achievements=achievements)


def open_cases(user, person: Person) -> list[PendingCase]:
    """The person's discipline reviews, inspections and complaints not closed yet."""
    return list(
        PendingCase.objects.filter(
            person__in=people_visible_to(user).filter(pk=person.pk), closed_on__isnull=True
        ).order_by("-opened_on")
    )


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
