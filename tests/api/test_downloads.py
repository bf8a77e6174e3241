"""Per-layer downloads: every format reads back; the public copy holds no personal data, staff get all."""
from __future__ import annotations

import tempfile

import pytest

from mapapp.sources.reader import read_geodata
from tests.conftest import bearer

FORMATS = {"geojson": ".geojson", "gpkg": ".gpkg", "shp": ".shp.zip", "kml": ".kml", "csv": ".csv", "xlsx": ".xlsx"}


@pytest.fixture(autouse=True)
def own_temporary_folder(tmp_path, monkeypatch):
    """The route's temporary files go to a folder of this test's, so that what is left there can be seen."""
    folder = tmp_path / "temporary"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def left_behind(folder):
    return sorted(p.name for p in folder.glob("mapapp-download-*"))


def fetch(client, tmp_path, layer, fmt, headers=None, crs=None):
    query = {"format": fmt, **({"crs": crs} if crs else {})}
    with client.get(f"/api/layers/{layer}/download", query_string=query, headers=headers or {}) as response:
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.headers["Content-Disposition"].startswith("attachment; filename=mapapp-" + layer)
        path = tmp_path / f"{layer}-{fmt}{'-staff' if headers else ''}{FORMATS[fmt]}"
        path.write_bytes(response.get_data())
    # the server closes every response (waitress does): the file's folder goes with it
    assert left_behind(tmp_path / "temporary") == []
    return path


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_public_download_reads_back_without_personal_data(client, tmp_path, fmt):
    path = fetch(client, tmp_path, "clearance", fmt)
    crs = "EPSG:4326" if fmt in ("csv", "xlsx") else None
    frame = read_geodata(path, target="clearance", crs=crs)
    assert sorted(frame["code"].astype(str)) == ["P1", "P2"]
    assert not {"owner", "paid_vnd", "compensation_vnd", "households"} & set(frame.columns)
    assert "Trần Thị B" not in path.read_bytes().decode("utf-8", "ignore")


def test_staff_download_holds_every_attribute(client, loaded_store, make_user, tmp_path):
    token = make_user(loaded_store, "planner1", "planner")
    path = fetch(client, tmp_path, "clearance", "gpkg", headers=bearer(token))
    frame = read_geodata(path, target="clearance")
    assert dict(zip(frame["code"], frame["owner"]))["P2"] == "Hộ bà Trần Thị B"


def test_download_in_vn2000_and_bad_requests(client, tmp_path):
    path = fetch(client, tmp_path, "lots", "gpkg", crs="EPSG:5897")
    frame = read_geodata(path, target="lots")
    assert sorted(frame["code"]) == ["L1", "L2", "L3"] and frame.crs.to_epsg() == 4326  # read back into WGS84
    assert client.get("/api/layers/lots/download?format=dwg").status_code == 400
    assert client.get("/api/layers/lots/download?format=kml&crs=EPSG:5897").status_code == 400
    assert client.get("/api/layers/roads/download").status_code == 404


def test_list_pages_offer_the_downloads(client):
    for path, layer in (("/land", "lots"), ("/dashboard", "projects")):
        html = client.get(path).get_data(as_text=True)
        assert f'<details class="downloads" data-layer="{layer}">' in html
        assert f"/api/layers/{layer}/download?format=shp" in html


def test_a_failed_export_leaves_no_temporary_folder(client, own_temporary_folder, monkeypatch):
    import mapapp.api.downloads as downloads

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(downloads, "export_layer", fail)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.get("/api/layers/lots/download?format=gpkg").status_code == 500
    assert left_behind(own_temporary_folder) == []
