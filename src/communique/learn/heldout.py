"""Scoring on the corpus's held-out batches: the corpus as gold records for the project's scorer
(type, source country, target country per document), and the tagger's own span-level figures."""
from __future__ import annotations

from collections import Counter

from ..model import RECIPROCAL_TYPES
from .corpus import Example
from .encoding import TYPES


def key_pairs(e, unnamed: str | None = None) -> list[tuple[str | None, str | None]]:
    """The scorer's (source, target) pairs of one corpus event, by the gold files' convention:
    one key per pair of the parties' countries, and a mutual act of several countries named
    together ("Japan and South Korea held talks") one key per pair among them, as "Japan held
    talks with South Korea" would give. A side the text names no words for, and the writer gave
    no country, is `unnamed` (None, or "*": any)."""
    sources, targets = list(dict.fromkeys(e.source_country)), list(dict.fromkeys(e.target_country))
    if e.type in RECIPROCAL_TYPES and not targets and len(sources) > 1:
        return [(a, b) for i, a in enumerate(sources) for b in sources[i + 1:]]
    no_source = unnamed if e.source is None else None
    no_target = unnamed if e.target is None else None
    return [(s, t) for s in sources or [no_source] for t in targets or [no_target]]


def gold_records(examples: list[Example], unnamed: str | None = None) -> list[dict]:
    """One scorer record per example: every stated event (not negated, not hypothetical), one
    key per pair of the parties' countries.

    `unnamed="*"` scores a side the text does not name as "any". The corpus leaves such a side
    empty ("farmers drove tractors into the capital": no target), while the gold files nearly
    always give one (the country acted on, often the actor's own: 3 of news-dev's 99 events and
    11 of plover-gsr-dev's 166 have none); with "*", filling it in as those coders do is not
    counted against the coder, and leaving it empty is not either."""
    out = []
    for ex in examples:
        events = []
        for e in ex.events:
            if e.negated or e.hypothetical:
                continue
            events += [{"type": e.type, "source": s, "target": t} for s, t in key_pairs(e, unnamed)]
        out.append({"id": ex.id, "text": ex.text, "published": ex.published or "2020-01-01",
                    "events": events, "optional": []})
    return out


def _overlaps(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def span_scores(tagger, examples: list[Example]) -> dict:
    """Trigger detection (type and overlapping words) and, for each found trigger, parties
    (type + overlapping source and target words, a missing party matching a missing party)."""
    from .examples import windows

    counts = {t: Counter() for t in TYPES}
    full = Counter()
    wins = [w for ex in examples for w in windows(tagger.tokenizer, ex)]
    tagged = tagger.tag([w.text for w in wins])
    for w, tg in zip(wins, tagged):
        gold = [(e.trigger.start, e.trigger.end, e.type, e) for e in w.events if e.trigger is not None]
        pred = [(s.start, s.end, s.type) for s in tg.spans]
        used = set()
        matched = []
        for ps, pe, pt in pred:
            hit = next((k for k, (gs, ge, gt, _) in enumerate(gold)
                        if k not in used and gt == pt and _overlaps((ps, pe), (gs, ge))), None)
            if hit is None:
                counts[pt]["fp"] += 1
            else:
                used.add(hit)
                counts[pt]["tp"] += 1
                matched.append(((ps, pe), gold[hit][3]))
        for k, (_, _, gt, _) in enumerate(gold):
            if k not in used:
                counts[gt]["fn"] += 1
        args = tagger.arguments([(w.text, s, e) for (s, e), _ in matched]) if matched else []
        for (_, ev), a in zip(matched, args):
            def same(p, g):
                g = None if g is None else (g.start, g.end)
                return (p is None and g is None) or _overlaps(p, g)
            ok = a is not None and same(a.source, ev.source) and same(a.target, ev.target)
            full["parties_ok" if ok else "parties_wrong"] += 1
    tp = sum(c["tp"] for c in counts.values())
    fp = sum(c["fp"] for c in counts.values())
    fn = sum(c["fn"] for c in counts.values())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    tp_full = full["parties_ok"]
    pf = tp_full / (tp + fp) if tp + fp else 0.0
    rf = tp_full / (tp + fn) if tp + fn else 0.0
    return {"trigger": {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0},
            "type_parties": {"p": pf, "r": rf, "f1": 2 * pf * rf / (pf + rf) if pf + rf else 0.0},
            "per_type": {t: dict(c) for t, c in counts.items()}}
