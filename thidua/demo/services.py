"""The demo agencies: real structure (seed 000 and 004), synthetic people, ten years of records.

Everything is created through the org services, matched by code, so running it again changes
nothing. Names come from a seeded generator; none is a real official's.

Lạng Sơn's Chi cục, Trung tâm and Văn phòng Đăng ký đất đai have internal sub-units (so that the
agency counts the 24 advanced collectives of seed 000 §II.4); their staff are generated under the
parent unit as before (same names, same staff codes) and then placed by `LS_PLACEMENTS`. A database
seeded before the sub-units existed is completed: the people still where the first seed put them
(one membership, original position) are placed in their sub-unit from their recruitment date, as
if the first seed had done it. The yearly records (ratings, titles, initiatives, disciplines) come
from `thidua.demo.records_seed`.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from thidua.accounts import services as accounts_services
from thidua.accounts.models import Role, User
from thidua.audit.models import AuditAction
from thidua.audit.services import record
from thidua.demo import records_seed, rounds_seed
from thidua.org import services
from thidua.org.models import (
    Agency,
    EmploymentType,
    Gender,
    Membership,
    Person,
    Unit,
    UnitKind,
)

DEMO_PASSWORD = "thidua2026"

FAMILY_NAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Lương", "Nông", "Vi", "Lăng", "Mông", "Chu", "Hà", "Triệu", "Đinh", "Tô", "Lộc",
]  # fmt: skip
MALE_MIDDLE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Công", "Tiến", "Mạnh"]
FEMALE_MIDDLE = ["Thị", "Thu", "Thanh", "Hồng", "Ngọc", "Minh", "Thị Thu", "Thuỳ", "Phương"]
MALE_GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hải", "Hiếu", "Hoà", "Hùng", "Huy", "Khánh",
    "Kiên", "Long", "Lâm", "Nam", "Nghĩa", "Phong", "Quân", "Sơn", "Tâm", "Thắng", "Toàn", "Trung",
    "Tuấn", "Việt", "Vinh", "Ánh", "Ấn", "Đông",
]  # fmt: skip
FEMALE_GIVEN = [
    "Anh", "Chi", "Dung", "Duyên", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền", "Lan", "Liên",
    "Linh", "Loan", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang",
    "Tuyết", "Vân", "Yến", "Ánh", "Ân", "Đào",
]  # fmt: skip

LS_BRANCHES = [
    ("TP", "thành phố Lạng Sơn"), ("TD", "huyện Tràng Định"), ("BG", "huyện Bình Gia"),
    ("VL", "huyện Văn Lãng"), ("CL", "huyện Cao Lộc"), ("VQ", "huyện Văn Quan"),
    ("BS", "huyện Bắc Sơn"), ("HL", "huyện Hữu Lũng"), ("CLA", "huyện Chi Lăng"),
    ("LB", "huyện Lộc Bình"), ("DL", "huyện Đình Lập"),
]  # fmt: skip


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    staff: int
    head_title: str


LS_UNITS = [
    UnitSpec("BGD", "Ban Giám đốc", UnitKind.BOARD, None, 5, "Giám đốc"),
    UnitSpec("VP", "Văn phòng Sở", UnitKind.OFFICE, None, 20, "Chánh Văn phòng"),
    UnitSpec("TTR", "Thanh tra Sở", UnitKind.DIVISION, None, 8, "Chánh Thanh tra"),
    UnitSpec("KHTC", "Phòng Kế hoạch - Tài chính", UnitKind.DIVISION, None, 7, "Trưởng phòng"),
    UnitSpec("QLDD", "Phòng Quản lý đất đai", UnitKind.DIVISION, None, 12, "Trưởng phòng"),
    UnitSpec(
        "TNNKS",
        "Phòng Quản lý Tài nguyên nước và Khoáng sản",
        UnitKind.DIVISION,
        None,
        9,
        "Trưởng phòng",
    ),
    UnitSpec(
        "CCBVMT", "Chi cục Bảo vệ môi trường", UnitKind.SUB_DEPARTMENT, None, 14, "Chi cục trưởng"
    ),
    UnitSpec("TTTNMT", "Trung tâm Tài nguyên và Môi trường", UnitKind.CENTRE, None, 31, "Giám đốc"),
    UnitSpec("VPDKDD", "Văn phòng Đăng ký đất đai", UnitKind.OFFICE, None, 26, "Giám đốc"),
    *[
        UnitSpec(
            f"CN-{code}",
            f"Chi nhánh Văn phòng Đăng ký đất đai {place}",
            UnitKind.BRANCH,
            "VPDKDD",
            9,
            "Giám đốc Chi nhánh",
        )
        for code, place in LS_BRANCHES
    ],
    # Internal sub-units (staff 0: their people are generated under the parent, then placed).
    UnitSpec("CCBVMT-HCTH", "Phòng Hành chính - Tổng hợp", UnitKind.DIVISION, "CCBVMT", 0,
             "Trưởng phòng"),
    UnitSpec("CCBVMT-KSON", "Phòng Kiểm soát ô nhiễm", UnitKind.DIVISION, "CCBVMT", 0,
             "Trưởng phòng"),
    UnitSpec("TTTNMT-HCTH", "Phòng Hành chính - Tổng hợp", UnitKind.DIVISION, "TTTNMT", 0,
             "Trưởng phòng"),
    UnitSpec("TTTNMT-QTMT", "Phòng Quan trắc môi trường", UnitKind.DIVISION, "TTTNMT", 0,
             "Trưởng phòng"),
    UnitSpec("TTTNMT-KTDC", "Phòng Kỹ thuật - Địa chính", UnitKind.DIVISION, "TTTNMT", 0,
             "Trưởng phòng"),
    UnitSpec("VPDKDD-HCTH", "Phòng Hành chính - Tổng hợp", UnitKind.DIVISION, "VPDKDD", 0,
             "Trưởng phòng"),
    UnitSpec("VPDKDD-DKCG", "Phòng Đăng ký và Cấp giấy chứng nhận", UnitKind.DIVISION, "VPDKDD",
             0, "Trưởng phòng"),
]  # fmt: skip


def _placements(
    moves: dict[str, list[str]], heads: dict[str, str], promoted: dict[str, str]
) -> dict[str, tuple[str | None, str | None]]:
    """staff code → (unit code or None to stay, new position or None to keep)."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for unit_code, codes in moves.items():
        for code in codes:
            out[code] = (unit_code, "Trưởng phòng" if heads.get(unit_code) == code else None)
    for code, position in promoted.items():
        out[code] = (None, position)
    return out


# Who works in the sub-units (staff generated under CCBVMT, TTTNMT and VPDKDD), who heads them,
# and the extra deputies of the three large units. The heads of the parents stay where they are:
# `truongdonvi` (LS0107) heads the Văn phòng Đăng ký đất đai and, through the tree, its sub-units.
LS_PLACEMENTS = _placements(
    moves={
        "CCBVMT-HCTH": ["LS0064", "LS0065", "LS0066", "LS0073", "LS0075"],
        "CCBVMT-KSON": ["LS0067", "LS0068", "LS0069", "LS0071", "LS0072", "LS0074"],
        "TTTNMT-HCTH": ["LS0083", "LS0085", "LS0086", "LS0087", "LS0089", "LS0090"],
        "TTTNMT-QTMT": ["LS0079", "LS0080", "LS0081", "LS0084", "LS0088", "LS0091", "LS0092",
                        "LS0093", "LS0094", "LS0095", "LS0100"],
        "TTTNMT-KTDC": ["LS0096", "LS0097", "LS0098", "LS0099", "LS0101", "LS0102", "LS0103",
                        "LS0104", "LS0105", "LS0106"],
        "VPDKDD-HCTH": ["LS0116", "LS0118", "LS0119", "LS0120", "LS0124", "LS0125", "LS0127",
                        "LS0128"],
        "VPDKDD-DKCG": ["LS0111", "LS0113", "LS0114", "LS0115", "LS0117", "LS0121", "LS0122",
                        "LS0123", "LS0126", "LS0129", "LS0130", "LS0131", "LS0132"],
    },
    heads={
        "CCBVMT-HCTH": "LS0066", "CCBVMT-KSON": "LS0068", "TTTNMT-HCTH": "LS0087",
        "TTTNMT-QTMT": "LS0100", "TTTNMT-KTDC": "LS0106", "VPDKDD-HCTH": "LS0120",
        "VPDKDD-DKCG": "LS0121",
    },
    promoted={
        "LS0070": "Phó chi cục trưởng", "LS0082": "Phó giám đốc", "LS0112": "Phó giám đốc",
    },
)  # fmt: skip

BP_UNITS = [
    UnitSpec("BGD", "Ban Giám đốc", UnitKind.BOARD, None, 3, "Giám đốc"),
    UnitSpec("VP", "Văn phòng Sở", UnitKind.OFFICE, None, 8, "Chánh Văn phòng"),
    UnitSpec("QLDD", "Phòng Quản lý đất đai", UnitKind.DIVISION, None, 6, "Trưởng phòng"),
    UnitSpec("VPDKDD", "Văn phòng Đăng ký đất đai", UnitKind.OFFICE, None, 8, "Giám đốc"),
    UnitSpec(
        "CN-DX",
        "Chi nhánh Văn phòng Đăng ký đất đai thành phố Đồng Xoài",
        UnitKind.BRANCH,
        "VPDKDD",
        5,
        "Giám đốc Chi nhánh",
    ),
    UnitSpec(
        "CN-BL",
        "Chi nhánh Văn phòng Đăng ký đất đai thị xã Bình Long",
        UnitKind.BRANCH,
        "VPDKDD",
        5,
        "Giám đốc Chi nhánh",
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit_code: str | None
    description: str


LS_LOGINS = [
    DemoLogin("quantri", Role.ADMIN, None, "Quản trị hệ thống"),
    DemoLogin("thiduakt", Role.OFFICER, None, "Cán bộ thi đua - khen thưởng (Văn phòng Sở)"),
    DemoLogin("giamdoc", Role.DIRECTOR, None, "Giám đốc Sở"),
    DemoLogin("hoidong", Role.COUNCIL, None, "Thành viên Hội đồng TĐKT"),
    DemoLogin("truongdonvi", Role.UNIT_HEAD, "VPDKDD", "Giám đốc Văn phòng Đăng ký đất đai"),
    DemoLogin("canbo", Role.STAFF, None, "Một cán bộ của Phòng Quản lý đất đai"),
]
BP_LOGINS = [DemoLogin("bp.thiduakt", Role.OFFICER, None, "Cán bộ TĐKT, Sở TN&MT Bình Phước")]


def _people_for(spec: UnitSpec, rng: random.Random, start_number: int, prefix: str):
    for i in range(spec.staff):
        female = rng.random() < 0.48
        family = rng.choice(FAMILY_NAMES)
        middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        birth = datetime.date(rng.randint(1966, 1998), rng.randint(1, 12), rng.randint(1, 28))
        recruited = datetime.date(
            max(birth.year + 22, rng.randint(1990, 2021)), rng.randint(1, 12), 1
        )
        if spec.code == "BGD":
            position = "Giám đốc" if i == 0 else "Phó Giám đốc"
        elif i == 0:
            position = spec.head_title
        elif i == 1:
            position = "Phó " + spec.head_title[0].lower() + spec.head_title[1:]
        else:
            position = rng.choice(["Chuyên viên", "Chuyên viên", "Chuyên viên chính", "Kỹ sư"])
        kind = EmploymentType.CIVIL_SERVANT
        if spec.kind in (UnitKind.CENTRE, UnitKind.BRANCH) or spec.code == "VPDKDD":
            kind = (
                EmploymentType.PUBLIC_EMPLOYEE if rng.random() < 0.85 else EmploymentType.CONTRACT
            )
        yield {
            "staff_code": f"{prefix}{start_number + i:04d}",
            "family_name": family,
            "middle_name": middle,
            "given_name": given,
            "gender": Gender.FEMALE if female else Gender.MALE,
            "birth_date": birth,
            "employment_type": kind,
            "position": position,
            "recruited_on": recruited,
        }


def _seed_agency(
    *,
    code: str,
    name: str,
    place: str,
    symbol: str,
    units: list[UnitSpec],
    prefix: str,
    seed: int,
    placements: dict[str, tuple[str | None, str | None]] | None = None,
) -> tuple[Agency, int]:
    """Create what is missing of the agency; return it and the number of people (re)placed."""
    placements = placements or {}
    agency, _created = services.ensure_agency(code=code, name=name, place=place, symbol=symbol)
    by_code = {u.code: u for u in Unit.objects.filter(agency=agency)}
    for order, spec in enumerate(units):
        if spec.code not in by_code:
            by_code[spec.code] = services.create_unit(
                actor=None,
                agency=agency,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                parent=by_code[spec.parent] if spec.parent else None,
                established_on=datetime.date(2008, 1, 1),
                sort_order=order,
            )
    existing = set(Person.objects.filter(agency=agency).values_list("staff_code", flat=True))
    rng = random.Random(seed)
    number = 1
    # staff code → (unit code and position the first seed gave, where they belong now)
    to_check: dict[str, tuple[str, str, str, str]] = {}
    for spec in units:
        for data in _people_for(spec, rng, number, prefix):
            unit_code, position = spec.code, data["position"]
            target_unit, target_position = placements.get(data["staff_code"], (None, None))
            target_unit, target_position = target_unit or unit_code, target_position or position
            if data["staff_code"] not in existing:
                data["position"] = target_position
                services.create_person(actor=None, agency=agency, unit=by_code[target_unit], **data)
            elif (target_unit, target_position) != (unit_code, position):
                to_check[data["staff_code"]] = (unit_code, position, target_unit, target_position)
        number += spec.staff
    return agency, _complete_placements(agency, by_code, to_check)


def _complete_placements(
    agency: Agency, by_code: dict[str, Unit], to_check: dict[str, tuple[str, str, str, str]]
) -> int:
    """Place the people an earlier seed left in the parent unit, as if placed from the start.

    Only people exactly as that seed left them (same unit and position, one membership) are
    touched: a transfer or an edit made since is kept.
    """
    if not to_check:
        return 0
    people = list(
        Person.objects.filter(agency=agency, staff_code__in=list(to_check)).prefetch_related(
            "memberships"
        )
    )
    changed_people, changed_memberships = [], []
    for person in people:
        unit_code, position, target_unit, target_position = to_check[person.staff_code]
        memberships = list(person.memberships.all())
        if (
            person.unit_id != by_code[unit_code].pk
            or person.position != position
            or len(memberships) != 1
            or memberships[0].unit_id != person.unit_id
        ):
            continue
        person.unit = by_code[target_unit]
        person.position = target_position
        memberships[0].unit = person.unit
        memberships[0].position = target_position
        changed_people.append(person)
        changed_memberships.append(memberships[0])
    Person.objects.bulk_update(changed_people, ["unit", "position"])
    Membership.objects.bulk_update(changed_memberships, ["unit", "position"])
    return len(changed_people)


def _seed_logins(agency: Agency, logins: list[DemoLogin]) -> None:
    for login in logins:
        if User.objects.filter(username=login.username).exists():
            continue
        unit = Unit.objects.get(agency=agency, code=login.unit_code) if login.unit_code else None
        person = _person_for_login(agency, login, unit)
        roles: list[tuple[str, Unit | None]] = [(login.role, unit)]
        if person is not None and login.role != Role.STAFF:
            # Everyone who logs in is also a member of staff with a record of their own.
            roles.append((Role.STAFF, None))
        accounts_services.create_user(
            actor=None,
            agency=agency,
            username=login.username,
            password=DEMO_PASSWORD,
            roles=roles,
            person=person,
            first_name=person.given_name if person else "",
            last_name=f"{person.family_name} {person.middle_name}".strip() if person else "",
        )


def _person_for_login(agency: Agency, login: DemoLogin, unit: Unit | None) -> Person | None:
    taken = User.objects.filter(person__isnull=False).values_list("person_id", flat=True)
    qs = Person.objects.filter(agency=agency).exclude(pk__in=list(taken)).order_by("staff_code")
    if login.role == Role.DIRECTOR:
        return qs.filter(position="Giám đốc", unit__code="BGD").first()
    if login.role == Role.UNIT_HEAD and unit is not None:
        return qs.filter(unit=unit).first()
    if login.role == Role.OFFICER:
        return qs.filter(unit__code="VP").exclude(position__startswith="Chánh").first()
    if login.role == Role.COUNCIL:
        return qs.filter(unit__code="BGD", position="Phó Giám đốc").first()
    if login.role == Role.STAFF:
        return qs.filter(unit__code="QLDD", position="Chuyên viên").first()
    return None


def _record_seed(agency: Agency, placed: int, counts: dict[str, int] | None) -> None:
    """One audit row for what the seed added in bulk (none when it added nothing)."""
    if not placed and not counts:
        return
    changes: dict[str, object] = dict(counts or {})
    if placed:
        changes["placed_in_sub_units"] = placed
    if counts:
        changes["years"] = f"{records_seed.FIRST_YEAR}–{records_seed.LAST_YEAR}"
    record(
        actor=None,
        agency_id=agency.pk,
        action=AuditAction.IMPORT,
        object_type="demo",
        object_repr=f"Dữ liệu mẫu: {agency.name}",
        changes=changes,
        note="seed-demo: xếp loại, danh hiệu, sáng kiến, kỷ luật, thành tích",
    )


@transaction.atomic
def seed_demo() -> list[Agency]:
    """Build (or complete) the two demo agencies, their records and their demo logins."""
    lang_son, placed = _seed_agency(
        code="STNMT-LS",
        name="Sở Tài nguyên và Môi trường tỉnh Lạng Sơn",
        place="Lạng Sơn",
        symbol="STNMT",
        units=LS_UNITS,
        prefix="LS",
        seed=2022,
        placements=LS_PLACEMENTS,
    )
    _seed_logins(lang_son, LS_LOGINS)
    _record_seed(lang_son, placed, records_seed.seed_records(lang_son, records_seed.LANG_SON))
    rounds_seed.seed_round(lang_son)
    binh_phuoc, placed = _seed_agency(
        code="STNMT-BP",
        name="Sở Tài nguyên và Môi trường tỉnh Bình Phước",
        place="Bình Phước",
        symbol="STNMT",
        units=BP_UNITS,
        prefix="BP",
        seed=2024,
    )
    _seed_logins(binh_phuoc, BP_LOGINS)
    _record_seed(binh_phuoc, placed, records_seed.seed_records(binh_phuoc, records_seed.BINH_PHUOC))
    return [lang_son, binh_phuoc]


def demo_logins() -> list[DemoLogin]:
    return LS_LOGINS + BP_LOGINS
