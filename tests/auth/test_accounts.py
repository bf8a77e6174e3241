"""Accounts (mapapp.auth.accounts): signing in tells nothing of which names exist, not even by its time."""
from __future__ import annotations

import hashlib

import pytest

from mapapp.auth import accounts
from tests.conftest import PASSWORD


@pytest.fixture
def derivations(monkeypatch):
    """The password-hash derivations (scrypt, werkzeug's default) made while the test runs."""
    made = []
    real = hashlib.scrypt

    def counted(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counted)
    return made


@pytest.mark.parametrize(("name", "password", "known"), [
    ("planner1", PASSWORD, True),  # the right password
    ("planner1", "sai mật khẩu hoàn toàn", False),  # a known name, a wrong password
    ("không-có-ai", PASSWORD, False),  # no such name
    ("retired1", PASSWORD, False),  # a disabled account
    ("", PASSWORD, False),  # not a name at all
])
def test_every_sign_in_costs_one_password_check(store, derivations, name, password, known):
    accounts.add_user(store, "planner1", "planner", PASSWORD)
    accounts.add_user(store, "retired1", "planner", PASSWORD)
    accounts.disable(store, "retired1")
    accounts._stand_in_hash()  # made once per process, before any sign-in is timed
    derivations.clear()
    user = accounts.authenticate(store, name, password)
    assert (user is not None) == known
    assert len(derivations) == 1
