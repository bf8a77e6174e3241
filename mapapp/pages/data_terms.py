"""Data values written in Vietnamese (district names, responsible units, developers) in the page's
language: English where a translation is known, the Vietnamese text otherwise (never blank)."""
from __future__ import annotations

import re

from mapapp.i18n import current_lang
from mapapp.store.backend import Store

UNITS: dict[str, str] = {
    "Ban Quản lý các KCN tỉnh Hậu Giang": "Hậu Giang Industrial Zones Authority",
    "Công an tỉnh": "Provincial Police",
    "Sở Nội vụ": "Department of Home Affairs",
    "Sở Xây dựng": "Department of Construction",
    "Sở Tài nguyên và Môi trường": "Department of Natural Resources and Environment",
    "Trung tâm Hành chính công tỉnh": "Provincial Public Administration Centre",
    "Văn phòng UBND tỉnh": "Office of the Provincial People's Committee",
    "UBND các huyện": "District People's Committees",
    "các sở, ngành liên quan": "the departments concerned",
    "các sở, ngành, địa phương liên quan": "the departments and localities concerned",
    "Công ty CP Đầu tư KCN Đông Phú": "Đông Phú Industrial Zone Investment JSC",
    "Công ty Phát triển hạ tầng các KCN tỉnh Hậu Giang": "Hậu Giang Industrial Zone Infrastructure Development Company",
    # the leader following land clearance (notice 19, item 11), named by role
    "Phó Trưởng ban phụ trách GPMB": "Deputy Head in charge of land clearance",
}
# Administrative names: "Huyện Châu Thành" -> "Châu Thành district", and so on.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("UBND thành phố ", "{} City People's Committee"),
    ("UBND thị xã ", "{} Town People's Committee"),
    ("UBND huyện ", "{} District People's Committee"),
    ("Phó Trưởng ban ", "Deputy Head {}"),
    ("Trưởng ban ", "Head {}"),
    ("Thành phố ", "{} city"),
    ("Thị xã ", "{} town"),
    ("Huyện ", "{} district"),
    ("Tỉnh ", "{} province"),
    ("Xã ", "{} commune"),
    ("Phường ", "{} ward"),
    ("Thị trấn ", "{} township"),
)
SEPARATORS = re.compile(r"(\s*;\s*|\s+–\s+)")


def _piece(text: str) -> str:
    if text in UNITS:
        return UNITS[text]
    for prefix, pattern in PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            return pattern.format(text[len(prefix):])
    return text


def term(text: object, lang: str) -> str:
    """``text`` in ``lang``: "Huyện Châu Thành" is "Châu Thành district" in English; "—" when empty."""
    if text is None or (isinstance(text, float) and text != text) or not str(text).strip():
        return "—"
    text = str(text)
    if lang != "en":
        return text
    return "".join(part if SEPARATORS.fullmatch(part) else _piece(part) for part in SEPARATORS.split(text))


def terms_for_map(store: Store, lang: str) -> dict[str, str]:
    """Every district, developer and responsible unit of the layers, mapped to its text in ``lang``."""
    if lang != "en":
        return {}
    values: set[str] = set()
    for layer, columns in (("zones", ["district", "developer"]), ("projects", ["responsible"]), ("boundaries", ["name"])):
        frame = store.attributes(layer, columns)
        for column in columns:
            if column in frame:
                values |= {str(v) for v in frame[column].dropna() if str(v).strip()}
    return {v: term(v, lang) for v in values if term(v, lang) != v}


def term_filter(value: object) -> str:
    """Jinja filter ``|term``: the value in the current page's language."""
    return term(value, current_lang())
