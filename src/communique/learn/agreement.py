"""Agreement between two annotators of the same texts: event-level F1 on (type, trigger words)
and on the scorer's key (type, source country, target country), and whether both see an event."""
from __future__ import annotations

from collections import Counter

from .corpus import Example
from ..model import RECIPROCAL_TYPES
from .heldout import key_pairs


def _keys(ex: Example) -> Counter:
    out = Counter()
    for e in ex.events:
        if e.negated or e.hypothetical:
            continue
        for s, t in key_pairs(e):
            pair = (s, t) if e.type not in RECIPROCAL_TYPES else tuple(sorted((s or "", t or "")))
            out[(e.type,) + tuple(pair)] += 1
    return Counter(set(out))


def _f1(tp: int, n1: int, n2: int) -> float:
    return 2 * tp / (n1 + n2) if n1 + n2 else 1.0


def agreement(first: list[Example], second: list[Example]) -> dict:
    by_id = {e.id: e for e in first}
    pairs = [(by_id[e.id], e) for e in second if e.id in by_id]
    trig_tp = trig_1 = trig_2 = key_tp = key_1 = key_2 = 0
    types = Counter()
    both_none = either = 0
    for a, b in pairs:
        used = set()
        for ea in a.events:
            trig_1 += 1
            hit = next((k for k, eb in enumerate(b.events) if k not in used and eb.type == ea.type
                        and eb.trigger.start < ea.trigger.end and ea.trigger.start < eb.trigger.end), None)
            if hit is not None:
                used.add(hit)
                trig_tp += 1
                types[ea.type] += 1
        trig_2 += len(b.events)
        ka, kb = _keys(a), _keys(b)
        key_tp += sum((ka & kb).values())
        key_1 += sum(ka.values())
        key_2 += sum(kb.values())
        either += bool(a.events) or bool(b.events)
        both_none += not a.events and not b.events
    return {"texts": len(pairs), "events_first": trig_1, "events_second": trig_2,
            "trigger_type_f1": _f1(trig_tp, trig_1, trig_2),
            "country_key_f1": _f1(key_tp, key_1, key_2),
            "event_or_not_agreement": (both_none + sum(1 for a, b in pairs if a.events and b.events)) / len(pairs)
            if pairs else 0.0}
