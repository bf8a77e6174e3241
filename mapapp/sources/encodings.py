"""Text encodings of Vietnamese sources: UTF-8, Windows-1258 and the legacy font encodings TCVN3 (ABC) and VNI.

All decode to Unicode NFC. TCVN3 ("ABC", TCVN 5712:1993 VN3, the ``.Vn*`` fonts) is one
byte per letter; it has no upper-case toned letters (``.VnTimeH`` fonts draw the lower-case
codes as capitals), so those read as lower case. VNI Windows writes a base letter followed
by a mark byte (``a`` + ``ä`` = ``ậ``), read here through Windows-1252 as the fonts do.
The tables are built from the letters and marks below (sources: TCVN 5712:1993; the VNI
font charts as published with VNI-Times; checked against the tables of the xvnkb input
method); the tests hold hand-written byte strings of each.
"""
from __future__ import annotations

import re
import unicodedata

from mapapp.refusals import Reason

CHOICES = ("utf-8", "cp1258", "tcvn3", "vni")
_ALIASES = {
    "utf8": "utf-8", "utf-8": "utf-8", "65001": "utf-8", "unicode": "utf-8",
    "cp1258": "cp1258", "1258": "cp1258", "windows-1258": "cp1258", "ansi 1258": "cp1258",
    "tcvn3": "tcvn3", "tcvn": "tcvn3", "abc": "tcvn3", "vn3": "tcvn3",
    "vni": "vni", "vni-windows": "vni",
    "ascii": "ascii", "us-ascii": "ascii", "latin1": "latin-1", "iso-8859-1": "latin-1", "cp1252": "cp1252", "1252": "cp1252",
}

# Tone marks in the order the tables below use: none, sắc, huyền, hỏi, ngã, nặng.
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
# Vowels with their shape mark: a â ă e ê o ô ơ u ư i y.
_VOWELS = (("a", ""), ("a", "\u0302"), ("a", "\u0306"), ("e", ""), ("e", "\u0302"), ("o", ""), ("o", "\u0302"),
           ("o", "\u031b"), ("u", ""), ("u", "\u031b"), ("i", ""), ("y", ""))

# TCVN3 bytes of each lower-case vowel row (none, sắc, huyền, hỏi, ngã, nặng).
_TCVN3_ROWS = (
    (b"a", 0xB8, 0xB5, 0xB6, 0xB7, 0xB9), (0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB), (0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6),
    (b"e", 0xD0, 0xCC, 0xCE, 0xCF, 0xD1), (0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6), (b"o", 0xE3, 0xDF, 0xE1, 0xE2, 0xE4),
    (0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9), (0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE), (b"u", 0xF3, 0xEF, 0xF1, 0xF2, 0xF4),
    (0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9), (b"i", 0xDD, 0xD7, 0xD8, 0xDC, 0xDE), (b"y", 0xFD, 0xFA, 0xFB, 0xFC, 0xFE),
)
# The capitals TCVN3 has: Ă Â Ê Ô Ơ Ư Đ, and đ.
_TCVN3_CAPITALS = {0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ", 0xAE: "đ"}

# VNI: the mark written after a vowel, by shape (plain, circumflex, breve) and tone; lower case.
_VNI_PLAIN = ("", "ù", "ø", "û", "õ", "ï")
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")
_VNI_I = ("i", "í", "ì", "æ", "ó", "ò")  # i with its tone is one character in VNI
_VNI_HORN = {"o": "ô", "u": "ö"}  # ơ and ư are one character, then the plain tone mark


def _letter(base: str, shape: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + shape + tone)


def _tcvn3_table() -> list[str | None]:
    table: list[str | None] = [chr(b) for b in range(0x80)] + [None] * 0x80
    table[0xA0] = "\u00a0"
    for (base, shape), row in zip(_VOWELS, _TCVN3_ROWS):
        for tone, code in zip(_TONES, row):
            if isinstance(code, int):
                table[code] = _letter(base, shape, tone)
    for code, letter in _TCVN3_CAPITALS.items():
        table[code] = letter
    return table


def _vni_sequences() -> dict[str, str]:
    """VNI text as read through Windows-1252 → the Unicode letter, lower and upper case."""
    pairs: dict[str, str] = {}
    for base, shape in _VOWELS:
        for i, tone in enumerate(_TONES):
            if base == "i":
                written = _VNI_I[i]
            elif base == "y" and tone == "\u0323":
                written = "î"  # ỵ is one character
            elif shape == "\u031b":
                written = _VNI_HORN[base] + _VNI_PLAIN[i]
            elif shape == "\u0302":
                written = base + _VNI_CIRCUMFLEX[i]
            elif shape == "\u0306":
                written = base + _VNI_BREVE[i]
            else:
                written = base + _VNI_PLAIN[i]
            letter = _letter(base, shape, tone)
            if written != letter:
                pairs[written] = letter
                pairs[written.upper()] = letter.upper()
    pairs["ñ"] = "đ"
    pairs["Ñ"] = "Đ"
    return pairs


_TCVN3 = _tcvn3_table()
_VNI = _vni_sequences()
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(_VNI, key=len, reverse=True)))


def canonical(name: str) -> str:
    """The encoding's canonical name, or ``ValueError`` naming the choices."""
    key = " ".join(name.strip().lower().replace("_", "-").split())
    if key not in _ALIASES:
        raise ValueError(Reason("encoding.unknown", name=name, choices=", ".join(CHOICES)))
    return _ALIASES[key]


def decode(data: bytes, encoding: str) -> str:
    """``data`` as NFC text in ``encoding`` (one of :data:`CHOICES` or an alias); ``UnicodeDecodeError`` if it does not fit."""
    name = canonical(encoding)
    if name == "tcvn3":
        out = []
        for pos, byte in enumerate(data):
            letter = _TCVN3[byte]
            if letter is None:
                raise UnicodeDecodeError("tcvn3", data, pos, pos + 1, f"byte 0x{byte:02X} is not a TCVN3 letter")
            out.append(letter)
        text = "".join(out)
    elif name == "vni":
        text = _VNI_PATTERN.sub(lambda m: _VNI[m.group(0)], data.decode("cp1252"))
    else:
        text = data.decode(name)
    return unicodedata.normalize("NFC", text)


def from_cpg(text: str) -> str | None:
    """The encoding a shapefile's ``.cpg`` names (``UTF-8``, ``1258``, ``CP1258``…), None when it names none we read."""
    try:
        return canonical(text)
    except ValueError:
        digits = re.sub(r"\D", "", text)
        return f"cp{digits}" if digits else None
