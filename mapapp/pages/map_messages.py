"""Labels of the map page, its controls (Leaflet's own included), the print view and the error pages."""
from __future__ import annotations

from mapapp.i18n import register

MESSAGES: dict[str, tuple[str, str]] = {
    # date control
    "date.data_end": ("Dữ liệu đến", "Data up to"),
    "date.follows": ("Theo ngày: công trình và giải phóng mặt bằng.", "Follow the date: works and land clearance."),
    "date.fixed": ("Không đổi theo ngày: lô đất, xung đột quy hoạch (tình trạng hiện tại).",
                   "Do not change with the date: lots and planning conflicts (current state)."),
    "date.future": ("Không xem được ngày trong tương lai: hôm nay là {today}.", "Dates after today ({today}) cannot be shown."),
    "date.too_early": ("Dữ liệu bắt đầu từ {start}.", "The data starts on {start}."),
    "date.invalid": ("Ngày không hợp lệ.", "Not a valid date."),
    # Leaflet's own controls
    "leaflet.zoom_in": ("Phóng to", "Zoom in"),
    "leaflet.zoom_out": ("Thu nhỏ", "Zoom out"),
    "ui.close": ("Đóng", "Close"),
    "ui.not_on_map": ("Không có trên bản đồ", "Not found on the map"),
    "ui.not_found": ("Không tìm thấy", "Not found"),
    "ui.print": ("In bản đồ", "Print map"),
    "ui.print_sheet": ("In phiếu", "Print sheet"),
    "ui.sample": ("Dữ liệu mẫu", "Sample data"),
    "show.missing": ("{n} đối tượng không có trên bản đồ", "{n} features are not on the map"),
    # measuring tool (leaflet-measure is built in English only)
    "measure.measure": ("Đo", "Measure"),
    "measure.title": ("Đo khoảng cách và diện tích", "Measure distances and areas"),
    "measure.create": ("Bắt đầu đo mới", "Create a new measurement"),
    "measure.start": ("Bấm lên bản đồ để thêm các điểm đo", "Start creating a measurement by adding points to the map"),
    "measure.finish": ("Kết thúc đo", "Finish measurement"),
    "measure.last_point": ("Điểm cuối", "Last point"),
    "measure.area": ("Diện tích", "Area"),
    "measure.perimeter": ("chu vi", "perimeter"),
    "measure.point": ("Vị trí điểm", "Point location"),
    "measure.area_measurement": ("Đo diện tích", "Area measurement"),
    "measure.linear_measurement": ("Đo chiều dài", "Linear measurement"),
    "measure.path": ("Chiều dài", "Path distance"),
    "measure.center_area": ("Xem vùng này", "Center on this area"),
    "measure.center_line": ("Xem đường này", "Center on this line"),
    "measure.center_point": ("Xem điểm này", "Center on this location"),
    "measure.cancel": ("Hủy", "Cancel"),
    "measure.delete": ("Xóa", "Delete"),
    "measure.meters": ("mét", "metres"),
    "measure.kilometers": ("km", "km"),
    "measure.hectares": ("ha", "ha"),
    "measure.sqmeters": ("m²", "m²"),
    # lots: what is wrong with them
    "lot.issues": ("Vấn đề của lô", "Problems with this lot"),
    "lot.issues_none": ("Không có xung đột, không vướng mặt bằng.", "No conflicts, no uncleared land."),
    "lot.issue.conflict": ("{type}: {amount} (với {others})", "{type}: {amount} (with {others})"),
    "lot.issue.uncleared": ("Thửa {code} chưa bàn giao ({status}): {amount}", "Parcel {code} not cleared ({status}): {amount}"),
    # print view
    "print.title": ("Bản đồ in", "Printed map"),
    "print.button": ("In / lưu PDF", "Print / save as PDF"),
    "print.back": ("← Về bản đồ", "← Back to the map"),
    "print.north": ("Hướng Bắc", "North"),
    "print.date": ("Tình trạng ngày", "State as of"),
    "print.printed": ("In ngày", "Printed on"),
    "print.source": ("Nguồn dữ liệu", "Data source"),
    "print.source_sample": ("Dữ liệu mẫu của mapapp (data/geo, minh họa)", "mapapp sample data (data/geo, illustrative)"),
    "print.source_db": ("Cơ sở dữ liệu của Ban quản lý các KCN", "The industrial-zone board's database"),
    "print.scale": ("Thước tỷ lệ", "Scale bar"),
    "print.attributes": ("Thông tin", "Attributes"),
    "boundaries.level.province": ("Tỉnh", "Province"),
    "boundaries.level.district": ("Huyện, thị xã, thành phố", "District, town or city"),
    # error pages
    "error.404.title": ("Không tìm thấy trang", "Page not found"),
    "error.404.text": ("Địa chỉ này không có trong bản đồ các khu công nghiệp.", "This address is not part of the industrial zones map."),
    "error.404.back": ("Về bản đồ", "Back to the map"),
}

register(MESSAGES)
