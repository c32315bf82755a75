"""The demo data: the real structure of the two agencies, synthetic people, idempotent seeding."""

import re
import unicodedata
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from thidua.accounts.models import Role, User
from thidua.audit.models import AuditEntry
from thidua.demo.services import DEMO_PASSWORD, demo_logins
from thidua.org.models import Agency, Person, Unit, UnitKind

LS_BRANCH_PLACES = [
    "thành phố Lạng Sơn", "huyện Tràng Định", "huyện Bình Gia", "huyện Văn Lãng", "huyện Cao Lộc",
    "huyện Văn Quan", "huyện Bắc Sơn", "huyện Hữu Lũng", "huyện Chi Lăng", "huyện Lộc Bình",
    "huyện Đình Lập",
]  # fmt: skip
LS_TOP_LEVEL = {
    ("Ban Giám đốc", UnitKind.BOARD),
    ("Văn phòng Sở", UnitKind.OFFICE),
    ("Thanh tra Sở", UnitKind.DIVISION),
    ("Phòng Kế hoạch - Tài chính", UnitKind.DIVISION),
    ("Phòng Quản lý đất đai", UnitKind.DIVISION),
    ("Phòng Quản lý Tài nguyên nước và Khoáng sản", UnitKind.DIVISION),
    ("Chi cục Bảo vệ môi trường", UnitKind.SUB_DEPARTMENT),
    ("Trung tâm Tài nguyên và Môi trường", UnitKind.CENTRE),
    ("Văn phòng Đăng ký đất đai", UnitKind.OFFICE),
}
SEEDS_DIR = Path(settings.BASE_DIR).parent / "shared" / "seeds"


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "people": Person.objects.count(),
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def demo(db):
    _seed()


def test_seed_demo_twice_gives_the_same_231_and_35_people(db):
    _seed()
    first = _counts()
    output = _seed()
    assert _counts() == first
    assert {a.code: a.people.count() for a in Agency.objects.all()} == {
        "STNMT-LS": 231,
        "STNMT-BP": 35,
    }
    assert "STNMT-LS: Sở Tài nguyên và Môi trường tỉnh Lạng Sơn — 231 cán bộ" in output


def test_seed_demo_builds_the_real_structure_of_lang_son(demo):
    top = Unit.objects.filter(agency__code="STNMT-LS", parent__isnull=True)
    assert {(u.name, u.kind) for u in top} == LS_TOP_LEVEL
    office = top.get(name="Văn phòng Đăng ký đất đai")
    branches = office.children.order_by("sort_order")
    assert [b.name for b in branches] == [
        f"Chi nhánh Văn phòng Đăng ký đất đai {place}" for place in LS_BRANCH_PLACES
    ]
    assert {b.kind for b in branches} == {UnitKind.BRANCH}
    assert all(b.path.startswith(office.path) for b in branches)
    # The land registration office and its branches hold most of the staff (seed 000 §I.1).
    assert Person.objects.filter(unit__path__startswith=office.path).count() > 231 / 2
    directors = Person.objects.filter(unit__code="BGD", position="Giám đốc", agency=office.agency)
    assert directors.count() == 1


def test_seed_demo_every_login_works_with_its_role(demo, client):
    for login in demo_logins():
        client.logout()
        response = client.post("/login/", {"username": login.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, login.username
        user = User.objects.get(pk=client.session["_auth_user_id"])
        roles = {(a.role, a.unit.code if a.unit else None) for a in user.roles.all()}
        assert (login.role, login.unit_code) in roles, login.username
        expected_agency = "STNMT-BP" if login.username.startswith("bp.") else "STNMT-LS"
        assert user.agency.code == expected_agency
        if login.role != Role.ADMIN:
            # Everyone but the administrator has a staff record of their own agency.
            assert user.person.agency == user.agency, login.username
    assert User.objects.get(username="truongdonvi").person.unit.code == "VPDKDD"


def test_seed_demo_uses_no_full_name_found_in_the_seed_documents(demo):
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"{SEEDS_DIR} is absent")
    texts = [
        re.sub(r"\s+", " ", unicodedata.normalize("NFC", p.read_text(encoding="utf-8")))
        for p in sorted(SEEDS_DIR.glob("*.txt"))
    ]
    assert texts, "no seed document found"
    names = set(Person.objects.values_list("full_name", flat=True))
    assert len(names) > 150
    assert sorted(n for n in names if any(n in t for t in texts)) == []
