"""The available-land page on the hand-built data: Z1 holds L1 leased, L2 available (2 ha at 55 USD/m²), L3 reserved."""
import csv
import io
import re

import pytest

from mapapp.sources.importer import import_file
from tests import builders

ROW = re.compile(r'<tr data-code="([^"]+)"')


def listed(client, query: str = "") -> list[str]:
    response = client.get(f"/land{query}")
    assert response.status_code == 200
    return ROW.findall(response.get_data(as_text=True))


def csv_rows(client, query: str = "") -> list[dict]:
    response = client.get(f"/land.csv{query}")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_only_the_available_lot_is_listed_with_its_area_price_and_total(client):
    html = client.get("/land").get_data(as_text=True)
    assert ROW.findall(html) == ["L2"]
    row = html[html.index('<tr data-code="L2"'):]
    row = row[: row.index("</tr>")]
    assert ">2,00<" in row and ">55,0<" in row
    assert "≈ 1,10 triệu USD" in row
    assert "Nhà máy" in row and "KCN Thử Nghiệm" in row
    assert "/?focus=lots:L2&amp;lang=vi" in row
    assert "Đất sẵn sàng cho thuê" in html


def test_english_page_writes_numbers_the_english_way(client):
    html = client.get("/land?lang=en").get_data(as_text=True)
    row = html[html.index('<tr data-code="L2"'):]
    row = row[: row.index("</tr>")]
    assert ">2.00<" in row and ">55.0<" in row
    assert "≈ 1.10 million USD" in row
    assert "Factory" in row and "Show on map" in row
    assert "Available land" in html and "Asking price (USD/m² for the whole term)" in html


def test_zone_card_carries_the_zone_figures(client):
    html = client.get("/land").get_data(as_text=True)
    card = html[html.index('data-zone="Z1"'):]
    card = card[: card.index("</section>")]
    assert "Khu công nghiệp" in card and "Châu Thành" in card and "Đang hoạt động" in card
    assert "<b>2,00</b> / 5,00 ha" in card  # L1 2 ha + L2 2 ha + L3 1 ha leasable
    assert "40,0 %" in card
    assert "55,0" in card
    assert 'data-zone="Z2"' not in html
    assert "(1 lô theo bộ lọc)" not in html
    assert "(1 lô theo bộ lọc)" in client.get("/land?max_price=60").get_data(as_text=True)
    assert 'data-zone="Z1"' not in client.get("/land?max_price=50").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?zone=Z1", ["L2"]),
        ("?zone=Z2", []),
        ("?land_use=factory", ["L2"]),
        ("?land_use=warehouse", []),
        ("?min_area=1,9", ["L2"]),
        ("?min_area=3", []),
        ("?max_price=55", ["L2"]),
        ("?max_price=50", []),
    ],
)
def test_each_filter_can_keep_or_drop_the_lot(client, query, expected):
    assert listed(client, query) == expected


def test_no_match_says_so(client):
    assert "Không có lô nào còn trống theo bộ lọc này." in client.get("/land?min_area=3").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("?min_area=abc", "Đã bỏ qua bộ lọc “Diện tích tối thiểu (ha)”: “abc” không phải là số."),
        ("?max_price=-5", "Đã bỏ qua bộ lọc “Giá thuê tối đa (USD/m², cả thời hạn)”: “-5” nhỏ hơn 0."),
        ("?max_price=nan", "Đã bỏ qua bộ lọc “Giá thuê tối đa (USD/m², cả thời hạn)”: “nan” không phải là số."),
        ("?zone=Z9", "Đã bỏ qua bộ lọc “Khu, cụm công nghiệp”: không có khu mã “Z9”."),
        ("?land_use=green", "Đã bỏ qua bộ lọc “Mục đích sử dụng”: không có mục đích sử dụng “green”."),
    ],
)
def test_a_bad_filter_is_ignored_with_a_note(client, query, note):
    response = client.get(f"/land{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert note in html
    assert ROW.findall(html) == ["L2"]


def test_a_bad_filter_note_in_english_and_the_good_filters_still_apply(client):
    html = client.get("/land?lang=en&min_area=lots&max_price=50").get_data(as_text=True)
    assert "Filter “Minimum area (ha)” ignored: “lots” is not a number." in html
    assert ROW.findall(html) == []


def test_csv_rows_match_the_filter(client):
    rows = csv_rows(client)
    assert [r["code"] for r in rows] == ["L2"]
    assert rows[0]["zone_name"] == "KCN Thử Nghiệm"
    assert float(rows[0]["area_ha"]) == pytest.approx(2.0, abs=1e-3)
    assert float(rows[0]["price_usd_m2"]) == 55
    assert float(rows[0]["indicative_total_usd"]) == pytest.approx(1_100_000, rel=1e-3)
    assert csv_rows(client, "?max_price=50") == []
    assert csv_rows(client, "?zone=Z2") == []
    assert [r["code"] for r in csv_rows(client, "?min_area=oops&land_use=factory")] == ["L2"]


def test_csv_link_repeats_the_filters(client):
    html = client.get("/land?zone=Z1&max_price=60").get_data(as_text=True)
    assert 'href="/land.csv?zone=Z1&amp;max_price=60"' in html


@pytest.fixture
def hostile(loaded_store, tmp_path):
    """Zone Z1 renamed and its developer set to markup, as a careless import might do."""
    zones = builders.zones_features()
    zones[0][0].update(name="<script>alert(1)</script>", name_en="<i>en</i>", developer="<u>dev</u>")
    import_file(loaded_store, "zones", builders.write_geojson(tmp_path / "z.geojson", zones))
    return loaded_store


def test_data_is_escaped(hostile, db_url):
    from mapapp import create_app

    client = create_app({"database": db_url}).test_client()
    for lang in ("vi", "en"):
        html = client.get(f"/land?lang={lang}").get_data(as_text=True)
        assert "<script>alert" not in html and "<i>en</i>" not in html and "<u>dev" not in html
        assert "&lt;u&gt;dev&lt;/u&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/land?lang=vi").get_data(as_text=True)
    assert "&lt;i&gt;en&lt;/i&gt;" in client.get("/land?lang=en").get_data(as_text=True)
    note = client.get("/land?min_area=%3Cscript%3E").get_data(as_text=True)
    assert "“&lt;script&gt;”" in note and "<script>" not in note
    rows = csv_rows(client)
    assert rows[0]["zone_name"] == "<script>alert(1)</script>"


def test_csv_cells_that_look_like_formulas_are_quoted(loaded_store, tmp_path, db_url):
    from mapapp import create_app

    zones = builders.zones_features()
    zones[0][0].update(name="=1+1")
    import_file(loaded_store, "zones", builders.write_geojson(tmp_path / "z.geojson", zones))
    rows = csv_rows(create_app({"database": db_url}).test_client())
    assert rows[0]["zone_name"] == "'=1+1"


def test_reserved_lots_are_counted_in_a_note(client):
    html = client.get("/land").get_data(as_text=True)
    assert "L3" not in ROW.findall(html)
    assert "Ngoài ra có 1 lô (1,00 ha) đã đăng ký giữ chỗ" in html
    assert "Reserved lots not listed here: 1 (1.00 ha)." in client.get("/land?lang=en").get_data(as_text=True)
    assert "đã đăng ký giữ chỗ" not in client.get("/land?zone=Z2&lang=vi").get_data(as_text=True)
    assert "Ngoài ra có 1 lô" in client.get("/land?zone=Z1&lang=vi").get_data(as_text=True)


def test_source_line_and_sample_warning(client, loaded_store):
    html = client.get("/land").get_data(as_text=True)
    assert "VN-2000 / TM-3 kinh tuyến trục 105°00′" in html
    assert "dữ liệu mẫu" not in html
    loaded_store.write_layers({}, meta={"dataset": "sample", "as_of": "2018-12-31"})
    html = client.get("/land").get_data(as_text=True)
    assert "Đây là dữ liệu mẫu: các con số chỉ để minh họa" in html and "Tình trạng ngày 31/12/2018." in html
    english = client.get("/land?lang=en").get_data(as_text=True)
    assert "the figures are illustrative" in english and "State as of 2018-12-31." in english
