"""Search through an index of the stored folded text, so that "no match" reads no row.

SQLite: the FTS5 tables ``<layer>_search`` (trigram tokenizer, external content, kept current by
triggers; migration ``0004_search_index``): a quoted phrase matches exactly the rows whose text
contains it, as ``LIKE '%…%'`` does. Queries of fewer than 3 characters have no trigram to look up
and stay a ``LIKE`` (walked in code order, it stops at the first page of hits, which short queries
have many of). PostgreSQL: the same ``LIKE`` beside one on the text with its usual separators
turned into a letter (:func:`joined`), which the planner answers from the pg_trgm GIN indexes of
migration ``0009_search_across_words``: their trigrams span words, so a phrase of common words
found nowhere is a miss in the index instead of a recheck of every row holding each word.
"""
from __future__ import annotations

from sqlalchemy import Connection, Table, func, literal_column, or_, select, text
from sqlalchemy.sql.elements import ColumnElement

from mapapp.layers import get_layer
from mapapp.store import schema

INDEXED_LAYERS = ("zones", "lots", "clearance", "projects")
# the trigram tokenizer indexes runs of 3 characters: a shorter query finds nothing in the index
MIN_INDEXED = 3
# more hits than this: the query is common, and the code-ordered walk finds a page of them sooner
DENSE = 1000
# pg_trgm cuts words at these (as at any non-alphanumeric character); the indexes of migration
# 0009_search_across_words are on the text with each of them turned into SEPARATOR_LETTER
SEPARATORS = " -_.,/()&:;'\""
SEPARATOR_LETTER = "q"
_TO_LETTER = str.maketrans(SEPARATORS, SEPARATOR_LETTER * len(SEPARATORS))


def like_pattern(folded: str) -> str:
    """``%folded%`` with ``\\``, ``%`` and ``_`` escaped (escape character ``\\``)."""
    return "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def fts_query(folded: str, staff: bool) -> str:
    """The FTS5 query for rows containing ``folded``: one phrase in ``search_text`` (and ``search_personal`` for staff)."""
    columns = "{search_text search_personal}" if staff else "search_text"
    return f'{columns} : "{folded.replace(chr(34), chr(34) * 2)}"'


def _sql_string(value: str) -> ColumnElement:
    # written into the statement, not bound: the planner matches an expression index by its text
    return literal_column("'" + value.replace("'", "''") + "'")


def joined(column: ColumnElement, folded: str) -> ColumnElement:
    """``column`` with :data:`SEPARATORS` turned into :data:`SEPARATOR_LETTER` contains ``folded`` so
    turned: true of every row whose ``column`` contains ``folded`` (a character-by-character map keeps
    substrings), and answered from the trigram GIN indexes of ``0009_search_across_words`` (PostgreSQL)."""
    letters = SEPARATOR_LETTER * len(SEPARATORS)
    expression = func.translate(column, _sql_string(SEPARATORS), _sql_string(letters))
    return expression.like(like_pattern(folded.translate(_TO_LETTER)), escape="\\")


def _like(table: Table, folded: str, staff: bool, through_index: bool = False) -> ColumnElement:
    """``search_text`` (and ``search_personal`` for ``staff``) ``LIKE '%folded%'``; ``through_index``:
    with :func:`joined` beside each, the same rows, which PostgreSQL then finds through its indexes."""
    pattern = like_pattern(folded)

    def contains(column: ColumnElement) -> ColumnElement:
        match = column.like(pattern, escape="\\")
        return joined(column, folded) & match if through_index else match

    return or_(*(contains(c) for c in ((table.c.search_text, table.c.search_personal) if staff else (table.c.search_text,))))


def condition(conn: Connection, layer: str, table: Table, folded: str, staff: bool) -> ColumnElement | None:
    """The rows of ``table`` whose folded text contains ``folded`` (personal fields for ``staff`` only), as a
    clause, or ``None`` when the index shows that no row does (then nothing else needs to be read).

    ``folded`` is already folded (:func:`mapapp.text.fold`). The index is asked first for at most
    :data:`DENSE` + 1 row ids: none, and the answer is known; up to :data:`DENSE`, the clause is those
    ids; past it, hits are so dense that the ``LIKE`` walk in code order meets its first page at once.
    """
    if len(folded) < MIN_INDEXED or layer not in INDEXED_LAYERS:
        return _like(table, folded, staff)
    if conn.dialect.name == "sqlite":
        fts = f"{layer}_search"
        ids = conn.execute(text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :q LIMIT :n"),
                           {"q": fts_query(folded, staff), "n": DENSE + 1}).scalars().all()
    else:
        ids = conn.execute(select(table.c.id).where(_like(table, folded, staff, through_index=True)).limit(DENSE + 1)).scalars().all()
    if not ids:
        return None
    return _like(table, folded, staff) if len(ids) > DENSE else table.c.id.in_(ids)


#: The fields a hit is labelled by, the first one set: a zone's or project's name, a lot's tenant, a parcel's owner.
LABEL_FIELDS = ("name", "tenant", "owner")


def hits(conn: Connection, layer: str, folded: str, limit: int, staff: bool) -> list[tuple]:
    """Active features of ``layer`` whose folded code, name, tenant or owner contains ``folded`` (the owner, a
    personal field, for ``staff`` only), at most ``limit`` in code order: ``(code, label, minx, miny, maxx, maxy)``
    tuples, ``label`` the first of :data:`LABEL_FIELDS` set (None: none), the box in WGS84 degrees. Plain rows, no
    frame: most layers answer a search with none (:func:`condition` then reads no row)."""
    spec = get_layer(layer)
    table = schema.layer_tables[layer]
    label = [table.c[c] for c in LABEL_FIELDS if c in spec.field_names and (staff or c not in spec.personal_fields)]
    match = condition(conn, layer, table, folded, staff)
    if match is None:
        return []
    query = (select(table.c.code, table.c.minx, table.c.miny, table.c.maxx, table.c.maxy, *label)
             .where(match, table.c.retired_at.is_(None)).order_by(table.c.code).limit(limit))
    return [(r[0], next((v for v in r[5:] if v is not None), None), *r[1:5]) for r in conn.execute(query)]


def is_index_object(type_: str, name: str | None) -> bool:
    """Whether a database object is part of the search index (FTS5 tables and their shadow tables,
    trigram indexes): made by the migration, not described in :mod:`mapapp.store.schema`."""
    if not name:
        return False
    if type_ == "table":
        return any(name == f"{layer}_search" or name.startswith(f"{layer}_search_") for layer in INDEXED_LAYERS)
    return type_ == "index" and name.startswith("ix_") and name.endswith("_trgm")
