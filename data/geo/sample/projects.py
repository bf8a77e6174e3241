"""The seven works of item 10: schedules, budgets and progress reports (illustrative)."""
from __future__ import annotations

from .common import AS_OF, BQL, CLEARANCE_LEADER, vnd

PROJECT_PLANS = {
    # code: status, start, end, budget (VND), responsible, reports [(date, %, note)]
    # As of AS_OF: SH-ROAD, TPT-R1, TPT-R3 on track; SH-WWTP and CDP-3B late;
    # TPT-R6 done four months early; TPT-R4 on track at its last report but stale.
    "PRJ-SH-ROAD": ("in_progress", "2017-07-01", "2019-06-30", 120e9, BQL, [
        ("2017-10-05", 12, "Hoàn thành san lấp, đắp nền đoạn đầu tuyến."),
        ("2018-01-10", 25, "Thi công móng cấp phối đá dăm đoạn 1."),
        ("2018-05-15", 45, "Trải nhựa đoạn 1; đang thi công cống ngang đường."),
        ("2018-09-20", 62, "Thi công nền, móng đoạn 2; đúng tiến độ."),
        ("2018-12-14", 73, "Hoàn thành lớp móng đoạn 2; chuẩn bị thảm bê tông nhựa."),
    ]),
    "PRJ-SH-WWTP": ("in_progress", "2017-01-02", "2018-06-30", 95e9, BQL, [
        ("2017-04-12", 10, "Khởi công, đào hố móng bể điều hòa."),
        ("2017-09-08", 24, "Thi công bể lắng, bể hiếu khí; chậm do mưa kéo dài."),
        ("2018-01-16", 38, "Nhà thầu thiếu nhân lực; đã nhắc nhở tiến độ."),
        ("2018-06-25", 55, "Lắp đặt thiết bị đợt 1; trễ so với kế hoạch hoàn thành."),
        ("2018-09-24", 63, "Lắp đặt đường ống thu gom; chờ thiết bị nhập khẩu."),
        ("2018-12-17", 70, "Lắp đặt thiết bị đợt 2; dự kiến chạy thử quý II/2019."),
    ]),
    "PRJ-CDP-3B": ("in_progress", "2017-06-01", "2018-10-31", 35e9, CLEARANCE_LEADER, [
        ("2017-09-11", 9, "Khởi công đoạn đầu tuyến đợt 2."),
        ("2018-01-22", 16, "Vướng mặt bằng cuối tuyến (hộ dân khiếu nại)."),
        ("2018-06-18", 28, "Thi công được phần đã bàn giao mặt bằng."),
        ("2018-10-15", 36, "Còn vướng 01 thửa đang tranh chấp; chậm tiến độ."),
        ("2018-12-17", 40, "Chờ giải quyết khiếu nại để thi công đoạn cuối."),
    ]),
    "PRJ-TPT-R1": ("in_progress", "2018-03-01", "2019-12-31", 60e9, CLEARANCE_LEADER, [
        ("2018-04-16", 5, "Khởi công, san lấp mặt bằng đoạn 1."),
        ("2018-07-09", 16, "Thi công cống hộp đoạn 1."),
        ("2018-10-08", 30, "Thi công nền đường đoạn 1; đoạn cuối đang thương lượng bồi thường."),
        ("2018-12-20", 43, "Thi công móng đoạn 2; đúng tiến độ."),
    ]),
    "PRJ-TPT-R3": ("in_progress", "2018-03-01", "2019-03-31", 18e9, BQL, [
        ("2018-05-14", 12, "Cào bóc mặt đường cũ."),
        ("2018-08-20", 35, "Gia cố móng, nâng cao độ."),
        ("2018-10-22", 55, "Thảm bê tông nhựa đoạn 1."),
        ("2018-12-24", 76, "Thảm bê tông nhựa đoạn 2; đúng tiến độ."),
    ]),
    "PRJ-TPT-R4": ("in_progress", "2018-04-01", "2019-12-31", 15e9, BQL, [
        ("2018-05-14", 8, "Khảo sát hiện trạng, lập phương án tổ chức giao thông."),
        ("2018-07-02", 20, "Cào bóc mặt đường cũ đoạn đầu."),
        ("2018-09-10", 40, "Gia cố móng đoạn 1."),
    ]),
    "PRJ-TPT-R6": ("completed", "2017-09-01", "2018-12-31", 25e9, BQL, [
        ("2017-11-13", 20, "Thi công nền đường."),
        ("2018-02-12", 45, "Thi công móng, cống thoát nước dọc."),
        ("2018-05-14", 75, "Thảm bê tông nhựa."),
        ("2018-08-20", 100, "Hoàn thành sớm hơn kế hoạch hơn 4 tháng."),
    ]),
}
REPORTERS = ["Ban QLDA – Ban Quản lý các KCN tỉnh", "Tư vấn giám sát", "Nhà thầu thi công"]


def assign_projects(projects, rng) -> list[tuple]:
    rows = []
    for p in sorted(projects, key=lambda p: p["code"]):
        status, start, end, budget, resp, reports = PROJECT_PLANS[p["code"]]
        p.update(status=status, planned_start=start, planned_end=end, budget_vnd=float(budget),
                 responsible=resp, progress_pct=float(reports[-1][1]), directive=10)
        length = p["length_m"]
        if reports[-1][0] > AS_OF.isoformat():
            raise AssertionError(f"{p['code']}: report after AS_OF")
        last_disbursed = 0.0
        for i, (d, pct, note) in enumerate(reports):
            disbursed = max(last_disbursed, vnd(budget * min(1.0, pct / 100.0 * rng.uniform(0.85, 1.05))))
            if pct == 100:
                disbursed = vnd(budget * 0.97)
            last_disbursed = disbursed
            reached = "" if p["kind"] != "road" else str(int(length * pct / 100.0))
            rows.append((p["code"], d, pct, int(disbursed), note, REPORTERS[i % len(REPORTERS)],
                         reached))
    return rows
