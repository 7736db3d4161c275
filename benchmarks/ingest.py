"""Ingest speed into SQLite, against `extract` alone on the same documents in the same run.

    python benchmarks/ingest.py [--shared ../shared] [--repeat 2] [--db-url URL]

Baseline: `extract_many` over the documents (coding only, nothing stored). Then the same
documents through `jobs.ingest` into a fresh SQLite file (read, triage, code, store, dedup),
a second ingest of the same input (everything unchanged: the cost of a re-run), and the store
alone (`save_batch` of already-coded documents). Each repeat of the corpus gets its own ids and
a distinct last line, so no document is a duplicate of another. Writes benchmarks/results/ingest.txt.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from communique import extract_many  # noqa: E402
from communique.coder_version import coder_version  # noqa: E402
from communique.ingest import Sources  # noqa: E402
from communique.jobs import ingest  # noqa: E402
from communique.store import Store  # noqa: E402


def corpus_file(shared: Path, repeat: int, out: Path) -> int:
    rows = []
    names = ("seed", "news-dev", "plover-gsr-dev", "ucdp-dev")
    for r in range(repeat):
        for name in names:
            for line in open(shared / "gold" / f"{name}.jsonl", encoding="utf-8"):
                d = json.loads(line)
                rows.append({"id": f"{d['id']}-{r}", "published": d["published"],
                             "text": f"{d['text']}\n(Copy {r}.)"})
    out.write_text("\n".join(json.dumps(x) for x in rows) + "\n", encoding="utf-8")
    return len(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--db-url", help="also ingest into this database URL (e.g. PostgreSQL)")
    a = ap.parse_args()
    if not (a.shared / "gold").is_dir():
        sys.exit(f"{a.shared}/gold not found: pass --shared PATH to the shared data folder")
    tmp = Path(tempfile.mkdtemp(prefix="communique-bench-"))
    source = tmp / "corpus.jsonl"
    n = corpus_file(a.shared, a.repeat, source)
    docs = list(Sources([str(source)], english_only=False))
    words = sum(len(d.text.split()) for d in docs)
    list(extract_many(docs[:2]))  # load the model, lexicons and gazetteer before timing

    start = time.perf_counter()
    coded = list(extract_many(docs, chunk=32))
    t_extract = time.perf_counter() - start
    n_events = sum(len(e) for _, e in coded)

    store = Store(str(tmp / "bench.db"))
    start = time.perf_counter()
    first = ingest(store, Sources([str(source)]))
    t_ingest = time.perf_counter() - start
    start = time.perf_counter()
    again = ingest(store, Sources([str(source)]))
    t_again = time.perf_counter() - start
    stats = store.stats()
    store.close()

    only = Store(str(tmp / "store-only.db"))
    start = time.perf_counter()
    for i in range(0, len(coded), 32):
        only.save_batch(coded[i:i + 32], coder_version())
    t_store = time.perf_counter() - start
    only.close()

    lines = [
        f"date {date.today()}  commit {_commit()}  corpus: {n} documents, {words} words "
        f"(gold files x{a.repeat}), {n_events} events",
        f"extract alone (baseline)   : {t_extract:7.2f} s  {n / t_extract:7.1f} docs/s",
        f"ingest into SQLite         : {t_ingest:7.2f} s  {n / t_ingest:7.1f} docs/s  "
        f"ratio {t_ingest / t_extract:.2f}x the baseline  ({first.new} new, {first.events} events, "
        f"{stats['events']} stories, {stats['multi_source_events']} with several documents)",
        f"re-ingest, all unchanged   : {t_again:7.2f} s  {n / t_again:7.1f} docs/s  ({again.unchanged} unchanged)",
        f"store writes alone         : {t_store:7.2f} s  {n / t_store:7.1f} docs/s  "
        f"({t_store / t_extract:.0%} of the baseline's time)",
    ]
    if a.db_url:
        pg = Store(a.db_url)
        start = time.perf_counter()
        for i in range(0, len(coded), 32):
            pg.save_batch(coded[i:i + 32], coder_version())
        t_pg = time.perf_counter() - start
        pg.close()
        lines.append(f"store writes, {pg.name.split('://')[0]:10s}: {t_pg:7.2f} s  {n / t_pg:7.1f} docs/s")
    lines.append(f"peak RSS                   : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:7.0f} MB")
    report = "\n".join(lines)
    print(report)
    out = ROOT / "benchmarks" / "results" / "ingest.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report + "\n")


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip() or "unknown"
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
