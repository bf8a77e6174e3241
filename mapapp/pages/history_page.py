"""Routes: a feature's change history (staff), reverting a change, and the users' pages (admins)."""
from __future__ import annotations

import json

from flask import redirect, render_template, request, url_for

from mapapp import clock
from mapapp.auth import accounts
from mapapp.auth.web import current_actor_name, require, via
from mapapp.changes.model import Actor
from mapapp.changes.revert import REVERTIBLE, revert
from mapapp.errors import NotFound
from mapapp.i18n import current_lang, translate
from mapapp.layers import LAYERS
from mapapp.pages import pages_bp
from mapapp.refusals import Reason
from mapapp.store import current_store
from mapapp.values import nfc


def _shown(values) -> str:
    """Before/after values as compact text (geometry summarised: it is long and read on the map)."""
    if not values:
        return "—"
    shown = {k: (f"{v.get('type')} …" if k == "geometry" and isinstance(v, dict) else v) for k, v in values.items()}
    return json.dumps(shown, ensure_ascii=False)


def entry_view(entry: dict, lang: str) -> dict:
    return {
        **entry,
        "when": clock.local_time(entry["at"], lang),
        "before_text": _shown(entry["before"]),
        "after_text": _shown(entry["after"]),
        "revertible": entry["action"] in REVERTIBLE and entry["layer"] in LAYERS,
    }


@pages_bp.get("/history/<layer>/<code>")
@require("edit")
def history_page(layer: str, code: str):
    if layer not in LAYERS and layer != "directives":
        raise NotFound(Reason("notfound.layer_only", name=repr(layer)))
    lang = current_lang()
    entries = [entry_view(e, lang) for e in current_store().audit(layer=layer, code=nfc(code))]
    return render_template("history.html", page="history", layer=layer, code=code, entries=entries,
                           title=translate("history.title", lang, layer=translate(f"layer.{layer}", lang), code=code),
                           done=request.args.get("reverted"))


@pages_bp.post("/history/revert/<int:entry_id>")
@require("revert")
def revert_entry(entry_id: int):
    store = current_store()
    found = store.audit(entry=entry_id)
    if not found:
        raise NotFound(Reason("notfound.entry", entry=entry_id))
    revert(store, entry_id, Actor(current_actor_name(), via()))
    entry = found[0]
    return redirect(url_for("pages.history_page", layer=entry["layer"], code=entry["code"], lang=current_lang(), reverted=entry_id), code=303)


@pages_bp.get("/admin/users")
@require("users")
def users_page():
    store = current_store()
    return render_template("users.html", page="users", users=accounts.list_users(store), roles=accounts.ROLES,
                           saved=request.args.get("saved"))


@pages_bp.post("/admin/users")
@require("users")
def users_change():
    """Add a user, change a role or disable a user (one form each)."""
    store = current_store()
    form = request.form
    action = form.get("action")
    if action == "add":
        accounts.add_user(store, form.get("name", ""), form.get("role", ""), form.get("password", ""))
    elif action == "set-role":
        accounts.set_role(store, form.get("name", ""), form.get("role", ""))
    elif action == "disable":
        accounts.disable(store, form.get("name", ""))
    else:
        raise accounts.AccountError("unknown action")
    return redirect(url_for("pages.users_page", lang=current_lang(), saved=1), code=303)


@pages_bp.get("/admin/users/<name>")
@require("users")
def user_activity(name: str):
    lang = current_lang()
    store = current_store()
    person = accounts.get_user(store, name)
    entries = [entry_view(e, lang) for e in store.audit(actor=person.name)]
    return render_template("history.html", page="history", layer=None, code=None, entries=entries,
                           title=translate("users.activity", lang, name=person.name), done=None)
