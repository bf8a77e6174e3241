"""Vietnamese first, English second: every label the UI shows, in both languages."""
from __future__ import annotations

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

# key: (vi, en)
MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("Bản đồ các khu, cụm công nghiệp tỉnh Hậu Giang", "Hậu Giang industrial zones map"),
    "app.short": ("KCN Hậu Giang", "Hậu Giang IZ"),
    "nav.map": ("Bản đồ", "Map"),
    "nav.conflicts": ("Xung đột quy hoạch", "Planning conflicts"),
    "nav.dashboard": ("Tiến độ dự án", "Project progress"),
    "nav.directives": ("Chỉ đạo (TB 19)", "Directives (notice 19)"),
    "nav.api": ("API", "API"),
    "lang.switch": ("English", "Tiếng Việt"),
    # layers
    "layer.boundaries": ("Ranh giới hành chính", "Administrative boundaries"),
    "layer.zones": ("Khu, cụm công nghiệp", "Industrial zones and clusters"),
    "layer.lots": ("Lô đất", "Lots"),
    "layer.clearance": ("Giải phóng mặt bằng", "Land clearance"),
    "layer.projects": ("Công trình (đường, trạm XLNT)", "Works (roads, wastewater plant)"),
    "layer.conflicts": ("Xung đột quy hoạch", "Planning conflicts"),
    # basemaps
    "basemap.osm": ("Bản đồ nền OpenStreetMap", "OpenStreetMap"),
    "basemap.light": ("Nền xám nhạt (Esri)", "Light grey (Esri)"),
    "basemap.imagery": ("Ảnh vệ tinh (Esri)", "Satellite imagery (Esri)"),
    "basemap.plain": ("Nền trơn (không cần mạng)", "Plain background (offline)"),
    # fields
    "field.code": ("Mã", "Code"),
    "field.name": ("Tên", "Name"),
    "field.kind": ("Loại", "Kind"),
    "field.status": ("Tình trạng", "Status"),
    "field.district": ("Huyện, thị", "District"),
    "field.planned_area_ha": ("Diện tích quy hoạch", "Planned area"),
    "field.area": ("Diện tích", "Area"),
    "field.length": ("Chiều dài", "Length"),
    "field.occupancy": ("Tỷ lệ lấp đầy", "Occupancy"),
    "field.lots": ("Số lô", "Lots"),
    "field.available_ha": ("Đất còn trống", "Available land"),
    "field.developer": ("Chủ đầu tư hạ tầng", "Infrastructure developer"),
    "field.zone_code": ("Thuộc khu", "Zone"),
    "field.land_use": ("Mục đích sử dụng", "Land use"),
    "field.tenant": ("Doanh nghiệp thuê", "Tenant"),
    "field.price_usd_m2": ("Giá thuê (USD/m², cả thời hạn thuê)", "Lease price (USD/m² for the whole term)"),
    "field.owner": ("Chủ sử dụng đất", "Landholder"),
    "field.compensation_vnd": ("Tiền bồi thường", "Compensation"),
    "field.paid_vnd": ("Đã chi trả", "Paid"),
    "field.households": ("Số hộ", "Households"),
    "field.planned_start": ("Khởi công (kế hoạch)", "Planned start"),
    "field.planned_end": ("Hoàn thành (kế hoạch)", "Planned end"),
    "field.progress_pct": ("Tiến độ", "Progress"),
    "field.responsible": ("Phụ trách", "Responsible"),
    "field.schedule": ("Kế hoạch", "Schedule"),
    "field.conflicts": ("Xung đột", "Conflicts"),
    "field.severity": ("Mức độ", "Severity"),
    "field.type": ("Loại xung đột", "Conflict type"),
    "field.description": ("Mô tả", "Description"),
    "field.budget_vnd": ("Tổng mức đầu tư", "Budget"),
    # the other stored attributes, named where a client lists them (OGC queryables)
    "field.name_en": ("Tên tiếng Anh", "English name"),
    "field.allowed_land_uses": ("Mục đích sử dụng đất được phép", "Allowed land uses"),
    "field.level": ("Cấp hành chính", "Administrative level"),
    "field.source": ("Nguồn dữ liệu", "Source"),
    "field.directive": ("Mục chỉ đạo (TB 19)", "Directive item (notice 19)"),
    "field.area_m2": ("Diện tích (m²)", "Area (m²)"),
    "field.area_ha": ("Diện tích (ha)", "Area (ha)"),
    "field.length_m": ("Chiều dài (m)", "Length (m)"),
    "ui.as_of": ("Tình trạng ngày", "State as of"),
    "field.blocked_by": ("Vướng mặt bằng", "Held up by parcels"),
    "field.days_late": ("Số ngày chậm", "Days late"),
    "ui.fullscreen": ("Toàn màn hình", "Full screen"),
    "ui.fullscreen_exit": ("Thoát toàn màn hình", "Exit full screen"),
    "ui.remaining": ("Phần đường còn lại", "Part still to build"),
    "ui.grid": ("VN-2000 / TM-3 105°00′", "VN-2000 / TM-3 105°00′"),
    "ui.legend_hint": ("Bấm vào một mục để ẩn/hiện", "Click an entry to hide or show it"),
    "ui.zoom_in": ("Phóng to để xem", "Zoom in to see"),
    "ui.tiles_offline": (
        "Không tải được bản đồ nền (không có Internet?): đã chuyển sang nền trơn. Chọn lại bản đồ nền ở góc phải khi có mạng.",
        "The base map could not load (no internet?): switched to the plain background. Pick a base map again, top right, once online.",
    ),
    "ui.layers": ("Lớp bản đồ", "Map layers"),
    "ui.search": ("Tìm theo mã hoặc tên…", "Search by code or name…"),
    "ui.search_none": ("Không tìm thấy", "Nothing found"),
    "ui.legend": ("Chú giải", "Legend"),
    "ui.loading": ("Đang tải", "Loading"),
    "ui.load_failed": ("Không tải được lớp", "Could not load layer"),
    "ui.retry": ("Tải lại trang để thử lại.", "Reload the page to try again."),
    "ui.details": ("Chi tiết", "Details"),
    "ui.show_on_map": ("Xem trên bản đồ", "Show on map"),
    "ui.none": ("Không có", "None"),
    "ui.sample_notice": (
        "Dữ liệu mẫu minh họa (hình học gần đúng) — tình trạng ngày {date}. Nạp dữ liệu đo đạc bằng lệnh mapapp import.",
        "Illustrative sample data (approximate geometry) — state as of {date}. Load surveyed data with mapapp import.",
    ),
    "conflicts.lead": ("{total} xung đột quy hoạch được phát hiện bằng phân tích không gian", "{total} planning conflicts found by spatial analysis"),
    "conflicts.computed_at": ("tính lại lúc", "recomputed at"),
    "conflicts.all": ("Tất cả", "All"),
    "conflicts.filter": ("Lọc", "Filter"),
    "conflicts.csv": ("Tải CSV", "Download CSV"),
    "conflicts.features": ("Đối tượng liên quan", "Features involved"),
    "conflicts.amount": ("Diện tích / chiều dài", "Area / length"),
    "conflicts.none": ("Không có xung đột nào theo bộ lọc này.", "No conflicts match these filters."),
    "conflicts.shown_of": ("trong số {total} xung đột khớp bộ lọc", "of {total} conflicts match the filters"),
    "conflicts.shown_all": ("xung đột được liệt kê", "conflicts listed"),
    "ui.show_all_on_map": ("Xem tất cả trên bản đồ", "Show all on map"),
    # enums
    "zones.kind.industrial_zone": ("Khu công nghiệp", "Industrial zone"),
    "zones.kind.industrial_cluster": ("Cụm công nghiệp", "Industrial cluster"),
    "zones.status.operating": ("Đang hoạt động", "Operating"),
    "zones.status.under_construction": ("Đang xây dựng hạ tầng", "Under construction"),
    "zones.status.proposed": ("Đề xuất bổ sung quy hoạch", "Proposed"),
    "lots.status.leased": ("Đã cho thuê", "Leased"),
    "lots.status.available": ("Còn trống", "Available"),
    "lots.status.reserved": ("Đã đăng ký giữ chỗ", "Reserved"),
    "lots.land_use.factory": ("Nhà máy", "Factory"),
    "lots.land_use.warehouse": ("Kho bãi", "Warehouse"),
    "lots.land_use.logistics": ("Logistics", "Logistics"),
    "lots.land_use.utility": ("Hạ tầng kỹ thuật", "Utility"),
    "lots.land_use.green": ("Cây xanh", "Green space"),
    "lots.land_use.commercial": ("Thương mại, dịch vụ", "Commercial"),
    "lots.land_use.housing": ("Nhà ở", "Housing"),
    "clearance.status.not_started": ("Chưa thực hiện", "Not started"),
    "clearance.status.negotiating": ("Đang thỏa thuận", "Negotiating"),
    "clearance.status.compensated": ("Đã bồi thường", "Compensated"),
    "clearance.status.cleared": ("Đã bàn giao mặt bằng", "Cleared"),
    "clearance.status.disputed": ("Đang khiếu nại, vướng mắc", "Disputed"),
    "projects.kind.road": ("Đường giao thông", "Road"),
    "projects.kind.wastewater_plant": ("Trạm xử lý nước thải", "Wastewater plant"),
    "projects.kind.other": ("Công trình khác", "Other works"),
    "projects.status.planned": ("Chuẩn bị đầu tư", "Planned"),
    "projects.status.in_progress": ("Đang thi công", "In progress"),
    "projects.status.suspended": ("Tạm dừng", "Suspended"),
    "projects.status.completed": ("Hoàn thành", "Completed"),
    "schedule.on_track": ("Đúng tiến độ", "On track"),
    "schedule.at_risk": ("Có nguy cơ chậm", "At risk"),
    "schedule.late": ("Chậm tiến độ", "Late"),
    "schedule.done": ("Hoàn thành", "Done"),
    "schedule.not_started": ("Chưa khởi công", "Not started"),
    "schedule.no_report": ("Chưa có báo cáo", "No report"),
    "schedule.stale": ("Báo cáo đã cũ", "Report out of date"),
    "severity.high": ("Cao", "High"),
    "severity.medium": ("Trung bình", "Medium"),
    "severity.low": ("Thấp", "Low"),
    "conflict.lot_overlap": ("Lô đất chồng lấn nhau", "Lots overlap"),
    "conflict.lot_on_uncleared_land": ("Lô đất trên đất chưa GPMB", "Lot on uncleared land"),
    "conflict.outside_zone": ("Vượt ra ngoài ranh khu", "Outside its zone"),
    "conflict.project_on_uncleared_land": ("Công trình qua đất chưa GPMB", "Works on uncleared land"),
    "conflict.land_use_mismatch": ("Sai mục đích sử dụng đất", "Land use does not fit the plan"),
    "conflict.zone_overlap": ("Ranh các khu chồng lấn", "Zones overlap"),
    "conflict.lot_in_proposed_zone": ("Cho thuê trong khu chưa được duyệt", "Lot leased in a zone not yet approved"),
    "conflict.project_through_lot": ("Công trình cắt qua lô đã cho thuê", "Works cross a leased lot"),
}


def register(messages: dict[str, tuple[str, str]]) -> None:
    """Add a page module's own labels (vi, en); a key defined twice is a bug, so it fails loudly."""
    clash = set(messages) & set(MESSAGES)
    if clash:
        raise ValueError(f"labels defined twice: {', '.join(sorted(clash))}")
    MESSAGES.update(messages)


def current_lang() -> str:
    """``?lang=`` wins, then the cookie the page set, then Vietnamese."""
    from flask import request  # only a request has a language: the command line, which reads LANGS, loads no Flask

    lang = request.args.get("lang") or request.cookies.get("lang") or DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


def translate(key: str, lang: str | None = None, **values: object) -> str:
    """The label for ``key``; an unknown key shows itself, so a gap is visible, not blank."""
    pair = MESSAGES.get(key)
    text = key if pair is None else pair[LANGS.index(lang or current_lang())]
    return text.format(**values) if values else text


def catalogue(lang: str) -> dict[str, str]:
    """All labels in one language, for the browser."""
    index = LANGS.index(lang)
    return {key: pair[index] for key, pair in MESSAGES.items()}


def number(value: float, digits: int = 1, lang: str | None = None) -> str:
    """A number as the reader writes it: 20.000,5 in Vietnamese, 20,000.5 in English."""
    text = f"{value:,.{digits}f}"
    if (lang or current_lang()) == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
