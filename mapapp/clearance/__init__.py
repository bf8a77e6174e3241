"""Land clearance as the board runs it: the Land Law 2024 procedure per parcel and household.

Modules (pure: tables and geometry in, tables out; no database, no clock):
``procedure`` (steps, order rules, deadlines, authority), ``derive`` (the five old statuses),
``blocks`` (contiguous cleared land, lot readiness), ``forecast`` (expected handover),
``blockers`` (the register of item 11 and the weekly late list), ``matrix`` (household ×
step table and its .xlsx), ``units`` (administrative units with validity dates), ``view``
(the API's figures in one call, a work's parcels, a household's own file, personal columns).
"""
