"""No refusal falls back to English on a Vietnamese page: each refusal of the value parsers, the feature edits,
the whole-feature rules, the clearance records, the blockers, the directives, the progress reports and the
import checks is provoked, and its Vietnamese line must differ from the English one and read as Vietnamese."""
from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from decimal import Decimal

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Polygon

from mapapp.analysis.planned_curve import parse_curve
from mapapp.analysis.progress_reports import validate_report
from mapapp.changes.blockers import add_blocker, reschedule_blocker, set_blocker_state
from mapapp.changes.clearance import add_household, record_payment, record_step
from mapapp.changes.directives import set_directive_status
from mapapp.changes.features import apply_features
from mapapp.changes.model import Actor, Edit
from mapapp.changes.revert import revert
from mapapp.clearance import blockers as blk
from mapapp.edits import edit_feature
from mapapp.errors import ChangeRefused, ConfirmationNeeded, MapappError
from mapapp.layers import get_layer
from mapapp.refusals import Reason, reason_of
from mapapp.reports import add_report, withdraw_report
from mapapp.sources.reader import read_geodata
from mapapp.sources.validate import validate
from mapapp.values import (
    DateFormat,
    NumberFormat,
    ValueFormat,
    parse_code,
    parse_date,
    parse_integer,
    parse_number,
    parse_text,
    parse_value,
)
from tests.conftest import data_snapshot
from tests.refusals.test_catalog import VIETNAMESE

WEB = Actor("planner1", "api")
VI_NUMBERS = ValueFormat(numbers=NumberFormat.VI)
DMY = ValueFormat(dates=DateFormat.DMY)


def refusal_of(call) -> BaseException:
    try:
        call()
    except (MapappError, ValueError) as exc:
        return exc
    raise AssertionError("not refused")


def assert_bilingual(exc: BaseException) -> None:
    """The refusal's Vietnamese line is not its English one, has Vietnamese words, and holds no English reason."""
    if isinstance(exc, MapappError):
        vi, en = exc.localized("vi"), exc.localized("en")
        english = getattr(exc, "reason", None) or exc.args[0]
    else:
        english = reason_of(exc)
        assert isinstance(english, Reason), f"an English-only reason: {exc}"
        vi, en = english.localized("vi"), english.localized("en")
    assert isinstance(english, Reason), f"an English-only reason: {exc}"
    assert vi != en and vi != str(exc) and VIETNAMESE & set(vi.lower()), vi
    assert unicodedata.is_normalized("NFC", vi) and "\n" not in vi
    assert str(english) not in vi or not str(english).strip(), vi  # no English reason inside, nested ones included


def field(layer: str, name: str):
    return get_layer(layer).field(name)


PURE = {
    "object": lambda: parse_number({"a": 1}),
    "list": lambda: parse_text([1, 2]),
    "bool number": lambda: parse_number(True),
    "not a number": lambda: parse_number("abc"),
    "no number type": lambda: parse_number(object()),
    "nan": lambda: parse_number(float("nan")),
    "vi number": lambda: parse_number("1,2,3", VI_NUMBERS),
    "comma decimal": lambda: parse_number("47,5"),
    "not whole": lambda: parse_integer(1.5),
    "int too big": lambda: parse_integer(2**40),
    "bool code": lambda: parse_code(True),
    "inf code": lambda: parse_code(float("inf")),
    "decimal code": lambda: parse_code(Decimal("sNaN")),
    "no code type": lambda: parse_code(object()),
    "bool text": lambda: parse_text(False),
    "no text type": lambda: parse_text(object()),
    "nul": lambda: parse_text("a\x00b"),
    "too long": lambda: parse_text("x" * 11, 10),
    "no date type": lambda: parse_date(3.5),
    "date range": lambda: parse_date("1989-12-31"),
    "bad dmy": lambda: parse_date("31/02/2018", DMY),
    "bad iso": lambda: parse_date("2018-02-31"),
    "bad timestamp": lambda: parse_date("2018-02-31T10:00"),
    "undeclared dmy": lambda: parse_date("05/02/2018"),
    "not a date": lambda: parse_date("hôm qua"),
    "choice": lambda: parse_value(field("lots", "status"), "x"),
    "too long value": lambda: parse_value(field("lots", "tenant"), "x" * 301),
    "blank too long": lambda: parse_value(field("lots", "tenant"), " " * 301),
    "float too big": lambda: parse_value(field("lots", "price_usd_m2"), 1e300),
    "below min": lambda: parse_value(field("zones", "planned_area_ha"), -3),
    "above max": lambda: parse_value(field("projects", "progress_pct"), 101),
    "curve point": lambda: parse_curve("x"),
    "curve percent": lambda: parse_curve("2018-01-01:120"),
    "curve order": lambda: parse_curve("2018-02-01:10;2018-01-01:20"),
    "curve empty": lambda: parse_curve(";"),
    "report percent": lambda: validate_report("abc", "2018-01-01", dt.date(2018, 2, 1)),
    "report date": lambda: validate_report(10, "hôm qua", dt.date(2018, 2, 1)),
    "report future": lambda: validate_report(10, "2018-03-01", dt.date(2018, 2, 1)),
}


@pytest.mark.parametrize("name", sorted(PURE))
def test_value_and_rule_refusals_read_in_vietnamese(name):
    assert_bilingual(refusal_of(PURE[name]))


def test_every_blocker_rule_reads_in_vietnamese():
    good = blk.Blocker("VM-1", "parcel", "GP-1", "", "Mời hộ làm việc", dt.date(2018, 3, 1), "UBND xã", blk.LEADER_ROLES[0],
                       dt.date(2018, 1, 1))
    for change in ({"kind": "x"}, {"state": "x"}, {"leader": "x"}, {"task": " "}, {"unit": " "}, {"subject": " "},
                   {"deadline": dt.date(2017, 1, 1)}):
        exc = refusal_of(lambda change=change: blk.check_blocker(dataclasses.replace(good, **change)))
        assert_bilingual(exc)
        assert reason_of(exc).params["field"] == next(iter(change))
    assert_bilingual(refusal_of(lambda: blk.change_state(good, "open", dt.date(2018, 2, 1), "x")))
    assert_bilingual(refusal_of(lambda: blk.change_state(good, "in_progress", dt.date(2017, 2, 1), "x")))
    assert_bilingual(refusal_of(lambda: blk.reschedule(good, dt.date(2018, 5, 1), dt.date(2018, 2, 1), "x", " ")))


def square(x: float = 105.66, y: float = 9.86, d: float = 0.001) -> Polygon:
    return Polygon([(x, y), (x + d, y), (x + d, y + d), (x, y + d)])


def test_feature_edits_and_reports_are_refused_in_vietnamese_and_store_nothing(backend_store):
    store = backend_store
    before = data_snapshot(store)
    bow_tie = {"type": "Polygon", "coordinates": [[[105.66, 9.86], [105.67, 9.87], [105.67, 9.86], [105.66, 9.87], [105.66, 9.86]]]}
    calls = [
        lambda: edit_feature(store, "lots", "L2", {"status": "x"}, WEB),
        lambda: edit_feature(store, "lots", "L2", {"nope": 1}, WEB),
        lambda: edit_feature(store, "lots", "L2", {}, WEB),
        lambda: edit_feature(store, "lots", "L2", {}, WEB, geometry="{not json"),
        lambda: edit_feature(store, "lots", "L2", {}, WEB, geometry={"type": "Point", "coordinates": [105.66, 9.86]}),
        lambda: edit_feature(store, "lots", "L2", {}, WEB, geometry=bow_tie),
        lambda: edit_feature(store, "lots", "L2", {"code": "L9"}, WEB),
        lambda: edit_feature(store, "lots", "L2", {"zone_code": "NOPE"}, WEB),
        lambda: edit_feature(store, "lots", "L2", {"zone_code": None}, WEB),
        lambda: edit_feature(store, "projects", "R1", {"planned_start": "2030-01-01", "planned_end": "2000-01-01"}, WEB),
        lambda: apply_features(store, "lots", [Edit("L2", {"tenant": "a"}), Edit("L2", {"tenant": "b"})], WEB),
        lambda: apply_features(store, "zones", [], WEB, retire_codes=["Z1"]),
        lambda: add_report(store, "R1", percent="abc", date="2018-06-01", actor=WEB),
        lambda: add_report(store, "R1", percent=float("nan"), date="2018-06-01", actor=WEB),
        lambda: add_report(store, "R1", percent=10, date="2018-06-01", disbursed_vnd="nhiều", actor=WEB),
        lambda: add_report(store, "R1", percent=10, date="2018-06-01", reached_m=-1, actor=WEB),
        lambda: add_report(store, "R1", percent=10, date="2018-06-01", note="x" * 5000, actor=WEB),
        lambda: add_report(store, "R1", percent=150, date="2018-06-01", actor=WEB),
        lambda: add_report(store, "NOPE", percent=10, date="2018-06-01", actor=WEB),
        lambda: withdraw_report(store, 999_999, WEB),
        lambda: revert(store, store.audit()[-1]["id"], WEB),
        lambda: set_directive_status(store, 1, "x", WEB),
        lambda: add_blocker(store, WEB, code="VM-9", kind="x", subject="GP-1", task="t", deadline="2018-03-01", unit="u",
                            leader=blk.LEADER_ROLES[0]),
        lambda: add_blocker(store, WEB, code="VM-9", kind="parcel", subject="GP-1", task="t", deadline="hôm qua", unit="u",
                            leader=blk.LEADER_ROLES[0]),
        lambda: add_blocker(store, WEB, code="VM-9", kind="parcel", subject="GP-1", task="t", deadline=None, unit="u",
                            leader=blk.LEADER_ROLES[0]),
        lambda: set_blocker_state(store, "VM-9", "done", WEB),
    ]
    for call in calls:
        assert_bilingual(refusal_of(call))
    assert data_snapshot(store) == before


def test_import_checks_are_refused_in_vietnamese():
    lots = get_layer("lots")

    def frame(rows, geoms):
        return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")

    row = {"code": "L7", "zone_code": "Z1", "land_use": "factory", "status": "leased"}
    cases = [
        frame([{"code": "L7"}], [square()]),  # required attributes missing
        frame([row], [None]),
        frame([row], [LineString([(105.66, 9.86), (105.67, 9.87)])]),
        frame([row], [Polygon([(105.66, 9.86), (105.67, 9.87), (105.67, 9.86), (105.66, 9.87)])]),
        frame([{**row, "status": "leasd"}], [square()]),
        frame([{**row, "zone_code": None}], [square()]),
        frame([{**row, "zone_code": "NOPE"}], [square()]),
        frame([row, row], [square(), square(105.7)]),
    ]
    for case in cases:
        assert_bilingual(refusal_of(lambda case=case: validate(lots, case, zone_codes=["Z1"])))


def test_clearance_records_are_refused_in_vietnamese_and_store_nothing(sample_store):
    store = sample_store
    before = data_snapshot(store)
    doc = {"doc_type": "Quyết định", "doc_number": "1/QĐ"}
    hh = store.clearance_records(["GP-TPT-23"])["household_parcels"]
    holder = hh.loc[hh["parcel_code"] == "GP-TPT-23", "household_code"].iloc[0]
    calls = [
        lambda: record_step(store, "GP-TPT-23", "x", "2018-12-20", WEB, **doc),
        lambda: record_step(store, "GP-TPT-23", "handover", None, WEB, **doc),
        lambda: record_step(store, "GP-TPT-23", "handover", "hôm qua", WEB, **doc),
        lambda: record_step(store, "GP-TPT-23", "handover", "2018-12-20", WEB, doc_type="Biên bản"),
        lambda: record_step(store, "GP-TPT-23", "enforcement", "2018-12-20", WEB, conditions=["x"], **doc),
        lambda: record_step(store, "GP-TPT-23", "handover", "2099-12-20", WEB, **doc),
        lambda: record_step(store, "GP-TPT-23", "handover", "2018-12-20", WEB, **doc),
        lambda: record_step(store, "GP-TPT-23", "enforcement", "2018-12-20", WEB, **doc),
        lambda: record_step(store, "GP-TPT-23", "notice", "2018-12-20", WEB, **doc),
        lambda: record_step(store, "GP-TPT-23", "payment", "2018-12-20", WEB, doc_date="2018-12-21", **doc),
        lambda: record_payment(store, "GP-TPT-23", holder, WEB, approved_vnd=-1),
        lambda: record_payment(store, "GP-TPT-23", holder, WEB, approved_vnd="nhiều"),
        lambda: record_payment(store, "GP-TPT-23", holder, WEB, approved_vnd=10),
        lambda: record_payment(store, "GP-TPT-23", holder, WEB, paid_vnd=10, paid_date="2018-11-06"),
        lambda: record_payment(store, "GP-TPT-23", holder, WEB, approved_vnd=10, approval_date="2018-11-05", paid_vnd=5,
                               paid_date="2018-11-01"),
        lambda: record_payment(store, "GP-TPT-23", holder, WEB, approved_vnd=10, approval_date="2018-11-05", paid_vnd=11,
                               paid_date="2018-11-06"),
        lambda: record_payment(store, "GP-TPT-23", "NOPE-H1", WEB, approved_vnd=1, approval_date="2018-11-05"),
        lambda: add_household(store, "H-NEW", "Hộ mới", ["GP-TPT-23"], WEB, kind="x"),
        lambda: add_household(store, "H-NEW", "Hộ mới", ["GP-TPT-23"], WEB, members="nhiều"),
        lambda: add_household(store, "H-NEW", "Hộ mới", ["GP-TPT-23"], WEB, lookup_code="ab"),
        lambda: add_household(store, "H-NEW", "Hộ mới", [], WEB),
        lambda: add_household(store, holder, "Hộ mới", ["GP-TPT-23"], WEB),
        lambda: add_household(store, "H-NEW", "Hộ mới", ["NOPE"], WEB),
        lambda: add_household(store, "H-NEW", None, ["GP-TPT-23"], WEB),
        lambda: edit_feature(store, "clearance", "GP-TPT-23", {"status": "cleared"}, WEB),
        lambda: add_blocker(store, WEB, code="VM-03", kind="parcel", subject="GP-1", task="t", deadline="2018-03-01", unit="u",
                            leader=blk.LEADER_ROLES[0], opened="2018-01-01"),
        lambda: set_blocker_state(store, "VM-03", "open", WEB),
        lambda: reschedule_blocker(store, "VM-03", "2019-01-01", "Lùi hạn", WEB, on="2000-01-01"),
    ]
    for call in calls:
        assert_bilingual(refusal_of(call))
    assert data_snapshot(store) == before


@pytest.mark.parametrize(("name", "content"), [
    ("none.geojson", None), ("empty.geojson", b""), ("words.geojson", b"this is not geodata, just words\n"),
    ("nothing.geojson", b'{"type": "FeatureCollection", "features": []}'), ("empty.csv", b" \n"),
    ("latin.csv", b"code;t\xean\nL1;x\n"), ("bad.xlsx", b"not a workbook"),
])
def test_files_the_import_page_cannot_use_are_refused_in_vietnamese(tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert_bilingual(refusal_of(lambda: read_geodata(path, target="lots")))


def test_a_warning_to_confirm_reads_in_vietnamese_and_keeps_its_english_line(backend_store):
    edit_feature(backend_store, "clearance", "P2", {"paid_vnd": 5e8}, WEB)
    asked = refusal_of(lambda: edit_feature(backend_store, "clearance", "P2", {"paid_vnd": 4e8}, WEB))
    assert isinstance(asked, ConfirmationNeeded)
    assert str(asked) == ("confirm to save: layer clearance, feature P2, field paid_vnd: 400,000,000 is lower than the "
                          "500,000,000 recorded (a correction?)")
    assert asked.localized("vi") == ("Cần xác nhận để lưu: lớp Giải phóng mặt bằng, đối tượng P2, trường Đã chi trả (paid_vnd): "
                                     "400.000.000 thấp hơn số 500.000.000 đã ghi nhận (đây là điều chỉnh lại?)")
    assert_bilingual(ChangeRefused(asked.warnings[0]))
