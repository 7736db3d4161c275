"""Writing coded documents: one transaction per batch, so an ingest killed at any moment leaves
the database as it was after the last whole batch, and a re-run picks up from there."""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime, timezone
from urllib.parse import urlsplit

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection

from ..actor_lexicon import country_name
from ..model import Document, Event
from . import countries, textindex
from .schema import actors, documents, events, places, stories
from .stories import OPEN_SIDED, Spot, date_window, day_gap, dyad, place_distance

# Candidate stories for a new mention: same type and flags, a compatible dyad, then a date rule.
_BASE = select(stories.c.id, stories.c.date, stories.c.place_id, stories.c.source_key, stories.c.target_key).where(
    stories.c.type == bindparam("type"), stories.c.negated == bindparam("neg"),
    stories.c.hypothetical == bindparam("hyp"))
_DATE_RULES = {
    "day": lambda q: q.where(stories.c.date.between(bindparam("d0"), bindparam("d1")), func.length(stories.c.date) == 10),
    "same": lambda q: q.where(stories.c.date == bindparam("day")),
    "none": lambda q: q.where(stories.c.date.is_(None)),
}


@lru_cache(maxsize=None)
def match_statement(src_filter: bool, tgt_filter: bool, date_rule: str, open_sided: bool):
    """Built once per shape. In open-sided types a known side matches the same key or an unknown
    one, and an unknown side is not filtered; otherwise each side must have the same key."""
    q = _BASE
    for wanted, column, param in ((src_filter, stories.c.source_key, "src"), (tgt_filter, stories.c.target_key, "tgt")):
        if wanted:
            q = q.where(column.in_([bindparam(param), ""]) if open_sided else column == bindparam(param))
    return _DATE_RULES[date_rule](q)


PRECISION_RANK = {"place": 4, "admin2": 3, "admin1": 2, "region": 1, "country": 0}


@dataclass
class Outcome:
    """What a batch did, for the ingest summary."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    events: int = 0
    removed_events: int = 0
    stories: set = field(default_factory=set)


# Any 64-bit number unique to Communique: the PostgreSQL advisory lock its writers share.
WRITE_LOCK = 0x436F6D6D756E69  # "Communi"


def serialize_writers(conn: Connection) -> None:
    """On PostgreSQL, wait until no other transaction is writing to this store, and keep the
    lock until this one commits or rolls back. Several ingests (machines) feeding one database
    then write one batch at a time, each seeing every batch committed before it: a story is
    matched against every mention stored so far, and a document stored by another ingest
    meanwhile is found (`not_yet_stored`), so nothing is duplicated or lost. Readers do not
    take the lock. SQLite needs nothing: it allows one writer at a time by itself."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def event_row_id(identity: str, e: Event) -> str:
    return hashlib.sha1(f"{identity}\x1f{e.event_id}".encode()).hexdigest()[:20]


def site_of(doc_row) -> str:
    """The outlet a document came from, for counting distinct sources."""
    if doc_row.site:
        return doc_row.site.lower()
    if doc_row.url:
        return urlsplit(doc_row.url).hostname or doc_row.url
    return doc_row.key


class Writer:
    """Writes within one open transaction; caches actor and place ids for its lifetime."""

    def __init__(self, conn: Connection, coder: str):
        self.conn, self.coder = conn, coder
        self._actor_ids: dict[str, int] = {}
        self._place_ids: dict[str, int] = {}
        self._spots: dict[int, Spot] = {}
        self._countries: dict[int, str | None] = {}  # actor id -> country (part of its key: fixed)
        self.touched: set[str] = set()  # stories to recompute before the batch commits

    # -- lookups -------------------------------------------------------------------------
    def stored(self, identities: list[str], hashes: list[str]) -> tuple[dict[str, tuple[str, str]], set[str]]:
        """Stored documents among these: identity -> (content_hash, coder), and hashes known."""
        by_key = {r.key: (r.content_hash, r.coder) for r in self.conn.execute(
            select(documents.c.key, documents.c.content_hash, documents.c.coder).where(documents.c.key.in_(identities)))}
        known = set(self.conn.execute(
            select(documents.c.content_hash).where(documents.c.content_hash.in_(hashes))).scalars())
        return by_key, known

    def not_yet_stored(self, coded: list[tuple[Document, list[Event]]], out: Outcome) -> list[tuple[Document, list[Event]]]:
        """The coded documents still new or changed now that the batch holds the write lock; the
        others (same identity and text, or the same text under another identity, stored since
        they were triaged, or twice in this batch) are counted unchanged."""
        by_key, known = self.stored([d.identity for d, _ in coded], [d.content_hash for d, _ in coded])
        todo, hashes = [], set()
        for doc, evs in coded:
            h, stored = doc.content_hash, by_key.get(doc.identity)
            if (stored and stored[0] == h) or (not stored and h in known) or h in hashes:
                out.unchanged += 1
                continue
            hashes.add(h)
            todo.append((doc, evs))
        return todo

    def actor_id(self, a) -> int | None:
        if a is None:
            return None
        # An unnamed state actor is shown by its country's name ("Belarus"), not the words used.
        name = a.name or (country_name(a.country) if a.country else a.text)
        sectors = ";".join(sorted(set(a.sectors)))
        akey = f"{name}|{a.country or ''}|{sectors}"
        if akey not in self._actor_ids:
            found = self.conn.execute(select(actors.c.id).where(actors.c.akey == akey)).scalar()
            if found is None:
                found = self.conn.execute(insert(actors), dict(
                    name=name, country=a.country, sectors=sectors, akey=akey)).inserted_primary_key[0]
            self._actor_ids[akey] = found
            self._countries[found] = a.country  # the country is part of the key
        return self._actor_ids[akey]

    def place_id(self, p) -> int | None:
        if p is None:
            return None
        pkey = f"{p.name}|{p.country or ''}|{p.admin1 or ''}|{p.lat}|{p.lon}|{p.precision}"
        if pkey not in self._place_ids:
            found = self.conn.execute(select(places.c.id).where(places.c.pkey == pkey)).scalar()
            if found is None:
                found = self.conn.execute(insert(places), dict(
                    name=p.name, country=p.country, admin1=p.admin1, lat=p.lat, lon=p.lon,
                    geonameid=p.geonameid, precision=p.precision, pkey=pkey)).inserted_primary_key[0]
            self._place_ids[pkey] = found
        return self._place_ids[pkey]

    # -- documents -----------------------------------------------------------------------
    def save(self, doc: Document, coded: list[Event], out: Outcome) -> None:
        """Insert a new document, or replace a changed one's events; the caller checked it is not unchanged."""
        key = doc.identity
        row = dict(key=key, doc_id=doc.id, content_hash=doc.content_hash, url=doc.url, title=doc.title,
                   author=doc.author, site=doc.site, language=doc.language,
                   published=doc.published.isoformat() if doc.published else None, source=doc.source,
                   text=doc.text, raw=doc.raw, coded_at=now(), coder=self.coder, num_events=len(coded))
        existing = self.conn.execute(select(documents.c.id).where(documents.c.key == key)).scalar()
        if existing is None:
            doc_pk = self.conn.execute(insert(documents), dict(ingested_at=now(), **row)).inserted_primary_key[0]
            out.new += 1
        else:
            doc_pk = existing
            out.removed_events += self.remove_events(doc_pk, out)
            self.conn.execute(update(documents).where(documents.c.id == bindparam("pk")), dict(pk=doc_pk, **row))
            out.changed += 1
        self.add_events(doc_pk, key, coded, out)

    def remove_events(self, doc_pk: int, out: Outcome) -> int:
        touched = set(self.conn.execute(select(events.c.story_id).where(events.c.document_id == doc_pk)).scalars())
        n = self.conn.execute(delete(events).where(events.c.document_id == doc_pk)).rowcount
        self.touched |= touched
        out.stories |= touched
        return n

    def add_events(self, doc_pk: int, identity: str, coded: list[Event], out: Outcome) -> None:
        seen, rows = set(), []
        for e in coded:
            eid = event_row_id(identity, e)
            if eid in seen:
                continue
            seen.add(eid)
            row = dict(
                id=eid, document_id=doc_pk, type=e.type, mode=e.mode, contexts=";".join(e.contexts),
                cameo=e.cameo, intensity=e.intensity,
                source_actor_id=self.actor_id(e.source), source_text=e.source.text if e.source else None,
                source_role=e.source.role if e.source else None,
                target_actor_id=self.actor_id(e.target), target_text=e.target.text if e.target else None,
                target_role=e.target.role if e.target else None,
                place_id=self.place_id(e.location), date=e.date, date_precision=e.date_precision,
                date_text=e.date_text, fatalities=e.fatalities, injuries=e.injuries, negated=e.negated,
                hypothetical=e.hypothetical, confidence=e.confidence, sentence=e.sentence,
                span_start=e.char_span[0], span_end=e.char_span[1], trigger=e.trigger, rule=e.rule)
            story_id = self.match_story(e) or self.new_story(eid, e, row["place_id"])
            row["story_id"] = story_id
            rows.append(row)
            self.touched.add(story_id)
            out.stories.add(story_id)
            out.events += 1
        if rows:
            self.conn.execute(insert(events), rows)

    def finish(self) -> None:
        """Recompute every story the batch touched (once each, however many mentions it got):
        the evidence-text index of them all in a few statements, then each story."""
        from .corrections import any_stored

        touched = sorted(self.touched)
        for k in range(0, len(touched), 400):
            # the index from the mentions as they now are, while every story still exists
            textindex.refresh_many(self.conn, touched[k:k + 400])
        corrected = any_stored(self.conn)
        for story_id in touched:
            self.refresh_story(story_id, corrected)
        self.touched.clear()

    def _country(self, actor_id: int | None) -> str | None:
        """An actor's country: known for those this batch named, looked up for older ones."""
        if actor_id is None:
            return None
        if actor_id not in self._countries:
            self._countries[actor_id] = self.conn.execute(
                select(actors.c.country).where(actors.c.id == actor_id)).scalar()
        return self._countries[actor_id]

    # -- stories -------------------------------------------------------------------------
    def _spot(self, place_id: int | None) -> Spot | None:
        if place_id is None:
            return None
        if place_id not in self._spots:
            p = self.conn.execute(select(places).where(places.c.id == place_id)).one()
            self._spots[place_id] = Spot(p.lat, p.lon, p.country, p.admin1, p.precision)
        return self._spots[place_id]

    def match_story(self, e: Event) -> str | None:
        """The stored story this event reports, the closest in time and place if several."""
        src, tgt = dyad(e.type, e.source and e.source.to_dict(), e.target and e.target.to_dict())
        params = dict(type=e.type, src=src, tgt=tgt, neg=e.negated, hyp=e.hypothetical)
        window = date_window(e.date)
        if window:
            rule, params["d0"], params["d1"] = "day", *window
        elif e.date:
            rule, params["day"] = "same", e.date
        else:
            rule = "none"
        here = None if e.location is None else Spot(e.location.lat, e.location.lon, e.location.country,
                                                    e.location.admin1, e.location.precision)
        best = None
        open_sided = e.type in OPEN_SIDED
        for s in self.conn.execute(match_statement(bool(src) or not open_sided, bool(tgt) or not open_sided,
                                                   rule, open_sided), params):
            there = self._spot(s.place_id)
            d = place_distance(here, there)
            if d is None:
                continue
            partial = (src, tgt) != (s.source_key, s.target_key)
            if partial and (here is None or there is None):
                continue  # an unknown side is only trusted where the places agree
            rank = (partial, day_gap(e.date, s.date), d)
            if best is None or rank < best[0]:
                best = (rank, s.id)
        return best[1] if best else None

    def new_story(self, eid: str, e: Event, place_id: int | None) -> str:
        sid = "s" + eid[:15]
        src, tgt = dyad(e.type, e.source and e.source.to_dict(), e.target and e.target.to_dict())
        self.conn.execute(insert(stories), dict(
            id=sid, type=e.type, place_id=place_id, source_key=src, target_key=tgt, date=e.date, date_precision=e.date_precision,
            negated=e.negated, hypothetical=e.hypothetical, confidence=e.confidence,
            num_sources=0, num_documents=0, num_mentions=0))
        return sid

    def refresh_story(self, story_id: str, corrected: bool = True) -> None:
        """Recompute a story from its mentions; a story left with none is deleted. The rollups
        lose the story's old row and gain its new one. `corrected`: the store may hold an
        analyst's corrections to put back (False when it holds none at all). The evidence-text
        index is refreshed before, by `finish`."""
        from .rollups import contribute, replace, story_row

        before = story_row(self.conn, story_id)
        rows = self.conn.execute(
            select(events, documents.c.site, documents.c.url, documents.c.key, documents.c.published,
                   documents.c.ingested_at, places.c.precision.label("place_precision"))
            .join(documents, documents.c.id == events.c.document_id)
            .outerjoin(places, places.c.id == events.c.place_id)
            .where(events.c.story_id == story_id)).all()
        if not rows:
            contribute(self.conn, before, -1)
            self.conn.execute(delete(stories).where(stories.c.id == story_id))
            return
        # The lead mention: both sides known, the most confident, the most precise place.
        lead = max(rows, key=lambda r: ((r.source_actor_id is not None) + (r.target_actor_id is not None),
                                        r.confidence, PRECISION_RANK.get(r.place_precision, -1),
                                        r.date_precision == "day", -len(r.id)))
        days = Counter(r.date for r in rows if r.date_precision == "day" and r.date)
        day = min(days, key=lambda d: (-days[d], d)) if days else lead.date
        seen = [r.published or r.ingested_at[:10] for r in rows]
        deaths = [r.fatalities for r in rows if r.fatalities is not None]
        hurt = [r.injuries for r in rows if r.injuries is not None]
        self.conn.execute(update(stories).where(stories.c.id == bindparam("sid")), dict(
            sid=story_id, mode=lead.mode, contexts=lead.contexts, cameo=lead.cameo, intensity=lead.intensity,
            source_actor_id=lead.source_actor_id, target_actor_id=lead.target_actor_id,
            place_id=lead.place_id, date=day, date_precision="day" if days else lead.date_precision,
            # Tolls are revised upward as bodies are counted: the highest reported is kept.
            fatalities=max(deaths) if deaths else None, injuries=max(hurt) if hurt else None,
            confidence=max(r.confidence for r in rows),
            num_sources=len({site_of(r) for r in rows}), num_documents=len({r.document_id for r in rows}),
            num_mentions=len(rows), first_seen=min(seen), last_seen=max(seen), lead_event_id=lead.id,
            corrected=False, dismissed=False,
            src_country=self._country(lead.source_actor_id), tgt_country=self._country(lead.target_actor_id)))
        if corrected:
            from .corrections import reapply

            reapply(self.conn, self, story_id)  # an analyst's corrections outlive new mentions
            countries.stamp(self.conn, story_id)
        replace(self.conn, before, story_row(self.conn, story_id))
