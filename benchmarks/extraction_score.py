"""Scorer for the article-extraction benchmark (../shared/benchmarks/article-extraction/).

Written from the method described in that directory's README ("How the published scores are
computed"): `\\w+` tokens, 4-token shingles counted as multisets, per-page precision and recall,
macro averages (pages with an empty prediction left out of precision, scored 0 in recall), F1
from the two averages, exact-token-list accuracy, and a bootstrap over pages for the "±".
"""
from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

_WORD = re.compile(r"\w+")  # Python re: Unicode-aware, so every script tokenises the same way
N = 4


def tokens(text: str | None) -> list[str]:
    return _WORD.findall(text or "")


def shingles(toks: Sequence[str], n: int = N) -> Counter:
    """Every run of n consecutive tokens, with repeats; 1..n-1 tokens make one short shingle."""
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


@dataclass(frozen=True)
class PageScore:
    precision: float | None  # None: the prediction has no shingle (left out of the precision mean)
    recall: float | None  # None: the truth has no shingle (left out of the recall mean)
    exact: bool  # same token list as the truth


def score_page(truth: str | None, pred: str | None) -> PageScore:
    t_toks, p_toks = tokens(truth), tokens(pred)
    t, p = shingles(t_toks), shingles(p_toks)
    tp = sum(min(c, p[s]) for s, c in t.items())
    fp = sum(p.values()) - tp
    fn = sum(t.values()) - tp
    if fp == 0 and fn == 0:
        precision = recall = 1.0
    else:
        precision = tp / (tp + fp) if p else None
        recall = tp / (tp + fn) if t else None
    return PageScore(precision, recall, t_toks == p_toks)


@dataclass(frozen=True)
class Summary:
    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int
    empty: int  # predictions with no shingle


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def summarise(pages: Sequence[PageScore]) -> Summary:
    """Macro averages over pages; F1 is the harmonic mean of the averaged P and R."""
    p = _mean([s.precision for s in pages if s.precision is not None])
    r = _mean([s.recall for s in pages if s.recall is not None])
    acc = _mean([1.0 if s.exact else 0.0 for s in pages])
    return Summary(p, r, f1(p, r), acc, len(pages), sum(s.precision is None for s in pages))


def bootstrap(pages: Sequence[PageScore], resamples: int = 1000, seed: int = 0) -> dict[str, float]:
    """Standard deviation (n - 1) of P, R, F1 and accuracy over resamples of the pages."""
    rng = random.Random(seed)
    n = len(pages)
    draws: dict[str, list[float]] = {"precision": [], "recall": [], "f1": [], "accuracy": []}
    for _ in range(resamples):
        s = summarise([pages[rng.randrange(n)] for _ in range(n)])
        draws["precision"].append(s.precision)
        draws["recall"].append(s.recall)
        draws["f1"].append(s.f1)
        draws["accuracy"].append(s.accuracy)
    return {k: statistics.stdev(v) for k, v in draws.items()}


def paired_f1_difference(a: Sequence[PageScore], b: Sequence[PageScore], resamples: int = 1000,
                         seed: int = 0) -> tuple[float, float]:
    """Mean and standard deviation of F1(a) - F1(b) over the same resampled pages."""
    assert len(a) == len(b)
    rng = random.Random(seed)
    n = len(a)
    diffs = []
    for _ in range(resamples):
        idx = [rng.randrange(n) for _ in range(n)]
        diffs.append(summarise([a[i] for i in idx]).f1 - summarise([b[i] for i in idx]).f1)
    return statistics.fmean(diffs), statistics.stdev(diffs)
