"""The dashboard's clearance charts: per zone, share of area cleared and money paid at each month end."""
from __future__ import annotations

import datetime as dt
import json
import re
from itertools import pairwise

import pandas as pd
import pytest
from mapapp.pages.dashboard_page import clearance_inputs, timeline_dates
from mapapp.pages.presentation import Fmt

from mapapp import create_app
from mapapp.analysis.clearance import clearance_timeline, zone_clearance
from mapapp.sources.sample import SAMPLE_AS_OF, load_sample
from mapapp.store.backend import Store
from tests.pages.test_leader_pages import AS_OF, extend_dataset

DATA = re.compile(r'<script type="application/json" id="clearance-timeline-data">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Store:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('sample') / 'sample.sqlite'}")
    store.init_schema()
    load_sample(store)
    return store


@pytest.fixture(scope="module")
def sample_app(sample_store):
    return create_app({"database": sample_store.url})


@pytest.fixture
def sample(sample_app):
    """A fresh client per test: the chosen language is remembered in a cookie."""
    return sample_app.test_client()


@pytest.fixture
def web(loaded_store, loaded_app, tmp_path):
    extend_dataset(loaded_store, tmp_path)
    return loaded_app.test_client()


def page(client, query: str = "") -> str:
    response = client.get(f"/dashboard{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def timeline(html: str) -> dict:
    found = DATA.search(html)
    assert found, "no clearance timeline embedded"
    return json.loads(found.group(1))


def series(data: dict, key: str) -> dict[str, list[float]]:
    return {z["code"]: z[key] for z in data["zones"]}


def clearance_row(html: str, zone: str) -> str:
    table = html.split('id="clearance-table"', 1)[1].split("</table>", 1)[0]
    return table.split(f'<tr data-zone="{zone}">', 1)[1].split("</tr>", 1)[0]


# -- the bundled sample --------------------------------------------------------------
def test_one_series_per_zone_with_parcels(sample, sample_store):
    data = timeline(page(sample))
    zones = sorted(set(sample_store.read_layer("clearance")["zone_code"]))
    assert [z["code"] for z in data["zones"]] == zones == ["CCN-DP", "KCN-DP", "KCN-SH", "KCN-TPT"]
    assert data["dates"][0] == "2016-01-31" and data["dates"][-1] == SAMPLE_AS_OF  # first event: 2016-01-07
    assert len(data["dates"]) == len(data["axis"]) == 36
    for zone in data["zones"]:
        assert len(zone["share_cleared"]) == len(zone["paid_vnd"]) == 36
        assert zone["name"] and zone["color"].startswith("#")
    assert len({z["color"] for z in data["zones"]}) == 4


def test_month_ends_then_the_date_shown():
    assert timeline_dates(dt.date(2018, 1, 7), dt.date(2018, 3, 15)) == [
        dt.date(2018, 1, 31), dt.date(2018, 2, 28), dt.date(2018, 3, 15)]
    assert timeline_dates(dt.date(2018, 1, 31), dt.date(2018, 2, 28)) == [dt.date(2018, 1, 31), dt.date(2018, 2, 28)]
    assert timeline_dates(dt.date(2018, 1, 7), dt.date(2018, 1, 10)) == [dt.date(2018, 1, 10)]
    assert timeline_dates(dt.date(2018, 1, 7), dt.date(2018, 1, 6)) == []


def test_sample_history_only_moves_forward_and_so_do_the_series(sample, sample_store):
    events = pd.DataFrame(sample_store.clearance_events()).sort_values(["parcel_code", "date", "id"])
    by_parcel = events.groupby("parcel_code")
    after_cleared = by_parcel["status"].transform(lambda s: s.eq("cleared").cummax().shift(fill_value=False))
    assert not after_cleared.any(), "the sample has a parcel leaving 'cleared'"
    assert (by_parcel["paid_vnd"].diff().dropna() >= 0).all(), "the sample has a payment going down"
    data = timeline(page(sample))
    for key in ("share_cleared", "paid_vnd"):
        for zone, values in series(data, key).items():
            assert all(a <= b for a, b in pairwise(values)), (key, zone, values)
    assert all(values[-1] > values[0] for values in series(data, "share_cleared").values())


@pytest.mark.parametrize("query, lang", [("", "vi"), ("?at=2017-03-01", "vi"), ("?at=2018-07-15&lang=en", "en")])
def test_series_end_at_what_the_clearance_table_shows(sample, query, lang):
    html = page(sample, query)
    data = timeline(html)
    fmt = Fmt(lang)
    for zone in data["zones"]:
        row = clearance_row(html, zone["code"])
        assert f">{fmt.pct(zone['share_cleared'][-1])} · " in row, (zone["code"], row)
        assert f">{fmt.vnd(zone['paid_vnd'][-1])} / " in row, (zone["code"], row)


def one_date_at_a_time(parcels, events, dates):
    """The reference: zone_clearance evaluated date by date (what the one-pass timeline must equal)."""
    frames = [zone_clearance(parcels, events, d).assign(date=d.isoformat()) for d in dates]
    table = pd.concat(frames, ignore_index=True)
    return table[["zone_code", "date", "share_cleared", "households_compensated", "paid_vnd"]].sort_values(["date", "zone_code"], ignore_index=True)


def test_same_numbers_as_date_by_date(sample_store):
    parcels, events = clearance_inputs(sample_store)
    dates = timeline_dates(dt.date(2016, 1, 7), dt.date(2018, 12, 31))
    got = clearance_timeline(parcels, events, dates).sort_values(["date", "zone_code"], ignore_index=True)
    pd.testing.assert_frame_equal(got, one_date_at_a_time(parcels, events, dates), check_dtype=False)


def test_same_numbers_with_a_parcel_outside_any_zone_and_same_day_events(sample_store):
    parcels, events = clearance_inputs(sample_store)
    parcels.loc[0, "zone_code"] = None
    code = parcels.loc[1, "code"]
    events = pd.concat([events, pd.DataFrame([
        {"parcel_code": code, "date": "2017-05-02", "status": "disputed", "paid_vnd": None},
        {"parcel_code": code, "date": "2017-05-02", "status": "compensated", "paid_vnd": 7e8},
    ])], ignore_index=True)
    parcels = parcels[parcels["zone_code"].notna()].reset_index(drop=True)  # groupby drops zoneless parcels in both
    dates = timeline_dates(dt.date(2016, 1, 7), dt.date(2017, 9, 20))
    got = clearance_timeline(parcels, events, dates).sort_values(["date", "zone_code"], ignore_index=True)
    pd.testing.assert_frame_equal(got, one_date_at_a_time(parcels, events, dates), check_dtype=False)


def test_series_follow_the_date_shown(sample):
    full = timeline(page(sample))
    early = timeline(page(sample, "?at=2017-06-15"))
    assert early["dates"][-1] == "2017-06-15" and early["axis"][-1] == "15/06/2017"
    assert early["dates"][-2] == "2017-05-31" and early["axis"][-2] == "05/2017"
    assert len(early["dates"]) == 18 < len(full["dates"])
    for key in ("share_cleared", "paid_vnd"):
        before, after = series(early, key), series(full, key)
        assert all(before[z][:-1] == after[z][:17] for z in before)  # same past
        assert any(before[z][-1] != after[z][-1] for z in before), key


def test_english_labels(sample):
    html = page(sample, "?lang=en")
    assert "Land clearance over time" in html
    assert "Share of parcel area cleared, by zone" in html and "Compensation paid to date, by zone" in html
    data = timeline(html)
    assert data["lang"] == "en" and data["axis"][:2] == ["2016-01", "2016-02"]
    assert data["labels"] == {"share_axis": "Area cleared (%)", "paid_axis": "Paid (bn VND)", "paid_unit": "bn VND"}
    assert series(data, "name")["KCN-SH"] == "Song Hau Industrial Zone"


def test_vietnamese_labels_by_default(sample):
    html = page(sample)
    assert "Giải phóng mặt bằng theo thời gian" in html and "Tiền bồi thường đã chi trả lũy kế theo khu" in html
    data = timeline(html)
    assert data["axis"][0] == "01/2016" and data["labels"]["paid_unit"] == "tỷ đồng"
    assert series(data, "name")["KCN-SH"] == "KCN Sông Hậu"


def test_chart_js_from_the_local_copy_once(sample):
    html = page(sample)
    assert re.findall(r'<script src="([^"]*chart[^"]*)">', html) == ["/vendor/chart.js/dist/chart.umd.min.js"]
    assert '<canvas id="clearance-share-chart"' in html and '<canvas id="clearance-paid-chart"' in html


# -- the hand-built data ------------------------------------------------------------------
def test_small_history_point_by_point(web):
    data = timeline(page(web))  # P1 (1 ha of Z1's 2 ha): compensated 2018-04-01, cleared 2018-06-01
    assert data["dates"] == ["2018-04-30", "2018-05-31", AS_OF]
    assert series(data, "share_cleared") == {"Z1": [0.0, 0.0, 50.0]}
    assert series(data, "paid_vnd") == {"Z1": [5e8, 5e8, 5e8]}


def test_no_chart_before_the_first_event(web):
    html = page(web, "?at=2018-03-01")
    assert not DATA.search(html) and "chart.umd" not in html
    assert "Chưa có diễn biến giải phóng mặt bằng nào đến ngày đang xem." in html


def test_no_chart_without_history(client):
    html = page(client, "?lang=en")
    assert 'id="clearance-table"' in html and not DATA.search(html)
    assert "No land-clearance history up to the date shown." in html


def test_the_leader_following_clearance_is_named(sample):
    """Item 11 of the notice: one leader of the board follows the clearance plan; the dashboard says who."""
    html = page(sample)
    lead = re.search(r'<p class="clearance-lead" id="clearance-lead">(.*?)</p>', html, re.S).group(1)
    assert "Phó Trưởng ban phụ trách GPMB" in lead and "#item-11" in lead
    assert "Board leader following land clearance" in page(sample, "?lang=en")
