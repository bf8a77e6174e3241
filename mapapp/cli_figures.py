"""``mapapp figures …``: the clearance figures kept for every app process (see :mod:`mapapp.queries.figure_warm`)."""
from __future__ import annotations

import click

from mapapp.cli import _store, user_errors
from mapapp.cli_clearance import _day


@click.group(help="The clearance figures every app process reads (kept in the database at the data's date).")
def figures() -> None:
    pass


@figures.command("warm", help="Work out every zone's clearance figures ahead of the readers (after a bulk load); "
                              "zones already kept are read, not worked out again.")
@click.option("--date", "date_", help="YYYY-MM-DD (default: the data's date, the one kept).")
@user_errors
def warm(date_: str | None) -> None:
    from mapapp.queries.figure_warm import warm as warm_all

    store = _store()
    at = _day(date_, store)
    done = warm_all(store, at, progress=lambda d, n: click.echo(f"{d}/{n} zones", err=True))
    click.echo(f"figures of {done.zones} zones at {done.at.isoformat()} worked out or found kept in {done.seconds:.1f} s")
