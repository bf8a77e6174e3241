"""``mapapp figures …``: the clearance figures kept for every app process (see :mod:`mapapp.queries.figure_warm`)."""
from __future__ import annotations

from collections.abc import Callable

import click

from mapapp.changes.model import ChangeResult
from mapapp.cli import _store, user_errors
from mapapp.cli_clearance import _day
from mapapp.store.backend import Store


@click.group(help="The clearance figures every app process reads (kept in the database at the data's date).")
def figures() -> None:
    pass


@figures.command("warm", help="Work out every zone's clearance figures and every lot's readiness ahead of the "
                              "readers (after a bulk load); what is already kept is read, not worked out again.")
@click.option("--date", "date_", help="YYYY-MM-DD (default: the data's date, the one kept).")
@user_errors
def warm(date_: str | None) -> None:
    from mapapp.queries.figure_warm import warm as warm_all

    store = _store()
    at = _day(date_, store)
    done = warm_all(store, at, progress=lambda d, n: click.echo(f"{d}/{n} zones", err=True),
                    lot_progress=lambda d, n: click.echo(f"{d}/{n} lots", err=True))
    click.echo(f"figures of {done.zones} zones and readiness of {done.lots} lots at {done.at.isoformat()} "
               f"worked out or found kept in {done.seconds:.1f} s")


def warm_touched(store: Store, layer: str, result: ChangeResult, report_stage: Callable[[str], None]) -> None:
    """The clearance figures of the zones an import touched, worked out now rather than by their first readers."""
    from mapapp.queries.warm_scope import zones_of

    zones = zones_of(store, layer, [*result.added, *result.changed, *result.retired, *result.restored])
    if zones:
        # imported only when there is something to warm: an import of lots loads none of the figure modules
        from mapapp.queries.figure_warm import warm as warm_zones

        report_stage(f"working out the clearance figures of {_zones(len(zones))}…")
        done = warm_zones(store, zones=zones, progress=lambda d, n: report_stage(f"{d:,}/{n:,} zones"))
        click.echo(f"clearance figures of {_zones(done.zones)} at {done.at.isoformat()} kept for every reader "
                   f"({done.seconds:.1f} s)")


def _zones(count: int) -> str:
    return f"{count:,} zone" if count == 1 else f"{count:,} zones"
