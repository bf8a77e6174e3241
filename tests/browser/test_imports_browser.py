"""A planner uploads a zipped shapefile, sees the preview counts and map, applies it, and undoes it."""
from __future__ import annotations

import json
import urllib.request
import zipfile

import geopandas as gpd
import pytest
import shapely

from tests.browser.conftest import sign_in_page
from tests.serving_thread import stop


@pytest.fixture(scope="module")
def import_server(tmp_path_factory):
    from tests.browser.conftest import serve_sample

    base, server = serve_sample(tmp_path_factory)
    yield base
    stop(server)


def lots(base: str) -> list[dict]:
    with urllib.request.urlopen(base + "/api/layers/lots") as r:
        return json.loads(r.read())["features"]


def zipped_shapefile(folder, features: list[dict]) -> str:
    """Lots as a zipped ESRI shapefile (UTF-8 .cpg), as a surveyor would send them."""
    frame = gpd.GeoDataFrame(
        [{k: f["properties"].get(k) for k in ("code", "zone_code", "land_use", "status", "tenant")} for f in features],
        geometry=[shapely.geometry.shape(f["geometry"]) for f in features], crs="EPSG:4326")
    frame.to_file(folder / "lo_dat.shp", engine="pyogrio", encoding="UTF-8")
    path = folder / "lo_dat.shp.zip"
    with zipfile.ZipFile(path, "w") as z:
        for ext in ("shp", "shx", "dbf", "prj", "cpg"):
            if (folder / f"lo_dat.{ext}").exists():
                z.write(folder / f"lo_dat.{ext}", f"lo_dat.{ext}")
    return str(path)


def test_upload_a_zipped_shapefile_preview_apply_undo(import_server, page, tmp_path):
    base = import_server
    before = {f["id"]: f["properties"] for f in lots(base)}
    lot = next(f for f in lots(base) if f["properties"].get("price_usd_m2") is None and not f["properties"].get("props"))
    changed = {**lot, "properties": {**lot["properties"], "tenant": "Công ty Nhập Thử"}}
    new = {"type": "Feature", "geometry": json.loads(shapely.to_geojson(shapely.geometry.shape(lot["geometry"]).centroid.buffer(0.0003))),
           "properties": {"code": "TEST-NEW-1", "zone_code": lot["properties"]["zone_code"], "land_use": "warehouse", "status": "available"}}
    path = zipped_shapefile(tmp_path, [changed, new])
    sign_in_page(page, base, "planner1")
    page.goto(base + "/imports")
    page.select_option("select[name=layer]", "lots")
    page.set_input_files("input[name=file]", path)
    page.click("#import-form button[type=submit]")
    preview = page.locator("#import-preview[data-drawn]")
    preview.wait_for()
    assert (preview.get_attribute("data-added"), preview.get_attribute("data-changed"), preview.get_attribute("data-retired")) == ("1", "1", "0")
    assert preview.get_attribute("data-drawn") == "2"
    assert page.locator("#import-table tr[data-outcome=added]").inner_text().endswith("TEST-NEW-1")
    page.click("#import-apply")
    page.wait_for_selector("#import-done")
    after = {f["id"]: f["properties"] for f in lots(base)}
    assert after[lot["id"]]["tenant"] == "Công ty Nhập Thử" and "TEST-NEW-1" in after
    page.locator("#recent-imports .import-undo").first.click()
    page.wait_for_selector("#import-undone")
    restored = {f["id"]: f["properties"] for f in lots(base)}
    assert "TEST-NEW-1" not in restored and restored[lot["id"]]["tenant"] == before[lot["id"]]["tenant"]
    assert page.log.errors == []
