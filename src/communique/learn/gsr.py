"""PLOVER's gold-standard records as training examples for the trigger tagger.

Issue 14 allows one dev file to train the model: plover-gsr-dev, through k-fold cross-validation
(each fold scored by a model that did not see it) and then, for the shipped model, all of it.
A record gives its type and the words that state it (`plover.eventText`, e.g. "agreed
cooperate"), not their offsets; the trigger is the first of those words found in the text, with
the following ones when they stand right after it ("pulled out"). Its parties are country codes
without words, so the records train the trigger head only; the party head keeps learning from the
corpus through the replayed rows.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..model import PLOVER_TYPES
from .corpus import CorpusEvent, Example, Span

FOLDS = 5


def _record_type(record: dict) -> str | None:
    """The record's type among our sixteen (the first of alternatives), or None (no event, or
    INVESTIGATE, which the gold keeps only optional)."""
    for event in record.get("events") or []:
        first = str(event.get("type") or "").split("|")[0]
        if first in PLOVER_TYPES:
            return first
    return None


# words the records' eventText often starts with that say how the act was told, not the act
# ("announced will return weapons", "said would allow inspectors"): the trigger is what follows
_LEADING = {"will", "would", "said", "says", "announced", "has", "have", "had", "been", "is", "was",
            "were", "ready", "may", "decided", "to"}


def trigger_span(text: str, event_text: str) -> Span | None:
    words = re.findall(r"[\w'-]+", event_text or "")
    while len(words) > 1 and words[0].lower() in _LEADING:
        words = words[1:]
    if not words:
        return None
    m = re.search(r"\b" + re.escape(words[0]) + r"\b", text, re.IGNORECASE)
    if m is None:
        return None
    end = m.end()
    for w in words[1:]:
        nxt = re.match(r"\s+" + re.escape(w) + r"\b", text[end:], re.IGNORECASE)
        if nxt is None:
            break
        end += nxt.end()
    return Span(m.start(), end)


def record_example(record: dict, fold: int = 0) -> Example | None:
    """An example whose one event is the record's trigger and type (batch "gsr/<fold>"); a record
    with no scored event becomes an example with no event. None when the trigger words are not
    in the text."""
    text = record["text"]
    typ = _record_type(record)
    events = []
    if typ is not None:
        span = trigger_span(text, (record.get("plover") or {}).get("eventText", ""))
        if span is None:
            return None
        events.append(CorpusEvent(type=typ, trigger=span, source=None, target=None, source_country=[],
                                  target_country=[], negated=False, hypothetical=False))
    return Example(id=record["id"], batch=f"gsr/{fold}", text=text, published=record.get("published"),
                   style=None, kind=None, events=events)


def folds(records: list[dict], k: int = FOLDS) -> dict[str, int]:
    """Each record's fold, by its place in id order: the ids name the type, so every fold gets
    every type, and every run splits the same way."""
    return {rid: i % k for i, rid in enumerate(sorted(r["id"] for r in records))}


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def examples(records: list[dict]) -> list[Example]:
    """Every record that has its trigger words, in the batch of its fold."""
    fold = folds(records)
    out = [record_example(r, fold[r["id"]]) for r in records]
    return [e for e in out if e is not None]
