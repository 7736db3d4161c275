"""The trained event tagger at run time: onnxruntime and tokenizers only, the model read from the
package (`communique/data/model/`), never from a hub."""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .encoding import ARG_LABELS, TYPES, Encoded, decode_spans, encode, load_tokenizer, mark

log = logging.getLogger(__name__)
# the shipped model; COMMUNIQUE_MODEL points at another (a model under test, a retrained one)
MODEL_DIR = Path(os.environ.get("COMMUNIQUE_MODEL") or Path(__file__).resolve().parent.parent / "data" / "model")
BATCH = 32
# The most pieces an input of a batch may be padded by. The model's int8 activations are scaled
# per batch, padded positions included, so much padding moves the outputs of the real inputs:
# the seed's parties, read in one padded batch of its 20 sentences, went wrong (model alone F1
# 0.86 -> 0.33). Inputs of near-equal length keep each output as it is read alone.
PAD_SLACK = 4


@dataclass
class TriggerSpan:
    start: int
    end: int
    type: str
    confidence: float  # mean probability of the chosen labels over the span's pieces


@dataclass
class Arguments:
    source: tuple[int, int] | None
    target: tuple[int, int] | None
    negated: float
    hypothetical: float


@dataclass
class Tagged:
    """One text's trigger reading: spans, and per-piece probabilities for asking about any span."""
    text: str
    enc: Encoded
    probs: np.ndarray  # pieces x TRIGGER_LABELS
    spans: list[TriggerSpan]

    def _pieces(self, start: int, end: int) -> list[int]:
        return [i for i, (s, e) in enumerate(self.enc.offsets) if e > s and s < end and e > start]

    def event_probability(self, start: int, end: int) -> float:
        """How likely the model thinks some event is stated by the words at [start, end)."""
        pieces = self._pieces(start, end)
        return float(max(1.0 - self.probs[i, 0] for i in pieces)) if pieces else 0.0

    def type_probabilities(self, start: int, end: int) -> dict[str, float]:
        pieces = self._pieces(start, end)
        if not pieces:
            return {}
        p = self.probs[pieces].max(axis=0)
        return {t: float(p[1 + 2 * k] + p[2 + 2 * k]) for k, t in enumerate(TYPES)}


def read_triggers(offsets, probs: np.ndarray, threshold: float = 0.5) -> list[TriggerSpan]:
    """Trigger spans from per-piece label probabilities, in two steps: whether a piece states an
    event (1 - P(O) at least `threshold`), then which type (the B and I probabilities of a type
    summed, averaged over the span). Splitting the decision this way keeps an event whose type the
    model spreads over two near types (COERCE or ASSAULT for "fired tear gas") instead of losing it
    to the O label, which no single type outweighs."""
    spans, cur = [], None
    for i, (s, e) in enumerate(offsets):
        if e <= s:
            cur = None
            continue
        p = probs[i]
        event = 1.0 - p[0]
        if event < threshold:
            cur = None
            continue
        begin = p[1::2].sum() >= p[2::2].sum()  # B-* outweighs I-*: a new trigger starts here
        if cur is None or begin:
            cur = [s, e, []]
            spans.append(cur)
        cur[1] = e
        cur[2].append(i)
    out = []
    for s, e, pieces in spans:
        by_type = (probs[pieces, 1::2] + probs[pieces, 2::2]).mean(axis=0)
        k = int(by_type.argmax())
        event = float((1.0 - probs[pieces, 0]).mean())
        out.append(TriggerSpan(s, e, TYPES[k], event * float(by_type[k]) / max(1e-9, float(by_type.sum()))))
    return out


def _softmax(x):
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def _env_threads() -> int:
    try:
        return max(0, int(os.environ.get("OMP_NUM_THREADS", "")))
    except ValueError:
        return 0


def _batches(order: list[int], lengths: list[int]) -> list[list[int]]:
    """Length-sorted inputs in batches of at most BATCH, none padded by more than PAD_SLACK."""
    out: list[list[int]] = []
    for i in order:
        if out and len(out[-1]) < BATCH and lengths[i] - lengths[out[-1][0]] <= PAD_SLACK:
            out[-1].append(i)
        else:
            out.append([i])
    return out


class EventTagger:
    def __init__(self, folder: Path | None = None, threads: int | None = None):
        import onnxruntime as ort

        folder = Path(folder or MODEL_DIR)
        model = folder / "tagger.onnx"
        if not model.exists():
            raise FileNotFoundError(f"no trained model at {model}: run `communique train`")
        opts = ort.SessionOptions()
        # OMP_NUM_THREADS is set to 1 in a Dask worker (one worker process per core): its tagger
        # then keeps to one thread instead of contending for the cores the other workers use
        opts.intra_op_num_threads = threads or _env_threads() or min(2, os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = load_tokenizer(folder / "tokenizer.json")
        card = folder / "card.json"
        self.card = json.loads(card.read_text()) if card.exists() else {}
        self.calibration = self.card.get("calibration")

    def calibrated(self, p: float) -> float:
        """A span probability as the chance it is right (Platt scaling fitted on held-out batches)."""
        from .calibrate import apply

        return apply(p, self.calibration)

    def _run(self, encs: list[Encoded]):
        """Outputs per input, run in length-sorted batches."""
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
        out: list = [None] * len(encs)
        for idx in _batches(order, [len(e.ids) for e in encs]):
            n = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), n), dtype=np.int64)
            mask = np.zeros((len(idx), n), dtype=np.int64)
            for j, i in enumerate(idx):
                ids[j, :len(encs[i].ids)] = encs[i].ids
                mask[j, :len(encs[i].ids)] = 1
            marker = np.array([encs[i].marker for i in idx], dtype=np.int64)
            trig, args, flags = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "marker": marker})
            for j, i in enumerate(idx):
                m = len(encs[i].ids)
                out[i] = (trig[j, :m], args[j, :m], flags[j])
        return out

    def tag(self, texts: list[str]) -> list[Tagged]:
        encs = [encode(self.tokenizer, t) for t in texts]
        result = []
        for text, enc, (trig, _, _) in zip(texts, encs, self._run(encs)):
            probs = _softmax(trig)
            result.append(Tagged(text, enc, probs, read_triggers(enc.offsets, probs)))
        return result

    def arguments(self, asks: list[tuple[str, int, int]]) -> list[Arguments | None]:
        """Source and target spans and flags for each (text, trigger start, trigger end)."""
        marked = [mark(self.tokenizer, encode(self.tokenizer, t), s, e) for t, s, e in asks]
        live = [m for m in marked if m is not None]
        outs = iter(self._run(live)) if live else iter(())
        result = []
        for m in marked:
            if m is None:
                result.append(None)
                continue
            _, args, flags = next(outs)
            probs = _softmax(args)
            spans = decode_spans(m.offsets, probs.argmax(-1), ARG_LABELS, probs.max(-1))
            best = {}
            for s, e, role, c in spans:
                if role not in best or c > best[role][2]:
                    best[role] = (s, e, c)
            f = 1.0 / (1.0 + np.exp(-flags))
            result.append(Arguments(best["SRC"][:2] if "SRC" in best else None,
                                    best["TGT"][:2] if "TGT" in best else None, float(f[0]), float(f[1])))
        return result


@lru_cache(maxsize=2)
def tagger(folder: str | None = None) -> EventTagger:
    """One tagger per process (a worker loads it once)."""
    return EventTagger(Path(folder) if folder else None)


def available(folder: str | None = None) -> bool:
    return (Path(folder) if folder else MODEL_DIR).joinpath("tagger.onnx").exists()
