"""Helpers to write a history of records and read the engine's verdicts.

A test writes the records of one agency year by year, as the TĐKT officer would have entered them
(`h.rate(person, {2023: "HTXSNV", 2024: "HTTNV"})`, `h.award(person, 2023, "CSTDCS")`), runs the
engine (`h.evaluate(2024)`) and reads one subject's verdict on one title
(`verdict(ev, person, "CSTDCS")`).

Messages are translated (the `vi` catalogue is active), so tests assert on the evidence a
message carries — years, level and title codes, the marks ✓/✗ — never on its words.
"""

import datetime
import re
from dataclasses import dataclass

import polars as pl
import pytest

from thidua.eligibility.engine import Evaluation, evaluate
from thidua.eligibility.selectors import agency_settings
from thidua.org.models import Agency, Membership, Person, Unit
from thidua.records.models import (
    Achievement,
    Award,
    AwardStatus,
    Discipline,
    Initiative,
    PendingCase,
    Rating,
)
from thidua.testing import AgencyFactory, PersonFactory, UnitFactory

OK, KO = "✓", "✗"
D = datetime.date
LONG_AGO = D(2010, 3, 1)  # a recruitment date that satisfies every length-of-service rule


@dataclass
class Verdict:
    """One subject's result on one title: eligible or not, and each condition with its message."""

    eligible: bool
    unit_id: int | None
    conditions: dict[str, dict]

    def passed(self, code: str) -> bool:
        return self.conditions[code]["passed"]

    def message(self, code: str) -> str:
        return self.conditions[code]["message"]

    @property
    def codes(self) -> list[str]:
        return list(self.conditions)


def kind_of(subject: Person | Unit) -> str:
    return "person" if isinstance(subject, Person) else "unit"


def verdict(evaluation: Evaluation, subject: Person | Unit, title: str) -> Verdict:
    rows = evaluation.results.filter(
        (pl.col("kind") == kind_of(subject))
        & (pl.col("subject_id") == subject.pk)
        & (pl.col("title") == title)
    ).to_dicts()
    assert len(rows) == 1, f"{len(rows)} results for {subject} / {title}"
    row = rows[0]
    return Verdict(
        eligible=bool(row["eligible"]),
        unit_id=row["unit_id"],
        conditions={
            c["code"]: {"passed": bool(c["passed"]), "message": c["message"]}
            for c in row["conditions"]
        },
    )


_CHAIN = re.compile(r"(\d{4}):\s[^·✓✗]*?([✓✗])")


def chain(message: str) -> dict[int, str]:
    """The year-by-year evidence of a message, "Năm 2022: CSTĐCS ✓ · Năm 2023: …" → {2022: "✓"}."""
    return {int(year): mark for year, mark in _CHAIN.findall(message)}


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def has_numbers(message: str, *values: float) -> bool:
    """Whether the numbers `values` appear in `message`, in this order (others may lie between)."""
    found = iter(float(n) for n in _NUMBER.findall(message))
    return all(any(n == float(v) for n in found) for v in values)


def quota(evaluation: Evaluation, code: str, scope: str) -> dict:
    """The quota row of `code` for the agency ("AGENCY") or a unit (its code)."""
    rows = [q for q in evaluation.quotas if q["code"] == code and q["scope"] == scope]
    assert len(rows) == 1, f"{len(rows)} quota rows {code}/{scope}: {evaluation.quotas}"
    return rows[0]


class History:
    """Writes the records of one agency. Every record carries the agency, as the models require."""

    def __init__(self, agency: Agency):
        self.agency = agency
        self._units = 0

    # Organisation -------------------------------------------------------------------------
    def unit(self, code: str | None = None, **kw) -> Unit:
        self._units += 1
        return UnitFactory(agency=self.agency, code=code or f"U{self._units:02d}", **kw)

    def person(self, unit: Unit, *, recruited_on: datetime.date = LONG_AGO, **kw) -> Person:
        return PersonFactory(agency=self.agency, unit=unit, recruited_on=recruited_on, **kw)

    def people(self, unit: Unit, n: int, **kw) -> list[Person]:
        return [self.person(unit, **kw) for _ in range(n)]

    def transfer(self, person: Person, unit: Unit, *, on: datetime.date) -> None:
        """Move `person` to `unit` from `on`: the open membership ends the day before."""
        Membership.objects.filter(person=person, end__isnull=True).update(
            end=on - datetime.timedelta(days=1)
        )
        Membership.objects.create(person=person, unit=unit, start=on)
        Person.objects.filter(pk=person.pk).update(unit=unit)

    # Records ------------------------------------------------------------------------------
    def _subject(self, subject: Person | Unit) -> dict:
        key = "person" if isinstance(subject, Person) else "unit"
        return {"agency": self.agency, key: subject}

    def rate(
        self,
        subject: Person | Unit,
        levels: dict[int, str],
        *,
        months: int = 12,
        maternity: bool = False,
        self_reliant: bool = True,
    ) -> None:
        """Ratings by year. `months`, `maternity` and `self_reliant` apply to every year given."""
        for year, level in levels.items():
            Rating.objects.create(
                **self._subject(subject),
                year=year,
                level=level,
                months_worked=months,
                maternity_leave=maternity,
                self_reliant=self_reliant,
            )

    def rate_years(self, subject: Person | Unit, level: str, years) -> None:
        self.rate(subject, dict.fromkeys(years, level))

    def award(
        self, subject: Person | Unit, year: int, title: str, *, status: str = AwardStatus.ACTIVE
    ) -> Award:
        return Award.objects.create(**self._subject(subject), year=year, title=title, status=status)

    def initiative(
        self, person: Person, year: int, *, scope: str = "CO_SO", kind: str = "SANG_KIEN"
    ) -> Initiative:
        n = Initiative.objects.filter(person=person).count()
        return Initiative.objects.create(
            agency=self.agency,
            person=person,
            year=year,
            name=f"Sáng kiến {n + 1}",
            scope=scope,
            kind=kind,
        )

    def discipline(
        self,
        person: Person,
        decided_on: datetime.date,
        *,
        kind: str = "KHIEN_TRACH",
        months: int = 12,
    ) -> Discipline:
        return Discipline.objects.create(
            agency=self.agency, person=person, decided_on=decided_on, kind=kind, months=months
        )

    def achievement(
        self, subject: Person | Unit, year: int, *, kind: str = Achievement.Kind.MOVEMENT
    ) -> Achievement:
        return Achievement.objects.create(
            **self._subject(subject), year=year, kind=kind, description="Thành tích"
        )

    def pending(
        self,
        person: Person,
        opened_on: datetime.date,
        *,
        closed_on: datetime.date | None = None,
        kind: str = PendingCase.Kind.INSPECTION,
    ) -> PendingCase:
        return PendingCase.objects.create(
            agency=self.agency, person=person, kind=kind, opened_on=opened_on, closed_on=closed_on
        )

    # Engine -------------------------------------------------------------------------------
    def settings(self, **overrides) -> dict:
        return agency_settings(self.agency.pk) | overrides

    def evaluate(self, year: int, *, review: datetime.date | None = None, **settings) -> Evaluation:
        """The whole agency's evaluation of `year` (settings: the agency's, with overrides)."""
        return evaluate(
            agency_ids=[self.agency.pk],
            year=year,
            settings=self.settings(**settings),
            review=review,
        )

    def verdict(self, year: int, subject: Person | Unit, title: str, **kw) -> Verdict:
        return verdict(self.evaluate(year, **kw), subject, title)


@pytest.fixture
def h(db) -> History:
    """An empty agency to write a history in: "Sở Tài nguyên và Môi trường tỉnh Lạng Sơn"."""
    return History(AgencyFactory(code="STNMT_LS", name="Sở Tài nguyên và Môi trường tỉnh Lạng Sơn"))


@pytest.fixture
def unit(h) -> Unit:
    return h.unit("VPDKDD", name="Văn phòng Đăng ký đất đai")
