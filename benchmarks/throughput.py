"""Throughput of coding and ingest, from one process to two Dask workers, in one run.

    python benchmarks/throughput.py                  # 200 documents: a few minutes
    python benchmarks/throughput.py --docs 1000      # the issue's full size
    python benchmarks/throughput.py --pg-url postgresql+psycopg://user@host/db   # else a throwaway server

Corpus: full-length reports, the bundled examples and ../shared/gold/news-dev.jsonl (left out with
a note when absent), repeated to --docs documents; each copy has its own id, URL and closing line,
so that no document is a duplicate of another and every one is coded and stored.

Rows, each over the same documents:
  (a) spaCy's parse alone (the pipeline `parse` uses, NER off, nlp.pipe) over the cleaned body
  (b) `extract_many` in this process
  (c) `jobs.ingest` into a fresh SQLite file, coding in this process (what `communique ingest` does)
  (c') the same, coding on a local Dask cluster of 1 worker (the writer overlaps the coder)
  (d) the same, on a local Dask cluster of 2 workers (`ingest --workers 2`)
  (e) the same as (d) into PostgreSQL
Each Dask row is timed after the cluster has started and its workers have loaded the model (the
start-up is given apart). Peak RSS is this process's for (a)-(c) and each worker's for the Dask
rows. CPU seconds per article add up every process of the row (this one and the workers): the
work done, whatever else shares the cores. Writes benchmarks/results/throughput.md.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from communique import extract_many  # noqa: E402
from communique.clean import clean  # noqa: E402
from communique.cluster import DaskCoder  # noqa: E402
from communique.ingest import Sources  # noqa: E402
from communique.jobs import in_process, ingest  # noqa: E402
from communique.parse import nlp  # noqa: E402
from communique.store import Store  # noqa: E402

BATCH = 32


def corpus(shared: Path, n: int, out: Path) -> tuple[int, int, list[str]]:
    """Write n full reports to a JSONL batch; (documents, words, notes)."""
    base = [json.loads(line) for line in open(ROOT / "examples" / "reports.jsonl", encoding="utf-8")]
    notes = []
    news_dev = shared / "gold" / "news-dev.jsonl"
    if news_dev.exists():
        base += [json.loads(line) for line in open(news_dev, encoding="utf-8") if line.strip()]
    else:
        notes.append(f"{news_dev} is absent: the corpus is the bundled examples alone")
    rows = []
    for i in range(n):
        d = base[i % len(base)]
        copy = i // len(base)
        rows.append({"id": f"{d['id']}#{copy}", "url": f"https://bench.example/{copy}/{d['id']}",
                     "published": d.get("published"), "title": d.get("title"),
                     "text": f"{d['text']}\n(Copy {copy}.)"})
    out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return n, sum(len(r["text"].split()) for r in rows), notes


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_peak_rss(client) -> list[float]:
    def peak():  # runs in each worker process
        import resource as r
        return r.getrusage(r.RUSAGE_SELF).ru_maxrss / 1024
    return sorted(client.run(peak).values())


def cpu_seconds() -> float:
    """User and system CPU time of this process so far."""
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def workers_cpu_seconds(client) -> float:
    def cpu():  # runs in each worker process
        import resource as r
        u = r.getrusage(r.RUSAGE_SELF)
        return u.ru_utime + u.ru_stime
    return sum(client.run(cpu).values())


def timed_ingest(target: str, source: Path, code=None) -> tuple[float, object, float]:
    store = Store(target)
    cpu, start = cpu_seconds(), time.perf_counter()
    summary = ingest(store, Sources([str(source)], english_only=False), batch=BATCH, code=code)
    took, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    store.close()
    return took, summary, cpu


def dask_row(workers: int, target: str, source: Path) -> dict:
    start = time.perf_counter()
    with DaskCoder(workers=workers) as coder:
        startup = time.perf_counter() - start
        before = workers_cpu_seconds(coder.client)
        took, summary, cpu = timed_ingest(target, source, coder)
        cpu += workers_cpu_seconds(coder.client) - before
        rss = worker_peak_rss(coder.client)
    return dict(seconds=took, summary=summary, startup=startup, rss=rss, cpu=cpu)


def pg_server(url: str | None):
    """A PostgreSQL URL: the one given, or a throwaway server (tests/pg.py); (url, server or None)."""
    if url:
        return url, None
    spec = importlib.util.spec_from_file_location("communique_bench_pg", ROOT / "tests" / "pg.py")
    pg = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pg)
    server = pg.TempPostgres()
    try:
        server.start()
    except pg.PostgresError as exc:
        return None, str(exc).splitlines()[0]
    return server.url, server


def fresh_pg_database(url: str) -> str:
    """A new empty database on the server (dropped by the server's own removal, or left for the user)."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    name = f"bench_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return engine.url.set(database=name).render_as_string(hide_password=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--docs", type=int, default=200, help="documents (the issue's figure: 1000)")
    ap.add_argument("--pg-url", help="PostgreSQL server URL for (e); default: a throwaway local server")
    ap.add_argument("--note", default="", help="a line for the results file (e.g. what else ran)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "throughput.md")
    ap.add_argument("--rows", default="a,b,c,c1,d,e", help="which rows to run (a, b, c, c1, d, e)")
    a = ap.parse_args()
    from communique.learn.runtime import available
    from communique.learned import settings

    tmp = Path(tempfile.mkdtemp(prefix="communique-throughput-"))
    source = tmp / "corpus.jsonl"
    n, words, notes = corpus(a.shared, a.docs, source)
    docs = list(Sources([str(source)], english_only=False))
    mode = settings().mode
    coder = mode if mode == "rules" or available() else f"{mode} (no model shipped: rules)"
    print(f"corpus: {n} reports, {words} words ({words // n} a report); coder {coder}", flush=True)

    rows = {}
    wanted = set(a.rows.split(","))
    list(extract_many(docs[:2]))  # the model, lexicons and gazetteer loaded before timing
    if "a" in wanted:
        run_parse(docs, rows)
    if "b" in wanted:
        run_extract(docs, rows)
    if "c" in wanted:
        took, summary, cpu = timed_ingest(str(tmp / "c.db"), source, in_process(BATCH))
        rows["c"] = dict(seconds=took, summary=summary, rss=[peak_rss_mb()], cpu=cpu)
        print(f"(c) ingest, this process: {took:.1f} s", flush=True)
    for key, workers in (("c1", 1), ("d", 2)):
        if key in wanted:
            rows[key] = dask_row(workers, str(tmp / f"{key}.db"), source)
            print(f"({key}) ingest, {workers} Dask worker(s): {rows[key]['seconds']:.1f} s", flush=True)
    if "e" in wanted:
        run_postgres(a.pg_url, source, rows, notes)
    write(a, rows, n, words, coder, notes)


def run_parse(docs, rows: dict) -> None:
    cpu, start = cpu_seconds(), time.perf_counter()
    texts = [c.document.text[s.start:s.end] for c in map(clean, docs) for s in c.segments]
    for _ in nlp().pipe(texts, batch_size=32):
        pass
    rows["a"] = dict(seconds=time.perf_counter() - start, rss=[peak_rss_mb()], cpu=cpu_seconds() - cpu)
    print(f"(a) parse: {rows['a']['seconds']:.1f} s", flush=True)


def run_extract(docs, rows: dict) -> None:
    cpu, start = cpu_seconds(), time.perf_counter()
    n_events = sum(len(evs) for _, evs in extract_many(docs, chunk=BATCH))
    rows["b"] = dict(seconds=time.perf_counter() - start, rss=[peak_rss_mb()], events=n_events,
                     cpu=cpu_seconds() - cpu)
    print(f"(b) extract: {rows['b']['seconds']:.1f} s", flush=True)


def run_postgres(pg_url, source: Path, rows: dict, notes: list[str]) -> None:
    url, server = pg_server(pg_url)
    if not url:
        notes.append(f"(e) not run: no PostgreSQL server ({server})")
        return
    try:
        rows["e"] = dask_row(2, fresh_pg_database(url), source)
        print(f"(e) ingest into PostgreSQL, 2 Dask workers: {rows['e']['seconds']:.1f} s", flush=True)
    finally:
        if server is not None:
            server.stop()


LABELS = {"a": "(a) spaCy parse alone", "b": "(b) extract, one process", "c": "(c) ingest → SQLite, 1 worker (this process)",
          "c1": "(c') ingest → SQLite, 1 Dask worker", "d": "(d) ingest → SQLite, 2 Dask workers",
          "e": "(e) ingest → PostgreSQL, 2 Dask workers"}


def write(a, rows: dict, n: int, words: int, coder: str, notes: list[str]) -> None:
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# Throughput: `benchmarks/throughput.py --docs {a.docs}`", "",
             f"{when}, commit {commit}, {platform.machine()} with {_cpus()} cores; coder: **{coder}**; "
             f"{n} full-length reports, {words} words ({words // n} a report); batches of {BATCH}.", ""]
    if a.note:
        lines += [a.note, ""]
    lines += ["| run | seconds | articles/s | words/s | events stored | peak RSS per process (MB) | start-up (s) "
              "| CPU s per article |",
              "|---|---:|---:|---:|---:|---|---:|---:|"]
    for key, row in rows.items():
        s = row["seconds"]
        stored = row["summary"].events if "summary" in row else row.get("events", "")
        rss = ", ".join(f"{r:.0f}" for r in row["rss"])
        startup = f"{row['startup']:.1f}" if "startup" in row else ""
        cpu = f"{row['cpu'] / n:.3f}" if "cpu" in row else ""
        lines.append(f"| {LABELS[key]} | {s:.1f} | {n / s:.2f} | {words / s:.0f} | {stored} | {rss} | {startup} "
                     f"| {cpu} |")
    r = {k: v["seconds"] for k, v in rows.items()}
    ratios = [("b", "a", "(b)/(a), extract against the parse alone: {:.2f}× the time", False),
              ("c", "b", "(c)/(b), ingest against coding alone: {:.2f}× the time", False),
              ("c", "d", "(d)/(c), speed-up of 2 Dask workers over the one-process ingest: {:.2f}×", False),
              ("c1", "d", "(d)/(c'), speed-up of 2 Dask workers over 1: {:.2f}×", False),
              ("d", "e", "(e)/(d), PostgreSQL against SQLite with 2 workers: {:.2f}× the speed", False)]
    lines += ["", "Ratios (of times; above 1 means the second is faster for the speed-ups):", ""]
    lines += [f"- {text.format(r[x] / r[y])}" for x, y, text, _ in ratios if x in r and y in r]
    checks = {k: (v["summary"].new, v["summary"].events) for k, v in rows.items() if "summary" in v}
    same = len(set(checks.values())) == 1
    lines += ["", f"Every ingest stored the same documents and events: {'yes' if same else 'NO'} "
              f"({', '.join(f'{k}: {d} documents, {e} events' for k, (d, e) in checks.items())})."]
    lines += ["", *[f"Note: {x}" for x in notes]] if notes else []
    a.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
