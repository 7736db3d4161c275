"""Confidence that means what it says: Platt scaling of the tagger's span probability, fitted on
the held-out batches (spans the model was not trained on), so that events kept at confidence 0.8
are right about 80% of the time on text like the corpus's."""
from __future__ import annotations

import math

import numpy as np


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def fit(scores: list[float], correct: list[bool], iterations: int = 50) -> dict:
    """Logistic regression of correctness on the logit of the score (Newton's method)."""
    x = _logit(np.asarray(scores, dtype=float))
    y = np.asarray(correct, dtype=float)
    a, b = 1.0, 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(a * x + b)))
        g = np.array([((p - y) * x).sum(), (p - y).sum()])
        w = p * (1 - p) + 1e-9
        h = np.array([[(w * x * x).sum(), (w * x).sum()], [(w * x).sum(), w.sum()]]) + 1e-6 * np.eye(2)
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if abs(step).max() < 1e-8:
            break
    return {"a": float(a), "b": float(b), "n": int(len(y)), "positive_rate": float(y.mean()) if len(y) else 0.0}


def apply(p: float, calibration: dict | None) -> float:
    if not calibration:
        return p
    p = min(max(p, 1e-4), 1 - 1e-4)
    z = calibration["a"] * math.log(p / (1 - p)) + calibration["b"]
    return 1 / (1 + math.exp(-z))


def held_out_spans(tagger, examples) -> tuple[list[float], list[bool]]:
    """Each span the tagger reads in the held-out texts: its score, and whether a gold trigger of
    the same type overlaps it."""
    from .examples import windows

    wins = [w for ex in examples for w in windows(tagger.tokenizer, ex)]
    scores, correct = [], []
    for w, tg in zip(wins, tagger.tag([w.text for w in wins])):
        gold = [(e.trigger.start, e.trigger.end, e.type) for e in w.events if e.trigger is not None]
        for s in tg.spans:
            scores.append(s.confidence)
            correct.append(any(t == s.type and gs < s.end and s.start < ge for gs, ge, t in gold))
    return scores, correct
