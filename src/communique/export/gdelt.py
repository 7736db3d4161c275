"""The GDELT 2.0 Event table: 61 tab-separated fields a row (data/export/gdelt.yaml maps codes)."""
from __future__ import annotations

import hashlib
import re
from typing import IO, Any, Iterable

from .common import as_date, country_name, gdelt_tables, source_url
from .formats import Record, register


_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")

GDELT_COLUMNS: list[str] = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{f}" for f in _ACTOR), *(f"Actor2{f}" for f in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{f}" for f in _GEO), *(f"Actor2Geo_{f}" for f in _GEO),
    *(f"ActionGeo_{f}" for f in _GEO),
    "DATEADDED", "SOURCEURL",
]
assert len(GDELT_COLUMNS) == 61


def global_event_id(event_id: str) -> int:
    """A stable 63-bit integer for GLOBALEVENTID: the first 8 bytes of SHA-256(event_id)."""
    return int.from_bytes(hashlib.sha256(event_id.encode("utf-8")).digest()[:8], "big") >> 1


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _cameo_types(sectors: Iterable[str] | None) -> list[str]:
    table = gdelt_tables()["cameo_type"]
    out: list[str] = []
    for s in sectors or []:
        code = table.get(s)
        if code and code not in out:
            out.append(code)
    return out[:3]


def _gdelt_actor(actor: dict | None) -> list[str]:
    if not actor:
        return [""] * len(_ACTOR)
    country = actor.get("country") or ""
    types = _cameo_types(actor.get("sectors"))
    name = (actor.get("name") or actor.get("role") or country_name(actor.get("country"))
            or actor.get("text") or "")
    return [country + "".join(types), name.upper(), country, "", "", "", "",
            *(types + ["", "", ""])[:3]]


def _fips(loc: dict) -> str | None:
    g = gdelt_tables()
    iso3 = loc.get("country")
    pal = g["palestine"]
    if iso3 == pal["country"]:
        by_admin1 = pal["admin1"].get(loc.get("admin1"))
        if by_admin1:
            return by_admin1
        lon = loc.get("lon")
        return pal["west"] if lon is not None and lon < pal["west_of_lon"] else pal["east"]
    return g["fips"].get(iso3) if iso3 else None


_ADMIN1 = re.compile(r"^[A-Z0-9]{2}$")


def _adm1(loc: dict, fips: str | None) -> str:
    admin1 = str(loc.get("admin1") or "")
    if not fips or not admin1:
        return ""
    if admin1 == fips:  # Palestine: the GeoNames admin1 is the FIPS country code itself
        return fips
    if loc.get("country") in gdelt_tables()["admin1_not_fips"] or not _ADMIN1.match(admin1):
        return ""
    return fips + admin1


def _gdelt_geo(loc: dict | None) -> list[str]:
    g = gdelt_tables()
    precision = (loc or {}).get("precision")
    types = g["geo_type"].get(precision)
    if not loc or not types or (not loc.get("country") and precision != "place"):
        # nothing GDELT can express: no location, or an area in no country ("the Middle East")
        return ["0"] + [""] * (len(_GEO) - 1)
    geo_type = types[1] if loc.get("country") == g["us_country"] else types[0]
    fips = _fips(loc)
    country = country_name(loc.get("country"))
    name = loc.get("name")
    if geo_type == 1:
        full, adm1, feature = country or name, fips or "", fips or ""
    else:
        # GDELT writes "City, State, Country"; we know no division names, so "Place, Country"
        full = ", ".join(dict.fromkeys(p for p in (name, country) if p))
        adm1 = _adm1(loc, fips)
        feature = adm1 if geo_type in (2, 5) else ""  # places: GDELT's GNS/GNIS id, which we lack
    return [str(geo_type), full or "", fips or "", adm1, "", _text(loc.get("lat")),
            _text(loc.get("lon")), feature]


def _is_root(record: Record) -> str:
    """1 when some document reports the event in its opening sentence (our stand-in for GDELT's
    "lead paragraph"), else 0."""
    lead = any((m.get("char_span") or [None])[0] == 0 for m in record.get("mentions") or [])
    return "1" if lead else "0"


def gdelt_row(record: Record) -> list[str]:
    """The record as the 61 fields of a GDELT 2.0 Event table row (strings; empty = no value)."""
    d = as_date(record.get("date")) or as_date(record.get("first_seen"))
    cameo = record.get("cameo") or ""
    root = cameo[:2]
    quad = gdelt_tables()["quad_class"].get(root)
    added = as_date(record.get("last_seen")) or as_date(record.get("first_seen"))
    return [
        str(global_event_id(str(record.get("event_id") or ""))),
        d.strftime("%Y%m%d") if d else "",
        d.strftime("%Y%m") if d else "",
        str(d.year) if d else "",
        f"{d.year + ((d.month - 1) * 30 + d.day) / 365:.4f}" if d else "",
        *_gdelt_actor(record.get("source")),
        *_gdelt_actor(record.get("target")),
        _is_root(record),
        cameo,
        cameo[:3] if len(cameo) > 3 else cameo,
        root,
        _text(quad),
        _text(record.get("intensity")),
        _text(record.get("num_mentions")),
        _text(record.get("num_sources")),
        _text(record.get("num_documents")),
        "",  # AvgTone: we do not measure tone
        *_gdelt_geo(None),  # Actor1Geo: we do not place actors
        *_gdelt_geo(None),  # Actor2Geo
        *_gdelt_geo(record.get("location")),
        added.strftime("%Y%m%d000000") if added else "",
        _text(source_url(record)),
    ]


_TSV_UNSAFE = re.compile(r"[\t\r\n]+")


@register("gdelt", options=("header",),
          description="GDELT 2.0 Event table: 61 tab-separated fields, no header by default")
def _write_gdelt(records: Iterable[Record], fh: IO[str], header: bool = False) -> int:
    if header:
        fh.write("\t".join(GDELT_COLUMNS) + "\n")
    n = 0
    for r in records:
        fh.write("\t".join(_TSV_UNSAFE.sub(" ", v) for v in gdelt_row(r)) + "\n")
        n += 1
    return n
