"""The evidence-text index for the `q` filter (words in a mention's sentence), on SQLite.

An FTS5 trigram table holds, for each document, its mentions' sentences (one row per document,
its rowid the document's integer id, which is stable, unlike the rowid of `events`). A trigram
match finds every substring of three characters or more, folding case at least as widely as
SQL's lower(), so the documents it returns are a superset of those with a matching sentence;
the query then checks the sentences themselves with the same LIKE as before, so the answers
are exactly those of the plain scan, only found without reading every sentence. The writer
refreshes a document's row whenever it stores or replaces the document's mentions.

PostgreSQL has no such table here: there the filter scans (see README, API at scale).
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

TABLE = "sentences_fts"
MIN_CHARS = 3  # a trigram index cannot look up shorter strings


def enabled(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def create(conn: Connection) -> None:
    if enabled(conn):
        conn.exec_driver_sql(f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(sentences, tokenize='trigram')")


def refresh(conn: Connection, doc_pk: int) -> None:
    """Index a document's present mentions (none: its row goes)."""
    if not enabled(conn):
        return
    conn.execute(text(f"DELETE FROM {TABLE} WHERE rowid = :pk"), {"pk": doc_pk})
    conn.execute(text(f"INSERT INTO {TABLE}(rowid, sentences) SELECT document_id, group_concat(sentence, char(10)) "
                      "FROM events WHERE document_id = :pk GROUP BY document_id"), {"pk": doc_pk})


def rebuild(conn: Connection) -> None:
    """Index every document's mentions from scratch (after a bulk load or a migration)."""
    if not enabled(conn):
        return
    conn.exec_driver_sql(f"DELETE FROM {TABLE}")
    conn.exec_driver_sql(f"INSERT INTO {TABLE}(rowid, sentences) SELECT document_id, group_concat(sentence, char(10)) "
                         "FROM events GROUP BY document_id")


def usable(conn: Connection, words: str) -> bool:
    """Whether the index can answer this `q` (long enough for trigrams)."""
    return enabled(conn) and len(words) >= MIN_CHARS


def phrase(words: str) -> str:
    """The FTS5 query for a literal substring: one quoted string, its quotes doubled."""
    return '"' + words.replace('"', '""') + '"'


def count_documents(conn: Connection, words: str, cap: int) -> int:
    """How many documents hold the words, counted up to `cap`."""
    q = text(f"SELECT count(*) FROM (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH :fts_phrase LIMIT :cap)")
    return conn.execute(q, {"fts_phrase": phrase(words), "cap": cap}).scalar() or 0


def matching_documents(limit: int | None = None):
    """The rowids (document ids) whose sentences contain the bound `:fts_phrase` (the first
    `limit` of them), as SQL text."""
    return text(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH :fts_phrase" + (f" LIMIT {int(limit)}" if limit else ""))
