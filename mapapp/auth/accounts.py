"""Users in the store: names, roles, hashed passwords, API tokens (only their sha256 kept)."""
from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from mapapp import clock
from mapapp.errors import MapappError
from mapapp.store import schema
from mapapp.store.backend import Store

ROLES = ("planner", "leader", "admin")
# What each role may do; a role may do everything the roles before it may.
PERMISSIONS = {
    "edit": ROLES,
    "import": ROLES,
    "revert": ROLES,
    "report": ("leader", "admin"),
    "directive": ("leader", "admin"),
    "users": ("admin",),
}
MIN_PASSWORD = 10
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


class AccountError(MapappError):
    """A user that cannot be added or changed as asked (one line)."""


@dataclass(frozen=True)
class User:
    """A staff member as Flask-Login sees them."""

    id: int
    name: str
    role: str
    disabled: bool = False

    # Flask-Login's user interface
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return not self.disabled

    @property
    def is_active(self) -> bool:
        return not self.disabled

    def get_id(self) -> str:
        return str(self.id)

    def may(self, action: str) -> bool:
        """Whether this user's role allows ``action`` (a key of :data:`PERMISSIONS`)."""
        return not self.disabled and self.role in PERMISSIONS[action]


def _user(row) -> User:
    return User(id=row.id, name=row.name, role=row.role, disabled=bool(row.disabled))


def _check_name(name: str) -> str:
    name = name.strip().lower()
    if not name or len(name) > 64 or not set(name) <= NAME_CHARS:
        raise AccountError(f"user name {name!r}: use 1 to 64 letters a-z, digits, '.', '_' or '-'")
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ROLES)}")
    return role


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(store: Store, name: str, role: str, password: str) -> User:
    """A new user; :class:`AccountError` for a taken name, an unknown role or a short password."""
    name, role = _check_name(name), _check_role(role)
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: at least {MIN_PASSWORD} characters")
    with store.writing() as conn:
        if conn.execute(select(schema.users.c.id).where(schema.users.c.name == name)).first():
            raise AccountError(f"user {name!r} exists already (mapapp user set-role to change the role)")
        conn.execute(insert(schema.users).values(
            name=name, role=role, password_hash=generate_password_hash(password), disabled=0, created_at=clock.stamp()))
    return get_user(store, name)


def get_user(store: Store, name: str) -> User:
    row = _row(store, schema.users.c.name == _check_name(name))
    if row is None:
        raise AccountError(f"no user {name!r}")
    return _user(row)


def _row(store: Store, condition):
    with store.engine.connect() as conn:
        return conn.execute(select(schema.users).where(condition)).first()


def user_by_id(store: Store, user_id: str) -> User | None:
    try:
        row = _row(store, schema.users.c.id == int(user_id))
    except ValueError:
        return None
    return None if row is None or row.disabled else _user(row)


@functools.cache
def _stand_in_hash() -> str:
    """A password hash made once, checked against when no active user has the name (the same work as a real check)."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The active user with this name and password, else None (the same answer for every failure)."""
    try:
        row = _row(store, schema.users.c.name == _check_name(name))
    except AccountError:
        row = None
    if row is None or row.disabled:
        check_password_hash(_stand_in_hash(), password)  # one hash check, as for a known name: no name told by timing
        return None
    return _user(row) if check_password_hash(row.password_hash, password) else None


def user_by_token(store: Store, token: str) -> User | None:
    row = _row(store, schema.users.c.token_hash == token_digest(token))
    return None if row is None or row.disabled else _user(row)


def _set(store: Store, name: str, **values) -> User:
    user = get_user(store, name)
    with store.writing() as conn:
        conn.execute(update(schema.users).where(schema.users.c.id == user.id).values(**values))
    return get_user(store, name)


def set_role(store: Store, name: str, role: str) -> User:
    return _set(store, name, role=_check_role(role))


def disable(store: Store, name: str) -> User:
    """Disable a user: no sign-in, no token; their history stays."""
    return _set(store, name, disabled=1, token_hash=None)


def set_password(store: Store, name: str, password: str) -> User:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: at least {MIN_PASSWORD} characters")
    return _set(store, name, password_hash=generate_password_hash(password))


def new_token(store: Store, name: str) -> str:
    """A new API token for ``name`` (the old one stops working); only its sha256 is stored."""
    user = get_user(store, name)
    if user.disabled:
        raise AccountError(f"user {name!r} is disabled")
    token = "mapapp_" + secrets.token_urlsafe(32)
    _set(store, name, token_hash=token_digest(token))
    return token


def list_users(store: Store) -> list[User]:
    with store.engine.connect() as conn:
        return [_user(r) for r in conn.execute(select(schema.users).order_by(schema.users.c.name))]
