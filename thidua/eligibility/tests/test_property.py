"""One engine for one subject and for a whole agency: the answers must be the same.

For random histories — a few units, 5–15 people moving between them, six years of ratings,
past titles (some revoked), initiatives of every scope, disciplines, maternity leave, short
years, achievements, pending cases — the agency's bulk evaluation equals the evaluation of each
person alone and of each unit alone (same eligible flag, same conditions with the same
messages), under each regime: 2021 (R2017), 2024 (R2024), 2025 (R2025).

Each example checks one of the three years, drawn with the history: an evaluation costs some
30 ms whatever its size, and checking every subject alone in all three years of every example
would triple the time of the test. Over 30 examples each year is drawn about ten times.
"""

import datetime

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.eligibility.catalogue import PERSON_TITLES, UNIT_TITLES
from thidua.eligibility.engine import Evaluation, evaluate
from thidua.org.models import Membership, Person
from thidua.records.models import (
    Achievement,
    Award,
    Discipline,
    Initiative,
    PendingCase,
    Rating,
)
from thidua.testing import PersonFactory, UnitFactory

D = datetime.date
YEARS = (2021, 2024, 2025)
RATED = range(2020, 2026)  # six years of ratings
LEVELS = st.sampled_from(["HTXSNV", "HTTNV", "HTNV", "KHTNV", None])
PAST = range(2016, 2025)

person_strategy = st.fixed_dictionaries(
    {
        "unit": st.integers(0, 2),
        "recruited_on": st.sampled_from(
            [
                D(2010, 3, 1),
                D(2020, 7, 1),
                D(2021, 3, 1),
                D(2021, 7, 2),
                D(2024, 7, 1),
                D(2025, 3, 1),
            ]
        ),
        # (to unit, on, same_day): same_day keeps the old membership open on the day itself.
        "transfer": st.none()
        | st.tuples(
            st.integers(0, 2),
            st.sampled_from([D(2021, 12, 31), D(2023, 7, 1), D(2024, 12, 31), D(2025, 6, 1)]),
            st.booleans(),
        ),
        "ratings": st.lists(LEVELS, min_size=len(RATED), max_size=len(RATED)),
        "months": st.sampled_from([12, 12, 10, 8, 4]),
        "maternity": st.booleans(),
        "self_reliant": st.sampled_from([True, True, True, False]),
        "awards": st.dictionaries(
            st.tuples(
                st.sampled_from(PAST), st.sampled_from(["LDTT", "CSTDCS", "CSTD_TINH", "BK_TINH"])
            ),
            st.sampled_from(["ACTIVE", "ACTIVE", "ACTIVE", "REVOKED"]),
            max_size=6,
        ),
        "initiatives": st.lists(
            st.tuples(
                st.sampled_from(range(2016, 2026)),
                st.sampled_from(["CO_SO", "BO_TINH", "TOAN_QUOC"]),
                st.sampled_from(["SANG_KIEN", "DE_TAI"]),
            ),
            max_size=4,
        ),
        "disciplines": st.dictionaries(
            st.sampled_from(
                [D(2019, 5, 1), D(2021, 3, 15), D(2024, 2, 1), D(2025, 2, 1), D(2025, 9, 1)]
            ),
            st.tuples(
                st.sampled_from(["KHIEN_TRACH", "CANH_CAO", "HA_BAC_LUONG"]),
                st.sampled_from([6, 12, 24]),
            ),
            max_size=2,
        ),
        "achievements": st.lists(
            st.tuples(st.sampled_from(YEARS), st.sampled_from(Achievement.Kind.values)),
            max_size=2,
        ),
        "pending": st.none()
        | st.tuples(
            st.sampled_from([D(2021, 6, 1), D(2025, 3, 1), D(2025, 10, 1)]),
            st.sampled_from([None, D(2025, 8, 1)]),
        ),
    }
)

unit_strategy = st.fixed_dictionaries(
    {
        "ratings": st.lists(LEVELS, min_size=len(RATED), max_size=len(RATED)),
        "ttldxs": st.lists(st.sampled_from(range(2019, 2025)), max_size=2, unique=True),
        "achievements": st.lists(st.sampled_from(YEARS), max_size=2, unique=True),
    }
)

history_strategy = st.tuples(
    st.lists(unit_strategy, min_size=2, max_size=3),
    st.lists(person_strategy, min_size=5, max_size=15),
    st.sampled_from(YEARS),
)


def _build(agency, unit_specs, person_specs) -> tuple[list, list]:
    """Write the drawn history into the database (bulk inserts: the test must stay fast)."""
    units = [UnitFactory(agency=agency, code=f"P{i}") for i in range(len(unit_specs))]
    ratings, awards, initiatives, disciplines, achievements, pending = [], [], [], [], [], []
    for unit, spec in zip(units, unit_specs, strict=True):
        for year, level in zip(RATED, spec["ratings"], strict=True):
            if level:
                ratings.append(Rating(agency=agency, unit=unit, year=year, level=level))
        awards += [Award(agency=agency, unit=unit, year=y, title="TTLDXS") for y in spec["ttldxs"]]
        achievements += [
            Achievement(agency=agency, unit=unit, year=y, kind="MOVEMENT", description="x")
            for y in spec["achievements"]
        ]
    people = []
    for spec in person_specs:
        home = units[spec["unit"] % len(units)]
        person = PersonFactory(agency=agency, unit=home, recruited_on=spec["recruited_on"])
        people.append(person)
        if spec["transfer"]:
            to, on, same_day = spec["transfer"]
            target = units[to % len(units)]
            if on > spec["recruited_on"] and target != home:
                end = on if same_day else on - datetime.timedelta(days=1)
                Membership.objects.filter(person=person).update(end=end)
                Membership.objects.create(person=person, unit=target, start=on)
                Person.objects.filter(pk=person.pk).update(unit=target)
        for year, level in zip(RATED, spec["ratings"], strict=True):
            if level:
                ratings.append(
                    Rating(
                        agency=agency,
                        person=person,
                        year=year,
                        level=level,
                        months_worked=spec["months"],
                        maternity_leave=spec["maternity"],
                        self_reliant=spec["self_reliant"],
                    )
                )
        awards += [
            Award(agency=agency, person=person, year=year, title=title, status=status)
            for (year, title), status in spec["awards"].items()
        ]
        initiatives += [
            Initiative(
                agency=agency,
                person=person,
                year=year,
                scope=scope,
                kind=kind,
                name=f"Sáng kiến {i}",
            )
            for i, (year, scope, kind) in enumerate(spec["initiatives"])
        ]
        disciplines += [
            Discipline(agency=agency, person=person, decided_on=day, kind=kind, months=months)
            for day, (kind, months) in spec["disciplines"].items()
        ]
        achievements += [
            Achievement(agency=agency, person=person, year=year, kind=kind, description="x")
            for year, kind in spec["achievements"]
        ]
        if spec["pending"]:
            opened, closed = spec["pending"]
            if closed is None or closed > opened:
                pending.append(
                    PendingCase(
                        agency=agency,
                        person=person,
                        kind="INSPECTION",
                        opened_on=opened,
                        closed_on=closed,
                    )
                )
    for model, rows in (
        (Rating, ratings),
        (Award, awards),
        (Initiative, initiatives),
        (Discipline, disciplines),
        (Achievement, achievements),
        (PendingCase, pending),
    ):
        model.objects.bulk_create(rows)
    return units, people


def _answers(evaluation: Evaluation) -> dict:
    """(kind, subject, title) → (eligible, unit, conditions as (code, passed, message))."""
    return {
        (row["kind"], row["subject_id"], row["title"]): (
            row["eligible"],
            row["unit_id"],
            [(c["code"], c["passed"], c["message"]) for c in row["conditions"]],
        )
        for row in evaluation.results.iter_rows(named=True)
    }


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(history=history_strategy)
def test_bulk_evaluation_equals_each_subject_alone(h, history):
    """The engine reads the same records for one subject as for the agency (domain.md:
    "one implementation serves one subject and a whole agency")."""
    unit_specs, person_specs, year = history
    with transaction.atomic():
        units, people = _build(h.agency, unit_specs, person_specs)
        settings_ = h.settings()
        bulk = _answers(evaluate(agency_ids=[h.agency.pk], year=year, settings=settings_))
        assert len(bulk) == len(PERSON_TITLES) * len(people) + len(UNIT_TITLES) * len(units)
        for kind, subjects in (("person", people), ("unit", units)):
            for subject in subjects:
                ids = (
                    {"person_ids": [subject.pk]} if kind == "person" else {"unit_ids": [subject.pk]}
                )
                alone = _answers(
                    evaluate(agency_ids=[h.agency.pk], year=year, settings=settings_, **ids)
                )
                expected = {k: v for k, v in bulk.items() if k[:2] == (kind, subject.pk)}
                assert alone == expected, (year, kind, subject.pk)
        transaction.set_rollback(True)
