"""Staff accounts, roles and sign-in: who may change the board's data.

The public (not signed in) reads the map, the investor pages and the read-only
API/OGC; staff sign in. Roles, each with everything the one before it may do:
``planner`` (imports, attribute and geometry edits, clearance status, reverts),
``leader`` (progress reports, directive status), ``admin`` (users).
"""
from mapapp.auth.accounts import ROLES, User

__all__ = ["ROLES", "User"]
