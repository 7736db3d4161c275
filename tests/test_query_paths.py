"""The store's fast query paths (sides' countries, per-side pages and counts, per-country rollups,
places within a radius found first, the evidence text index) give the same answers as a plain
recount in Python over every stored row, on a small synthetic store with corrections, on SQLite
and on a real PostgreSQL server."""
from __future__ import annotations

import math
import sys
from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from communique.store import Store
from communique.store.query import SORT_KEYS, Filters
from communique.store.schema import actors, events, places, stories

from conftest import ROOT

# the generator is a benchmark fixture (benchmarks/synthetic.py), not package code
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import fill  # noqa: E402

N = 3000


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def filled(request, tmp_path_factory):
    if request.param == "sqlite":
        store = Store(str(tmp_path_factory.mktemp("paths") / "paths.db"))
    else:  # a database of its own for the module (conftest's pg_db_url is per test)
        admin = request.getfixturevalue("_pg_admin_engine")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE test_query_paths"))
        request.addfinalizer(lambda: admin.connect().execute(text("DROP DATABASE test_query_paths WITH (FORCE)")))
        store = Store(admin.url.set(database="test_query_paths").render_as_string(hide_password=False))
    request.addfinalizer(store.close)
    fill(store, N, seed=11)
    # corrections move stories between countries and out of the default view
    some = store.page(Filters(), 6, 0)
    store.correct(some[0]["event_id"], {"source": {"country": "USA"}}, "ana", "test")
    store.correct(some[1]["event_id"], {"target": {"name": "Someone Else"}}, "ana", "test")
    store.correct(some[2]["event_id"], {"not_event": True}, "ana", "test")
    store.correct(some[3]["event_id"], {"source": None, "target": {"country": "RUS"}}, "ana", "test")
    return store, Recount(store)


class Recount:
    """Every story with its actors, place and sentences, read plainly; the filters in Python."""

    def __init__(self, store: Store):
        with store.engine.connect() as conn:
            self.actors = {a.id: a for a in conn.execute(select(actors))}
            self.places = {p.id: p for p in conn.execute(select(places))}
            self.stories = conn.execute(select(stories)).all()
            self.sentences = defaultdict(list)
            for e in conn.execute(select(events.c.story_id, events.c.sentence)):
                self.sentences[e.story_id].append(e.sentence)

    def _is(self, actor_id, value: str) -> bool:
        value = value.strip()
        if value in ("", "*"):
            return True
        a = self.actors.get(actor_id)
        if a is None:
            return False
        if len(value) == 3 and value.isalpha() and value.isupper():
            return a.country == value
        name = a.name.lower()
        return name.startswith(value.lower()) or (" " + value.lower()) in name

    def passes(self, s, f: Filters) -> bool:
        if not f.flagged and (s.negated or s.hypothetical or s.dismissed):
            return False
        if f.actor and not (self._is(s.source_actor_id, f.actor) or self._is(s.target_actor_id, f.actor)):
            return False
        if f.dyad:
            a, b = f.dyad.split(":", 1)
            if not (self._is(s.source_actor_id, a) and self._is(s.target_actor_id, b)):
                return False
        if f.type and s.type not in f.type.split(","):
            return False
        if f.since and not (s.date and (s.date >= f.since.isoformat() or s.date in (f.since.isoformat()[:7],
                                                                                   f.since.isoformat()[:4]))):
            return False
        if f.until and not (s.date and s.date <= f.until.isoformat() + "~"):
            return False
        if f.near:
            p = self.places.get(s.place_id)
            if p is None or p.lat is None or _km(f.near[0], f.near[1], p.lat, p.lon) > f.near[2]:
                return False
        if f.text and not any(f.text.lower() in x.lower() for x in self.sentences[s.id]):
            return False
        return True

    def matching(self, f: Filters) -> list:
        return [s for s in self.stories if self.passes(s, f)]


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _ordered(store: Store, ids: list[str], sort: str) -> list[str]:
    """The ids in the database's own order for a sort (its NULL and collation rules), by a plain query."""
    column, descending = SORT_KEYS[sort]
    col = stories.c[column]
    with store.engine.connect() as conn:
        q = select(stories.c.id).where(stories.c.id.in_(ids)).order_by(col.desc() if descending else col, stories.c.id)
        return list(conn.execute(q).scalars()) if ids else []


def _filters(store: Store, rec: Recount) -> list[Filters]:
    countries = sorted({rec.actors[s.source_actor_id].country for s in rec.stories
                        if s.source_actor_id and rec.actors[s.source_actor_id].country})
    busy = max(countries, key=lambda c: sum(1 for s in rec.stories if rec.passes(s, Filters(actor=c))))
    named = next(a.name.split()[-1] for a in rec.actors.values() if a.country and len(a.name.split()) > 1)
    place = next(p for p in rec.places.values() if p.lat is not None and p.precision == "place")
    return [
        Filters(actor=busy), Filters(actor=countries[-1]), Filters(actor="USA"), Filters(actor=named),
        Filters(actor=busy, since=date(2018, 1, 1), until=date(2020, 6, 30)), Filters(actor=busy, type="CONSULT"),
        Filters(actor=busy, flagged=True), Filters(dyad=f"{busy}:*"), Filters(dyad=f"*:{busy}"),
        Filters(dyad=f"{busy}:{countries[0]}"), Filters(near=(place.lat, place.lon, 300.0)),
        Filters(near=(place.lat, place.lon, 300.0), type="ASSAULT"), Filters(text="talks"), Filters(text="Border"),
        Filters(text="no such words"), Filters(text="al"), Filters(text='he said "'), Filters(text="5%"),
        Filters(text="met", actor=busy),
    ]


def test_events_and_counts_equal_a_recount(filled):
    store, rec = filled
    for f in _filters(store, rec):
        expected = [s.id for s in rec.matching(f)]
        assert store.count(f) == len(expected), f
        for sort in ("-date", "date", "-sources", "-fatalities", "-intensity", "-confidence"):
            want = _ordered(store, expected, sort)
            for offset in (0, 7):
                got = [e["event_id"] for e in store.page(f, 15, offset, sort)]
                assert got == want[offset:offset + 15], (f, sort, offset)
                # the API's read of page and total together (one text match) answers the same
                rows, total = store.listing(f, 15, offset, sort)
                assert ([e["event_id"] for e in rows], total) == (got, len(expected)), (f, sort, offset)


def test_country_aggregates_equal_a_recount(filled):
    store, rec = filled
    f0 = _filters(store, rec)
    for f in (f0[0], f0[1], f0[2], f0[4]):
        rows = rec.matching(f)
        weeks, months = defaultdict(int), defaultdict(int)
        for s in rows:
            if s.date and len(s.date) == 10:
                d = date.fromisoformat(s.date)
                weeks[((d - timedelta(days=d.weekday())).isoformat(), s.type)] += 1
            if s.date and len(s.date) >= 7:
                months[(s.date[:7], s.type)] += 1
        got = store.aggregate("timeline", f, bucket="week")
        assert {(r["period"], r["type"]): r["events"] for r in got} == dict(weeks), f
        got = store.aggregate("timeline", f, bucket="month")
        assert {(r["period"], r["type"]): r["events"] for r in got} == dict(months), f
        got = store.aggregate("timeline", f, bucket="day")
        assert sum(r["events"] for r in got) == sum(1 for s in rows if s.date and len(s.date) == 10)
        assert sum(r["cooperative"] for r in got) == sum(1 for s in rows if s.date and len(s.date) == 10
                                                         and (s.intensity or 0) > 0)
        per_place = defaultdict(list)
        for s in rows:
            if s.place_id is not None:
                per_place[s.place_id].append(s.fatalities)
        want = {pid: (len(v), sum(x for x in v if x is not None) if any(x is not None for x in v) else None)
                for pid, v in per_place.items()}
        got = store.aggregate("places", f)
        assert {p["id"]: (p["events"], p["fatalities"]) for p in got} == want, f


def test_dyad_months_equal_a_recount(filled):
    store, rec = filled
    f0 = _filters(store, rec)
    busy, other = f0[9].dyad.split(":")
    for a, b in ((busy, other), (busy, "*"), (other, busy)):
        rows = [s for s in rec.matching(Filters(dyad=f"{a}:{b}")) if s.date and len(s.date) >= 7]
        want = defaultdict(int)
        for s in rows:
            want[s.date[:7]] += 1
        got = store.aggregate("dyad_months", Filters(), source=a, target=b)
        assert {m["month"]: m["events"] for m in got} == dict(want)


def test_text_pages_and_totals_equal_a_recount_at_any_depth(filled):
    """Words found through the text index page and count exactly, deep pages included."""
    store, rec = filled
    for f in (Filters(text="met"), Filters(text="talks"), Filters(text="met", actor="USA"), Filters(text="no such words"),
              Filters(text="MET", type="CONSULT")):
        expected = [s.id for s in rec.matching(f)]
        assert store.count(f) == len(expected), f
        for sort in ("-date", "-confidence"):
            want = _ordered(store, expected, sort)
            for offset in (0, 12, 40, max(0, len(want) - 5), len(want) + 3):  # the last: past the end
                assert [e["event_id"] for e in store.page(f, 15, offset, sort)] == want[offset:offset + 15], (f, offset)
                rows, total = store.listing(f, 15, offset, sort)
                assert ([e["event_id"] for e in rows], total) == (want[offset:offset + 15], len(expected)), (f, offset)
