"""How often the coder's events are right on real text no one here wrote or tuned on: the English
article bodies of the article-extraction benchmark (../shared/benchmarks/article-extraction: 181 real
web pages, news and other), coded by the combined coder with the model's own events switched on, each
event then judged blind by a reader who does not know whether a rule or the model made it.

    python benchmarks/real_precision.py sample      # writes build/real_precision/to_label.jsonl
    python benchmarks/real_precision.py score       # reads the judgments, writes results/real_precision.md

The articles are third-party text: the sample (with sentences) stays in build/, never committed; the
judgments file committed beside the results (results/real_precision_labels.jsonl) holds no text, only
each event's document, offsets, type, countries, origin and the three judgments. A judgment joins
its event by (document, character span, type, countries); events of another coder version that no judgment
covers are counted apart.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("COMMUNIQUE_ACTORS", "")

from communique import Document, extract_many  # noqa: E402
from communique.ingest.language import not_english  # noqa: E402
from communique.learned import configure  # noqa: E402

PAGES = ROOT.parent / "shared" / "benchmarks" / "article-extraction" / "ground-truth.json"
OUT = ROOT / "build" / "real_precision"
LABELS = ROOT / "benchmarks" / "results" / "real_precision_labels.jsonl"
RESULT = ROOT / "benchmarks" / "results" / "real_precision.md"


def english_pages() -> dict[str, str]:
    """The English article bodies by document id (the first 12 characters of the page's id)."""
    pages = json.loads(PAGES.read_text(encoding="utf-8"))
    return {k[:12]: v["articleBody"] for k, v in sorted(pages.items()) if not not_english(v["articleBody"])}


def coded() -> list[dict]:
    """One row per distinct (type, source country, target country) of each article, as scored,
    by the combined coder with the model's own events on (both origins are judged)."""
    configure(mode="combined", model_adds=True)
    docs = [Document(doc_id, text, None) for doc_id, text in english_pages().items()]
    rows = []
    for d, evs in extract_many(docs):
        seen = set()
        for e in evs:
            key = (e.type, e.source and e.source.country, e.target and e.target.country)
            if e.negated or e.hypothetical or key in seen:
                continue
            seen.add(key)
            s = e.char_span[0]
            rows.append({"doc": d.id, "span": list(e.char_span), "type": e.type, "trigger": e.trigger,
                         "origin": "model" if (e.rule or "").startswith("model") else "rule",
                         "confidence": e.confidence, "sentence": e.sentence,
                         "context_before": d.text[max(0, s - 400):s],
                         "source": e.source and e.source.text, "source_country": e.source and e.source.country,
                         "target": e.target and e.target.text, "target_country": e.target and e.target.country})
    random.Random(4).shuffle(rows)  # the reader sees rule and model events mixed
    for i, r in enumerate(rows):
        r["n"] = i
    return rows


def sample() -> None:
    rows = coded()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "key.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    blind = ("n", "type", "trigger", "sentence", "context_before", "source", "source_country", "target",
             "target_country")
    with open(OUT / "to_label.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({k: r[k] for k in blind}) + "\n")
    print(f"{len(rows)} events of {len({r['doc'] for r in rows})} articles: {dict(Counter(r['origin'] for r in rows))}; "
          f"brief the reader with {OUT / 'to_label.jsonl'}")


def band(conf) -> str:
    if conf is None:
        return "no confidence"
    return next(f">= {b}" for b in (0.9, 0.75, 0.5, 0.0) if conf >= b)


def score() -> None:
    judged = {(j["doc"], tuple(j["span"]), j["type"], j["source_country"], j["target_country"]): j
              for j in map(json.loads, LABELS.read_text(encoding="utf-8").splitlines()) if j}
    rows = coded()
    groups: dict[str, Counter] = defaultdict(Counter)
    unjudged = 0
    agree: Counter = Counter()
    for r in rows:
        j = judged.get((r["doc"], tuple(r["span"]), r["type"], r["source_country"], r["target_country"]))
        if j is None:
            unjudged += 1
            continue
        for i, reader in enumerate(j["readers"]):
            event = reader["event_ok"] == "yes"
            both = event and reader["source_ok"] == "yes" and reader["target_ok"] == "yes"
            for g in (r["origin"], f"{r['origin']}, confidence {band(r['confidence'])}"):
                groups[g].update({f"n{i}": 1, f"event{i}": event, f"key{i}": both})
            agree.update({"n": i == 0, "event": i == 1 and (reader["event_ok"] == j["readers"][0]["event_ok"]),
                          "key": i == 1 and both == (j["readers"][0]["event_ok"] == "yes" and j["readers"][0]["source_ok"] == "yes"
                                                     and j["readers"][0]["target_ok"] == "yes")})
    lines = [f"# The coder's events judged blind on real articles (`benchmarks/real_precision.py`)", "",
             f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. {len(rows)} events (distinct type and countries per "
             f"article) of the English article bodies of ../shared/benchmarks/article-extraction, coded by the "
             f"combined coder with the model's own events on; {len(rows) - unjudged} judged, {unjudged} not "
             f"(events of a later coder that the judgments do not cover).", "",
             "Event right: the sentence states an act of this PLOVER type that happened. Key right: that, and "
             "both countries right (the scorer's key). Two readers, each a separate helper session given the "
             "same brief and the PLOVER manual, blind to the event's origin and to each other: they agree on "
             f"{agree['event'] / max(1, agree['n']):.3f} of the events' rightness and {agree['key'] / max(1, agree['n']):.3f} "
             "of the keys' (sessions of one kind of reader: their agreement is no measure of two people's).", "",
             "| events | n | event right (reader 1 / 2) | key right (reader 1 / 2) |", "|---|---:|---:|---:|"]
    for g in sorted(groups):
        c = groups[g]
        n = c["n0"]
        lines.append(f"| {g} | {n} | {c['event0'] / n:.2f} / {c['event1'] / n:.2f} | {c['key0'] / n:.2f} / {c['key1'] / n:.2f} |")
    RESULT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("step", choices=("sample", "score"))
    args = ap.parse_args()
    if not PAGES.exists():
        sys.exit(f"{PAGES} is absent: this benchmark needs the shared article-extraction pages")
    sample() if args.step == "sample" else score()


if __name__ == "__main__":
    main()
