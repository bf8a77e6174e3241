"""``mapapp import``: load a geodata file into a layer, with what the source file declares (issue 9: encoding,
column mapping, number and date formats, geometry repair), read by :mod:`mapapp.sources`."""
from __future__ import annotations

import sys
import time

import click

from mapapp.changes.model import Actor
from mapapp.cli import _store, as_option, confirmed, user_errors
from mapapp.layers import LAYERS


def _source_options(fn):
    """``--encoding``, ``--map``, ``--mapping``, ``--save-mapping``, ``--number-format``, ``--date-format``, ``--repair``."""
    options = [
        click.option("--encoding", help="Text encoding of a DBF or CSV: utf-8, cp1258, tcvn3 (ABC), vni."),
        click.option("--map", "map_", multiple=True, metavar="FIELD=COLUMN", help="Take FIELD from COLUMN (repeatable)."),
        click.option("--mapping", help="Use the mapping saved under this name (instance/mappings/NAME.json)."),
        click.option("--save-mapping", help="Save the --map pairs under this name for later --mapping."),
        click.option("--number-format", type=click.Choice(["plain", "vi"]), default="plain", show_default=True,
                     help="vi: numbers written 1.234,5"),
        click.option("--date-format", type=click.Choice(["iso", "dmy"]), default="iso", show_default=True,
                     help="dmy: dates written dd/mm/yyyy"),
        click.option("--repair", is_flag=True, help="Make invalid geometries valid (refused if a feature's area changes > 1 %)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _source_settings(encoding: str | None, map_: tuple[str, ...], mapping: str | None, save_mapping: str | None,
                     number_format: str, date_format: str, repair: bool) -> dict:
    from mapapp.config import INSTANCE_DIR
    from mapapp.sources.mapping import load_mapping, parse_pairs, save_mapping as save
    from mapapp.values import DateFormat, NumberFormat, ValueFormat

    folder = INSTANCE_DIR / "mappings"
    pairs = {**(load_mapping(folder, mapping) if mapping else {}), **parse_pairs(map_)}
    if save_mapping:
        click.echo(f"mapping saved: {save(folder, save_mapping, pairs)}", err=True)
    fmt = ValueFormat(numbers=NumberFormat(number_format), dates=DateFormat(date_format))
    return {"encoding": encoding, "mapping": pairs or None, "fmt": fmt, "repair": repair}


@click.command("import", help="Load a geodata file into LAYER, all or nothing (GeoJSON, GeoPackage, Shapefile (.shp or .zip), "
                             "KML/KMZ, CSV, Excel .xlsx, DXF, DGN).")
@click.argument("layer", type=click.Choice(list(LAYERS)))
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--crs", help="CRS of the file's coordinates: EPSG:5897, VN-2000 (TM-3 105°00'), VN-2000/TM3-105.5…; overrides the file.")
@click.option("--replace", is_flag=True, help="Remove the layer's features that are not in the file.")
@click.option("--source-layer", help="Layer inside a multi-layer file (GeoPackage).")
@click.option("--progress/--no-progress", default=None, help="Print each stage with its time (default: when run in a terminal).")
@click.option("--dry-run", is_flag=True, help="Say what would be added, changed, unchanged and retired; store nothing.")
@click.option("--confirm", is_flag=True, help="Save even with warnings (e.g. amounts paid going down); they are recorded.")
@click.option("--warm/--no-warm", default=True, help="After an import of zones or parcels, work out the clearance figures "
                                                     "of the zones it touched for every reader (default: on).")
@as_option
@_source_options
@user_errors
def import_cmd(layer: str, path: str, crs: str | None, replace: bool, source_layer: str | None, progress: bool | None,
               dry_run: bool, confirm: bool, warm: bool, as_name: str | None, **source) -> None:
    from mapapp.gc_pause import no_gc_passes

    with no_gc_passes():  # the readers (pyogrio, GDAL's bindings) load without collections walking the start's objects
        from mapapp.sources.importer import import_file

    started = time.monotonic()
    show = sys.stderr.isatty() if progress is None else progress

    def report_stage(stage: str) -> None:
        if show:
            click.echo(f"[{time.monotonic() - started:6.1f} s] {stage}", err=True)

    store = _store()
    settings = _source_settings(**source)
    summary = confirmed(lambda ok: import_file(
        store, layer, path, crs=crs, replace=replace, source_layer=source_layer, progress=report_stage,
        actor=Actor.command_line(as_name, via="import"), confirm=ok, dry_run=dry_run, **settings), confirm)
    counts = ", ".join(f"{k} {v}" for k, v in summary.result.counts().items())
    if summary.extras:
        click.echo(f"columns that are no field of {layer}, kept as extra attributes: {', '.join(summary.extras)}")
    if dry_run:
        click.echo(f"dry run, nothing stored: {summary.features} features in the file would give {counts}")
        for outcome in ("added", "changed", "retired"):
            codes = getattr(summary.result, outcome)
            if codes:
                click.echo(f"  {outcome}: {', '.join(codes[:10])}{' …' if len(codes) > 10 else ''}")
        return
    click.echo(f"imported {summary.features} features into {layer} ({counts}); change {summary.result.change_id}; "
               f"conflicts now: {summary.conflicts} ({time.monotonic() - started:.1f} s)")
    if warm:
        from mapapp.cli_figures import warm_touched

        warm_touched(store, layer, summary.result, report_stage)
