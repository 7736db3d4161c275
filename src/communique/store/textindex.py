"""The evidence-text index for the `q` filter (words in a mention's sentence), on SQLite.

An FTS5 trigram table holds, for each story, its mentions' sentences joined by newlines; its
rowid is the story's rowid, so a match names stories directly and the query reads no mention.
A trigram match finds every substring of three characters or more, folding case in every
alphabet and keeping accents, as PostgreSQL's lower() does; a phrase without a newline cannot
span two sentences. The writer refreshes a story's row whenever it recomputes the story.

SQLite keeps rowids through VACUUM (the copy keeps each table's b-tree records as they are);
`rebuild` rewrites the whole index from the stored mentions if ever in doubt.

PostgreSQL has no such table here: there the filter scans (see README, API at scale).
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

TABLE = "stories_fts"
MIN_CHARS = 3  # a trigram index cannot look up shorter strings
_ROW = (f"INSERT INTO {TABLE}(rowid, sentences) SELECT s.rowid, group_concat(e.sentence, char(10)) "
        "FROM events e JOIN stories s ON s.id = e.story_id")


def enabled(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def create(conn: Connection) -> None:
    if enabled(conn):
        conn.exec_driver_sql(f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(sentences, tokenize='trigram')")


def refresh_many(conn: Connection, story_ids: list[str]) -> None:
    """Index these stories' present mentions, in two statements (a batch's touched stories).
    Called before the stories are recomputed, while they still exist: a story left with no
    mention is then deleted, and its row here goes."""
    if not enabled(conn) or not story_ids:
        return
    marks = ", ".join(f":s{i}" for i in range(len(story_ids)))
    params = {f"s{i}": sid for i, sid in enumerate(story_ids)}
    conn.execute(text(f"DELETE FROM {TABLE} WHERE rowid IN (SELECT rowid FROM stories WHERE id IN ({marks}))"), params)
    conn.execute(text(_ROW + f" WHERE e.story_id IN ({marks}) GROUP BY s.rowid"), params)


def rebuild(conn: Connection) -> None:
    """Index every story's mentions from scratch (after a bulk load or a migration)."""
    if not enabled(conn):
        return
    conn.exec_driver_sql(f"DELETE FROM {TABLE}")
    conn.exec_driver_sql(_ROW + " GROUP BY s.rowid")


def usable(conn: Connection, words: str) -> bool:
    """Whether the index can answer this `q` (long enough for trigrams)."""
    return enabled(conn) and len(words) >= MIN_CHARS


def phrase(words: str) -> str:
    """The FTS5 query for a literal substring: one quoted string, its quotes doubled."""
    return '"' + words.replace('"', '""') + '"'


def matching_stories():
    """The rowids of the stories whose sentences contain the bound `:fts_phrase`, as SQL text."""
    return text(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH :fts_phrase")
