"""``mapapp clearance …``: the leaders' late list, the household × step matrix, recording a step.

Dates default to the date the data shows (:func:`mapapp.queries.layers.as_of`: the dataset's
own date, else today in the province, :func:`mapapp.clock.today`).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from mapapp.changes.model import Actor
from mapapp.cli import _store, as_option, user_errors
from mapapp.errors import MapappError


def _day(text: str | None, store) -> dt.date:
    from mapapp.queries.layers import as_of

    if not text:
        return as_of(store)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise MapappError(f"--date: {text!r} is not a date YYYY-MM-DD") from None


@click.group(help="Land clearance (Land Law 2024 procedure): late steps and tasks, the household × step matrix, steps.")
def clearance() -> None:
    pass


@clearance.command("late", help="Print the overdue steps and blocker tasks on a date (default: the data's date), most late first; * marks what fell due this week.")
@click.option("--date", "date_", help="YYYY-MM-DD (default: the data's date).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
@user_errors
def late(date_: str | None, lang: str) -> None:
    from mapapp.clearance.blockers import format_late
    from mapapp.queries.clearance import late_at

    store = _store()
    at = _day(date_, store)
    for line in format_late(late_at(store, at), at, lang):
        click.echo(line)


@clearance.command("matrix", help="Write the household × step table of a zone or a project (by code) to PATH.xlsx.")
@click.argument("subject")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--date", "date_", help="YYYY-MM-DD (default: the data's date).")
@user_errors
def matrix(subject: str, path: str, date_: str | None) -> None:
    from mapapp.clearance.matrix import write_xlsx
    from mapapp.queries.clearance import matrix_for, subject_title

    if not path.lower().endswith(".xlsx"):
        raise MapappError(f"{path}: the matrix is written as .xlsx")
    store = _store()
    at = _day(date_, store)
    m = matrix_for(store, subject, at)
    write_xlsx(m, Path(path), subject_title(store, subject), at)
    click.echo(f"{len(m.rows)} households × {len(m.state.columns)} steps of {subject} on {at.isoformat()} written to {path}")


@clearance.command("step", help="Record a step done on a parcel, with its document (checked against the Land Law 2024 order and deadlines).")
@click.argument("parcel")
@click.argument("step")
@click.argument("date_")
@click.option("--doc-type", required=True, help="e.g. 'Quyết định thu hồi đất'.")
@click.option("--doc-number", required=True)
@click.option("--doc-date", help="YYYY-MM-DD (default: the step's date).")
@click.option("--signer", help="Who signed it (a role).")
@click.option("--scan", help="Where the scanned document is kept.")
@click.option("--condition", "conditions", multiple=True, help="Enforcement only: an Art. 89 condition that holds (repeat).")
@click.option("--note")
@as_option
@user_errors
def step(parcel: str, step: str, date_: str, doc_type: str, doc_number: str, doc_date: str | None, signer: str | None,
         scan: str | None, conditions: tuple[str, ...], note: str | None, as_name: str | None) -> None:
    from mapapp.changes.clearance import record_step

    version = record_step(_store(), parcel, step, date_, Actor.command_line(as_name), doc_type=doc_type, doc_number=doc_number,
                          doc_date=doc_date, signer=signer, scan=scan, conditions=conditions, note=note)
    click.echo(f"{parcel}: {step} on {date_} recorded (parcel version {version})")
