"""The ``mapapp`` command: init, serve, import, export, conflicts, report.

Errors meant for the user end the command with one line on stderr and a
non-zero exit, never a traceback.
"""
from __future__ import annotations

import functools
import json
import sys
import time

import click

from mapapp import clock
from mapapp.changes.model import Actor
from mapapp.config import Settings
from mapapp.errors import ConfirmationNeeded, MapappError
from mapapp.layers import LAYERS
from mapapp.store.backend import Store


def _store() -> Store:
    settings = Settings.from_env()
    store = Store(settings.database, tolerance_m2=settings.tolerance_m2, tolerance_m=settings.tolerance_m,
                  full_recompute_above=settings.conflicts_full_above)
    store.init_schema()
    return store


def user_errors(fn):
    """Turn a :class:`MapappError` into ``mapapp: error: <line>`` and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except MapappError as exc:
            click.echo(f"mapapp: error: {exc}", err=True)
            sys.exit(1)

    return wrapper


def as_option(fn):
    """``--as NAME``: the name the audit log records for this command's writes (default: the system user)."""
    return click.option("--as", "as_name", help="Record the change under this name (default: the system user running the command).")(fn)


def confirmed(write, confirm: bool):
    """Run ``write(confirm)``; warnings ask at a terminal, else need ``--confirm``; confirmed ones are recorded."""
    try:
        return write(confirm)
    except ConfirmationNeeded as exc:
        if confirm or not sys.stdin.isatty():
            raise MapappError(f"{exc} (pass --confirm to save anyway)") from None
        for warning in exc.warnings:
            click.echo(f"warning: {warning}", err=True)
        if not click.confirm("Save anyway?", err=True):
            raise MapappError("not saved") from None
        return write(True)


@click.group(help="mapapp: web map of the province's industrial zones. Database: $MAPAPP_DATABASE (SQLAlchemy URL).")
def main() -> None:
    pass


@main.command(help="Create the database schema (safe to repeat); --sample also loads the bundled sample data.")
@click.option("--sample", is_flag=True, help="Load the sample data in data/geo (replaces what is there).")
@click.option("--force", is_flag=True, help="With --sample: replace a database that holds data (back it up first).")
@as_option
@user_errors
def init(sample: bool, force: bool, as_name: str | None) -> None:
    from mapapp.sources.sample import load_sample

    store = _store()
    click.echo(f"schema ready in {store.engine.url.render_as_string(hide_password=True)}")
    if sample:
        if not store.is_empty() and not force:
            raise MapappError("the database holds data: --sample would replace all of it; back it up (mapapp backup PATH), then pass --force")
        counts = load_sample(store, actor=Actor.command_line(as_name))
        click.echo("sample data loaded: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        click.echo(f"conflicts found: {len(store.read_conflicts())}")


@main.command(help="Serve the map with the waitress WSGI server (loads the sample data into an empty database).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", type=click.IntRange(min=1), help="Request threads (default $MAPAPP_THREADS, else 8).")
@click.option("--connection-limit", type=click.IntRange(min=1),
              help="Open connections served at once, idle keep-alive ones included (default $MAPAPP_CONNECTION_LIMIT, else 1000).")
@click.option("--channel-timeout", type=click.IntRange(min=1),
              help="Seconds an idle connection is kept open (default $MAPAPP_CHANNEL_TIMEOUT, else 120).")
@user_errors
def serve(host: str, port: int, threads: int | None, connection_limit: int | None, channel_timeout: int | None) -> None:
    from mapapp.sources.sample import load_sample

    store = _store()
    if store.is_empty():
        click.echo("empty database: loading the bundled sample data…")
        load_sample(store)
    server = build_server(host, port, threads=threads, connection_limit=connection_limit, channel_timeout=channel_timeout)
    adj = server.adj
    click.echo(f"mapapp serving on http://{host}:{server.effective_port}/  ({adj.threads} threads, "
               f"up to {adj.connection_limit} connections; Ctrl+C stops)")
    server.run()


def build_server(host: str, port: int, **sizes: int | None):
    """The app in the waitress server ``mapapp serve`` runs: settings from the environment, ``sizes`` from its options."""
    from mapapp import create_app
    from mapapp.serving import create_server

    return create_server(create_app(), Settings.from_env(), host, port, **sizes)


# --- what a source file declares (issue 9); read by mapapp.sources ------------------------------------------


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


@main.command("import", help="Load a geodata file into LAYER, all or nothing (GeoJSON, GeoPackage, Shapefile (.shp or .zip), "
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



@main.command("set", help="Change attributes of one feature: mapapp set clearance GP-SH-10 status=cleared")
@click.argument("layer", type=click.Choice(list(LAYERS)))
@click.argument("code")
@click.argument("changes", nargs=-1, required=True)
@click.option("--confirm", is_flag=True, help="Save even with warnings (e.g. an amount paid going down); they are recorded.")
@as_option
@user_errors
def set_cmd(layer: str, code: str, changes: tuple[str, ...], confirm: bool, as_name: str | None) -> None:
    from mapapp.edits import edit_feature, parse_assignments
    from mapapp.values import nfc

    store = _store()
    assignments = parse_assignments(list(changes))
    result = confirmed(lambda ok: edit_feature(store, layer, nfc(code), assignments, Actor.command_line(as_name), confirm=ok), confirm)
    what = "updated" if result.changed or result.restored else "unchanged (the values were already so)"
    click.echo(f"{layer} {code} {what}; conflicts now: {store.conflict_count()}")


@main.command(help="Write LAYER to PATH: .geojson, .gpkg, .shp.zip, .kml, .kmz, .csv or .xlsx.")
@click.argument("layer", type=click.Choice(list(LAYERS)))
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--crs", default="EPSG:4326", show_default=True, help="EPSG:4326 (WGS84) or EPSG:5897 (VN-2000 / TM-3 105°00').")
@user_errors
def export(layer: str, path: str, crs: str) -> None:
    from mapapp.sources.importer import export_layer

    count = export_layer(_store(), layer, path, crs=crs)
    click.echo(f"wrote {count} features of {layer} to {path}")


@main.command(help="List the planning conflicts found by spatial analysis.")
@click.option("--json", "as_json", is_flag=True, help="Print an RFC 7946 FeatureCollection.")
@click.option("--type", "type_", help="Only this conflict type.")
@click.option("--zone", help="Only conflicts in this zone (code).")
@click.option("--recompute", is_flag=True, help="Run the whole analysis again (edits recompute only the conflicts "
              "of what they change), print how many conflicts it found, then list them.")
@user_errors
def conflicts(as_json: bool, type_: str | None, zone: str | None, recompute: bool) -> None:
    from mapapp.analysis.conflicts import to_feature_collection

    store = _store()
    if recompute:
        started = time.monotonic()
        count = store.recompute_conflicts()
        click.echo(f"conflicts recomputed: {count} ({time.monotonic() - started:.1f} s)", err=as_json)
    found = store.read_conflicts(type_=type_, zone=zone)
    if as_json:
        click.echo(json.dumps(to_feature_collection(found), ensure_ascii=False, allow_nan=False))
        return
    if found.empty:
        click.echo("no conflicts")
        return
    click.echo(f"{'type':<26} {'severity':<8} {'zone':<8} {'amount':>12}  description")
    for row in found.itertuples():
        amount = f"{row.area_m2:,.1f} m²" if row.area_m2 == row.area_m2 and row.area_m2 is not None else (
            f"{row.length_m:,.1f} m" if row.length_m == row.length_m and row.length_m is not None else "")
        click.echo(f"{row.type:<26} {row.severity:<8} {row.zone_code or '':<8} {amount:>12}  {row.description}")
    click.echo(f"{len(found)} conflicts")


@main.command(help="Add a progress report to a project (history is kept; nothing is overwritten).")
@click.argument("project_code")
@click.option("--percent", required=True, help="Percent complete, 0 to 100.")
@click.option("--date", "date_", help="Report date YYYY-MM-DD (default: today; not in the future).")
@click.option("--note", default="", help="What was done / why progress changed.")
@click.option("--disbursed", help="Amount disbursed so far, VND.")
@click.option("--reached", help="Metres of the road completed from its start.")
@click.option("--by", "reported_by", default="", help="Who reports (the reporter, e.g. the supervising consultant).")
@click.option("--confirm", is_flag=True, help="Save even with warnings (progress going down, an older date…); they are recorded.")
@as_option
@user_errors
def report(project_code: str, percent: str, date_: str | None, note: str, disbursed: str | None, reached: str | None,
           reported_by: str, confirm: bool, as_name: str | None) -> None:
    from mapapp.reports import add_report
    from mapapp.values import nfc

    store = _store()
    row = confirmed(lambda ok: add_report(
        store, nfc(project_code), percent=percent, date=date_ or clock.today().isoformat(), note=note,
        disbursed_vnd=disbursed, reached_m=reached, reported_by=reported_by, actor=Actor.command_line(as_name), confirm=ok,
    ), confirm)
    click.echo(f"report stored for {project_code}: {row['percent']:g} % on {row['date']}")


@main.command(help="The audit history of one feature, newest first: mapapp history lots SH-A01")
@click.argument("layer", type=click.Choice(list(LAYERS)))
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON.")
@user_errors
def history(layer: str, code: str, as_json: bool) -> None:
    from mapapp.values import nfc

    entries = _store().audit(layer=layer, code=nfc(code))
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, default=str))
        return
    for e in entries:
        click.echo(f"#{e['id']} {e['at']} {e['actor']} ({e['via']}) {e['action']} [change {e['change_id']}]: "
                   f"{json.dumps(e['before'], ensure_ascii=False)} -> {json.dumps(e['after'], ensure_ascii=False)}")
    if not entries:
        click.echo("no change recorded")


@main.command(help="Revert one change of the audit log (by its #id) as a new, logged change.")
@click.argument("entry_id", type=int)
@as_option
@user_errors
def revert(entry_id: int, as_name: str | None) -> None:
    from mapapp.changes.revert import revert as revert_entry

    result = revert_entry(_store(), entry_id, Actor.command_line(as_name))
    click.echo(f"change #{entry_id} reverted: " + ", ".join(f"{k} {v}" for k, v in result.counts().items() if v))


@main.command("undo-import", help="Undo a whole import (its change id, printed by the import and shown by mapapp history) as a new, logged change.")
@click.argument("change_id")
@as_option
@user_errors
def undo_import(change_id: str, as_name: str | None) -> None:
    from mapapp.changes.revert import undo_change

    results = undo_change(_store(), change_id, Actor.command_line(as_name))
    totals: dict[str, int] = {}
    for result in results:
        for key, value in result.counts().items():
            totals[key] = totals.get(key, 0) + value
    click.echo(f"import {change_id} undone: " + ", ".join(f"{k} {v}" for k, v in totals.items() if v))


@main.group(help="Staff accounts: add, set-role, disable, token, password.")
def user() -> None:
    pass


def _password(prompt: str) -> str:
    """From the terminal (asked twice), or the first line of standard input when it is not a terminal."""
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@user.command("add", help="Add a user; the password is read from the terminal (or standard input).")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["planner", "leader", "admin"]))
@user_errors
def user_add(name: str, role: str) -> None:
    from mapapp.auth.accounts import add_user

    added = add_user(_store(), name, role, _password("Password"))
    click.echo(f"user {added.name} added as {added.role}")


@user.command("set-role", help="Change a user's role.")
@click.argument("name")
@click.argument("role", type=click.Choice(["planner", "leader", "admin"]))
@user_errors
def user_set_role(name: str, role: str) -> None:
    from mapapp.auth.accounts import set_role

    changed = set_role(_store(), name, role)
    click.echo(f"user {changed.name} is now {changed.role}")


@user.command("disable", help="Disable a user (no sign-in, no token); their history stays.")
@click.argument("name")
@user_errors
def user_disable(name: str) -> None:
    from mapapp.auth.accounts import disable

    click.echo(f"user {disable(_store(), name).name} disabled")


@user.command("password", help="Set a user's password (read from the terminal or standard input).")
@click.argument("name")
@user_errors
def user_password(name: str) -> None:
    from mapapp.auth.accounts import set_password

    click.echo(f"password of {set_password(_store(), name, _password('New password')).name} changed")


@user.command("token", help="Print a new API token for NAME alone on standard output (the old one stops working).")
@click.argument("name")
@user_errors
def user_token(name: str) -> None:
    from mapapp.auth.accounts import new_token

    click.echo(new_token(_store(), name))


@main.command("backup", help="Write a consistent copy of the whole database to PATH (a new file) while the server runs: SQLite's online backup, or pg_dump for PostgreSQL.")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--portable", is_flag=True, help="PostgreSQL: write an SQLite copy, which either backend restores, instead of a pg_dump archive.")
@user_errors
def backup_cmd(path: str, portable: bool) -> None:
    from mapapp.store.backup import backup

    summary = backup(_store(), path, portable=portable)
    click.echo(f"backup written to {summary.path} ({summary.format}): {summary.describe()}")


@main.command("restore", help="Replace the whole content of the database with the backup at PATH (refused on a database holding data without --force).")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace the content of a database that is not empty.")
@user_errors
def restore_cmd(path: str, force: bool) -> None:
    from mapapp.store.restore import restore

    summary = restore(_store(), path, force=force)
    click.echo(f"restored {summary.path} ({summary.format}): {summary.describe()}")


if __name__ == "__main__":  # pragma: no cover
    from mapapp.cli import main as package_main  # the importable module: the same commands, groups added

    package_main()
else:
    from mapapp.cli_clearance import clearance  # noqa: E402  (it uses the helpers above)
    from mapapp.cli_figures import figures  # noqa: E402

    main.add_command(clearance)
    main.add_command(figures)
