"""What several formats read: the export tables of data/export, and fields of a story-event
record (its day, quad class, first URL, representative mention and site)."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import metadata
from typing import Any

from ..lexicon import LexiconError, load_yaml
from .formats import Record


def _require(relpath: str, keys: tuple[str, ...]) -> dict:
    data = load_yaml(relpath)
    missing = [k for k in keys if k not in data]
    if missing:
        raise LexiconError(f"data/{relpath}: missing {', '.join(missing)}")
    return data


@lru_cache(maxsize=1)
def gdelt_tables() -> dict:
    return _require("export/gdelt.yaml", ("quad_class", "cameo_type", "geo_type", "us_country",
                                          "admin1_not_fips", "palestine", "fips"))


@lru_cache(maxsize=1)
def polecat_tables() -> dict:
    return _require("export/polecat.yaml", ("sector", "no_country", "igo_names", "country",
                                            "add_sector", "type_quad", "cow"))


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    return {c["code"]: c["name"] for c in load_yaml("actors/countries.yaml").get("countries", [])}


def country_name(iso3: str | None) -> str | None:
    return country_names().get(iso3, iso3) if iso3 else None


@lru_cache(maxsize=1)
def package_version() -> str:
    try:
        return metadata.version("communique")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def as_date(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def quad_class(record: Record) -> int | None:
    """Quad class from the CAMEO root, or (no CAMEO code) from the PLOVER type."""
    root = (record.get("cameo") or "")[:2]
    quad = gdelt_tables()["quad_class"].get(root)
    return quad if quad is not None else polecat_tables()["type_quad"].get(record.get("type"))


def source_url(record: Record) -> str | None:
    """The URL of the earliest-published mention (GDELT's SOURCEURL is the first report seen),
    else the representative mention's URL."""
    dated = [m for m in record.get("mentions") or [] if m.get("url") and m.get("published")]
    if dated:
        return min(dated, key=lambda m: str(m["published"]))["url"]
    return record.get("url")


def lead_mention(record: Record) -> dict | None:
    """The representative mention: the one flagged lead, else the one whose URL is the
    record's, else the first."""
    mentions = record.get("mentions") or []
    return (next((m for m in mentions if m.get("lead")), None)
            or next((m for m in mentions if m.get("url") and m["url"] == record.get("url")), None)
            or next(iter(mentions), None))


def record_site(record: Record) -> str | None:
    """The representative mention's site, else the first site any mention has."""
    lead = lead_mention(record) or {}
    return lead.get("site") or next((m["site"] for m in record.get("mentions") or []
                                     if m.get("site")), None)
