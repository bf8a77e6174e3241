"""The refusals' messages, (vi, en): where a refusal is, and the reasons of the value parsers,
the feature edits and the imports. The clearance records' reasons are in
:mod:`mapapp.refusals.catalog_clearance`, reading a source file's in :mod:`mapapp.refusals.catalog_import`;
:data:`CATALOG` holds them all.

Each English template formats to exactly the text the refusal always had; both languages use
the same placeholders (checked by the tests). Land terms follow the Land Law 2024.
"""
from __future__ import annotations

from mapapp.refusals.catalog_clearance import CLEARANCE
from mapapp.refusals.catalog_import import IMPORTS

WHERE: dict[str, tuple[str, str]] = {
    "where.layer": ("lớp {layer}", "layer {layer}"),
    "where.feature": ("đối tượng {code}", "feature {code}"),
    "where.feature_number": ("đối tượng thứ {number}", "feature {number}"),
    "where.feature_number_code": ("đối tượng thứ {number} (mã {code})", "feature {number} (code {code})"),
    "where.field": ("trường {field}", "field {field}"),
    "where.field_label": ("trường {label} ({field})", "field {label} ({field})"),
}

VALUES: dict[str, tuple[str, str]] = {
    "value.object": ("{value} là một đối tượng (object), không phải một giá trị đơn", "{value} is an object, not a single value"),
    "value.list": ("{value} là một danh sách, không phải một giá trị đơn", "{value} is a list, not a single value"),
    "value.not_number": ("{value} không phải là số", "{value} is not a number"),
    "value.not_finite": ("{value} không phải là số hữu hạn (không nhận NaN và Infinity)",
                         "{value} is not a finite number (NaN and Infinity are refused)"),
    "value.not_vi_number": ("{value} không phải là số viết theo kiểu Việt Nam (1.234,5)",
                            "{value} is not a number written the Vietnamese way (1.234,5)"),
    "value.not_plain_number": (
        ("{value} không phải là số viết thường: hãy viết 1234.5 (dấu chấm thập phân, không phân cách hàng nghìn), "
         "hoặc khai báo số kiểu Việt Nam (--number-format vi) để viết 1.234,5"),
        ("{value} is not a plain number: write 1234.5 (dot decimal, no grouping), "
         "or declare Vietnamese numbers (--number-format vi) for 1.234,5")),
    "value.not_whole": ("{value} không phải là số nguyên", "{value} is not a whole number"),
    "value.int_too_big": ("{number} vượt quá số nguyên lớn nhất lưu được ({max})",
                          "{number} is beyond the largest whole number stored ({max:,})"),
    "value.not_code": ("{value} không phải là mã", "{value} is not a code"),
    "value.bool_not_text": ("{value} là giá trị đúng/sai, không phải văn bản", "{value} is a true/false value, not text"),
    "value.not_text": ("{value} không phải là văn bản", "{value} is not text"),
    "value.nul": ("văn bản chứa ký tự NUL", "text holds a NUL character"),
    "value.too_long": ("văn bản dài {length} ký tự, vượt quá {max} ký tự cho phép",
                       "text of {length:,} characters is longer than the {max:,} allowed"),
    "value.nat": ("không phải là ngày", "not a date"),
    "value.not_date": ("{value} không phải là ngày (hãy viết YYYY-MM-DD)", "{value} is not a date (YYYY-MM-DD)"),
    "value.date_range": ("{day} nằm ngoài khoảng hợp lý từ {min} đến {max}", "{day} is outside the plausible range {min} to {max}"),
    "value.invalid_dmy": ("{value} không phải là ngày có thật (dd/mm/yyyy)", "{value} is not a valid date (dd/mm/yyyy)"),
    "value.invalid_date": ("{value} không phải là ngày có thật", "{value} is not a valid date"),
    "value.invalid_timestamp": ("{value} không phải là thời điểm hợp lệ", "{value} is not a valid timestamp"),
    "value.dmy_undeclared": ("{value} không phải là ngày dạng YYYY-MM-DD; hãy khai báo ngày dạng dd/mm/yyyy (--date-format dmy) để đọc",
                             "{value} is not a date YYYY-MM-DD; declare dd/mm/yyyy dates (--date-format dmy) to read it"),
    "value.not_choice": ("{value} không thuộc các giá trị cho phép: {choices}", "{value} is not one of {choices}"),
    "value.float_too_big": ("{number:g} vượt quá giá trị lớn nhất lưu được ({max:g})", "{number:g} is beyond the largest value stored ({max:g})"),
    "value.below_min": ("{number:g} nhỏ hơn giá trị tối thiểu {min:g}", "{number:g} is below the minimum {min:g}"),
    "value.above_max": ("{number:g} lớn hơn giá trị tối đa {max:g}", "{number:g} is above the maximum {max:g}"),
    "value.required_empty": ("giá trị bắt buộc đang để trống", "required value is empty"),
    "value.required": ("cần nhập giá trị", "a value is required"),
    "value.date_required": ("cần nhập ngày (YYYY-MM-DD)", "a date is required (YYYY-MM-DD)"),
    "value.negative": ("{number:g} là số âm", "{number:g} is negative"),
    "curve.not_point": ("{part} không có dạng NGÀY:PHẦN TRĂM (hãy viết YYYY-MM-DD:phần trăm;YYYY-MM-DD:phần trăm;…)",
                        "{part} is not DATE:PERCENT (write YYYY-MM-DD:percent;YYYY-MM-DD:percent;…)"),
    "curve.percent": ("{part}: phần trăm phải từ 0 đến 100", "{part}: the percent must be from 0 to 100"),
    "curve.order": ("{part}: ngày phải tăng dần và phần trăm không được giảm", "{part}: dates must increase and percents must not decrease"),
    "curve.empty": ("đường tiến độ kế hoạch trống", "an empty planned curve"),
}

CHANGES: dict[str, tuple[str, str]] = {
    "change.unknown_attribute": ("không có thuộc tính này (các thuộc tính: {names})", "unknown attribute (attributes: {names})"),
    "change.not_geojson": ("không phải là hình học GeoJSON ({detail})", "not a GeoJSON geometry ({detail})"),
    "change.nothing": ("không có gì để thay đổi", "nothing to change"),
    "change.same_twice": ("cùng một đối tượng hai lần trong một lần thay đổi", "the same feature twice in one change"),
    "change.zone_in_use": ("khu {zone} sẽ bị ngừng sử dụng nhưng đối tượng này vẫn nằm trong khu; hãy chuyển hoặc ngừng sử dụng đối tượng này trước",
                           "zone {zone} would be retired, but this feature still lies in it; move or retire it first"),
    "change.code_fixed": ("không thể đổi mã; hãy thêm đối tượng với mã mới và ngừng sử dụng đối tượng này",
                          "a code cannot be changed; add the feature under its new code and retire this one"),
    "change.unknown_zone": ("khu {zone} không tồn tại (hãy nhập khu trước)", "zone {zone} does not exist (import the zone first)"),
    "change.start_after_end": ("ngày khởi công kế hoạch {start} sau ngày hoàn thành kế hoạch {end}",
                               "planned start {start} is after planned end {end}"),
    "change.date_outside": ("{value} nằm ngoài khoảng từ {min} đến {max}", "{value} is outside {min} to {max}"),
    "change.status_derived": ("tình trạng được suy ra từ các bước đã ghi nhận: hãy ghi nhận bước làm thay đổi tình trạng",
                              "the status is derived from the recorded steps: record the step that changes it"),
    "change.not_revertible": ("không thể hoàn tác thay đổi số {entry} ({action})", "change #{entry} ({action}) cannot be reverted"),
    "conflict.changed": ("{where}: đã được thay đổi{who}{when} sau khi bạn mở (nay là phiên bản {version}); hãy tải lại rồi thực hiện lại thay đổi",
                         "{where}: changed{who}{when} since you opened it (now version {version}); reload it and apply your change again"),
    "conflict.who": (" bởi {name}", " by {name}"),
    "conflict.when": (" lúc {at}", " at {at}"),
    "import.missing_attribute": ("tệp thiếu thuộc tính bắt buộc (các thuộc tính có trong tệp: {found})",
                                 "required attribute missing from the file (attributes found: {found})"),
    "import.unknown_zone": ("khu {zone} không tồn tại; hãy nhập các khu trước", "zone {zone} does not exist; import the zones first"),
    "import.duplicate_code": ("mã bị trùng, đã dùng cho đối tượng thứ {other}", "duplicate code, also used by feature {other}"),
    "geometry.missing": ("đối tượng không có hình học", "the feature has no geometry"),
    "geometry.type": ("không nhận hình học {type} ở đây (cần {expected})", "{type} is not allowed here (expected {expected})"),
    "file.missing": ("không có tệp {path}", "file {path} does not exist"),
    "file.empty": ("tệp {name} trống", "{name} is empty"),
    "file.table_not_geodata": ("{name} không có cột hình học; đây là bảng, không phải dữ liệu không gian",
                               "{name} has no geometry column; it is a table, not geodata"),
    "file.no_features": ("{name} không có đối tượng nào", "{name} holds no features"),
    "file.not_utf8": ("{name} không phải văn bản UTF-8; hãy chọn bảng mã (--encoding) là một trong: {choices}",
                      "{name} is not UTF-8 text; pass --encoding with one of {choices}"),
    "file.not_csv": ("{name} không phải là bảng CSV ({detail})", "{name} is not a CSV table ({detail})"),
    "file.not_excel": ("{name} không phải là sổ tính Excel ({detail})", "{name} is not an Excel workbook ({detail})"),
    "file.no_rows": ("{name} không có dòng dữ liệu nào", "{name} holds no rows"),
    "file.not_geodata": ("{name} không phải là tệp dữ liệu không gian mà GDAL đọc được ({detail})",
                         "{name} is not a geodata file GDAL can read ({detail})"),
    "file.no_layers": ("{name} không có lớp dữ liệu nào", "{name} holds no layers"),
    "file.unreadable": ("không đọc được {name} như dữ liệu không gian ({detail})", "{name} could not be read as geodata ({detail})"),
    "geometry.invalid": ("hình học không hợp lệ ({detail}); hãy sửa lại, ví dụ bằng công cụ 'Fix geometries' của QGIS",
                         "invalid geometry ({detail}); repair it, e.g. with QGIS 'Fix geometries'"),
}

REQUESTS: dict[str, tuple[str, str]] = {
    "request.if_match_required": ("cần có If-Match: hãy tải lại đối tượng (GET) rồi gửi ETag của nó trong If-Match",
                                  "If-Match is required: GET the feature, then send its ETag in If-Match"),
    "request.if_match_unknown": ("If-Match {header!r} không phải là ETag của đối tượng này; hãy tải lại đối tượng (GET)",
                                 "If-Match {header!r} is not an ETag of this feature; GET it again"),
    "request.not_json_type": ("nội dung gửi lên không phải JSON (Content-Type phải là application/json): hãy gửi một đối tượng JSON, ví dụ {example}",
                              "the body is not JSON (Content-Type must be application/json): send a JSON object, e.g. {example}"),
    "request.invalid_json": ("nội dung gửi lên không phải JSON hợp lệ: hãy gửi một đối tượng JSON, ví dụ {example}",
                             "the body is not valid JSON: send a JSON object, e.g. {example}"),
    "request.not_object": ("hãy gửi một đối tượng JSON, ví dụ {example}", "send a JSON object, e.g. {example}"),
    "request.confirm_bool": ("giá trị confirm phải là true hoặc false", "confirm must be true or false"),
    "change.lower_than": ("{where}: {new} thấp hơn số {old} đã ghi nhận (đây là điều chỉnh lại?)",
                          "{where}: {new} is lower than the {old} recorded (a correction?)"),
    "change.confirm": ("cần xác nhận để lưu: {warnings}", "confirm to save: {warnings}"),
}

#: What a reader or a writer asked for and is not there (404): the name as written, and what to ask instead.
NOT_FOUND: dict[str, tuple[str, str]] = {
    "notfound.feature": ("Không có đối tượng {code} trong lớp {layer}", "no feature {code} in layer {layer}"),
    "notfound.parcel": ("Không có thửa đất {code} trong lớp Giải phóng mặt bằng", "no parcel {code} in layer clearance"),
    "notfound.layer": ("Không có lớp {name}; các lớp là: {names}", "unknown layer {name}; layers are: {names}"),
    "notfound.layer_only": ("Không có lớp {name}", "unknown layer {name}"),
    "notfound.collection": ("Không có bộ sưu tập (collection) {name}; các bộ sưu tập là: {names}",
                            "unknown collection {name}; collections are: {names}"),
    "notfound.collection_feature": ("Không có đối tượng {code} trong bộ sưu tập {collection}",
                                    "no feature {code} in collection {collection}"),
    "notfound.entry": ("Không có thay đổi số {entry} trong nhật ký thay đổi", "no change #{entry} in the audit log"),
    "notfound.change": ("Không có thay đổi {change} trong nhật ký thay đổi (lệnh mapapp history cho biết mã các thay đổi)",
                        "no change {change} in the audit log (mapapp history shows the change ids)"),
    "notfound.directive_item": ("Không có mục {item} trong chỉ đạo", "no directive item {item}"),
    "notfound.blocker": ("Không có vướng mắc {code}", "no blocker {code}"),
    "notfound.subject": ("Không có khu, cụm công nghiệp hay công trình {subject}", "no zone or project {subject}"),
    "notfound.project": ("Không có công trình mã {code}", "no project with code {code}"),
    "notfound.tile_layer": ("Không có ô bản đồ (tile) cho lớp {name}; các lớp có ô bản đồ: {names}",
                            "no tiles for layer {name}; tiled layers: {names}"),
    "notfound.tile": ("Ô bản đồ {z}/{x}/{y} nằm ngoài lưới (mức thu phóng 0–{max_zoom}, x và y từ 0 đến 2^z−1)",
                      "tile {z}/{x}/{y} is outside the grid (zoom 0–{max_zoom}, x and y 0–2^z−1)"),
}

CATALOG: dict[str, tuple[str, str]] = {**WHERE, **VALUES, **CHANGES, **REQUESTS, **NOT_FOUND, **CLEARANCE, **IMPORTS}
