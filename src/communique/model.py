"""Typed records that pass between the pipeline stages."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date

# The sixteen PLOVER event types, cooperative to conflictual.
PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")

# PLOVER types that are mutual by nature: "A met B" is "B met A" (the scoring contract agrees).
RECIPROCAL_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})


@dataclass
class Document:
    """One report as given: raw text (offsets refer to it) and its metadata."""

    id: str
    text: str
    published: date | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    site: str | None = None
    language: str | None = None
    source: str | None = None  # where it was read from: a path, "path:line", a feed or WARC record
    raw: str | None = None  # the page's HTML when `text` was extracted from it
    path: str | None = None  # the file it came from, absolute, when it is a file of its own

    @property
    def identity(self) -> str:
        """What makes two inputs the same document: its URL, else its file, else its id."""
        return self.url or (f"file:{self.path}" if self.path else f"id:{self.id}")

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text: the same text gives the same hash whatever its metadata."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class Segment:
    """A stretch of body text kept by `clean`: [start, end) in the raw text."""

    start: int
    end: int


@dataclass
class Cleaned:
    document: Document
    segments: list[Segment]
    body_start: int
    body_end: int
    dateline: str | None = None  # the first paragraph's dateline, if any ("TOKYO — ")


@dataclass
class Actor:
    """Who acts or is acted on. `country` is ISO 3166-1 alpha-3, None for international bodies."""

    text: str
    name: str | None = None
    role: str | None = None
    country: str | None = None
    sectors: list[str] = field(default_factory=list)
    kind: str = "state"  # state | person | igo | ngo | armed_group | agent | unidentified | ...
    known: bool = False  # found in the lexicon of office holders: its country is authoritative
    posted: str | None = None  # a diplomat's host country ("the envoy to Kenya"): never its own

    def key(self) -> tuple:
        return (self.name or self.text, self.country)

    def to_dict(self) -> dict:
        return {"text": self.text, "name": self.name, "role": self.role,
                "country": self.country, "sectors": list(self.sectors)}


@dataclass
class Place:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    admin1: str | None = None
    geonameid: int | None = None
    precision: str = "place"  # place | admin2 | admin1 | region | country

    def to_dict(self) -> dict:
        return {"name": self.name, "country": self.country, "admin1": self.admin1,
                "lat": self.lat, "lon": self.lon, "geonameid": self.geonameid,
                "precision": self.precision}


@dataclass
class Event:
    doc_id: str
    type: str
    source: Actor | None
    target: Actor | None
    sentence: str
    char_span: tuple[int, int]
    trigger: str
    rule: str
    mode: str | None = None
    contexts: list[str] = field(default_factory=list)
    cameo: str | None = None
    intensity: float | None = None
    location: Place | None = None
    date: str | None = None
    date_precision: str = "unresolved"
    date_text: str | None = None
    fatalities: int | None = None
    injuries: int | None = None
    negated: bool = False
    hypothetical: bool = False
    confidence: float = 0.5

    @property
    def event_id(self) -> str:
        """Stable across runs: the same document, span, type and dyad give the same id."""
        parts = [self.doc_id, self.type, str(self.char_span[0]), str(self.char_span[1]),
                 self.trigger, *(self._actor_id(a) for a in (self.source, self.target))]
        return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]

    @staticmethod
    def _actor_id(a: Actor | None) -> str:
        return "" if a is None else f"{a.name or a.text}|{a.country or ''}"

    def to_dict(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "event_id": self.event_id,
            "type": self.type,
            "mode": self.mode,
            "contexts": list(self.contexts),
            "cameo": self.cameo,
            "intensity": self.intensity,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "location": self.location.to_dict() if self.location else None,
            "date": self.date,
            "date_precision": self.date_precision,
            "date_text": self.date_text,
            "fatalities": self.fatalities,
            "injuries": self.injuries,
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "confidence": round(self.confidence, 3),
            "sentence": self.sentence,
            "char_span": list(self.char_span),
            "evidence": {"trigger": self.trigger, "rule": self.rule},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)
