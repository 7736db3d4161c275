"""Scaling out: `ingest --workers` (a local Dask cluster) and `ingest --scheduler` (a running one,
started here as separate `dask scheduler` and `dask worker` processes) store exactly what a
one-process ingest stores; several ingests at once into one PostgreSQL store duplicate and lose
nothing; a write re-checks what was stored since its batch was triaged."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from communique.store import Store

CLI = [sys.executable, "-m", "communique"]
EXAMPLES = Path(__file__).parent.parent / "examples"


def run(*args, timeout=600, **kw):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=timeout, **kw)


def said(output: str) -> str:
    """A command's output with the console's line wrapping undone."""
    return " ".join(output.split())


MENTIONS = """
SELECT d.key, e.id, e.type, e.mode, e.contexts, e.cameo, e.intensity, sa.akey, e.source_text, e.source_role,
       ta.akey, e.target_text, e.target_role, p.pkey, e.date, e.date_precision, e.date_text, e.fatalities,
       e.injuries, e.negated, e.hypothetical, e.confidence, e.sentence, e.span_start, e.span_end, e.trigger, e.rule
FROM events e JOIN documents d ON d.id = e.document_id
LEFT JOIN actors sa ON sa.id = e.source_actor_id LEFT JOIN actors ta ON ta.id = e.target_actor_id
LEFT JOIN places p ON p.id = e.place_id
ORDER BY d.key, e.id"""

STORIES = """
SELECT s.type, s.date, sa.akey, ta.akey, p.pkey, s.negated, s.hypothetical, s.num_mentions, s.num_documents,
       s.fatalities
FROM stories s LEFT JOIN actors sa ON sa.id = s.source_actor_id LEFT JOIN actors ta ON ta.id = s.target_actor_id
LEFT JOIN places p ON p.id = s.place_id"""


def read(target) -> dict:
    """What a store holds, independent of row ids and of the order documents were written in."""
    with Store(str(target)) as store, store.engine.connect() as conn:
        q = lambda sql: [tuple(r) for r in conn.execute(text(sql))]  # noqa: E731
        return {
            "documents": sorted(q("SELECT key, content_hash, num_events FROM documents")),
            "mentions": q(MENTIONS),
            "stories": sorted(q(STORIES), key=repr),
            # every mention belongs to a story that counts it, and no story is left empty
            "unlinked": q("SELECT count(*) FROM events WHERE story_id IS NULL OR story_id NOT IN "
                          "(SELECT id FROM stories)")[0][0],
            "miscounted": q("SELECT count(*) FROM stories s WHERE num_mentions <> "
                            "(SELECT count(*) FROM events e WHERE e.story_id = s.id) OR num_mentions = 0")[0][0],
            "docs_miscounted": q("SELECT count(*) FROM documents d WHERE num_events <> "
                                 "(SELECT count(*) FROM events e WHERE e.document_id = d.id)")[0][0],
        }


@pytest.fixture(scope="module")
def one_process(tmp_path_factory):
    """The bundled examples ingested the plain way: one process, no Dask."""
    db = tmp_path_factory.mktemp("one") / "one.db"
    r = run("ingest", EXAMPLES, "--db", db, "--batch", "4")
    assert r.returncode == 0, r.stderr
    held = read(db)
    assert len(held["documents"]) >= 12 and len(held["mentions"]) > 50
    return held


def test_local_workers_store_what_one_process_stores(one_process, tmp_path):
    db = tmp_path / "dask.db"
    r = run("ingest", EXAMPLES, "--db", db, "--batch", "4", "--workers", "2")
    assert r.returncode == 0, r.stderr
    assert "coding on 2 workers on a local Dask cluster" in r.stderr
    n = len(one_process["documents"])
    assert f"{n} documents read" in said(r.stdout) and f"{n} new" in said(r.stdout)
    assert f"{len(one_process['mentions'])} events stored" in said(r.stdout)
    assert read(db) == one_process
    with Store(str(db)) as store, store.engine.connect() as conn:  # batches stored in read order: same story ids
        ids = sorted(conn.execute(text("SELECT id FROM stories")).scalars())
    assert len(ids) == len(one_process["stories"])
    again = run("ingest", EXAMPLES, "--db", db, "--batch", "4", "--workers", "2")
    assert again.returncode == 0, again.stderr
    assert " 0 new" in said(again.stdout) and f"{n} unchanged" in said(again.stdout)
    assert read(db) == one_process


def _dask_command() -> list[str]:
    """The `dask` command of this interpreter's environment (the one `pip install` put beside it)."""
    beside = Path(sys.executable).parent / "dask"
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "dask"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"dask scheduler exited: {proc.stdout.read()}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the dask scheduler did not listen on {port} within {seconds} s")


def test_ingest_through_a_running_scheduler_and_two_worker_processes(one_process, tmp_path):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask, procs = _dask_command(), []
    logs = tmp_path / "logs"
    logs.mkdir()
    try:
        scheduler = subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                      "--no-dashboard", "--no-show"], cwd=tmp_path,
                                     stdout=open(logs / "scheduler.log", "w"), stderr=subprocess.STDOUT)
        procs.append(scheduler)
        _wait_for_port(port, scheduler)
        for i in range(2):  # two worker processes, as two machines would run them
            procs.append(subprocess.Popen([*dask, "worker", address, "--nworkers", "1", "--nthreads", "1",
                                           "--no-dashboard", "--host", "127.0.0.1", "--name", f"w{i}"],
                                          cwd=tmp_path, stdout=open(logs / f"worker{i}.log", "w"),
                                          stderr=subprocess.STDOUT))
        db = tmp_path / "cluster.db"
        r = run("ingest", EXAMPLES, "--db", db, "--batch", "4", "--scheduler", address)
        assert r.returncode == 0, r.stderr + "".join(p.read_text() for p in logs.iterdir())
        assert f"on the Dask cluster at {address}" in said(r.stderr)
        assert read(db) == one_process
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_cluster_errors_are_one_line(tmp_path):
    r = run("ingest", EXAMPLES, "--db", tmp_path / "x.db", "--scheduler", "not-an-address")
    assert r.returncode == 2 and "not a Dask scheduler address" in said(r.stderr) and "Traceback" not in r.stderr
    r = run("ingest", EXAMPLES, "--db", tmp_path / "x.db", "--scheduler", f"tcp://127.0.0.1:{_free_port()}")
    assert r.returncode == 2 and "cannot reach the Dask scheduler" in said(r.stderr) and "Traceback" not in r.stderr
    r = run("ingest", EXAMPLES, "--db", tmp_path / "x.db", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1")
    assert r.returncode == 2 and "give one" in r.stderr


def test_a_worker_coding_with_other_lexicons_is_refused():
    from dataclasses import replace

    from communique.cluster import ClusterError, DaskCoder

    coder = DaskCoder(workers=1)
    coder.setup = replace(coder.setup, version="0123456789abcdef")  # as if this machine's lexicons differed
    with pytest.raises(ClusterError, match="codes with coder version .* this machine with 0123456789abcdef"):
        with coder:
            pass
    assert coder.client is None and coder.cluster is None  # closed on the way out


def test_the_coders_setup_sent_to_workers_carries_whether_the_model_adds_events():
    # a worker must code as this process does, the tagger's own events included or not
    from dataclasses import asdict

    from communique import cluster, learned

    saved = asdict(learned.settings())
    try:
        learned.configure(mode="combined", model_adds=True)
        setup = cluster.current_setup()
        assert setup.model_adds is True
        learned.configure(model_adds=False)
        cluster._apply(setup)  # what a worker does with the setup it receives
        assert learned.settings().model_adds is True
    finally:
        learned.configure(**saved)
        cluster._applied = None


# -- several ingests into one PostgreSQL store --------------------------------------------------
GROUPS = [("Lagos", "Kenya", "Uganda"), ("Lima", "France", "Germany"), ("Manila", "India", "Japan"),
          ("Quito", "Brazil", "Argentina"), ("Hanoi", "Egypt", "Jordan"), ("Tunis", "Poland", "Austria")]
PER_GROUP = 8


def reports() -> list[dict]:
    """Eight reports of each of six news days (the same events, told with a different closing
    line, so each is a document of its own): whatever the order they are stored in, each
    day's events make the same stories."""
    rows = []
    for g, (city, a, b) in enumerate(GROUPS):
        for k in range(PER_GROUP):
            i = g * PER_GROUP + k
            text = (f"Police in {city} arrested {g + 3} protesters on Tuesday after a march against fuel prices "
                    f"turned violent, officials said. The foreign ministers of {a} and {b} met in {city} on "
                    f"Wednesday and agreed to expand trade talks. {a} condemned the attack on a border post that "
                    f"killed {g + 2} soldiers, and called on {b} to help find those responsible.\n"
                    f"Filed by correspondent number {i}.")
            rows.append({"id": f"r{i}", "text": text, "published": f"2025-03-{4 * g + 2:02d}",
                         "url": f"https://example.org/r{i}"})
    # interleave the days, so that both ingests work on every day at once
    return sorted(rows, key=lambda r: (int(r["id"][1:]) % PER_GROUP, r["id"]))


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.postgres
def test_two_ingests_at_once_into_one_postgresql(pg_db_url, tmp_path):
    rows = reports()
    third = len(rows) // 3
    first = write_jsonl(tmp_path / "first.jsonl", rows[:2 * third])  # overlapping in the middle third
    second = write_jsonl(tmp_path / "second.jsonl", rows[third:][::-1])  # from the other end
    everything = write_jsonl(tmp_path / "all.jsonl", rows)

    reference = tmp_path / "reference.db"
    r = run("ingest", everything, "--db", reference, "--batch", "3")
    assert r.returncode == 0, r.stderr
    expected = read(reference)
    assert len(expected["documents"]) == len(rows) and len(expected["stories"]) < len(expected["mentions"])

    # both start on an empty database (they create its schema once between them) and write small batches
    procs = [subprocess.Popen([*CLI, "ingest", str(src), "--db", pg_db_url, "--batch", "3"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for src in (first, second)]
    outputs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
    got = read(pg_db_url)
    assert len(got["documents"]) == len(rows)
    assert got == expected
    # each document was stored by one of them; the other counted it unchanged
    new = [int(said(out).split(" new,")[0].rsplit(" ", 1)[1]) for out, _ in outputs]
    assert sum(new) == len(rows)


# -- the write's own check ----------------------------------------------------------------------
def test_a_batch_stored_meanwhile_is_counted_unchanged(tmp_path):
    from communique.model import Document

    store = Store(str(tmp_path / "s.db"))
    docs = [Document("a", "One report.", url="https://example.org/a"), Document("b", "Another report.")]
    todo, unchanged = store.triage(docs, "v")
    assert (len(todo), unchanged) == (2, 0)
    first = store.save_batch([(d, []) for d in todo], "v", skip_stored=True)
    # the same triage result written again (another ingest had it too): nothing new, nothing replaced
    second = store.save_batch([(d, []) for d in todo], "v", skip_stored=True)
    # the same text under another name, and twice in one batch
    twins = [Document("c", "One report."), Document("d", "A third report."), Document("e", "A third report.")]
    third = store.save_batch([(d, []) for d in twins], "v", skip_stored=True)
    store.close()
    assert (first.new, first.unchanged) == (2, 0)
    assert (second.new, second.changed, second.unchanged) == (0, 0, 2)
    assert (third.new, third.unchanged) == (1, 2)
