"""Coding quality on the shared gold files, written to benchmarks/results/quality.md.

    python benchmarks/quality.py [--shared ../shared] [--out benchmarks/results/quality.md]

Codes every gold file in one process (the model loaded once), scores it with the project's
scorer (the same figures as shared/tools/score_events.py), and records the date, the commit,
the time taken and a per-type table, beside the targets of the quality issue.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
# the shipped lexicons are what is measured: a per-user actor file (~/.config/communique/actors.yaml)
# is left out unless $COMMUNIQUE_ACTORS names one on purpose
os.environ.setdefault("COMMUNIQUE_ACTORS", "")

from communique import Document, extract_many  # noqa: E402
from communique.evaluate import score  # noqa: E402

GOLD = ["seed", "news-dev", "plover-gsr-dev", "ucdp-dev"]
TARGETS = {
    "seed": "recall 1.0, precision >= 0.9",
    "news-dev": "F1 >= 0.85, chrome 0, location >= 0.85, date >= 0.90",
    "plover-gsr-dev": "F1 >= 0.75, every type recall >= 0.5",
    "ucdp-dev": "recall >= 0.90, precision >= 0.85, location >= 0.75, date >= 0.85, fatalities >= 0.70",
}


def code(path: Path) -> tuple[list[dict], list[dict], float]:
    docs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    start = time.perf_counter()
    preds = []
    stream = (Document(str(d["id"]), d["text"], date.fromisoformat(d["published"]) if d.get("published") else None)
              for d in docs)
    for _, events in extract_many(stream):
        preds.extend(e.to_dict() for e in events)
    return docs, preds, time.perf_counter() - start


def fmt(v) -> str:
    return "–" if v is None else f"{v:.3f}"


THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.8)


def confidence_table(coded: dict[str, tuple[list[dict], list[dict]]]) -> list[str]:
    """P/R at each `--min-confidence`: whether the confidence orders events by how often they are right."""
    names = [n for n in coded if n != "seed"]
    lines = ["", "## What `--min-confidence` buys", "",
             "Precision / recall / events kept, on the same predictions filtered by confidence.", "",
             "| min confidence | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for th in THRESHOLDS:
        cells = []
        for n in names:
            docs, preds = coded[n]
            kept = [e for e in preds if (e.get("confidence") or 0.0) >= th]
            r = score(docs, kept)
            cells.append(f"{fmt(r['precision'])} / {fmt(r['recall'])} / {len(kept)}")
        lines.append(f"| {th:.1f} | " + " | ".join(cells) + " |")
    return lines


NUMBER_WORDS = {1: "one|a|an", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 10: "ten", 11: "eleven", 12: "twelve|dozen", 20: "twenty", 100: "hundred"}


def ucdp_input_table(docs: list[dict]) -> list[str]:
    """How much of what UCDP's coders recorded the headlines state at all, as ceilings for any
    coder using this gazetteer: a place the text names (any reading of the name, in any
    country) within 50 km of GED's point; the gold day among the publication day and the days
    the text states; the death toll written as digits or a number word."""
    import re

    from communique.dates import find_dates
    from communique.evaluate import distance_km
    from communique.parse import nlp
    from communique.places import lookup, place_mentions

    asked = {"location": 0, "date": 0, "fatalities": 0}
    stated = dict.fromkeys(asked, 0)
    for d in docs:
        g, text = d["events"][0], d["text"]
        if g.get("location") and g["location"].get("lat") is not None:
            asked["location"] += 1
            stated["location"] += any(distance_km({"lat": e.lat, "lon": e.lon}, g["location"]) <= 50
                                      for _, _, name in place_mentions(nlp()(text)) for e in lookup(name))
        if g.get("date"):
            asked["date"] += 1
            published = date.fromisoformat(d["published"])
            days = {str(x.value) for x in find_dates(text, published)} | {d["published"]}
            stated["date"] += g["date"] in days
        if g.get("fatalities") is not None:
            asked["fatalities"] += 1
            n = g["fatalities"]
            pattern = rf"\b{n}\b" + (rf"|\b({NUMBER_WORDS[n]})\b" if n in NUMBER_WORDS else "")
            stated["fatalities"] += bool(re.search(pattern, text.lower()))
    lines = ["", "## ucdp-dev: what the headlines state", "",
             "Ceilings for any coder with this gazetteer (see `ucdp_input_table`): location, some place the "
             "text names, read in any country, lies within 50 km of GED's point; date, the gold day is the "
             "publication day or a day the text states; fatalities, the toll is written in the text. "
             "Compare the ucdp-dev row above: the targets (0.75, 0.85, 0.70) lie above these.", "",
             "| field | rows asked | stated | ceiling |", "|---|---|---|---|"]
    for k in asked:
        share = stated[k] / asked[k] if asked[k] else 0.0
        lines.append(f"| {k} | {asked[k]} | {stated[k]} | {share:.2f} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "quality.md")
    a = ap.parse_args()
    gold_dir = a.shared / "gold"
    if not gold_dir.is_dir():
        sys.exit(f"{gold_dir}: no gold files here (pass --shared)")
    list(extract_many([Document("warm-up", "Kenya said on Monday it would send troops.", date(2024, 1, 1))]))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    lines = [f"# Coding quality on the shared gold files",
             "",
             f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC at commit `{commit or 'unknown'}` by "
             "`python benchmarks/quality.py` (model loaded once; times exclude start-up).",
             "",
             "| gold | docs | P | R | F1 | location | date | fatalities | chrome | time | targets |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    per_type = {}
    coded = {}
    for name in GOLD:
        path = gold_dir / f"{name}.jsonl"
        if not path.exists():
            continue
        docs, preds, took = code(path)
        coded[name] = (docs, preds)
        r = score(docs, preds)
        per_type[name] = r["per_type"]
        lines.append(f"| {name} | {r['docs']} | {fmt(r['precision'])} | {fmt(r['recall'])} | {fmt(r['f1'])} | "
                     f"{fmt(r.get('location_acc'))} | {fmt(r.get('date_acc'))} | {fmt(r.get('fatalities_acc'))} | "
                     f"{r['chrome_events']} | {took:.1f} s | {TARGETS[name]} |")
        print(f"{name}: P {r['precision']} R {r['recall']} F1 {r['f1']} in {took:.1f} s", flush=True)
    lines += confidence_table(coded)
    if "ucdp-dev" in coded:
        lines += ucdp_input_table(coded["ucdp-dev"][0])
    for name, table in per_type.items():
        lines += ["", f"## {name}: per type", "", "| type | tp | fp | fn | P | R |", "|---|---|---|---|---|---|"]
        for t, c in table.items():
            p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
            rec = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
            lines.append(f"| {t} | {c['tp']} | {c['fp']} | {c['fn']} | {p:.2f} | {rec:.2f} |")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {a.out}")


if __name__ == "__main__":
    main()
