"""HTML renderings of the OGC resources (``f=html`` or a browser's ``Accept``), Vietnamese first, English with ``?lang=en``.

Templates live in ``templates/ogc/``; every value is escaped by Jinja, GeoJSON is
embedded with ``tojson`` (safe inside ``<script>``). The map uses the Leaflet that
mapapp serves itself (``/vendor/…``, installed from package.json): it works offline.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, render_template, request

from mapapp.i18n import current_lang, register, translate

LEAFLET_JS = "/vendor/leaflet/dist/leaflet.js"
LEAFLET_CSS = "/vendor/leaflet/dist/leaflet.css"

register(
    {
        "nav.ogc": ("Dữ liệu GIS (OGC)", "GIS data (OGC)"),
        "ogc.title": ("Dịch vụ dữ liệu OGC API – Features", "OGC API – Features data service"),
        "ogc.intro": (
            "Các lớp bản đồ dưới dạng dịch vụ chuẩn OGC: mở trong QGIS (Lớp ▸ Thêm lớp ▸ WFS / OGC API – Features), GDAL hoặc OWSLib với địa chỉ này.",
            "The map's layers as a standard OGC service: open them in QGIS (Layer ▸ Add Layer ▸ WFS / OGC API – Features), GDAL or OWSLib with this address.",
        ),
        "ogc.collections": ("Các lớp dữ liệu", "Collections"),
        "ogc.conformance": ("Các chuẩn tuân thủ", "Conformance classes"),
        "ogc.api": ("Mô tả API (OpenAPI 3.0)", "API definition (OpenAPI 3.0)"),
        "ogc.items": ("Các đối tượng", "Features"),
        "ogc.queryables": ("Thuộc tính lọc được", "Queryables"),
        "ogc.json": ("Dạng JSON", "As JSON"),
        "ogc.matched": ("{returned} / {matched} đối tượng", "{returned} of {matched} features"),
        "ogc.next": ("Trang sau", "Next page"),
        "ogc.prev": ("Trang trước", "Previous page"),
        "ogc.extent": ("Phạm vi (WGS 84)", "Extent (WGS 84)"),
        "ogc.crs": ("Hệ tọa độ hỗ trợ", "Coordinate systems"),
        "ogc.geometry": ("Kiểu hình học", "Geometry"),
        "ogc.property": ("Thuộc tính", "Property"),
        "ogc.value": ("Giá trị", "Value"),
        "ogc.type": ("Kiểu", "Type"),
        "ogc.home": ("Trang dịch vụ", "Service home"),
        "ogc.map": ("Về bản đồ", "Back to the map"),
        "ogc.paths": ("Đường dẫn", "Paths"),
    }
)


def _lang_switch() -> str:
    other = "en" if current_lang() == "vi" else "vi"
    return "?" + urlencode({**request.args.to_dict(), "lang": other})


def render(template: str, **values: Any) -> Response:
    """``templates/ogc/<template>`` in the viewer's language, as ``text/html``."""
    lang = current_lang()
    body = render_template(
        f"ogc/{template}",
        lang=lang,
        t=lambda key, **kw: translate(key, lang, **kw),
        lang_switch=_lang_switch(),
        leaflet_js=LEAFLET_JS,
        leaflet_css=LEAFLET_CSS,
        **values,
    )
    return Response(body, mimetype="text/html")
