"""Legacy Vietnamese encodings (TCVN3, VNI) and byte decoding: pure functions, no Django."""

import unicodedata

import pytest

from thidua.core.legacy_encoding import (
    VIETNAMESE_LETTERS,
    convert_legacy,
    decode_bytes,
    detect_legacy,
    encode_legacy,
    to_unicode,
)

NAMES = [
    "Nguyễn Văn Á",
    "Trần Thị Hồng Nhung",
    "Hoàng Đức Thắng",
    "Lương Thị Thuỳ Dương",
    "Phòng Quản lý đất đai",
    "Chi nhánh Văn phòng Đăng ký đất đai huyện Tràng Định",
]

# Strings that must never be "converted": real Unicode, ASCII, numbers, codes, Western words.
NOT_LEGACY = [
    "Nguyễn Văn Á",
    "Phòng Quản lý đất đai",
    "Nguyen Van A",
    "12345",
    "2024-01-31",
    "31/12/2023",
    "STNMT-01",
    "nguyen.van.a@stnmt.gov.vn",
    "café",
    "Müller",
    "José Núñez",
    "François Besançon",
    "Zoë Gaëlle",
    "São Paulo",
    "Grüße aus Köln",
    "© 2020",
    "½ kg",
    "Hoà Bình",
    "Phòng",
    "",
]


def _cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letter (ê, ă, ơ...) then a separate tone-mark byte."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in decomposed if c in tones)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        try:
            out += ch.encode("cp1258")  # precomposed where the code page has it ("Á", "à")
        except UnicodeEncodeError:
            out += (base + tone).encode("cp1258")  # "ệ" → "ê" + combining dot below
    return out


def test_encode_legacy_tcvn3_matches_known_mojibake():
    assert encode_legacy("Nguyễn Văn Á", "TCVN3") == "NguyÔn V¨n ¸"
    assert encode_legacy("Hoàng Đức Thắng", "TCVN3") == "Hoµng §øc Th¾ng"
    assert encode_legacy("Ninh Bình", "TCVN3") == "Ninh B×nh"
    assert encode_legacy("Mường Khương", "TCVN3") == "M\xadêng Kh\xad¬ng"


def test_encode_legacy_vni_matches_known_mojibake():
    assert encode_legacy("Nguyễn Văn Á", "VNI") == "Nguyeãn Vaên AÙ"
    assert encode_legacy("Xin chào các bạn", "VNI") == "Xin chaøo caùc baïn"
    assert encode_legacy("Lương Thị Thuỳ Dương", "VNI") == "Löông Thò Thuyø Döông"
    assert encode_legacy("Đức", "VNI") == "Ñöùc"


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
@pytest.mark.parametrize("name", NAMES)
def test_to_unicode_legacy_name_round_trips(name, encoding):
    legacy = encode_legacy(name, encoding)
    assert legacy != name
    assert detect_legacy(legacy) == encoding
    assert convert_legacy(legacy, encoding) == name
    assert to_unicode(legacy) == name


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
def test_to_unicode_legacy_sentence_round_trips(encoding):
    text = "Quyết định khen thưởng Chiến sĩ thi đua cơ sở năm 2023, Sở Tài nguyên và Môi trường"
    assert to_unicode(encode_legacy(text, encoding)) == text


def test_to_unicode_vni_capital_with_lowercase_mark():
    # Some VNI files pair a capital base with the lowercase mark byte: "Aù" for "Á".
    assert to_unicode("Nguyeãn Vaên Aù") == "Nguyễn Văn Á"


def test_to_unicode_tcvn3_all_caps_restores_capitals():
    # .VnTimeH fonts draw lowercase codes as capitals; all-caps context tells us.
    assert to_unicode("NGUYÔN V¡N ¸") == "NGUYỄN VĂN Á"


def test_to_unicode_tcvn3_lowercase_context_keeps_lowercase():
    assert to_unicode("Gãp ý kiÕn") == "Góp ý kiến"


@pytest.mark.parametrize("text", NOT_LEGACY)
def test_detect_legacy_plain_text_is_none(text):
    assert detect_legacy(text) is None


@pytest.mark.parametrize("text", NOT_LEGACY)
def test_to_unicode_plain_text_unchanged(text):
    assert to_unicode(text) == text


def test_to_unicode_ascii_unchanged():
    assert to_unicode("Nguyen Van A, STNMT-01, 2024") == "Nguyen Van A, STNMT-01, 2024"


def test_to_unicode_cafe_unchanged():
    assert to_unicode("café") == "café"


def test_to_unicode_nfd_input_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Á")
    assert nfd != "Nguyễn Văn Á"
    assert to_unicode(nfd) == "Nguyễn Văn Á"
    assert unicodedata.is_normalized("NFC", to_unicode(nfd))


def test_letters_count_is_134():
    assert len(VIETNAMESE_LETTERS) == len(set(VIETNAMESE_LETTERS)) == 134
    assert all(unicodedata.is_normalized("NFC", letter) for letter in VIETNAMESE_LETTERS)


def test_convert_legacy_vni_every_letter_round_trips():
    for letter in VIETNAMESE_LETTERS:
        legacy = encode_legacy(letter, "VNI")
        assert convert_legacy(legacy, "VNI") == letter, letter
        assert convert_legacy("x" + legacy + "x", "VNI") == "x" + letter + "x", letter


def test_convert_legacy_tcvn3_every_letter_round_trips():
    for letter in VIETNAMESE_LETTERS:
        if letter.isupper() and letter not in "ĂÂÊÔƠƯĐ":
            # TCVN3 (ABC) has no codes for toned capitals: "Á" is stored with the code of "á"
            # and only the .VnTimeH font shows it as a capital, so it cannot round-trip alone.
            assert encode_legacy(letter, "TCVN3") == encode_legacy(letter.lower(), "TCVN3")
            continue
        legacy = encode_legacy(letter, "TCVN3")
        assert len(legacy) == 1, letter
        assert legacy.encode("cp1252"), letter  # representable as one Windows-1252 byte
        assert convert_legacy(legacy, "TCVN3") == letter, letter
        assert convert_legacy("x" + legacy + "x", "TCVN3") == "x" + letter + "x", letter


def test_encode_legacy_tcvn3_codes_are_distinct():
    lowercase = [letter for letter in VIETNAMESE_LETTERS if letter.islower()]
    codes = [encode_legacy(letter, "TCVN3") for letter in lowercase + list("ĂÂÊÔƠƯĐ")]
    assert len(set(codes)) == len(codes) == 74


def test_convert_legacy_unknown_encoding_raises():
    with pytest.raises(ValueError):
        convert_legacy("abc", "VISCII")
    with pytest.raises(ValueError):
        encode_legacy("abc", "VISCII")


def test_decode_bytes_utf8():
    assert decode_bytes("Nguyễn Văn Á".encode()) == "Nguyễn Văn Á"


def test_decode_bytes_utf8_with_bom_strips_bom():
    assert decode_bytes("Nguyễn Văn Á".encode("utf-8-sig")) == "Nguyễn Văn Á"


def test_decode_bytes_utf16_with_bom():
    assert decode_bytes("Nguyễn Văn Á".encode("utf-16")) == "Nguyễn Văn Á"


def test_decode_bytes_cp1258_is_composed_to_nfc():
    data = _cp1258("Nguyễn Văn Á")
    assert data == b"Nguy\xea\xden V\xe3n \xc1"  # ê + combining tilde: not precomposed
    result = decode_bytes(data)
    assert result == "Nguyễn Văn Á"
    assert unicodedata.is_normalized("NFC", result)


def test_decode_bytes_cp1258_csv_names():
    text = "\n".join(f"{i};{name}" for i, name in enumerate(NAMES))
    assert decode_bytes(_cp1258(text)) == text


def test_decode_bytes_nfd_utf8_becomes_nfc():
    assert decode_bytes(unicodedata.normalize("NFD", "Hồng").encode()) == "Hồng"


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
def test_decode_bytes_legacy_csv_converted(encoding):
    text = "\n".join(f"{i};{name}" for i, name in enumerate(NAMES))
    data = encode_legacy(text, encoding).encode("cp1252")
    assert decode_bytes(data) == text
