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

from communique.learned import configure  # noqa: E402

GOLD = ["seed", "news-dev", "plover-gsr-dev", "ucdp-dev"]
TARGETS = {
    "seed": "recall 1.0, precision >= 0.9",
    "news-dev": "F1 >= 0.80, chrome 0, location >= 0.85, date >= 0.90",
    "plover-gsr-dev": "F1 >= 0.80, every type recall >= 0.6",
    "ucdp-dev": "recall >= 0.90, precision >= 0.90",
}
# "combined+adds": the combined coder with the model's own events (learned.CoderSettings.model_adds);
# the default coder, `combined`, stays last so that the detailed tables are its
MODES = ("rules", "model", "combined+adds", "combined")


def use(mode: str) -> None:
    """Configure the coder for a mode name of this benchmark."""
    base, _, extra = mode.partition("+")
    configure(mode=base, model_adds=extra == "adds")


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


def mode_table(gold_dir: Path, modes: list[str], coded: dict) -> list[str]:
    """P/R/F1 of each coder mode on each gold file (rules alone, model alone, both); the last
    mode's codings are kept in `coded` for the detailed tables."""
    lines = ["## Coder modes", "",
             "Rules alone (the lexicon coder), the trained tagger alone (its spans through the actor, "
             "place and date stages), the combination with the tagger's own events (it vets the rules' "
             "matches and adds what they missed: `combined+adds`), and the default combination (it vets "
             "the rules' matches only: `combined`). No mode was fitted to these files.", "",
             "| gold | " + " | ".join(f"{m} P / R / F1" for m in modes) + " |",
             "|---|" + "---|" * len(modes)]
    rows = {}
    for mode in modes:
        use(mode)
        for name in GOLD:
            path = gold_dir / f"{name}.jsonl"
            if path.exists():
                docs, preds, took = code(path)
                if mode == modes[-1]:
                    coded[name] = (docs, preds, took)
                r = score(docs, preds)
                rows.setdefault(name, []).append(f"{fmt(r['precision'])} / {fmt(r['recall'])} / **{fmt(r['f1'])}**")
                print(f"{mode} {name}: P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}", flush=True)
    return lines + [f"| {n} | " + " | ".join(v) + " |" for n, v in rows.items()]


def heldout_table(modes: list[str]) -> list[str]:
    """The corpus's held-out batches: whole batches no rule and no model was fitted to."""
    from communique.learn.corpus import read_corpus
    from communique.learn.examples import split
    from communique.learn.heldout import gold_records, span_scores
    from communique.learn.runtime import available, tagger

    corpus = ROOT / "corpus" / "raw"
    if not corpus.is_dir():
        return []
    _, held = split(read_corpus([corpus])[0])
    records = gold_records(held)
    lenient = gold_records(held, unnamed="*")
    lines = ["", "## The corpus's held-out batches", "",
             f"{len(held)} texts in {len({e.batch for e in held})} whole batches held out of training "
             "(every writer's third, eighth and thirteenth batch). Scored like the gold files: "
             "(type, source country, target country) per text. *Strict*: a side the text names no "
             "words for must be coded empty, as the corpus leaves it; *unnamed as any*: such a side "
             "matches anything, since the gold files' coders fill it in (the country acted on) where "
             "the corpus's writers left it empty (see learn/heldout.gold_records).", "",
             "| coder | strict P | R | F1 | unnamed as any P | R | F1 |", "|---|---|---|---|---|---|---|"]
    for mode in modes:
        use(mode)
        docs = (Document(r["id"], r["text"], date.fromisoformat(r["published"])) for r in records)
        preds = [e.to_dict() for _, evs in extract_many(docs) for e in evs]
        r, rl = score(records, preds), score(lenient, preds)
        lines.append(f"| {mode} | {fmt(r['precision'])} | {fmt(r['recall'])} | **{fmt(r['f1'])}** | "
                     f"{fmt(rl['precision'])} | {fmt(rl['recall'])} | **{fmt(rl['f1'])}** |")
        print(f"held-out {mode}: P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}; unnamed as any: "
              f"P {rl['precision']:.3f} R {rl['recall']:.3f} F1 {rl['f1']:.3f}", flush=True)
    if available():
        sp = span_scores(tagger(), held)
        lines += ["", "The tagger's own spans on the same texts (a trigger found with its type and "
                  "overlapping words; type+parties also needs overlapping source and target words):", "",
                  "| | P | R | F1 |", "|---|---|---|---|"]
        for k in ("trigger", "type_parties"):
            lines.append(f"| {k} | {fmt(sp[k]['p'])} | {fmt(sp[k]['r'])} | {fmt(sp[k]['f1'])} |")
        lines += ["", "| type | tp | fp | fn | P | R |", "|---|---|---|---|---|---|"]
        for t, c in sp["per_type"].items():
            tp, fp, fn = c.get("tp", 0), c.get("fp", 0), c.get("fn", 0)
            lines.append(f"| {t} | {tp} | {fp} | {fn} | {fmt(tp / (tp + fp) if tp + fp else 0)} | "
                         f"{fmt(tp / (tp + fn) if tp + fn else 0)} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "quality.md")
    ap.add_argument("--modes", default=",".join(MODES),
                    help="coder modes to compare (the detailed tables are for the last)")
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
             ]
    modes = a.modes.split(",")
    last: dict = {}
    lines += mode_table(gold_dir, modes, last) + heldout_table(modes)
    use(modes[-1])
    lines += ["", f"## Coder `{modes[-1]}` in detail", "",
              "| gold | docs | P | R | F1 | location | date | fatalities | chrome | time | targets |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    per_type = {}
    coded = {}
    for name, (docs, preds, took) in last.items():  # the last mode, as coded for the mode table
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
