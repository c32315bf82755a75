"""The demo data: the real structure of the two agencies and synthetic people (one seed per module)."""

import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings

from thidua.accounts.models import Role, User
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


def test_seed_demo_reports_the_231_and_35_people(demo):
    assert {a.code: a.people.count() for a in Agency.objects.all()} == {
        "STNMT-LS": 231,
        "STNMT-BP": 35,
    }
    assert "STNMT-LS: Sở Tài nguyên và Môi trường tỉnh Lạng Sơn — 231 cán bộ" in demo
    assert "2016–2025:" in demo


def test_seed_demo_builds_the_real_structure_of_lang_son(demo):
    top = Unit.objects.filter(agency__code="STNMT-LS", parent__isnull=True)
    assert {(u.name, u.kind) for u in top} == LS_TOP_LEVEL
    office = top.get(name="Văn phòng Đăng ký đất đai")
    branches = office.children.filter(kind=UnitKind.BRANCH).order_by("sort_order")
    assert [b.name for b in branches] == [
        f"Chi nhánh Văn phòng Đăng ký đất đai {place}" for place in LS_BRANCH_PLACES
    ]
    assert {b.kind for b in branches} == {UnitKind.BRANCH}
    assert all(b.path.startswith(office.path) for b in branches)
    # The land registration office and its branches hold most of the staff (seed 000 §I.1).
    assert Person.objects.filter(unit__path__startswith=office.path).count() > 231 / 2
    directors = Person.objects.filter(unit__code="BGD", position="Giám đốc", agency=office.agency)
    assert directors.count() == 1


def test_seed_demo_gives_lang_son_internal_sub_units_with_a_head_each(demo):
    units = Unit.objects.filter(agency__code="STNMT-LS")
    assert units.count() == 27
    sub_units = {
        (u.parent.code, u.name): u.current_people.count()
        for u in units.filter(parent__isnull=False).exclude(kind=UnitKind.BRANCH)
    }
    assert sub_units == {
        ("CCBVMT", "Phòng Hành chính - Tổng hợp"): 5,
        ("CCBVMT", "Phòng Kiểm soát ô nhiễm"): 6,
        ("TTTNMT", "Phòng Hành chính - Tổng hợp"): 6,
        ("TTTNMT", "Phòng Quan trắc môi trường"): 11,
        ("TTTNMT", "Phòng Kỹ thuật - Địa chính"): 10,
        ("VPDKDD", "Phòng Hành chính - Tổng hợp"): 8,
        ("VPDKDD", "Phòng Đăng ký và Cấp giấy chứng nhận"): 13,
    }
    for unit in units.filter(parent__isnull=False).exclude(kind=UnitKind.BRANCH):
        heads = unit.current_people.filter(position="Trưởng phòng")
        assert heads.count() == 1, unit.code
        # Placed from the start: one membership, in the sub-unit, since recruitment.
        membership = heads.get().memberships.get()
        assert (membership.unit, membership.start) == (unit, heads.get().recruited_on)
    # The parents keep their leaders (the unit head login stays on the office).
    assert {p.position for p in Person.objects.filter(unit__code="VPDKDD")} >= {
        "Giám đốc",
        "Phó giám đốc",
    }


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
