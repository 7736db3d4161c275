"""The synthetic store used by the API benchmark: counts, referential integrity, story figures
consistent with their mentions, determinism for a seed, and the store's queries on it."""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from datetime import date

import pytest
from sqlalchemy import func, inspect, select

from communique.model import PLOVER_TYPES, RECIPROCAL_TYPES, Actor, Document, Event
from communique.store import Store
from communique.store.query import Filters
from communique.store.schema import actors, documents, events, places, stories

from conftest import ROOT

# the generator is a benchmark fixture (benchmarks/synthetic.py), not package code
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import fill  # noqa: E402

N = 2000


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    store = Store(str(tmp_path_factory.mktemp("syn") / "syn.db"))
    figures = fill(store, N, seed=7)
    yield store, figures
    store.close()


def rows(store, table, order=None):
    with store.engine.connect() as conn:
        return conn.execute(select(table).order_by(*(order or table.primary_key.columns))).all()


def check_integrity(store) -> None:
    """Every reference resolves and every story's figures agree with its mentions."""
    docs = {d.id: d for d in rows(store, documents)}
    evs = rows(store, events)
    sts = {s.id: s for s in rows(store, stories)}
    actor_rows = {a.id: a for a in rows(store, actors)}
    place_ids = {p.id for p in rows(store, places)}
    by_story = defaultdict(list)
    per_doc = Counter()
    for e in evs:
        assert e.story_id in sts, f"mention {e.id} points to a missing story {e.story_id}"
        assert e.document_id in docs
        for aid in (e.source_actor_id, e.target_actor_id):
            assert aid is None or aid in actor_rows
        assert e.place_id is None or e.place_id in place_ids
        assert docs[e.document_id].text[e.span_start:e.span_end] == e.sentence
        assert e.type == sts[e.story_id].type
        by_story[e.story_id].append(e)
        per_doc[e.document_id] += 1
    for d in docs.values():
        assert d.num_events == per_doc[d.id]
    for sid, s in sts.items():
        ms = by_story.get(sid, [])
        assert ms, f"story {sid} has no mention"
        assert s.num_mentions == len(ms)
        assert s.num_documents == len({m.document_id for m in ms})
        assert 1 <= s.num_sources <= s.num_documents
        assert s.lead_event_id in {m.id for m in ms}
        assert s.confidence == max(m.confidence for m in ms)
        tolls = [m.fatalities for m in ms if m.fatalities is not None]
        assert s.fatalities == (max(tolls) if tolls else None)
        published = [docs[m.document_id].published for m in ms]
        assert (s.first_seen, s.last_seen) == (min(published), max(published))
        if s.date and len(s.date) == 10:
            assert s.first_seen >= s.date  # a report comes after the event
        for aid in (s.source_actor_id, s.target_actor_id):
            assert aid is None or aid in actor_rows
        assert s.place_id is None or s.place_id in place_ids

        def key(aid):
            if aid is None:
                return ""
            a = actor_rows[aid]
            return a.country or a.name.lower()
        keys = (key(s.source_actor_id), key(s.target_actor_id))
        if s.type in RECIPROCAL_TYPES:
            assert sorted(keys) == sorted((s.source_key, s.target_key))
        else:
            assert keys == (s.source_key, s.target_key)


def test_counts_and_shape(filled):
    store, figures = filled
    st = store.stats()
    assert st["mentions"] == figures["events"] == N
    assert N / 1.8 <= st["events"] <= N / 1.25, st["events"]  # ~n/1.5 stories
    assert N / 3.6 <= st["documents"] <= N / 2.5, st["documents"]  # ~n/3 reports
    assert 2500 <= st["actors"] <= 3500
    assert 19_000 <= st["places"] <= 21_000
    assert 0 < st["multi_source_events"] < st["events"]
    assert set(st["by_type"]) == set(PLOVER_TYPES)
    assert st["first_date"] >= "2015" and st["last_date"] <= "2025-12-31"
    assert figures["rows_per_s"] > 0 and figures["seconds"] > 0
    sts = rows(store, stories)
    sizes = Counter(s.num_mentions for s in sts)
    assert set(sizes) <= {1, 2, 3, 4, 5} and sizes[1] > sizes[2] > 0 and sizes[3] > 0
    assert 0.005 < sum(s.negated for s in sts) / len(sts) < 0.05
    assert 0.005 < sum(s.hypothetical for s in sts) / len(sts) < 0.08
    deadly = [s for s in sts if s.fatalities]
    assert deadly and all(s.type == "ASSAULT" for s in deadly)
    # A few countries dominate: the busiest has several times the median country's events.
    busiest = Counter(s.source_key for s in sts if len(s.source_key) == 3).most_common()
    assert busiest[0][1] > 5 * busiest[len(busiest) // 2][1]
    with store.engine.connect() as conn:
        precisions = set(conn.execute(select(places.c.precision).distinct()).scalars())
    assert {"place", "admin1", "country"} <= precisions
    intensity = defaultdict(list)
    for s in sts:
        if s.intensity is not None:
            intensity[s.type].append(s.intensity)
    assert max(intensity["ASSAULT"]) < 0 < min(intensity["AID"])


def test_integrity(filled):
    check_integrity(filled[0])


def test_indexes_are_rebuilt(filled):
    store, _ = filled
    insp = inspect(store.engine)
    for table in (documents, stories, events):
        assert {ix.name for ix in table.indexes} <= {ix["name"] for ix in insp.get_indexes(table.name)}


def test_same_seed_same_store_other_seed_other_store(tmp_path):
    def dump(seed, name):
        store = Store(str(tmp_path / name))
        fill(store, 400, seed=seed)
        out = [rows(store, t) for t in (actors, places, documents, stories, events)]
        store.close()
        return out

    a, b, c = dump(3, "a.db"), dump(3, "b.db"), dump(4, "c.db")
    assert a == b
    assert a[3] != c[3] and a[4] != c[4]


def test_only_an_empty_store_is_filled(tmp_path):
    store = Store(str(tmp_path / "x.db"))
    fill(store, 50, seed=1)
    with pytest.raises(ValueError, match="not empty"):
        fill(store, 50, seed=2)
    assert store.stats()["mentions"] == 50
    store.close()


def test_indexes_come_back_when_the_fill_fails(tmp_path):
    store = Store(str(tmp_path / "x.db"))

    def boom(done, total):
        raise RuntimeError("stop")
    with pytest.raises(RuntimeError):
        fill(store, 100, seed=1, progress=boom)
    names = {ix["name"] for t in ("documents", "stories", "events") for ix in inspect(store.engine).get_indexes(t)}
    assert {ix.name for t in (documents, stories, events) for ix in t.indexes} <= names
    store.close()


def test_store_queries_on_the_synthetic_store(filled):
    store, _ = filled
    sts = rows(store, stories)
    shown = [s for s in sts if not (s.negated or s.hypothetical or s.dismissed)]
    assert store.count() == len(shown)

    page = store.page(Filters(), limit=50)
    assert len(page) == 50
    dates = [r["date"] or "" for r in page]
    assert dates == sorted(dates, reverse=True)
    assert all(r["sentence"] and r["url"].startswith("https://") for r in page)
    assert store.page(Filters(), limit=50, offset=50)[0]["event_id"] not in {r["event_id"] for r in page}

    # The busiest country: every story it is in has it on one side, and count agrees with the page.
    top = Counter(k for s in shown for k in {s.source_key, s.target_key} if len(k) == 3).most_common(1)[0][0]
    mine = store.page(Filters(actor=top), limit=10_000)
    assert mine and len(mine) == store.count(Filters(actor=top))
    assert all(top in ((r["source"] or {}).get("country"), (r["target"] or {}).get("country")) for r in mine)

    one = store.event(page[0]["event_id"])
    assert len(one["mentions"]) == one["num_mentions"] and sum(m["lead"] for m in one["mentions"]) == 1
    doc = store.document(one["mentions"][0]["document_id"])
    assert doc["text"] and any(e["story_id"] == one["event_id"] for e in doc["events"])

    week = store.aggregate("timeline", Filters(), bucket="week")
    assert sum(r["events"] for r in week) == sum(1 for s in shown if s.date and len(s.date) == 10)
    assert all(date.fromisoformat(r["period"]).weekday() == 0 for r in week)
    year = store.aggregate("timeline", Filters(type="ASSAULT"), bucket="year")
    assert sum(r["events"] for r in year) == sum(1 for s in shown if s.type == "ASSAULT" and s.date)

    edges = store.aggregate("dyads", Filters(), limit=20)
    assert len(edges) == 20 and [e["events"] for e in edges] == sorted((e["events"] for e in edges), reverse=True)
    a, b = edges[0]["source"]["country"], edges[0]["target"]["country"]
    assert a and b
    months = store.aggregate("dyad_months", Filters(), source=a, target=b)
    pair = store.page(Filters(dyad=f"{a}:{b}"), limit=10_000)
    assert len(pair) == store.count(Filters(dyad=f"{a}:{b}")) >= edges[0]["events"]
    assert sum(m["events"] for m in months) == sum(1 for r in pair if r["date"] and len(r["date"]) >= 7)

    points = store.aggregate("places", Filters())
    assert points and sum(p["events"] for p in points) == sum(1 for s in shown if s.place_id is not None)
    assert all(p["lat"] is not None for p in points)
    near = store.page(Filters(near=(points[0]["lat"], points[0]["lon"], 30.0)), limit=100)
    assert near and all(r["location"] for r in near)
    assert store.actors(limit=5)[0]["events"] >= store.actors(limit=5)[-1]["events"]


@pytest.mark.postgres
def test_fill_on_postgres(pg_db_url):
    store = Store(pg_db_url)
    figures = fill(store, 300, seed=5)
    assert store.stats()["mentions"] == figures["events"] == 300
    check_integrity(store)
    assert store.count() > 0 and store.page(Filters(), limit=5)
    # Later writes through the Writer get fresh ids (the sequences moved on with the fill).
    from communique.model import Place

    ev = Event(doc_id="d1", type="CONSULT", source=Actor("India", country="IND"), target=Actor("Japan", country="JPN"),
               sentence="India met Japan.", char_span=(0, 16), trigger="met", rule="consult.meet", date="2025-06-26",
               date_precision="day", location=Place("Tokyo", "JPN", 35.68, 139.69))
    out = store.save_batch([(Document("d1", "India met Japan.", date(2025, 6, 27), url="https://example.org/x"), [ev])], "t")
    assert out.new == 1 and store.stats()["mentions"] == 301
    store.close()
