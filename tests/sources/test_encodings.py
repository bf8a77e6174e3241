"""Vietnamese text in DBFs and CSVs: UTF-8, cp1258, TCVN3 (ABC), VNI; refused when undeclared and not UTF-8."""
import pytest

from mapapp.errors import ImportRefused
from mapapp.sources import encodings
from mapapp.sources.importer import import_file
from tests.sources.handmade import GOOD, LOT_FIELDS, lot_record, shapefile, zipped

# "Hậu Giang", "Tỉnh", "Đông Phú", "người" written by hand in each encoding.
CASES = [
    ("tcvn3", b"H\xcbu Giang", "Hậu Giang"),
    ("tcvn3", b"T\xd8nh \xa7\xabng Ph\xf3", "Tỉnh Đông Phú"),
    ("tcvn3", b"ng\xad\xeai", "người"),
    ("vni", b"Ha\xe4u Giang", "Hậu Giang"),
    ("vni", b"T\xe6nh \xd1o\xe2ng Phu\xf9", "Tỉnh Đông Phú"),
    ("vni", b"ng\xf6\xf4\xf8i", "người"),
    ("cp1258", b"H\xe2\xf2u Giang", "Hậu Giang"),
    ("cp1258", b"Ti\xd2nh \xd0\xf4ng Phu\xec", "Tỉnh Đông Phú"),
    ("utf-8", "Hậu Giang".encode(), "Hậu Giang"),
]


@pytest.mark.parametrize("encoding,data,text", CASES)
def test_decode_gives_nfc(encoding, data, text):
    assert encodings.decode(data, encoding) == text


def test_tcvn3_refuses_bytes_it_does_not_have():
    with pytest.raises(UnicodeDecodeError, match="byte 0x81 is not a TCVN3 letter"):
        encodings.decode(b"a\x81", "tcvn3")


def test_unknown_encoding_names_the_choices():
    with pytest.raises(ValueError, match=r"unknown encoding 'koi8': choose one of utf-8, cp1258, tcvn3, vni"):
        encodings.canonical("koi8")


TENANT_FIELDS = LOT_FIELDS + [(b"tenant", "C", 30, 0)]


def _lot_shapefile(tmp_path, tenant: bytes, cpg: str | None, name_bytes: bytes = b"tenant"):
    fields = LOT_FIELDS + [(name_bytes, "C", 30, 0)]
    return shapefile(tmp_path / "shp", "lots", [GOOD], fields, [lot_record() + [tenant]], cpg=cpg)


def test_cp1258_with_cpg_keeps_every_character(loaded_store, tmp_path):
    """Today GDAL drops the last character of every name and value (`cod`, `zone_cod`)."""
    path = _lot_shapefile(tmp_path, b"C\xf4ng ty H\xe2\xf2u Giang", cpg="1258")
    import_file(loaded_store, "lots", path)
    row = loaded_store.read_layer("lots").set_index("code").loc["N1"]
    assert row["tenant"] == "Công ty Hậu Giang"
    assert row["zone_code"] == "Z1"


def test_utf8_without_cpg_is_read_when_it_decodes_cleanly(loaded_store, tmp_path):
    """Today stored as mojibake (`Tá»\\x89nh Háº\\xadu Giang`)."""
    path = _lot_shapefile(tmp_path, "Tỉnh Hậu Giang".encode(), cpg=None)
    import_file(loaded_store, "lots", path)
    assert loaded_store.read_layer("lots").set_index("code").loc["N1", "tenant"] == "Tỉnh Hậu Giang"


def test_non_ascii_without_cpg_and_not_utf8_is_refused_naming_the_choices(loaded_store, tmp_path):
    path = _lot_shapefile(tmp_path, b"C\xf4ng ty H\xe2\xf2u Giang", cpg=None)
    with pytest.raises(ImportRefused) as info:
        import_file(loaded_store, "lots", path)
    assert str(info.value) == (
        "lots.shp: the attribute table holds non-ASCII text and no .cpg says its encoding; pass --encoding with one of "
        "utf-8, cp1258, tcvn3, vni (TCVN3 is the ABC .Vn fonts, VNI the VNI- fonts)")
    import_file(loaded_store, "lots", path, encoding="cp1258")
    assert loaded_store.read_layer("lots").set_index("code").loc["N1", "tenant"] == "Công ty Hậu Giang"


@pytest.mark.parametrize("encoding,data", [("tcvn3", b"C\xabng ty H\xcbu Giang"), ("vni", b"Co\xe2ng ty Ha\xe4u Giang")])
def test_legacy_font_encodings_in_a_zipped_shapefile(loaded_store, tmp_path, encoding, data):
    path = zipped(_lot_shapefile(tmp_path, data, cpg=None))
    import_file(loaded_store, "lots", path, encoding=encoding)
    assert loaded_store.read_layer("lots").set_index("code").loc["N1", "tenant"] == "Công ty Hậu Giang"


def test_non_ascii_field_names_decoded_too(loaded_store, tmp_path):
    """A DBF column `Tên DN` in cp1258 is the Vietnamese name for the tenant."""
    path = _lot_shapefile(tmp_path, b"C\xf4ng ty A", cpg="1258", name_bytes=b"T\xean DN")
    import_file(loaded_store, "lots", path)
    assert loaded_store.read_layer("lots").set_index("code").loc["N1", "tenant"] == "Công ty A"


def test_csv_in_cp1258(loaded_store, tmp_path):
    path = tmp_path / "lots.csv"
    wkt = GOOD.wkt.encode()
    path.write_bytes(b'code,zone_code,land_use,status,tenant,wkt\r\nN1,Z1,factory,leased,C\xf4ng ty H\xe2\xf2u Giang,"' + wkt + b'"\r\n')
    with pytest.raises(ImportRefused, match=r"lots.csv is not UTF-8 text; pass --encoding with one of utf-8, cp1258, tcvn3, vni"):
        import_file(loaded_store, "lots", path)
    import_file(loaded_store, "lots", path, encoding="cp1258")
    assert loaded_store.read_layer("lots").set_index("code").loc["N1", "tenant"] == "Công ty Hậu Giang"
