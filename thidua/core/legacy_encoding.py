"""Recover Vietnamese text typed in legacy 8-bit font encodings (TCVN3/ABC and VNI-Windows).

Government offices still exchange spreadsheets typed with ".VnTime" (TCVN3) or "VNI-Times"
(VNI) fonts. Those files store one byte per glyph, so Excel/openpyxl hand us each byte as its
Windows-1252 character: "Nguyễn Văn Á" arrives as "NguyÔn V¨n ¸" (TCVN3) or "Nguyeãn Vaên
AÙ" (VNI). Importers call `to_unicode` on every cell; it converts only when it is confident,
because wrongly "fixing" proper text ("café", "Müller", real Vietnamese) would corrupt data.

Tables follow TCVN 5712:1993 (VN3) and the VNI-Windows font layout, as used by Unikey and
xvnkb. Pure Python, no Django, so test-data generators can use `encode_legacy` too.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = ["convert_legacy", "decode_bytes", "detect_legacy", "encode_legacy", "to_unicode"]

TCVN3 = "TCVN3"
VNI = "VNI"

# Tone marks in the order every row below uses: none, sắc, huyền, hỏi, ngã, nặng.
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_VOWELS = "aăâeêioôơuưy"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _toned(base: str, tone: int) -> str:
    return _nfc(base + _TONES[tone])


#: Every non-ASCII Vietnamese letter: 60 toned vowels + ă â ê ô ơ ư đ, lower then upper (134).
VIETNAMESE_LETTERS: tuple[str, ...] = tuple(
    letter
    for case in (str.lower, str.upper)
    for letter in (
        [case(_toned(v, t)) for v in _VOWELS for t in range(1, 6)] + [case(c) for c in "ăâêôơưđ"]
    )
)

# --- TCVN3 -------------------------------------------------------------------------------------
# One cp1252 character per tone (none, sắc, huyền, hỏi, ngã, nặng). "\xad" (soft hyphen) is ư.
_TCVN3_ROWS = {
    "a": "a¸µ¶·¹", "ă": "¨¾»¼½Æ", "â": "©ÊÇÈÉË", "e": "eÐÌÎÏÑ", "ê": "ªÕÒÓÔÖ", "i": "iÝ×ØÜÞ",
    "o": "oãßáâä", "ô": "«èåæçé", "ơ": "¬íêëìî", "u": "uóïñòô", "ư": "\xadøõö÷ù", "y": "yýúûüþ",
}  # fmt: skip
# The standard has codes for these seven capitals only; toned capitals reuse the lowercase codes
# (the ".VnTimeH" fonts draw them as capitals), so case must be guessed from context on decoding.
_TCVN3_UPPER = dict(zip("ĂÂÊÔƠƯĐ", "¡¢£¤¥¦§", strict=True))

_TCVN3_ENC: dict[str, str] = {"đ": "®", **_TCVN3_UPPER}
for _base, _codes in _TCVN3_ROWS.items():
    for _tone, _code in enumerate(_codes):
        _TCVN3_ENC.setdefault(_toned(_base, _tone), _code)
for _letter in VIETNAMESE_LETTERS:  # toned capitals: lossy, share the lowercase code
    _TCVN3_ENC.setdefault(_letter, _TCVN3_ENC[_letter.lower()])
_TCVN3_ENC = {k: v for k, v in _TCVN3_ENC.items() if k != v and not k.isascii()}
_TCVN3_UPPER_CODES = frozenset(_TCVN3_UPPER.values())
_TCVN3_DEC = {v: k for k, v in _TCVN3_ENC.items() if k.islower() or v in _TCVN3_UPPER_CODES}
# A "word" for both encodings: letters plus the TCVN3 codes that are symbols in cp1252 ("¨", "¸").
_TOKEN = re.compile("(?:[^\\W\\d_]|[" + re.escape("".join(sorted(_TCVN3_DEC))) + "])+")

# --- VNI ---------------------------------------------------------------------------------------
# A base letter followed by mark bytes; some letters (ơ ư đ and toned i, ỵ) are single bytes.
_VNI_TONE = ("", "ù", "ø", "û", "õ", "ï")
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")  # â ê ô with each tone
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")  # ă with each tone
_VNI_I = ("i", "í", "ì", "æ", "ó", "ò")


def _vni_lower(base: str, tone: int) -> str:
    if base in "âêô":
        return unicodedata.normalize("NFD", base)[0] + _VNI_CIRCUMFLEX[tone]
    if base == "ă":
        return "a" + _VNI_BREVE[tone]
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == 5:
        return "î"
    return {"ơ": "ô", "ư": "ö"}.get(base, base) + _VNI_TONE[tone]


_VNI_ENC: dict[str, str] = {"đ": "ñ", "Đ": "Ñ"}
for _base in _VOWELS:
    for _tone in range(6):
        _lower = _toned(_base, _tone)
        if not _lower.isascii():
            _VNI_ENC[_lower] = _vni_lower(_base, _tone)
            _VNI_ENC[_lower.upper()] = _vni_lower(_base, _tone).upper()  # marks have capitals too
_VNI_DEC: dict[str, str] = {}
for _letter, _seq in _VNI_ENC.items():
    _VNI_DEC[_seq] = _letter
    if _letter.isupper() and len(_seq) == 2:  # "Aù" (capital base, lowercase mark) also occurs
        _VNI_DEC.setdefault(_seq[0] + _seq[1].lower(), _letter)
_VNI_RE = re.compile("|".join(map(re.escape, sorted(_VNI_DEC, key=len, reverse=True))))

# --- Vietnamese syllable check -----------------------------------------------------------------
_TONE_OF: dict[str, tuple[str, int]] = {_toned(v, t): (v, t) for v in _VOWELS for t in range(6)}
_SYLLABLE = re.compile(
    "(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    "(iêu|yêu|oai|oay|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ưu|ươ|yê|"
    "[aăâeêioôơuưy])"
    "(ch|ng|nh|[ckmnpt])?"  # "k" only in highland names: Đắk Lắk
)
# Letters that may start the vowel group after these onsets ("cá" but "kế", "ghi", "quý").
_ONSET_VOWELS = {
    "c": "aăâoôơuư", "k": "ieêy", "gh": "ieê", "ngh": "ieê", "g": "aăâoôơuưi", "ng": "aăâoôơuư",
    "qu": "aăâeêiyôơ",
}  # fmt: skip
# Where the tone mark may sit inside the vowel group (0 = first vowel). Unlisted groups: first.
_TONE_SECOND = frozenset(
    "iê yê uô ươ uâ uê oă uơ iêu yêu oai oay oeo uây uôi ươi ươu uya uyu".split()
)
_TONE_EITHER = frozenset("oa oe uy oo".split())  # "hoà"/"hòa"; with a final consonant: second


def _is_syllable(word: str) -> bool:
    """True if `word` is spelled like one Vietnamese syllable.

    Checks onset + vowel group + final consonant, the c/k, g/gh, ng/ngh, qu spelling rules, one
    tone at an orthographic position, and that syllables ending in c/ch/p/t carry sắc or nặng.
    Spelling, not dictionary ("Phịng" passes), which is enough to tell mojibake ("V¨n", "Vaên",
    "xaõ") from real text.
    """
    letters, tone, tone_at = [], 0, -1
    for i, ch in enumerate(word.lower()):
        base, mark = _TONE_OF.get(ch, (ch, 0))
        if mark:
            if tone:
                return False
            tone, tone_at = mark, i
        letters.append(base)
    m = _SYLLABLE.fullmatch("".join(letters))
    if m is None:
        return False
    onset, vowels, coda = m.group(1) or "", m.group(2), m.group(3) or ""
    if vowels[0] not in _ONSET_VOWELS.get(onset, vowels[0]):
        return False
    if coda in ("c", "ch", "k", "p", "t") and tone not in (1, 5):
        return False
    if not tone:
        return True
    if vowels == "uyê":
        allowed: tuple[int, ...] = (2,)
    elif vowels in _TONE_SECOND or (vowels in _TONE_EITHER and coda):
        allowed = (1,)
    else:
        allowed = (0, 1) if vowels in _TONE_EITHER else (0,)
    return tone_at - m.start(2) in allowed


def _looks_vietnamese(word: str) -> bool:
    """A plausible Unicode word: a syllable in lower, UPPER or Title case ("vÒ" is not)."""
    cased = word.isascii() or word in (word.lower(), word.upper(), word.capitalize())
    return cased and _is_syllable(word)


# --- Public API --------------------------------------------------------------------------------
# Bytes 0x80-0x9F differ between Latin-1 and cp1252 ("€", "‚", ...); five are undefined in cp1252.
_LATIN1_TO_CP1252 = {
    b: bytes([b]).decode("cp1252")
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def decode_bytes(data: bytes) -> str:
    """Decode an uploaded text file (CSV) to NFC Unicode.

    UTF-8 (with or without BOM) and UTF-16 with BOM are taken as is. Anything else is an 8-bit
    Windows file: if its bytes, read as cp1252, are confidently TCVN3 or VNI they are converted;
    otherwise they are Windows-1258, whose separate tone marks NFC composes ("e" + U+0303 → "ẽ").
    """
    if data.startswith(codecs.BOM_UTF8):
        return _nfc(data[3:].decode("utf-8", errors="replace"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _nfc(data.decode("utf-16", errors="replace"))
    try:
        return _nfc(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    as_cp1252 = data.decode("latin-1").translate(_LATIN1_TO_CP1252)
    encoding = detect_legacy(as_cp1252)
    if encoding is not None:
        return _nfc(convert_legacy(as_cp1252, encoding))
    return _nfc(data.decode("cp1258", errors="replace"))


def _could_be_legacy(text: str) -> bool:
    """Legacy text read as cp1252 only holds cp1252 characters; "ễ", "ă", "đ" prove Unicode."""
    if text.isascii():
        return False
    for ch in text:
        if ord(ch) >= 0x100:
            try:
                ch.encode("cp1252")
            except UnicodeEncodeError:
                return False
    return True


def _score(text: str, encoding: str) -> int:
    """Evidence that `text` is in `encoding`; 0 means "not convincing".

    Each word the conversion changes is judged: it is evidence when it was not a Vietnamese
    syllable before ("V¨n", "Vaên") but is one after ("Văn"), and it counts against when the
    result is not Vietnamese ("café" → "cafộ"). Words without an ASCII letter ("©", "½") are
    never evidence: alone they are more likely symbols. Known misses: a lone word that is valid
    both ways ("Hoàng" is VNI for "Hồng"), and false hits like "µm" → "àm"; importers that want
    more certainty can run `detect_legacy` on a whole column joined by spaces.
    """
    # TCVN3 cannot store toned capitals, so only its lowercase spelling is judged; VNI can, so
    # its result must also be cased like real text ("vÒ" read as VNI gives "vỊ": rejected).
    convert, valid = (
        (_tcvn3_word, _is_syllable) if encoding == TCVN3 else (_vni_word, _looks_vietnamese)
    )
    good = bad = 0
    for word in _TOKEN.findall(text):
        converted = convert(word)
        if converted == word:
            continue
        if not valid(converted):
            bad += 1
        elif not _looks_vietnamese(word) and any(c.isascii() and c.isalpha() for c in word):
            good += 1
    return good - bad if good and bad * 4 <= good else 0


def detect_legacy(text: str) -> str | None:
    """Return "TCVN3", "VNI" or None: None unless conversion clearly turns mojibake into Vietnamese.

    Unicode Vietnamese, ASCII, numbers, codes, e-mails and Western words ("café", "Müller")
    give None. A string that is valid either way ("Hoàng" is also VNI for "Hồng") gives None too:
    leaving a rare legacy cell unconverted is safer than corrupting a correct one.
    """
    text = _nfc(text)
    if not _could_be_legacy(text):
        return None
    tcvn3, vni = _score(text, TCVN3), _score(text, VNI)
    if tcvn3 == vni:
        return None
    return TCVN3 if tcvn3 > vni else VNI


def _tcvn3_word(word: str) -> str:
    return "".join(_TCVN3_DEC.get(ch, ch) for ch in word)


def _vni_word(word: str) -> str:
    return _VNI_RE.sub(lambda m: _VNI_DEC[m.group()], word)


def _fixes_case(ch: str) -> bool:
    """Characters whose case survives TCVN3: ASCII letters and the seven capital codes."""
    return ch in _TCVN3_UPPER_CODES or (ch.isascii() and ch.isalpha())


_FIELD_BREAK = re.compile(r"([\r\n\t;,|]+)")


def _tcvn3_to_unicode(text: str) -> str:
    """Map TCVN3 codes, then restore capitals the encoding cannot store, field by field.

    A toned capital ("Á") shares its code with the lowercase letter. If every case-bearing
    letter is a capital the field (or word) is all caps ("NGUYÔN" → "NGUYỄN"); if every word
    with a case-bearing first letter is capitalised, it is title case and words starting with a
    shared code are capitalised too ("NguyÔn V¨n ¸" → "Nguyễn Văn Á"). Fields are split at line
    breaks and CSV delimiters, so a whole decoded file is judged cell by cell.
    """
    return "".join(_tcvn3_field(part) for part in _FIELD_BREAK.split(text))


def _tcvn3_field(text: str) -> str:
    words = list(_TOKEN.finditer(text))
    cases = [ch.isupper() for ch in text if _fixes_case(ch)]
    all_caps = len(cases) >= 2 and all(cases)
    firsts = [m.group()[0].isupper() for m in words if _fixes_case(m.group()[0])]
    title = bool(firsts) and all(firsts)
    out, pos = [], 0
    for m in words:
        word = m.group()
        converted = _tcvn3_word(word)
        word_cases = [ch.isupper() for ch in word if _fixes_case(ch)]
        if all_caps or (len(word_cases) >= 2 and all(word_cases)):
            converted = converted.upper()
        elif title and word[0] in _TCVN3_DEC and word[0] not in _TCVN3_UPPER_CODES:
            converted = converted[0].upper() + converted[1:]
        out += [text[pos : m.start()], converted]
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def convert_legacy(text: str, encoding: str) -> str:
    """Convert `text` (legacy bytes read as cp1252) from "TCVN3" or "VNI" to NFC Unicode."""
    encoding = encoding.upper()
    if encoding == TCVN3:
        return _nfc(_tcvn3_to_unicode(text))
    if encoding == VNI:
        return _nfc(_vni_word(text))
    raise ValueError(f"unknown legacy encoding {encoding!r}; expected 'TCVN3' or 'VNI'")


def encode_legacy(text: str, encoding: str) -> str:
    """Unicode → the legacy string as Excel shows it (cp1252 characters); for tests and fixtures.

    TCVN3 cannot store toned capitals: they are written with the lowercase code, as typists do.
    """
    encoding = encoding.upper()
    if encoding not in (TCVN3, VNI):
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected 'TCVN3' or 'VNI'")
    table = _TCVN3_ENC if encoding == TCVN3 else _VNI_ENC
    return "".join(table.get(ch, ch) for ch in _nfc(text))


def to_unicode(text: str) -> str:
    """What importers call on every text cell: NFC, converting TCVN3/VNI only when detected."""
    text = _nfc(text)
    encoding = detect_legacy(text)
    return text if encoding is None else convert_legacy(text, encoding)
