"""Schema versions. A new database is created at the current version; an older one is brought
up to date by the migrations after its version, in one transaction. Each release that changes
the schema adds a function here and bumps `schema.SCHEMA_VERSION`."""
from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection

from .schema import SCHEMA_VERSION, meta, metadata

log = logging.getLogger(__name__)


class StoreError(Exception):
    """The database cannot be used: not a Communique store, too new, unreachable."""


class StoreConflict(StoreError):
    """A write lost a race: another writer stored the same document between check and write."""


def _v2(conn: Connection) -> None:
    """Analyst corrections and API tokens (tables), the corrected/dismissed story flags, and the
    dashboard's rollups (tables, filled from the stories) with the default view's index."""
    from .schema import corrections, rollup_actors, rollup_days, rollup_dyads, rollup_places, rollup_weeks, stories, tokens

    corrections.create(conn)
    tokens.create(conn)
    for column in ("corrected", "dismissed"):
        conn.execute(text(f"ALTER TABLE stories ADD COLUMN {column} BOOLEAN NOT NULL DEFAULT FALSE"))
    for index in stories.indexes:
        if index.name in ("ix_stories_view", "ix_stories_sources", "ix_stories_fatalities", "ix_stories_intensity",
                          "ix_stories_documents"):
            index.create(conn)
    for table in (rollup_days, rollup_weeks, rollup_dyads, rollup_places, rollup_actors):
        table.create(conn)
    # filled by _v3's rebuild, which always follows (the rollups of today's schema need v3's columns)


def _v3(conn: Connection) -> None:
    """The API at scale: the sides' countries on each story with their indexes, the place index
    widened with the default view's flags and the per-country rollups, filled from the stored
    rows. (v3 also indexed the evidence text by document; v4 replaced that index.)"""
    from . import countries, rollups
    from .schema import rollup_country_days, rollup_country_places, rollup_country_weeks, stories

    for column in ("src_country", "tgt_country"):
        conn.execute(text(f"ALTER TABLE stories ADD COLUMN {column} VARCHAR(3)"))
    countries.stamp_all(conn)  # before the new indexes, which are then built once
    # v2's single-column sort indexes gave way to the default view's sort indexes
    # and the place and default-view indexes were widened
    widened = ("ix_stories_place", "ix_stories_view", "ix_stories_source", "ix_stories_target")
    for name in (*widened, "ix_stories_sources", "ix_stories_fatalities", "ix_stories_intensity"):
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    for index in stories.indexes:
        if index.name in (*widened, "ix_stories_src_country", "ix_stories_tgt_country", "ix_stories_countries") \
                or index.name.startswith("ix_stories_view_"):
            index.create(conn)
    for table in (rollup_country_days, rollup_country_weeks, rollup_country_places):
        table.create(conn)
    rollups.rebuild(conn)


def _v4(conn: Connection) -> None:
    """On SQLite, the evidence-text index by story instead of by document: a match names the
    stories, with no mention to read, and totals are exact at any depth."""
    from . import textindex

    if textindex.enabled(conn):
        conn.exec_driver_sql("DROP TABLE IF EXISTS sentences_fts")
    textindex.create(conn)
    textindex.rebuild(conn)


# version -> function that upgrades a database from version-1 to version.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {2: _v2, 3: _v3, 4: _v4}


def version(conn: Connection) -> int | None:
    """The schema version of the database, None for an empty database."""
    tables = set(inspect(conn).get_table_names())
    if not tables:
        return None
    if "meta" not in tables:
        raise StoreError(f"has tables ({', '.join(sorted(tables)[:5])}) but is not a Communique store")
    value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    if value is None:
        raise StoreError("has no schema version")
    return int(value)


def upgrade(conn: Connection) -> int:
    """Create or upgrade the schema; the version it is at afterwards."""
    current = version(conn)
    if current is None:
        from . import textindex

        # On SQLite the sqlite3 module opens a transaction only before a data change, so each
        # CREATE TABLE committed on its own: an ingest killed while creating a new store left
        # tables without a schema version, a store no command could open again. One explicit
        # transaction makes the new schema appear whole or not at all.
        if conn.dialect.name == "sqlite" and not conn.connection.driver_connection.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        metadata.create_all(conn)
        textindex.create(conn)
        conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        return SCHEMA_VERSION
    if current > SCHEMA_VERSION:
        raise StoreError(f"schema version {current} is newer than this Communique's ({SCHEMA_VERSION}): upgrade Communique")
    # A write first, so that on SQLite the transaction is open before the migrations' DDL (the
    # sqlite3 module begins one only before a data change): a failed upgrade leaves the old schema.
    conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(current)))
    for v in range(current + 1, SCHEMA_VERSION + 1):
        log.warning("upgrading the store's schema to version %d", v)
        MIGRATIONS[v](conn)
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(v)))
    return SCHEMA_VERSION
