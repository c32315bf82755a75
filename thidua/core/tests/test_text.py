"""Vietnamese text helpers: NFC storage, search folding, name order and name splitting."""

import unicodedata

import pytest

from thidua.core.text import collate_key, fold, nfc, person_sort_key, split_full_name


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (nfd("Nguyễn Văn Á"), "Nguyễn Văn Á"),
        ("  Lê   Thị\tÁnh \n", "Lê Thị Ánh"),
        (None, ""),
        (2024, "2024"),
        ("", ""),
    ],
)
def test_nfc_composes_and_folds_spaces(value, expected):
    result = nfc(value)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)


def test_nfc_turns_decomposed_letters_into_single_code_points():
    assert [len(nfd("ễ")), len(nfc(nfd("ễ")))] == [3, 1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Nguyễn Văn Á", "nguyen van a"),
        (nfd("Nguyễn Văn Á"), "nguyen van a"),
        ("ĐẶNG Đức Đạt", "dang duc dat"),
        ("Chi nhánh huyện Hữu Lũng", "chi nhanh huyen huu lung"),
        ("Phòng Kế hoạch - Tài chính", "phong ke hoach - tai chinh"),
        ("CB-0012", "cb-0012"),
        (None, ""),
    ],
)
def test_fold_drops_case_and_diacritics(value, expected):
    assert fold(value) == expected


def _key(full_name: str) -> bytes:
    family, middle, given = split_full_name(full_name)
    return person_sort_key(given_name=given, family_name=family, middle_name=middle)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Trần Văn An", "Nguyễn Văn Anh"),  # given name first, whatever the family name
        ("Nguyễn Văn Anh", "Lê Thị Ánh"),  # toneless before toned
        ("Lê Thị Ánh", "Bùi Ăn"),  # a < ă
        ("Bùi Ăn", "Hà Ân"),  # ă < â
        ("Hà Ân", "Lê Bình"),  # â < b
        ("Đỗ Dũng", "Lê Đạt"),  # d < đ
        ("Dương Văn Đạt", "Đặng Văn Đạt"),  # same given name: family name, d < đ
        ("Nguyễn Thị An", "Nguyễn Văn An"),  # same given and family: middle name
        ("Nguyễn Văn An", "Trần An"),  # family before middle
    ],
)
def test_person_sort_key_orders_the_vietnamese_way(first, second):
    assert _key(first) < _key(second)


def test_person_sort_key_ignores_unicode_form():
    assert _key(nfd("Lê Thị Ánh")) == _key("Lê Thị Ánh")


def test_collate_key_orders_tones_as_dictionaries_do():
    words = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(reversed(words), key=collate_key) == words


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Nguyễn Thị Thu Hà", ("Nguyễn", "Thị Thu", "Hà")),
        ("Trần An", ("Trần", "", "An")),
        ("  Lê   Văn  Bình ", ("Lê", "Văn", "Bình")),
        ("Hoa", ("", "", "Hoa")),
        ("", ("", "", "")),
        (nfd("Đặng Văn Đạt"), ("Đặng", "Văn", "Đạt")),
    ],
)
def test_split_full_name_gives_family_middle_given(full_name, parts):
    assert split_full_name(full_name) == parts
