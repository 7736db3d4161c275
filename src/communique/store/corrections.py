"""Analyst corrections: a story's type, sides, place or date changed, or the story dismissed as
"not an event". The story shows the corrected view (queries and exports use it); each correction
is kept with who, when, why and what it replaced; the mentions' own coding is never touched, and
corrections are re-applied whenever new mentions make the story recompute."""
from __future__ import annotations

import json
import re

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Connection

from ..model import PLOVER_TYPES, Actor, Place
from .schema import actors, corrections, places, stories

FIELDS = ("type", "source", "target", "location", "date", "not_event")
DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PRECISION = {4: "year", 7: "month", 10: "day"}


class CorrectionError(ValueError):
    """A correction that cannot be applied (the message says which field and why)."""


def _actor(value, field: str) -> Actor | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not (value.get("name") or value.get("country")):
        raise CorrectionError(f"{field}: give an object with a name and/or a country (ISO alpha-3), or null")
    country = value.get("country")
    if country is not None and not (isinstance(country, str) and re.fullmatch(r"[A-Z]{3}", country)):
        raise CorrectionError(f"{field}.country: {country!r} is not an ISO 3166-1 alpha-3 code such as IND")
    sectors = value.get("sectors") or []
    if not isinstance(sectors, list) or not all(isinstance(x, str) for x in sectors):
        raise CorrectionError(f"{field}.sectors: give a list of sector codes such as [\"GOV\"]")
    return Actor(text=value.get("name") or country, name=value.get("name"), country=country, sectors=sectors)


def _place(value) -> Place | None:
    if value is None:
        return None
    try:
        lat, lon = float(value["lat"]), float(value["lon"])
        name = str(value["name"])
    except (KeyError, TypeError, ValueError):
        raise CorrectionError("location: give {name, lat, lon} (and country, precision) or null") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CorrectionError("location: latitude -90..90 and longitude -180..180")
    return Place(name, value.get("country"), lat, lon, admin1=value.get("admin1"),
                 precision=value.get("precision") or "place")


def validate(changes: dict) -> dict:
    """The changes, checked; unknown fields and bad values raise CorrectionError."""
    if not isinstance(changes, dict) or not changes:
        raise CorrectionError(f"give at least one of: {', '.join(FIELDS)}")
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise CorrectionError(f"cannot correct {', '.join(unknown)}: use {', '.join(FIELDS)}")
    if "type" in changes and changes["type"] not in PLOVER_TYPES:
        raise CorrectionError(f"type: {changes['type']!r} is not a PLOVER type ({', '.join(PLOVER_TYPES)})")
    if "date" in changes and changes["date"] is not None and not (isinstance(changes["date"], str) and DAY.match(changes["date"])):
        raise CorrectionError(f"date: {changes['date']!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    if "not_event" in changes and not isinstance(changes["not_event"], bool):
        raise CorrectionError("not_event: true or false")
    for side in ("source", "target"):
        if side in changes:
            _actor(changes[side], side)
    if "location" in changes:
        _place(changes["location"])
    return changes


def _current(conn: Connection, story_id: str) -> dict:
    """The story's present values of the correctable fields, in the API's shape."""
    row = conn.execute(select(stories).where(stories.c.id == story_id)).one()

    def actor(aid):
        if aid is None:
            return None
        a = conn.execute(select(actors).where(actors.c.id == aid)).one()
        return {"name": a.name, "country": a.country, "sectors": [x for x in a.sectors.split(";") if x]}

    loc = None
    if row.place_id is not None:
        p = conn.execute(select(places).where(places.c.id == row.place_id)).one()
        loc = {"name": p.name, "country": p.country, "admin1": p.admin1, "lat": p.lat, "lon": p.lon,
               "precision": p.precision}
    return {"type": row.type, "source": actor(row.source_actor_id), "target": actor(row.target_actor_id),
            "location": loc, "date": row.date, "not_event": bool(row.dismissed)}


def apply(conn: Connection, writer, story_id: str, changes: dict) -> None:
    """Set the story's columns from the changes (no history written here)."""
    values: dict = {"corrected": True}
    if "type" in changes:
        values["type"] = changes["type"]
    for side in ("source", "target"):
        if side in changes:
            values[f"{side}_actor_id"] = writer.actor_id(_actor(changes[side], side))
    if "location" in changes:
        values["place_id"] = writer.place_id(_place(changes["location"]))
    if "date" in changes:
        values["date"] = changes["date"]
        values["date_precision"] = PRECISION.get(len(changes["date"] or ""), "unresolved")
    if "not_event" in changes:
        values["dismissed"] = changes["not_event"]
    conn.execute(update(stories).where(stories.c.id == bindparam("sid")), dict(sid=story_id, **values))


def record(conn: Connection, writer, story_id: str, changes: dict, who: str, why: str, at: str) -> None:
    """Apply a correction and keep it in the history with what it replaced."""
    changes = validate(changes)
    before = {k: v for k, v in _current(conn, story_id).items() if k in changes}
    apply(conn, writer, story_id, changes)
    conn.execute(insert(corrections), dict(story_id=story_id, who=who, at=at, why=why,
                                           changes=json.dumps(changes), before=json.dumps(before)))


def any_stored(conn: Connection) -> bool:
    """Has any story been corrected at all? (Most stores: none, and no story needs a look.)"""
    return conn.execute(select(corrections.c.id).limit(1)).first() is not None


def reapply(conn: Connection, writer, story_id: str) -> None:
    """After a story was recomputed from its mentions, put its corrections back, oldest first."""
    q = select(corrections.c.changes).where(corrections.c.story_id == story_id).order_by(corrections.c.id)
    for (changes,) in conn.execute(q).all():
        apply(conn, writer, story_id, json.loads(changes))


def history(conn: Connection, story_id: str) -> list[dict]:
    q = select(corrections).where(corrections.c.story_id == story_id).order_by(corrections.c.id)
    return [{"id": r.id, "who": r.who, "at": r.at, "why": r.why, "changes": json.loads(r.changes),
             "before": json.loads(r.before)} for r in conn.execute(q)]
