"""The ``mapapp`` command and its helpers: init, serve, set, export, conflicts, report, history, revert, undo-import.

The other commands are in ``cli_import`` (import), ``cli_users`` (user …), ``cli_backup`` (backup,
restore), ``cli_clearance`` (clearance …) and ``cli_figures`` (figures …), added to :func:`main` below.

Errors meant for the user end the command with one line on stderr and a
non-zero exit, never a traceback.
"""
from __future__ import annotations

import gc

# Start-up loads pandas, geopandas, SQLAlchemy and pyproj: 10⁶ objects that live as long as the command, which the
# cyclic collector would walk again and again for nothing (0.2 s of CPU, a sixth of the start). Collection resumes
# once the commands are loaded (the end of this module), as the importer had it.
_COLLECTING = gc.isenabled()
gc.disable()

import functools  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import click  # noqa: E402

from mapapp import clock  # noqa: E402
from mapapp.changes.model import Actor  # noqa: E402
from mapapp.config import Settings  # noqa: E402
from mapapp.errors import ConfirmationNeeded, MapappError  # noqa: E402
from mapapp.layers import LAYERS  # noqa: E402
from mapapp.store.backend import Store  # noqa: E402


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


if __name__ == "__main__":  # pragma: no cover
    from mapapp.cli import main as package_main  # the importable module: the same commands, groups added

    package_main()
else:
    from mapapp.cli_backup import backup_cmd, restore_cmd  # noqa: E402  (they use the helpers above)
    from mapapp.cli_clearance import clearance  # noqa: E402
    from mapapp.cli_figures import figures  # noqa: E402
    from mapapp.cli_import import import_cmd  # noqa: E402
    from mapapp.cli_users import user  # noqa: E402

    for command in (import_cmd, user, backup_cmd, restore_cmd, clearance, figures):
        main.add_command(command)
    if _COLLECTING:
        gc.enable()
