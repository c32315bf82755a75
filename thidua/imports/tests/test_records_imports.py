"""Imports of the yearly records: ratings, awards, initiatives and disciplines.

The same guarantees as the staff import: all or nothing, every problem by row and column,
importing the same file again changes nothing, legacy fonts (TCVN3) converted. The rules come
from the records services (Nghị định 90/2020 for ratings, one award in force per title and year).
Personas: thidua/imports/tests/conftest.py (the agency, its officer, units VP and QLDD).
"""

import datetime
import io

import pytest
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from thidua.audit.models import AuditAction, AuditEntry
from thidua.core.legacy_encoding import encode_legacy
from thidua.imports.services import run_import
from thidua.imports.specs.awards import TITLES
from thidua.imports.template_files import build_template
from thidua.imports.tests.files import write_csv, write_xlsx
from thidua.records import services as records
from thidua.records.models import Award, AwardStatus, Discipline, Initiative, Rating
from thidua.testing import PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date
RATING_HEADERS = ["Mã", "Năm", "Xếp loại", "Số tháng công tác", "Nghỉ thai sản"]
AWARD_HEADERS = ["Mã", "Năm", "Danh hiệu/Hình thức", "Số quyết định", "Ngày quyết định", "Cấp quyết định"]  # fmt: skip
INITIATIVE_HEADERS = ["Mã cán bộ", "Năm", "Tên sáng kiến", "Phạm vi", "Loại"]
DISCIPLINE_HEADERS = ["Mã cán bộ", "Ngày quyết định", "Hình thức kỷ luật", "Thời hạn (tháng)"]


@pytest.fixture
def ha(agency, office):
    return PersonFactory(agency=agency, unit=office, staff_code="CB01", family_name="Nguyễn",
                         middle_name="Thị Thu", given_name="Hà")  # fmt: skip


@pytest.fixture
def thang(agency, land_division):
    return PersonFactory(agency=agency, unit=land_division, staff_code="CB02",
                         family_name="Trần", middle_name="Đức", given_name="Thắng")  # fmt: skip


def _import(officer, agency, kind, path, **kwargs):
    return run_import(
        actor=officer, agency=agency, kind=kind, filename=path.name, data=path.read_bytes(),
        **kwargs,
    )  # fmt: skip


def _record_counts() -> dict[str, int]:
    return {
        "ratings": Rating.objects.count(),
        "awards": Award.objects.count(),
        "initiatives": Initiative.objects.count(),
        "disciplines": Discipline.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def _problems(result) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.code) for p in result.problems]


# --- ratings ----------------------------------------------------------------------------------


def test_ratings_import_rates_people_and_units_by_code_or_name(
    tmp_path, agency, officer, office, ha, thang
):
    rows = [
        RATING_HEADERS,
        ["CB01", "2024", "Hoàn thành xuất sắc nhiệm vụ", "", ""],
        ["cb02", 2024, "HTNV", 8, "Không"],
        ["VP", "2024", "hoan thanh tot nhiem vu", "", ""],
        ["CB01", "2023", "HTTNV", "4", "Có"],
    ]
    path = write_xlsx(tmp_path / "xeploai.xlsx", rows)

    result = _import(officer, agency, "ratings", path)

    assert result.problems == []
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    got = {
        (r.person.staff_code if r.person else r.unit.code, r.year): (
            r.level, r.months_worked, r.maternity_leave,
        )
        for r in Rating.objects.select_related("person", "unit")
    }  # fmt: skip
    assert got == {
        ("CB01", 2024): ("HTXSNV", 12, False),
        ("CB02", 2024): ("HTNV", 8, False),
        ("VP", 2024): ("HTTNV", 12, False),
        ("CB01", 2023): ("HTTNV", 4, True),
    }
    assert AuditEntry.objects.filter(object_type="rating", actor=officer).count() == 4
    assert AuditEntry.objects.get(action=AuditAction.IMPORT).changes["kind"] == "ratings"


def test_ratings_import_again_is_a_no_op(tmp_path, agency, officer, office, ha):
    path = write_csv(
        tmp_path / "xeploai.csv", [RATING_HEADERS, ["CB01", "2024", "HTTNV", "", ""], ["VP", "2024", "HTXSNV", "", ""]]
    )  # fmt: skip
    _import(officer, agency, "ratings", path)
    before = _record_counts()

    result = _import(officer, agency, "ratings", path)

    assert result.problems == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert _record_counts() == before


def test_ratings_import_updates_only_what_differs_keeping_other_fields(
    tmp_path, agency, officer, ha
):
    records.set_rating(actor=officer, subject=ha, year=2024, level="HTTNV", months_worked=11,
                       self_reliant=False, rated_by_director=True, note="Trưởng phòng")  # fmt: skip
    path = write_xlsx(tmp_path / "xeploai.xlsx", [RATING_HEADERS, ["CB01", "2024", "HTXSNV", "", ""]])  # fmt: skip

    result = _import(officer, agency, "ratings", path)

    assert (result.created, result.updated) == (0, 1)
    assert result.preview[0]["changes"] == {
        "Xếp loại": ["Hoàn thành tốt nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ"]
    }
    rating = Rating.objects.get(person=ha, year=2024)
    assert (rating.level, rating.months_worked, rating.self_reliant, rating.rated_by_director,
            rating.note) == ("HTXSNV", 11, False, True, "Trưởng phòng")  # fmt: skip


def test_ratings_import_refuses_every_bad_row_by_row_and_column(
    tmp_path, agency, officer, office, ha, thang
):
    Discipline.objects.create(agency=agency, person=thang, decided_on=D(2024, 4, 1),
                              kind="KHIEN_TRACH")  # fmt: skip
    rows = [
        RATING_HEADERS,
        ["CB01", "2024", "HTTNV", "5", "Không"],  # worked < 6 months, no maternity leave
        ["CB02", "2024", "HTNV", "", ""],  # disciplined in 2024: only KHTNV
        ["KHONGCO", "2024", "HTNV", "", ""],  # unknown code
        ["CB01", "20x4", "Giỏi", "13", "Có lẽ"],  # bad year, level, months and yes/no
        ["VP", "2024", "HTTNV", "10", ""],  # months for a unit
        ["CB01", "2023", "HTTNV", "9", ""],  # leave of 3 months: at most HTNV
        ["CB01", "2023", "HTNV", "9", ""],  # the same person and year again
    ]
    path = write_xlsx(tmp_path / "xeploai.xlsx", rows)
    before = _record_counts()

    result = _import(officer, agency, "ratings", path)

    assert _problems(result) == [
        (2, "Số tháng công tác", "too_few_months"),
        (3, "Xếp loại", "disciplined"),
        (4, "Mã", "unknown_code"),
        (5, "Năm", "invalid_number"),
        (5, "Xếp loại", "invalid_choice"),
        (5, "Số tháng công tác", "out_of_range"),
        (5, "Nghỉ thai sản", "invalid_choice"),
        (6, "Số tháng công tác", "rejected"),
        (7, "Xếp loại", "capped_by_leave"),
        (8, "Mã", "duplicate_row"),
    ]
    messages = {p.row: p.message for p in result.problems}
    assert "90/2020" in messages[2] and "90/2020" in messages[3] and "90/2020" in messages[7]
    assert "KHONGCO" in messages[4]
    assert "7" in messages[8]  # names the row where the record first appears
    assert _record_counts() == before


def test_ratings_import_with_maternity_leave_accepts_few_months(tmp_path, agency, officer, ha):
    path = write_csv(tmp_path / "xl.csv", [RATING_HEADERS, ["CB01", "2024", "HTXSNV", "3", "x"]])

    result = _import(officer, agency, "ratings", path)

    assert result.problems == []
    assert Rating.objects.get(person=ha).maternity_leave is True


# --- awards -----------------------------------------------------------------------------------

LDTT_HA = ["CB01", "2024", "Lao động tiên tiến", "53/QĐ-STNMT", "20/12/2024", "Giám đốc Sở"]
TTLDTT_VP = ["VP", "2024", "TTLDTT", "54/QĐ-STNMT", "20/12/2024", "Giám đốc Sở"]
BK_HA = ["CB01", "2023", "Bằng khen của Chủ tịch UBND tỉnh", "1234/QĐ-UBND", "15/01/2024", "Chủ tịch UBND tỉnh"]  # fmt: skip


def test_awards_import_records_awards_of_people_and_units(tmp_path, agency, officer, office, ha):
    path = write_xlsx(tmp_path / "khenthuong.xlsx", [AWARD_HEADERS, LDTT_HA, TTLDTT_VP, BK_HA])

    result = _import(officer, agency, "awards", path)

    assert result.problems == []
    assert result.created == 3
    got = set(
        Award.objects.values_list(
            "person__staff_code", "unit__code", "year", "title", "decision_number",
            "decision_date", "authority", "status",
        )
    )  # fmt: skip
    assert got == {
        ("CB01", None, 2024, "LDTT", "53/QĐ-STNMT", D(2024, 12, 20), "Giám đốc Sở", "ACTIVE"),
        (None, "VP", 2024, "TTLDTT", "54/QĐ-STNMT", D(2024, 12, 20), "Giám đốc Sở", "ACTIVE"),
        ("CB01", None, 2023, "BK_TINH", "1234/QĐ-UBND", D(2024, 1, 15), "Chủ tịch UBND tỉnh",
         "ACTIVE"),
    }  # fmt: skip


def test_awards_import_again_is_a_no_op(tmp_path, agency, officer, office, ha):
    path = write_xlsx(tmp_path / "khenthuong.xlsx", [AWARD_HEADERS, LDTT_HA, TTLDTT_VP])
    _import(officer, agency, "awards", path)
    before = _record_counts()

    result = _import(officer, agency, "awards", path)

    assert (result.problems, result.created, result.updated, result.unchanged) == ([], 0, 0, 2)
    assert _record_counts() == before


def test_awards_import_with_another_decision_records_a_correction(tmp_path, agency, officer, ha):
    _import(officer, agency, "awards", write_xlsx(tmp_path / "a.xlsx", [AWARD_HEADERS, LDTT_HA]))
    fixed = [*LDTT_HA[:3], "55/QĐ-STNMT", *LDTT_HA[4:]]

    result = _import(officer, agency, "awards", write_xlsx(tmp_path / "b.xlsx", [AWARD_HEADERS, fixed]))  # fmt: skip

    assert (result.created, result.updated) == (0, 1)
    assert result.preview[0]["changes"] == {"Số quyết định": ["53/QĐ-STNMT", "55/QĐ-STNMT"]}
    old, new = Award.objects.order_by("id")
    assert (old.status, old.replaced_by, new.status, new.decision_number) == (
        AwardStatus.CORRECTED,
        new,
        AwardStatus.ACTIVE,
        "55/QĐ-STNMT",
    )


def test_awards_import_does_not_bring_back_a_revoked_award(tmp_path, agency, officer, ha):
    path = write_xlsx(tmp_path / "khenthuong.xlsx", [AWARD_HEADERS, LDTT_HA])
    _import(officer, agency, "awards", path)
    records.revoke_award(actor=officer, award=Award.objects.get(), reason="Thu hồi")

    result = _import(officer, agency, "awards", path)

    assert (result.problems, result.created, result.unchanged) == ([], 0, 1)
    assert list(Award.objects.values_list("status", flat=True)) == [AwardStatus.REVOKED]


def test_awards_import_refuses_every_bad_row_by_row_and_column(
    tmp_path, agency, officer, office, ha
):
    records.record_award(actor=officer, subject=ha, year=2022, title="LDTT",
                         decision_number="9/QĐ", decision_date=D(2022, 12, 1),
                         authority="Giám đốc Sở")  # fmt: skip
    rows = [
        AWARD_HEADERS,
        ["CB01", "2024", "TTLDTT", "1/QĐ", "20/12/2024", "Giám đốc Sở"],  # a unit title
        ["CB01", "2024", "Huy chương vàng", "1/QĐ", "20/12/2024", "Giám đốc Sở"],  # unknown title
        ["CB01", "2024", "GK", "1/QĐ", "20/12/2023", "Giám đốc Sở"],  # decided before the year
        ["CB01", "2024", "CSTDCS", "", "31/02/2025", ""],  # empty and impossible cells
        LDTT_HA,
        [*LDTT_HA[:3], "2/QĐ", *LDTT_HA[4:]],  # the same award twice in the file
        ["XX", "2024", "GK", "1/QĐ", "20/12/2024", "Giám đốc Sở"],
    ]
    path = write_xlsx(tmp_path / "khenthuong.xlsx", rows)
    before = _record_counts()

    result = _import(officer, agency, "awards", path)

    assert _problems(result) == [
        (2, "Danh hiệu/Hình thức", "wrong_subject"),
        (3, "Danh hiệu/Hình thức", "invalid_choice"),
        (4, "Ngày quyết định", "rejected"),
        (5, "Số quyết định", "required"),
        (5, "Ngày quyết định", "invalid_date"),
        (5, "Cấp quyết định", "required"),
        (7, "Mã", "duplicate_row"),
        (8, "Mã", "unknown_code"),
    ]
    assert _record_counts() == before


# --- initiatives ------------------------------------------------------------------------------


def test_initiatives_import_converts_a_tcvn3_cell_and_again_is_a_no_op(
    tmp_path, agency, officer, ha, thang
):
    name = "Số hoá hồ sơ địa chính"
    rows = [
        INITIATIVE_HEADERS,
        ["CB01", "2024", encode_legacy(name, "TCVN3"), "Cơ sở", "Sáng kiến"],
        ["CB02", "2023", "Ứng dụng GIS trong quản lý đất đai", "BO_TINH", "de tai"],
    ]
    path = write_xlsx(tmp_path / "sangkien.xlsx", rows)

    first = _import(officer, agency, "initiatives", path)
    before = _record_counts()
    again = _import(officer, agency, "initiatives", path)

    assert (first.problems, first.created) == ([], 2)
    got = set(Initiative.objects.values_list("person__staff_code", "year", "name", "scope", "kind"))
    assert got == {
        ("CB01", 2024, name, "CO_SO", "SANG_KIEN"),
        ("CB02", 2023, "Ứng dụng GIS trong quản lý đất đai", "BO_TINH", "DE_TAI"),
    }
    assert (again.problems, again.created, again.updated, again.unchanged) == ([], 0, 0, 2)
    assert _record_counts() == before


def test_initiatives_import_updates_the_scope(tmp_path, agency, officer, ha):
    records.add_initiative(actor=officer, person=ha, year=2024, name="Sáng kiến A", scope="CO_SO")
    path = write_csv(tmp_path / "sk.csv", [INITIATIVE_HEADERS, ["CB01", "2024", "Sáng kiến A", "Toàn quốc", "Sáng kiến"]])  # fmt: skip

    result = _import(officer, agency, "initiatives", path)

    assert (result.created, result.updated) == (0, 1)
    assert result.preview[0]["changes"] == {"Phạm vi": ["Cơ sở", "Toàn quốc"]}
    assert Initiative.objects.get().scope == "TOAN_QUOC"


def test_initiatives_import_refuses_every_bad_row_by_row_and_column(
    tmp_path, agency, officer, office, ha
):
    rows = [
        INITIATIVE_HEADERS,
        ["CB01", "2024", "Sáng kiến A", "Cấp huyện", "Sáng kiến"],
        ["VP", "2024", "Sáng kiến B", "Cơ sở", "Sáng kiến"],  # a unit code: people only
        ["CB01", "1900", "Sáng kiến C", "Cơ sở", "Sáng kiến"],
        ["CB01", "2024", "", "Cơ sở", "Sáng kiến"],
        ["CB01", "2024", "Sáng kiến D", "Cơ sở", "Sáng kiến"],
        ["CB01", "2024", "Sáng kiến D", "Cơ sở", "Đề tài"],
    ]
    path = write_xlsx(tmp_path / "sangkien.xlsx", rows)
    before = _record_counts()

    result = _import(officer, agency, "initiatives", path)

    assert _problems(result) == [
        (2, "Phạm vi", "invalid_choice"),
        (3, "Mã cán bộ", "unknown_code"),
        (4, "Năm", "out_of_range"),
        (5, "Tên sáng kiến", "required"),
        (7, "Tên sáng kiến", "duplicate_row"),
    ]
    assert _record_counts() == before


# --- disciplines ------------------------------------------------------------------------------


def test_disciplines_import_converts_tcvn3_lowers_the_rating_and_again_is_a_no_op(
    tmp_path, agency, officer, ha, thang
):
    records.set_rating(actor=officer, subject=ha, year=2024, level="HTTNV")
    rows = [
        DISCIPLINE_HEADERS,
        ["CB01", "02/09/2024", encode_legacy("Khiển trách", "TCVN3"), "12"],
        ["CB02", D(2023, 5, 4), "CANH_CAO", 12],
    ]
    path = write_xlsx(tmp_path / "kyluat.xlsx", rows)

    first = _import(officer, agency, "disciplines", path)
    before = _record_counts()
    again = _import(officer, agency, "disciplines", path)

    assert (first.problems, first.created) == ([], 2)
    # The preview says what the decision does to the rating of its year.
    assert first.preview[0]["changes"] == {
        _("Rating %(year)s") % {"year": 2024}: [
            "Hoàn thành tốt nhiệm vụ",
            "Không hoàn thành nhiệm vụ",
        ]
    }
    got = set(Discipline.objects.values_list("person__staff_code", "decided_on", "kind", "months"))
    assert got == {("CB01", D(2024, 9, 2), "KHIEN_TRACH", 12), ("CB02", D(2023, 5, 4), "CANH_CAO", 12)}  # fmt: skip
    assert Rating.objects.get(person=ha, year=2024).level == "KHTNV"
    assert (again.problems, again.created, again.updated, again.unchanged) == ([], 0, 0, 2)
    assert _record_counts() == before


def test_disciplines_import_refuses_every_bad_row_by_row_and_column(tmp_path, agency, officer, ha):
    rows = [
        DISCIPLINE_HEADERS,
        ["CB01", "02/09/2999", "Khiển trách", "12"],  # in the future
        ["CB01", "30/02/2024", "Khiển trách", "12"],  # no such day
        ["CB01", "02/09/2024", "Phạt tiền", "12"],  # not a measure
        ["CB01", "02/09/2024", "Cảnh cáo", "mười hai"],
        ["CB01", "03/09/2024", "Cảnh cáo", "61"],
        ["CB09", "02/09/2024", "Cảnh cáo", "12"],
    ]
    path = write_csv(tmp_path / "kyluat.csv", rows)
    before = _record_counts()

    result = _import(officer, agency, "disciplines", path)

    assert _problems(result) == [
        (2, "Ngày quyết định", "rejected"),
        (3, "Ngày quyết định", "invalid_date"),
        (4, "Hình thức kỷ luật", "invalid_choice"),
        (5, "Thời hạn (tháng)", "invalid_number"),
        (6, "Thời hạn (tháng)", "out_of_range"),
        (7, "Mã cán bộ", "unknown_code"),
    ]
    assert _record_counts() == before


# --- templates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "headers"),
    [
        ("ratings", RATING_HEADERS),
        ("awards", AWARD_HEADERS),
        ("initiatives", INITIATIVE_HEADERS),
        ("disciplines", DISCIPLINE_HEADERS),
    ],
)
def test_record_templates_have_the_contract_headers(kind, headers):
    data = load_workbook(io.BytesIO(build_template(kind))).worksheets[0]

    assert [c.value for c in data[1]] == headers
    # Excel refuses a drop-down list longer than 255 characters.
    for validation in data.data_validations.dataValidation:
        assert len(validation.formula1) <= 257


def test_award_titles_fit_an_excel_drop_down_list():
    assert len(",".join(TITLES.names)) <= 255
    assert not any("," in name for name in TITLES.names)


def test_record_template_examples_import_cleanly(agency, officer):
    results = [
        run_import(actor=officer, agency=agency, kind=kind, filename=f"{kind}.xlsx",
                   data=build_template(kind))
        for kind in ("units", "staff", "ratings", "awards", "initiatives", "disciplines")
    ]  # fmt: skip

    assert [(r.kind, r.problems, r.created) for r in results] == [
        (kind, [], 1)
        for kind in ("units", "staff", "ratings", "awards", "initiatives", "disciplines")
    ]
