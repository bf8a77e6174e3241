"""Search index: "no match" is answered from an index, not by reading every row's folded text.

Revision ID: 0004_search_index
Revises: 0003_metric_geometry
Create Date: 2026-11-29

SQLite: an FTS5 table per searched layer (``<layer>_search``) over the row's ``search_text`` and
``search_personal``, with the trigram tokenizer (a phrase matches any substring of 3+ characters,
as the LIKE it replaces), external content (the layer table holds the text; the index only its
trigrams) and triggers that keep it current on every insert, update and delete, whatever writes.
PostgreSQL: pg_trgm (a trusted extension: the database's owner may create it) and a trigram GIN
index on each column, which the planner uses for ``LIKE '%…%'`` itself.

Frozen like every migration: the layer names are written out here, not read from the app.
"""
from __future__ import annotations

from alembic import op

revision = "0004_search_index"
down_revision = "0003_metric_geometry"
branch_labels = None
depends_on = None

LAYERS = ("zones", "lots", "clearance", "projects")
COLUMNS = ("search_text", "search_personal")


def _sqlite_upgrade(layer: str) -> None:
    fts = f"{layer}_search"
    op.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_text, search_personal, content='{layer}', "
        "content_rowid='id', tokenize='trigram case_sensitive 1')"
    )
    new = f"INSERT INTO {fts}(rowid, search_text, search_personal) VALUES (new.id, new.search_text, new.search_personal);"
    old = (f"INSERT INTO {fts}({fts}, rowid, search_text, search_personal) "
           "VALUES ('delete', old.id, old.search_text, old.search_personal);")
    op.execute(f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {layer} BEGIN {new} END")
    op.execute(f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {layer} BEGIN {old} END")
    op.execute(f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF id, search_text, search_personal ON {layer} BEGIN {old} {new} END")
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for layer in LAYERS:
            _sqlite_upgrade(layer)
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for layer in LAYERS:
        for column in COLUMNS:
            op.execute(f"CREATE INDEX IF NOT EXISTS ix_{layer}_{column}_trgm ON {layer} USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for layer in LAYERS:
        if sqlite:
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {layer}_search_{event}")
            op.execute(f"DROP TABLE IF EXISTS {layer}_search")
        else:
            for column in COLUMNS:
                op.execute(f"DROP INDEX IF EXISTS ix_{layer}_{column}_trgm")
