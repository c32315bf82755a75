"""Personas shared by the tests of every app: two agencies, a small unit tree, one user per role.

Agency CQA ("the agency"): units PA (with the sub-unit PA1) and PB, and four people:
`own` (the staff member's record, in PA), `colleague` (PA), `in_a1` (PA1), `in_b` (PB).
Agency CQB ("the other agency"): unit OX with `outsider`.
Users (`world.users[...]`): admin, officer, director, council (agency-wide roles of CQA), head
(unit head of PA), staff (linked to `own`), norole (a CQA login with no role at all),
other (the commendation officer of CQB) and other_admin (the administrator of CQB).
"""

import runpy
from dataclasses import dataclass, field

import pytest

from thidua.accounts.models import Role, User
from thidua.org.models import Agency, Person, Unit, UnitKind
from thidua.testing import AgencyFactory, PersonFactory, UnitFactory, make_user

# AxesStandaloneBackend (first in the list) only watches logins: it cannot load a user back.
MODEL_BACKEND = "thidua.accounts.backends.LoginBackend"


@dataclass
class World:
    agency: Agency
    other_agency: Agency
    unit_a: Unit
    unit_a1: Unit
    unit_b: Unit
    other_unit: Unit
    own: Person
    colleague: Person
    in_a1: Person
    in_b: Person
    outsider: Person
    users: dict[str, User] = field(default_factory=dict)


def _person(unit: Unit, code: str, family: str, middle: str, given: str) -> Person:
    return PersonFactory(
        unit=unit, staff_code=code, family_name=family, middle_name=middle, given_name=given
    )


@pytest.fixture
def world(db) -> World:
    agency = AgencyFactory(code="CQA", name="Sở Tài nguyên và Môi trường tỉnh Lạng Sơn")
    other_agency = AgencyFactory(
        code="CQB", name="Sở Tài nguyên và Môi trường tỉnh Bình Phước", place="Bình Phước"
    )
    unit_a = UnitFactory(
        agency=agency, code="PA", name="Văn phòng Đăng ký đất đai", kind=UnitKind.OFFICE
    )
    unit_a1 = UnitFactory(
        agency=agency,
        code="PA1",
        name="Chi nhánh Văn phòng Đăng ký đất đai huyện Cao Lộc",
        kind=UnitKind.BRANCH,
        parent=unit_a,
    )
    unit_b = UnitFactory(agency=agency, code="PB", name="Thanh tra Sở")
    other_unit = UnitFactory(agency=other_agency, code="OX", name="Phòng Quản lý đất đai")
    w = World(
        agency=agency,
        other_agency=other_agency,
        unit_a=unit_a,
        unit_a1=unit_a1,
        unit_b=unit_b,
        other_unit=other_unit,
        own=_person(unit_a, "CB001", "Phạm", "Thị", "Hoa"),
        colleague=_person(unit_a, "CB002", "Đặng", "Văn", "Bình"),
        in_a1=_person(unit_a1, "CB003", "Nguyễn", "Văn", "Á"),
        in_b=_person(unit_b, "CB004", "Trần", "Thị", "Lan"),
        outsider=_person(other_unit, "CB005", "Lê", "Văn", "Ngoại"),
    )
    w.users = {
        "admin": make_user(agency=agency, role=Role.ADMIN, username="quantri"),
        "officer": make_user(agency=agency, role=Role.OFFICER, username="thiduakt"),
        "director": make_user(agency=agency, role=Role.DIRECTOR, username="giamdoc"),
        "council": make_user(agency=agency, role=Role.COUNCIL, username="hoidong"),
        "head": make_user(agency=agency, role=Role.UNIT_HEAD, unit=unit_a, username="truong"),
        "staff": make_user(agency=agency, role=Role.STAFF, person=w.own, username="canbo"),
        "norole": make_user(agency=agency, role=None, username="khongvaitro"),
        "other": make_user(agency=other_agency, role=Role.OFFICER, username="bp.thiduakt"),
        "other_admin": make_user(agency=other_agency, role=Role.ADMIN, username="bp.quantri"),
    }
    return w


@pytest.fixture
def login(client):
    """`login(user)` → the test client with `user` logged in (None: stays anonymous)."""

    def _login(user: User | None):
        client.logout()
        if user is not None:
            client.force_login(user, backend=MODEL_BACKEND)
        return client

    return _login


@pytest.fixture
def load_settings(monkeypatch):
    """`load_settings(NAME="value", OTHER=None)` → the settings module's globals, re-read with
    those environment variables set (None: unset). Django's live settings are not touched."""

    def _load(**env: str | None) -> dict:
        for name, value in env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        return runpy.run_module("thidua.settings", run_name="thidua_settings_probe")

    return _load


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded dossier files go to a temporary folder, never to the project's data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
