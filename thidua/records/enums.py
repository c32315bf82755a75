"""Coded values of the records, with their legal meaning. Codes are stable: files and the API use them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RatingLevel(models.TextChoices):
    """Quality rating levels (Nghị định 90/2020, amended by 48/2023), best first."""

    HTXSNV = "HTXSNV", _("Excellently completed duties (HTXSNV)")
    HTTNV = "HTTNV", _("Well completed duties (HTTNV)")
    HTNV = "HTNV", _("Completed duties (HTNV)")
    KHTNV = "KHTNV", _("Did not complete duties (KHTNV)")


# Higher is better; used by "at least" conditions.
RATING_RANK = {
    RatingLevel.HTXSNV: 4,
    RatingLevel.HTTNV: 3,
    RatingLevel.HTNV: 2,
    RatingLevel.KHTNV: 1,
}


class DisciplineKind(models.TextChoices):
    """Disciplinary measures, mildest first (Luật Cán bộ, công chức; Luật Viên chức)."""

    KHIEN_TRACH = "KHIEN_TRACH", _("Reprimand (khiển trách)")
    CANH_CAO = "CANH_CAO", _("Warning (cảnh cáo)")
    HA_BAC_LUONG = "HA_BAC_LUONG", _("Salary step reduction (hạ bậc lương)")
    GIANG_CHUC = "GIANG_CHUC", _("Demotion (giáng chức)")
    CACH_CHUC = "CACH_CHUC", _("Dismissal from post (cách chức)")
    BUOC_THOI_VIEC = "BUOC_THOI_VIEC", _("Discharge (buộc thôi việc)")


DISCIPLINE_SEVERITY = {kind: i + 1 for i, kind in enumerate(DisciplineKind.values)}


class InitiativeScope(models.TextChoices):
    CO_SO = "CO_SO", _("Unit level (cơ sở)")
    BO_TINH = "BO_TINH", _("Ministry or province level")
    TOAN_QUOC = "TOAN_QUOC", _("National level")


INITIATIVE_SCOPE_RANK = {
    InitiativeScope.CO_SO: 1,
    InitiativeScope.BO_TINH: 2,
    InitiativeScope.TOAN_QUOC: 3,
}


class InitiativeKind(models.TextChoices):
    SANG_KIEN = "SANG_KIEN", _("Initiative (sáng kiến)")
    DE_TAI = "DE_TAI", _("Research topic (đề tài)")


class TitleCode(models.TextChoices):
    """Emulation titles and commendation forms of domain.md's table."""

    LDTT = "LDTT", _("Advanced worker (Lao động tiên tiến)")
    CSTDCS = "CSTDCS", _("Grassroots emulation fighter (Chiến sĩ thi đua cơ sở)")
    CSTD_TINH = "CSTD_TINH", _("Provincial emulation fighter (Chiến sĩ thi đua cấp tỉnh)")
    CSTD_TQ = "CSTD_TQ", _("National emulation fighter (Chiến sĩ thi đua toàn quốc)")
    TTLDTT = "TTLDTT", _("Advanced collective (Tập thể lao động tiên tiến)")
    TTLDXS = "TTLDXS", _("Excellent collective (Tập thể lao động xuất sắc)")
    CO_TD_TINH = "CO_TD_TINH", _("Provincial emulation flag (Cờ thi đua cấp tỉnh)")
    GK = "GK", _("Director's certificate of merit (Giấy khen)")
    BK_TINH = "BK_TINH", _("Provincial certificate of merit (Bằng khen cấp tỉnh)")
    BK_TTG = "BK_TTG", _("Prime Minister's certificate of merit (Bằng khen Thủ tướng)")
    HCLD3 = "HCLD3", _("Labour Order, third class (Huân chương Lao động hạng Ba)")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Individual")
    UNIT = "unit", _("Collective")


# Who may receive each title or form (domain.md's table): the others take either kind of subject.
PERSON_TITLES = frozenset(
    {
        TitleCode.LDTT,
        TitleCode.CSTDCS,
        TitleCode.CSTD_TINH,
        TitleCode.CSTD_TQ,
        TitleCode.BK_TTG,
        TitleCode.HCLD3,
    }
)
UNIT_TITLES = frozenset({TitleCode.TTLDTT, TitleCode.TTLDXS, TitleCode.CO_TD_TINH})


def title_allows(title: str, kind: str) -> bool:
    """Whether `title` may be given to a subject of `kind` (SubjectKind)."""
    if title in PERSON_TITLES:
        return kind == SubjectKind.PERSON
    if title in UNIT_TITLES:
        return kind == SubjectKind.UNIT
    return title in TitleCode.values
