"""The catalogue: titles and forms, the legal regimes and the settings the law leaves open.

Facts come from domain.md "Legal rules the system must apply". What the law fixes is written
here; what it leaves to the province or ministry, or what is only partly verified (P/U), is a
`SettingDef` whose value each agency may change (model `AgencySetting`), with this default.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from thidua.records.enums import SubjectKind, TitleCode


@dataclass(frozen=True)
class Regime:
    code: str
    starts: datetime.date
    ends: datetime.date | None
    texts: str


REGIMES = (
    Regime(
        "R2017",
        datetime.date(2017, 10, 1),
        datetime.date(2023, 12, 31),
        "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013), Nghị định 91/2017/NĐ-CP",
    ),
    Regime(
        "R2024",
        datetime.date(2024, 1, 1),
        datetime.date(2025, 6, 30),
        "Luật Thi đua, khen thưởng 06/2022/QH15, Nghị định 98/2023/NĐ-CP, Thông tư 01/2024/TT-BNV",
    ),
    Regime(
        "R2025",
        datetime.date(2025, 7, 1),
        None,
        "Luật Thi đua, khen thưởng 06/2022/QH15, Nghị định 152/2025/NĐ-CP, "
        "Thông tư 15/2025/TT-BNV và quy định của tỉnh",
    ),
)


def review_date_for(year: int) -> datetime.date:
    """The default review date of an assessed year: its 31 December."""
    return datetime.date(year, 12, 31)


def regime_on(date: datetime.date) -> Regime:
    """The regime in force on `date`. Before 01/10/2017 the oldest known regime applies."""
    for regime in reversed(REGIMES):
        if date >= regime.starts:
            return regime
    return REGIMES[0]


@dataclass(frozen=True)
class TitleDef:
    code: str
    subject: str
    name: str
    decided_by: str
    basis: str
    # Council vote needed, as a share of ALL members (Nghị định 98/2023 Điều 30.7); 0 = none.
    vote_share: int = 0
    evaluated: bool = True


TITLES = (
    TitleDef(TitleCode.LDTT, SubjectKind.PERSON, "Lao động tiên tiến", "Giám đốc Sở",
             "Điều 24 Luật TĐKT 2022; Điều 80.1"),
    TitleDef(TitleCode.CSTDCS, SubjectKind.PERSON, "Chiến sĩ thi đua cơ sở", "Giám đốc Sở",
             "Điều 23 Luật TĐKT 2022; Nghị định 91/2017 Điều 9.3 (trước 2024)", vote_share=80),
    TitleDef(TitleCode.CSTD_TINH, SubjectKind.PERSON, "Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh",
             "Chủ tịch UBND tỉnh / Bộ trưởng", "Điều 22 Luật TĐKT 2022", vote_share=90),
    TitleDef(TitleCode.CSTD_TQ, SubjectKind.PERSON, "Chiến sĩ thi đua toàn quốc", "Thủ tướng Chính phủ",
             "Điều 21 Luật TĐKT 2022", vote_share=90),
    TitleDef(TitleCode.GK, SubjectKind.PERSON, "Giấy khen của Giám đốc Sở", "Giám đốc Sở",
             "Điều 75, Điều 80.1 Luật TĐKT 2022"),
    TitleDef(TitleCode.BK_TINH, SubjectKind.PERSON, "Bằng khen cấp bộ, ban, ngành, tỉnh",
             "Chủ tịch UBND tỉnh / Bộ trưởng", "Điều 74.1 Luật TĐKT 2022"),
    TitleDef(TitleCode.BK_TTG, SubjectKind.PERSON, "Bằng khen của Thủ tướng Chính phủ",
             "Thủ tướng Chính phủ", "Điều 73.1.b Luật TĐKT 2022"),
    TitleDef(TitleCode.HCLD3, SubjectKind.PERSON, "Huân chương Lao động hạng Ba", "Chủ tịch nước",
             "Điều 44.1 Luật TĐKT 2022", evaluated=False),
    TitleDef(TitleCode.TTLDTT, SubjectKind.UNIT, "Tập thể lao động tiên tiến", "Giám đốc Sở",
             "Điều 28 Luật TĐKT 2022"),
    TitleDef(TitleCode.TTLDXS, SubjectKind.UNIT, "Tập thể lao động xuất sắc", "Chủ tịch UBND tỉnh",
             "Điều 27 Luật TĐKT 2022"),
    TitleDef(TitleCode.CO_TD_TINH, SubjectKind.UNIT, "Cờ thi đua cấp bộ, ban, ngành, tỉnh",
             "Chủ tịch UBND tỉnh", "Điều 26 Luật TĐKT 2022", vote_share=80, evaluated=False),
    TitleDef(TitleCode.GK, SubjectKind.UNIT, "Giấy khen của Giám đốc Sở", "Giám đốc Sở",
             "Điều 75 Luật TĐKT 2022"),
    TitleDef(TitleCode.BK_TINH, SubjectKind.UNIT, "Bằng khen cấp bộ, ban, ngành, tỉnh",
             "Chủ tịch UBND tỉnh / Bộ trưởng", "Điều 74 Luật TĐKT 2022"),
)  # fmt: skip

PERSON_TITLES = tuple(t.code for t in TITLES if t.subject == SubjectKind.PERSON and t.evaluated)
UNIT_TITLES = tuple(t.code for t in TITLES if t.subject == SubjectKind.UNIT and t.evaluated)


def title_def(code: str, subject: str) -> TitleDef:
    return next(t for t in TITLES if t.code == code and t.subject == subject)


@dataclass(frozen=True)
class SettingDef:
    key: str
    label: str
    default: object
    basis: str
    kind: str  # "int", "bool", "choice" or "titles" (comma-separated title codes)
    choices: tuple[tuple[str, str], ...] = ()
    minimum: int = 0
    maximum: int = 100


SETTINGS = (
    SettingDef(
        "rating_quota_percent",
        _("Share of HTXSNV ratings allowed (percent of the base)"),
        20,
        "Nghị định 90/2020, sửa đổi bởi Nghị định 48/2023, Điều 20",
        "int",
    ),
    SettingDef(
        "rating_quota_base",
        _("Base of the HTXSNV quota"),
        "HTTNV_OR_ABOVE",
        "Nghị định 90/2020, sửa đổi bởi Nghị định 48/2023 (cách tính do cơ quan quy định)",
        "choice",
        choices=(
            ("HTTNV_OR_ABOVE", _("Those rated HTTNV or above")),
            ("HTTNV", _("Those rated HTTNV only")),
        ),
    ),
    SettingDef(
        "cstdcs_quota_percent",
        _("CSTĐCS quota from 2024 (percent of those awarded LĐTT; 0 = no quota)"),
        0,
        "Luật TĐKT 2022 không quy định tỷ lệ; tỉnh/bộ có thể quy định",
        "int",
    ),
    SettingDef(
        "ttldtt_ldtt_percent",
        _("TTLĐTT from 2024: at least this percent of members LĐTT"),
        70,
        "Điều 28 Luật TĐKT 2022 (tỷ lệ theo hướng dẫn của tỉnh; chưa kiểm chứng đầy đủ)",
        "int",
    ),
    SettingDef(
        "gk_needs_achievement",
        _("Giấy khen needs a confirmed achievement"),
        True,
        "Điều 75.2 Luật TĐKT 2022: tiêu chuẩn do bộ, ngành, tỉnh quy định",
        "bool",
    ),
    SettingDef(
        "initiative_single_use",
        _("An initiative used for a title is not reused for a commendation form"),
        True,
        "Công văn 5007/BNV-TĐKT (chưa kiểm chứng đầy đủ)",
        "bool",
    ),
    SettingDef(
        "council_quorum_percent",
        _("Council quorum (percent of members present)"),
        67,
        "Quy chế hoạt động của Hội đồng TĐKT (cơ quan quy định)",
        "int",
    ),
    SettingDef(
        "nomination_ineligible",
        _("A nomination the engine finds ineligible is"),
        "BLOCK",
        "Điều 84 Luật TĐKT 2022 (hồ sơ phải đủ tiêu chuẩn); cách xử lý do cơ quan quy định",
        "choice",
        choices=(("BLOCK", _("Refused")), ("WARN", _("Accepted with a warning"))),
    ),
    SettingDef(
        "nomination_over_quota",
        _("A nomination beyond a quota is"),
        "WARN",
        "Nghị định 91/2017 Điều 9.3; quy định của tỉnh về tỷ lệ khen thưởng",
        "choice",
        choices=(("BLOCK", _("Refused")), ("WARN", _("Accepted with a warning"))),
    ),
    SettingDef(
        "posting_days",
        _("Public posting before the decision (days; 0 = none)"),
        5,
        "Điều 6 Luật TĐKT 2022 (nguyên tắc công khai); thời gian do cơ quan quy định",
        "int",
        maximum=60,
    ),
    SettingDef(
        "posting_titles",
        _("Titles and forms posted publicly before the decision"),
        "CSTDCS,CSTD_TINH,CSTD_TQ,BK_TINH,BK_TTG,HCLD3",
        "Điều 6 Luật TĐKT 2022; Quy chế thi đua, khen thưởng của cơ quan",
        "titles",
    ),
    SettingDef(
        "council_recuse_own_unit",
        _("Council members do not vote on nominations of their own unit"),
        True,
        "Quy chế hoạt động của Hội đồng TĐKT (cơ quan quy định)",
        "bool",
    ),
    SettingDef(
        "gk_vote_percent",
        _("Council vote needed for a Giấy khen (percent of all members; 0 = none)"),
        0,
        "Điều 30.7 Nghị định 98/2023 không quy định biểu quyết cho Giấy khen (cơ quan quy định)",
        "int",
    ),
    SettingDef(
        "base_salary",
        _("Base salary for bonuses (đồng)"),
        2_340_000,
        "Nghị định 73/2024/NĐ-CP, từ 01/07/2024",
        "int",
        maximum=100_000_000,
    ),
)

SETTING_DEFS = {s.key: s for s in SETTINGS}
