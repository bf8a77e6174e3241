"""``mapapp user …``: staff accounts (add, set-role, disable, password, token)."""
from __future__ import annotations

import sys

import click

from mapapp.cli import _store, user_errors


@click.group(help="Staff accounts: add, set-role, disable, token, password.")
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
