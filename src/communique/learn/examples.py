"""Corpus examples to model windows: the held-out split by whole batches, sentence windows for
long reports, and the per-window trigger and argument examples. No torch here."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .corpus import CorpusEvent, Example
from .encoding import ARG_LABELS, TRIGGER_LABELS, Encoded, bio, encode, mark

HOLDOUT_EVERY = 5  # one batch in five of every writer is held out whole
_SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“‘'(\[0-9])|\n+")


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """(train, held out): per writer, its batches in name order, every fifth (the third, eighth,
    ...) held out whole, so no sentence of a held-out batch's prompt or sitting is trained on."""
    by_writer: dict[str, set[str]] = {}
    for ex in examples:
        by_writer.setdefault(ex.batch.split("/")[0], set()).add(ex.batch)
    held = {b for bs in by_writer.values() for i, b in enumerate(sorted(bs)) if i % HOLDOUT_EVERY == 2}
    return [e for e in examples if e.batch not in held], [e for e in examples if e.batch in held]


@dataclass
class Window:
    """A stretch of an example's text short enough for the encoder, and the events whose trigger
    lies in it (spans shifted to the window)."""
    text: str
    events: list[CorpusEvent] = field(default_factory=list)
    example_id: str = ""


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _shift(e: CorpusEvent, lo: int, hi: int) -> CorpusEvent:
    from dataclasses import replace

    from .corpus import Span

    def inside(s):
        return None if s is None or s.start < lo or s.end > hi else Span(s.start - lo, s.end - lo)
    return replace(e, trigger=inside(e.trigger), source=inside(e.source), target=inside(e.target))


def windows(tokenizer, ex: Example, budget: int = 110) -> list[Window]:
    """The whole text when it fits; else runs of its sentences up to `budget` pieces."""
    if len(tokenizer.encode(ex.text).ids) <= budget:
        return [Window(ex.text, list(ex.events), ex.id)]
    out, cur, size = [], None, 0
    for s, e in sentence_spans(ex.text):
        n = len(tokenizer.encode(ex.text[s:e]).ids)
        if cur is not None and size + n <= budget:
            cur[1], size = e, size + n
        else:
            cur = [s, e]
            out.append(cur)
            size = n
    result = []
    for lo, hi in out:
        evs = [_shift(ev, lo, hi) for ev in ex.events if lo <= ev.trigger.start and ev.trigger.end <= hi]
        result.append(Window(ex.text[lo:hi], evs, ex.id))
    return result


@dataclass
class Item:
    """One training row: pieces, and labels for the task it belongs to (the other ignored)."""
    enc: Encoded
    trigger_labels: list[int] | None = None
    arg_labels: list[int] | None = None
    flags: tuple[float, float] | None = None


def items(tokenizer, windows_: list[Window]) -> list[Item]:
    rows = []
    for w in windows_:
        enc = encode(tokenizer, w.text)
        spans = [(e.trigger.start, e.trigger.end, e.type) for e in w.events]
        rows.append(Item(enc, trigger_labels=bio(enc.offsets, spans, TRIGGER_LABELS)))
        for e in w.events:
            if not e.has_arguments:
                continue
            marked = mark(tokenizer, enc, e.trigger.start, e.trigger.end)
            if marked is None:
                continue
            parties = [(s.start, s.end, r) for s, r in ((e.source, "SRC"), (e.target, "TGT")) if s is not None]
            rows.append(Item(marked, arg_labels=bio(marked.offsets, parties, ARG_LABELS),
                             flags=(float(e.negated), float(e.hypothetical))))
    return rows
