"""Province-scale bench data: one agency (BENCH), 1,500 units, 50,000 people.

    DATABASE_URL=... .venv/bin/python bench/generate.py [--people 50000] [--units 1500]

The database named by DATABASE_URL (default: an SQLite file in bench/out/) is dropped, created
and migrated. Only a database whose name contains "bench" is ever dropped.

Rows are written with bulk_create, but every derived field is computed by the services' own
helpers (`_fill_names`, `_path_for`, `snapshot`) and the people by the demo's generator, so the
rows look exactly like rows the services would have written one by one.
"""

import argparse
import datetime
import os
import random
import time
from pathlib import Path

from common import (
    AGENCY_CODE,
    OFFICER_USERNAME,
    PASSWORD,
    UNIT_HEAD_USERNAME,
    configure_env,
)

DISTRICTS = [
    "thành phố Thanh Hóa", "thị xã Bỉm Sơn", "thị xã Nghi Sơn", "thành phố Sầm Sơn",
    "huyện Hà Trung", "huyện Nga Sơn", "huyện Hậu Lộc", "huyện Hoằng Hóa", "huyện Quảng Xương",
    "huyện Nông Cống", "huyện Đông Sơn", "huyện Triệu Sơn", "huyện Thiệu Hóa", "huyện Yên Định",
    "huyện Vĩnh Lộc", "huyện Thạch Thành", "huyện Cẩm Thủy", "huyện Ngọc Lặc", "huyện Thọ Xuân",
    "huyện Như Thanh", "huyện Như Xuân", "huyện Thường Xuân", "huyện Lang Chánh",
    "huyện Bá Thước", "huyện Quan Hóa", "huyện Quan Sơn", "huyện Mường Lát",
]  # fmt: skip
TOP_UNITS = [
    ("Văn phòng Ủy ban nhân dân tỉnh", "VAN_PHONG"), ("Sở Nội vụ", "KHAC"),
    ("Sở Tài chính", "KHAC"), ("Sở Kế hoạch và Đầu tư", "KHAC"), ("Sở Tư pháp", "KHAC"),
    ("Sở Công Thương", "KHAC"), ("Sở Nông nghiệp và Phát triển nông thôn", "KHAC"),
    ("Sở Giao thông vận tải", "KHAC"), ("Sở Xây dựng", "KHAC"),
    ("Sở Tài nguyên và Môi trường", "KHAC"), ("Sở Thông tin và Truyền thông", "KHAC"),
    ("Sở Lao động - Thương binh và Xã hội", "KHAC"), ("Sở Văn hóa, Thể thao và Du lịch", "KHAC"),
    ("Sở Khoa học và Công nghệ", "KHAC"), ("Sở Giáo dục và Đào tạo", "KHAC"), ("Sở Y tế", "KHAC"),
    ("Sở Ngoại vụ", "KHAC"), ("Thanh tra tỉnh", "PHONG"), ("Ban Dân tộc", "BAN"),
    ("Ban Quản lý Khu kinh tế Nghi Sơn và các khu công nghiệp", "BAN"),
    ("Ban Quản lý dự án đầu tư xây dựng công trình dân dụng", "BAN"),
    ("Ban Quản lý dự án đầu tư xây dựng công trình giao thông", "BAN"),
    ("Đài Phát thanh và Truyền hình tỉnh", "TRUNG_TAM"), ("Trường Chính trị tỉnh", "KHAC"),
    ("Trường Cao đẳng Y tế", "KHAC"), ("Trường Cao đẳng Nông lâm", "KHAC"),
    ("Quỹ Đầu tư phát triển tỉnh", "KHAC"), ("Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch", "TRUNG_TAM"),
    ("Trung tâm Phục vụ hành chính công tỉnh", "TRUNG_TAM"), ("Viện Nông nghiệp", "KHAC"),
]  # fmt: skip
SUB_UNITS = [
    ("Văn phòng", "VAN_PHONG"), ("Thanh tra", "PHONG"), ("Phòng Tổ chức cán bộ", "PHONG"),
    ("Phòng Kế hoạch - Tài chính", "PHONG"), ("Phòng Pháp chế", "PHONG"),
    ("Phòng Quản lý nghiệp vụ", "PHONG"), ("Phòng Tổng hợp", "PHONG"),
    ("Phòng Kiểm tra, giám sát", "PHONG"), ("Phòng Hợp tác quốc tế", "PHONG"),
    ("Phòng Chuyển đổi số", "PHONG"), ("Phòng Thi đua - Khen thưởng", "PHONG"),
    ("Phòng Cải cách hành chính", "PHONG"), ("Chi cục Quản lý chất lượng", "CHI_CUC"),
    ("Chi cục Kiểm lâm", "CHI_CUC"), ("Chi cục Thủy lợi", "CHI_CUC"),
    ("Chi cục Bảo vệ môi trường", "CHI_CUC"), ("Chi cục Văn thư - Lưu trữ", "CHI_CUC"),
    ("Chi cục Dân số - Kế hoạch hóa gia đình", "CHI_CUC"), ("Trung tâm Dịch vụ công", "TRUNG_TAM"),
    ("Trung tâm Công nghệ thông tin", "TRUNG_TAM"), ("Trung tâm Đào tạo, bồi dưỡng", "TRUNG_TAM"),
    ("Trung tâm Kiểm định", "TRUNG_TAM"), ("Trung tâm Quan trắc", "TRUNG_TAM"),
    ("Trung tâm Khuyến nông", "TRUNG_TAM"), ("Trung tâm Kiểm soát bệnh tật", "TRUNG_TAM"),
    ("Văn phòng Đăng ký đất đai", "VAN_PHONG"), ("Trung tâm Phát triển quỹ đất", "TRUNG_TAM"),
]  # fmt: skip
HEAD_TITLES = {
    "BAN": "Trưởng ban",
    "PHONG": "Trưởng phòng",
    "CHI_CUC": "Chi cục trưởng",
    "TRUNG_TAM": "Giám đốc",
    "VAN_PHONG": "Chánh Văn phòng",
    "CHI_NHANH": "Giám đốc Chi nhánh",
    "KHAC": "Giám đốc",
}


def _split(total: int, weights: list[float], minimum: int) -> list[int]:
    """Share `total` among len(weights) parts, each at least `minimum` (largest remainder)."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise SystemExit(f"cannot give {minimum} to each of {len(weights)} parts from {total}")
    scale = rest / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [c + minimum for c in counts]


def recreate_database(url: str) -> str:
    """Drop and create the bench database; refuse any database not named for the bench."""
    import dj_database_url

    db = dj_database_url.parse(url)
    name = str(db["NAME"])
    if "bench" not in Path(name).name.lower():
        raise SystemExit(
            f"refusing to drop {name!r}: the bench database's name must contain 'bench'"
        )
    if db["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)
        return f"SQLite file {name}"
    if db["ENGINE"].endswith("postgresql"):
        import psycopg
        from psycopg import sql

        params = {
            "dbname": "postgres",
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
        }
        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return f"PostgreSQL database {name}"
    raise SystemExit(f"unsupported database engine {db['ENGINE']}")


class Timer:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()

    def lap(self, what: str) -> None:
        now = time.perf_counter()
        print(f"  {what:<44} {now - self.last:7.2f} s")
        self.last = now


def build_units(agency, *, total: int, top: int, rng: random.Random, timer: Timer):
    """A tree of `total` units: `top` top-level units, sub-units under each, branches under some."""
    from thidua.audit.models import AuditAction, AuditEntry
    from thidua.audit.services import snapshot
    from thidua.org.models import Unit, UnitEvent, UnitEventKind, UnitState
    from thidua.org.services import UNIT_AUDIT_FIELDS, _path_for

    if not 1 <= top <= len(TOP_UNITS):
        raise SystemExit(f"--top must be between 1 and {len(TOP_UNITS)}")
    # Three levels (depth ≤ 3): top-level units, ≈40 % sub-units, ≈60 % branches of sub-units.
    n_sub = max(top, round((total - top) * 0.4))
    n_branch = total - top - n_sub
    established = datetime.date(1990, 1, 1)
    tops = [
        Unit(
            agency=agency,
            code=f"D{i + 1:02d}",
            name=name,
            kind=kind,
            established_on=established,
            sort_order=i,
        )
        for i, (name, kind) in enumerate(TOP_UNITS[:top])
    ]
    Unit.objects.bulk_create(tops)
    for unit in tops:
        unit.path = _path_for(unit)

    subs_per_top = _split(n_sub, [rng.lognormvariate(0, 0.6) for _ in tops], minimum=1)
    subs = []
    for parent, count in zip(tops, subs_per_top, strict=True):
        for j in range(count):
            base, kind = SUB_UNITS[j % len(SUB_UNITS)]
            name = base if j < len(SUB_UNITS) else f"{base} số {j // len(SUB_UNITS) + 1}"
            subs.append(
                Unit(
                    agency=agency,
                    code=f"{parent.code}-{j + 1:02d}",
                    name=name,
                    kind=kind,
                    parent=parent,
                    established_on=established,
                    sort_order=j,
                )
            )
    Unit.objects.bulk_create(subs)
    for unit in subs:
        unit.path = _path_for(unit)

    # Sub-departments, centres and offices (not divisions) have branches in the districts.
    candidates = [u for u in subs if u.kind != "PHONG"]
    with_branches = rng.sample(candidates, k=max(1, len(candidates) * 2 // 3))
    if n_branch > len(with_branches) * len(DISTRICTS):
        raise SystemExit("too many units for the district branches: raise --top")
    weights = [rng.lognormvariate(0, 0.5) for _ in with_branches]
    per_parent = _split(n_branch, weights, minimum=1)
    while max(per_parent) > len(DISTRICTS):  # move the excess to parents with room
        i = per_parent.index(max(per_parent))
        j = per_parent.index(min(per_parent))
        per_parent[i] -= 1
        per_parent[j] += 1
    branches = []
    for parent, count in zip(with_branches, per_parent, strict=True):
        for k, district in enumerate(rng.sample(DISTRICTS, k=count)):
            branches.append(
                Unit(
                    agency=agency,
                    code=f"{parent.code}-CN{k + 1:02d}",
                    name=f"Chi nhánh {parent.name} {district}",
                    kind="CHI_NHANH",
                    parent=parent,
                    established_on=established,
                    sort_order=k,
                )
            )
    Unit.objects.bulk_create(branches)
    for unit in branches:
        unit.path = _path_for(unit)
    units = tops + subs + branches
    Unit.objects.bulk_update(units, ["path"], batch_size=500)
    timer.lap(f"units ({len(tops)} + {len(subs)} + {len(branches)})")

    UnitState.objects.bulk_create(
        [
            UnitState(
                unit=u, name=u.name, kind=u.kind, parent=u.parent, valid_from=u.established_on
            )
            for u in units
        ]
    )
    events = UnitEvent.objects.bulk_create(
        [UnitEvent(agency=agency, kind=UnitEventKind.CREATE, date=u.established_on) for u in units]
    )
    Through = UnitEvent.targets.through
    Through.objects.bulk_create(
        [Through(unitevent_id=e.pk, unit_id=u.pk) for e, u in zip(events, units, strict=True)]
    )
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                agency=agency,
                actor_name="hệ thống",
                action=AuditAction.CREATE,
                object_type="unit",
                object_id=str(u.pk),
                object_repr=str(u)[:255],
                changes=snapshot(u, UNIT_AUDIT_FIELDS),
            )
            for u in units
        ],
        batch_size=1000,
    )
    timer.lap("unit states, events and audit rows")
    return tops, units


def build_people(agency, units, *, total: int, rng: random.Random, batch: int, timer: Timer):
    """`total` people spread unevenly over `units`, each with one open membership."""
    from thidua.audit.models import AuditAction, AuditEntry
    from thidua.audit.services import snapshot
    from thidua.demo.services import UnitSpec, _people_for
    from thidua.org.models import Membership, Person
    from thidua.org.services import PERSON_AUDIT_FIELDS, _fill_names

    # Top-level units hold only their board; sub-units and branches hold the staff.
    weights = [rng.lognormvariate(0, 0.8) * (0.2 if u.parent_id is None else 1) for u in units]
    staff = _split(total, weights, minimum=2)
    people = []
    number = 1
    today = datetime.date.today()
    for unit, count in zip(units, staff, strict=True):
        spec = UnitSpec(unit.code, unit.name, unit.kind, None, count, HEAD_TITLES[unit.kind])
        for data in _people_for(spec, rng, number, "B"):
            person = Person(agency=agency, unit=unit, **data)
            person.staff_code = person.staff_code.upper()
            _fill_names(person)
            if rng.random() < 0.02:  # a few have left; the services keep their last unit
                person.left_on = min(
                    today, data["recruited_on"] + datetime.timedelta(days=rng.randint(365, 9000))
                )
            people.append(person)
        number += count
    timer.lap(f"people built in memory ({len(people)})")
    Person.objects.bulk_create(people, batch_size=batch)
    if any(p.pk is None for p in people):  # a backend that cannot return ids from bulk inserts
        ids = dict(Person.objects.filter(agency=agency).values_list("staff_code", "pk"))
        for p in people:
            p.pk = ids[p.staff_code]
    timer.lap("people inserted")
    Membership.objects.bulk_create(
        [
            Membership(person=p, unit=p.unit, position=p.position, start=p.recruited_on)
            for p in people
        ],
        batch_size=batch,
    )
    timer.lap("memberships inserted")
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                agency=agency,
                actor_name="hệ thống",
                action=AuditAction.CREATE,
                object_type="person",
                object_id=str(p.pk),
                object_repr=str(p)[:255],
                changes=snapshot(p, PERSON_AUDIT_FIELDS),
            )
            for p in people
        ),
        batch_size=batch,
    )
    timer.lap("audit rows inserted")
    return people


def create_logins(agency, tops, people) -> tuple[str, str]:
    """The officer (agency-wide) and the head of a mid-size top-level unit, each with a record."""
    from thidua.accounts import services as accounts_services
    from thidua.accounts.models import Role

    sizes = {u.pk: 0 for u in tops}
    for p in people:
        sizes[int(p.unit.path.split("/")[1])] += 1
    by_size = sorted(tops, key=lambda u: sizes[u.pk])
    headed = by_size[len(by_size) // 2]
    officer_person = next(p for p in people if p.unit_id != headed.pk and p.unit.parent_id)
    head_person = next(p for p in people if p.unit_id == headed.pk)
    for username, role, unit, person in (
        (OFFICER_USERNAME, Role.OFFICER, None, officer_person),
        (UNIT_HEAD_USERNAME, Role.UNIT_HEAD, headed, head_person),
    ):
        accounts_services.create_user(
            actor=None,
            agency=agency,
            username=username,
            password=PASSWORD,
            roles=[(role, unit), (Role.STAFF, None)],
            person=person,
            first_name=person.given_name,
            last_name=f"{person.family_name} {person.middle_name}".strip(),
        )
    return headed.name, f"{sizes[headed.pk]} people in its subtree"


def analyze() -> None:
    """Statistics for the planner; on PostgreSQL also VACUUM, as autovacuum soon would after a
    bulk load: it sets the visibility map (index-only scans) and flushes GIN pending lists."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--units", type=int, default=1_500)
    parser.add_argument("--top", type=int, default=30, help="top-level units")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=2_000, help="rows per INSERT")
    parser.add_argument(
        "--analyze",
        choices=["auto", "yes", "no"],
        default="auto",
        help="(VACUUM) ANALYZE after loading; auto: on PostgreSQL only (autovacuum would soon)",
    )
    args = parser.parse_args()

    configure_env()
    timer = Timer()
    print(f"Generating bench data into {recreate_database(os.environ['DATABASE_URL'])}")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from thidua.org.models import Agency, Membership, Person, Unit, UnitState
    from thidua.org.services import ensure_agency

    call_command("migrate", verbosity=0)
    timer.lap("migrate")
    rng = random.Random(args.seed)
    with transaction.atomic():
        agency, _created = ensure_agency(
            code=AGENCY_CODE, name="Ủy ban nhân dân tỉnh (bench)", place="Thanh Hóa", symbol="UBND"
        )
        tops, units = build_units(agency, total=args.units, top=args.top, rng=rng, timer=timer)
        people = build_people(
            agency, units, total=args.people, rng=rng, batch=args.batch, timer=timer
        )
        headed, headed_size = create_logins(agency, tops, people)
    timer.lap("logins")
    if args.analyze == "yes" or (args.analyze == "auto" and connection.vendor == "postgresql"):
        analyze()
        timer.lap("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    print(f"Done in {time.perf_counter() - timer.start:.1f} s on {connection.vendor}:")
    print(f"  agencies      {Agency.objects.count():>7}")
    print(f"  units         {Unit.objects.filter(agency=agency).count():>7}")
    print(f"  unit states   {UnitState.objects.filter(unit__agency=agency).count():>7}")
    print(f"  people        {Person.objects.filter(agency=agency).count():>7}")
    print(
        f"  not left      {Person.objects.filter(agency=agency, left_on__isnull=True).count():>7}"
    )
    print(f"  memberships   {Membership.objects.filter(person__agency=agency).count():>7}")
    depth = max(u.depth for u in units) + 1
    print(f"  tree depth    {depth:>7}")
    print(f"Logins (password {PASSWORD}): {OFFICER_USERNAME} (officer, agency-wide),")
    print(f"  {UNIT_HEAD_USERNAME} (unit head of {headed}, {headed_size})")


if __name__ == "__main__":
    main()
