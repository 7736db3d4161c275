"""The coder on the corpus's held-out batches (which no rule and no model was fitted to), in each
coder mode, beside the tagger's own span-level figures.

    python benchmarks/heldout.py [--corpus corpus/raw] [--modes rules,model,combined]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("COMMUNIQUE_ACTORS", "")

from communique import Document, extract_many  # noqa: E402
from communique.evaluate import score  # noqa: E402
from communique.learn.corpus import read_corpus  # noqa: E402
from communique.learn.examples import split  # noqa: E402
from communique.learn.heldout import gold_records, span_scores  # noqa: E402
from communique.learned import configure  # noqa: E402


def code(records: list[dict]) -> list[dict]:
    from datetime import date
    docs = (Document(r["id"], r["text"], date.fromisoformat(r["published"])) for r in records)
    return [e.to_dict() for _, evs in extract_many(docs) for e in evs]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "raw")
    ap.add_argument("--modes", default="rules,model,combined")
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()
    examples, _ = read_corpus([a.corpus])
    _, held = split(examples)
    records = gold_records(held)
    out = {"held_out_texts": len(held), "batches": sorted({e.batch for e in held})}
    if a.model:
        from communique.learn import runtime
        runtime.MODEL_DIR = a.model
    from communique.learn.runtime import tagger
    out["spans"] = span_scores(tagger(), held)
    print("tagger spans:", json.dumps({k: v for k, v in out["spans"].items() if k != "per_type"}))
    for mode in a.modes.split(","):
        configure(mode=mode)
        t0 = time.perf_counter()
        r = score(records, code(records))
        out[mode] = r
        print(f"{mode}: P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f} ({time.perf_counter() - t0:.0f} s)")
    if a.json:
        a.json.write_text(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
