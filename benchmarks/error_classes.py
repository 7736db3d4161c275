"""The most common errors of the coder on the corpus's held-out batches, by cause.

    python benchmarks/error_classes.py [--mode combined] [--top 10]

Each missed gold key and each false predicted key (type, source country, target country) of a
text is put in one class: the type not coded at all in the text (the tagger or rules missed the
trigger), coded but with a side's country missing (the actor layer resolved no country), coded
with a wrong country, or, for false keys, a type the text does not state (a false trigger),
stated but negated or hypothetical (modality missed), or its parties wrong.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("COMMUNIQUE_ACTORS", "")

from communique import Document, extract_many  # noqa: E402
from communique.learn.corpus import read_corpus  # noqa: E402
from communique.learn.examples import split  # noqa: E402
from communique.learn.heldout import key_pairs  # noqa: E402
from communique.evaluate import matches  # noqa: E402
from communique.learned import configure  # noqa: E402

def same(gold: tuple, pred: tuple) -> bool:
    return matches(gold, pred)


def classify(held, by_doc) -> Counter:
    c = Counter()
    for ex in held:
        gold = set()
        flagged = set()
        for e in ex.events:
            ks = {(e.type, s, t) for s, t in key_pairs(e)}
            (flagged if e.negated or e.hypothetical else gold).update(ks)
        pred = {(e.type, e.source and e.source.country, e.target and e.target.country)
                for e in by_doc.get(ex.id, []) if not e.negated and not e.hypothetical}
        for g in gold:
            if any(same(g, p) for p in pred):
                continue
            typed = [p for p in pred if p[0] == g[0]]
            if not typed:
                c[(f"missed: no {g[0]} coded in the text", g[0])] += 1
            elif any((p[1] is None and g[1] is not None) or (p[2] is None and g[2] is not None) for p in typed):
                c[("missed: coded, a side's country unresolved", g[0])] += 1
            else:
                c[("missed: coded, a side's country wrong", g[0])] += 1
        for p in pred:
            if any(same(p, g) for g in gold):
                continue
            if not any(g[0] == p[0] for g in gold):
                why = ("false: stated only negated or hypothetical" if any(f[0] == p[0] for f in flagged)
                       else "false: a type the text does not state")
            else:
                why = "false: parties wrong"
            c[(why, p[0])] += 1
    return c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="combined")
    ap.add_argument("--top", type=int, default=10)
    a = ap.parse_args()
    configure(mode=a.mode)
    _, held = split(read_corpus([ROOT / "corpus" / "raw"])[0])
    docs = (Document(ex.id, ex.text, date.fromisoformat(ex.published or "2020-01-01")) for ex in held)
    by_doc = {d.id: evs for d, evs in extract_many(docs)}
    c = classify(held, by_doc)
    by_class = Counter()
    for (why, _), n in c.items():
        by_class[why] += n
    print(f"coder {a.mode}, {len(held)} held-out texts")
    print("\n| error class | count |\n|---|---|")
    for why, n in by_class.most_common():
        print(f"| {why} | {n} |")
    print(f"\n| error class and type (the {a.top} most common) | count |\n|---|---|")
    for (why, t), n in c.most_common(a.top):
        print(f"| {why}: {t} | {n} |")


if __name__ == "__main__":
    main()
