"""Scoring coded events against gold files (contract: shared gold/README.md).

Per document, events are compared as sets of keys (type, source country, target country);
CONSULT, AGREE and COOPERATE are unordered; "*" in gold matches anything; a gold type may
list alternatives ("CONCEDE|RETREAT"). Negated and hypothetical predictions are not scored.
Location (country and within `km`), date and fatalities are checked for every matched gold
event against each predicted event with the matched key.
"""
from __future__ import annotations

import math
from collections import defaultdict

from .model import RECIPROCAL_TYPES

UNORDERED = RECIPROCAL_TYPES


def _country(actor):
    if actor is None:
        return None
    if isinstance(actor, str):
        return actor or None
    return actor.get("country") or None


def key(event: dict) -> tuple:
    return ((event.get("type") or "").upper(), _country(event.get("source")), _country(event.get("target")))


def _eq(gold, value) -> bool:
    return gold == "*" or gold == value


def matches(gold_key: tuple, k: tuple) -> bool:
    gtype, gsrc, gtgt = gold_key
    etype, src, tgt = k
    if etype not in gtype.split("|"):
        return False
    if _eq(gsrc, src) and _eq(gtgt, tgt):
        return True
    return etype in UNORDERED and _eq(gsrc, tgt) and _eq(gtgt, src)


def distance_km(a: dict, b: dict) -> float:
    la1, lo1, la2, lo2 = (math.radians(x) for x in (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def place_ok(gold: dict, loc, km: float) -> bool:
    if not isinstance(loc, dict) or not loc:
        return False
    if gold.get("country") and loc.get("country") != gold["country"]:
        return False
    if gold.get("lat") is not None and loc.get("lat") is not None and loc.get("lon") is not None:
        return distance_km(gold, loc) <= km
    return gold.get("lat") is None


def score(gold_docs: list[dict], predicted: list[dict], km: float = 50.0) -> dict:
    per_doc = defaultdict(list)
    for e in predicted:
        if not (e.get("negated") or e.get("hypothetical")):
            per_doc[str(e.get("doc_id"))].append(e)
    tp = fp = fn = chrome = 0
    checks = defaultdict(lambda: [0, 0])
    types = defaultdict(lambda: [0, 0, 0])
    missed, spurious = [], []
    for doc in gold_docs:
        preds = per_doc.get(str(doc["id"]), [])
        if doc.get("body_end") is not None:
            chrome += sum(1 for e in preds if (e.get("char_span") or [0])[0] >= doc["body_end"])
        by_key: dict[tuple, list] = {}
        for e in preds:
            by_key.setdefault(key(e), []).append(e)
        used = set()
        for g in doc.get("events", []):
            gk = key(g)
            hit = next((k for k in by_key if k not in used and matches(gk, k)), None)
            if hit is None:
                hit = next((k for k in by_key if matches(gk, k)), None)
            if hit is None:
                fn += 1
                types[gk[0]][2] += 1
                missed.append((doc["id"], gk))
                continue
            tp += 1
            types[gk[0]][0] += 1
            used.add(hit)
            found = by_key[hit]
            if g.get("location"):
                checks["location"][1] += 1
                checks["location"][0] += any(place_ok(g["location"], e.get("location"), km) for e in found)
            if g.get("date"):
                checks["date"][1] += 1
                checks["date"][0] += any(str(e.get("date") or "") == g["date"] for e in found)
            if g.get("fatalities") is not None:
                checks["fatalities"][1] += 1
                checks["fatalities"][0] += any(e.get("fatalities") == g["fatalities"] for e in found)
        allowed = [key(g) for g in doc.get("events", []) + doc.get("optional", [])]
        for k in by_key:
            if k in used or any(matches(a, k) for a in allowed):
                continue
            fp += 1
            types[k[0]][1] += 1
            spurious.append((doc["id"], k))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "docs": len(gold_docs), "tp": tp, "fp": fp, "fn": fn,
        "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
        **{f"{name}_acc": round(ok / asked, 4) if asked else None for name, (ok, asked) in checks.items()},
        "chrome_events": chrome,
        "per_type": {t: dict(zip(("tp", "fp", "fn"), v)) for t, v in sorted(types.items())},
        "missed": [f"{d}: {k}" for d, k in missed],
        "spurious": [f"{d}: {k}" for d, k in spurious],
    }
