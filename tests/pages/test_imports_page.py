"""The import page: planners preview an upload (counts, map data), apply it, undo it; others may not."""
from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest

from tests import builders
from tests.conftest import csrf_of, sign_in


@pytest.fixture
def planner(loaded_store, loaded_app, make_user):
    make_user(loaded_store, "planner1", "planner")
    client = loaded_app.test_client()
    sign_in(client, "planner1")
    return client


def lots_file(tmp_path) -> bytes:
    changed = [
        ({"code": "L1", "zone_code": "Z1", "land_use": "factory", "status": "leased", "tenant": "Công ty Khác"}, builders.mbox(0, 0, 200, 100)),
        ({"code": "L9", "zone_code": "Z1", "land_use": "warehouse", "status": "available"}, builders.mbox(0, 400, 100, 500)),
    ]
    return builders.write_geojson(tmp_path / "lo-moi.geojson", changed).read_bytes()


def preview(client, tmp_path, **extra):
    data = {"layer": "lots", "csrf_token": csrf_of(client, "/imports"), "file": (io.BytesIO(lots_file(tmp_path)), "lô mới.geojson"), **extra}
    return client.post("/imports/preview", data=data, content_type="multipart/form-data", follow_redirects=True)


def test_preview_apply_and_undo(planner, loaded_store, tmp_path):
    shown = preview(planner, tmp_path, replace="1")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    section = re.search(r'<section id="import-preview"[^>]*>', html).group(0)
    assert 'data-added="1"' in section and 'data-changed="1"' in section and 'data-retired="2"' in section
    geojson = json.loads(re.search(r'<script type="application/json" id="import-geojson">(.*?)</script>', html, re.S).group(1))
    assert sorted((f["properties"]["code"], f["properties"]["outcome"]) for f in geojson["features"]) == [
        ("L1", "changed"), ("L2", "retired"), ("L3", "retired"), ("L9", "added")]
    assert loaded_store.codes("lots") == {"L1", "L2", "L3"}  # a preview stores nothing
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    applied = planner.post("/imports/apply", data={"token": token, "layer": "lots", "replace": "1", "csrf_token": csrf_of(planner, "/imports")})
    assert applied.status_code == 303
    change = applied.headers["Location"].split("done=")[1]
    assert loaded_store.codes("lots") == {"L1", "L9"}
    entry = loaded_store.audit(change_id=change)[0]
    assert entry["via"] == "import" and entry["actor"] == "planner1" and entry["source"].startswith("lô mới.geojson sha256:")
    page = planner.get("/imports").get_data(as_text=True)
    assert f'data-change="{change}"' in page
    undone = planner.post(f"/imports/{change}/undo", data={"csrf_token": csrf_of(planner, "/imports")})
    assert undone.status_code == 303 and loaded_store.codes("lots") == {"L1", "L2", "L3"}
    assert loaded_store.get_feature("lots", "L1")["tenant"].iloc[0] == "Công ty A&B <Việt>"
    assert planner.post("/imports/apply", data={"token": token, "layer": "lots", "csrf_token": csrf_of(planner, "/imports")}).status_code == 400


def test_a_refused_file_says_why_and_stores_nothing(planner, loaded_store, tmp_path):
    bad = builders.write_geojson(tmp_path / "bad.geojson", [({"code": "L7", "zone_code": "Z1", "land_use": "factory", "status": "leasd"}, builders.mbox(0, 0, 10, 10))])
    response = planner.post("/imports/preview", data={"layer": "lots", "csrf_token": csrf_of(planner, "/imports"),
                                                     "file": (io.BytesIO(bad.read_bytes()), "bad.geojson")}, content_type="multipart/form-data",
                           follow_redirects=True)
    assert response.status_code == 400
    assert ("Lớp Lô đất, đối tượng thứ 1 (mã L7), trường Tình trạng (status): &#39;leasd&#39; không thuộc các giá trị cho phép"
            in response.get_data(as_text=True))
    assert loaded_store.codes("lots") == {"L1", "L2", "L3"}


def test_the_public_and_leaders_without_import_right(loaded_app, loaded_store, tmp_path):
    anonymous = loaded_app.test_client()
    assert anonymous.get("/imports").status_code == 302  # to the sign-in page
    assert anonymous.post("/imports/preview", data={}).status_code == 401


@pytest.mark.parametrize("lang, said", [("vi", "Các cột không phải trường của lớp, được giữ làm thuộc tính bổ sung: gia_thue_moi, ghi chú"),
                                        ("en", "Columns that are no field of the layer, kept as extra attributes: gia_thue_moi, ghi chú")])
def test_the_preview_names_the_columns_kept_as_extra_attributes(planner, tmp_path, lang, said):
    features = [({"code": "L9", "zone_code": "Z1", "land_use": "warehouse", "status": "available", "gia_thue_moi": "55",
                  "Ghi chú": "<b>đất</b>"}, builders.mbox(0, 400, 100, 500))]
    data = {"layer": "lots", "csrf_token": csrf_of(planner, "/imports"),
            "file": (io.BytesIO(builders.write_geojson(tmp_path / "x.geojson", features).read_bytes()), "x.geojson")}
    shown = planner.post(f"/imports/preview?lang={lang}", data=data, content_type="multipart/form-data", follow_redirects=True)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert re.search(r'<p class="import-extras" id="import-extras">(.*?)</p>', html).group(1) == said
    plain = builders.write_geojson(tmp_path / "y.geojson", lots_file_features())
    data = {"layer": "lots", "csrf_token": csrf_of(planner, "/imports"), "file": (io.BytesIO(plain.read_bytes()), "y.geojson")}
    assert "import-extras" not in planner.post("/imports/preview", data=data, content_type="multipart/form-data",
                                               follow_redirects=True).get_data(as_text=True)


def lots_file_features():
    return [({"code": "L9", "zone_code": "Z1", "land_use": "warehouse", "status": "available"}, builders.mbox(0, 400, 100, 500))]


@pytest.mark.parametrize(("lang", "lead", "why", "done"), [
    ("vi", "Tệp không được nhập, dữ liệu không thay đổi.", "trường Tình trạng (status): &#39;leasd&#39; không thuộc các giá trị",
     "Đã nhập 2 đối tượng vào lớp Lô đất (mã thay đổi "),
    ("en", "The file was not imported and nothing changed.", "field Status (status): &#39;leasd&#39; is not one of",
     "Imported 2 features into Lots (change "),
])
def test_a_refused_file_comes_back_to_the_form_and_an_applied_one_says_what_it_did(planner, loaded_store, tmp_path, lang, lead, why, done):
    bad = builders.write_geojson(tmp_path / "bad.geojson", [({"code": "L7", "zone_code": "Z1", "land_use": "factory", "status": "leasd"}, builders.mbox(0, 0, 10, 10))])
    refused = planner.post(f"/imports/preview?lang={lang}", data={"layer": "lots", "csrf_token": csrf_of(planner, "/imports"),
                                                                 "file": (io.BytesIO(bad.read_bytes()), "bad.geojson")},
                           content_type="multipart/form-data", follow_redirects=True)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    box = html.split('id="import-refused"', 1)[1].split("</div>", 1)[0]
    assert lead in box and why in box
    assert 'id="import-form"' in html and '<option value="lots" selected>' in html  # the form, ready for the corrected file
    assert loaded_store.codes("lots") == {"L1", "L2", "L3"}

    shown = preview(planner, tmp_path).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', shown).group(1)
    applied = planner.post(f"/imports/apply?lang={lang}", data={"token": token, "layer": "lots", "csrf_token": csrf_of(planner, "/imports")},
                           follow_redirects=True)
    said = applied.get_data(as_text=True).split('id="import-done">', 1)[1].split("</p>", 1)[0]
    assert re.sub(r"\s+", " ", said).startswith(done)
    recent = applied.get_data(as_text=True).split('id="recent-imports"', 1)[1].split("</table>", 1)[0]
    assert ("<td>Lô đất</td>" if lang == "vi" else "<td>Lots</td>") in recent and "+00:00" not in recent


def _swapped_lots(tmp_path) -> bytes:
    """One lot whose polygon has latitude and longitude swapped (y, x): its coordinates are not degrees."""
    ring = [[y, x] for x, y in builders.mbox(0, 0, 10, 10).exterior.coords]
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
               "properties": {"code": "L7", "zone_code": "Z1", "land_use": "factory", "status": "leased"}}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


IMPORT_REFUSALS = {
    ("vi", "lô.csv"): "lô.csv: dòng 1, cột lon: &#39;105,66&#39; không phải là tọa độ (hãy dùng dấu chấm thập phân)",
    ("en", "lô.csv"): "lô.csv: row 1, column lon: &#39;105,66&#39; is not a coordinate (dot decimals)",
    ("vi", "lệch.geojson"): ("Lớp Lô đất, đối tượng thứ 1 (mã L7), trường Hình học (geometry): tọa độ không phải là độ "
                             "(1 trên 1 đối tượng bị như vậy); nguyên nhân có thể: vĩ độ và kinh độ bị đảo chỗ "
                             "(cột x đang chứa vĩ độ): hãy đổi chỗ hai cột trong tệp nguồn"),
    ("en", "lệch.geojson"): ("Layer Lots, feature 1 (code L7), field Geometry (geometry): its coordinates are not degrees "
                             "(1 of 1 features do); likely cause: latitude and longitude are swapped "
                             "(x holds the latitude): swap the columns in the source"),
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_file_refused_for_its_coordinates_says_why_in_the_pages_language(planner, loaded_store, tmp_path, lang):
    files = {"lô.csv": b"code,zone_code,land_use,status,lon,lat\nL7,Z1,factory,leased,\"105,66\",9.86\n",
             "lệch.geojson": _swapped_lots(tmp_path)}
    for name, content in files.items():
        refused = planner.post(f"/imports/preview?lang={lang}", data={"layer": "lots", "csrf_token": csrf_of(planner, "/imports"),
                                                                     "file": (io.BytesIO(content), name)},
                               content_type="multipart/form-data", follow_redirects=True)
        box = refused.get_data(as_text=True).split('id="import-refused"', 1)[1].split("</div>", 1)[0]
        assert refused.status_code == 400
        assert IMPORT_REFUSALS[lang, name] in re.sub(r"\s+", " ", box), box
    assert loaded_store.codes("lots") == {"L1", "L2", "L3"}


def test_an_upload_never_applied_is_removed_a_day_later(planner, tmp_path):
    """A file of parcels may hold personal data: one left after its preview goes at the next upload once
    uploads.KEPT_HOURS old; a newer one stays, and its preview still works."""
    import datetime as dt

    from mapapp import clock
    from mapapp.config import INSTANCE_DIR
    from mapapp.sources import uploads

    root = Path(planner.application.instance_path) / "uploads"
    assert Path(planner.application.instance_path) != Path(__file__).resolve().parents[2] / "instance"  # not the developer's
    first = preview(planner, tmp_path).get_data(as_text=True)
    old_token = re.search(r'name="token" value="([^"]+)"', first).group(1)
    second = preview(planner, tmp_path).get_data(as_text=True)
    new_token = re.search(r'name="token" value="([^"]+)"', second).group(1)
    now = clock.now()
    written = (now - dt.timedelta(hours=uploads.KEPT_HOURS, minutes=1)).timestamp()
    os.utime(root / old_token, (written, written))
    kept = (now - dt.timedelta(hours=uploads.KEPT_HOURS - 1)).timestamp()
    os.utime(root / new_token, (kept, kept))
    third = preview(planner, tmp_path).get_data(as_text=True)
    assert not (root / old_token).exists() and (root / new_token).is_dir()
    assert re.search(r'name="token" value="([^"]+)"', third).group(1) in {p.name for p in root.iterdir()}
    gone = planner.post("/imports/apply", data={"token": old_token, "layer": "lots", "csrf_token": csrf_of(planner, "/imports")})
    assert gone.status_code == 400
    assert INSTANCE_DIR == Path(planner.application.instance_path)
