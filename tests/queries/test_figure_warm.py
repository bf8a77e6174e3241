"""Warming every zone's figures after a bulk load (mapapp.queries.figure_warm), on both backends."""
from __future__ import annotations

from sqlalchemy import select

from mapapp.queries import figure_warm, zone_figures, zone_rows
from mapapp.queries.layers import as_of
from mapapp.store import schema


def test_warm_keeps_every_zones_figures_and_row_for_the_readers(sample_store, monkeypatch):
    at = as_of(sample_store)
    codes = figure_warm.zone_codes(sample_store)
    assert set(codes) >= set(sample_store.read_layer("zones", fields_only=True)["code"])
    done = []
    warmed = figure_warm.warm(sample_store, batch=3, progress=lambda d, n: done.append((d, n)))
    assert (warmed.zones, warmed.at) == (len(codes), at)
    assert done[-1] == (len(codes), len(codes)) and len(done) == -(-len(codes) // 3)
    with sample_store.engine.connect() as conn:
        parts = set(conn.execute(select(schema.zone_figure_parts.c.zone_code)).scalars())
        rows = set(conn.execute(select(schema.zone_figure_rows.c.zone_code)).scalars())
    assert parts == set(codes)
    assert rows == set(sample_store.read_layer("zones", fields_only=True)["code"])
    # the readers (a zoom-14 view, /api/layers/zones) work nothing out; a second warm neither

    def refuse(*args):
        raise AssertionError("worked out again")

    monkeypatch.setattr(zone_figures, "_compute", refuse)
    zone_figures.by_zone(sample_store, codes, at)
    zone_rows.zone_rows(sample_store, codes, at)
    zone_figures.forget()
    assert figure_warm.warm(sample_store).zones == len(codes)
