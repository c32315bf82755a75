"""Ten years (2016–2025) of records for the demo agencies: ratings, titles, initiatives, disciplines.

Ratings, initiatives, disciplines and achievements are drawn from a seeded generator (per person,
so that the draw of one person never depends on another's), with a few people scripted for the
demo. Titles and forms are then granted year after year, oldest first, **only to subjects the
eligibility engine finds eligible** (`thidua.eligibility.selectors.evaluate_agency`), so that every
award in the database is one the engine agrees with, and each year's evaluation reads the awards of
the years before it. Decisions are numbered in the agency's register ("05/QĐ-STNMT") and dated in
the following January; higher awards come from the province ("…/QĐ-UBND", spring), the Ministry
or the Prime Minister.

Who rates whom (`Rating.rated_by_director`, counted by the annual report):
- Collectives: the director rates the nine units directly under the Sở (Ban Giám đốc, Văn phòng
  Sở, Thanh tra Sở, Phòng KH-TC, Phòng QLĐĐ, Phòng TNN-KS, Chi cục BVMT, Trung tâm TN&MT, Văn phòng
  ĐKĐĐ) — the nine collectives of seed 000 §II.4. Branches and internal sub-units are rated by the
  head of their parent unit.
- Persons (Nghị định 90/2020 Điều 20: the head rates the leaders they appoint): the deputy directors
  (the director himself is rated by the Chủ tịch UBND tỉnh), the head of every unit (divisions, Chi
  cục, centre, office, the eleven branches, the seven internal sub-units) and the deputies of the
  eight units directly under the Sở. In Lạng Sơn that is 41 people; one of them (LS0076, head of the
  Trung tâm) joined in September 2021 and is not rated for 2021, so the director's 2021 decision
  counts 40.

What comes out of the engine for Lạng Sơn, 2021 (regime R2017, review 31/12/2021; seed 000 §II.4):
- rated by the director: units 6 HTXSNV (VP, QLĐĐ, TNN-KS, Chi cục, Trung tâm, VPĐKĐĐ) and 3 HTTNV
  (Ban Giám đốc, Thanh tra, KH-TC); persons 17 HTXSNV, 22 HTTNV, 1 HTNV (LS0223, head of the Đình
  Lập branch);
- LĐTT: 199 of the 231 people. The 32 others: LS0011, LS0076 and LS0217, who joined after June
  2021 and are not rated; LS0111, who joined in July (6 months, R2017 needs 10); LS0113, whom his
  unit recorded as lacking unity; and the 27 rated below HTTNV (LS0086 and LS0192, disciplined in
  the year, are KHTNV);
- TTLĐTT: 24 of the 27 units. Refused: CN-DL (unit rated HTNV), CN-BS (LS0192 received a warning,
  cảnh cáo, in 2021) and TTTNMT-HCTH (3 of 6 members LĐTT: LS0085 on sick leave, LS0086 reprimanded,
  LS0089 rated HTNV — R2017 needs more than 50%);
- and the titles granted for 2021 are exactly those (decision 05/QĐ-STNMT of 14/01/2022), plus
  Giấy khen for 19 collectives and 60 persons (achievements recorded for them), and the Ministry's
  Bằng khen for 1 collective (VPĐKĐĐ, HTXSNV 2020 and 2021) and 2 persons.

Demo people of Lạng Sơn (staff codes):
- LS0091 (Trung tâm, Phòng Quan trắc): the star — HTXSNV every year, an initiative every year,
  CSTĐCS every year, Bằng khen cấp tỉnh 2017 and 2022, CSTĐ cấp tỉnh 2021 (province-scope
  initiative 2021) and 2024, CSTĐ toàn quốc 2024 (national-scope initiative 2023); eligible for the
  Prime Minister's Bằng khen from 2020 on, never granted (a nomination to try in the demo).
- LS0130 (VPĐKĐĐ, Phòng Đăng ký): eligible for CSTĐ cấp tỉnh in 2025 — CSTĐCS 2023, 2024, 2025
  and a province-scope initiative in 2024; the 2025 provincial titles are not decided yet.
- LS0049 (Phòng QLĐĐ): one year short of Bằng khen cấp tỉnh in 2025 — HTTNV in 2024, HTXSNV and
  one initiative in 2025 (CSTĐCS 2025 only): refused, every branch of Điều 74.1 fails.
- LS0200 (CN Hữu Lũng): warning (cảnh cáo) in August 2024 — rated KHTNV, no LĐTT 2024, and his
  branch is refused TTLĐTT 2024.
- LS0098 (maternity leave 2021) and LS0048 (maternity leave 2023): 6 months worked, LĐTT all the
  same (maternity leave counts).
- LS0113: rated HTTNV in 2021 but recorded as lacking unity (Điều 24.1.b): no LĐTT 2021.
- LS0052: reprimand (khiển trách) in 2018. LS0026 (Chánh Thanh tra): an achievement the officer
  recognised in 2023 (Bằng khen cấp tỉnh 2023 on Điều 74.1.a–c). LS0210 (CN Chi Lăng): twice a
  prize in the 2022 administrative-reform contest (seed 000), Giấy khen 2022.

The 2025 titles the director decides (LĐTT, CSTĐCS, TTLĐTT, Giấy khen) are recorded (January 2026);
the 2025 titles of the province and above are left for the demo's award round.

Bình Phước gets the same generator (its own seed), without calibration or scripted people. An
agency that already has any record (rating, award, initiative, discipline, achievement) is left as
it is: the records are added once, in bulk, with one IMPORT row in the audit log (services.py).
"""

import calendar
import datetime
import logging
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from thidua.eligibility import selectors as eligibility
from thidua.org.models import Agency, Person, Unit, UnitKind
from thidua.records.enums import RATING_RANK, RatingLevel, TitleCode
from thidua.records.models import Achievement, Award, Discipline, Initiative, Rating

logger = logging.getLogger(__name__)

FIRST_YEAR, LAST_YEAR = 2016, 2025
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
# The demo agency keeps the R2017 cap on CSTĐCS (≤ 15% of the LĐTT, Nghị định 91/2017 Điều 9.3)
# as its practice after 2024, and the rating cap (HTXSNV ≤ 20%, Nghị định 48/2023) every year.
CSTDCS_SHARE = 0.15
HTXSNV_SHARE = 0.20

HTXSNV, HTTNV, HTNV, KHTNV = (
    RatingLevel.HTXSNV.value,
    RatingLevel.HTTNV.value,
    RatingLevel.HTNV.value,
    RatingLevel.KHTNV.value,
)
RANK = {str(k): v for k, v in RATING_RANK.items()}
HEAD_POSITIONS = {
    "Chánh Văn phòng", "Chánh Thanh tra", "Trưởng phòng", "Chi cục trưởng", "Giám đốc",
    "Giám đốc Chi nhánh",
}  # fmt: skip
DIRECTOR = "Giám đốc Sở"
PROVINCE = "Chủ tịch UBND tỉnh"
MINISTRY = "Bộ trưởng Bộ Tài nguyên và Môi trường"
PRIME_MINISTER = "Thủ tướng Chính phủ"


# --- scenarios ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonYear:
    """What a scripted person's rating of a year is (None: drawn as usual)."""

    level: str | None = None
    months: int | None = None
    maternity: bool = False
    self_reliant: bool = True
    note: str = ""


@dataclass(frozen=True)
class Calibration:
    """Exact figures one year must give (seed 000 §II.4 for Lạng Sơn 2021)."""

    year: int
    director_people: dict[str, int]  # level → number among the persons the director rates
    ldtt: int  # persons LĐTT
    no_fillers: frozenset[str]  # units whose figures are scripted: no extra HTNV drawn there
    gk_people: int
    gk_units: int


@dataclass(frozen=True)
class Scenario:
    seed: int
    person_years: dict[tuple[str, int], PersonYear] = field(default_factory=dict)
    unit_years: dict[tuple[str, int], str] = field(default_factory=dict)
    # staff code → all of that person's initiatives: (year, scope, kind, name)
    initiatives: dict[str, tuple[tuple[int, str, str, str], ...]] = field(default_factory=dict)
    # (staff code, decision date, kind, months)
    disciplines: tuple[tuple[str, datetime.date, str, int], ...] = ()
    # (staff code, year, kind, description)
    achievements: tuple[tuple[str, int, str, str], ...] = ()
    calibration: Calibration | None = None
    priority: frozenset[str] = frozenset()  # staff codes served first when a title is capped
    # year → units receiving the Bằng khen (the only unit Bằng khen granted)
    unit_bk: dict[int, tuple[str, ...]] = field(default_factory=dict)
    bk_people_cap: dict[int, int] = field(default_factory=dict)  # default 3 a year
    bk_authority: dict[int, tuple[str, str]] = field(default_factory=dict)  # year → (who, symbol)
    ldtt_decision: dict[int, tuple[int, datetime.date]] = field(default_factory=dict)


def _years(code: str, levels: dict[int, str], **extra) -> dict[tuple[str, int], PersonYear]:
    return {(code, year): PersonYear(level=level, **extra) for year, level in levels.items()}


STAR, CSTD_TINH_2025, SHORT_OF_BK_2025, DISCIPLINED_2024 = "LS0091", "LS0130", "LS0049", "LS0200"

LANG_SON = Scenario(
    seed=2022,
    person_years={
        **_years(STAR, dict.fromkeys(YEARS, HTXSNV)),
        **_years(CSTD_TINH_2025, {2023: HTXSNV, 2024: HTXSNV, 2025: HTXSNV}),
        **_years(SHORT_OF_BK_2025, {2024: HTTNV, 2025: HTXSNV}),
        **_years(DISCIPLINED_2024, {2023: HTTNV, 2025: HTTNV}),
        (DISCIPLINED_2024, 2024): PersonYear(KHTNV, note="Bị kỷ luật cảnh cáo trong năm"),
        ("LS0098", 2021): PersonYear(HTTNV, months=6, maternity=True, note="Nghỉ thai sản 6 tháng"),
        ("LS0048", 2023): PersonYear(HTTNV, months=6, maternity=True, note="Nghỉ thai sản 6 tháng"),
        ("LS0113", 2021): PersonYear(
            HTTNV, self_reliant=False, note="Đơn vị ghi nhận chưa đoàn kết, tương trợ đồng nghiệp"
        ),
        ("LS0085", 2021): PersonYear(HTNV, months=7, note="Nghỉ ốm dài ngày 5 tháng"),
        ("LS0086", 2021): PersonYear(KHTNV, note="Bị kỷ luật khiển trách trong năm"),
        ("LS0089", 2021): PersonYear(HTNV),
        ("LS0192", 2021): PersonYear(KHTNV, note="Bị kỷ luật cảnh cáo trong năm"),
        ("LS0192", 2022): PersonYear(HTNV),
        ("LS0223", 2021): PersonYear(HTNV),
        ("LS0052", 2018): PersonYear(KHTNV, note="Bị kỷ luật khiển trách trong năm"),
        ("LS0210", 2022): PersonYear(HTTNV),
        ("LS0026", 2023): PersonYear(HTXSNV),
    },  # fmt: skip
    unit_years={
        **{(code, 2021): HTXSNV for code in ("VP", "QLDD", "TNNKS", "CCBVMT", "TTTNMT", "VPDKDD")},
        **{(code, 2021): HTTNV for code in ("BGD", "TTR", "KHTC")},
        ("CN-DL", 2021): HTNV,
        ("VPDKDD", 2020): HTXSNV,
    },
    initiatives={
        STAR: (
            *[
                (y, "CO_SO", "SANG_KIEN", name)
                for y, name in (
                    (2016, "Quy trình lấy mẫu và bảo quản mẫu nước mặt tại hiện trường"),
                    (2017, "Bảng tính tự động kiểm tra số liệu quan trắc không khí"),
                    (2018, "Giải pháp hiệu chuẩn nhanh thiết bị đo pH tại hiện trường"),
                    (2019, "Bản đồ điểm quan trắc môi trường trên nền GIS"),
                    (2020, "Mẫu báo cáo kết quả quan trắc định kỳ theo chuẩn dữ liệu mở"),
                    (2022, "Quy trình kiểm soát chất lượng số liệu trạm quan trắc tự động"),
                    (2024, "Ứng dụng cảnh báo sớm vượt ngưỡng chất lượng nước mặt"),
                    (2025, "Sổ tay vận hành trạm quan trắc nước mặt tự động"),
                )
            ],
            (
                2021,
                "BO_TINH",
                "DE_TAI",
                "Đề tài cấp tỉnh: Đánh giá chất lượng nước sông Kỳ Cùng và đề xuất giải pháp bảo vệ",
            ),
            (
                2023,
                "TOAN_QUOC",
                "SANG_KIEN",
                "Giải pháp liên thông dữ liệu quan trắc môi trường tự động với cơ sở dữ liệu quốc gia",
            ),
        ),
        CSTD_TINH_2025: (
            (2023, "CO_SO", "SANG_KIEN", "Quy trình rà soát hồ sơ cấp giấy chứng nhận lần đầu"),
            (
                2024,
                "BO_TINH",
                "SANG_KIEN",
                "Liên thông hồ sơ đăng ký đất đai với cơ quan thuế trên địa bàn tỉnh Lạng Sơn",
            ),
            (2025, "CO_SO", "SANG_KIEN", "Tra cứu tình trạng hồ sơ đăng ký đất đai bằng mã QR"),
        ),
        SHORT_OF_BK_2025: (
            (2025, "CO_SO", "SANG_KIEN", "Bộ câu hỏi thường gặp về thủ tục giao đất, cho thuê đất"),
        ),
        "LS0100": (
            (2017, "CO_SO", "SANG_KIEN", "Sổ theo dõi thiết bị quan trắc bằng mã QR"),
            (
                2019,
                "BO_TINH",
                "DE_TAI",
                "Đề tài cấp tỉnh: Hiện trạng chất thải rắn sinh hoạt nông thôn tỉnh Lạng Sơn",
            ),
        ),
    },  # fmt: skip
    disciplines=(
        ("LS0052", datetime.date(2018, 10, 8), "KHIEN_TRACH", 6),
        ("LS0086", datetime.date(2021, 5, 10), "KHIEN_TRACH", 6),
        ("LS0192", datetime.date(2021, 9, 20), "CANH_CAO", 12),
        (DISCIPLINED_2024, datetime.date(2024, 8, 12), "CANH_CAO", 12),
    ),
    achievements=(
        (
            "LS0210",
            2022,
            "AD_HOC",
            "Hai lần đạt giải khuyến khích Cuộc thi tìm hiểu về cải cách hành chính tỉnh Lạng Sơn",
        ),
        (
            "LS0026",
            2023,
            "RECOGNISED",
            "Thành tích xuất sắc trong thanh tra việc chấp hành pháp luật đất đai năm 2023",
        ),
    ),  # fmt: skip
    calibration=Calibration(
        year=2021,
        director_people={HTXSNV: 17, HTTNV: 22, HTNV: 1},
        ldtt=199,
        no_fillers=frozenset({"TTTNMT-HCTH"}),
        gk_people=60,
        gk_units=19,
    ),
    priority=frozenset({STAR, CSTD_TINH_2025, SHORT_OF_BK_2025, "LS0026"}),
    unit_bk={2021: ("VPDKDD",)},
    bk_people_cap={2021: 2},
    bk_authority={2021: (MINISTRY, "QĐ-BTNMT")},
    ldtt_decision={2021: (5, datetime.date(2022, 1, 14))},
)

BINH_PHUOC = Scenario(seed=2024)


# --- the people and units as the generator sees them ----------------------------------------


@dataclass
class Subject:
    id: int
    code: str
    unit_code: str
    position: str = ""
    recruited_on: datetime.date | None = None
    director: bool = False  # rated by the director
    board_head: bool = False  # the director of the Sở, rated by the province
    profile: str = "normal"


@dataclass
class Row:
    level: str
    months: int = 12
    maternity: bool = False
    self_reliant: bool = True
    note: str = ""


@dataclass
class Plan:
    levels: dict[tuple[str, int], Row] = field(default_factory=dict)  # (staff code, year)
    unit_levels: dict[tuple[str, int], str] = field(default_factory=dict)
    initiatives: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    disciplines: list[tuple[str, datetime.date, str, int]] = field(default_factory=list)
    achievements: list[tuple[str, str, int, str, str]] = field(default_factory=list)  # kind,code


def _add_months(date: datetime.date, months: int) -> datetime.date:
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def _key(seed: int, *parts: object) -> float:
    """A stable pseudo-random number for an ordering (no shared generator state)."""
    return random.Random(":".join(map(str, (seed, *parts)))).random()


def _subjects(agency: Agency) -> tuple[list[Subject], list[Subject]]:
    units = list(Unit.objects.filter(agency=agency, dissolved_on__isnull=True))
    by_id = {u.pk: u for u in units}
    unit_subjects = [
        Subject(id=u.pk, code=u.code, unit_code=u.code, director=u.parent_id is None)
        for u in units
    ]  # fmt: skip
    people = []
    for p in Person.objects.filter(agency=agency, left_on__isnull=True, unit__isnull=False):
        unit = by_id.get(p.unit_id)
        if unit is None:  # in a dissolved unit: not rated by this seed
            continue
        deputy = p.position.startswith("Phó ")
        board = unit.kind == UnitKind.BOARD
        if board:
            director = deputy
        elif deputy:
            director = unit.parent_id is None
        else:
            director = p.position in HEAD_POSITIONS
        people.append(
            Subject(
                id=p.pk, code=p.staff_code, unit_code=unit.code, position=p.position,
                recruited_on=p.recruited_on, director=director, board_head=board and not deputy,
            )
        )  # fmt: skip
    people.sort(key=lambda s: s.code)
    unit_subjects.sort(key=lambda s: s.code)
    return people, unit_subjects


# --- the plan: ratings, initiatives, disciplines, achievements ------------------------------


def _draw_level(roll: float, profile: str, leader: bool) -> str:
    excellent = {"strong": 0.55, "normal": 0.08, "weak": 0.02}[profile] + (0.15 * leader)
    weak = {"strong": 0.0, "normal": 0.04, "weak": 0.25}[profile]
    if roll < excellent:
        return HTXSNV
    if roll > 1 - weak:
        return HTNV
    return HTTNV


def _months_in(person: Subject, year: int) -> int:
    start = person.recruited_on
    if start is None or start.year < year:
        return 12
    if start.year > year:
        return 0
    return 13 - start.month


def _person_ratings(plan: Plan, people: list[Subject], sc: Scenario) -> None:
    for person in people:
        rng = random.Random(f"{sc.seed}:person:{person.code}")
        roll = rng.random()
        person.profile = "strong" if roll < 0.15 else "weak" if roll > 0.88 else "normal"
        for year in YEARS:
            roll = rng.random()  # drawn every year, so that a change in one year moves no other
            months = _months_in(person, year)
            if months < 6:
                continue  # worked less than 6 months in the year: not rated
            level = _draw_level(roll, person.profile, person.director)
            note = ""
            if months < 12:
                # Part of a year: not HTXSNV; 7 to 9 months worked count as 3 to under 6 months
                # away, at most HTNV (Nghị định 90/2020 Điều 2, as records.services checks).
                level = HTNV if 6 < months <= 9 else HTTNV if level == HTXSNV else level
                note = f"Tuyển dụng tháng {person.recruited_on:%m/%Y} ({months} tháng công tác)"
            if person.board_head:
                note = "Do Chủ tịch UBND tỉnh đánh giá"
            row = Row(level=level, months=months, note=note)
            script = sc.person_years.get((person.code, year))
            if script is not None:
                row.level = script.level or row.level
                row.months = script.months or row.months
                row.maternity = script.maternity
                row.self_reliant = script.self_reliant
                row.note = script.note or row.note
            plan.levels[(person.code, year)] = row
    # A disciplinary decision in the year → KHTNV (Nghị định 90/2020).
    for code, decided_on, _kind, _months in sc.disciplines:
        row = plan.levels.get((code, decided_on.year))
        if row is not None:
            row.level = KHTNV


def _unit_ratings(plan: Plan, units: list[Subject], sc: Scenario) -> None:
    for unit in units:
        rng = random.Random(f"{sc.seed}:unit:{unit.code}")
        for year in YEARS:
            roll = rng.random()
            if unit.director:
                level = HTXSNV if roll < 0.55 else HTTNV
            else:
                level = HTXSNV if roll < 0.3 else HTNV if roll > 0.97 else HTTNV
            plan.unit_levels[(unit.code, year)] = sc.unit_years.get((unit.code, year), level)


def _ldtt_r2017(person: Subject, row: Row | None, year: int, disciplined: set) -> bool:
    """What LĐTT under R2017 asks (used only to shape the calibrated year; the engine decides)."""
    if row is None or RANK[row.level] < 3 or not row.self_reliant:
        return False
    if person.recruited_on and _add_months(person.recruited_on, 10) > datetime.date(year + 1, 1, 1):
        return False
    if not row.maternity and row.months < 10:
        return False
    return (person.code, year) not in disciplined


class CalibrationError(RuntimeError):
    """The agency's staff are no longer those the calibration was written for."""


def _calibrate(plan: Plan, people: list[Subject], units: list[Subject], sc: Scenario) -> None:
    cal = sc.calibration
    year = cal.year
    scripted = {code for code, y in sc.person_years if y == year}
    disciplined = {(code, d.year) for code, d, _k, _m in sc.disciplines}
    rated = [p for p in people if (p.code, year) in plan.levels]

    # The director's decision: exact numbers per level.
    director = [p for p in rated if p.director]
    if len(director) != sum(cal.director_people.values()):
        raise CalibrationError(
            f"{len(director)} persons rated by the director in {year}, "
            f"expected {sum(cal.director_people.values())}: the demo staff have changed"
        )
    need = Counter(cal.director_people)
    for p in director:
        if p.code in scripted:
            need[plan.levels[(p.code, year)].level] -= 1
    free = sorted(
        (p for p in director if p.code not in scripted),
        key=lambda p: (-RANK[plan.levels[(p.code, year)].level], _key(sc.seed, p.code, year)),
    )
    levels = [lvl for lvl in (HTXSNV, HTTNV, HTNV, KHTNV) for _ in range(max(need[lvl], 0))]
    if len(levels) != len(free):
        raise CalibrationError(f"the scripted ratings of {year} do not fit the director's figures")
    for p, level in zip(free, levels, strict=True):
        plan.levels[(p.code, year)].level = level

    # Everyone else: good or excellent, then exactly enough HTNV to leave `cal.ldtt` LĐTT.
    for p in rated:
        row = plan.levels[(p.code, year)]
        if not p.director and p.code not in scripted and RANK[row.level] < 3:
            row.level = HTTNV
    ok = {
        p.code for p in people if _ldtt_r2017(p, plan.levels.get((p.code, year)), year, disciplined)
    }
    missing = len(people) - cal.ldtt - (len(people) - len(ok))
    members = Counter(p.unit_code for p in people)
    failing = Counter(p.unit_code for p in people if p.code not in ok)
    candidates = sorted(
        (
            p for p in rated
            if not p.director and p.code not in scripted and p.code in ok
            and plan.levels[(p.code, year)].level == HTTNV and p.unit_code not in cal.no_fillers
        ),
        key=lambda p: (p.profile != "weak", _key(sc.seed, "fill", p.code)),
    )  # fmt: skip
    for p in candidates:
        if missing <= 0:
            break
        n, k = members[p.unit_code], failing[p.unit_code]
        # Keep every unit well above half LĐTT (TTLĐTT needs more than 50% under R2017).
        if (k + 1) * 2 < n and k + 1 <= max(1, n // 4):
            plan.levels[(p.code, year)].level = HTNV
            failing[p.unit_code] += 1
            ok.discard(p.code)
            missing -= 1
    if missing != 0:
        raise CalibrationError(f"cannot shape {year} to {cal.ldtt} LĐTT ({missing} left)")

    # Units below HTTNV only where scripted.
    for unit in units:
        key = (unit.code, year)
        if key not in sc.unit_years and RANK[plan.unit_levels[key]] < 3:
            plan.unit_levels[key] = HTTNV

    # Achievements behind the year's Giấy khen (seed 000: 19 collectives and 60 persons).
    achievers = sorted(
        (p for p in rated if p.code in ok),
        key=lambda p: (-RANK[plan.levels[(p.code, year)].level], _key(sc.seed, "gk", p.code)),
    )[: cal.gk_people]
    warned_units = {p.unit_code for p in people if (p.code, year) in disciplined}
    unit_achievers = sorted(
        (
            u for u in units
            if u.code != "BGD" and RANK[plan.unit_levels[(u.code, year)]] >= 3
            and u.code not in warned_units and u.code not in cal.no_fillers
        ),
        key=lambda u: (-RANK[plan.unit_levels[(u.code, year)]], _key(sc.seed, "gk", u.code)),
    )[: cal.gk_units]  # fmt: skip
    text = f"Thành tích trong phong trào thi đua thường xuyên năm {year}"
    plan.achievements += [("person", p.code, year, "MOVEMENT", text) for p in achievers]
    plan.achievements += [("unit", u.code, year, "MOVEMENT", text) for u in unit_achievers]


def _cap_excellent(plan: Plan, people: list[Subject], sc: Scenario) -> None:
    """HTXSNV ≤ 20% of those rated HTTNV or above, agency-wide, every year."""
    calibrated = sc.calibration.year if sc.calibration else None
    for year in YEARS:
        rows = [(p, plan.levels[(p.code, year)]) for p in people if (p.code, year) in plan.levels]
        base = sum(RANK[r.level] >= 3 for _p, r in rows)
        excellent = [(p, r) for p, r in rows if r.level == HTXSNV]
        extra = len(excellent) - math.floor(HTXSNV_SHARE * base + 1e-9)
        movable = sorted(
            (
                (p, r) for p, r in excellent
                if (p.code, year) not in sc.person_years
                and not (p.director and year == calibrated)
            ),
            key=lambda pr: (pr[0].director, pr[0].profile == "strong", _key(sc.seed, "cap", pr[0].code, year)),
        )  # fmt: skip
        for _p, row in movable[: max(extra, 0)]:
            row.level = HTTNV


INITIATIVE_NAMES = [
    "Số hoá hồ sơ địa chính lưu trữ tại đơn vị",
    "Ứng dụng phần mềm quản lý văn bản để theo dõi hồ sơ đăng ký biến động",
    "Trả kết quả hồ sơ đất đai qua dịch vụ bưu chính công ích",
    "Rút ngắn thời gian giải quyết thủ tục cấp giấy chứng nhận lần đầu",
    "Sổ tay hướng dẫn thủ tục hành chính lĩnh vực đất đai cho người dân",
    "Ứng dụng GIS trong cập nhật biến động bản đồ địa chính",
    "Quy trình lưu trữ hồ sơ điện tử tại bộ phận một cửa",
    "Cải tiến mẫu biên bản kiểm tra công tác bảo vệ môi trường",
    "Cải tiến quy trình thẩm định hồ sơ cấp phép khai thác khoáng sản",
    "Theo dõi tiến độ thanh tra, kiểm tra trên bảng tính dùng chung",
    "Tự động hoá lập báo cáo thống kê đất đai hằng năm",
    "Bộ câu hỏi thường gặp về thủ tục đăng ký đất đai",
    "Tiết kiệm chi thường xuyên trong quản lý tài chính đơn vị",
    "Quản lý tài sản, thiết bị bằng mã QR",
    "Chuẩn hoá dữ liệu thuộc tính thửa đất trước khi nhập cơ sở dữ liệu",
    "Phối hợp với Ủy ban nhân dân cấp xã trong đo đạc chỉnh lý thửa đất",
    "Quy trình tiếp nhận phản ánh, kiến nghị về môi trường qua mạng xã hội",
    "Kiểm tra chéo hồ sơ trước khi trình ký giấy chứng nhận",
]


def _initiatives(plan: Plan, people: list[Subject], sc: Scenario) -> None:
    for code, items in sc.initiatives.items():
        plan.initiatives += [(code, y, scope, kind, name) for y, scope, kind, name in items]
    for person in people:
        if person.code in sc.initiatives:
            continue
        rng = random.Random(f"{sc.seed}:initiative:{person.code}")
        for year in YEARS:
            roll, pick, kind = rng.random(), rng.randrange(len(INITIATIVE_NAMES)), rng.random()
            row = plan.levels.get((person.code, year))
            if row is None:
                continue
            chance = {HTXSNV: 0.45, HTTNV: 0.03}.get(row.level, 0.0)
            if roll < chance:
                plan.initiatives.append(
                    (person.code, year, "CO_SO", "DE_TAI" if kind < 0.1 else "SANG_KIEN",
                     INITIATIVE_NAMES[pick])
                )  # fmt: skip


def _achievements(plan: Plan, people: list[Subject], units: list[Subject], sc: Scenario) -> None:
    plan.achievements += [("person", c, y, k, d) for c, y, k, d in sc.achievements]
    calibrated = sc.calibration.year if sc.calibration else None
    texts = [
        "Thành tích xuất sắc trong phong trào thi đua thường xuyên năm {year}",
        "Thành tích trong phong trào thi đua thực hiện văn hóa công sở năm {year}",
        "Thành tích trong thực hiện nhiệm vụ cải cách hành chính năm {year}",
    ]
    for year in YEARS:
        if year == calibrated:
            continue
        for person in people:
            row = plan.levels.get((person.code, year))
            roll = _key(sc.seed, "achievement", person.code, year)
            if row is not None and RANK[row.level] >= 3 and roll < 0.12:
                text = texts[int(roll * 100) % len(texts)].format(year=year)
                plan.achievements.append(("person", person.code, year, "MOVEMENT", text))
        for unit in units:
            roll = _key(sc.seed, "achievement", unit.code, year)
            if unit.code != "BGD" and RANK[plan.unit_levels[(unit.code, year)]] >= 3 and roll < 0.3:
                text = texts[int(roll * 100) % len(texts)].format(year=year)
                plan.achievements.append(("unit", unit.code, year, "MOVEMENT", text))


def build_plan(people: list[Subject], units: list[Subject], sc: Scenario) -> Plan:
    plan = Plan(disciplines=list(sc.disciplines))
    _person_ratings(plan, people, sc)
    _unit_ratings(plan, units, sc)
    if sc.calibration is not None:
        _calibrate(plan, people, units, sc)
    else:
        # Without calibration, the director's units are at least HTTNV as in a calibrated year.
        for unit in units:
            for year in YEARS:
                if unit.director and RANK[plan.unit_levels[(unit.code, year)]] < 3:
                    plan.unit_levels[(unit.code, year)] = HTTNV
    _cap_excellent(plan, people, sc)
    _initiatives(plan, people, sc)
    _achievements(plan, people, units, sc)
    return plan


# --- writing --------------------------------------------------------------------------------


def _write_plan(agency: Agency, plan: Plan, people: list[Subject], units: list[Subject]) -> Counter:
    person = {p.code: p for p in people}
    unit = {u.code: u for u in units}
    ratings = [
        Rating(agency=agency, person_id=person[code].id, year=year, level=row.level,
               months_worked=row.months, maternity_leave=row.maternity,
               self_reliant=row.self_reliant, rated_by_director=person[code].director,
               note=row.note)
        for (code, year), row in sorted(plan.levels.items())
    ] + [
        Rating(agency=agency, unit_id=unit[code].id, year=year, level=level,
               rated_by_director=unit[code].director)
        for (code, year), level in sorted(plan.unit_levels.items())
    ]  # fmt: skip
    Rating.objects.bulk_create(ratings, batch_size=1000)
    Initiative.objects.bulk_create(
        [
            Initiative(agency=agency, person_id=person[code].id, year=year, scope=scope,
                       kind=kind, name=name)
            for code, year, scope, kind, name in plan.initiatives
        ],
        batch_size=1000,
    )  # fmt: skip
    symbol = agency.symbol or "STNMT"
    Discipline.objects.bulk_create(
        [
            Discipline(agency=agency, person_id=person[code].id, decided_on=date, kind=kind,
                       months=months, decision_number=f"{40 + i * 17}/QĐ-{symbol}")
            for i, (code, date, kind, months) in enumerate(plan.disciplines)
        ]
    )  # fmt: skip
    Achievement.objects.bulk_create(
        [
            Achievement(agency=agency, year=year, kind=kind, description=text,
                        person_id=person[code].id if kind_of == "person" else None,
                        unit_id=unit[code].id if kind_of == "unit" else None)
            for kind_of, code, year, kind, text in plan.achievements
        ],
        batch_size=1000,
    )  # fmt: skip
    return Counter(
        ratings=len(ratings),
        initiatives=len(plan.initiatives),
        disciplines=len(plan.disciplines),
        achievements=len(plan.achievements),
    )


def _bk_grounded(conditions: dict[str, bool], cstdcs_granted: bool) -> bool:
    """A Bằng khen rests on titles granted, not on a CSTĐCS the engine allows but was not given."""
    return bool(
        (conditions.get("cstdcs_2_years") and cstdcs_granted)
        or conditions.get("htxsnv_2_years_2_initiatives")
        or conditions.get("recognised_achievement")
    )


@dataclass(frozen=True)
class Decision:
    number: str
    date: datetime.date
    authority: str


def _eligible(agency: Agency, year: int) -> tuple[dict, dict, dict]:
    """(kind, title) → eligible ids; person → unit; BK_TINH person → {condition: passed}."""
    evaluation = eligibility.evaluate_agency(agency=agency, year=year)
    eligible: dict[tuple[str, str], set[int]] = defaultdict(set)
    unit_of: dict[int, int | None] = {}
    bk_conditions: dict[int, dict[str, bool]] = {}
    for row in evaluation.results.iter_rows(named=True):
        if row["kind"] == "person":
            unit_of[row["subject_id"]] = row["unit_id"]
        if row["eligible"]:
            eligible[(row["kind"], row["title"])].add(row["subject_id"])
            if row["kind"] == "person" and row["title"] == TitleCode.BK_TINH:
                bk_conditions[row["subject_id"]] = {
                    c["code"]: bool(c["passed"]) for c in row["conditions"]
                }
    return eligible, unit_of, bk_conditions


def _grant_awards(
    agency: Agency, plan: Plan, people: list[Subject], units: list[Subject], sc: Scenario
) -> int:
    """Grant each year's titles to subjects the engine finds eligible, oldest year first."""
    person_by_id = {p.id: p for p in people}
    unit_by_id = {u.id: u for u in units}
    unit_by_code = {u.code: u for u in units}
    held: dict[tuple[str, int], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    symbol = agency.symbol or "STNMT"
    initiatives = Counter((code, year) for code, year, *_rest in plan.initiatives)
    total = 0

    def priority(pid: int, year: int) -> tuple:
        p = person_by_id[pid]
        row = plan.levels.get((p.code, year))
        return (p.code not in sc.priority, -RANK[row.level] if row else 0,
                -initiatives[(p.code, year)], p.code)  # fmt: skip

    def held_in(kind: str, sid: int, title: str, years: range) -> bool:
        return any(y in held[(kind, sid)][title] for y in years)

    for year in YEARS:
        eligible, unit_of, bk_conditions = _eligible(agency, year)
        number, date = sc.ldtt_decision.get(
            year, (3 + (year * 7) % 11, datetime.date(year + 1, 1, 8 + year % 10))
        )
        director = [Decision(f"{number + i:02d}/QĐ-{symbol}", date, DIRECTOR) for i in range(3)]
        spring = datetime.date(year + 1, 3 + year % 2, 10 + year % 15)
        province = [
            Decision(f"{200 + (year * 37) % 500 + i * 11}/QĐ-UBND", spring, PROVINCE)
            for i in range(2)
        ]
        grants: list[tuple[str, int, str, Decision]] = []  # kind, id, title, decision

        ldtt = sorted(eligible[("person", "LDTT")])
        grants += [("person", pid, "LDTT", director[0]) for pid in ldtt]
        grants += [
            ("unit", uid, "TTLDTT", director[0]) for uid in sorted(eligible[("unit", "TTLDTT")])
        ]
        quota = math.floor(CSTDCS_SHARE * len(ldtt) + 1e-9)
        cstdcs = sorted(eligible[("person", "CSTDCS")], key=lambda pid: priority(pid, year))[:quota]
        grants += [("person", pid, "CSTDCS", director[1]) for pid in cstdcs]
        grants += [("person", pid, "GK", director[2]) for pid in sorted(eligible[("person", "GK")])]
        grants += [("unit", uid, "GK", director[2]) for uid in sorted(eligible[("unit", "GK")])]

        if year < LAST_YEAR:  # the province's (and higher) titles for the last year are pending
            cstdcs_now = set(cstdcs)
            tinh = [
                pid for pid in sorted(eligible[("person", "CSTD_TINH")])
                if pid in cstdcs_now
                and not held_in("person", pid, "CSTD_TINH", range(year - 2, year))
            ]  # fmt: skip
            grants += [("person", pid, "CSTD_TINH", province[0]) for pid in tinh]
            national = [pid for pid in sorted(eligible[("person", "CSTD_TQ")]) if pid in tinh]
            pm = Decision(f"{1500 + year % 100}/QĐ-TTg", datetime.date(year + 1, 10, 6),
                          PRIME_MINISTER)  # fmt: skip
            grants += [("person", pid, "CSTD_TQ", pm) for pid in national]

            who, bk_symbol = sc.bk_authority.get(year, (PROVINCE, "QĐ-UBND"))
            bk = Decision(f"{300 + (year * 53) % 900}/{bk_symbol}", spring, who)

            bk_people = sorted(
                (
                    pid
                    for pid in eligible[("person", "BK_TINH")]
                    if _bk_grounded(bk_conditions[pid], pid in cstdcs_now)
                    and not held_in("person", pid, "BK_TINH", range(year - 4, year))
                ),
                key=lambda pid: priority(pid, year),
            )[: sc.bk_people_cap.get(year, 3)]
            grants += [("person", pid, "BK_TINH", bk) for pid in bk_people]
            for code in sc.unit_bk.get(year, ()):
                uid = unit_by_code[code].id
                if uid in eligible[("unit", "BK_TINH")]:
                    grants.append(("unit", uid, "BK_TINH", bk))

            with_cstdcs = {unit_of.get(pid) for pid in cstdcs_now}
            excellent = sorted(
                (uid for uid in eligible[("unit", "TTLDXS")] if uid in with_cstdcs),
                key=lambda uid: (
                    not unit_by_id[uid].director,
                    _key(sc.seed, "xs", unit_by_id[uid].code, year),
                ),
            )[:3]
            grants += [("unit", uid, "TTLDXS", province[1]) for uid in excellent]

        Award.objects.bulk_create(
            [
                Award(agency=agency, year=year, title=title, decision_number=d.number,
                      decision_date=d.date, authority=d.authority,
                      person_id=sid if kind == "person" else None,
                      unit_id=sid if kind == "unit" else None)
                for kind, sid, title, d in grants
            ],
            batch_size=1000,
        )  # fmt: skip
        for kind, sid, title, _d in grants:
            held[(kind, sid)][title].add(year)
        total += len(grants)
    return total


def seed_records(agency: Agency, scenario: Scenario) -> dict[str, int] | None:
    """Add the records of 2016–2025 unless the agency has records already; return the counts."""
    for model in (Rating, Award, Initiative, Discipline, Achievement):
        if model.objects.filter(agency=agency).exists():
            return None
    people, units = _subjects(agency)
    if not people:
        return None
    try:
        plan = build_plan(people, units, scenario)
    except CalibrationError as exc:
        # The staff were edited since the first seed: records still, but not the report's figures.
        logger.warning("demo records of %s not calibrated: %s", agency.code, exc)
        people, units = _subjects(agency)
        plan = build_plan(people, units, replace(scenario, calibration=None))
    counts = _write_plan(agency, plan, people, units)
    counts["awards"] = _grant_awards(agency, plan, people, units, scenario)
    return dict(counts)
