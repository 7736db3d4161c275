"""The PostgreSQL fixtures: a real server, and a fresh database per test."""

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, inspect, select, text

pytestmark = pytest.mark.postgres

_seen_databases: set[str] = set()


def _notes_table() -> tuple[MetaData, Table]:
    metadata = MetaData()
    notes = Table(
        "notes",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("body", String(200), nullable=False),
    )
    return metadata, notes


def _check_fresh_then_fill(engine) -> None:
    """Order-independent isolation check: both tests create `notes`; the later one must not see it."""
    with engine.connect() as conn:
        name = conn.execute(text("SELECT current_database()")).scalar_one()
    assert name not in _seen_databases
    _seen_databases.add(name)
    assert not inspect(engine).has_table("notes")

    metadata, notes = _notes_table()
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(notes.insert(), [{"body": "première"}, {"body": "second"}, {"body": "ثالث"}])
    with engine.connect() as conn:
        rows = conn.execute(select(notes.c.id, notes.c.body).order_by(notes.c.id)).all()
    assert [tuple(r) for r in rows] == [(1, "première"), (2, "second"), (3, "ثالث")]


def test_server_is_real_postgres(pg_url):
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert conn.dialect.name == "postgresql"
            assert conn.execute(text("SHOW server_encoding")).scalar_one() == "UTF8"
            assert conn.execute(text("SELECT 1 + 1")).scalar_one() == 2
    finally:
        engine.dispose()


def test_create_insert_read(pg_db_url):
    engine = create_engine(pg_db_url)
    try:
        _check_fresh_then_fill(engine)
    finally:
        engine.dispose()


def test_second_test_gets_another_fresh_database(pg_db_url):
    engine = create_engine(pg_db_url)
    _check_fresh_then_fill(engine)
    # Deliberately no engine.dispose(): a pooled connection stays open, and the fixture's
    # teardown must still drop the database (it terminates leftover connections first).
    _leftover_engines.append(engine)


_leftover_engines: list = []
