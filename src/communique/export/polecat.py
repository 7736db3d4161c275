"""POLECAT-style PLOVER records, one JSON object a line (data/export/polecat.yaml maps codes)."""
from __future__ import annotations

import json
from typing import IO, Any, Iterable

from .common import country_name, lead_mention, package_version, polecat_tables, quad_class, record_site
from .formats import Record, register


POLECAT_FIELDS: list[str] = [
    # the columns of the weekly POLECAT release, snake_cased
    "event_id", "event_date", "event_type", "event_mode", "event_intensity", "quad_code", "contexts",
    "actor_name", "actor_country", "actor_cow", "primary_actor_sector", "actor_sectors",
    "actor_title", "actor_name_raw", "wikipedia_actor_id",
    "recipient_name", "recipient_country", "recipient_cow", "primary_recipient_sector",
    "recipient_sectors", "recipient_title", "recipient_name_raw", "wikipedia_recipient_id",
    "placename", "city", "district", "province", "country", "latitude", "longitude",
    "geonames_id", "raw_placename", "feature_type",
    "source", "publication_date", "story_people", "story_organizations", "story_locations",
    "language", "version",
    # Communique's own, beyond POLECAT's (PLOVER allows named extra fields)
    "country_code", "geo_precision", "date_precision", "dead", "injured", "negated",
    "hypothetical", "confidence", "num_sources", "num_documents", "num_mentions", "url",
    "event_text",
]


def _plover_country(actor: dict) -> str | None:
    p = polecat_tables()
    iso3 = actor.get("country")
    if iso3:
        return p["country"].get(iso3, iso3)
    if actor.get("name") in p["igo_names"]:
        return p["igo_names"][actor["name"]]
    return next((p["no_country"][s] for s in actor.get("sectors") or [] if s in p["no_country"]), None)


def _plover_sectors(actor: dict) -> list[str]:
    p = polecat_tables()
    out: list[str] = []
    extra = p["add_sector"].get(actor.get("country"))
    for s in [*(p["sector"].get(s) for s in actor.get("sectors") or []), extra]:
        if s and s not in out:
            out.append(s)
    return out


def _polecat_actor(role: str, actor: dict | None, raw: str | None) -> dict[str, Any]:
    a = actor or {}
    sectors = _plover_sectors(a)
    return {
        f"{role}_name": a.get("name"),
        f"{role}_country": _plover_country(a) if actor else None,
        f"{role}_cow": polecat_tables()["cow"].get(a.get("country")),
        f"primary_{role}_sector": sectors[0] if sectors else None,
        f"{role}_sectors": sectors,
        f"{role}_title": a.get("role"),
        f"{role}_name_raw": (a.get("text") or raw) if actor else None,
        f"wikipedia_{role}_id": None,
    }


def _polecat_place(loc: dict | None) -> dict[str, Any]:
    loc = loc or {}
    precision = loc.get("precision")
    name = loc.get("name")
    return {
        "placename": name,
        "city": name if precision == "place" else None,
        "district": name if precision == "admin2" else None,
        "province": name if precision == "admin1" else None,
        "country": country_name(loc.get("country")),
        "latitude": loc.get("lat"),
        "longitude": loc.get("lon"),
        "geonames_id": loc.get("geonameid"),
        "raw_placename": None,
        "feature_type": None,
    }


def polecat_record(record: Record) -> dict[str, Any]:
    """The record as a POLECAT-style PLOVER record (fields in POLECAT_FIELDS order)."""
    loc = record.get("location") or {}
    lead = lead_mention(record) or {}
    out = {
        "event_id": record.get("event_id"),
        "event_date": record.get("date"),
        "event_type": record.get("type"),
        "event_mode": record.get("mode"),
        "event_intensity": record.get("intensity"),
        "quad_code": quad_class(record),
        "contexts": list(record.get("contexts") or []),
        **_polecat_actor("actor", record.get("source"), lead.get("source_text")),
        **_polecat_actor("recipient", record.get("target"), lead.get("target_text")),
        **_polecat_place(record.get("location")),
        "source": record_site(record),
        "publication_date": record.get("first_seen"),
        "story_people": None,
        "story_organizations": None,
        "story_locations": None,
        "language": None,
        "version": f"communique-{package_version()}",
        "country_code": loc.get("country"),
        "geo_precision": loc.get("precision"),
        "date_precision": record.get("date_precision"),
        "dead": record.get("fatalities"),
        "injured": record.get("injuries"),
        "negated": record.get("negated"),
        "hypothetical": record.get("hypothetical"),
        "confidence": record.get("confidence"),
        "num_sources": record.get("num_sources"),
        "num_documents": record.get("num_documents"),
        "num_mentions": record.get("num_mentions"),
        "url": record.get("url"),
        "event_text": record.get("sentence"),
    }
    return {k: out[k] for k in POLECAT_FIELDS}


@register("polecat", description="POLECAT-style PLOVER records, one JSON object a line")
def _write_polecat(records: Iterable[Record], fh: IO[str]) -> int:
    n = 0
    for r in records:
        fh.write(json.dumps(polecat_record(r), ensure_ascii=False, default=str))
        fh.write("\n")
        n += 1
    return n
