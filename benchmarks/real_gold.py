"""The coder's F1 on real articles that no one tuning it has read: the English article bodies of the
article-extraction benchmark (../shared/benchmarks/article-extraction: 162 real web pages, news
and other), every political event coded blind by readers given the PLOVER manual
(results/real_gold.jsonl: per article its gold keys, no text), scored like the gold files.

    python benchmarks/real_gold.py        # writes benchmarks/results/real_gold.md

The pages are third-party text and stay outside the project; the key file holds only document
ids (the first 12 characters of the page's id), types and country codes.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("COMMUNIQUE_ACTORS", "")

from communique import Document, extract_many  # noqa: E402
from communique.evaluate import score  # noqa: E402
from quality import MODES, use  # noqa: E402  (the coder modes, named as in quality.md)
from real_precision import PAGES, english_pages  # noqa: E402

GOLD = ROOT / "benchmarks" / "results" / "real_gold.jsonl"
SECOND = ROOT / "benchmarks" / "results" / "real_gold_second.jsonl"  # a third reader's keys for a sample
RESULT = ROOT / "benchmarks" / "results" / "real_gold.md"

def records() -> list[dict]:
    """The gold keys joined to the pages' text, in the gold files' format."""
    pages = english_pages()
    out = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            out.append({"id": g["doc"], "text": pages[g["doc"]], "events": g["events"], "optional": g.get("optional", [])})
    return out


def main() -> None:
    if not PAGES.exists():
        sys.exit(f"{PAGES} is absent: this benchmark needs the shared article-extraction pages")
    docs = records()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    n_events = sum(len(d["events"]) for d in docs)
    lines = ["# The coder on real articles coded blind (`benchmarks/real_gold.py`)", "",
             f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit `{commit}`. {len(docs)} English article "
             f"bodies of ../shared/benchmarks/article-extraction, {sum(1 for d in docs if d['events'])} with "
             f"political events: {n_events} gold keys (type, source country, target country) and "
             f"{sum(len(d['optional']) for d in docs)} optional ones, coded blind by two helper readers "
             "(half the articles each) from the PLOVER manual; neither saw the coder's output, and no "
             "rule or model was fitted to these pages. Scored like the gold files.", "",
             "| coder | P | R | F1 | events predicted |", "|---|---:|---:|---:|---:|"]
    for mode in MODES:
        use(mode)
        preds = [e.to_dict() for _, evs in extract_many(Document(d["id"], d["text"], None) for d in docs)
                 for e in evs]
        r = score(docs, preds)
        lines.append(f"| {mode} | {r['precision']:.3f} | {r['recall']:.3f} | **{r['f1']:.3f}** | {len(preds)} |")
        print(lines[-1], flush=True)
    lines += agreement()
    RESULT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def agreement() -> list[str]:
    """How far a third reader, coding a sample of the articles blind, agrees with the key."""
    if not SECOND.exists():
        return []
    first = {g["doc"]: g for g in map(json.loads, GOLD.read_text(encoding="utf-8").splitlines())}
    second = {g["doc"]: g for g in map(json.loads, SECOND.read_text(encoding="utf-8").splitlines())}
    docs = sorted(second)

    def gold(src, optional=True):
        return [{"id": d, "events": src[d]["events"], "optional": src[d]["optional"] if optional else []} for d in docs]

    def pred(src):
        return [dict(e, doc_id=d) for d in docs for e in src[d]["events"]]
    a, b, strict = score(gold(first), pred(second)), score(gold(second), pred(first)), score(gold(first, False), pred(second))
    return ["", f"Agreement: a third reader coded {len(docs)} of the articles ({sum(1 for d in docs if first[d]['events'])} "
            f"with events in the key) blind. Scored against the key: F1 {a['f1']:.3f}; the key against the third "
            f"reader: {b['f1']:.3f}; with no optional keys on the key's side: {strict['f1']:.3f}. The readers are "
            "sessions of one kind of reader, so this bounds their consistency, not two people's agreement."]


if __name__ == "__main__":
    main()
