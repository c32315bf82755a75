"""The record pages: who may open and use them, what they save, and the records sections.

Personas (thidua/conftest.py): the admin and the officer enter everything in their agency; the
head of PA rates (and records initiatives of) the people of PA and PA1 and the sub-unit PA1, but
not PA itself, and records no award, discipline or achievement; everyone else reads only.
Objects outside a user's scope answer 404, actions not allowed answer 403.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thidua.accounts.models import Role
from thidua.audit.models import AuditEntry
from thidua.conftest import World
from thidua.records import services
from thidua.records.models import Award, AwardStatus, Discipline, Initiative, Rating
from thidua.records.urls import urlpatterns
from thidua.testing import PersonFactory, make_user

D = datetime.date
PERSONAS = ("anon", "admin", "officer", "director", "council", "head", "staff", "norole", "other")


def _award(w: World, subject=None, **kw) -> Award:
    values = {"year": 2024, "title": "LDTT", "decision_number": "53/QĐ-STNMT",
              "decision_date": D(2024, 12, 20), "authority": "Giám đốc Sở", **kw}  # fmt: skip
    return services.record_award(actor=w.users["officer"], subject=subject or w.in_a1, **values)


def rating_form(w):
    return {"year": "2024", "level": "HTTNV", "months_worked": "12", "self_reliant": "on"}


def unit_rating_form(w):
    return {"year": "2024", "level": "HTXSNV"}


def award_form(w):
    return {"year": "2024", "title": "GK", "decision_number": "60/QĐ-STNMT",
            "decision_date": "20/12/2024", "authority": "Giám đốc Sở"}  # fmt: skip


def revoke_form(w):
    return {"reason": "Quyết định thu hồi số 70/QĐ-STNMT"}


def correct_form(w):
    return {**award_form(w), "title": "LDTT", "reason": "Đính chính"}


def initiative_form(w):
    return {"year": "2024", "name": "Số hoá hồ sơ", "scope": "CO_SO", "kind": "SANG_KIEN"}


def discipline_form(w):
    return {"decided_on": "02/09/2024", "kind": "KHIEN_TRACH", "months": "12"}


def achievement_form(w):
    return {"year": "2024", "kind": "AD_HOC", "description": "Hoàn thành sớm"}


def staff_ratings_form(w):
    return {"year": "2024", f"p{w.colleague.pk}-level": "HTTNV", f"p{w.colleague.pk}-months_worked": "12"}  # fmt: skip


@dataclass(frozen=True)
class Page:
    name: str
    obj: str | Callable[[World], object]
    data: Callable[[World], dict] | None = None

    def url(self, w: World) -> str:
        obj = self.obj(w) if callable(self.obj) else getattr(w, self.obj)
        return reverse(self.name, args=[obj.pk])

    def __str__(self) -> str:
        return f"{self.name}[{self.obj if isinstance(self.obj, str) else 'award'}]"


GET, POST = "GET", "POST"
P = Page
# fmt: off
TABLE = [
    #                                                              anon adm  off  dir  cou  head staf none other
    (GET,  P("records:person_rating", "in_a1"),                   (302, 200, 200, 403, 403, 200, 404, 404, 404)),
    (POST, P("records:person_rating", "in_a1", rating_form),      (302, 302, 302, 403, 403, 302, 404, 404, 404)),
    (GET,  P("records:person_rating", "own"),                     (302, 200, 200, 403, 403, 200, 403, 404, 404)),
    (GET,  P("records:person_rating", "in_b"),                    (302, 200, 200, 403, 403, 404, 404, 404, 404)),
    (POST, P("records:person_rating", "in_b", rating_form),       (302, 302, 302, 403, 403, 404, 404, 404, 404)),
    (GET,  P("records:unit_rating", "unit_a1"),                   (302, 200, 200, 403, 403, 200, 404, 404, 404)),
    (POST, P("records:unit_rating", "unit_a1", unit_rating_form), (302, 302, 302, 403, 403, 302, 404, 404, 404)),
    (GET,  P("records:unit_rating", "unit_a"),                    (302, 200, 200, 403, 403, 403, 403, 404, 404)),
    (POST, P("records:unit_rating", "unit_a", unit_rating_form),  (302, 302, 302, 403, 403, 403, 403, 404, 404)),
    (GET,  P("records:unit_ratings", "unit_a"),                   (302, 200, 200, 403, 403, 200, 403, 404, 404)),
    (POST, P("records:unit_ratings", "unit_a", staff_ratings_form),
                                                                  (302, 302, 302, 403, 403, 302, 403, 404, 404)),
    (GET,  P("records:unit_ratings", "unit_b"),                   (302, 200, 200, 403, 403, 404, 404, 404, 404)),
    (GET,  P("records:person_award", "in_a1"),                    (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (POST, P("records:person_award", "in_a1", award_form),        (302, 302, 302, 403, 403, 403, 404, 404, 404)),
    (GET,  P("records:unit_award", "unit_a1"),                    (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (GET,  P("records:award_revoke", _award),                     (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (POST, P("records:award_revoke", _award, revoke_form),        (302, 302, 302, 403, 403, 403, 404, 404, 404)),
    (GET,  P("records:award_correct", _award),                    (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (POST, P("records:award_correct", _award, correct_form),      (302, 302, 302, 403, 403, 403, 404, 404, 404)),
    (GET,  P("records:person_initiative", "in_a1"),               (302, 200, 200, 403, 403, 200, 404, 404, 404)),
    (POST, P("records:person_initiative", "in_a1", initiative_form),
                                                                  (302, 302, 302, 403, 403, 302, 404, 404, 404)),
    (GET,  P("records:person_initiative", "own"),                 (302, 200, 200, 403, 403, 200, 403, 404, 404)),
    (GET,  P("records:person_discipline", "in_a1"),               (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (POST, P("records:person_discipline", "in_a1", discipline_form),
                                                                  (302, 302, 302, 403, 403, 403, 404, 404, 404)),
    (GET,  P("records:person_achievement", "in_a1"),              (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (POST, P("records:person_achievement", "in_a1", achievement_form),
                                                                  (302, 302, 302, 403, 403, 403, 404, 404, 404)),
    (GET,  P("records:unit_achievement", "unit_a1"),              (302, 200, 200, 403, 403, 403, 404, 404, 404)),
]
# fmt: on
MATRIX = [
    pytest.param(persona, method, page, status, id=f"{persona}-{method}-{page}")
    for method, page, statuses in TABLE
    for persona, status in zip(PERSONAS, statuses, strict=True)
]


@pytest.mark.parametrize(("persona", "method", "page", "expected"), MATRIX)
def test_record_pages_answer_each_persona_as_the_table_says(
    world, login, persona, method, page, expected
):
    url = page.url(world)
    client = login(None if persona == "anon" else world.users[persona])
    before = AuditEntry.objects.count()

    response = client.post(url, page.data(world)) if method == POST else client.get(url)

    assert response.status_code == expected
    wrote = AuditEntry.objects.count() != before
    assert wrote == (method == POST and expected == 302 and persona != "anon")
    if persona == "anon":
        assert response["Location"] == f"/login/?next={url}"
    elif expected == 404:
        # Outsiders learn nothing, not even the name of what they asked for.
        assert world.in_a1.full_name not in response.content.decode()


def test_record_pages_table_covers_every_records_url():
    assert {f"records:{p.name}" for p in urlpatterns} == {page.name for _m, page, _s in TABLE}


# --- what the pages save ----------------------------------------------------------------------


def test_unit_head_rates_a_person_of_their_sub_unit(world, login):
    response = login(world.users["head"]).post(
        reverse("records:person_rating", args=[world.in_a1.pk]),
        {"year": "2024", "level": "HTNV", "months_worked": "9", "maternity_leave": "on",
         "self_reliant": "on", "note": "Nghỉ thai sản 3 tháng"},
    )  # fmt: skip

    assert response["Location"] == f"/people/{world.in_a1.pk}/#records"
    rating = Rating.objects.get(person=world.in_a1, year=2024)
    assert (rating.level, rating.months_worked, rating.maternity_leave, rating.note) == (
        "HTNV",
        9,
        True,
        "Nghỉ thai sản 3 tháng",
    )
    # A unit head does not decide whether the director rated it.
    assert rating.rated_by_director is False


def test_unit_head_cannot_rate_themself(world, login):
    me = PersonFactory(unit=world.unit_a, staff_code="CB010", given_name="Trưởng")
    head = make_user(agency=world.agency, role=Role.UNIT_HEAD, unit=world.unit_a, person=me)

    response = login(head).get(reverse("records:person_rating", args=[me.pk]))

    assert response.status_code == 403


def test_rating_page_shows_the_decree_refusal_next_to_the_field(world, login):
    response = login(world.users["officer"]).post(
        reverse("records:person_rating", args=[world.in_a1.pk]),
        {"year": "2024", "level": "HTXSNV", "months_worked": "4"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["months_worked"]
    assert "90/2020" in errors["months_worked"][0]
    assert not Rating.objects.exists()


def test_rating_page_opens_the_years_rating_to_change_it(world, login):
    services.set_rating(actor=world.users["officer"], subject=world.in_a1, year=2023,
                        level="HTXSNV", months_worked=11, note="Ghi chú")  # fmt: skip

    response = login(world.users["head"]).get(
        reverse("records:person_rating", args=[world.in_a1.pk]) + "?year=2023"
    )

    form = response.context["form"]
    assert (form.initial["year"], form.initial["level"], form.initial["months_worked"]) == (
        2023,
        "HTXSNV",
        11,
    )
    assert "rated_by_director" not in form.fields


def test_officer_records_revokes_and_corrects_awards_through_the_pages(world, login):
    client = login(world.users["officer"])
    client.post(reverse("records:person_award", args=[world.in_a1.pk]), award_form(world))
    award = Award.objects.get(person=world.in_a1)

    client.post(reverse("records:award_correct", args=[award.pk]),
                {**award_form(world), "decision_number": "61/QĐ-STNMT", "reason": "Sai số"})  # fmt: skip
    corrected = Award.objects.get(person=world.in_a1, status=AwardStatus.ACTIVE)
    client.post(reverse("records:award_revoke", args=[corrected.pk]), revoke_form(world))

    rows = list(
        Award.objects.filter(person=world.in_a1)
        .order_by("id")
        .values_list("decision_number", "status", "replaced_by")
    )
    assert rows == [
        ("60/QĐ-STNMT", AwardStatus.CORRECTED, corrected.pk),
        ("61/QĐ-STNMT", AwardStatus.REVOKED, None),
    ]


def test_award_page_offers_only_titles_for_the_subject(world, login):
    client = login(world.users["officer"])
    person_titles = client.get(reverse("records:person_award", args=[world.in_a1.pk]))
    unit_titles = client.get(reverse("records:unit_award", args=[world.unit_a1.pk]))

    person_codes = {c for c, _l in person_titles.context["form"].fields["title"].choices}
    unit_codes = {c for c, _l in unit_titles.context["form"].fields["title"].choices}
    assert "LDTT" in person_codes and "TTLDTT" not in person_codes
    assert "TTLDTT" in unit_codes and "LDTT" not in unit_codes
    assert {"GK", "BK_TINH"} <= person_codes & unit_codes


def test_revoking_an_award_no_longer_in_force_shows_the_refusal(world, login):
    award = _award(world)
    services.revoke_award(actor=world.users["officer"], award=award, reason="Thu hồi")

    response = login(world.users["officer"]).post(
        reverse("records:award_revoke", args=[award.pk]), revoke_form(world)
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Award.objects.get(pk=award.pk).status_reason == "Thu hồi"


def test_discipline_page_warns_that_the_rating_was_lowered(world, login):
    services.set_rating(actor=world.users["officer"], subject=world.in_a1, year=2024,
                        level="HTTNV")  # fmt: skip

    response = login(world.users["officer"]).post(
        reverse("records:person_discipline", args=[world.in_a1.pk]),
        discipline_form(world),
        follow=True,
    )

    assert Discipline.objects.get(person=world.in_a1).kind == "KHIEN_TRACH"
    assert Rating.objects.get(person=world.in_a1, year=2024).level == "KHTNV"
    shown = [str(m) for m in response.context["messages"]]
    assert any("KHTNV" in m and "90/2020" in m for m in shown)


def test_initiative_page_saves_for_a_unit_head(world, login):
    login(world.users["head"]).post(
        reverse("records:person_initiative", args=[world.in_a1.pk]), initiative_form(world)
    )

    assert list(Initiative.objects.values_list("person", "year", "name", "scope")) == [
        (world.in_a1.pk, 2024, "Số hoá hồ sơ", "CO_SO")
    ]


# --- the bulk rating page ---------------------------------------------------------------------


def _bulk_url(w: World, year: int = 2024) -> str:
    return reverse("records:unit_ratings", args=[w.unit_a.pk]) + f"?year={year}"


def test_unit_ratings_lists_the_people_of_the_heads_units_prefilled(world, login):
    services.set_rating(actor=world.users["officer"], subject=world.colleague, year=2024,
                        level="HTXSNV", months_worked=10)  # fmt: skip

    response = login(world.users["head"]).get(_bulk_url(world))

    rows = response.context["rows"]
    # Vietnamese order of given names: Á, Bình, Hoa.
    assert [row.person.staff_code for row, _form in rows] == ["CB003", "CB002", "CB001"]
    forms = {row.person.staff_code: form for row, form in rows}
    assert (forms["CB002"].initial["level"], forms["CB002"].initial["months_worked"]) == (
        "HTXSNV",
        10,
    )
    assert forms["CB001"].initial == {}
    assert world.in_b.full_name not in response.content.decode()


def test_unit_ratings_saves_every_row_at_once(world, login):
    data = {"year": "2024"}
    for person, level in ((world.own, "HTXSNV"), (world.colleague, "HTTNV"), (world.in_a1, "")):
        data[f"p{person.pk}-level"] = level
        data[f"p{person.pk}-months_worked"] = "12"
        data[f"p{person.pk}-self_reliant"] = "on"

    response = login(world.users["head"]).post(_bulk_url(world), data)

    assert response.status_code == 302
    assert dict(Rating.objects.filter(year=2024).values_list("person__staff_code", "level")) == {
        "CB001": "HTXSNV",
        "CB002": "HTTNV",
    }


def test_unit_ratings_with_a_bad_row_saves_nothing_and_shows_the_error_on_that_row(world, login):
    Discipline.objects.create(agency=world.agency, person=world.in_a1, decided_on=D(2024, 5, 1),
                              kind="CANH_CAO")  # fmt: skip
    data = {"year": "2024"}
    for person, level, months in (
        (world.own, "HTXSNV", "12"),
        (world.colleague, "HTTNV", "4"),
        (world.in_a1, "HTNV", "12"),
    ):
        data[f"p{person.pk}-level"] = level
        data[f"p{person.pk}-months_worked"] = months

    response = login(world.users["head"]).post(_bulk_url(world), data)

    assert response.status_code == 200
    assert not Rating.objects.exists()
    assert response.context["refused"] == 2
    errors = {row.person.staff_code: form.errors for row, form in response.context["rows"]}
    assert errors["CB001"] == {}
    assert list(errors["CB002"]) == ["months_worked"]
    assert list(errors["CB003"]) == ["level"]
    body = response.content.decode()
    start = body.index(f'<tr id="row-{world.colleague.pk}" class="bad">')
    row_html = body[start : body.index("</tr>", start)]
    assert "90/2020" in row_html and "4" in row_html


def test_unit_ratings_for_another_year_shows_that_years_ratings(world, login):
    services.set_rating(actor=world.users["officer"], subject=world.own, year=2022, level="HTNV")

    response = login(world.users["officer"]).get(_bulk_url(world, 2022))

    forms = {row.person.staff_code: form for row, form in response.context["rows"]}
    assert response.context["year"] == 2022
    assert forms["CB001"].initial["level"] == "HTNV"


# --- the records sections of the person and unit pages ---------------------------------------


def _fill_history(w: World, years: range, person=None) -> None:
    """A rating, an award, an initiative and an achievement each year; one discipline."""
    officer, person = w.users["officer"], person or w.in_a1
    for year in years:
        services.set_rating(actor=officer, subject=person, year=year, level="HTXSNV")
        _award(w, subject=person, year=year, decision_date=D(year, 12, 20),
               decision_number=f"{year}/QĐ")  # fmt: skip
        services.add_initiative(actor=officer, person=person, year=year, name=f"Sáng kiến {year}",
                                scope="CO_SO")  # fmt: skip
        services.add_achievement(actor=officer, subject=person, year=year, kind="AD_HOC",
                                 description=f"Thành tích {year}")  # fmt: skip
    services.add_discipline(actor=officer, person=person, decided_on=D(years[0], 3, 3),
                            kind="KHIEN_TRACH")  # fmt: skip


def test_person_page_shows_the_history_most_recent_year_first(world, login):
    _fill_history(world, range(2022, 2025))
    revoked = Award.objects.get(person=world.in_a1, year=2023)
    services.revoke_award(actor=world.users["officer"], award=revoked, reason="Sai đối tượng")

    response = login(world.users["officer"]).get(f"/people/{world.in_a1.pk}/")

    body = response.content.decode()
    assert body.index('id="records-2024"') < body.index('id="records-2023"')
    assert body.index('id="records-2023"') < body.index('id="records-2022"')
    assert "2024/QĐ" in body and "20/12/2024" in body and "Giám đốc Sở" in body
    assert f'id="award-{revoked.pk}" data-status="REVOKED"' in body
    assert "Sai đối tượng" in body
    assert "03/03/2022" in body and "Sáng kiến 2023" in body and "Thành tích 2022" in body
    assert reverse("records:award_revoke", args=[revoked.pk]) not in body  # no longer in force
    active = Award.objects.get(person=world.in_a1, year=2024)
    assert reverse("records:award_revoke", args=[active.pk]) in body
    assert reverse("records:person_award", args=[world.in_a1.pk]) in body


def test_person_page_for_a_unit_head_links_only_to_ratings_and_initiatives(world, login):
    _fill_history(world, range(2024, 2025))

    body = login(world.users["head"]).get(f"/people/{world.in_a1.pk}/").content.decode()

    assert reverse("records:person_rating", args=[world.in_a1.pk]) in body
    assert reverse("records:person_initiative", args=[world.in_a1.pk]) in body
    for name in ("person_award", "person_discipline", "person_achievement"):
        assert reverse(f"records:{name}", args=[world.in_a1.pk]) not in body
    assert "/records/awards/" not in body


def test_person_page_for_staff_shows_their_history_read_only(world, login):
    services.set_rating(actor=world.users["officer"], subject=world.own, year=2024, level="HTTNV")

    body = login(world.users["staff"]).get(f"/people/{world.own.pk}/").content.decode()

    assert 'id="records-2024"' in body
    assert "/records/" not in body


def test_unit_page_shows_the_units_records_and_the_staff_ratings_link(world, login):
    services.set_rating(actor=world.users["officer"], subject=world.unit_a1, year=2024,
                        level="HTXSNV", rated_by_director=True)  # fmt: skip
    _award(world, subject=world.unit_a1, title="TTLDTT")

    head_body = login(world.users["head"]).get(f"/units/{world.unit_a1.pk}/").content.decode()
    own_unit = login(world.users["head"]).get(f"/units/{world.unit_a.pk}/").content.decode()

    assert 'id="records-2024"' in head_body and "53/QĐ-STNMT" in head_body
    assert reverse("records:unit_rating", args=[world.unit_a1.pk]) in head_body
    assert reverse("records:unit_award", args=[world.unit_a1.pk]) not in head_body
    assert reverse("records:unit_ratings", args=[world.unit_a.pk]) in own_unit
    assert reverse("records:unit_rating", args=[world.unit_a.pk]) not in own_unit


def _render_person_section(user, person) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load records_tags %}{% person_records person %}")
    return template.render(Context({"request": request, "person": person}))


@pytest.mark.parametrize("persona", ["officer", "head", "staff"])
def test_person_records_section_queries_do_not_grow_with_the_years(world, persona):
    user, person = world.users[persona], world.own
    _fill_history(world, range(2024, 2025), person)
    _render_person_section(user, person)  # the user's scope is read once and cached
    with CaptureQueriesContext(connection) as one_year:
        _render_person_section(user, person)

    _fill_history(world, range(2016, 2024), person)
    with CaptureQueriesContext(connection) as nine_years:
        html = _render_person_section(user, person)

    assert len(re.findall(r'id="records-\d{4}"', html)) == 9
    assert len(nine_years) == len(one_year)
