"""How text and corpus events become the model's inputs and labels, shared by training and run
time so that both tokenise and mark triggers the same way.

Two tasks share one encoder:
- trigger tagging: the plain sentence, BIO over the sixteen PLOVER types at each word piece;
- argument tagging: the sentence with the trigger between two marker pieces, BIO over
  source/target at each piece, and two flags (negated, hypothetical) read at the first marker.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import PLOVER_TYPES as TYPES
TRIGGER_LABELS = ("O",) + tuple(f"{p}-{t}" for t in TYPES for p in ("B", "I"))
ARG_LABELS = ("O", "B-SRC", "I-SRC", "B-TGT", "I-TGT")
FLAGS = ("negated", "hypothetical")
IGNORE = -100
MAX_PIECES = 128
# BERT's vocabulary keeps unused pieces; two of them mark the trigger and learn their meaning in
# training. They are never produced by the tokenizer from text.
MARK_OPEN, MARK_CLOSE = "[unused1]", "[unused2]"


@dataclass
class Encoded:
    ids: list[int]
    offsets: list[tuple[int, int]]  # character span in the text of each piece; (0, 0) for specials
    marker: int = 0  # index of the opening marker (0, the [CLS], when there is none)


def load_tokenizer(path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.no_truncation()
    return tok


def encode(tokenizer, text: str) -> Encoded:
    """[CLS] pieces [SEP], truncated to MAX_PIECES."""
    enc = tokenizer.encode(text)
    ids, offsets = list(enc.ids), [tuple(o) for o in enc.offsets]
    if len(ids) > MAX_PIECES:
        ids = ids[:MAX_PIECES - 1] + ids[-1:]
        offsets = offsets[:MAX_PIECES - 1] + [(0, 0)]
    return Encoded(ids, offsets)


def mark(tokenizer, enc: Encoded, start: int, end: int) -> Encoded | None:
    """The same pieces with marker pieces around those covering characters [start, end)."""
    inside = [i for i, (s, e) in enumerate(enc.offsets) if e > s and s < end and e > start]
    if not inside:
        return None
    a, b = inside[0], inside[-1] + 1
    op, cl = tokenizer.token_to_id(MARK_OPEN), tokenizer.token_to_id(MARK_CLOSE)
    ids = enc.ids[:a] + [op] + enc.ids[a:b] + [cl] + enc.ids[b:]
    offsets = enc.offsets[:a] + [(0, 0)] + enc.offsets[a:b] + [(0, 0)] + enc.offsets[b:]
    if len(ids) > MAX_PIECES:
        if b + 1 >= MAX_PIECES - 1:
            return None
        ids = ids[:MAX_PIECES - 1] + ids[-1:]
        offsets = offsets[:MAX_PIECES - 1] + [(0, 0)]
    return Encoded(ids, offsets, marker=a)


def bio(offsets, spans: list[tuple[int, int, str]], labels: tuple[str, ...]) -> list[int]:
    """Per-piece label ids for labelled character spans; special pieces are ignored."""
    index = {lab: i for i, lab in enumerate(labels)}
    out = [IGNORE if e <= s else 0 for s, e in offsets]
    for start, end, name in spans:
        first = True
        for i, (s, e) in enumerate(offsets):
            if e > s and s < end and e > start:
                out[i] = index[("B-" if first else "I-") + name]
                first = False
    return out


def decode_spans(offsets, label_ids, labels: tuple[str, ...], probs=None) -> list[tuple[int, int, str, float]]:
    """Character spans (start, end, name, mean probability) from per-piece BIO label ids.
    An I- piece that follows nothing of its kind starts a span (the model's B was missed)."""
    spans, cur = [], None
    for i, ((s, e), lab) in enumerate(zip(offsets, label_ids)):
        if e <= s:
            continue
        name = labels[lab]
        p = 1.0 if probs is None else float(probs[i])
        if name == "O":
            cur = None
            continue
        kind, typ = name.split("-", 1)
        if kind == "I" and cur is not None and cur[2] == typ:
            cur[1] = e
            cur[3].append(p)
            continue
        cur = [s, e, typ, [p]]
        spans.append(cur)
    return [(s, e, t, sum(ps) / len(ps)) for s, e, t, ps in spans]
