"""Dashboard query latency over a synthetic store of 1,000,000 events (mentions).

    python benchmarks/api.py [--events 1000000] [--db PATH] [--reuse] [--reps 30] [--seed 0]
                             [--only NAME] [--no-http] [--out benchmarks/results/api.txt]

Fills a fresh SQLite file with benchmarks/synthetic.py's `fill` (or, with --reuse, keeps one
that already holds that many mentions), then times each dashboard query `--reps` times with
varied, realistic parameters (actors and dyads drawn from the store's own busiest and quieter
ones, date windows of a week to two years, random pages, map circles around stored places).

Two figures per query, measured in the same run on the same parameters:
  * store: the `Store` method the endpoint calls (the baseline: SQL plus building the records);
  * http:  the endpoint through FastAPI's TestClient in-process (`communique.api.create_app`),
           so http minus store is the API's own overhead (routing, validation, JSON).
The http column is left empty when `communique.api` is not importable. Each query is run twice
before timing (warm OS and SQLite caches; the file fits in RAM). Target: p95 < 200 ms.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from communique.actor_lexicon import country_name  # noqa: E402
from communique.model import PLOVER_TYPES  # noqa: E402
from communique.store import Store  # noqa: E402
from communique.store.query import Filters  # noqa: E402
from synthetic import END, START, fill  # noqa: E402

TARGET_MS = 200.0
WORDS = ("border", "ceasefire", "pipeline", "summit", "election", "drone", "refugee", "talks on trade", "hostage",
         "earthquake", "nuclear", "journalists", "Taliban", "missile", "vaccine")  # the last four: no or few hits
SORTS = ("-date", "-confidence", "-sources", "-fatalities", "-intensity", "date")


@dataclass
class Call:
    """One parameterised request: the Store call and the same thing over HTTP."""

    store: Callable[[], object]
    path: str
    params: dict = field(default_factory=dict)


@dataclass
class Case:
    name: str
    make: Callable[[random.Random], Call]
    http: bool = True  # has an endpoint of its own


def _rows(result) -> int:
    if isinstance(result, list):
        return len(result)
    if isinstance(result, dict):
        for k in ("events", "actors", "dyads", "months", "places", "periods", "items"):
            if isinstance(result.get(k), list):
                return len(result[k])
        return 1
    return 0 if result is None else 1


class Params:
    """Realistic parameters, drawn from what the store holds."""

    def __init__(self, store: Store, rng: random.Random):
        self.rng = rng
        # Pools sorted on full keys, so that equal counts in another order draw the same parameters.
        top = sorted(store.actors(limit=600), key=lambda a: (-a["events"], a["id"]))
        countries, seen = [], set()
        for a in top:
            if a["country"] and a["country"] not in seen:
                seen.add(a["country"])
                countries.append(a["country"])
        self.countries = countries  # busiest first
        self.names = [a["name"].split()[-1] for a in top
                      if a["country"] and a["name"] != country_name(a["country"]) and len(a["name"].split()[-1]) > 3][:200]
        edges = sorted(store.aggregate("dyads", Filters(), limit=400),
                       key=lambda e: (-e["events"], e["source"]["id"], e["target"]["id"]))
        pairs = []
        for e in edges:
            s, t = e["source"]["country"], e["target"]["country"]
            if s and t and s != t and (s, t) not in pairs:
                pairs.append((s, t))
        self.pairs = pairs
        self.points = [(p["lat"], p["lon"]) for p in sorted(store.aggregate("places", Filters(), limit=2000),
                                                            key=lambda p: (-p["events"], p["id"]))
                       if p["lat"] is not None and p["precision"] in ("place", "admin2")]
        self.n_docs = store.stats()["documents"]
        self.story_ids = []
        for _ in range(40):
            since = self.day()
            self.story_ids += [r["event_id"] for r in store.page(Filters(since=since, until=since + timedelta(days=3)), 20)]

    def day(self) -> date:
        return START + timedelta(days=self.rng.randrange((END - START).days - 30))

    def country(self) -> str:
        """A country: mostly the busy ones, sometimes a quiet one."""
        r = self.rng.random()
        pool = self.countries[:10] if r < 0.5 else self.countries[10:60] if r < 0.85 else self.countries[60:]
        return self.rng.choice(pool or self.countries)

    def actor(self) -> str:
        return self.rng.choice(self.names) if self.names and self.rng.random() < 0.2 else self.country()

    def dyad(self) -> tuple[str, str]:
        r = self.rng.random()
        pool = self.pairs[:20] if r < 0.5 else self.pairs[20:200] if r < 0.9 else self.pairs[200:]
        return self.rng.choice(pool or self.pairs)

    def window(self) -> tuple[date, date]:
        length = self.rng.choice((7, 30, 90, 365, 730))
        since = START + timedelta(days=self.rng.randrange((END - START).days - length))
        return since, since + timedelta(days=length)

    def types(self) -> str:
        return ",".join(self.rng.sample(PLOVER_TYPES, self.rng.choice((1, 1, 2))))

    def offset(self) -> int:
        r = self.rng.random()
        return 0 if r < 0.6 else self.rng.randrange(50, 500, 50) if r < 0.9 else self.rng.randrange(1000, 5000, 50)

    def near(self) -> tuple[float, float, float]:
        lat, lon = self.rng.choice(self.points)
        return lat, lon, float(self.rng.choice((10, 25, 50, 100, 200)))


def _http_filters(f: Filters) -> dict:
    out = {}
    for k in ("actor", "dyad", "type"):
        if getattr(f, k):
            out[k] = getattr(f, k)
    if f.since:
        out["since"] = f.since.isoformat()
    if f.until:
        out["until"] = f.until.isoformat()
    if f.near:
        out["near"] = ",".join(str(x) for x in f.near)
    if f.min_confidence:
        out["min_confidence"] = f.min_confidence
    if f.text:
        out["q"] = f.text
    return out


def cases(store: Store, p: Params) -> list[Case]:
    def events(make_filters, sort):
        def make(rng):
            f, off, s = make_filters(rng), p.offset(), sort(rng)
            # The endpoint returns the page and the total, read together (one text match for both).
            return Call(lambda: store.listing(f, 50, off, s)[0], "/api/events",
                        {**_http_filters(f), "limit": 50, "offset": off, "sort": s})
        return make

    def page(make_filters, sort):
        def make(rng):
            f, off, s = make_filters(rng), p.offset(), sort(rng)
            return Call(lambda: store.page(f, 50, off, s), "", {})
        return make

    def count(make_filters):
        def make(rng):
            f = make_filters(rng)
            return Call(lambda: store.count(f), "", {})  # the endpoint's total
        return make

    def agg(name, path, make_filters, **kw):
        def make(rng):
            f = make_filters(rng)
            return Call(lambda: store.aggregate(name, f, **kw), path,
                        {**_http_filters(f), **{k: v for k, v in kw.items() if k != "limit"}})
        return make

    def dated(rng):
        since, until = p.window()
        return Filters(type=p.types(), since=since, until=until)

    def dyad_f(rng):
        a, b = p.dyad()
        return Filters(dyad=f"{a}:{b}")

    def dyad_months(rng):
        a, b = p.dyad()
        return Call(lambda: store.aggregate("dyad_months", Filters(), source=a, target=b), "/api/dyads",
                    {"source": a, "target": b})

    none = lambda rng: Filters()  # noqa: E731
    actor = lambda rng: Filters(actor=p.actor())  # noqa: E731
    near = lambda rng: Filters(near=p.near())  # noqa: E731
    text = lambda rng: Filters(text=rng.choice(WORDS))  # noqa: E731

    def actor_dated(rng):
        since = p.window()[0]
        return Filters(actor=p.country(), since=since, until=since + timedelta(days=365))

    def story(rng):
        sid = rng.choice(p.story_ids)
        return Call(lambda: store.event(sid), f"/api/events/{sid}")

    def doc(rng):
        pk = rng.randint(1, p.n_docs)
        return Call(lambda: store.document(pk), f"/api/documents/{pk}")

    kinds = [("newest", none, None), ("sorted", none, lambda rng: rng.choice(SORTS)), ("?actor=", actor, None),
             ("?dyad=", dyad_f, None), ("?type&since&until", dated, None), ("?near=", near, None), ("?q=", text, None)]
    out = []
    for label, make_filters, sort in kinds:
        out.append(Case(f"events {label}", events(make_filters, sort or (lambda rng: "-date"))))
    for label, make_filters, sort in kinds:
        out.append(Case(f"  page only: {label}", page(make_filters, sort or (lambda rng: "-date")), http=False))
    for label, make_filters, sort in kinds:
        if label != "sorted":
            out.append(Case(f"  count only: {label}", count(make_filters), http=False))
    return out + [
        Case("event by id", story),
        Case("document by id", doc),
        Case("actors ?limit=50", lambda rng: Call(lambda: store.actors(50), "/api/actors", {"limit": 50})),
        Case("dyads (edges, all)", agg("dyads", "/api/dyads", none)),
        Case("dyads (edges) ?type&since&until", agg("dyads", "/api/dyads", dated)),
        Case("dyads ?source&target (months)", dyad_months),
        Case("places (map, all)", agg("places", "/api/places", none)),
        Case("places ?actor=", agg("places", "/api/places", actor)),
        Case("places ?type&since&until", agg("places", "/api/places", dated)),
        Case("timeline week (all)", agg("timeline", "/api/timeline", none, bucket="week")),
        Case("timeline week ?actor=", agg("timeline", "/api/timeline", actor, bucket="week")),
        Case("timeline month ?actor&since&until", agg("timeline", "/api/timeline", actor_dated, bucket="month")),
        Case("timeline week ?type&since&until", agg("timeline", "/api/timeline", dated, bucket="week")),
        Case("stats", lambda rng: Call(store.stats, "/api/stats")),
    ]


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))]


def measure(case: Case, calls: list[Call], client, warm: int = 2) -> dict:
    out = {"name": case.name}
    for c in calls[:warm]:
        c.store()
    t, rows = [], []
    for c in calls[warm:]:
        start = time.perf_counter()
        result = c.store()
        t.append((time.perf_counter() - start) * 1000)
        rows.append(_rows(result))
    out["store"] = (statistics.median(t), _pct(t, 0.95), max(t), statistics.median(rows))
    if client is not None and case.http and calls[0].path:
        for c in calls[:warm]:
            client.get(c.path, params=c.params)
        t, rows, errors = [], [], []
        for c in calls[warm:]:
            start = time.perf_counter()
            r = client.get(c.path, params=c.params)
            body = r.json() if r.headers.get("content-type", "").startswith("application/json") else None
            t.append((time.perf_counter() - start) * 1000)
            if r.status_code != 200:
                errors.append(f"{r.status_code} {c.path}?{'&'.join(f'{k}={v}' for k, v in c.params.items())}: "
                              f"{str(body)[:160]}")
            rows.append(_rows(body))
        out["http"] = (statistics.median(t), _pct(t, 0.95), max(t), statistics.median(rows))
        out["errors"] = errors
    return out


def _commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    try:
        head = git("rev-parse", "--short", "HEAD") or "unknown"
        mine = git("status", "--porcelain", "--", "benchmarks/api.py", "src/communique/store")
        return head + (" (+ uncommitted changes in benchmarks/api.py or src/communique/store)" if mine else "")
    except OSError:
        return "unknown"


def _open(db: Path, n: int, reuse: bool, seed: int) -> tuple[Store, dict | None]:
    if reuse and db.exists():
        store = Store(str(db))
        if store.stats()["mentions"] == n:
            return store, None
        store.close()
        print(f"{db}: not {n} mentions; filling it again", file=sys.stderr)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    store = Store(str(db))

    def progress(done, total):
        print(f"\r  filling: {done:,}/{total:,} mentions", end="", file=sys.stderr, flush=True)
    figures = fill(store, n, seed=seed, progress=progress)
    print(file=sys.stderr)
    return store, figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000, help="mentions to generate (default 1,000,000)")
    ap.add_argument("--db", type=Path, help="the SQLite file (default: <tmp>/communique-api-<events>.db)")
    ap.add_argument("--reuse", action="store_true", help="keep --db if it already holds --events mentions")
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", help="only the queries whose name contains this")
    ap.add_argument("--no-http", action="store_true", help="the Store level only")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "api.txt",
                    help="where to write the report ('-' for nowhere)")
    a = ap.parse_args()
    db = a.db or Path(os.environ.get("TMPDIR", "/tmp")) / f"communique-api-{a.events}.db"

    store, figures = _open(db, a.events, a.reuse, a.seed)
    stats = store.stats()
    client, http_note = None, "not measured (--no-http)"
    if not a.no_http:
        try:
            from communique.api import create_app
            from fastapi.testclient import TestClient
        except ImportError as exc:
            http_note = f"not measured: communique.api is not importable ({exc})"
        else:
            client = TestClient(create_app(str(db)))
            http_note = "measured through fastapi.testclient.TestClient(create_app(db)) in-process"

    rng = random.Random(a.seed)
    params = Params(store, rng)
    results = []
    for case in cases(store, params):
        if a.only and a.only not in case.name:
            continue
        calls = [case.make(rng) for _ in range(a.reps + 2)]
        r = measure(case, calls, client)
        results.append(r)
        s = r["store"]
        h = r.get("http")
        print(f"  {case.name:36s} store p95 {s[1]:8.1f} ms" + (f"   http p95 {h[1]:8.1f} ms" if h else ""),
              file=sys.stderr, flush=True)
    size = sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists())
    store.close()

    lines = [f"date {date.today()}  commit {_commit()}",
             f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
             f"store: {db} ({size / 1e9:.2f} GB): {stats['mentions']:,} mentions (events rows), "
             f"{stats['events']:,} stories, {stats['documents']:,} documents, {stats['actors']:,} actors, "
             f"{stats['places']:,} places; {stats['first_date']}..{stats['last_date']}"]
    if figures:
        rows = sum(figures[k] for k in ("documents", "events", "stories", "actors", "places"))
        lines.append(f"fill (synthetic.fill, seed {a.seed}): {figures['seconds']:.1f} s for {rows:,} rows = "
                     f"{figures['rows_per_s']:,} rows/s ({figures['events_per_s']:,} mentions/s), of which "
                     f"{figures['index_seconds']:.1f} s rebuilding indexes and {figures.get('rollup_seconds', 0):.1f} s "
                     f"the rollups")
    else:
        lines.append("fill: reused an existing file (--reuse), not timed")
    lines += [f"latency: {a.reps} timed repetitions per query with varied parameters, after 2 untimed; "
              f"rows = median rows returned; pass = p95 < {TARGET_MS:.0f} ms (http's if measured, else store's)",
              f"http: {http_note}", ""]
    head = (f"{'query':36s} | {'store p50':>9s} {'p95':>8s} {'max':>8s} {'rows':>6s} | "
            f"{'http p50':>9s} {'p95':>8s} {'max':>8s} {'rows':>6s} | result")
    lines += [head, "-" * len(head)]
    errors = []
    for r in results:
        s, h = r["store"], r.get("http")
        p95 = h[1] if h else s[1]
        ok = p95 < TARGET_MS and not r.get("errors")
        cells = f"{r['name']:36s} | {s[0]:9.1f} {s[1]:8.1f} {s[2]:8.1f} {s[3]:6.0f} | "
        cells += f"{h[0]:9.1f} {h[1]:8.1f} {h[2]:8.1f} {h[3]:6.0f} | " if h else f"{'-':>9s} {'-':>8s} {'-':>8s} {'-':>6s} | "
        cells += ("pass" if ok else "FAIL") + (f" ({len(r['errors'])} http errors)" if r.get("errors") else "")
        lines.append(cells)
        errors += [f"  {r['name']}: {e}" for e in r.get("errors", [])[:3]]
    n_fail = sum(1 for x in lines if x.endswith("FAIL") or "FAIL (" in x)
    lines += ["", f"{len(results) - n_fail} of {len(results)} queries meet p95 < {TARGET_MS:.0f} ms"]
    if errors:
        lines += ["http errors (first 3 per query):", *errors]
    report = "\n".join(lines)
    print(report)
    if str(a.out) != "-":
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(report + "\n")


if __name__ == "__main__":
    main()
