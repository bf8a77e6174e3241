"""What a page in one language must not show: strings that only the other language's catalogue has."""
from __future__ import annotations

import html as html_lib
import re

from mapapp.i18n import LANGS, MESSAGES

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
MIN_LENGTH = 4


def _fragments(text: str) -> list[str]:
    """A label's fixed parts (a template's text between its placeholders), long enough to mean something."""
    parts = [p.strip(" :·—–,.()") for p in PLACEHOLDER.split(text)]
    return [p for p in parts if len(p) >= (MIN_LENGTH if len(parts) == 1 else 10) and re.search(r"[^\W\d_]", p)]


def foreign_strings(lang: str) -> set[str]:
    """Strings of the other language's catalogue that are not also words of ``lang``'s catalogue."""
    mine, other = LANGS.index(lang), 1 - LANGS.index(lang)
    own = {p for pair in MESSAGES.values() for p in _fragments(pair[mine])}
    own_text = "\n".join(pair[mine] for pair in MESSAGES.values())
    out = set()
    for pair in MESSAGES.values():
        if pair[other] == pair[mine]:
            continue
        for piece in _fragments(pair[other]):
            if piece not in own and piece not in own_text:
                out.add(piece)
    return out


def visible_text(page_html: str) -> str:
    """The text a reader sees or hears: body text, titles, labels and placeholders; no scripts or styles,
    and not what people typed themselves (elements marked ``translate="no"``)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.S | re.I)
    # People's own free text (report notes, who reported) is marked translate="no": it is data, not a label.
    body = re.sub(r"<(\w+)\b[^>]*\btranslate=\"no\"[^>]*>.*?</\1>", " ", body, flags=re.S)
    attributes = re.findall(r'\b(?:title|aria-label|placeholder|alt|value)="([^"]*)"', body)
    text = re.sub(r"<[^>]+>", " ", body)
    return html_lib.unescape(text + "\n" + "\n".join(attributes))


def foreign_in(text: str, lang: str) -> list[str]:
    """The other language's strings found in ``text`` (whole words only)."""
    found = []
    for piece in sorted(foreign_strings(lang)):
        if re.search(r"(?<![\w])" + re.escape(piece) + r"(?![\w])", text):
            found.append(piece)
    return found
