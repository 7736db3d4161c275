"""One event, many sources: which stored story a newly coded event belongs to.

Two mentions are the same story when they have the same type, the same dyad (each side's
country, or its name when it has none; either order for mutual types such as CONSULT), the same
negation and hypothetical flags, dates at most a day apart, and places within 50 km, or one
place inside the other's admin unit (a report that says only "in Helmand" or "in Afghanistan").
A mention with no place matches on the rest. In violent and coercive events, a side that one
report leaves unknown ("seven policemen were killed") matches any, but only when both mentions
have places that match: an attack on the same day and spot is the same attack whoever one
report says did it. Elsewhere an unknown side is a coding gap, not a reporting habit, and
matches only another unknown side.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import RECIPROCAL_TYPES

MAX_KM = 50.0
MAX_DAYS = 1
OPEN_SIDED = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "PROTEST"})  # unknown perpetrators are common
COARSE = {"admin1": 1, "region": 1, "country": 0}  # precision -> how much of the place to compare


@dataclass
class Spot:
    """The parts of a place that matching needs."""

    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    precision: str


def actor_key(actor: dict | None) -> str:
    if not actor:
        return ""
    return actor.get("country") or (actor.get("name") or actor.get("text") or "").lower()


def dyad(etype: str, source: dict | None, target: dict | None) -> tuple[str, str]:
    """The dyad as matched; mutual types in a fixed order."""
    src, tgt = actor_key(source), actor_key(target)
    if etype in RECIPROCAL_TYPES and src and tgt and tgt < src:
        return tgt, src
    return src, tgt


def km(a: Spot, b: Spot) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _inside(coarse: Spot, fine: Spot) -> bool:
    level = COARSE.get(coarse.precision)
    if level is None or coarse.country != fine.country:
        return False
    return level == 0 or (coarse.admin1 is not None and coarse.admin1 == fine.admin1)


def place_distance(a: Spot | None, b: Spot | None) -> float | None:
    """0 for places that are the same for matching, km otherwise; None when they are apart."""
    if a is None or b is None:
        return 0.0
    if _inside(a, b) or _inside(b, a):
        return 0.0
    if None in (a.lat, a.lon, b.lat, b.lon):
        return 0.0 if (a.country, a.admin1) == (b.country, b.admin1) else None
    d = km(a, b)
    return d if d <= MAX_KM else None


def date_window(day: str | None) -> tuple[str, str] | None:
    if not day or len(day) != 10:
        return None
    d = date.fromisoformat(day)
    return (d - timedelta(days=MAX_DAYS)).isoformat(), (d + timedelta(days=MAX_DAYS)).isoformat()


def day_gap(a: str | None, b: str | None) -> int:
    if not a or not b or len(a) != 10 or len(b) != 10:
        return 0
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
