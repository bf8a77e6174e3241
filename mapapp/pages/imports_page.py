"""Routes: the import page for planners — upload, preview (map and table), apply, undo.

The page is the command line's ``mapapp import … --dry-run``, ``import`` and
``undo-import`` in the browser, through the same write path and audit log.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import current_app, jsonify, redirect, render_template, request, url_for

from mapapp import clock
from mapapp.auth.web import current_actor_name, require
from mapapp.changes.model import Actor
from mapapp.changes.revert import undo_change
from mapapp.errors import MapappError, StoreBusy
from mapapp.i18n import current_lang, register, translate
from mapapp.layers import LAYERS
from mapapp.pages import pages_bp
from mapapp.pages.vendor import asset_url
from mapapp.sources import uploads
from mapapp.sources.mapping import parse_pairs
from mapapp.values import DateFormat, NumberFormat, ValueFormat
from mapapp.store import current_store

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
# Uploads may be larger than the 1 MB of JSON and forms (MAPAPP_MAX_UPLOAD_MB, default 200).
MAX_UPLOAD = int(os.environ.get("MAPAPP_MAX_UPLOAD_MB", "200")) * 1024 * 1024
OPTION_FIELDS = ("crs", "source_layer", "encoding", "mapping", "number_format", "date_format", "repair")

register({
    "imports.title": ("Nhập dữ liệu", "Import data"),
    "imports.lead": ("Chọn lớp và tệp (GeoJSON, GeoPackage, Shapefile nén .zip…), xem trước những gì sẽ thêm, sửa, "
                     "cho ngừng dùng, rồi áp dụng. Mỗi lần nhập được ghi nhật ký và có thể hoàn tác.",
                     "Choose a layer and a file (GeoJSON, GeoPackage, zipped Shapefile…), preview what would be added, "
                     "changed and retired, then apply. Every import is logged and can be undone."),
    "imports.layer": ("Lớp", "Layer"),
    "imports.file": ("Tệp", "File"),
    "imports.crs": ("Hệ toạ độ của tệp (nếu tệp không ghi, vd. EPSG:5897)", "The file's CRS (when it does not say, e.g. EPSG:5897)"),
    "imports.source_layer": ("Lớp trong tệp (GeoPackage nhiều lớp)", "Layer inside the file (multi-layer GeoPackage)"),
    "imports.encoding": ("Bảng mã của tệp", "The file's encoding"),
    "imports.auto": ("Tự nhận (UTF-8, hoặc theo tệp .cpg)", "Automatic (UTF-8, or the .cpg file)"),
    "imports.number_format": ("Cách viết số", "Numbers written as"),
    "imports.date_format": ("Cách viết ngày", "Dates written as"),
    "imports.mapping": ("Ghép cột (trường=cột, mỗi dòng một cặp)", "Column mapping (field=column, one per line)"),
    "imports.repair": ("Sửa hình học lỗi (make_valid, báo từng đối tượng)", "Repair invalid geometry (make_valid, each feature named)"),
    "imports.replace": ("Cho ngừng dùng các đối tượng không có trong tệp", "Retire the features the file lacks"),
    "imports.preview": ("Xem trước", "Preview"),
    "imports.uploading": ("Đang tải lên…", "Uploading…"),
    "imports.checking": ("Đang kiểm tra tệp…", "Checking the file…"),
    "imports.apply": ("Áp dụng", "Apply"),
    "imports.confirm": ("Áp dụng dù có cảnh báo", "Apply despite the warnings"),
    "imports.cancel": ("Huỷ", "Cancel"),
    "imports.counts": ("Sẽ thêm {added}, sửa {changed}, giữ nguyên {unchanged}, ngừng dùng {retired}, dùng lại {restored}.",
                       "Would add {added}, change {changed}, keep {unchanged} unchanged, retire {retired}, restore {restored}."),
    "imports.extras": ("Các cột không phải trường của lớp, được giữ làm thuộc tính bổ sung: {columns}",
                       "Columns that are no field of the layer, kept as extra attributes: {columns}"),
    "imports.outcome.added": ("Thêm mới", "Added"),
    "imports.outcome.changed": ("Thay đổi", "Changed"),
    "imports.outcome.retired": ("Ngừng dùng", "Retired"),
    "imports.done": ("Đã nhập {features} đối tượng vào lớp {layer} (mã thay đổi {change}).",
                     "Imported {features} features into {layer} (change {change})."),
    "imports.undone": ("Đã hoàn tác lần nhập {change}.", "Import {change} undone."),
    "imports.recent": ("Các lần nhập gần đây", "Recent imports"),
    "imports.undo": ("Hoàn tác lần nhập", "Undo this import"),
    "imports.none": ("Chưa có lần nhập nào.", "No import yet."),
    "imports.refused": ("Tệp không được nhập, dữ liệu không thay đổi. Sửa tệp theo lý do dưới đây rồi chọn lại:",
                        "The file was not imported and nothing changed. Fix it as said below, then choose it again:"),
    "imports.choose": ("Hãy chọn lớp và tệp.", "Choose a layer and a file."),
})


def upload_root() -> Path:
    return Path(current_app.instance_path) / "uploads"


def _options(form) -> dict:
    """The import's options from a form or query: what the command line's options say, by the same names."""
    options: dict = {name: form.get(name, "").strip() or None for name in ("crs", "source_layer", "encoding")}
    options["replace"] = form.get("replace") == "1"
    options["repair"] = form.get("repair") == "1"
    pairs = [line for line in (form.get("mapping") or "").replace(";", "\n").splitlines() if line.strip()]
    if pairs:
        options["mapping"] = parse_pairs(pairs)
    options["fmt"] = ValueFormat(NumberFormat(form.get("number_format") or "plain"), DateFormat(form.get("date_format") or "iso"))
    return options


def _hidden(form) -> dict:
    """The options as the apply form carries them on (text as typed)."""
    return {k: form.get(k) for k in (*OPTION_FIELDS, "replace") if form.get(k)}


def _recent_imports(limit: int = 20) -> list[dict]:
    seen: dict[str, dict] = {}
    for entry in current_store().audit(limit=2000):
        if entry["via"] != "import" or entry["change_id"] in seen or entry["reverts"]:
            continue
        seen[entry["change_id"]] = entry
    return list(seen.values())[:limit]


def _page(**values):
    return render_template(
        "imports.html", page="imports", layers=list(LAYERS), recent=_recent_imports(),
        leaflet_js=asset_url(LEAFLET_JS), leaflet_css=asset_url(LEAFLET_CSS),
        local_time=lambda stamp: clock.local_time(stamp, current_lang()), **values)


@pages_bp.get("/imports")
@require("import")
def imports_page():
    return _page(preview=None, done=_done(request.args.get("done")), undone=request.args.get("undone"))


def _done(change_id: str | None) -> dict | None:
    """What an applied import did, from its audit entries: how many features, into which layer."""
    if not change_id:
        return None
    entries = [e for e in current_store().audit(change_id=change_id, limit=1_000_000) if e["via"] == "import"]
    layers = [e["layer"] for e in entries if e["layer"] in LAYERS]
    layer = max(set(layers), key=layers.count) if layers else None
    features = len({e["code"] for e in entries if e["layer"] == layer})
    return {"change": change_id, "features": features, "layer": layer}


@pages_bp.before_app_request
def _larger_uploads():
    if request.endpoint == "pages.import_preview":
        request.max_content_length = MAX_UPLOAD
        request.max_form_memory_size = MAX_UPLOAD


@pages_bp.post("/imports/preview")
@require("import")
def import_preview():
    layer = request.form.get("layer", "")
    file = request.files.get("file")
    if layer not in LAYERS or file is None or not file.filename:
        return _page(preview=None, error=translate("imports.choose", current_lang())), 400
    token, _ = uploads.save_upload(upload_root(), file.filename, file.stream)
    options = _hidden(request.form)
    target = url_for("pages.import_show", token=token, layer=layer, lang=current_lang(), **options)
    if request.accept_mimetypes.best == "application/json":  # the page's script: it follows the link itself
        return jsonify(next=target)
    return redirect(target, code=303)


@pages_bp.get("/imports/preview/<token>")
@require("import")
def import_show(token: str):
    """The dry run of an upload: counts, table and map of what would be added, changed and retired."""
    layer = request.args.get("layer", "")
    if layer not in LAYERS:
        return _page(preview=None, error=translate("imports.choose", current_lang())), 400
    options = _options(request.args)
    try:
        shown = uploads.preview(current_store(), upload_root(), token, layer, Actor(current_actor_name(), "import"), **options)
    except uploads.UploadMissing:
        raise
    except MapappError as exc:
        # refused with its reason on the import page itself, the form ready for the corrected file
        uploads.discard(upload_root(), token)  # a refused file is not kept
        if isinstance(exc, StoreBusy):
            raise
        return _page(preview=None, refused=exc.localized(current_lang()), layer=layer), 400
    except Exception:
        uploads.discard(upload_root(), token)  # a refused file is not kept
        raise
    return _page(preview=shown, layer=layer, options=_hidden(request.args))


@pages_bp.post("/imports/apply")
@require("import")
def import_apply():
    layer = request.form.get("layer", "")
    summary = uploads.apply(current_store(), upload_root(), request.form.get("token", ""), layer,
                            Actor(current_actor_name(), "import"), confirm=request.form.get("confirm") == "1",
                            **_options(request.form))
    return redirect(url_for("pages.imports_page", lang=current_lang(), done=summary.result.change_id), code=303)


@pages_bp.post("/imports/<change_id>/undo")
@require("import")
def import_undo(change_id: str):
    undo_change(current_store(), change_id, Actor(current_actor_name(), "web"))
    return redirect(url_for("pages.imports_page", lang=current_lang(), undone=change_id), code=303)
