"""Which source column becomes which field: explicit ``--map``, saved mappings, Vietnamese and shapefile names.

Order of precedence for each field of a layer:

1. ``--map field=column`` (and a saved mapping, ``--mapping NAME``, which holds such pairs);
2. a column of the field's own name (compared after NFC, trimming, lower case);
3. the field's name cut to 10 characters, as a shapefile's DBF keeps it
   (``price_usd_`` → ``price_usd_m2``, ``planned_st`` → ``planned_start``; mapapp's own
   Shapefile export writes exactly these, :func:`short_names`);
4. a common Vietnamese column name (``ma_lo``, ``ten_dn``, ``trang_thai``…; compared
   without accents, so ``Mã lô`` and ``ma_lo`` are one).

Every other column is kept as an extra attribute under its lower-case name; none is
ever dropped: one named ``geometry`` (or like a field already taken) is kept as
``<name>_src``. Two columns that would become one field are refused, naming both.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from mapapp.errors import ImportRefused
from mapapp.layers import Layer
from mapapp.refusals import Both, Reason

SHAPEFILE_NAME_LENGTH = 10
# The zip member beside a shapefile listing ``short<TAB>long`` field names, one per line (writers write it, readers read it).
FIELD_NAMES_MEMBER = "fieldnames.txt"

# Vietnamese column names in common use, by layer and field (compared folded: no accents, '_' for spaces).
_COMMON: dict[str, tuple[str, ...]] = {
    "code": ("ma", "ma_so", "ma_hieu"),
    "name": ("ten",),
    "status": ("trang_thai", "tinh_trang"),
    "district": ("huyen", "quan_huyen"),
}
VIETNAMESE: dict[str, dict[str, tuple[str, ...]]] = {
    "boundaries": {"code": ("ma_dvhc", "ma_hc"), "name": ("ten_dvhc",), "level": ("cap", "cap_hanh_chinh"), "source": ("nguon",)},
    "zones": {
        "code": ("ma_khu", "ma_kcn", "ma_ccn"), "name": ("ten_khu", "ten_kcn", "ten_ccn"), "name_en": ("ten_tieng_anh", "ten_en"),
        "kind": ("loai", "loai_hinh", "loai_khu"), "planned_area_ha": ("dien_tich", "dien_tich_ha", "dt_quy_hoach"),
        "allowed_land_uses": ("muc_dich_cho_phep",), "developer": ("chu_dau_tu", "nha_dau_tu_ha_tang"),
    },
    "lots": {
        "code": ("ma_lo", "so_lo", "lo"), "zone_code": ("ma_khu", "ma_kcn", "ma_ccn", "thuoc_khu"),
        "land_use": ("muc_dich", "muc_dich_su_dung", "loai_dat"), "tenant": ("ten_dn", "doanh_nghiep", "nha_dau_tu", "ten_doanh_nghiep"),
        "price_usd_m2": ("gia_thue", "don_gia", "gia_usd_m2"),
    },
    "clearance": {
        "code": ("ma_thua", "so_thua", "thua"), "zone_code": ("ma_khu", "ma_kcn", "ma_ccn", "thuoc_khu"),
        "owner": ("chu_su_dung", "chu_sd", "chu_ho", "ho_ten"), "compensation_vnd": ("tien_boi_thuong", "boi_thuong"),
        "paid_vnd": ("da_chi_tra", "da_tra", "tien_da_tra"), "households": ("so_ho", "so_ho_dan"),
    },
    "projects": {
        "code": ("ma_du_an", "ma_cong_trinh", "ma_da"), "name": ("ten_du_an", "ten_cong_trinh"), "name_en": ("ten_tieng_anh", "ten_en"),
        "kind": ("loai", "loai_cong_trinh"), "zone_code": ("ma_khu", "ma_kcn", "ma_ccn", "thuoc_khu"),
        "planned_start": ("ngay_bat_dau", "bat_dau", "khoi_cong"), "planned_end": ("ngay_ket_thuc", "ket_thuc", "ngay_hoan_thanh"),
        "progress_pct": ("tien_do", "phan_tram", "tien_do_pct"), "responsible": ("don_vi_thuc_hien", "phu_trach", "don_vi"),
        "budget_vnd": ("tong_von", "kinh_phi", "von"), "directive": ("chi_dao", "muc_chi_dao"),
    },
}


def fold(name: str) -> str:
    """A column name compared loosely: NFC, lower case, no accents, ``đ`` as ``d``, runs of blanks and dashes as ``_``."""
    text = unicodedata.normalize("NFD", str(name).strip().lower().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", "_", text)


def plain(name: str) -> str:
    """The name an extra attribute is kept under: NFC, trimmed, lower case."""
    return unicodedata.normalize("NFC", str(name).strip()).lower()


def short_names(spec: Layer) -> dict[str, str]:
    """Field → its shapefile name: the first 10 characters (unique within every layer; checked by a test)."""
    return {f.name: f.name[:SHAPEFILE_NAME_LENGTH] for f in spec.fields}


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """``["field=column", …]`` from ``--map`` as a dict; ``ImportRefused`` for a malformed pair."""
    out: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise ImportRefused(Reason("map.not_pair", pair=pair))
        out[field.strip()] = unicodedata.normalize("NFC", column.strip())
    return out


_MAPPING_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def _mapping_path(folder: Path, name: str) -> Path:
    if not _MAPPING_NAME.fullmatch(name) or name.endswith(".json"):
        raise ImportRefused(Reason("map.bad_name", name=name))
    return folder / f"{name}.json"


def save_mapping(folder: Path, name: str, pairs: Mapping[str, str]) -> Path:
    """Keep ``pairs`` (field → column) as ``<folder>/<name>.json`` for ``--mapping NAME``."""
    path = _mapping_path(folder, name)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(pairs), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def load_mapping(folder: Path, name: str) -> dict[str, str]:
    """A mapping saved by :func:`save_mapping`; ``ImportRefused`` naming the saved ones when it does not exist."""
    path = _mapping_path(folder, name)
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []
        raise ImportRefused(Reason("map.no_saved", name=name, known=", ".join(known) or Both("chưa có", "none")))
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ImportRefused(Reason("map.not_object", name=name, path=path))
    return data


def plan(spec: Layer, columns: list[str], explicit: Mapping[str, str] | None = None) -> list[str]:
    """The name each source column gets (same order as ``columns``), or ``ImportRefused`` naming the clash.

    ``columns`` are the source's attribute names (the geometry not among them).
    """
    explicit = dict(explicit or {})
    fields = spec.field_names
    for field, column in explicit.items():
        if field not in fields:
            raise ImportRefused(Reason("map.not_field", field=field, column=column, layer=spec.name, fields=", ".join(fields)))
        if column not in columns and plain(column) not in {plain(c) for c in columns}:
            raise ImportRefused(Reason("map.no_column", field=field, column=column, columns=", ".join(columns)))
    by_column = {column: field for field, column in explicit.items()}
    by_plain = {plain(column): field for field, column in explicit.items()}
    short = {v: k for k, v in short_names(spec).items() if len(k) > SHAPEFILE_NAME_LENGTH}
    vietnamese = {alias: field for field, aliases in _COMMON.items() if field in fields for alias in aliases}
    vietnamese.update({alias: field for field, aliases in VIETNAMESE.get(spec.name, {}).items() for alias in aliases})
    targets: list[str | None] = []
    for column in columns:
        if column in by_column:
            targets.append(by_column[column])
        elif plain(column) in by_plain and not any(c == explicit[by_plain[plain(column)]] for c in columns):
            targets.append(by_plain[plain(column)])
        elif plain(column) in fields and plain(column) not in explicit:
            targets.append(plain(column))
        elif plain(column) in short and short[plain(column)] not in explicit:
            targets.append(short[plain(column)])
        elif fold(column) in vietnamese and vietnamese[fold(column)] not in explicit:
            targets.append(vietnamese[fold(column)])
        else:
            targets.append(None)
    claimed: dict[str, str] = {}
    for column, target in zip(columns, targets):
        if target is None:
            continue
        if target in claimed:
            raise ImportRefused(Reason("map.both_columns", first=claimed[target], second=column, target=target),
                                field=target, layer=spec.name)
        claimed[target] = column
    names: list[str] = []
    taken = set(claimed) | {"geometry"}
    extras: dict[str, str] = {}
    for column, target in zip(columns, targets):
        if target is not None:
            names.append(target)
            continue
        base = plain(column) or "column"
        if base in extras:
            raise ImportRefused(Reason("map.same_lower", first=extras[base], second=column, base=base),
                                layer=spec.name)
        extras[base] = column
        name = f"{base}_src" if base in taken else base
        while name in taken:
            name += "_"
        taken.add(name)
        names.append(name)
    return names
