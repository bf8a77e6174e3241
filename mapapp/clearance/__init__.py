"""Land clearance as the board runs it: the Land Law 2024 procedure per parcel and household.

Modules (pure: tables and geometry in, tables out; no database, no clock):
``procedure`` (the procedure's public names, from ``steps`` (steps, time limits, order rules, records),
``deadlines`` (settings, deadlines), ``step_checks`` (a parcel's records checked), ``parcel_progress`` (where
parcels stand), ``authorities`` (who performs a step), ``step_rows`` (records read from a table)), ``derive`` (the five old statuses),
``blocks`` (contiguous cleared land, lot readiness), ``forecast`` (expected handover),
``blockers`` (the register of item 11 and the weekly late list), ``matrix`` (household ×
step table and its .xlsx), ``units`` (administrative units with validity dates), ``view``
(the API's figures in one call, a work's parcels, a household's own file, personal columns).
"""
