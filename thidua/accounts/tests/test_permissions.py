"""The permission matrix: every persona × every page and API endpoint → the expected answer.

One table (TABLE) drives it: a row per (method, target), a column per persona. A write that is
allowed must change something (the audit log, or the staged imports); anything refused must
change nothing. `test_matrix_covers_every_named_url` fails when a page is added without a row.
Personas and objects are described in thidua/conftest.py.
"""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from thidua.conftest import World
from thidua.council.tests.matrix import ROWS as COUNCIL_ROWS
from thidua.decisions.tests.matrix import ROWS as DECISIONS_ROWS
from thidua.imports import services as import_services
from thidua.imports.models import ImportBatch
from thidua.notifications.tests.matrix import ROWS as NOTIFICATIONS_ROWS
from thidua.org import services as org_services
from thidua.records.services import record_award
from thidua.rounds.tests.matrix import ROWS as ROUNDS_ROWS
from thidua.testing_matrix import GET, PATCH, PERSONAS, POST, Target

UNITS_CSV = "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Loại đơn vị\nPMOI,Phòng Mới,,Phòng\n"


def batch_count(w: World) -> int:
    return ImportBatch.objects.count()


def staged_batch(w: World) -> ImportBatch:
    return import_services.stage_upload(
        actor=w.users["officer"],
        agency=w.agency,
        kind="units",
        filename="don-vi.csv",
        data=UNITS_CSV.encode(),
    )


# --- request bodies ---------------------------------------------------------------------------


def new_unit_form(w):
    return {"code": "PMOI", "name": "Phòng Mới", "kind": "PHONG"}


def rename_unit_form(w):
    return {"name": "Chi nhánh Cao Lộc", "kind": w.unit_a1.kind, "parent": w.unit_a.pk,
            "date": "01/06/2024"}  # fmt: skip


def new_person_form(w):
    return {"staff_code": "CBMOI", "full_name": "Hoàng Văn Mới", "gender": "NAM",
            "employment_type": "CONG_CHUC", "unit": w.unit_a1.pk}  # fmt: skip


def person_form(attr):
    def build(w):
        p = getattr(w, attr)
        return {"staff_code": p.staff_code, "full_name": p.full_name, "gender": p.gender,
                "employment_type": p.employment_type, "unit": p.unit_id,
                "position": "Tổ trưởng"}  # fmt: skip

    return build


def new_user_form(w):
    return {"username": "nguoimoi", "role": "OFFICER", "password": "mat-khau-dai-1",
            "is_active": "on"}  # fmt: skip


def user_role_form(w):
    return {"role": "COUNCIL", "is_active": "on", "password": ""}


def upload_form(w):
    return {"kind": "units", "file": SimpleUploadedFile("don-vi.csv", UNITS_CSV.encode())}


def settings_form(w):
    return {"rating_quota_percent": "20", "rating_quota_base": "HTTNV", "cstdcs_quota_percent": "0",
            "ttldtt_ldtt_percent": "70", "gk_needs_achievement": "on",
            "initiative_single_use": "on", "council_quorum_percent": "67",
            "nomination_ineligible": "BLOCK", "nomination_over_quota": "WARN", "posting_days": "5",
            "posting_titles": ["CSTDCS", "BK_TINH"], "council_recuse_own_unit": "on",
            "gk_vote_percent": "0",
            "base_salary": "2340000"}  # fmt: skip


def rating_form(w):
    return {"year": "2024", "level": "HTTNV", "months_worked": "12", "self_reliant": "on"}


def staff_ratings_form(w):
    return {"year": "2024", f"p{w.colleague.pk}-level": "HTTNV"}


def award_form(w):
    return {"year": "2024", "title": "GK", "decision_number": "60/QĐ-STNMT",
            "decision_date": "20/12/2024", "authority": "Giám đốc Sở"}  # fmt: skip


def person_award(w):
    return record_award(
        actor=w.users["officer"], subject=w.in_a1, year=2024, title="GK",
        decision_number="59/QĐ-STNMT", decision_date=datetime.date(2024, 12, 20),
        authority="Giám đốc Sở",
    )  # fmt: skip


def api_new_unit(w):
    return {"code": "PMOI", "name": "Phòng Mới", "kind": "PHONG"}


def api_new_person(w):
    return {"staff_code": "CBMOI", "full_name": "Hoàng Văn Mới", "gender": "NAM",
            "employment_type": "CONG_CHUC", "unit": "PA1"}  # fmt: skip


def api_rename(w):
    return {"name": "Chi nhánh Cao Lộc"}


def api_position(w):
    return {"position": "Tổ trưởng"}


# --- the table --------------------------------------------------------------------------------
T = Target
# fmt: off
TABLE = [
    #                                                          anon adm  off  dir  cou  head staf none other
    (GET,   T("home"),                                        (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    (GET,   T("org:unit_tree"),                               (302, 200, 200, 200, 200, 200, 302, 302, 200)),
    (GET,   T("org:unit_create"),                             (302, 200, 200, 403, 403, 403, 403, 403, 200)),
    (POST,  T("org:unit_create", data=new_unit_form),         (302, 302, 302, 403, 403, 403, 403, 403, 302)),
    (GET,   T("org:unit", "unit_a"),                          (302, 200, 200, 200, 200, 200, 200, 404, 404)),
    (GET,   T("org:unit", "unit_a1"),                         (302, 200, 200, 200, 200, 200, 404, 404, 404)),
    (GET,   T("org:unit", "unit_b"),                          (302, 200, 200, 200, 200, 404, 404, 404, 404)),
    (GET,   T("org:unit_change", "unit_a1"),                  (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (POST,  T("org:unit_change", "unit_a1", data=rename_unit_form),
                                                              (302, 302, 302, 403, 403, 403, 404, 404, 404)),
    (GET,   T("org:unit_merge", "unit_a1"),                   (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (GET,   T("org:unit_dissolve", "unit_a1"),                (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (GET,   T("org:people"),                                  (302, 200, 200, 200, 200, 200, 302, 302, 200)),
    (GET,   T("org:person_create"),                           (302, 200, 200, 403, 403, 200, 403, 403, 200)),
    # The other agency's officer cannot pick PA1: the form answers with an error, nothing saved.
    (POST,  T("org:person_create", data=new_person_form),     (302, 302, 302, 403, 403, 302, 403, 403, 200)),
    (GET,   T("org:person", "in_a1"),                         (302, 200, 200, 200, 200, 200, 404, 404, 404)),
    (GET,   T("org:person", "in_b"),                          (302, 200, 200, 200, 200, 404, 404, 404, 404)),
    (GET,   T("org:person", "own"),                           (302, 200, 200, 200, 200, 200, 200, 404, 404)),
    (GET,   T("org:person", "colleague"),                     (302, 200, 200, 200, 200, 200, 404, 404, 404)),
    (GET,   T("org:person_edit", "in_a1"),                    (302, 200, 200, 403, 403, 200, 404, 404, 404)),
    (POST,  T("org:person_edit", "in_a1", data=person_form("in_a1")),
                                                              (302, 302, 302, 403, 403, 302, 404, 404, 404)),
    (GET,   T("org:person_edit", "in_b"),                     (302, 200, 200, 403, 403, 404, 404, 404, 404)),
    (POST,  T("org:person_edit", "in_b", data=person_form("in_b")),
                                                              (302, 302, 302, 403, 403, 404, 404, 404, 404)),
    (GET,   T("org:person_edit", "own"),                      (302, 200, 200, 403, 403, 200, 403, 404, 404)),
    (GET,   T("audit:log"),                                   (302, 200, 200, 403, 403, 403, 403, 403, 200)),
    (GET,   T("imports:start"),                               (302, 200, 200, 403, 403, 403, 403, 403, 200)),
    (POST,  T("imports:start", data=upload_form, effect=batch_count),
                                                              (302, 302, 302, 403, 403, 403, 403, 403, 302)),
    (GET,   T("imports:template", args=("units",)),           (302, 200, 200, 403, 403, 403, 403, 403, 200)),
    (GET,   T("imports:batch", staged_batch, label="imports:batch"),
                                                              (302, 200, 200, 403, 403, 403, 403, 403, 404)),
    (POST,  T("imports:confirm", staged_batch, label="imports:confirm"),
                                                              (302, 302, 302, 403, 403, 403, 403, 403, 404)),
    (GET,   T("accounts:users"),                              (302, 200, 403, 403, 403, 403, 403, 403, 403)),
    (GET,   T("accounts:user_create"),                        (302, 200, 403, 403, 403, 403, 403, 403, 403)),
    (POST,  T("accounts:user_create", data=new_user_form),    (302, 302, 403, 403, 403, 403, 403, 403, 403)),
    (GET,   T("accounts:user_edit", "user:director"),         (302, 200, 403, 403, 403, 403, 403, 403, 403)),
    (POST,  T("accounts:user_edit", "user:director", data=user_role_form),
                                                              (302, 302, 403, 403, 403, 403, 403, 403, 403)),
    (GET,   T("eligibility:agency"),                          (302, 200, 200, 200, 200, 200, 403, 403, 200)),
    (GET,   T("eligibility:export"),                          (302, 200, 200, 200, 200, 200, 403, 403, 200)),
    (GET,   T("eligibility:person_section", "in_a1"),        (302, 200, 200, 200, 200, 200, 404, 404, 404)),
    (GET,   T("eligibility:person_section", "in_b"),         (302, 200, 200, 200, 200, 404, 404, 404, 404)),
    (GET,   T("eligibility:person_section", "own"),          (302, 200, 200, 200, 200, 200, 200, 404, 404)),
    (GET,   T("eligibility:unit_section", "unit_a"),         (302, 200, 200, 200, 200, 200, 200, 404, 404)),
    (GET,   T("eligibility:unit_section", "unit_b"),         (302, 200, 200, 200, 200, 404, 404, 404, 404)),
    (GET,   T("eligibility:settings"),                        (302, 200, 403, 403, 403, 403, 403, 403, 403)),
    (POST,  T("eligibility:settings", data=settings_form),    (302, 302, 403, 403, 403, 403, 403, 403, 403)),
    (GET,   T("records:person_rating", "in_a1"),              (302, 200, 200, 403, 403, 200, 404, 404, 404)),
    (POST,  T("records:person_rating", "in_a1", data=rating_form),
                                                              (302, 302, 302, 403, 403, 302, 404, 404, 404)),
    (GET,   T("records:person_rating", "own"),                (302, 200, 200, 403, 403, 200, 403, 404, 404)),
    (GET,   T("records:person_rating", "in_b"),               (302, 200, 200, 403, 403, 404, 404, 404, 404)),
    (GET,   T("records:unit_rating", "unit_a1"),              (302, 200, 200, 403, 403, 200, 404, 404, 404)),
    (GET,   T("records:unit_rating", "unit_a"),               (302, 200, 200, 403, 403, 403, 403, 404, 404)),
    (GET,   T("records:unit_ratings", "unit_a"),              (302, 200, 200, 403, 403, 200, 403, 404, 404)),
    (POST,  T("records:unit_ratings", "unit_a", data=staff_ratings_form),
                                                              (302, 302, 302, 403, 403, 302, 403, 404, 404)),
    (GET,   T("records:person_award", "in_a1"),               (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (POST,  T("records:person_award", "in_a1", data=award_form),
                                                              (302, 302, 302, 403, 403, 403, 404, 404, 404)),
    (GET,   T("records:unit_award", "unit_a1"),               (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (GET,   T("records:award_revoke", person_award, label="records:award_revoke"),
                                                              (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (GET,   T("records:award_correct", person_award, label="records:award_correct"),
                                                              (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (GET,   T("records:person_initiative", "in_a1"),          (302, 200, 200, 403, 403, 200, 404, 404, 404)),
    (GET,   T("records:person_discipline", "in_a1"),          (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (GET,   T("records:person_achievement", "in_a1"),         (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (GET,   T("records:unit_achievement", "unit_a1"),         (302, 200, 200, 403, 403, 403, 404, 404, 404)),
    (GET,   T("api:eligibility", query="?year=2024"),         (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    (GET,   T("api:api-root"),                                (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    (GET,   T("api:schema"),                                  (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    (GET,   T("api:unit-list"),                               (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    (POST,  T("api:unit-list", data=api_new_unit),            (401, 201, 201, 403, 403, 403, 403, 403, 201)),
    (GET,   T("api:unit-detail", "unit_a1", key="code"),      (401, 200, 200, 200, 200, 200, 404, 404, 404)),
    (GET,   T("api:unit-detail", "unit_b", key="code"),       (401, 200, 200, 200, 200, 404, 404, 404, 404)),
    (PATCH, T("api:unit-detail", "unit_a1", key="code", data=api_rename),
                                                              (401, 200, 200, 403, 403, 403, 404, 404, 404)),
    (GET,   T("api:person-list"),                             (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    # The other agency's officer names a unit it cannot see: 400, nothing saved.
    (POST,  T("api:person-list", data=api_new_person),        (401, 201, 201, 403, 403, 201, 403, 403, 400)),
    (GET,   T("api:person-detail", "in_a1", key="staff_code"),
                                                              (401, 200, 200, 200, 200, 200, 404, 404, 404)),
    (GET,   T("api:person-detail", "in_b", key="staff_code"), (401, 200, 200, 200, 200, 404, 404, 404, 404)),
    (GET,   T("api:person-detail", "own", key="staff_code"),  (401, 200, 200, 200, 200, 200, 200, 404, 404)),
    (PATCH, T("api:person-detail", "in_a1", key="staff_code", data=api_position),
                                                              (401, 200, 200, 403, 403, 200, 404, 404, 404)),
    (PATCH, T("api:person-detail", "in_b", key="staff_code", data=api_position),
                                                              (401, 200, 200, 403, 403, 404, 404, 404, 404)),
    (PATCH, T("api:person-detail", "own", key="staff_code", data=api_position),
                                                              (401, 200, 200, 403, 403, 200, 403, 404, 404)),
]
# fmt: on
TABLE += ROUNDS_ROWS + COUNCIL_ROWS + DECISIONS_ROWS + NOTIFICATIONS_ROWS
MATRIX = [
    pytest.param(persona, method, target, status, id=f"{persona}-{method}-{target}")
    for method, target, statuses in TABLE
    for persona, status in zip(PERSONAS, statuses, strict=True)
]
# URL names that need no row: the login and logout pages themselves.
EXEMPT = {"accounts:login", "accounts:logout"}


def _send(client, method: str, url: str, data: dict | None):
    if url.startswith("/api/") and method != GET:
        body = json.dumps(data or {})
        return getattr(client, method.lower())(url, body, content_type="application/json")
    if method == POST:
        return client.post(url, data or {})
    return client.get(url)


def _is_allowed_write(method: str, status: int) -> bool:
    return (method == POST and status in (201, 302)) or (method == PATCH and status == 200)


@pytest.mark.parametrize(("persona", "method", "target", "expected"), MATRIX)
def test_matrix_answer_matches_table(world, login, persona, method, target, expected):
    url, obj = target.resolve(world)
    client = login(None if persona == "anon" else world.users[persona])
    data = target.data(world) if target.data else None
    before = target.effect(world)

    response = _send(client, method, url, data)

    assert response.status_code == expected
    changed = target.effect(world) != before
    assert changed == (persona != "anon" and _is_allowed_write(method, expected))
    if persona == "anon" and expected == 302:
        assert response["Location"] == f"/login/?next={url}"
    if obj is None:
        return
    body = response.content.decode()
    if method == GET and expected == 200:
        html = "text/html" in response["Content-Type"]
        assert (str(obj) if html else f'"{getattr(obj, target.key)}"') in body
    if expected == 404:
        # Outsiders learn nothing, not even the name of what they asked for.
        assert str(obj) not in body


def _url_names(patterns, prefix: str = "") -> set[str]:
    names = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= _url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_matrix_covers_every_named_url():
    covered = {target.name for _method, target, _statuses in TABLE}
    assert _url_names(get_resolver().url_patterns) - EXEMPT - covered == set()


# --- what the lists show ----------------------------------------------------------------------
AGENCY_PEOPLE = {"Phạm Thị Hoa", "Đặng Văn Bình", "Nguyễn Văn Á", "Trần Thị Lan"}
A_SUBTREE_PEOPLE = {"Phạm Thị Hoa", "Đặng Văn Bình", "Nguyễn Văn Á"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", AGENCY_PEOPLE),
        ("director", AGENCY_PEOPLE),
        ("council", AGENCY_PEOPLE),
        ("head", A_SUBTREE_PEOPLE),
        ("other", {"Lê Văn Ngoại"}),
    ],
)
def test_people_page_lists_only_people_in_scope(world, login, persona, expected):
    response = login(world.users[persona]).get("/people/")
    assert {p.full_name for p in response.context["page"].object_list} == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer", {"PA", "PA1", "PB"}),
        ("head", {"PA", "PA1"}),
        ("other", {"OX"}),
    ],
)
def test_unit_tree_shows_only_units_in_scope(world, login, persona, expected):
    response = login(world.users[persona]).get("/units/")
    assert {node.unit.code for node in response.context["nodes"]} == expected


@pytest.mark.parametrize(
    ("persona", "people", "units"),
    [
        ("council", {"CB001", "CB002", "CB003", "CB004"}, {"PA", "PA1", "PB"}),
        ("head", {"CB001", "CB002", "CB003"}, {"PA", "PA1"}),
        ("staff", {"CB001"}, {"PA"}),
        ("norole", set(), set()),
        ("other", {"CB005"}, {"OX"}),
    ],
)
def test_api_lists_only_objects_in_scope(world, login, persona, people, units):
    client = login(world.users[persona])
    found_people = {p["staff_code"] for p in client.get("/api/v1/people/").json()["results"]}
    found_units = {u["code"] for u in client.get("/api/v1/units/").json()["results"]}
    assert (found_people, found_units) == (people, units)


def test_audit_page_hides_the_other_agencys_entries(world, login):
    org_services.update_person(actor=world.users["officer"], person=world.in_b, position="Kế toán")
    org_services.update_person(actor=world.users["other"], person=world.outsider, position="Lái xe")
    response = login(world.users["other"]).get("/audit/")
    shown = {(e.object_repr, e.agency_id) for e in response.context["page"].object_list}
    assert shown == {("Lê Văn Ngoại", world.other_agency.pk)}


def test_staff_are_sent_to_their_own_record_from_the_people_page(world, login):
    response = login(world.users["staff"]).get("/people/")
    assert response["Location"] == f"/people/{world.own.pk}/"


def test_user_without_role_is_sent_home_from_lists(world, login):
    client = login(world.users["norole"])
    assert [client.get(u)["Location"] for u in ("/people/", "/units/")] == ["/", "/"]


def test_other_agency_officer_creates_units_only_in_their_own_agency(world, login):
    login(world.users["other"]).post("/units/new/", new_unit_form(world))
    assert list(world.other_agency.units.filter(code="PMOI").values_list("name", flat=True)) == [
        "Phòng Mới"
    ]
    assert not world.agency.units.filter(code="PMOI").exists()


def test_other_agency_admin_cannot_reach_users_of_the_agency(world, login):
    client = login(world.users["other_admin"])
    listed = {u.username for u in client.get("/users/").context["users"]}
    response = client.get(f"/users/{world.users['director'].pk}/")
    assert (response.status_code, listed) == (404, {"bp.thiduakt", "bp.quantri"})


def test_unit_head_can_only_place_new_people_in_their_subtree(world, login):
    data = {**new_person_form(world), "unit": world.unit_b.pk}
    response = login(world.users["head"]).post("/people/new/", data)
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not world.agency.people.filter(staff_code="CBMOI").exists()


def test_unit_page_for_staff_shows_only_themselves(world, login):
    response = login(world.users["staff"]).get(f"/units/{world.unit_a.pk}/")
    people = [p.full_name for p in response.context["people"]]
    children = [u.code for u in response.context["children"]]
    assert (people, children) == (["Phạm Thị Hoa"], [])
    assert world.unit_a1.name not in response.content.decode()


def test_unit_page_for_unit_head_lists_sub_units(world, login):
    response = login(world.users["head"]).get(f"/units/{world.unit_a.pk}/")
    assert [u.code for u in response.context["children"]] == ["PA1"]
