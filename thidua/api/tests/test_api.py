"""REST API v1: token login, search, writes through the services (with audit), errors, schema."""

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from thidua.audit.models import AuditAction, AuditEntry
from thidua.org import selectors
from thidua.org.models import Person
from thidua.testing import PersonFactory


@pytest.fixture
def api(world):
    """`api("officer")` → a client that sends that persona's token on every request."""

    def _api(persona: str) -> Client:
        token = Token.objects.create(user=world.users[persona])
        return Client(headers={"Authorization": f"Token {token.key}"})

    return _api


def _json(client: Client, method: str, url: str, data: dict):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def _new_person(**extra) -> dict:
    return {
        "staff_code": "cb100",
        "full_name": "Hoàng  Thị Mới",
        "gender": "NU",
        "employment_type": "VIEN_CHUC",
        "unit": "PA1",
        "birth_date": "1990-04-02",
        "effective_on": "2024-09-01",
        **extra,
    }


def test_token_auth_lists_people_of_the_agency(world, api):
    response = api("officer").get("/api/v1/people/")
    body = response.json()
    assert response.status_code == 200
    assert (body["count"], [p["staff_code"] for p in body["results"]]) == (
        4,
        ["CB003", "CB002", "CB001", "CB004"],
    )


def test_token_auth_with_wrong_token_refused(world):
    client = Client(headers={"Authorization": "Token 0123456789abcdef"})
    response = client.get("/api/v1/people/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_token_of_inactive_user_refused(world, api):
    client = api("officer")
    world.users["officer"].is_active = False
    world.users["officer"].save()
    assert client.get("/api/v1/people/").status_code == 401


@pytest.mark.parametrize(
    ("query", "codes"),
    [("nguyen van a", ["CB003"]), ("DANG", ["CB002"]), ("thị", ["CB001", "CB004"]), ("zz", [])],
)
def test_people_search_ignores_diacritics(world, api, query, codes):
    body = api("officer").get("/api/v1/people/", {"q": query}).json()
    assert [p["staff_code"] for p in body["results"]] == codes


def test_person_detail_returns_its_fields(world, api):
    body = api("head").get("/api/v1/people/CB003/").json()
    assert {k: body[k] for k in ("full_name", "given_name", "unit", "gender", "birth_date")} == {
        "full_name": "Nguyễn Văn Á",
        "given_name": "Á",
        "unit": "PA1",
        "gender": "NAM",
        "birth_date": "1985-05-17",
    }


def test_create_person_through_api_writes_audit_row(world, api):
    response = _json(api("officer"), "post", "/api/v1/people/", _new_person())
    assert response.status_code == 201
    body = response.json()
    assert (body["staff_code"], body["full_name"], body["unit"]) == (
        "CB100",
        "Hoàng Thị Mới",
        "PA1",
    )
    person = Person.objects.get(agency=world.agency, staff_code="CB100")
    assert [(m.unit.code, m.start) for m in person.memberships.all()] == [
        ("PA1", datetime.date(2024, 9, 1))
    ]
    entry = AuditEntry.objects.get(object_type="person", object_id=str(person.pk))
    assert (entry.action, entry.actor, entry.changes["full_name"]) == (
        AuditAction.CREATE,
        world.users["officer"],
        "Hoàng Thị Mới",
    )


def test_unit_head_creates_person_in_their_subtree_only(world, api):
    client = api("head")
    refused = _json(client, "post", "/api/v1/people/", _new_person(unit="PB"))
    accepted = _json(client, "post", "/api/v1/people/", _new_person())
    assert (refused.status_code, list(refused.json())) == (400, ["unit"])
    assert accepted.status_code == 201


def test_update_person_through_api_writes_before_and_after(world, api):
    response = _json(api("head"), "patch", "/api/v1/people/CB003/", {"full_name": "Nguyễn Văn Ánh"})
    assert (response.status_code, response.json()["full_name"]) == (200, "Nguyễn Văn Ánh")
    entry = AuditEntry.objects.get(object_id=str(world.in_a1.pk), action=AuditAction.UPDATE)
    assert (entry.actor, entry.changes) == (
        world.users["head"],
        {"full_name": ["Nguyễn Văn Á", "Nguyễn Văn Ánh"]},
    )


def test_move_person_through_api_is_a_transfer(world, api):
    data = {"unit": "PA", "effective_on": "2025-03-01"}
    response = _json(api("officer"), "patch", "/api/v1/people/CB003/", data)
    assert (response.status_code, response.json()["unit"]) == (200, "PA")
    periods = [(m.unit.code, m.end) for m in world.in_a1.memberships.order_by("start")]
    assert periods == [("PA1", datetime.date(2025, 2, 28)), ("PA", None)]


def test_duplicate_staff_code_answers_400_with_detail_and_field(world, api):
    response = _json(api("officer"), "post", "/api/v1/people/", _new_person(staff_code="cb001"))
    body = response.json()
    assert (response.status_code, body["field"]) == (400, "staff_code")
    assert "CB001" in body["detail"]
    assert not AuditEntry.objects.exists()


def test_transfer_before_current_start_answers_400(world, api):
    data = {"unit": "PA", "effective_on": "2001-01-01"}
    response = _json(api("officer"), "patch", "/api/v1/people/CB003/", data)
    assert (response.status_code, response.json()["field"]) == (400, "date")
    assert "01/03/2010" in response.json()["detail"]
    assert [m.unit.code for m in world.in_a1.memberships.all()] == ["PA1"]


def test_birth_date_in_future_answers_400(world, api):
    data = {"birth_date": "2999-01-01"}
    response = _json(api("officer"), "patch", "/api/v1/people/CB003/", data)
    assert (response.status_code, response.json()["field"]) == (400, "birth_date")


def test_duplicate_unit_code_on_rename_answers_400(world, api):
    response = _json(api("officer"), "patch", "/api/v1/units/PA1/", {"code": "PB"})
    assert (response.status_code, response.json()["field"]) == (400, "code")
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.code == "PA1"


def test_rename_unit_through_api_keeps_history(world, api):
    data = {"name": "Chi nhánh Cao Lộc", "date": "2025-03-01"}
    response = _json(api("officer"), "patch", "/api/v1/units/PA1/", data)
    assert (response.status_code, response.json()["name"]) == (200, "Chi nhánh Cao Lộc")
    old = selectors.unit_names_on({world.unit_a1.pk}, datetime.date(2025, 2, 28))
    assert old == {world.unit_a1.pk: "Chi nhánh Văn phòng Đăng ký đất đai huyện Cao Lộc"}


def test_create_unit_under_parent_given_by_code(world, api):
    data = {"code": "pa2", "name": "Chi nhánh huyện Lộc Bình", "kind": "CHI_NHANH", "parent": "PA"}
    response = _json(api("officer"), "post", "/api/v1/units/", data)
    body = response.json()
    assert (response.status_code, body["code"], body["parent"]) == (201, "PA2", "PA")


def test_create_unit_under_parent_of_other_agency_refused(world, api):
    data = {"code": "OX2", "name": "Phòng", "kind": "PHONG", "parent": "PA"}
    response = _json(api("other"), "post", "/api/v1/units/", data)
    assert (response.status_code, list(response.json())) == (400, ["parent"])


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("head", "/api/v1/people/CB004/"),
        ("staff", "/api/v1/people/CB002/"),
        ("other", "/api/v1/people/CB001/"),
        ("other", "/api/v1/units/PA/"),
        ("norole", "/api/v1/units/PA/"),
    ],
)
def test_out_of_scope_object_answers_404_without_leaking(world, api, persona, url):
    response = api(persona).get(url)
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}
    assert "Văn" not in response.content.decode() and "Thị" not in response.content.decode()


def test_schema_is_openapi_with_people_paths(world, api):
    response = api("staff").get("/api/v1/schema/", {"format": "json"})
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/people/", "/api/v1/people/{staff_code}/", "/api/v1/units/{code}/"} <= set(
        schema["paths"]
    )
    params = [p["name"] for p in schema["paths"]["/api/v1/people/"]["get"]["parameters"]]
    assert "q" in params


def test_people_list_is_paginated_by_fifty(world, api):
    PersonFactory.create_batch(56, unit=world.unit_b)
    first = api("officer").get("/api/v1/people/").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (60, 50, None)
    assert first["next"].endswith("/api/v1/people/?page=2")


def test_people_list_queries_do_not_grow_with_rows(world, api, django_assert_max_num_queries):
    client = api("officer")
    PersonFactory.create_batch(6, unit=world.unit_b)
    client.get("/api/v1/people/")
    with CaptureQueriesContext(connection) as ten:
        client.get("/api/v1/people/")
    PersonFactory.create_batch(50, unit=world.unit_a1)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        body = client.get("/api/v1/people/").json()
    assert (body["count"], len(body["results"])) == (60, 50)
