"""Crash safety: `communique ingest` killed with SIGKILL at random moments (while creating a new
store's tables, while parsing, while writing a document's events, while recomputing a story, and
at random times from outside), over CRASH_RUNS runs (25 by default). After each kill the SQLite store opens and passes
`PRAGMA integrity_check`, and re-running the ingest ends with exactly the rows of an uninterrupted
run. The same with PostgreSQL, its server killed (immediate shutdown) and restarted mid-ingest.
The runs are counted and printed at the end of the session (conftest.py)."""
from __future__ import annotations

import os
import random
import time
from collections import Counter
from pathlib import Path

import pytest

from communique.ingest import Sources
from communique.jobs import ingest
from communique.store import Store
from crashkit import arm_kill, corpus, dump, fork_cli, integrity, sqlite_url, warm

RUNS = int(os.environ.get("CRASH_RUNS", 25))
PG_RUNS = int(os.environ.get("CRASH_PG_RUNS", 6))
DOCS, BATCH = 16, 4
PHASES = ["create", "parse", "write", "recompute", "outside"]
SAID = {"create": "ingest killed creating the store", "parse": "ingest killed parsing",
        "write": "ingest killed writing events", "recompute": "ingest killed recomputing a story",
        "outside": "ingest killed at a random moment"}
KILLS: Counter = Counter()  # (backend, phase) -> kills survived; printed by conftest.py


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    path = tmp_path_factory.mktemp("crash") / "reports.jsonl"
    path.write_text(corpus(DOCS))
    warm()
    return path


@pytest.fixture(scope="module")
def reference(source, tmp_path_factory):
    """The rows of an uninterrupted run, and how long one took."""
    from communique.store import write

    db = tmp_path_factory.mktemp("whole") / "whole.db"
    refresh, recomputed = write.Writer.refresh_story, Counter()

    def counted(self, *a, **k):
        recomputed["stories"] += 1
        return refresh(self, *a, **k)

    write.Writer.refresh_story = counted
    start = time.perf_counter()
    try:
        with Store(str(db)) as store:
            summary = ingest(store, Sources([str(source)]), batch=BATCH)
    finally:
        write.Writer.refresh_story = refresh
    assert summary.new == DOCS and summary.events > DOCS
    return dump(sqlite_url(db)), time.perf_counter() - start, recomputed["stories"]


def _resume(target: str, source: Path) -> None:
    with Store(target) as store:
        summary = ingest(store, Sources([str(source)]), batch=BATCH)
    assert summary.new + summary.unchanged == DOCS and not summary.failed


def test_sigkilled_ingest_leaves_an_intact_sqlite_store_that_a_rerun_completes(source, reference, tmp_path):
    whole, seconds, recomputes = reference
    rng = random.Random(15)  # fixed: a red run can be repeated
    partial = 0
    for run in range(RUNS):
        phase = PHASES[run % len(PHASES)]
        db, logs = tmp_path / f"run{run}.db", tmp_path / f"run{run}"
        args = ["ingest", str(source), "--db", str(db), "--batch", str(BATCH)]
        if phase == "outside":
            child = fork_cli(args, logs)
            time.sleep(rng.uniform(0.05, seconds * 0.9))
            child.kill()
        else:
            # the n-th document parsed, document written or story recomputed, across the whole run
            limit = {"create": 8, "parse": DOCS, "write": DOCS, "recompute": recomputes}[phase]
            child = fork_cli(args, logs, before=arm_kill(phase, rng.randint(1, limit)))
        code = child.wait()
        assert code in (0, -9), f"run {run} ({phase}): exit {code}\n{child.stderr}"
        if code == -9:
            KILLS[("sqlite", SAID[phase])] += 1
        if db.exists():
            assert integrity(db) == "ok", f"run {run} ({phase})"
            with Store(str(db)) as store:  # opens (a store killed while being created, too), and reads
                stored = store.stats()["documents"]
            assert stored % BATCH == 0 or stored == DOCS, f"run {run}: {stored} documents, not whole batches"
            partial += 0 < stored < DOCS
        _resume(str(db), source)
        assert integrity(db) == "ok"
        assert dump(sqlite_url(db)) == whole, f"run {run} ({phase}): the resumed store differs from an unbroken run"
    killed = sum(n for (backend, _), n in KILLS.items() if backend == "sqlite")
    assert killed >= min(20, RUNS), f"only {killed} of {RUNS} runs were killed before they finished"
    assert partial >= 3  # some kills left part of the documents stored, not only none or all


@pytest.mark.postgres
def test_postgresql_killed_and_restarted_mid_ingest_loses_nothing(source, pg_url, tmp_path):
    """A throwaway server of its own (the session's serves other tests), stopped with `pg_ctl -m
    immediate` (no shutdown checkpoint: crash recovery on restart) while an ingest writes."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from conftest import _load_pg_module

    pg = _load_pg_module()
    server = pg.TempPostgres()
    server.start()
    try:
        admin = create_engine(server.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

        def fresh(name: str) -> str:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            return admin.url.set(database=name).render_as_string(hide_password=False)

        whole_url = fresh("whole")
        _resume(whole_url, source)
        whole = dump(whole_url)
        rng = random.Random(16)
        for run in range(PG_RUNS):
            url = fresh(f"run{run}")
            with Store(url):
                pass  # the schema, so the kill lands among the document writes
            child = fork_cli(["ingest", str(source), "--db", url, "--batch", str(BATCH)], tmp_path / f"pg{run}")
            probe = create_engine(url, poolclass=NullPool)
            deadline, target = time.monotonic() + 120, rng.randint(1, DOCS // BATCH - 1) * BATCH
            while time.monotonic() < deadline and child.poll() is None:
                with probe.connect() as conn:
                    if conn.execute(text("SELECT count(*) FROM documents")).scalar() >= target:
                        break
                time.sleep(0.02)
            probe.dispose()
            server._run([server._bin("pg_ctl"), "-D", str(server.data_dir), "-m", "immediate", "-w", "stop"])
            code = child.wait()
            assert code == 2, f"run {run}: the ingest exited {code} when its server died\n{child.stderr}"
            message = " ".join(child.stderr.split())
            assert ("cannot write" in message or "cannot read" in message) and "Traceback" not in child.stderr, message
            assert server._pg_ctl_start(last_try=True)
            server._wait_ready()
            KILLS[("postgresql", "server killed and restarted mid-ingest")] += 1
            _resume(url, source)
            assert dump(url) == whole, f"run {run}: the resumed database differs from an unbroken run"
        admin.dispose()
    finally:
        server.stop()
    assert KILLS[("postgresql", "server killed and restarted mid-ingest")] == PG_RUNS
