"""The records of a person or unit read in one query (issue #2's load goal): every kind of
record through one UNION ALL, grouped by year in the order each list shows, nothing outside the
user's scope.

Personas (thidua/conftest.py): the officer sees the whole agency; the head of PA sees PA and
PA1; the officer of the other agency sees none of it.
"""

import datetime

from thidua.accounts.selectors import scope_for
from thidua.records import selectors, services
from thidua.records.models import Achievement, Award, AwardStatus, Discipline, PendingCase, Rating

D = datetime.date


def _records(w) -> tuple[Award, Award, Award]:
    """Two years of every kind of record of `in_a1`, and records of others that must not show;
    the three awards of 2024."""
    a, p = w.agency, w.in_a1
    Rating.objects.create(agency=a, person=p, year=2023, level="HTXSNV", months_worked=9,
                          maternity_leave=True, self_reliant=False, rated_by_director=True,
                          note="Nghỉ thai sản")  # fmt: skip
    Rating.objects.create(agency=a, person=p, year=2024, level="HTTNV")
    wrong = Award.objects.create(agency=a, person=p, year=2024, title="LDTT", decision_number="1",
                                 status=AwardStatus.CORRECTED)  # fmt: skip
    right = Award.objects.create(agency=a, person=p, year=2024, title="LDTT", decision_number="2",
                                 decision_date=D(2024, 12, 20), authority="Giám đốc Sở")  # fmt: skip
    gk = Award.objects.create(agency=a, person=p, year=2024, title="GK", decision_number="3")
    for name in ("Số hoá hồ sơ", "Biểu mẫu điện tử"):
        services.add_initiative(actor=None, person=p, year=2023, name=name, scope="CO_SO")
    Discipline.objects.create(agency=a, person=p, decided_on=D(2023, 3, 1), kind="KHIEN_TRACH")
    Discipline.objects.create(agency=a, person=p, decided_on=D(2023, 9, 1), kind="CANH_CAO",
                              months=6, decision_number="9/QĐ")  # fmt: skip
    Achievement.objects.create(agency=a, person=p, year=2022, kind="AD_HOC", description="Sớm")
    PendingCase.objects.create(agency=a, person=p, kind="COMPLAINT", opened_on=D(2024, 2, 1))
    PendingCase.objects.create(agency=a, person=p, kind="INSPECTION", opened_on=D(2024, 6, 1),
                               note="Thanh tra")  # fmt: skip
    PendingCase.objects.create(agency=a, person=p, kind="DISCIPLINE", opened_on=D(2023, 1, 1),
                               closed_on=D(2023, 5, 1))  # fmt: skip
    # The unit's own record and a colleague's: neither is the person's.
    Rating.objects.create(agency=a, unit=w.unit_a1, year=2024, level="HTXSNV")
    Rating.objects.create(agency=a, person=w.colleague, year=2024, level="HTNV")
    return wrong, right, gk


def test_person_records_reads_every_kind_in_one_query(world, django_assert_num_queries):
    wrong, right, gk = _records(world)
    officer = world.users["officer"]
    scope_for(officer)  # read once per request, before the page

    with django_assert_num_queries(1):
        records = selectors.person_records(officer, world.in_a1)

    assert [y.year for y in records.years] == [2024, 2023, 2022]
    y2024, y2023, y2022 = records.years
    assert y2024.rating == ("HTTNV", 12, False, True, False, "")
    assert y2023.rating == ("HTXSNV", 9, True, False, True, "Nghỉ thai sản")
    # By title, then in the order recorded.
    assert [(a.pk, a.title, a.status) for a in y2024.awards] == [
        (gk.pk, "GK", "ACTIVE"),
        (wrong.pk, "LDTT", "CORRECTED"),
        (right.pk, "LDTT", "ACTIVE"),
    ]
    assert y2024.awards[2] == (right.pk, 2024, "LDTT", "2", D(2024, 12, 20), "Giám đốc Sở",
                               "ACTIVE", "")  # fmt: skip
    assert [i.name for i in y2023.initiatives] == ["Biểu mẫu điện tử", "Số hoá hồ sơ"]
    assert y2023.disciplines == [
        (D(2023, 9, 1), "CANH_CAO", 6, "9/QĐ"),
        (D(2023, 3, 1), "KHIEN_TRACH", 12, ""),
    ]
    assert y2022.achievements == [("Sớm", "AD_HOC")]
    assert (y2022.rating, y2022.awards, y2023.awards) == (None, [], [])
    assert records.open_cases == [
        ("INSPECTION", D(2024, 6, 1), "Thanh tra"),
        ("COMPLAINT", D(2024, 2, 1), ""),
    ]


def test_person_records_outside_the_scope_are_empty_without_a_query(
    world, django_assert_num_queries
):
    _records(world)
    for persona, person in (("other", world.in_a1), ("head", world.in_b)):
        user = world.users[persona]
        scope_for(user)
        with django_assert_num_queries(0):
            records = selectors.person_records(user, person)
        assert (records.years, records.open_cases) == ([], [])


def test_person_history_is_the_records_by_year(world):
    _records(world)

    history = selectors.person_history(world.users["head"], world.in_a1)

    assert [y.year for y in history] == [2024, 2023, 2022]


def test_unit_history_reads_the_units_own_records(world):
    _records(world)
    Achievement.objects.create(agency=world.agency, unit=world.unit_a1, year=2021,
                               kind="MOVEMENT", description="Phong trào")  # fmt: skip

    history = selectors.unit_history(world.users["head"], world.unit_a1)
    outside = selectors.unit_history(world.users["other"], world.unit_a1)

    assert [(y.year, y.rating, y.achievements) for y in history] == [
        (2024, ("HTXSNV", 12, False, True, False, ""), []),
        (2021, None, [("Phong trào", "MOVEMENT")]),
    ]
    assert outside == []
