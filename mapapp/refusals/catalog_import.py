"""The refusals' messages of reading a source file, (vi, en): coordinate systems and positions, geometries GEOS
cannot build, tables, GDAL layers, CAD drawings, shapefiles and their DBF, column mappings, joins by code,
``--repair`` and the zone references an import leaves. English templates format to exactly the text these
refusals always had; the options (``--crs``, ``--encoding``…) keep their names, as the command line spells them.
"""
from __future__ import annotations

CRS: dict[str, tuple[str, str]] = {
    "crs.unknown": ("--crs {value!r} không phải là hệ tọa độ mà pyproj nhận biết được (hãy thử EPSG:5897, VN-2000 hoặc VN-2000/TM3-105.5)",
                    "--crs {value!r} is not a coordinate reference system pyproj knows (try EPSG:5897, VN-2000 or VN-2000/TM3-105.5)"),
    "crs.not_meridian": ("{value!r} không phải là kinh tuyến trục (hãy viết 105.5, 105-30 hoặc 105°30')",
                         "{value!r} is not a central meridian (write 105.5, 105-30 or 105°30')"),
    "crs.not_stated": (
        ("{name} không ghi hệ tọa độ{said}; hãy chọn hệ tọa độ bằng --crs (ví dụ --crs VN-2000 cho VN-2000 / TM-3 105°00', "
         "VN-2000/TM3-105.5, EPSG:4326 cho tọa độ tính bằng độ)"),
        ("{name} does not say its coordinate system{said}; pass --crs "
         "(e.g. --crs VN-2000 for VN-2000 / TM-3 105°00', VN-2000/TM3-105.5, EPSG:4326 for degrees)")),
    "crs.could_be": (" (có thể là một trong các hệ: {names})", " (it could be any of {names})"),
    "position.not_degrees": ("tọa độ không phải là độ ({count} trên {total} đối tượng bị như vậy); nguyên nhân có thể: {cause}",
                             "its coordinates are not degrees ({count} of {total} features do); likely cause: {cause}"),
    "position.outside": ("đối tượng nằm ngoài địa bàn tỉnh ({count} trên {total} đối tượng bị như vậy); nguyên nhân có thể: {cause}",
                         "it lies outside the province ({count} of {total} features do); likely cause: {cause}"),
    "position.not_fit": ("tọa độ không khớp với hệ {system}; hãy kiểm tra hệ tọa độ của tệp (--crs)",
                         "the coordinates do not fit {system}; check the file's coordinate system (--crs)"),
    "position.as_file_says": ("{name}, theo khai báo của tệp", "{name}, as the file says"),
    "cause.swapped_latlon": ("vĩ độ và kinh độ bị đảo chỗ (cột x đang chứa vĩ độ): hãy đổi chỗ hai cột trong tệp nguồn",
                             "latitude and longitude are swapped (x holds the latitude): swap the columns in the source"),
    "cause.swapped_en": ("tọa độ X (hướng đông) và Y (hướng bắc) bị đảo chỗ (cột x đang chứa tọa độ hướng bắc): hãy đổi chỗ hai cột trong tệp nguồn",
                         "easting and northing are swapped (x holds the northing): swap the columns in the source"),
    "cause.metres_not_degrees": ("tọa độ tính bằng mét, không phải độ: chúng khớp với VN-2000 / TM-3 {labels}; hãy chọn --crs {names}{which}",
                                 "the coordinates are metres, not degrees: they fit VN-2000 / TM-3 {labels}; pass --crs {names}{which}"),
    "cause.other_meridian": ("tệp dùng kinh tuyến trục VN-2000 khác: với TM-3 {labels} đối tượng nằm trong tỉnh; hãy chọn --crs {names}{which}",
                             "the file is in another VN-2000 meridian: with TM-3 {labels} it lies in the province; pass --crs {names}{which}"),
    "cause.which_survey": (", là hệ mà đơn vị đo đạc đã dùng", ", the one the survey used"),
    "cause.degrees_not_metres": ("tọa độ tính bằng độ, không phải mét: hãy chọn --crs EPSG:4326",
                                 "the coordinates are degrees, not metres: pass --crs EPSG:4326"),
    "cause.degrees_swapped": ("tọa độ tính bằng độ, không phải mét, và vĩ độ với kinh độ bị đảo chỗ",
                              "the coordinates are degrees, not metres, with latitude and longitude swapped"),
}

READING: dict[str, tuple[str, str]] = {
    "geos.ring_not_closed": ("một vòng của đa giác không khép kín (điểm đầu và điểm cuối khác nhau)",
                             "a polygon ring is not closed (its first and last points differ)"),
    "geos.too_few_points": ("một đường hoặc một vòng có quá ít điểm", "a line or ring has too few points"),
    "geos.ring_under_4": ("một vòng của đa giác có ít hơn 4 điểm", "a polygon ring has fewer than 4 points"),
    "geos.cannot_build": ("không dựng được hình học ({detail})", "the geometry cannot be built ({detail})"),
    "table.not_wkt": ("cột {column} không phải là WKT ({detail})", "column {column} is not WKT ({detail})"),
    "table.not_coordinate": ("{name}: dòng {row}, cột {column}: {value!r} không phải là tọa độ (hãy dùng dấu chấm thập phân)",
                             "{name}: row {row}, column {column}: {value!r} is not a coordinate (dot decimals)"),
    "layers.no_such": ("{name} không có lớp {wanted!r}; các lớp trong tệp: {names}", "{name} has no layer {wanted!r}; its layers are: {names}"),
    "layers.several": ("{name} có nhiều lớp ({names}); hãy chọn một lớp bằng --source-layer",
                       "{name} has several layers ({names}); choose one with --source-layer"),
    "cad.no_closed": ("{name} không có hình khép kín nào", "{name} holds no closed shapes"),
    "encoding.unknown": ("bảng mã {name!r} không xác định: hãy chọn một trong: {choices}", "unknown encoding {name!r}: choose one of {choices}"),
    "shp.no_encoding": (
        ("{name}: bảng thuộc tính có chữ ngoài ASCII nhưng không có tệp .cpg cho biết bảng mã; hãy chọn bảng mã (--encoding) "
         "là một trong: {choices} (TCVN3 là các phông ABC .Vn, VNI là các phông VNI-)"),
        ("{name}: the attribute table holds non-ASCII text and no .cpg says its encoding; "
         "pass --encoding with one of {choices} (TCVN3 is the ABC .Vn fonts, VNI the VNI- fonts)")),
    "shp.unreadable": ("không đọc được {name} như một shapefile ({detail})", "{name} could not be read as a shapefile ({detail})"),
    "shp.bad_text": ("{name}: {detail}; hãy chọn bảng mã (--encoding) là một trong: {choices}",
                     "{name}: {detail}; pass --encoding with one of {choices}"),
    "shp.count_mismatch": ("{name}: có {shapes} hình nhưng {records} bản ghi thuộc tính", "{name}: {shapes} shapes but {records} attribute records"),
    "shp.several": ("{name} chứa nhiều shapefile ({members}); mỗi tệp zip chỉ chứa một lớp", "{name} holds several shapefiles ({members}); zip one layer per file"),
    "shp.mixed_crs": ("{name}: các shapefile trong tệp dùng những hệ tọa độ khác nhau", "{name}: its shapefiles are in different coordinate systems"),
    "dbf.not_dbase": ("{name} không phải là bảng dBASE", "{name} is not a dBASE table"),
    "dbf.widths": ("{name}: tổng độ rộng các trường ({width} byte) không bằng độ dài bản ghi ({length})",
                   "{name}: field widths ({width} bytes) do not add up to the record length ({length})"),
    "dbf.text_encoding": ("chữ của trường {field} không phải bảng mã {encoding} ({why} ở {value!r})",
                          "the text of field {field} is not {encoding} ({why} in {value!r})"),
    "dbf.not_number": ("bản ghi {record}, trường {field}: {value!r} không phải là số", "record {record}, field {field}: {value!r} is not a number"),
    "dbf.name_encoding": ("một tên trường ({name!r}) không phải bảng mã {encoding}", "a field name ({name!r}) is not {encoding}"),
}

MAPPING: dict[str, tuple[str, str]] = {
    "map.not_pair": ("--map {pair!r} không có dạng trường=cột", "--map {pair!r} is not field=column"),
    "map.bad_name": ("tên cách ghép cột {name!r}: chỉ dùng chữ cái, chữ số, '-', '_' hoặc '.'", "mapping name {name!r}: use letters, digits, '-', '_' or '.'"),
    "map.no_saved": ("chưa lưu cách ghép cột nào tên {name!r} (đã lưu: {known})", "no saved mapping {name!r} (saved: {known})"),
    "map.not_object": ("cách ghép cột đã lưu {name!r} ({path}) không phải là một đối tượng dạng trường: cột",
                       "saved mapping {name!r} ({path}) is not an object of field: column"),
    "map.not_field": ("--map {field}={column}: {field} không phải là trường của lớp {layer} ({fields})",
                      "--map {field}={column}: {field} is not a field of layer {layer} ({fields})"),
    "map.no_column": ("--map {field}={column}: tệp không có cột {column!r} (các cột: {columns})",
                      "--map {field}={column}: the file has no column {column!r} (columns: {columns})"),
    "map.both_columns": ("hai cột {first!r} và {second!r} đều sẽ thành trường {target}; hãy chỉ rõ cột nào bằng --map {target}=CỘT hoặc đổi tên một cột",
                         "columns {first!r} and {second!r} would both become field {target}; say which with --map {target}=COLUMN or rename one"),
    "map.same_lower": ("hai cột {first!r} và {second!r} thành cùng một thuộc tính {base!r} khi viết chữ thường; hãy đổi tên một cột",
                       "columns {first!r} and {second!r} are one attribute {base!r} once in lower case; rename one"),
    "import.table_needs_code": ("bảng không có hình học phải có cột mã để ghép với các đối tượng đã lưu",
                                "a table without geometry must have a code column to join it to the stored features"),
    "import.no_stored_code": ("không có đối tượng nào của lớp {layer} đã lưu với mã này; bảng không có hình học chỉ bổ sung cho các đối tượng đã nhập",
                              "no stored {layer} feature has this code; a table without geometry only adds to features already imported"),
    "repair.moves_area": (
        ("hình học không hợp lệ ({detail}); nếu tự sửa, diện tích sẽ đổi từ {before} m² thành {after} m² "
         "({shown}, quá 1%): hãy sửa thủ công"),
        ("invalid geometry ({detail}); repairing it would change its area from {before} m² to "
         "{after} m² ({shown}, more than 1 %): fix it by hand")),
    "import.zone_missing_keep": ("khu {zone!r} không tồn tại (hãy nhập khu đó trước, hoặc giữ lại khu)",
                                 "zone {zone!r} does not exist (import the zone first, or keep it)"),
}

UPLOADS: dict[str, tuple[str, str]] = {
    "upload.unknown": ("không rõ tệp tải lên này; hãy tải tệp lên lại", "unknown upload; upload the file again"),
    "upload.gone": ("tệp tải lên này không còn nữa (đã được nhập rồi?); hãy tải tệp lên lại",
                    "this upload is no longer here (applied already?); upload the file again"),
}

IMPORTS: dict[str, tuple[str, str]] = {**CRS, **READING, **MAPPING, **UPLOADS}
