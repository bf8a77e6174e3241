"""``mapapp backup`` and ``mapapp restore``: a consistent copy of the whole database, and putting one back."""
from __future__ import annotations

import click

from mapapp.cli import _store, user_errors


@click.command("backup", help="Write a consistent copy of the whole database to PATH (a new file) while the server runs: SQLite's online backup, or pg_dump for PostgreSQL.")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--portable", is_flag=True, help="PostgreSQL: write an SQLite copy, which either backend restores, instead of a pg_dump archive.")
@user_errors
def backup_cmd(path: str, portable: bool) -> None:
    from mapapp.store.backup import backup

    summary = backup(_store(), path, portable=portable)
    click.echo(f"backup written to {summary.path} ({summary.format}): {summary.describe()}")


@click.command("restore", help="Replace the whole content of the database with the backup at PATH (refused on a database holding data without --force).")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace the content of a database that is not empty.")
@user_errors
def restore_cmd(path: str, force: bool) -> None:
    from mapapp.store.restore import restore

    summary = restore(_store(), path, force=force)
    click.echo(f"restored {summary.path} ({summary.format}): {summary.describe()}")
