"""Labels of the available-land page, Vietnamese first."""
from __future__ import annotations

from mapapp.i18n import register

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.land": ("Đất sẵn sàng cho thuê", "Available land"),
    "land.lead": (
        "{lots} lô đất còn trống, tổng {ha} ha, trong {zones} khu, cụm công nghiệp — sẵn sàng giao cho nhà đầu tư.",
        "Ready for investors now — free lots: {lots}; area: {ha} ha; zones and clusters: {zones}.",
    ),
    "land.lead_filtered": (
        "Theo bộ lọc: {lots} lô, tổng {ha} ha.",
        "Matching the filters — lots: {lots}; area: {ha} ha.",
    ),
    "land.filter.zone": ("Khu, cụm công nghiệp", "Zone"),
    "land.filter.land_use": ("Mục đích sử dụng", "Land use"),
    "land.filter.min_area": ("Diện tích tối thiểu (ha)", "Minimum area (ha)"),
    "land.filter.max_price": ("Giá thuê tối đa (USD/m², cả thời hạn)", "Maximum price (USD/m², whole term)"),
    "land.filter.all": ("Tất cả", "All"),
    "land.filter.apply": ("Lọc", "Filter"),
    "land.filter.reset": ("Bỏ lọc", "Clear filters"),
    "land.csv": ("Tải CSV", "Download CSV"),
    "land.ignored": ("Đã bỏ qua bộ lọc “{label}”: {reason}", "Filter “{label}” ignored: {reason}"),
    "land.reason.not_number": ("“{value}” không phải là số.", "“{value}” is not a number."),
    "land.reason.negative": ("“{value}” nhỏ hơn 0.", "“{value}” is below 0."),
    "land.reason.unknown_zone": ("không có khu mã “{value}”.", "there is no zone with code “{value}”."),
    "land.reason.unknown_land_use": ("không có mục đích sử dụng “{value}”.", "there is no land use “{value}”."),
    "land.zones_title": ("Các khu còn đất trống", "Zones with free land"),
    "land.card.available": ("Đất còn trống / đất cho thuê", "Free / leasable land"),
    "land.card.price_range": ("Giá chào thuê (USD/m², cả thời hạn thuê)", "Asking price (USD/m² for the whole term)"),
    "land.card.lots": ("Số lô còn trống", "Free lots"),
    "land.card.matching": ("{lots} lô theo bộ lọc", "matching the filters: {lots}"),
    "land.lots_title": ("Các lô còn trống", "Free lots"),
    "land.col.total": ("Tổng tiền thuê ước tính (cả thời hạn)", "Indicative total lease price (whole term)"),
    "land.col.total_help": (
        "Diện tích (m²) × giá thuê (USD/m², trả cho cả thời hạn thuê), chỉ để tham khảo.",
        "Area (m²) × price (USD/m², paid for the whole lease term), for reference only.",
    ),
    "land.col.area": ("Diện tích (ha)", "Area (ha)"),
    "land.price_on_request": ("Liên hệ", "On request"),
    "land.none": ("Không có lô nào còn trống theo bộ lọc này.", "No free lots match these filters."),
    "land.reserved": (
        "Ngoài ra có {lots} lô ({ha} ha) đã đăng ký giữ chỗ nên không được liệt kê; việc giữ chỗ có thể hết hiệu lực nên các lô này có thể trống trở lại — hãy liên hệ Ban Quản lý.",
        "Reserved lots not listed here: {lots} ({ha} ha). Reservations can lapse, so these may free up — ask the management board.",
    ),
    "land.source": (
        "Diện tích đo trên hệ tọa độ VN-2000 / TM-3 kinh tuyến trục 105°00′; giá thuê theo số liệu Ban Quản lý các KCN cung cấp. Không tính đất cây xanh, hạ tầng kỹ thuật.",
        "Areas measured in VN-2000 / TM-3 105°00′; prices as filed by the board of management. Green space and utility land are not counted.",
    ),
    "land.as_of": ("Tình trạng ngày {date}.", "State as of {date}."),
    "land.sample": (
        "Đây là dữ liệu mẫu: các con số chỉ để minh họa, không phải giá chào thuê thật.",
        "This is sample data: the figures are illustrative, not real asking prices.",
    ),
    "land.price_unit": (
        "Giá thuê tính bằng USD cho mỗi m² và cho cả thời hạn thuê (không phải mỗi năm), như Ban Quản lý công bố.",
        "Lease prices are in USD per m² for the whole lease term (not per year), as the board publishes them.",
    ),
    "land.col.issues": ("Vướng mắc", "Problems"),
    "land.issues_none": ("Không", "None"),
    "land.show_all": ("Xem tất cả các lô này trên bản đồ", "Show all these lots on the map"),
    "land.million": ("triệu USD", "million USD"),
    "land.billion": ("tỷ USD", "billion USD"),
}

register(MESSAGES)
