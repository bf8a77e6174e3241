"""Route: the directives of notice 19/TB-VP.UBND with their units, status and features on the map."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from flask import redirect, render_template, request, url_for

from mapapp.auth.web import current_actor_name, require, via
from mapapp.changes.directives import DIRECTIVE_STATUSES, set_directive_status
from mapapp.changes.model import Actor
from mapapp.i18n import MESSAGES, current_lang, translate
from mapapp.queries.layers import as_of
from mapapp.pages import pages_bp
from mapapp.pages.data_terms import term
from mapapp.pages.presentation import map_url_maker
from mapapp.store import current_store


def status_label(status: str, lang: str) -> str:
    """The translated status, or the stored word itself when it has no label."""
    key = f"directive.status.{status}"
    return translate(key, lang) if key in MESSAGES else status


def grouped_links(links: list[dict], lang: str, map_url: Callable[[str, str], str]) -> list[dict]:
    """A directive's linked features grouped by layer, each with its map link."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for link in links or []:
        groups[link["layer"]].append({"code": link["code"], "url": map_url(link["layer"], link["code"])})
    return [
        {
            "layer": translate(f"layer.{layer}", lang),
            "links": items,
            "show_all": url_for("pages.map_page", show=f"{layer}:" + ",".join(i["code"] for i in items), lang=lang) if len(items) > 1 else None,
        }
        for layer, items in groups.items()
    ]


def directive_view(item: dict, lang: str, map_url: Callable[[str, str], str]) -> dict:
    status = item["status"]
    return {
        "item": item["item"],
        "text": item["text_en"] if lang == "en" else item["text_vi"],
        "responsible": term(item["responsible"], lang),
        "status": status if status in DIRECTIVE_STATUSES else "other",
        "raw_status": status,
        "version": item.get("version") or 1,
        "status_label": status_label(status, lang),
        "groups": grouped_links(item["links"], lang, map_url),
    }


@pages_bp.get("/directives")
def directives_page():
    store = current_store()
    lang = current_lang()
    default = as_of(store)
    map_url = map_url_maker(lang, default, default)
    items = [directive_view(d, lang, map_url) for d in store.directives()]
    return render_template("directives.html", page="directives", items=items, statuses=DIRECTIVE_STATUSES)


@pages_bp.post("/directives/<int:item>/status")
@require("directive")
def set_directive(item: int):
    """A leader sets a directive's status (the form carries the version it was opened on)."""
    version = request.form.get("version", "")
    set_directive_status(current_store(), item, request.form.get("status", ""), Actor(current_actor_name(), via()),
                         if_version=int(version) if version.isdigit() else None)
    return redirect(url_for("pages.directives_page", lang=current_lang(), _anchor=f"item-{item}"), code=303)
