"""The demo's ten years of records: the 2021 figures of seed 000 §II.4 come out of the engine.

The seeded database is shared by the tests of this module (conftest.py). Seeding twice and
completing an older seed: test_seed_runs.py.
"""

import datetime
from collections import Counter

import pytest

from thidua.demo import records_seed
from thidua.eligibility import selectors
from thidua.eligibility.catalogue import PERSON_TITLES, UNIT_TITLES
from thidua.org.models import Agency, Person, Unit
from thidua.records.models import Achievement, Award, Discipline, Initiative, Rating

YEARS = range(records_seed.FIRST_YEAR, records_seed.LAST_YEAR + 1)


@pytest.fixture
def ls(demo) -> Agency:
    return Agency.objects.get(code="STNMT-LS")


def _person(agency: Agency, code: str) -> Person:
    return Person.objects.get(agency=agency, staff_code=code)


def _result(agency: Agency, year: int, title: str, *, person: str = "", unit: str = "") -> dict:
    if person:
        subject = _person(agency, person)
        evaluation = selectors.evaluate_subject(agency=agency, year=year, person_id=subject.pk)
        rows = evaluation.for_subject("person", subject.pk)
    else:
        subject = Unit.objects.get(agency=agency, code=unit)
        evaluation = selectors.evaluate_subject(agency=agency, year=year, unit_id=subject.pk)
        rows = evaluation.for_subject("unit", subject.pk)
    row = rows.filter(rows["title"] == title).row(0, named=True)
    return {"eligible": row["eligible"], **{c["code"]: c["passed"] for c in row["conditions"]}}


def _eligible_ids(evaluation, kind: str, title: str) -> set[int]:
    return {
        r["subject_id"]
        for r in evaluation.results.iter_rows(named=True)
        if r["kind"] == kind and r["title"] == title and r["eligible"]
    }


def test_2021_ratings_decided_by_the_director_are_those_of_the_annual_report(ls):
    ratings = Rating.objects.filter(agency=ls, year=2021, rated_by_director=True)
    units = Counter(ratings.filter(unit__isnull=False).values_list("level", flat=True))
    people = Counter(ratings.filter(person__isnull=False).values_list("level", flat=True))
    assert units == {"HTXSNV": 6, "HTTNV": 3}
    assert people == {"HTXSNV": 17, "HTTNV": 22, "HTNV": 1}
    # The nine collectives are the units directly under the agency.
    assert set(ratings.filter(unit__isnull=False).values_list("unit__code", flat=True)) == set(
        Unit.objects.filter(agency=ls, parent__isnull=True).values_list("code", flat=True)
    )


def test_2021_engine_gives_199_advanced_workers_and_24_advanced_collectives(ls):
    evaluation = selectors.evaluate_agency(agency=ls, year=2021)
    counts = selectors.eligible_counts(evaluation)
    assert evaluation.regime == "R2017"
    assert evaluation.review == datetime.date(2021, 12, 31)
    assert counts[("person", "LDTT")] == 199
    assert counts[("unit", "TTLDTT")] == 24
    assert counts[("person", "GK")] == 60
    assert counts[("unit", "GK")] == 19


def test_2021_titles_granted_are_exactly_the_engines(ls):
    evaluation = selectors.evaluate_agency(agency=ls, year=2021)
    awards = Award.objects.filter(agency=ls, year=2021)
    ldtt = awards.filter(title="LDTT")
    ttldtt = awards.filter(title="TTLDTT")
    assert set(ldtt.values_list("person_id", flat=True)) == _eligible_ids(
        evaluation, "person", "LDTT"
    )
    assert set(ttldtt.values_list("unit_id", flat=True)) == _eligible_ids(
        evaluation, "unit", "TTLDTT"
    )
    assert (ldtt.count(), ttldtt.count()) == (199, 24)
    assert set(ldtt.values_list("decision_number", "decision_date", "authority")) == {
        ("05/QĐ-STNMT", datetime.date(2022, 1, 14), "Giám đốc Sở")
    }
    assert set(ttldtt.values_list("decision_number", flat=True)) == {"05/QĐ-STNMT"}
    # Giấy khen for 19 collectives and 60 persons; the Ministry's Bằng khen for 1 and 2.
    assert (awards.filter(title="GK", unit__isnull=False).count(), awards.filter(
        title="GK", person__isnull=False).count()) == (19, 60)  # fmt: skip
    bk = awards.filter(title="BK_TINH")
    assert (bk.filter(unit__isnull=False).count(), bk.filter(person__isnull=False).count()) == (
        1,
        2,
    )
    assert set(bk.values_list("authority", flat=True)) == {records_seed.MINISTRY}
    assert bk.get(unit__isnull=False).unit.code == "VPDKDD"


def test_the_three_collectives_refused_in_2021_each_fail_one_rule(ls):
    assert _result(ls, 2021, "TTLDTT", unit="CN-DL") == {
        "eligible": False, "rating": False, "members_ldtt": True, "no_member_warned": True,
    }  # fmt: skip
    assert _result(ls, 2021, "TTLDTT", unit="CN-BS") == {
        "eligible": False, "rating": True, "members_ldtt": True, "no_member_warned": False,
    }  # fmt: skip
    assert _result(ls, 2021, "TTLDTT", unit="TTTNMT-HCTH") == {
        "eligible": False, "rating": True, "members_ldtt": False, "no_member_warned": True,
    }  # fmt: skip


def test_every_award_of_every_year_is_one_the_engine_finds_eligible(demo):
    for agency in Agency.objects.all():
        for year in YEARS:
            evaluation = selectors.evaluate_agency(agency=agency, year=year)
            awards = Award.objects.filter(agency=agency, year=year)
            for kind, titles, field in (
                ("person", PERSON_TITLES, "person_id"),
                ("unit", UNIT_TITLES, "unit_id"),
            ):
                for title in titles:
                    granted = set(
                        awards.filter(title=title, **{f"{field}__isnull": False}).values_list(
                            field, flat=True
                        )
                    )
                    eligible = _eligible_ids(evaluation, kind, title)
                    assert granted <= eligible, (agency.code, year, kind, title)
                    if title in ("LDTT", "TTLDTT"):
                        assert granted == eligible, (agency.code, year, title)
            # The rating quota (Nghị định 48/2023) holds agency-wide; CSTĐCS are granted within
            # 15% of the LĐTT (Nghị định 91/2017), even when more are eligible.
            (rating,) = [
                q for q in evaluation.quotas
                if q["scope"] == "AGENCY" and q["code"] == "RATING_HTXSNV"
            ]  # fmt: skip
            assert rating["used"] <= rating["limit"], (agency.code, year)
            cstdcs = awards.filter(title="CSTDCS").count()
            assert cstdcs <= int(0.15 * awards.filter(title="LDTT").count())


def test_ten_years_of_plausible_records(ls):
    for year in YEARS:
        people = Counter(
            Rating.objects.filter(agency=ls, year=year, person__isnull=False).values_list(
                "level", flat=True
            )
        )
        assert people.most_common(1)[0][0] == "HTTNV", year
        assert people["HTNV"] < people["HTTNV"] / 5, year
        assert Rating.objects.filter(agency=ls, year=year, unit__isnull=False).count() == 27
    # Every person is rated every year they worked at least 6 months of.
    for person in Person.objects.filter(agency=ls):
        first = person.recruited_on.year + (person.recruited_on.month > 7)
        years = set(Rating.objects.filter(person=person).values_list("year", flat=True))
        assert years == set(range(max(first, 2016), 2026)), person.staff_code
    # The director rates 41 leaders (40 in 2021: LS0076 joined in September).
    director = Rating.objects.filter(agency=ls, person__isnull=False, rated_by_director=True)
    assert director.values("person").distinct().count() == 41
    assert not director.filter(person__position="Giám đốc", person__unit__code="BGD").exists()
    initiatives = Counter(Initiative.objects.filter(agency=ls).values_list("scope", flat=True))
    assert initiatives["TOAN_QUOC"] == 1
    assert 2 <= initiatives["BO_TINH"] <= 5
    assert initiatives["CO_SO"] > 100
    assert Discipline.objects.filter(agency=ls).count() == 4
    assert Rating.objects.filter(agency=ls, maternity_leave=True).count() == 2
    for award in Award.objects.filter(agency=ls, authority="Giám đốc Sở"):
        assert award.decision_number.endswith("/QĐ-STNMT")
        assert (award.decision_date.year, award.decision_date.month) == (award.year + 1, 1)
    # The province's 2025 titles are left for the demo's award round.
    assert set(Award.objects.filter(agency=ls, year=2025).values_list("title", flat=True)) == {
        "LDTT",
        "CSTDCS",
        "TTLDTT",
        "GK",
    }
    assert Achievement.objects.filter(agency=ls, year=2021).count() == 79


def test_the_star_went_from_cstdcs_to_national_emulation_fighter(ls):
    star = _person(ls, records_seed.STAR)
    titles = set(Award.objects.filter(person=star).values_list("year", "title"))
    assert {(y, "CSTDCS") for y in YEARS} <= titles
    assert {(2021, "CSTD_TINH"), (2024, "CSTD_TINH"), (2024, "CSTD_TQ")} <= titles
    assert {(y, t) for y, t in titles if t == "CSTD_TINH"} == {
        (2021, "CSTD_TINH"),
        (2024, "CSTD_TINH"),
    }
    assert Award.objects.get(person=star, title="CSTD_TQ").authority == "Thủ tướng Chính phủ"
    assert _result(ls, 2024, "CSTD_TQ", person=records_seed.STAR)["cstd_tinh_twice"]
    # Eligible for the Prime Minister's Bằng khen, never granted: a nomination for the demo.
    assert _result(ls, 2025, "BK_TTG", person=records_seed.STAR)["eligible"]
    assert not Award.objects.filter(person=star, title="BK_TTG").exists()


def test_one_person_is_eligible_for_provincial_emulation_fighter_in_2025(ls):
    result = _result(ls, 2025, "CSTD_TINH", person=records_seed.CSTD_TINH_2025)
    assert result == {
        "eligible": True, "cstdcs_3_years": True, "initiative_province": True,
        "no_pending_case": True,
    }  # fmt: skip
    person = _person(ls, records_seed.CSTD_TINH_2025)
    assert set(
        Award.objects.filter(person=person, title="CSTDCS").values_list("year", flat=True)
    ) == {2023, 2024, 2025}
    assert not Award.objects.filter(person=person, title="CSTD_TINH").exists()


def test_one_person_is_one_year_short_of_the_provincial_bang_khen_in_2025(ls):
    code = records_seed.SHORT_OF_BK_2025
    result = _result(ls, 2025, "BK_TINH", person=code)
    assert result == {
        "eligible": False, "cstdcs_2_years": False, "htxsnv_2_years_2_initiatives": False,
        "recognised_achievement": False, "no_pending_case": True,
    }  # fmt: skip
    assert _result(ls, 2025, "CSTDCS", person=code)["eligible"]
    assert not _result(ls, 2024, "CSTDCS", person=code)["eligible"]


def test_the_person_disciplined_in_2024_and_his_branch_lose_their_titles(ls):
    code = records_seed.DISCIPLINED_2024
    person = _person(ls, code)
    discipline = Discipline.objects.get(person=person)
    assert (discipline.decided_on.year, discipline.kind) == (2024, "CANH_CAO")
    assert Rating.objects.get(person=person, year=2024).level == "KHTNV"
    assert _result(ls, 2024, "LDTT", person=code)["rating"] is False
    assert _result(ls, 2024, "TTLDTT", unit=person.unit.code)["no_member_warned"] is False
    assert _result(ls, 2025, "LDTT", person=code)["eligible"]
    assert not Award.objects.filter(person=person, year=2024).exists()


def test_maternity_counts_and_a_lack_of_unity_does_not_in_2021(ls):
    for code, year in (("LS0098", 2021), ("LS0048", 2023)):
        maternity = _result(ls, year, "LDTT", person=code)
        assert maternity["eligible"] and maternity["served_months"], code
    assert Rating.objects.get(person=_person(ls, "LS0098"), year=2021).months_worked == 6
    assert _result(ls, 2021, "LDTT", person="LS0113") == {
        "eligible": False, "rating": True, "self_reliant": False, "served_months": True,
        "no_discipline": True,
    }  # fmt: skip
    assert _result(ls, 2023, "BK_TINH", person="LS0026")["recognised_achievement"]
    assert Award.objects.filter(person=_person(ls, "LS0026"), year=2023, title="BK_TINH").exists()


def test_the_records_obey_the_rules_the_application_enforces(ls):
    services = pytest.importorskip("thidua.records.services")
    disciplines = list(Discipline.objects.filter(agency=ls))
    for rating in Rating.objects.filter(agency=ls).select_related("person", "unit"):
        services.check_rating(
            subject=rating.subject, year=rating.year, level=rating.level,
            months_worked=rating.months_worked, maternity_leave=rating.maternity_leave,
            disciplines=[d for d in disciplines if d.person_id == rating.person_id],
        )  # fmt: skip
    for award in Award.objects.filter(agency=ls).select_related("person", "unit"):
        services.check_award(
            subject=award.subject, year=award.year, title=award.title,
            decision_number=award.decision_number, decision_date=award.decision_date,
            authority=award.authority, replacing=award,
        )  # fmt: skip
