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
    "/household",
    "/api/layers/zones/Z1",
    "/api/layers/lots",
)
# Clearance work pages and exports (issue 13): staff only; the public is sent to sign in and sees no household.
STAFF_PATHS = (
    "/clearance/late",
    "/clearance/parcels/P2",
    "/clearance/matrix?subject=Z1",
    "/clearance/matrix.xlsx?subject=Z1",
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


@pytest.mark.parametrize("path", STAFF_PATHS)
def test_clearance_work_pages_are_for_staff_only(web, path):
    client, token = web
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"], path
    body = response.get_data(as_text=True)
    assert not any(name in body for name in OWNERS)
    staff = client.get(path, headers=bearer(token))
    assert staff.status_code == 200, path


def test_staff_see_the_households_of_a_parcel_and_of_the_matrix(web):
    from io import BytesIO

    from openpyxl import load_workbook

    client, token = web
    assert "Hộ bà Trần Thị B" in client.get("/clearance/parcels/P2", headers=bearer(token)).get_data(as_text=True)
    assert "Hộ bà Trần Thị B" in client.get("/clearance/matrix?subject=Z1", headers=bearer(token)).get_data(as_text=True)
    ws = load_workbook(BytesIO(client.get("/clearance/matrix.xlsx?subject=Z1", headers=bearer(token)).data))["Ma trận GPMB"]
    assert "Hộ bà Trần Thị B" in [ws.cell(r, 2).value for r in range(2, ws.max_row + 1)]


def test_the_public_map_data_holds_steps_not_households(web):
    client, _ = web
    parcel = client.get("/api/layers/clearance/P2").get_json()["properties"]
    assert parcel["status"] == "disputed" and parcel["step"] == "inventory" and "next_due" in parcel
    assert not {"owner", "households", "paid_vnd", "compensation_vnd"} & set(parcel)
