"""Choose the combined coder's two thresholds on half of the corpus's held-out batches (the
tuning half), and report every setting on the other half too, so the choice is seen to hold on
text it was not chosen on. The dev files play no part.

    python benchmarks/tune_coder.py [--model DIR]
"""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("COMMUNIQUE_ACTORS", "")

from communique import Document, extract_many  # noqa: E402
from communique.evaluate import score  # noqa: E402
from communique.learn.corpus import read_corpus  # noqa: E402
from communique.learn.examples import split  # noqa: E402
from communique.learn.heldout import gold_records  # noqa: E402
from communique.learned import configure  # noqa: E402

DROPS = (0.0, 0.2, 0.4)
ADDS = (0.5, 0.75)


def halves():
    _, held = split(read_corpus([ROOT / "corpus" / "raw"])[0])
    batches = sorted({e.batch for e in held})
    tune = set(batches[::2])
    return ([e for e in held if e.batch in tune], [e for e in held if e.batch not in tune])


def f1(records, mode="combined", **kw) -> tuple[float, float, float]:
    configure(mode=mode, **kw)
    docs = (Document(r["id"], r["text"], date.fromisoformat(r["published"])) for r in records)
    r = score(records, [e.to_dict() for _, evs in extract_many(docs) for e in evs])
    return r["precision"], r["recall"], r["f1"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.parse_args()
    tune, check = (gold_records(h) for h in halves())
    print(f"tuning half {len(tune)} texts, check half {len(check)} texts")
    for mode in ("rules", "model"):
        t, c = f1(tune, mode), f1(check, mode)
        print(f"{mode:<8} tune F1 {t[2]:.3f} (P {t[0]:.3f} R {t[1]:.3f})  check F1 {c[2]:.3f}")
    best = None
    # add_above only acts when the model adds events of its own (off by default since 2026-12-08:
    # learned.CoderSettings.model_adds); the grid measures it with them on
    for d, a in ((d, a) for d in DROPS for a in ADDS):
        t = f1(tune, drop_below=d, add_above=a, model_adds=True)
        c = f1(check, drop_below=d, add_above=a, model_adds=True)
        print(f"drop<{d:<4} add>={a:<4} tune F1 {t[2]:.3f} (P {t[0]:.3f} R {t[1]:.3f})  check F1 {c[2]:.3f} "
              f"(P {c[0]:.3f} R {c[1]:.3f})", flush=True)
        if best is None or t[2] > best[0]:
            best = (t[2], d, a, c[2])
    print(f"chosen on the tuning half: drop_below {best[1]}, add_above {best[2]} "
          f"(tune F1 {best[0]:.3f}, check F1 {best[3]:.3f})")
    for d in DROPS:  # the default coder: vetting only
        t, c = f1(tune, drop_below=d, model_adds=False), f1(check, drop_below=d, model_adds=False)
        print(f"drop<{d:<4} no adds  tune F1 {t[2]:.3f} (P {t[0]:.3f} R {t[1]:.3f})  check F1 {c[2]:.3f}", flush=True)


if __name__ == "__main__":
    main()
