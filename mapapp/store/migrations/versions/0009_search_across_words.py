"""Search across words on PostgreSQL: "no match" of common words is answered by the index, not by rows.

Revision ID: 0009_search_across_words
Revises: 0008_zone_figure_parts
Create Date: 2026-11-30

pg_trgm cuts a text into words at every non-alphanumeric character and indexes the trigrams of each
word, so the index of ``0004_search_index`` cannot tell ``'%san xuat cong%'`` from rows holding
"san", "xuat" and "cong" anywhere: half the lots of the synthetic province, each read to recheck.
Each trigram GIN index is replaced by one on ``translate(column, separators, 'q…')``, which turns the
usual separators into a letter, so the trigrams span the words as FTS5's trigrams do on SQLite.
The search asks ``translate(column, …) LIKE translate(query, …)`` (true whenever the column holds
the query, a character-by-character map keeps substrings) beside the exact ``LIKE``. SQLite: nothing.

Frozen like every migration: the layer names and the separators are written out here.
"""
from __future__ import annotations

from alembic import op

revision = "0009_search_across_words"
down_revision = "0008_zone_figure_parts"
branch_labels = None
depends_on = None

LAYERS = ("zones", "lots", "clearance", "projects")
COLUMNS = ("search_text", "search_personal")
SEPARATORS = " -_.,/()&:;'\""
LETTERS = "q" * len(SEPARATORS)


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for layer in LAYERS:
        for column in COLUMNS:
            op.execute(f"CREATE INDEX IF NOT EXISTS ix_{layer}_{column}_joined_trgm ON {layer} USING gin "
                       f"((translate({column}, {_quoted(SEPARATORS)}, {_quoted(LETTERS)})) gin_trgm_ops)")
            op.execute(f"DROP INDEX IF EXISTS ix_{layer}_{column}_trgm")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for layer in LAYERS:
        for column in COLUMNS:
            op.execute(f"CREATE INDEX IF NOT EXISTS ix_{layer}_{column}_trgm ON {layer} USING gin ({column} gin_trgm_ops)")
            op.execute(f"DROP INDEX IF EXISTS ix_{layer}_{column}_joined_trgm")
