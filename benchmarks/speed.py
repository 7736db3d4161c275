"""Extraction speed and memory, against spaCy's parse alone on the same text in the same run.

    python benchmarks/speed.py [--shared ../shared] [--repeat 3]
    python benchmarks/speed.py --reports 500     # full-length reports: articles/s, each coder mode

Baseline: the same paragraphs through the same spaCy pipeline (nlp.pipe, NER off), which is the
floor any coder built on it pays. Figures: words/s of each, the ratio (how much the coder's own
stages cost on top of the parse), and peak RSS.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from communique import Document, extract_many  # noqa: E402
from communique.clean import clean  # noqa: E402
from communique.parse import nlp  # noqa: E402


def corpus(shared: Path) -> list[Document]:
    docs = []
    for name in ("seed", "news-dev", "plover-gsr-dev", "ucdp-dev"):
        path = shared / "gold" / f"{name}.jsonl"
        for line in open(path, encoding="utf-8"):
            d = json.loads(line)
            docs.append(Document(str(d["id"]), d["text"], date.fromisoformat(d["published"])))
    for line in open(ROOT / "examples" / "reports.jsonl", encoding="utf-8"):
        d = json.loads(line)
        docs.append(Document(d["id"], d["text"], date.fromisoformat(d["published"])))
    return docs


def full_reports(shared: Path, n: int) -> list[Document]:
    """The bundled example reports and news-dev's full reports, repeated to n documents."""
    base = [json.loads(line) for line in open(ROOT / "examples" / "reports.jsonl", encoding="utf-8")]
    base += [json.loads(line) for line in open(shared / "gold" / "news-dev.jsonl", encoding="utf-8")]
    return [Document(f"{d['id']}#{i}", d["text"], date.fromisoformat(d["published"]))
            for i in range(n // len(base) + 1) for d in base][:n]


def reports_run(shared: Path, n: int) -> None:
    from communique.learned import configure

    docs = full_reports(shared, n)
    words = sum(len(d.text.split()) for d in docs)
    list(extract_many(docs[:2]))
    start = time.perf_counter()
    texts = [c.document.text[s.start:s.end] for c in map(clean, docs) for s in c.segments]
    for _ in nlp().pipe(texts, batch_size=32):
        pass
    base = time.perf_counter() - start
    print(f"corpus: {len(docs)} full reports, {words} words ({words // len(docs)} a report)")
    print(f"{'spaCy parse alone':<26}: {base:6.1f} s  {len(docs) / base:6.2f} articles/s  {words / base:7.0f} words/s")
    for mode in ("rules", "combined", "model"):
        configure(mode=mode)
        start = time.perf_counter()
        n_events = sum(len(events) for _, events in extract_many(docs))
        took = time.perf_counter() - start
        print(f"{'extract, coder ' + mode:<26}: {took:6.1f} s  {len(docs) / took:6.2f} articles/s  "
              f"{words / took:7.0f} words/s  {took / base:4.2f}x the parse  ({n_events} events)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS                  : {peak:6.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--reports", type=int, default=0, help="full-length reports mode: this many documents")
    a = ap.parse_args()
    if a.reports:
        return reports_run(a.shared, a.reports)
    docs = corpus(a.shared) * a.repeat
    words = sum(len(d.text.split()) for d in docs)
    list(extract_many(docs[:2]))  # load the model, lexicons and gazetteer before timing

    start = time.perf_counter()
    texts = [c.document.text[s.start:s.end] for c in map(clean, docs) for s in c.segments]
    for _ in nlp().pipe(texts, batch_size=32):
        pass
    base = time.perf_counter() - start

    start = time.perf_counter()
    n_events = sum(len(events) for _, events in extract_many(docs))
    full = time.perf_counter() - start

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {len(docs)} documents, {words} words (gold files and examples x{a.repeat})")
    print(f"baseline spaCy parse : {base:6.2f} s  {words / base:8.0f} words/s")
    print(f"communique extract   : {full:6.2f} s  {words / full:8.0f} words/s  ({n_events} events)")
    print(f"ratio extract/parse  : {full / base:6.2f}x")
    print(f"peak RSS             : {peak:6.0f} MB")


if __name__ == "__main__":
    main()
