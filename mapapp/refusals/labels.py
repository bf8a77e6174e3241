"""Layers and fields named in a refusal, by their labels in the UI's language.

The map's labels (:data:`mapapp.i18n.MESSAGES`, ``layer.*`` and ``field.*``) are used where a
refusal's layer or field has one; the write path's other layers and form fields (steps,
payments, households, blockers, reports) are named here. A field known to neither shows its
code name, so a gap is visible, not blank.
"""
from __future__ import annotations

from mapapp.i18n import MESSAGES
from mapapp.refusals import Both, _index

# layers of the write path that are not map layers: (vi, en)
LAYERS: dict[str, tuple[str, str]] = {
    "clearance_steps": ("Các bước thu hồi đất", "Land recovery steps"),
    "payments": ("Chi trả bồi thường", "Compensation payments"),
    "households": ("Hộ gia đình, tổ chức", "Households and organisations"),
    "blockers": ("Vướng mắc", "Blockers"),
    "directives": ("Chỉ đạo (TB 19)", "Directives (notice 19)"),
    "projects": ("Công trình", "Works"),
}

# form fields of the write path; these win over the map's labels (its "step" is a parcel's last step)
FIELDS: dict[str, tuple[str, str]] = {
    "geometry": ("Hình học", "Geometry"),
    "step": ("Bước", "Step"),
    "date": ("Ngày", "Date"),
    "doc_type": ("Loại văn bản", "Document type"),
    "doc_number": ("Số văn bản", "Document number"),
    "doc_date": ("Ngày văn bản", "Document date"),
    "signer": ("Người ký", "Signed by"),
    "scan": ("Bản quét", "Scan"),
    "note": ("Ghi chú", "Note"),
    "conditions": ("Điều kiện cưỡng chế", "Enforcement conditions"),
    "parcel_code": ("Mã thửa đất", "Parcel code"),
    "household_code": ("Mã hộ", "Household code"),
    "approved_vnd": ("Số tiền được phê duyệt", "Amount approved"),
    "approval_date": ("Ngày phê duyệt", "Approval date"),
    "paid_date": ("Ngày chi trả", "Payment date"),
    "deposited_vnd": ("Số tiền gửi", "Amount deposited"),
    "deposit_date": ("Ngày gửi tiền", "Deposit date"),
    "members": ("Số nhân khẩu", "Members"),
    "lookup_code": ("Mã tra cứu", "Lookup code"),
    "parcels": ("Thửa đất", "Parcels"),
    "subject": ("Đối tượng vướng", "What is blocked"),
    "problem": ("Vướng mắc", "Problem"),
    "task": ("Nhiệm vụ", "Task"),
    "deadline": ("Hạn xử lý", "Deadline"),
    "unit": ("Đơn vị chủ trì", "Unit responsible"),
    "leader": ("Lãnh đạo phụ trách", "Leader"),
    "opened": ("Ngày ghi nhận", "Opened on"),
    "holds_up": ("Ảnh hưởng đến", "Holds up"),
    "state": ("Trạng thái", "State"),
    "on": ("Ngày", "Date"),
    "by": ("Người quyết định", "Decided by"),
    "percent": ("Tiến độ (%)", "Progress (%)"),
    "disbursed": ("Giá trị giải ngân", "Amount disbursed"),
    "reached": ("Đã thi công đến (m)", "Reached (m)"),
    "reported_by": ("Người báo cáo", "Reported by"),
    "project": ("Công trình", "Works"),
}


def choices_text(field: str, values: tuple[str, ...], lang: str) -> str:
    """``values`` joined by ", "; in Vietnamese each with its label (``leased (Đã cho thuê)``) when the UI has
    labels for all of them (``<prefix>.<field>.<value>`` in :data:`mapapp.i18n.MESSAGES`, one prefix for all)."""
    if lang == "vi" and values:
        for key in MESSAGES:
            prefix = key.removesuffix(f".{field}.{values[0]}")
            if prefix != key and all(f"{prefix}.{field}.{v}" in MESSAGES for v in values):
                return ", ".join(f"{v} ({MESSAGES[f'{prefix}.{field}.{v}'][0]})" for v in values)
    return ", ".join(values)


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[_index(lang)]


def layer_label(layer: str, lang: str) -> str:
    """The layer's label in ``lang`` (its code name when it has none)."""
    pair = LAYERS.get(layer) or MESSAGES.get(f"layer.{layer}")
    return _pick(pair, lang) if pair else layer


def field_label(field: str, lang: str) -> str:
    """The field's label in ``lang`` (its code name when it has none)."""
    pair = FIELDS.get(field) or MESSAGES.get(f"field.{field}")
    return _pick(pair, lang) if pair else field


def layer_names(layer: str) -> Both:
    """A layer named in a refusal: its Vietnamese label, its code name in English (as the English lines always had)."""
    return Both(layer_label(layer, "vi"), layer)
