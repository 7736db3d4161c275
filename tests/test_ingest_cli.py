"""`communique ingest` end to end: the summary, idempotent re-runs, clear errors, and an ingest
killed with SIGKILL mid-run that a re-run completes to the same database as an unbroken run."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crashkit import corpus, wait_for_documents

CLI = [sys.executable, "-m", "communique"]
EXAMPLES = Path(__file__).parent.parent / "examples"



def run(*args, **kw):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=600, **kw)


def counts(db: Path) -> tuple[int, int, int]:
    con = sqlite3.connect(db)
    try:
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
        return tuple(con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("documents", "events", "stories"))
    finally:
        con.close()


def test_ingest_twice_adds_nothing_the_second_time(tmp_path):
    db = tmp_path / "events.db"
    first = run("ingest", EXAMPLES, "--db", db)
    assert first.returncode == 0, first.stderr
    assert " 0 unchanged" in first.stdout and " 0 failed" in first.stdout
    before = counts(db)
    assert before[0] >= 12 and before[1] > 0
    second = run("ingest", EXAMPLES, "--db", db)
    assert second.returncode == 0, second.stderr
    assert " 0 new" in second.stdout and f"{before[0]} unchanged" in second.stdout
    assert counts(db) == before
    stats = run("stats", "--db", db, "--json")
    assert json.loads(stats.stdout)["documents"] == before[0]


def test_ingest_errors_are_one_line(tmp_path):
    (tmp_path / "junk.db").write_text("not sqlite" * 50)
    r = run("ingest", EXAMPLES, "--db", tmp_path / "junk.db")
    assert r.returncode == 2 and "junk.db" in r.stderr and "Traceback" not in r.stderr
    r = run("ingest", tmp_path / "nothing-here.txt", "--db", tmp_path / "ok.db")
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr
    r = run("ingest", EXAMPLES, "--db", tmp_path / "ok.db", "--since", "yesterday")
    assert r.returncode == 2 and "--since" in r.stderr


def test_killed_ingest_resumes_to_the_same_database(tmp_path):
    source = tmp_path / "corpus.jsonl"
    source.write_text(corpus(160))
    whole, broken = tmp_path / "whole.db", tmp_path / "broken.db"

    proc = subprocess.Popen([*CLI, "ingest", str(source), "--db", str(broken), "--batch", "4"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_documents(broken, proc, 8)
    assert proc.poll() is None, "the ingest finished before it could be killed: make the corpus bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = counts(broken)  # the database opens and is intact
    assert 8 <= killed_at[0] < 160

    resumed = run("ingest", source, "--db", broken, "--batch", "4")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{killed_at[0]} unchanged" in resumed.stdout

    unbroken = run("ingest", source, "--db", whole, "--batch", "4")
    assert unbroken.returncode == 0, unbroken.stderr
    assert counts(broken) == counts(whole)
    assert counts(whole)[0] == 160


@pytest.mark.postgres
def test_ingest_into_postgresql(pg_db_url):
    first = run("ingest", EXAMPLES / "reports.jsonl", "--db", pg_db_url)
    assert first.returncode == 0, first.stderr
    assert "12 new" in first.stdout
    again = run("ingest", EXAMPLES / "reports.jsonl", "--db", pg_db_url)
    assert " 0 new" in again.stdout
    stats = json.loads(run("stats", "--db", pg_db_url, "--json").stdout)
    assert stats["documents"] == 12 and stats["events"] > 0
    table = run("events", "--db", pg_db_url, "--type", "ASSAULT", "--limit", "5")
    assert table.returncode == 0 and "ASSAULT" in table.stdout


def test_unreachable_postgresql_is_a_clear_error():
    r = run("stats", "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:9/none")
    assert r.returncode == 2 and "cannot open the database" in r.stderr
    assert "secret" not in r.stderr and "Traceback" not in r.stderr


def test_query_and_export_commands(tmp_path):
    db = tmp_path / "events.db"
    stories = Path(__file__).parent / "data" / "stories" / "reports.jsonl"
    assert run("ingest", stories, "--db", db).returncode == 0
    listed = run("events", "--db", db, "--format", "jsonl", "--limit", "0", "--type", "ASSAULT")
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert records and all(r["type"] == "ASSAULT" and r["mentions"] for r in records)
    near = run("events", "--db", db, "--format", "csv", "--near", "31.93,70.46,60", "--limit", "0")  # around Kulachi
    assert near.returncode == 0 and "Turbat" not in near.stdout and "Kulachi" in near.stdout
    for fmt in ("csv", "jsonl", "parquet", "gdelt", "polecat"):
        out = tmp_path / f"events.{fmt}"
        r = run("export", "--db", db, "--format", fmt, "-o", out)
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 0
    rows = (tmp_path / "events.gdelt").read_text().splitlines()
    exported = len((tmp_path / "events.jsonl").read_text().splitlines())
    assert len(rows) == exported > 0 and all(len(row.split("\t")) == 61 for row in rows)
    bad = run("export", "--db", db, "--format", "xml", "-o", tmp_path / "x")
    assert bad.returncode == 2 and "use one of" in bad.stderr
    actors = run("actors", "--db", db, "--format", "jsonl")
    assert any(json.loads(line)["country"] == "PAK" for line in actors.stdout.splitlines())


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_prints_its_url_and_a_first_token_then_serves(tmp_path):
    import urllib.request

    db = tmp_path / "events.db"
    assert run("ingest", EXAMPLES / "reports.jsonl", "--db", db).returncode == 0
    port = _free_port()
    proc = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        assert "write token was created" in lines[0] and len(lines[1].strip()) >= 40
        assert f"http://127.0.0.1:{port}" in lines[2]
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2) as r:
                    assert json.loads(r.read())["documents"] == 12
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(10)
    again = run("token", "--db", db, "--name", "ben")
    assert again.returncode == 0 and "token for 'ben'" in again.stdout
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = subprocess.run([*CLI, "serve", "--db", str(db), "--port", str(taken.getsockname()[1])],
                              capture_output=True, text=True, timeout=60)
    assert busy.returncode != 0 and "Traceback" not in busy.stderr
