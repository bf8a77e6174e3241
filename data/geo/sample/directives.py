"""The twelve items of notice 19/TB-VP.UBND (5 Feb 2018), linked to the features they concern."""
from __future__ import annotations

from .common import BQL, CLEARANCE_LEADER

def directives(lots_conf, zones_conf, disputed, uncleared, project_codes) -> list[dict]:
    L = lambda layer, codes: [{"layer": layer, "code": c} for c in codes]  # noqa: E731
    items = [
        (1, "Bảo đảm nguyên tắc tập trung dân chủ, đoàn kết, thống nhất nội bộ; nêu cao trách "
            "nhiệm trong lãnh đạo, điều hành công việc được giao.",
         "Uphold democratic centralism, unity and responsibility inside the board when "
         "directing and carrying out assigned work.", BQL, "ongoing", []),
        (2, "Lập kế hoạch đào tạo, quy hoạch cán bộ Phó Trưởng ban để bổ sung khi các Phó "
            "Trưởng ban hiện hữu nghỉ hưu; điều động, luân chuyển cán bộ phù hợp vị trí việc làm.",
         "Plan the training and succession of deputy heads to replace those retiring; rotate "
         "staff to fit job positions and qualifications.", f"{BQL}; Sở Nội vụ", "in_progress",
         []),
        (3, "Phối hợp Trung tâm Hành chính công cải cách, đơn giản hóa thủ tục hành chính liên "
            "quan doanh nghiệp; đề xuất tiếp tục nhận hồ sơ tại bộ phận một cửa của Ban, liên "
            "thông với Trung tâm Hành chính công tỉnh.",
         "With the Public Administration Centre, simplify procedures for businesses; propose "
         "that the board keep receiving files at its one-stop desk, linked to the provincial "
         "Public Administration Centre.",
         f"{BQL}; Trung tâm Hành chính công tỉnh; Văn phòng UBND tỉnh", "in_progress", []),
        (4, "Tăng cường kêu gọi, thu hút đầu tư vào các khu, cụm công nghiệp.",
         "Step up investment promotion for the industrial zones and clusters.", BQL, "ongoing",
         []),
        (5, "Tiếp tục tăng cường, phát huy mối quan hệ gắn bó giữa doanh nghiệp với Ban Quản lý "
            "các KCN tỉnh và địa phương.",
         "Keep strengthening the ties between businesses, the board and local authorities.",
         f"{BQL}; UBND các huyện", "ongoing", []),
        (6, "Thường xuyên rà soát, tổng hợp các kết luận, chỉ đạo của Thường trực Tỉnh ủy, UBND "
            "tỉnh giao cho Ban để khẩn trương triển khai thực hiện.",
         "Regularly review the conclusions and instructions of the provincial Party Standing "
         "Committee and People's Committee assigned to the board, and act on them promptly.",
         BQL, "ongoing", []),
        (7, "Phối hợp Công an tỉnh bảo đảm an ninh trật tự khu vực; nắm sát tình hình lao động "
            "người nước ngoài trong các khu, cụm công nghiệp.",
         "Work with the provincial police on public order; keep close track of foreign workers "
         "in the zones and clusters.", f"{BQL}; Công an tỉnh", "ongoing", []),
        (8, "Phối hợp Sở Xây dựng, Sở Tài nguyên và Môi trường tăng cường quản lý quy hoạch xây "
            "dựng, quy hoạch sử dụng đất, thiết kế cơ sở trong các khu, cụm công nghiệp để tránh "
            "tranh chấp giữa doanh nghiệp với doanh nghiệp, giữa doanh nghiệp với người dân.",
         "With the Departments of Construction and of Natural Resources and Environment, "
         "tighten the management of construction and land-use plans and basic designs in the "
         "zones and clusters, to avoid disputes between businesses and between businesses and "
         "residents.", f"{BQL}; Sở Xây dựng; Sở Tài nguyên và Môi trường", "in_progress",
         L("zones", zones_conf) + L("lots", lots_conf)),
        (9, "Theo dõi, đôn đốc các nội dung trình xin ý kiến Bộ, ngành Trung ương: Đề án bổ sung "
            "KCN Đông Phú (huyện Châu Thành) vào Quy hoạch tổng thể phát triển các KCN Việt Nam; "
            "tạm ứng ngân quỹ Nhà nước 100 tỷ đồng để giải phóng mặt bằng tại các khu, cụm công "
            "nghiệp tập trung nhằm thu hút nhà đầu tư.",
         "Follow up the matters submitted to central ministries: adding Dong Phu IZ (Chau "
         "Thanh district) to Vietnam's IZ master plan, and a 100 billion VND state-treasury "
         "advance for land clearance in the concentrated zones and clusters to attract "
         "investors.", f"{BQL}; các sở, ngành liên quan", "in_progress",
         L("zones", ["KCN-DP"]) + L("clearance", disputed)),
        (10, "Đẩy nhanh tiến độ các dự án do Ban quản lý trong năm 2018: đường giao thông KCN "
             "Sông Hậu; đường số 3B – đợt 2 Cụm CNTT Đông Phú; đường số 1, phần còn lại đường số "
             "6, nâng cấp, cải tạo đường số 3, đường số 4 KCN Tân Phú Thạnh; đặc biệt sớm hoàn "
             "thành, đưa vào hoạt động Trạm xử lý nước thải KCN Sông Hậu đúng quy định.",
         "Speed up the board's projects in 2018: the Song Hau IZ road; road 3B phase 2 of Dong "
         "Phu cluster; road 1, the rest of road 6 and the upgrade of roads 3 and 4 of Tan Phu "
         "Thanh IZ; above all, finish the Song Hau IZ wastewater treatment plant and put it "
         "into operation as required.", BQL, "in_progress", L("projects", project_codes)),
        (11, "Xây dựng kế hoạch giải quyết vướng mắc trong giải phóng mặt bằng và xử lý dứt điểm "
             "vướng mắc của doanh nghiệp, nêu cụ thể công việc, thời gian thực hiện và hoàn "
             "thành; phân công 01 lãnh đạo Ban trực tiếp theo dõi chi tiết tiến độ.",
         "Draw up a plan to resolve land-clearance problems and settle businesses' problems for "
         "good, with tasks and start and finish dates; assign one leader of the board to follow "
         "its progress in detail.", f"{BQL} – {CLEARANCE_LEADER}", "in_progress",
         L("clearance", uncleared)),
        (12, "Nghiên cứu, đề xuất UBND tỉnh điều chỉnh, bổ sung Quy chế phối hợp quản lý KCN "
             "ban hành theo Quyết định số 50/2016/QĐ-UBND ngày 29/12/2016.",
         "Study and propose amendments to the coordination rules for managing industrial "
         "zones (Decision 50/2016/QĐ-UBND of 29 Dec 2016) to the provincial People's "
         "Committee.", f"{BQL}; các sở, ngành, địa phương liên quan", "not_started", []),
    ]
    return [dict(item=i, text_vi=vi, text_en=en, responsible=r, status=s, links=links)
            for i, vi, en, r, s, links in items]
