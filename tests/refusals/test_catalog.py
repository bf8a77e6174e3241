"""The refusal catalog: both languages for every message, the same placeholders, NFC; the English as it always was."""
from __future__ import annotations

import pickle
import string
import unicodedata

import pytest

from mapapp.errors import ChangeRefused, ImportRefused, ReportRefused
from mapapp.refusals import Both, Choices, Reason, line, reason_of
from mapapp.refusals.catalog import CATALOG
from mapapp.refusals.labels import FIELDS, LAYERS, field_label, layer_label

# Vietnamese letters with diacritics, and đ: a Vietnamese line without any is English left over
VIETNAMESE = set("ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_message_has_both_languages_with_the_same_placeholders(key):
    vi, en = CATALOG[key]
    assert vi.strip() and en.strip()
    assert unicodedata.is_normalized("NFC", vi) and unicodedata.is_normalized("NFC", en)
    assert placeholders(vi) == placeholders(en)
    if key != "step.refused":  # "{step}: {message} ({rule})": nothing but its parts, each in the language
        assert vi != en and VIETNAMESE & set(vi.lower()), key


@pytest.mark.parametrize("table", [FIELDS, LAYERS])
def test_every_label_has_both_languages(table):
    for name, (vi, en) in table.items():
        assert vi.strip() and en.strip() and unicodedata.is_normalized("NFC", vi), name
        assert VIETNAMESE & set(vi.lower()), name


def test_a_reason_is_its_english_text_and_keeps_its_key_through_pickle():
    why = Reason("value.not_choice", value="'x'", choices="leased, available")
    assert why == "'x' is not one of leased, available" and type(str(why)) is str
    assert why.localized("vi") == "'x' không thuộc các giá trị cho phép: leased, available"
    again = pickle.loads(pickle.dumps(why))
    assert again == why and again.localized("vi") == why.localized("vi")
    assert reason_of(ValueError(why)) is why and reason_of(ValueError("plain")) == "plain"


def test_a_reason_may_keep_an_english_text_of_its_own_and_nest_reasons_and_both():
    kept = Reason("report.invalid_date", "date: ngày không hợp lệ / invalid date (got 'x')", value="'x'")
    assert kept == "date: ngày không hợp lệ / invalid date (got 'x')"
    assert kept.localized("en") == "Date (date): invalid date, expected YYYY-MM-DD (got 'x')"
    nested = Reason("blocker.refused", code="VM-1", reason=Reason("blocker.needs_reason"))
    assert nested == "blocker VM-1: a new deadline needs a reason" and nested.localized("vi") == "vướng mắc VM-1: hạn mới cần có lý do"
    either = Reason("procedure.needs_first", need=Both("Chi trả bồi thường (payment) hoặc Gửi tiền (deposit)", "payment or deposit"))
    assert either == "needs payment or deposit first" and either.localized("vi").endswith("hoặc Gửi tiền (deposit)")


def test_choices_are_listed_with_their_labels_in_vietnamese_and_as_codes_in_english():
    import mapapp.pages  # noqa: F401  (the pages register the labels of the values)

    why = Reason("value.not_choice", value="'x'", choices=Choices("status", ("leased", "available")))
    assert why == "'x' is not one of leased, available" and why.localized("en") == why
    assert why.localized("vi") == "'x' không thuộc các giá trị cho phép: leased (Đã cho thuê), available (Còn trống)"
    unlabelled = Reason("value.not_choice", value="'x'", choices=Choices("kind", ("household", "organisation")))
    assert unlabelled.localized("vi").endswith(": household, organisation")  # no labels: the codes, never a gap


def test_the_lines_name_layer_feature_and_field_by_their_labels():
    refused = ChangeRefused(Reason("value.required_empty"), layer="lots", code="L2", field="status")
    assert str(refused) == "layer lots, feature L2, field status: required value is empty"
    assert refused.localized("vi") == "Lớp Lô đất, đối tượng L2, trường Tình trạng (status): giá trị bắt buộc đang để trống"
    assert refused.localized("en") == "Layer Lots, feature L2, field Status (status): required value is empty"
    imported = ImportRefused(Reason("import.duplicate_code", other=1), feature=3, code="L2", field="code", layer="lots")
    assert str(imported) == "layer lots, feature 3 (code L2), field code: duplicate code, also used by feature 1"
    assert imported.localized("vi") == "Lớp Lô đất, đối tượng thứ 3 (mã L2), trường Mã (code): mã bị trùng, đã dùng cho đối tượng thứ 1"
    report = ReportRefused(Reason("report.percent", value="'abc'"), field="percent")
    assert str(report) == "percent: 'abc' is not a number from 0 to 100"
    assert report.localized("vi") == "Trường Tiến độ (%) (percent): 'abc' không phải là số từ 0 đến 100"
    assert line("vi", "x", field="nope") == "Trường nope: x"  # a field without a label shows its code name


def test_labels_come_from_the_map_where_it_has_them():
    assert layer_label("zones", "vi") == "Khu, cụm công nghiệp" and layer_label("payments", "en") == "Compensation payments"
    assert field_label("tenant", "vi") == "Doanh nghiệp thuê" and field_label("step", "vi") == "Bước"
    assert layer_label("nope", "vi") == "nope"
