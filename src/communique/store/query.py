"""Reading the store: story events with filters, their mentions, actors and figures."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Integer, func, literal_column, or_, select, union
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from .schema import actors, documents, events, places, rollup_actors, stories
from . import textindex
from .stories import Spot, km

src_actor = actors.alias("src")
tgt_actor = actors.alias("tgt")


class QueryError(ValueError):
    """A filter that cannot be understood (the message says which and why)."""


@dataclass
class Filters:
    actor: str | None = None  # a country code or part of a name, on either side
    dyad: str | None = None  # "IND:CHN", directed; "*" for any side
    type: str | None = None  # PLOVER type(s), comma-separated
    since: date | None = None
    until: date | None = None
    near: tuple[float, float, float] | None = None  # lat, lon, km
    min_confidence: float = 0.0
    text: str | None = None  # words in the evidence sentence
    flagged: bool = False  # also negated, hypothetical and dismissed events ("did not meet", "may strike")

    def __post_init__(self) -> None:
        # A NUL in a text filter ended SQLite's full-text query early ("unterminated string") and
        # PostgreSQL refuses NUL in text: both were a 500. No stored name or sentence holds one.
        for name in ("actor", "dyad", "type", "text"):
            value = getattr(self, name)
            if value is not None and "\x00" in value:
                raise QueryError(f"{'q' if name == 'text' else name}: contains a NUL character")

    @staticmethod
    def parse_near(value: str | None) -> tuple[float, float, float] | None:
        if not value:
            return None
        try:
            lat, lon, radius = (float(x) for x in value.split(","))
        except ValueError:
            raise QueryError(f"near {value!r}: expected LAT,LON,KM such as 36.07,120.38,50") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and radius > 0):
            raise QueryError(f"near {value!r}: latitude -90..90, longitude -180..180, radius > 0")
        return lat, lon, radius


def _is_country(value: str) -> bool:
    return len(value) == 3 and value.isalpha() and value.isupper()


def _side(side: str, value: str):
    """The condition that a story's source or target side is the actor a filter value names: a
    country code (read from the story's own copy of the actor's country), or a name from a word
    start ("iran" finds Iran, not Tirana); None for any actor."""
    value = value.strip()
    if value in ("", "*"):
        return None
    if _is_country(value):
        return (stories.c.src_country if side == "source" else stories.c.tgt_country) == value
    name, v = func.lower(actors.c.name), value.lower()
    ids = select(actors.c.id).where(or_(name.startswith(v, autoescape=True), name.contains(" " + v, autoescape=True)))
    return (stories.c.source_actor_id if side == "source" else stories.c.target_actor_id).in_(ids)


def _story_select() -> Select:
    return (select(stories, src_actor.c.name.label("source_name"), src_actor.c.country.label("source_country"),
                   src_actor.c.sectors.label("source_sectors"), tgt_actor.c.name.label("target_name"),
                   tgt_actor.c.country.label("target_country"), tgt_actor.c.sectors.label("target_sectors"),
                   places.c.name.label("place_name"), places.c.country.label("place_country"),
                   places.c.admin1.label("place_admin1"), places.c.lat, places.c.lon,
                   places.c.geonameid, places.c.precision.label("place_precision"))
            .outerjoin(src_actor, src_actor.c.id == stories.c.source_actor_id)
            .outerjoin(tgt_actor, tgt_actor.c.id == stories.c.target_actor_id)
            .outerjoin(places, places.c.id == stories.c.place_id))


def _conditions(f: Filters, text=None, by_ids: bool = False) -> list:
    """The filters as conditions on `stories`; `text`, the evidence-words condition if already
    chosen for the connection (see `_text_condition`); `by_ids` (SQLite) when another condition
    lists the stories (by ids, actors or places) and the flags are only to be checked."""
    cond = []
    if not f.flagged:
        # With a list of stories, actors or places, SQLite would walk the default view's index and
        # test every story against the list; "+column" keeps the flags off the index there.
        flag = (lambda c: literal_column(f"+stories.{c.name}")) if by_ids else (lambda c: c)
        cond += [flag(stories.c.negated).is_(False), flag(stories.c.hypothetical).is_(False),
                 flag(stories.c.dismissed).is_(False)]
    # Every condition is on `stories` itself (actors and places through id subqueries), so counts
    # and aggregates need no joins and use the indexes on the story's columns.
    if f.actor:
        either = [c for c in (_side("source", f.actor), _side("target", f.actor)) if c is not None]
        if either:
            cond.append(or_(*either))
    if f.dyad:
        if ":" not in f.dyad:
            raise QueryError(f"dyad {f.dyad!r}: expected SOURCE:TARGET such as IND:CHN")
        a, b = f.dyad.split(":", 1)
        cond += [c for c in (_side("source", a), _side("target", b)) if c is not None]
    if f.type:
        types = [t.strip().upper() for t in f.type.split(",") if t.strip()]
        cond.append(stories.c.type.in_(types))
    cond += dated_conditions(stories.c.date, f)
    if f.min_confidence:
        cond.append(stories.c.confidence >= f.min_confidence)
    if f.near:
        lat, lon, radius = f.near
        dlat = radius / 111.0
        dlon = radius / max(1e-6, 111.0 * math.cos(math.radians(lat)))
        box = select(places.c.id).where(places.c.lat.between(lat - dlat, lat + dlat),
                                        places.c.lon.between(lon - dlon, lon + dlon))
        cond.append(stories.c.place_id.in_(box))
    if f.text:
        cond.append(stories.c.id.in_(select(events.c.story_id).where(_said(f.text))) if text is None else text)
    return cond


def _said(words: str):
    """A mention's sentence contains the words (any case; "5%" is literal)."""
    return func.lower(events.c.sentence).contains(words.lower(), autoescape=True)


def _text_condition(conn: Connection, words: str) -> tuple:
    """The evidence-words condition for this connection, and whether it lists stories: with the
    text index (SQLite, three characters or more), the stories it finds; without it (PostgreSQL,
    shorter words), the stories of every matching mention, as a scan."""
    if not textindex.usable(conn, words):
        return None, False
    return literal_column("stories.rowid").in_(
        textindex.matching_stories().bindparams(fts_phrase=textindex.phrase(words)).columns(rowid=Integer)), True


def dated_conditions(column, f: Filters) -> list:
    """The since/until conditions on a date column (a story's, or a rollup's day)."""
    cond = []
    if f.since:
        # a date of month or year precision ("2025-11") overlaps the day it is compared with
        day = f.since.isoformat()
        # the year is a lower bound implied by the rest, which an index range can use (the OR cannot)
        cond += [column >= day[:4], or_(column >= day, column.in_([day[:7], day[:4]]))]
    if f.until:
        cond.append(column <= f.until.isoformat() + "~")  # "~" sorts after any month/day suffix
    return cond


def one_country(f: Filters, dates: bool = False) -> str | None:
    """The country when the filters are an actor's country code alone (and, with `dates`, a date
    window): the per-country rollups answer those."""
    actor = (f.actor or "").strip()
    rest = replace(f, actor=None, **({"since": None, "until": None} if dates else {}))
    return actor if _is_country(actor) and rest == Filters() else None


def filter_conditions(conn: Connection, f: Filters) -> list:
    """The filters' conditions for this connection (with the text index where it helps)."""
    text, by_ids = _text_condition(conn, f.text) if f.text else (None, False)
    # a name, a radius or words list actors, places or stories: those lists lead, not the default view's index
    return _conditions(f, text, by_ids or (conn.dialect.name == "sqlite" and _listed_first(conn, f)))


def _actor(name, country, sectors) -> dict | None:
    if name is None and country is None:
        return None
    return {"name": name, "country": country, "sectors": [s for s in (sectors or "").split(";") if s]}


def _near_places(conn: Connection, f: Filters) -> list[int]:
    """The ids of the places within the radius: the box from the index, the exact distance here."""
    lat, lon, radius = f.near
    centre = Spot(lat, lon, None, None, "place")
    dlat = radius / 111.0
    dlon = radius / max(1e-6, 111.0 * math.cos(math.radians(lat)))
    box = select(places.c.id, places.c.lat, places.c.lon).where(places.c.lat.between(lat - dlat, lat + dlat),
                                                                places.c.lon.between(lon - dlon, lon + dlon))
    return [r.id for r in conn.execute(box) if km(centre, Spot(r.lat, r.lon, None, None, "place")) <= radius]


def _list_conditions(conn: Connection, f: Filters) -> list:
    """The conditions of the event list and its count: a 'near' filter is the exact radius (the
    places within it, found first), not the box the aggregates use."""
    if not f.near:
        return filter_conditions(conn, f)
    return [*filter_conditions(conn, replace(f, near=None)), stories.c.place_id.in_(_near_places(conn, f))]


def story_record(r) -> dict:
    """A story row as the record that the CLI, exports and the API share."""
    location = None
    if r.place_name is not None:
        location = {"name": r.place_name, "country": r.place_country, "admin1": r.place_admin1,
                    "lat": r.lat, "lon": r.lon, "geonameid": r.geonameid, "precision": r.place_precision}
    return {
        "event_id": r.id, "type": r.type, "mode": r.mode,
        "contexts": [c for c in (r.contexts or "").split(";") if c], "cameo": r.cameo, "intensity": r.intensity,
        "source": _actor(r.source_name, r.source_country, r.source_sectors),
        "target": _actor(r.target_name, r.target_country, r.target_sectors),
        "location": location, "date": r.date, "date_precision": r.date_precision,
        "fatalities": r.fatalities, "injuries": r.injuries, "negated": bool(r.negated),
        "hypothetical": bool(r.hypothetical), "confidence": r.confidence,
        "num_sources": r.num_sources, "num_documents": r.num_documents, "num_mentions": r.num_mentions,
        "first_seen": r.first_seen, "last_seen": r.last_seen,
        "corrected": bool(r.corrected), "dismissed": bool(r.dismissed),
    }


SORT_KEYS = {  # sort -> (column, descending); ties are broken by id, ascending
    "date": ("date", False), "-date": ("date", True), "confidence": ("confidence", False),
    "-confidence": ("confidence", True), "sources": ("num_sources", False), "-sources": ("num_sources", True),
    "fatalities": ("fatalities", False), "-fatalities": ("fatalities", True),
    "intensity": ("intensity", False), "-intensity": ("intensity", True),
}
SORTS = {k: (stories.c[c].desc() if d else stories.c[c],) for k, (c, d) in SORT_KEYS.items()}


def _order(columns, sort: str) -> tuple:
    name, descending = SORT_KEYS[sort]
    return (columns[name].desc() if descending else columns[name], columns["id"])


def _page_ids(conn: Connection, f: Filters, limit: int | None, offset: int, sort: str) -> list[str]:
    """The ids of one page of stories, read from the indexes alone where they cover it."""
    cond = _list_conditions(conn, f)
    either = _either_side(f)
    first = _listed_first(conn, f)
    if either is None or limit is None:
        q = _sorted_ids(cond, sort, first, "candidates")
        return list(conn.execute(q if limit is None else q.limit(limit).offset(offset)).scalars())
    # An actor on either side: the first offset+limit of each side (each one index range in
    # order), merged. A story with the actor on both sides is in both, once in the union.
    base = _list_conditions(conn, replace(f, actor=None))
    column = SORT_KEYS[sort][0]
    sides = [_sorted_ids([*base, side], sort, first, name, column).limit(offset + limit).subquery()
             for side, name in zip(either, ("source_side", "target_side"))]
    u = union(*(select(x) for x in sides)).subquery()
    return list(conn.execute(select(u.c.id).order_by(*_order(u.c, sort)).limit(limit).offset(offset)).scalars())


def _sorted_ids(cond: list, sort: str, listed_first: bool, name: str, *extra: str, total: bool = False) -> Select:
    """The ids of the stories that meet the conditions, in the sort's order (and `extra` columns).
    With `listed_first`, the stories are first listed by their own index, then sorted: given an
    ORDER BY, SQLite would rather walk the sort's index and test every story against the list;
    with `total` too, each row also carries the size of that list."""
    columns = [stories.c.id, *(stories.c[c] for c in extra)]
    if not listed_first:
        return select(*columns).where(*cond).order_by(*_order(stories.c, sort))
    found = select(*columns, *(() if SORT_KEYS[sort][0] in extra else (stories.c[SORT_KEYS[sort][0]],))) \
        .where(*cond).cte(name).prefix_with("MATERIALIZED")
    counted = (func.count().over().label("total"),) if total else ()
    return select(*(found.c[c.name] for c in columns), *counted).order_by(*_order(found.c, sort))


def _listed_first(conn: Connection, f: Filters) -> bool:
    """Whether the filters name stories by a list of actors, places or the text index's matches
    (a name, a radius, words): the list leads, not the sort's index."""
    names = [f.actor or ""] + (f.dyad or "").split(":")
    return bool(f.near) or any(v.strip() not in ("", "*") and not _is_country(v.strip()) for v in names) \
        or (bool(f.text) and textindex.usable(conn, f.text))


def _either_side(f: Filters) -> list | None:
    """The actor filter's two sides (source, target) as conditions, None without an actor filter."""
    if not f.actor:
        return None
    sides = [_side("source", f.actor), _side("target", f.actor)]
    return None if any(s is None for s in sides) else sides


def story_events(conn: Connection, f: Filters, limit: int | None = None, offset: int = 0,
                 with_mentions: bool = False, sort: str = "-date") -> list[dict]:
    if sort not in SORTS:
        raise QueryError(f"sort {sort!r}: use one of {', '.join(SORTS)}")
    return _records(conn, _page_ids(conn, f, limit, offset, sort), with_mentions)


def _records(conn: Connection, ids: list[str], with_mentions: bool = False) -> list[dict]:
    """The stories with these ids as records, in the order given, with their lead sentence."""
    found = {}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        found.update((r.id, r) for r in conn.execute(_story_select().where(stories.c.id.in_(chunk))))
    records = [story_record(found[i]) for i in ids]
    mentions = story_mentions(conn, [r["event_id"] for r in records]) if records else {}
    for rec in records:
        ms = mentions.get(rec["event_id"], [])
        rec["sentence"] = ms[0]["sentence"] if ms else None
        rec["url"] = next((m["url"] for m in ms if m["url"]), None)
        if with_mentions:
            rec["mentions"] = ms
    return records


def story_mentions(conn: Connection, story_ids: list[str]) -> dict[str, list[dict]]:
    """Every mention of these stories, the lead mention first, then by publication."""
    out: dict[str, list[dict]] = {}
    for chunk in (story_ids[i:i + 500] for i in range(0, len(story_ids), 500)):
        q = (select(events.c.id, events.c.story_id, events.c.sentence, events.c.span_start, events.c.span_end,
                    events.c.trigger, events.c.rule, events.c.source_text, events.c.target_text, events.c.date_text,
                    documents.c.id.label("document_id"), documents.c.doc_id, documents.c.url, documents.c.title, documents.c.site, documents.c.published,
                    stories.c.lead_event_id)
             .join(documents, documents.c.id == events.c.document_id)
             .join(stories, stories.c.id == events.c.story_id)
             .where(events.c.story_id.in_(chunk))
             .order_by(documents.c.published, events.c.id))
        for r in conn.execute(q):
            out.setdefault(r.story_id, []).append({
                "event_id": r.id, "document_id": r.document_id, "doc_id": r.doc_id, "url": r.url, "title": r.title, "site": r.site,
                "published": r.published, "sentence": r.sentence, "char_span": [r.span_start, r.span_end],
                "trigger": r.trigger, "rule": r.rule, "source_text": r.source_text, "target_text": r.target_text,
                "date_text": r.date_text, "lead": r.id == r.lead_event_id})
    for ms in out.values():
        ms.sort(key=lambda m: not m["lead"])
    return out


def actor_counts(conn: Connection, limit: int | None = None) -> list[dict]:
    """Actors with the number of events (default view) they take part in, most active first."""
    q = (select(actors.c.id, actors.c.name, actors.c.country, actors.c.sectors, rollup_actors.c.n)
         .join(rollup_actors, rollup_actors.c.actor_id == actors.c.id).where(rollup_actors.c.n > 0)
         .order_by(rollup_actors.c.n.desc(), actors.c.name))
    if limit:
        q = q.limit(limit)
    return [{"id": r.id, "name": r.name, "country": r.country, "sectors": [s for s in r.sectors.split(";") if s],
             "events": r.n} for r in conn.execute(q)]


def figures(conn: Connection) -> dict:
    one = lambda q: conn.execute(q).scalar() or 0  # noqa: E731
    by_type = dict(conn.execute(select(stories.c.type, func.count()).group_by(stories.c.type)
                                .order_by(func.count().desc())).all())
    # min and max apart: each is then one step into the date index, together a scan of it
    first, last = conn.execute(select(func.min(stories.c.date))).scalar(), conn.execute(select(func.max(stories.c.date))).scalar()
    return {
        "documents": one(select(func.count()).select_from(documents)),
        "mentions": one(select(func.count()).select_from(events)),
        "events": one(select(func.count()).select_from(stories)),
        "multi_source_events": one(select(func.count()).select_from(stories).where(stories.c.num_documents > 1)),
        "actors": one(select(func.count()).select_from(actors)),
        "places": one(select(func.count()).select_from(places)),
        "first_date": first, "last_date": last, "by_type": by_type,
    }


def document_event_ids(conn: Connection, identity: str) -> set[str]:
    q = select(events.c.id).join(documents, documents.c.id == events.c.document_id).where(documents.c.key == identity)
    return set(conn.execute(q).scalars())


def count_events(conn: Connection, f: Filters) -> int:
    either = _either_side(f)
    if either is None:
        return _count(conn, _list_conditions(conn, f))
    # An actor on either side: each side counted on its own index, less those on both sides.
    base = _list_conditions(conn, replace(f, actor=None))
    source, target = either
    return _count(conn, [*base, source]) + _count(conn, [*base, target]) - _count(conn, [*base, source, target])


def listing(conn: Connection, f: Filters, limit: int, offset: int = 0, sort: str = "-date") -> tuple[list[dict], int]:
    """One page of story events and the filters' total (the API's event list). When words, a
    name or a radius list the stories first, one query cuts the page from that list and counts
    it (a window over the list), so each listed story is read once rather than once per query."""
    if sort not in SORTS:
        raise QueryError(f"sort {sort!r}: use one of {', '.join(SORTS)}")
    if _listed_first(conn, f) and _either_side(f) is None:
        q = _sorted_ids(_list_conditions(conn, f), sort, True, "candidates", total=True)
        rows = conn.execute(q.limit(limit).offset(offset)).all()
        if rows:  # a page past the end has no row to carry the total: counted below
            return _records(conn, [r.id for r in rows]), rows[0].total
    return story_events(conn, f, limit, offset, sort=sort), count_events(conn, f)


def _count(conn: Connection, cond: list) -> int:
    return conn.execute(select(func.count()).select_from(stories).where(*cond)).scalar() or 0


def one_story(conn: Connection, story_id: str) -> dict | None:
    row = conn.execute(_story_select().where(stories.c.id == story_id)).first()
    if row is None:
        return None
    rec = story_record(row)
    rec["mentions"] = story_mentions(conn, [story_id]).get(story_id, [])
    rec["sentence"] = rec["mentions"][0]["sentence"] if rec["mentions"] else None
    rec["url"] = next((m["url"] for m in rec["mentions"] if m["url"]), None)
    return rec


def document(conn: Connection, doc_pk: int) -> dict | None:
    row = conn.execute(select(documents).where(documents.c.id == doc_pk)).first()
    if row is None:
        return None
    evs = conn.execute(select(events.c.id, events.c.story_id, events.c.type, events.c.span_start, events.c.span_end,
                              events.c.trigger, events.c.rule, events.c.source_text, events.c.target_text,
                              events.c.date, events.c.sentence)
                       .where(events.c.document_id == doc_pk).order_by(events.c.span_start)).all()
    return {"id": row.id, "doc_id": row.doc_id, "url": row.url, "title": row.title, "author": row.author,
            "site": row.site, "published": row.published, "language": row.language, "source": row.source,
            "ingested_at": row.ingested_at, "text": row.text,
            "events": [{"event_id": e.id, "story_id": e.story_id, "type": e.type, "char_span": [e.span_start, e.span_end],
                        "trigger": e.trigger, "rule": e.rule, "source_text": e.source_text,
                        "target_text": e.target_text, "date": e.date} for e in evs]}
