"""Each role against each writing route and form: allowed, or denied with nothing changed (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest

from mapapp import clock, create_app
from mapapp.auth.accounts import PERMISSIONS, add_user, new_token
from tests.conftest import PASSWORD, bearer, csrf_of, data_snapshot, hand_built, sign_in, store_on

ROLES = ("planner", "leader", "admin")


def _lot_insert_entry(store) -> int:
    return next(e["id"] for e in store.audit(layer="lots", code="L3") if e["action"] == "insert")


ROUTES = {
    # name: (action, method, path, body kind, body, status when allowed)
    "api-patch": ("edit", "PATCH", "/api/layers/lots/L2", "json", {"status": "reserved"}, 200),
    "api-report": ("report", "POST", "/api/projects/R1/reports", "json", {"percent": 45, "date": "{today}", "confirm": True}, 201),
    "api-revert": ("revert", "POST", "/api/audit/{entry}/revert", "json", {}, 200),
    "form-report": ("report", "POST", "/projects/R1/reports", "form", {"percent": "45", "date": "{today}", "confirm": "1"}, 303),
    "form-directive": ("directive", "POST", "/directives/10/status", "form", {"status": "done"}, 303),
    "form-revert": ("revert", "POST", "/history/revert/{entry}", "form", {}, 303),
    "form-users": ("users", "POST", "/admin/users", "form", {"action": "add", "name": "newbie", "role": "planner", "password": "mười ký tự trở lên"}, 303),
    "form-import-undo": ("import", "POST", "/imports/{change}/undo", "form", {}, 303),
}


def _staffed(store) -> None:
    """The hand-built dataset, a directive and a user of each role (password ``PASSWORD``)."""
    hand_built(store)
    store.write_layers({}, directive_items=[
        {"item": 10, "text_vi": "Đẩy nhanh tiến độ các tuyến đường", "text_en": "Speed up the roads",
         "responsible": "Ban Quản lý", "status": "in_progress", "links": []}])
    for role in ROLES:
        add_user(store, f"{role}1", role, PASSWORD)


# made once per session and copied (tests.templates): hashing three passwords (scrypt) for each of the
# 80 tests was a third of their time
_staffed.template_kind = "staffed"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request, tmp_path):
    """(store, app, an API token of each role's user) on SQLite and on PostgreSQL; the tokens are new for each test."""
    with store_on(request.param, tmp_path, _staffed) as store:
        tokens = {role: new_token(store, f"{role}1") for role in ROLES}
        yield store, create_app({"database": store.url}), tokens


def _request(app, store, tokens, role, route, via_token: bool):
    action, method, path, kind, body, _ = ROUTES[route]
    entry = _lot_insert_entry(store)
    fill = {"today": clock.today().isoformat(), "entry": entry, "change": store.audit(entry=entry)[0]["change_id"]}
    path = path.format(**fill)
    body = {k: v.format(**fill) if isinstance(v, str) else v for k, v in body.items()}
    client = app.test_client()
    headers = {}
    if role is not None and via_token:
        headers = bearer(tokens[role])
    elif role is not None:
        assert sign_in(client, f"{role}1").status_code == 303
        if kind == "form":
            body["csrf_token"] = csrf_of(client)
        else:
            headers["X-CSRFToken"] = csrf_of(client)
    if method == "PATCH":
        headers["If-Match"] = app.test_client().get(path).headers["ETag"]
    send = getattr(client, method.lower())
    return send(path, json=body, headers=headers) if kind == "json" else send(path, data=body, headers=headers)


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("role", [None, *ROLES])
def test_each_role_on_each_writing_route(world, route, role):
    store, app, tokens = world
    action, *_, allowed_status = ROUTES[route]
    via_token = ROUTES[route][3] == "json"
    before = data_snapshot(store)
    response = _request(app, store, tokens, role, route, via_token)
    if role is None:
        assert response.status_code == 401, response.get_data(as_text=True)
    elif role in PERMISSIONS[action]:
        assert response.status_code == allowed_status, response.get_data(as_text=True)
        assert data_snapshot(store) != before
        return
    else:
        assert response.status_code == 403, response.get_data(as_text=True)
        body = response.get_data(as_text=True)
        assert "không được phép" in body or "may not" in body
    assert data_snapshot(store) == before


@pytest.mark.parametrize("route", ["api-patch", "api-report", "api-revert"])
def test_cookie_sessions_on_the_api_need_the_csrf_header(world, route):
    store, app, tokens = world
    action = ROUTES[route][0]
    role = next(r for r in ROLES if r in PERMISSIONS[action])
    before = data_snapshot(store)
    client = app.test_client()
    sign_in(client, f"{role}1")
    method, path, _, body = ROUTES[route][1:5]
    path = path.format(entry=_lot_insert_entry(store))
    body = {k: v.format(today=clock.today().isoformat()) if isinstance(v, str) else v for k, v in body.items()}
    headers = {"If-Match": "*"}
    response = getattr(client, method.lower())(path, json=body, headers=headers)
    assert response.status_code == 400 and "CSRF" in response.get_json()["error"]
    assert data_snapshot(store) == before
    headers["X-CSRFToken"] = csrf_of(client)
    assert getattr(client, method.lower())(path, json=body, headers=headers).status_code in (200, 201)


def test_form_without_csrf_token_is_refused(world):
    store, app, _ = world
    client = app.test_client()
    sign_in(client, "leader1")
    before = data_snapshot(store)
    response = client.post("/directives/10/status", data={"status": "done"})
    assert response.status_code == 400 and "Reload the page" in client.post(
        "/directives/10/status?lang=en", data={"status": "done"}).get_data(as_text=True)
    assert data_snapshot(store) == before


def test_sign_in_itself_needs_the_csrf_token(world):
    _, app, _ = world
    client = app.test_client()
    response = client.post("/login", data={"name": "planner1", "password": "mật khẩu đủ dài 2026"})
    assert response.status_code == 400
    assert client.get("/api/layers/clearance/P1").get_json()["properties"].get("owner") is None


def test_lock_out_after_repeated_failures(world):
    _, app, _ = world
    client = app.test_client()
    for _ in range(5):
        assert sign_in(client, "planner1", "wrong password!").status_code == 401
    locked = sign_in(client, "planner1")  # the right password, too late
    assert locked.status_code == 429 and "15" in locked.get_data(as_text=True)
    other = app.test_client()
    assert sign_in(other, "leader1").status_code == 303  # another account is not locked


def test_api_token_revoked_and_user_disabled(world):
    from mapapp.auth.accounts import disable, new_token

    store, app, tokens = world
    client = app.test_client()
    tag = client.get("/api/layers/lots/L2").headers["ETag"]
    old = tokens["planner"]
    fresh = new_token(store, "planner1")
    refused = client.patch("/api/layers/lots/L2", json={"status": "reserved"}, headers=bearer(old, **{"If-Match": tag}))
    assert refused.status_code == 401 and "token" in refused.get_json()["error"]
    disable(store, "planner1")
    assert client.patch("/api/layers/lots/L2", json={"status": "reserved"}, headers=bearer(fresh, **{"If-Match": tag})).status_code == 401
    assert store.get_feature("lots", "L2")["status"].iloc[0] == "available"


def test_untrusted_host_is_refused(world):
    _, app, tokens = world
    client = app.test_client()
    assert client.get("/", headers={"Host": "127.0.0.1:5000"}).status_code == 200
    for host in ("evil.example", "attacker.localhost.example:5000"):
        response = client.get("/api/layers", headers={"Host": host})
        assert response.status_code == 400 and b"MAPAPP_TRUSTED_HOSTS" in response.data
    # DNS rebinding: a forged Host with a matching Origin changes nothing
    forged = client.patch("/api/layers/lots/L2", json={"status": "reserved"},
                          headers=bearer(tokens["planner"], Host="evil.example", Origin="http://evil.example", **{"If-Match": "*"}))
    assert forged.status_code == 400


def test_oversized_body_is_413(world):
    store, app, tokens = world
    client = app.test_client()
    tag = client.get("/api/layers/lots/L2").headers["ETag"]
    big = '{"tenant": "' + "x" * (1024 * 1024 + 10) + '"}'
    response = client.patch("/api/layers/lots/L2", data=big, content_type="application/json", headers=bearer(tokens["planner"], **{"If-Match": tag}))
    assert response.status_code == 413 and "1 MB" in response.get_json()["error"]
    assert store.get_feature("lots", "L2")["tenant"].iloc[0] is None
