"""Helpers of the crash, disk and load tests: run `communique` in a forked child (the model already
loaded, so a run costs its own work only) that can be killed, starved of disk or demoted to a user
who cannot write; and dump a store's rows in a form two stores can be compared by.

A forked child runs the real CLI (`communique.cli.app`) with its stdout and stderr sent to files;
`arm_kill(phase, n)` makes it SIGKILL itself at the n-th step of a phase (parsing a document,
writing a document's events, recomputing a story), so each phase is hit for certain, while the
caller may also SIGKILL it from outside at a random moment.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import Integer, create_engine, select, text
from sqlalchemy.pool import NullPool

CITIES = ["Lagos", "Nairobi", "Karachi", "Lima", "Manila", "Dhaka", "Quito", "Accra", "Hanoi", "Tunis"]
PAIRS = [("India", "Japan"), ("France", "Germany"), ("Brazil", "Argentina"), ("Kenya", "Uganda")]
# Columns that record when a row was written, not what it holds: they differ between two runs.
WHEN = {"ingested_at", "coded_at", "created_at", "last_used", "at"}


def corpus(n: int, start: int = 0) -> str:
    """n distinct short reports (JSONL) that code to several events each, sharing some stories."""
    lines = []
    for i in range(start, start + n):
        city = CITIES[i % len(CITIES)]
        a, b = PAIRS[i % len(PAIRS)]
        text_ = (f"Police in {city} arrested {i + 3} protesters on Tuesday after a march against fuel prices "
                 f"turned violent, officials said. The foreign ministers of {a} and {b} met in {city} on "
                 f"Wednesday and agreed to expand trade talks. {a} condemned the attack on a border post that "
                 f"killed {i % 7 + 2} soldiers, and called on {b} to help find those responsible. Report {i}.")
        lines.append(json.dumps({"id": f"r{i}", "text": text_, "published": f"2025-03-{i % 27 + 1:02d}",
                                 "url": f"https://example.org/r{i}"}))
    return "\n".join(lines) + "\n"


def warm() -> None:
    """Load the model in this process, so forked children share it."""
    from communique import extract

    extract("Police arrested protesters in Lagos on Tuesday.", published="2025-03-04")


@dataclass
class Child:
    pid: int
    out: Path
    err: Path
    status: int | None = None

    def poll(self) -> int | None:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def wait(self, timeout: float = 300) -> int:
        """The exit code, or -signal if killed."""
        deadline = time.monotonic() + timeout
        while self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                raise TimeoutError(f"child {self.pid} ran over {timeout} s")
            time.sleep(0.01)
        return self.status

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    @property
    def stdout(self) -> str:
        return self.out.read_text(errors="replace")

    @property
    def stderr(self) -> str:
        return self.err.read_text(errors="replace")


def fork_cli(args: list[str], logs: Path, before: Callable[[], None] | None = None) -> Child:
    """`communique ARGS` in a forked child; `before` runs in the child first (limits, hooks)."""
    logs.mkdir(parents=True, exist_ok=True)
    out, err = logs / "stdout", logs / "stderr"
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return Child(pid, out, err)
    code = 70
    try:
        fo, fe = open(out, "w"), open(err, "w")
        os.dup2(fo.fileno(), 1)
        os.dup2(fe.fileno(), 2)
        sys.stdout, sys.stderr = fo, fe
        import logging

        logging.getLogger().handlers.clear()  # the CLI sets up its own (pytest's are the parent's)
        if before:
            before()
        from communique.cli import app

        try:
            app(args, prog_name="communique")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 71
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm_kill(phase: str, n: int) -> Callable[[], None]:
    """A `before` hook: SIGKILL this process at the n-th step of `phase`: create (a table of a
    new store created), parse (a document parsed, its batch not yet stored), write (a document's events inserted,
    uncommitted) or recompute (a story's text index rebuilt, the story itself not yet)."""
    def hook() -> None:
        from communique import pipeline
        from communique.store import write

        count = [0]

        def step() -> None:
            count[0] += 1
            if count[0] >= n:
                _die()

        if phase == "parse":
            original = pipeline.parse_many

            def parse_many(docs, *a, **k):
                for item in original(docs, *a, **k):
                    step()
                    yield item
            pipeline.parse_many = parse_many
        elif phase == "write":
            original_add = write.Writer.add_events

            def add_events(self, *a, **k):
                original_add(self, *a, **k)
                step()
            write.Writer.add_events = add_events
        elif phase == "recompute":
            original_refresh = write.Writer.refresh_story

            def refresh_story(self, *a, **k):
                original_refresh(self, *a, **k)
                step()
            write.Writer.refresh_story = refresh_story
        elif phase == "create":
            from communique.store import migrate

            def create_all(conn, *a, **k):  # the same tables, one at a time, dying after the n-th
                for table in migrate.metadata.sorted_tables:
                    table.create(conn, checkfirst=True)
                    step()
            migrate.metadata.create_all = create_all
        else:
            raise ValueError(phase)
    return hook


def dump(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without write times and integer surrogate keys (a PostgreSQL
    sequence is not rolled back with its transaction, so those differ after a crash)."""
    from communique.store.schema import metadata

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            found = {}
            for table in metadata.sorted_tables:
                cols = [c for c in table.columns if c.name not in WHEN and not (
                    isinstance(c.type, Integer) and (c.name == "id" or c.name.endswith("_id")))]
                rows = conn.execute(select(*cols)).all()
                found[table.name] = sorted((tuple(map(repr, r)) for r in rows))
            if conn.dialect.name == "sqlite":
                found["stories_fts"] = sorted(tuple(map(repr, r)) for r in conn.execute(
                    text("SELECT s.id, f.sentences FROM stories_fts f JOIN stories s ON s.rowid = f.rowid")))
            return found
    finally:
        engine.dispose()


def wait_for_documents(db: Path, proc, at_least: int, seconds: float = 300) -> int:
    """Poll a SQLite store another process is writing until it holds `at_least` documents, the
    process ends, or time runs out; the count last seen (0 while the file or schema is missing)."""
    import sqlite3

    deadline, stored = time.monotonic() + seconds, 0
    while time.monotonic() < deadline and proc.poll() is None and stored < at_least:
        if db.exists():
            try:
                con = sqlite3.connect(db, timeout=1)
                stored = con.execute("select count(*) from documents").fetchone()[0]
                con.close()
            except sqlite3.OperationalError:  # the schema is still being created
                pass
        time.sleep(0.05)
    return stored


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def integrity(path: Path) -> str:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
