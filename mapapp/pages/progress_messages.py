"""Labels of the progress pages (dashboard, project page, directives), Vietnamese first."""
from __future__ import annotations

from mapapp.i18n import register

MESSAGES: dict[str, tuple[str, str]] = {
    # dashboard
    "progress.dashboard.title": ("Tiến độ các dự án, công trình", "Progress of projects and works"),
    "progress.dashboard.lead": (
        "Tất cả dự án, sắp xếp theo mức chậm so với kế hoạch (chậm nhất lên đầu). "
        "Dự án chưa có báo cáo được xếp như chưa thực hiện được phần nào.",
        "All projects, sorted by how far they are behind plan (worst first). "
        "A project with no report ranks as if nothing had been done.",
    ),
    "progress.apply": ("Xem", "Show"),
    "progress.col.planned_actual": ("Thực hiện / kế hoạch", "Actual / planned"),
    "progress.col.slip": ("Chậm (điểm %)", "Slip (points)"),
    "progress.col.slip_help": (
        "Phần trăm kế hoạch trừ phần trăm thực hiện; số dương là chậm.",
        "Planned percent minus actual percent; positive means behind.",
    ),
    "progress.col.last_report": ("Báo cáo gần nhất", "Last report"),
    "progress.col.links": ("Xem", "Open"),
    "progress.project_page": ("Chi tiết dự án", "Project page"),
    "progress.zone_totals": ("Tổng hợp theo khu", "Totals by zone"),
    "progress.col.zone": ("Khu, cụm công nghiệp", "Zone"),
    "progress.col.projects": ("Số dự án", "Projects"),
    "progress.col.mean_progress": ("Tiến độ bình quân (thực hiện / kế hoạch)", "Mean progress (actual / planned)"),
    "progress.col.late_count": ("Số dự án chậm", "Late"),
    "progress.col.at_risk_count": ("Có nguy cơ chậm", "At risk"),
    "progress.mean_note": ("Dự án chưa có báo cáo tính 0 %.", "Projects without a report count as 0 %."),
    "progress.no_zone": ("(ngoài khu)", "(no zone)"),
    "progress.no_projects": ("Chưa có dự án nào.", "No projects yet."),
    "progress.clearance.title": ("Tiến độ giải phóng mặt bằng theo khu", "Land clearance by zone"),
    "progress.clearance.note": (
        "Tính tại ngày đang xem, theo lịch sử từng thửa. Diện tích đã bàn giao: thửa ở trạng thái "
        "“đã bàn giao mặt bằng”; hộ đã bồi thường: thửa đã bồi thường hoặc đã bàn giao.",
        "At the date shown, from each parcel's history. Area cleared: parcels handed over; "
        "households compensated: parcels compensated or handed over.",
    ),
    "progress.col.parcels": ("Số thửa", "Parcels"),
    "progress.col.area_cleared": ("Diện tích đã bàn giao / tổng", "Area cleared / total"),
    "progress.col.households": ("Hộ đã bồi thường / tổng số hộ", "Households compensated / total"),
    "progress.col.paid": ("Đã chi trả / tổng tiền bồi thường", "Paid / total compensation"),
    "progress.clearance.over_time": ("Giải phóng mặt bằng theo thời gian", "Land clearance over time"),
    "progress.clearance.share_chart": (
        "Tỷ lệ diện tích đã bàn giao mặt bằng theo khu",
        "Share of parcel area cleared, by zone",
    ),
    "progress.clearance.paid_chart": ("Tiền bồi thường đã chi trả lũy kế theo khu", "Compensation paid to date, by zone"),
    "progress.clearance.share_axis": ("Diện tích đã bàn giao (%)", "Area cleared (%)"),
    "progress.clearance.paid_axis": ("Đã chi trả (tỷ đồng)", "Paid (bn VND)"),
    "progress.clearance.paid_unit": ("tỷ đồng", "bn VND"),
    "progress.clearance.timeline_note": (
        "Số liệu cuối mỗi tháng, từ sự kiện giải phóng mặt bằng đầu tiên; điểm cuối cùng là ngày đang xem, "
        "trùng với bảng trên.",
        "Values at each month end from the first clearance event; the last point is the date shown, "
        "as in the table above.",
    ),
    "progress.clearance.no_history": (
        "Chưa có diễn biến giải phóng mặt bằng nào đến ngày đang xem.",
        "No land-clearance history up to the date shown.",
    ),
    "progress.no_parcels": ("Chưa có thửa đất giải phóng mặt bằng nào.", "No land-clearance parcels yet."),
    "progress.days": ("ngày", "days"),
    "progress.bad_date": (
        "Ngày “{value}” không hợp lệ; đang hiển thị ngày {date}.",
        "“{value}” is not a valid date; showing {date}.",
    ),
    # project page
    "progress.back": ("← Bảng tiến độ", "← Progress dashboard"),
    "progress.baseline": ("Kế hoạch gốc", "Baseline"),
    "progress.state": ("Tình trạng tiến độ", "Schedule state"),
    "progress.forecast_end": ("Dự kiến hoàn thành (theo nhịp độ hiện tại)", "Forecast end (at the current pace)"),
    "progress.planned_pct": ("Kế hoạch đến ngày đang xem", "Planned by the date shown"),
    "progress.actual_pct": ("Thực hiện (báo cáo gần nhất)", "Actual (latest report)"),
    "progress.reports": ("Các báo cáo tiến độ", "Progress reports"),
    "progress.reports_note": (
        "Mọi báo cáo đều được lưu lại; báo cáo mới không ghi đè báo cáo cũ.",
        "Every report is kept; a new report never overwrites an earlier one.",
    ),
    "progress.col.date": ("Ngày", "Date"),
    "progress.col.percent": ("Tiến độ", "Percent"),
    "progress.col.disbursed": ("Giải ngân lũy kế", "Disbursed to date"),
    "progress.col.reached": ("Đã thi công đến", "Reached"),
    "progress.col.note": ("Ghi chú", "Note"),
    "progress.col.reported_by": ("Người báo cáo", "Reported by"),
    "progress.no_reports": ("Chưa có báo cáo nào.", "No reports yet."),
    "progress.after_at": ("sau ngày đang xem", "after the date shown"),
    "progress.s_curve": ("Đường cong tiến độ: kế hoạch và thực hiện", "S-curve: planned against actual"),
    "progress.planned": ("Kế hoạch", "Planned"),
    "progress.actual": ("Thực hiện", "Actual"),
    "progress.at_line": ("Ngày đang xem", "Date shown"),
    "progress.no_baseline": (
        "Dự án chưa có ngày khởi công và hoàn thành theo kế hoạch nên chưa vẽ được đường cong.",
        "The project has no planned start and end dates, so there is no curve to draw.",
    ),
    "progress.blocking": ("Thửa đất chưa giải phóng mặt bằng cản trở dự án", "Uncleared parcels blocking the project"),
    "progress.col.parcel": ("Thửa", "Parcel"),
    "progress.col.on_parcel": ("Đoạn qua thửa", "On the parcel"),
    "progress.no_blocking": ("Không có thửa đất chưa giải phóng mặt bằng nào cản trở dự án.", "No uncleared parcel blocks the project."),
    "progress.form.title": ("Nhập báo cáo tiến độ mới", "File a new progress report"),
    "progress.form.percent": ("Tiến độ (%)", "Percent complete"),
    "progress.form.date": ("Ngày báo cáo", "Report date"),
    "progress.form.disbursed": ("Giải ngân lũy kế (đồng)", "Disbursed to date (VND)"),
    "progress.form.reached": ("Đã thi công đến (m, tính từ đầu tuyến)", "Reached (m from the start of the road)"),
    "progress.form.reported_by": ("Người báo cáo", "Reported by"),
    "progress.form.note": ("Ghi chú (bắt buộc khi tiến độ giảm)", "Note (required when progress goes down)"),
    "progress.form.submit": ("Lưu báo cáo", "Save report"),
    "progress.reported": ("Đã lưu báo cáo tiến độ.", "Progress report stored."),
    "progress.refused": ("Báo cáo chưa được lưu:", "Report not stored:"),
    "progress.not_found.title": ("Không tìm thấy dự án", "Project not found"),
    "progress.not_found.text": ("Không có dự án nào có mã “{code}”.", "There is no project with code “{code}”."),
    # directives
    "progress.directives.title": ("Chỉ đạo tại Thông báo số 19/TB-VP.UBND", "Directives of notice 19/TB-VP.UBND"),
    "progress.directives.lead": (
        "Các nội dung chỉ đạo của Thông báo số 19/TB-VP.UBND ngày 05/02/2018: đơn vị thực hiện, "
        "tình trạng và các đối tượng liên quan trên bản đồ.",
        "The items of notice 19/TB-VP.UBND of 5 February 2018: who carries them out, their status "
        "and the features they concern on the map.",
    ),
    "progress.col.item": ("Mục", "Item"),
    "progress.col.directive": ("Nội dung chỉ đạo", "Directive"),
    "progress.col.unit": ("Đơn vị thực hiện", "Responsible"),
    "progress.col.on_map": ("Trên bản đồ", "On the map"),
    "progress.directives.none": ("Chưa có dữ liệu chỉ đạo.", "No directives loaded."),
    "directive.status.not_started": ("Chưa thực hiện", "Not started"),
    "directive.status.in_progress": ("Đang thực hiện", "In progress"),
    "directive.status.ongoing": ("Thực hiện thường xuyên", "Ongoing"),
    "directive.status.done": ("Đã hoàn thành", "Done"),
    "directive.status.overdue": ("Quá hạn", "Overdue"),
    "progress.clearance.lead": ("Lãnh đạo Ban trực tiếp theo dõi giải phóng mặt bằng", "Board leader following land clearance"),
    "progress.clearance.lead_item": ("mục 11, Thông báo 19/TB-VP.UBND", "item 11, notice 19/TB-VP.UBND"),
}

register(MESSAGES)
