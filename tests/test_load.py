"""The correctness half of benchmarks/load.py, on a small store: dashboard queries against a real
server while an ingest writes to the same store get no error, and reports posted by several
clients at once are each stored exactly once, with their events. (The latencies are the
benchmark's business: no timing is asserted here.)"""
from __future__ import annotations

import sys
from pathlib import Path

from communique.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import load  # noqa: E402
from synthetic import fill  # noqa: E402

POSTS, POSTERS = 4, 4


def test_queries_during_an_ingest_get_no_error_and_posts_land_exactly_once(tmp_path):
    db = tmp_path / "load.db"
    with Store(str(db)) as store:
        fill(store, 2000, seed=1)
    result = load.run_load(db, tmp_path, requests=240, clients=4, posters=POSTERS, posts=POSTS, n_reports=40,
                           max_seconds=60, seed=1)
    sent = sum(len(v) for v in result.latencies.values())
    assert sent + result.not_sent == 240
    assert not result.errors and not result.error_samples, result.error_samples
    assert not result.post_errors, result.post_errors
    assert result.posts == {"new": POSTS, "unchanged": POSTS * (POSTERS - 1)}
    assert (result.stored_once, result.stored_twice_or_more, result.not_stored) == (POSTS, 0, 0)
    assert result.posted_without_events == 0 and result.posted_events >= POSTS
    assert result.ingest_docs_after > result.ingest_docs_before
    assert result.ingest_exit in (0, -15)  # finished, or stopped by the benchmark when the queries were done
