"""Personal data (households' names, compensation, payments) is staff-only: API, OGC, CSV, search, pages, popups.

Decree 13/2023/NĐ-CP and the Personal Data Protection Law (in force 1 January 2026).
"""
from __future__ import annotations

import pytest

from tests.conftest import bearer

OWNERS = ("Nguyễn Văn A", "Trần Thị B")
PUBLIC_PATHS = (
    "/api/layers/clearance",
    "/api/layers/clearance/P2",
    "/api/layers/clearance?include=retired",
    "/api/search?q=tran",
    "/api/search?q=nguyen",
    "/api/projects/R1",
    "/ogc/collections/clearance/items",
    "/ogc/collections/clearance/items/P2",
    "/conflicts.csv",
    "/conflicts",
    "/dashboard",
    "/land",
    "/projects/R1",
    "/",
)


@pytest.fixture
def web(backend_store, backend_app, make_user):
    return backend_app.test_client(), make_user(backend_store, "planner1", "planner")


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_the_public_sees_no_household_data(web, path):
    client, _ = web
    response = client.get(path)
    assert response.status_code == 200, path
    body = response.get_data(as_text=True)
    for name in OWNERS:
        assert name not in body, (path, name)
    for field in ('"owner"', '"paid_vnd"', '"compensation_vnd"', '"households"'):
        assert field not in body, (path, field)


def test_the_public_cannot_filter_or_search_by_owner(web):
    client, _ = web
    assert client.get("/api/layers/clearance?owner=Hộ bà Trần Thị B").status_code == 400
    assert client.get("/api/search?q=tran thi").get_json()["results"] == []


def test_staff_see_households_and_can_search_them(web):
    client, token = web
    parcel = client.get("/api/layers/clearance/P2", headers=bearer(token)).get_json()["properties"]
    assert parcel["owner"] == "Hộ bà Trần Thị B" and parcel["households"] == 2
    found = client.get("/api/search?q=tran thi", headers=bearer(token)).get_json()["results"]
    assert [(r["code"], r["label"]) for r in found] == [("P2", "Hộ bà Trần Thị B")]
    items = client.get("/ogc/collections/clearance/items", headers=bearer(token)).get_data(as_text=True)
    assert "Trần Thị B" in items
