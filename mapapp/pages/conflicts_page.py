"""Route: the conflicts page (table, filters, CSV)."""
