"""A synthetic event store for benchmarks: realistic in shape, deterministic for a seed.

    from communique.store import Store
    from synthetic import fill          # with benchmarks/ on sys.path
    figures = fill(Store("bench.db"), 1_000_000, seed=0)

A fixture generator for benchmarks/api.py and the store's tests (tests/test_synthetic.py,
tests/test_query_paths.py), not part of the package: it only writes through the store's tables.

`fill` writes straight into the tables with SQLAlchemy Core executemany (not through `Writer`,
which matches and recomputes stories one event at a time): ~n/3 documents, n mentions (events
rows) grouped into ~n/1.5 stories, ~3,000 actors and ~20,000 places.

The shape, so that query plans and latencies resemble a real store's:
  * actors: each of the ~199 listed states in ten sector roles (the state itself, GOV, MIL,
    GOV;MIL, COP, CVL, OPP, REB, JUD, LEG), ~700 listed office holders and the listed
    organisations (IGOs without a country); country activity is Zipf-like, so a few countries
    (USA, RUS, CHN, UKR, ISR, ...) take most events;
  * places: ~20,000, in a box around each country's centroid, more for busier countries; one
    country-level and several admin1-level places per country, the rest towns (some admin2);
  * dates: 2015-01-01..2025-12-31, volume growing over the years, quieter weekends, and bursts
    (a war, a summit season) that concentrate events on one dyad for days to months; 92 % of
    stories dated to the day, the rest to a month, a year or not at all;
  * the sixteen PLOVER types in a news-like mix, each mention coded by one of the type's
    rules in the trigger lexicon (its CAMEO code, intensity and mode), fatalities on ~40 % of
    ASSAULTs, ~2 % negated and ~3 % hypothetical (more among REQUEST and THREATEN);
  * stories: 1 to 5 mentions (mean 1.5), each mention in a different report where possible;
    num_sources/num_documents/num_mentions, first_seen/last_seen, the toll (the highest),
    the confidence (the highest) and lead_event_id (the most confident mention) are set as
    `Writer.refresh_story` would set them.

The store must be empty (a new file or database). Rows are generated and inserted in batches
of about 20,000 mentions, one transaction each, so memory stays flat whatever n is.
"""
from __future__ import annotations

import hashlib
import math
import random
import time
from bisect import bisect_left
from datetime import date, timedelta
from itertools import accumulate
from typing import Callable

from sqlalchemy import func, insert, select

from communique.lexicon import load_yaml
from communique.model import PLOVER_TYPES, RECIPROCAL_TYPES
from communique.store import countries, rollups, textindex
from communique.store.schema import actors, documents, events, places, stories

START, END = date(2015, 1, 1), date(2025, 12, 31)
BATCH = 20_000  # mentions per transaction
CODER = "synthetic"

# The countries in the news most, most first; the rest follow in an order drawn from the seed.
HEAD = ("USA RUS CHN UKR ISR IND GBR IRN TUR PAK FRA DEU SYR AFG PSE JPN PRK KOR SAU NGA IRQ EGY "
        "YEM SDN MMR MEX BRA ETH SOM LBY").split()
SECTORS = ("", "GOV", "MIL", "GOV;MIL", "COP", "CVL", "OPP", "REB", "JUD", "LEG")
SECTOR_WORDS = {"": "", "GOV": "government", "MIL": "military", "GOV;MIL": "defence ministry",
                "COP": "police", "CVL": "civilians", "OPP": "opposition", "REB": "rebels",
                "JUD": "courts", "LEG": "parliament"}

# type: (share of stories in %, probability both sides are of one country, past-tense verbs)
TYPES = {
    "CONSULT": (18.0, 0.10, ("met", "held talks with", "spoke by phone with", "visited")),
    "ASSAULT": (13.0, 0.50, ("attacked", "shelled", "killed", "bombed")),
    "ACCUSE": (8.0, 0.25, ("accused", "blamed", "criticised")),
    "SUPPORT": (7.0, 0.15, ("backed", "praised", "endorsed")),
    "PROTEST": (7.0, 0.85, ("protested against", "demonstrated against", "marched against")),
    "COERCE": (7.0, 0.60, ("arrested", "detained", "expelled", "raided")),
    "COOPERATE": (6.0, 0.10, ("cooperated with", "signed a deal with", "launched joint patrols with")),
    "REQUEST": (6.0, 0.20, ("urged", "called on", "asked")),
    "AGREE": (6.0, 0.10, ("agreed with", "pledged to", "offered")),
    "AID": (4.0, 0.20, ("sent aid to", "delivered supplies to", "granted a loan to")),
    "THREATEN": (4.0, 0.20, ("threatened", "warned")),
    "REJECT": (4.0, 0.20, ("rejected", "refused", "dismissed")),
    "MOBILIZE": (4.0, 0.60, ("deployed troops against", "put forces on alert against", "mobilised against")),
    "SANCTION": (2.5, 0.10, ("imposed sanctions on", "suspended ties with", "banned")),
    "CONCEDE": (2.5, 0.40, ("released", "eased restrictions on", "apologised to")),
    "RETREAT": (1.0, 0.30, ("withdrew from", "pulled troops out of")),
}
assert set(TYPES) == set(PLOVER_TYPES)
CONFLICT_BURST = {"ASSAULT": 35, "COERCE": 12, "MOBILIZE": 10, "ACCUSE": 10, "THREATEN": 8, "PROTEST": 5,
                  "CONSULT": 8, "REQUEST": 5, "AID": 4, "SANCTION": 3}
TALKS_BURST = {"CONSULT": 40, "AGREE": 20, "COOPERATE": 15, "SUPPORT": 10, "REQUEST": 10, "REJECT": 5}
# Sector roles each side tends to have, by kind of event.
TALKING = {"GOV": 55, "": 25, "GOV;MIL": 5, "LEG": 5, "MIL": 5, "OPP": 5}
FIGHTING = {"MIL": 40, "REB": 20, "GOV": 15, "COP": 10, "": 10, "GOV;MIL": 5}
STREET = {"CVL": 60, "OPP": 30, "REB": 10}
POLICING = {"COP": 45, "GOV": 25, "MIL": 15, "JUD": 15}
SIDES = {  # type -> (source roles, target roles, chance a side is a person when talking)
    "PROTEST": (STREET, {"GOV": 70, "COP": 20, "": 10}),
    "COERCE": (POLICING, {"CVL": 40, "OPP": 35, "REB": 25}),
    "ASSAULT": (FIGHTING, {"MIL": 40, "CVL": 35, "REB": 15, "COP": 10}),
    "MOBILIZE": (FIGHTING, FIGHTING),
    "RETREAT": (FIGHTING, TALKING),
}
HOSTS = (("reuters.com", "Reuters", 18), ("apnews.com", "AP", 15), ("aljazeera.com", "Al Jazeera", 10),
         ("bbc.co.uk", "BBC", 10), ("thehindu.com", "The Hindu", 7), ("dawn.com", "Dawn", 5),
         ("kyivindependent.com", None, 5), ("timesofisrael.com", None, 5), ("scmp.com", "SCMP", 5),
         ("premiumtimesng.com", None, 4), ("france24.com", "France 24", 6), ("dw.com", "DW", 5),
         ("theguardian.com", "The Guardian", 5))
# What a sentence adds after its place: most add nothing, the rest one of many phrases (so a
# word search hits a few per cent of mentions, as a topical word does in news).
CONTEXT_PHRASES = ("",) * 24 + (
    " near the border", " over the disputed border", " after talks on trade", " amid a ceasefire",
    " despite the ceasefire", " during the election campaign", " over fishing rights", " after a drone strike",
    " over the pipeline", " at the summit", " over the nuclear programme", " after the elections",
    " amid food shortages", " over the detained journalists", " after the earthquake", " over water sharing",
    " amid fuel price protests", " over the refugee camps", " near the airport", " after the coup attempt",
    " over grain exports", " amid the currency crisis", " over the military exercises", " after the hostage release")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SYLLABLES = ("ka", "ra", "ba", "mi", "lo", "sha", "tan", "dor", "el", "pur", "abad", "gar", "zi", "no",
             "vo", "lin", "qal", "sar", "bel", "mar", "kot", "ha", "ri", "su", "wen", "ji", "ya", "dan")


def _cum(weights) -> list[float]:
    return list(accumulate(weights))


class _Pick:
    """Weighted choice by bisection over cumulative weights (fast for repeated draws)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items, weights):
        self.items, self.cum = list(items), _cum(weights)
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect_left(self.cum, rng.random() * self.total)]


def _name(rng: random.Random, parts: tuple[int, int] = (2, 3)) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(*parts))).capitalize()


def _key(a) -> str:
    """The dyad key of an actor (as `stories.actor_key`): its country, else its name in lower case."""
    if a is None:
        return ""
    return a[2] or a[1].lower()


class _World:
    """Actors, places, rules and the calendar: everything drawn before the first story."""

    def __init__(self, rng: random.Random, n_places: int):
        self.rng = rng
        countries = load_yaml("actors/countries.yaml")["countries"]
        self.country = {c["code"]: c for c in countries}
        rest = [c["code"] for c in countries if c["code"] not in HEAD]
        rng.shuffle(rest)
        self.codes = [c for c in HEAD if c in self.country] + rest
        weights = [1.0 / (rank + 1) ** 1.1 for rank in range(len(self.codes))]
        self.pick_country = _Pick(self.codes, weights)
        self.weight = dict(zip(self.codes, weights))
        self._actors(rng)
        self._places(rng, n_places)
        self._rules()

    # -- actors ---------------------------------------------------------------------------
    def _actors(self, rng):
        rows = []  # (akey, name, country, sectors)
        self.state = {}  # (country, sectors) -> row index
        for code in self.codes:
            name = self.country[code]["name"]
            for s in SECTORS:
                self.state[(code, s)] = len(rows)
                rows.append((f"{name}|{code}|{s}", name, code, s))
        people = [p for p in load_yaml("actors/people.yaml")["people"] if p.get("country") in self.country]
        people = [people[i] for i in sorted(rng.sample(range(len(people)), min(700, len(people))))]
        self.people: dict[str, list[int]] = {}
        seen = {r[0] for r in rows}
        for p in people:
            akey = f"{p['name']}|{p['country']}|GOV"
            if akey in seen:
                continue
            seen.add(akey)
            self.people.setdefault(p["country"], []).append(len(rows))
            rows.append((akey, p["name"], p["country"], "GOV"))
        self.orgs = []
        for o in load_yaml("actors/organisations.yaml")["organisations"]:
            country = o.get("country") if o.get("country") in self.country else None
            sectors = ";".join(sorted(set(o.get("sectors") or [])))
            akey = f"{o['name']}|{country or ''}|{sectors}"
            if akey in seen:
                continue
            seen.add(akey)
            self.orgs.append(len(rows))
            rows.append((akey, o["name"], country, sectors))
        self.actor_rows = rows
        self.pick_org = _Pick(self.orgs, [1.0 / (i + 1) ** 0.8 for i in range(len(self.orgs))])
        self.pick_person = {c: _Pick(ix, [1.0 / (i + 1) for i in range(len(ix))]) for c, ix in self.people.items()}
        self.roles = {id(m): _Pick(list(m), list(m.values())) for m in (TALKING, FIGHTING, STREET, POLICING)}
        for src, tgt in SIDES.values():
            for m in (src, tgt):
                self.roles.setdefault(id(m), _Pick(list(m), list(m.values())))
        self.actor_ids: list[int] = []  # row index -> database id, once inserted

    def side(self, rng, country: str | None, roles: dict, talking: bool):
        """An actor row index for one side: a person, an organisation or a state in a role."""
        if country is None or rng.random() < 0.04:
            return self.pick_org(rng)
        if talking and country in self.pick_person and rng.random() < 0.35:
            return self.pick_person[country](rng)
        return self.state[(country, self.roles[id(roles)](rng))]

    # -- places ---------------------------------------------------------------------------
    def _places(self, rng, n_places):
        rows = []  # (pkey, name, country, admin1, lat, lon, geonameid, precision)
        share = {c: self.weight[c] ** 0.6 for c in self.codes}
        total = sum(share.values())
        self.place_pick: dict[str, tuple[int, list[int], _Pick]] = {}
        used = set()
        for code in self.codes:
            c = self.country[code]
            lat0, lon0 = c.get("centroid") or (0.0, 0.0)
            n = max(8, round(n_places * share[code] / total))
            # Bigger boxes for busier countries (a rough stand-in for area).
            half = 0.6 + 4.0 * (share[code] / share[self.codes[0]])
            country_row = len(rows)
            rows.append((f"{c['name']}|{code}||{lat0}|{lon0}|country", c["name"], code, None, lat0, lon0,
                         None, "country"))
            admins = []
            for _ in range(max(2, min(20, n // 10))):
                name = _name(rng)
                if (code, name) in used:
                    continue
                used.add((code, name))
                lat = round(max(-89.0, min(89.0, lat0 + rng.uniform(-half, half))), 4)
                lon = round(((lon0 + rng.uniform(-half, half) / max(0.2, math.cos(math.radians(lat0)))) + 180) % 360 - 180, 4)
                admins.append((name, len(rows)))
                rows.append((f"{name}|{code}|{name}|{lat}|{lon}|admin1", name, code, name, lat, lon,
                             rng.randint(100_000, 12_000_000), "admin1"))
            towns = []
            for _ in range(n - 1 - len(admins)):
                name = _name(rng) + rng.choice(("", "", "", " City", "abad", "pur", "sk", "ville", " Bay"))
                admin1 = rng.choice(admins)[0]
                lat = round(max(-89.0, min(89.0, lat0 + rng.gauss(0, half / 2))), 4)
                lon = round(((lon0 + rng.gauss(0, half / 2) / max(0.2, math.cos(math.radians(lat0)))) + 180) % 360 - 180, 4)
                precision = "admin2" if rng.random() < 0.15 else "place"
                pkey = f"{name}|{code}|{admin1}|{lat}|{lon}|{precision}"
                if pkey in used:
                    continue
                used.add(pkey)
                towns.append(len(rows))
                rows.append((pkey, name, code, admin1, lat, lon,
                             rng.randint(100_000, 12_000_000) if rng.random() < 0.9 else None, precision))
            self.place_pick[code] = (country_row, [a[1] for a in admins],
                                     _Pick(towns, [1.0 / (i + 1) ** 0.9 for i in range(len(towns))]))
        self.place_rows = rows
        self.place_ids: list[int] = []

    def place(self, rng, country: str | None):
        if country is None or rng.random() < 0.18:
            return None
        country_row, admins, towns = self.place_pick[country]
        r = rng.random()
        if r < 0.08:
            return country_row
        if r < 0.20:
            return rng.choice(admins)
        return towns(rng)

    # -- rules ----------------------------------------------------------------------------
    def _rules(self):
        by_type: dict[str, list] = {t: [] for t in PLOVER_TYPES}
        for t in load_yaml("events/triggers.yaml")["triggers"]:
            if t["type"] in by_type:
                by_type[t["type"]].append((t["id"], str(t["cameo"]) if t.get("cameo") is not None else None,
                                           t.get("intensity"), t.get("mode"), ";".join(t.get("context") or [])))
        for t, rules in by_type.items():
            if not rules:
                rules.append((f"{t.lower()}.synthetic", None, None, None, ""))
        self.rules = {t: _Pick(rules, [1.0 / (i + 1) ** 0.7 for i in range(len(rules))]) for t, rules in by_type.items()}
        self.pick_type = _Pick(list(TYPES), [v[0] for v in TYPES.values()])
        self.pick_conflict = _Pick(list(CONFLICT_BURST), list(CONFLICT_BURST.values()))
        self.pick_talks = _Pick(list(TALKS_BURST), list(TALKS_BURST.values()))


def _calendar(rng: random.Random, world: _World, n_bursts: int):
    """Day weights (growth, weekends) and bursts: (start, end, extra weight, source, target, conflict)."""
    days = (END - START).days + 1
    base = []
    for i in range(days):
        d = START + timedelta(days=i)
        w = 1.0 + 0.08 * (d.year - START.year)
        if d.weekday() >= 5:
            w *= 0.7
        base.append(w)
    bursts = []
    for _ in range(n_bursts):
        length = int(rng.choice((3, 7, 14, 30, 60, 120, 240)) * rng.uniform(0.7, 1.3))
        start = rng.randrange(0, days - length)
        a = world.pick_country(rng)
        b = world.pick_country(rng)
        while b == a:
            b = world.pick_country(rng)
        # A few days of a crisis can triple the news; a months-long war adds a steady share.
        weight = rng.uniform(0.5, 3.0) if length < 45 else rng.uniform(0.2, 1.0)
        bursts.append((start, start + length, weight, a, b, rng.random() < 0.7))
    extra = [[] for _ in range(days)]
    for k, (s, e, w, *_rest) in enumerate(bursts):
        for i in range(s, e):
            extra[i].append((k, w))
    weights = [base[i] + sum(w for _, w in extra[i]) for i in range(days)]
    return base, extra, weights, bursts


def _story_sizes(rng: random.Random, n: int) -> list[int]:
    sizes, total = [], 0
    pick = _Pick((1, 2, 3, 4, 5), (72, 15, 7, 4, 2))
    while total < n:
        k = min(pick(rng), n - total)
        sizes.append(k)
        total += k
    return sizes


def _hex(rng: random.Random, chars: int) -> str:
    return f"{rng.getrandbits(chars * 4):0{chars}x}"


def _insert_ids(conn, table, rows: list[dict], unique: str) -> list[int]:
    """Insert rows (executemany) and return their new ids in the rows' order, found by their
    unique column among the rows added after the previous highest id (generic Core, so the
    same on SQLite and PostgreSQL, where sequences stay right for later writes)."""
    before = conn.execute(select(func.max(table.c.id))).scalar() or 0
    conn.execute(insert(table), rows)
    col = table.c[unique]
    ids = dict(conn.execute(select(col, table.c.id).where(table.c.id > before)).all())
    return [ids[r[unique]] for r in rows]


def fill(store, n_events: int, seed: int = 0, progress: Callable[[int, int], None] | None = None,
         defer_indexes: bool = True) -> dict:
    """Fill an empty store with n_events mentions (see the module's docstring); the figures.

    Returns {"documents", "events", "stories", "actors", "places": row counts, "seconds" (all of
    it), "index_seconds" (rebuilding the indexes), "rollup_seconds" (rebuilding the rollups),
    "text_index_seconds" (the evidence text index, SQLite),
    "rows_per_s" (all rows over all the time), "events_per_s"}. `progress(done, n_events)` is called after each batch. With
    `defer_indexes` (the default) the secondary indexes of documents, stories and events are
    dropped first and built again at the end (also when the fill fails), which is faster than
    keeping them up to date row by row; unique constraints stay in force throughout.
    """
    if n_events < 1:
        raise ValueError("n_events must be at least 1")
    engine = store.engine
    with engine.connect() as conn:
        for t in (documents, events, stories, actors, places):
            if conn.execute(select(func.count()).select_from(t)).scalar():
                raise ValueError(f"{store.name}: table {t.name} is not empty; fill needs an empty store")
    started = time.perf_counter()
    rng = random.Random(seed)
    world = _World(rng, n_places=20_000)
    base, extra, day_weights, bursts = _calendar(rng, world, n_bursts=40)
    # Reports are cut from the mentions of about two days (by report day), so one report's
    # events are close in time whatever n_events is.
    window = max(12, min(300, round(2 * n_events / len(day_weights))))
    sizes = _story_sizes(rng, n_events)
    n_stories = len(sizes)

    with engine.begin() as conn:
        world.actor_ids = _insert_ids(conn, actors, [
            dict(akey=k, name=n, country=c, sectors=s) for k, n, c, s in world.actor_rows], "akey")
        world.place_ids = _insert_ids(conn, places, [
            dict(pkey=k, name=n, country=c, admin1=a, lat=la, lon=lo, geonameid=g, precision=p)
            for k, n, c, a, la, lo, g, p in world.place_rows], "pkey")

    deferred = [ix for t in (documents, stories, events) for ix in sorted(t.indexes, key=lambda i: i.name)] \
        if defer_indexes else []
    with engine.begin() as conn:
        for ix in deferred:
            ix.drop(conn)
    index_seconds = 0.0
    try:
        # Story k falls on the day where the cumulative weight passes (k + 0.5) / n_stories of the total.
        cum = _cum(day_weights)
        total_w = cum[-1]
        counts = dict(documents=0, events=0, stories=0)
        day_ix = 0
        story_no = 0
        doc_no = 0
        while story_no < n_stories:
            chunk, mentions = [], 0
            while story_no < n_stories and (mentions < BATCH or not chunk):
                target = (story_no + 0.5) / n_stories * total_w
                while cum[day_ix] < target:
                    day_ix += 1
                chunk.append(_story(rng, world, day_ix, base, extra, bursts, sizes[story_no]))
                mentions += sizes[story_no]
                story_no += 1
            doc_rows, story_rows, event_rows, doc_no = _batch(rng, world, chunk, doc_no, window)
            with engine.begin() as conn:
                doc_ids = _insert_ids(conn, documents, doc_rows, "key")
                for row in event_rows:
                    row["document_id"] = doc_ids[row["document_id"]]
                conn.execute(insert(stories), story_rows)
                conn.execute(insert(events), event_rows)
            counts["documents"] += len(doc_rows)
            counts["stories"] += len(story_rows)
            counts["events"] += len(event_rows)
            if progress:
                progress(counts["events"], n_events)
        with engine.begin() as conn:  # the sides' countries, before the indexes that read them
            countries.stamp_all(conn)
    finally:
        t0 = time.perf_counter()
        with engine.begin() as conn:
            for ix in deferred:
                ix.create(conn)
        index_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    with engine.begin() as conn:  # the dashboard's rollups, from the stories just written
        rollups.rebuild(conn)
    rollup_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    with engine.begin() as conn:  # the evidence text index (SQLite)
        textindex.rebuild(conn)
    text_seconds = time.perf_counter() - t0
    if engine.dialect.name == "sqlite":  # fold the bulk load's write-ahead log into the file
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = time.perf_counter() - started
    counts.update(actors=len(world.actor_rows), places=len(world.place_rows))
    rows = sum(counts.values())
    return {**counts, "seconds": round(seconds, 2), "index_seconds": round(index_seconds, 2),
            "rollup_seconds": round(rollup_seconds, 2), "text_index_seconds": round(text_seconds, 2),
            "rows_per_s": round(rows / seconds),
            "events_per_s": round(counts["events"] / seconds)}


def _story(rng, world: _World, day_ix: int, base, extra, bursts, size: int) -> dict:
    """One story's coding and its mentions' own parts (documents come later)."""
    day = START + timedelta(days=day_ix)
    burst = None
    if extra[day_ix]:
        r = rng.random() * (base[day_ix] + sum(w for _, w in extra[day_ix]))
        acc = base[day_ix]
        for k, w in extra[day_ix]:
            acc += w
            if r < acc and r >= base[day_ix]:
                burst = bursts[k]
                break
    if burst:
        _, _, _, a, b, conflict = burst
        etype = (world.pick_conflict if conflict else world.pick_talks)(rng)
        if rng.random() < 0.35:
            a, b = b, a
        domestic = False
    else:
        etype = world.pick_type(rng)
        a = world.pick_country(rng)
        domestic = rng.random() < TYPES[etype][1]
        b = a if domestic else world.pick_country(rng)
        if b == a and not domestic:
            b = world.pick_country(rng)
    src_roles, tgt_roles = SIDES.get(etype, (TALKING, TALKING))
    talking = etype not in SIDES
    src = world.side(rng, a, src_roles, talking)
    tgt = world.side(rng, b, tgt_roles, talking)
    open_sided = etype in ("ASSAULT", "COERCE", "MOBILIZE", "PROTEST")
    if open_sided and rng.random() < 0.22:
        src = None  # "seven policemen were killed": the attacker is not named
    elif rng.random() < 0.08:
        tgt = None
    src_row = world.actor_rows[src] if src is not None else None
    tgt_row = world.actor_rows[tgt] if tgt is not None else None
    skey, tkey = _key(src_row), _key(tgt_row)
    if etype in RECIPROCAL_TYPES and skey and tkey and tkey < skey:
        skey, tkey = tkey, skey
    where = (tgt_row[2] if tgt_row else None) if open_sided else None
    where = where or (src_row[2] if src_row and (not tgt_row or rng.random() < 0.5) else (tgt_row[2] if tgt_row else None))
    place = world.place(rng, where)
    r = rng.random()
    precision = "day" if r < 0.92 else "month" if r < 0.97 else "year" if r < 0.985 else "unresolved"
    iso = day.isoformat()
    stored_date = {"day": iso, "month": iso[:7], "year": iso[:4], "unresolved": None}[precision]
    hyp_p = 0.12 if etype in ("REQUEST", "THREATEN") else 0.02
    rule = world.rules[etype](rng)
    return dict(type=etype, src=src, tgt=tgt, skey=skey, tkey=tkey, place=place, day=day, date=stored_date,
                precision=precision, negated=rng.random() < 0.02, hypothetical=rng.random() < hyp_p,
                rule=rule, verb=rng.choice(TYPES[etype][2]), size=size,
                deadly=etype == "ASSAULT" and rng.random() < 0.4, context=rng.choice(CONTEXT_PHRASES))


def _side_text(world: _World, ix: int | None) -> str | None:
    if ix is None:
        return None
    _, name, country, sectors = world.actor_rows[ix]
    word = SECTOR_WORDS.get(sectors) if ix in (world.state.get((country, sectors)),) else None
    if not word:
        return name
    return f"{name}' {word}" if name.endswith("s") else f"{name}'s {word}"  # "the Philippines' police"


def _batch(rng, world: _World, chunk: list[dict], doc_no: int, window_size: int):
    """Documents, stories and events rows for a chunk of stories."""
    # Each mention: (story index, mention index, report day); reports come 0-5 days after.
    ms = []
    for si, s in enumerate(chunk):
        for mi in range(s["size"]):
            lag = 0 if rng.random() < 0.6 else 1 if rng.random() < 0.75 else rng.randint(2, 5)
            deaths = max(1, int(rng.lognormvariate(1.0, 1.1))) if s["deadly"] else None
            ms.append((si, mi, s["day"] + timedelta(days=lag), deaths))
    ms.sort(key=lambda m: m[2])
    # Reports: consecutive mentions (by report day) in windows, shuffled, cut into reports of 1-6.
    toll: dict[tuple[int, int], int | None] = {}
    groups: list[list[tuple]] = []
    for w in range(0, len(ms), window_size):
        window = ms[w:w + window_size]
        rng.shuffle(window)
        i = 0
        while i < len(window):
            k = rng.choice((1, 1, 2, 2, 3, 3, 3, 4, 5, 6))
            groups.append(window[i:i + k])
            i += k
    doc_rows = []
    sentences: dict[tuple[int, int], tuple[int, str, int, int]] = {}  # mention -> (doc, sentence, start, end)
    hosts = _Pick(HOSTS, [h[2] for h in HOSTS])
    for g in groups:
        d = len(doc_rows)
        host, site, _ = hosts(rng)
        published = max(m[2] for m in g)
        parts, pos = [], 0
        dateline = f"{_name(rng).upper()}, {published:%B} {published.day} ({site or host}) - "
        parts.append(dateline)
        pos = len(dateline)
        for si, mi, _, deaths in g:
            s = chunk[si]
            sent = _sentence(rng, world, s, deaths)
            toll[(si, mi)] = deaths
            sentences[(si, mi)] = (d, sent, pos, pos + len(sent))
            parts.append(sent + " ")
            pos += len(sent) + 1
        filler = rng.choice(("Officials gave no further details.", "The ministry did not respond to a request for comment.",
                             "Talks are expected to continue next week.", "Witnesses described scenes of chaos.",
                             "Analysts said the move could raise tensions in the region."))
        parts.append(filler)
        text = "".join(parts)
        n = doc_no + d
        url = f"https://www.{host}/{published:%Y/%m/%d}/{'-'.join(text[len(dateline):].split()[:6]).lower().strip('.,')}-{n}"
        stamp = f"{published.isoformat()}T06:00:00+00:00"
        doc_rows.append(dict(key=url, doc_id=f"syn-{n}", content_hash=hashlib.sha256(text.encode()).hexdigest(),
                             url=url, title=text[len(dateline):len(dateline) + 80].rsplit(" ", 1)[0],
                             author=None, site=site, language="en", published=published.isoformat(),
                             source="synthetic", text=text, raw=None, ingested_at=stamp, coded_at=stamp,
                             coder=CODER, num_events=len(g)))
    story_rows, event_rows = [], []
    for si, s in enumerate(chunk):
        sid = "s" + _hex(rng, 15)
        rows = []
        for mi in range(s["size"]):
            d, sent, a, b = sentences[(si, mi)]
            date_ = s["date"]
            if s["precision"] == "day" and s["size"] >= 3 and mi == s["size"] - 1 and rng.random() < 0.3:
                date_ = (s["day"] + timedelta(days=rng.choice((-1, 1)))).isoformat()
            rule_id, cameo, intensity, mode, contexts = s["rule"]
            deaths, injuries = toll[(si, mi)], None
            if deaths is not None and rng.random() < 0.5:
                injuries = int(deaths * rng.uniform(0, 3))
            rows.append(dict(
                id=_hex(rng, 20), document_id=d, story_id=sid, type=s["type"], mode=mode, contexts=contexts,
                cameo=cameo, intensity=intensity,
                source_actor_id=world.actor_ids[s["src"]] if s["src"] is not None else None,
                source_text=_side_text(world, s["src"]), source_role=None,
                target_actor_id=world.actor_ids[s["tgt"]] if s["tgt"] is not None else None,
                target_text=_side_text(world, s["tgt"]), target_role=None,
                place_id=world.place_ids[s["place"]] if s["place"] is not None else None,
                date=date_, date_precision=s["precision"],
                date_text=None if s["precision"] == "unresolved" else f"on {WEEKDAYS[s['day'].weekday()]}",
                fatalities=deaths, injuries=injuries, negated=s["negated"], hypothetical=s["hypothetical"],
                confidence=round(rng.uniform(0.35, 0.95), 3), sentence=sent, span_start=a, span_end=b,
                trigger=s["verb"].split()[0], rule=rule_id))
        lead = max(rows, key=lambda r: (r["confidence"], r["id"]))
        pubs = [doc_rows[r["document_id"]]["published"] for r in rows]
        tolls = [r["fatalities"] for r in rows if r["fatalities"] is not None]
        hurt = [r["injuries"] for r in rows if r["injuries"] is not None]
        docs = {r["document_id"] for r in rows}
        outlets = {(doc_rows[i]["site"] or "").lower() or doc_rows[i]["url"].split("/")[2] for i in docs}
        story_rows.append(dict(
            id=sid, type=s["type"], mode=lead["mode"], contexts=lead["contexts"], cameo=lead["cameo"],
            intensity=lead["intensity"], source_actor_id=lead["source_actor_id"],
            target_actor_id=lead["target_actor_id"], source_key=s["skey"], target_key=s["tkey"],
            place_id=lead["place_id"], date=s["date"], date_precision=s["precision"],
            fatalities=max(tolls) if tolls else None, injuries=max(hurt) if hurt else None,
            negated=s["negated"], hypothetical=s["hypothetical"], confidence=lead["confidence"],
            num_sources=len(outlets), num_documents=len(docs), num_mentions=len(rows),
            first_seen=min(pubs), last_seen=max(pubs), lead_event_id=lead["id"], corrected=False, dismissed=False))
        event_rows += rows
    return doc_rows, story_rows, event_rows, doc_no + len(doc_rows)


def _sentence(rng, world: _World, s: dict, deaths: int | None) -> str:
    src = _side_text(world, s["src"]) or rng.choice(("Gunmen", "Unidentified attackers", "Protesters", "Security forces"))
    tgt = _side_text(world, s["tgt"])
    where = ""
    if s["place"] is not None:
        where = f" in {world.place_rows[s['place']][1]}"
    verb = s["verb"]
    if s["negated"]:
        src, verb = f"{src} denied reports that it", verb
    elif s["hypothetical"]:
        verb = "may have " + verb
    toll = "" if deaths is None else f", killing {deaths} {'person' if deaths == 1 else 'people'}"
    return f"{src} {verb} {tgt or 'targets'}{where}{s['context']}{toll} on {WEEKDAYS[s['day'].weekday()]}."
