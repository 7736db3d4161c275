"""Write story events in standard event-data formats: jsonl, csv, parquet, gdelt, polecat.

A *story event* is one event as reported by one or more documents (the store produces them; see
docs/export.md for the record and for every column written). Formats live in a registry,
`FORMATS`, filled by the `@register` decorator; `write()` looks a format up by name:

    from communique.export import write
    write(records, "gdelt", "events.tsv")          # a path
    write(records, "jsonl", sys.stdout)            # or a text stream (all but parquet)

Nothing here touches a database: records in, file out.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from .lexicon import LexiconError, load_yaml

Record = dict[str, Any]
Out = str | os.PathLike | IO[str]


# --- registry -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Format:
    name: str
    writer: Callable[..., int]      # writer(records, out, **options) -> number of records written
    needs_path: bool = False        # True: the writer gets a Path (binary formats); else a text stream
    options: tuple[str, ...] = ()   # keyword options the writer accepts
    description: str = ""


FORMATS: dict[str, Format] = {}


def register(name: str, *, needs_path: bool = False, options: tuple[str, ...] = (),
             description: str = "") -> Callable:
    """Add a writer to FORMATS under `name` (decorator)."""
    def add(writer: Callable[..., int]) -> Callable[..., int]:
        FORMATS[name] = Format(name, writer, needs_path, options, description)
        return writer
    return add


def write(records: Iterable[Record], fmt: str, out: Out, **options: Any) -> int:
    """Write `records` in format `fmt` to `out` (a path, or a text stream for every format but
    parquet). Returns the number of records written. Options: gdelt takes `header=False`."""
    try:
        f = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; known formats: "
                         f"{', '.join(sorted(FORMATS))}") from None
    unknown = sorted(set(options) - set(f.options))
    if unknown:
        takes = ", ".join(f.options) or "no options"
        raise ValueError(f"export format {fmt!r} does not take {', '.join(unknown)} (it takes {takes})")
    is_path = isinstance(out, (str, os.PathLike))
    if f.needs_path:
        if not is_path:
            raise ValueError(f"export format {fmt!r} writes a binary file: give a path, not a stream")
        return f.writer(records, Path(out), **options)
    if is_path:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return f.writer(records, fh, **options)
    return f.writer(records, out, **options)


# --- knowledge files ----------------------------------------------------------------------------

def _require(relpath: str, keys: tuple[str, ...]) -> dict:
    data = load_yaml(relpath)
    missing = [k for k in keys if k not in data]
    if missing:
        raise LexiconError(f"data/{relpath}: missing {', '.join(missing)}")
    return data


@lru_cache(maxsize=1)
def _gdelt_tables() -> dict:
    return _require("export/gdelt.yaml", ("quad_class", "cameo_type", "geo_type", "us_country",
                                          "admin1_not_fips", "palestine", "fips"))


@lru_cache(maxsize=1)
def _polecat_tables() -> dict:
    return _require("export/polecat.yaml", ("sector", "no_country", "igo_names", "country",
                                            "add_sector", "type_quad", "cow"))


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return {c["code"]: c["name"] for c in load_yaml("actors/countries.yaml").get("countries", [])}


@lru_cache(maxsize=1)
def _version() -> str:
    try:
        return metadata.version("communique")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


# --- shared helpers -----------------------------------------------------------------------------

def _day(value: Any) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _quad(record: Record) -> int | None:
    """Quad class from the CAMEO root, or (no CAMEO code) from the PLOVER type."""
    root = (record.get("cameo") or "")[:2]
    quad = _gdelt_tables()["quad_class"].get(root)
    return quad if quad is not None else _polecat_tables()["type_quad"].get(record.get("type"))


def _source_url(record: Record) -> str | None:
    """The URL of the earliest-published mention (GDELT's SOURCEURL is the first report seen),
    else the representative mention's URL."""
    dated = [m for m in record.get("mentions") or [] if m.get("url") and m.get("published")]
    if dated:
        return min(dated, key=lambda m: str(m["published"]))["url"]
    return record.get("url")


def _lead(record: Record) -> dict | None:
    """The representative mention: the one flagged lead, else the one whose URL is the
    record's, else the first."""
    mentions = record.get("mentions") or []
    return (next((m for m in mentions if m.get("lead")), None)
            or next((m for m in mentions if m.get("url") and m["url"] == record.get("url")), None)
            or next(iter(mentions), None))


def _site(record: Record) -> str | None:
    """The representative mention's site, else the first site any mention has."""
    lead = _lead(record) or {}
    return lead.get("site") or next((m["site"] for m in record.get("mentions") or []
                                     if m.get("site")), None)


# --- flat columns: csv and parquet --------------------------------------------------------------

# name -> type: str, date (ISO text; a date in parquet), float, int, bool
FLAT_COLUMNS: dict[str, str] = {
    "event_id": "str", "date": "date", "date_precision": "str", "type": "str", "mode": "str",
    "contexts": "str", "cameo": "str", "intensity": "float",
    "source_name": "str", "source_country": "str", "source_sectors": "str",
    "target_name": "str", "target_country": "str", "target_sectors": "str",
    "place": "str", "place_country": "str", "admin1": "str", "lat": "float", "lon": "float",
    "geo_precision": "str", "fatalities": "int", "injuries": "int",
    "negated": "bool", "hypothetical": "bool", "confidence": "float",
    "num_sources": "int", "num_documents": "int", "num_mentions": "int",
    "first_seen": "date", "last_seen": "date", "url": "str", "sentence": "str",
}


def _joined(values: Iterable[str] | None) -> str | None:
    return ";".join(values) if values else None


def flat_row(record: Record) -> dict[str, Any]:
    """The record as the flat columns of FLAT_COLUMNS (lists joined with ';'; missing is None)."""
    src = record.get("source") or {}
    tgt = record.get("target") or {}
    loc = record.get("location") or {}
    return {
        "event_id": record.get("event_id"),
        "date": record.get("date"),
        "date_precision": record.get("date_precision"),
        "type": record.get("type"),
        "mode": record.get("mode"),
        "contexts": _joined(record.get("contexts")),
        "cameo": record.get("cameo"),
        "intensity": record.get("intensity"),
        "source_name": src.get("name") or src.get("text"),
        "source_country": src.get("country"),
        "source_sectors": _joined(src.get("sectors")),
        "target_name": tgt.get("name") or tgt.get("text"),
        "target_country": tgt.get("country"),
        "target_sectors": _joined(tgt.get("sectors")),
        "place": loc.get("name"),
        "place_country": loc.get("country"),
        "admin1": loc.get("admin1"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "geo_precision": loc.get("precision"),
        "fatalities": record.get("fatalities"),
        "injuries": record.get("injuries"),
        "negated": record.get("negated"),
        "hypothetical": record.get("hypothetical"),
        "confidence": record.get("confidence"),
        "num_sources": record.get("num_sources"),
        "num_documents": record.get("num_documents"),
        "num_mentions": record.get("num_mentions"),
        "first_seen": record.get("first_seen"),
        "last_seen": record.get("last_seen"),
        "url": record.get("url"),
        "sentence": record.get("sentence"),
    }


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@register("csv", description="flat columns with a header row, UTF-8, comma-separated")
def _write_csv(records: Iterable[Record], fh: IO[str]) -> int:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(FLAT_COLUMNS)
    n = 0
    for r in records:
        w.writerow([_csv_cell(v) for v in flat_row(r).values()])
        n += 1
    return n


def _parquet_schema():
    import pyarrow as pa

    types = {"str": pa.string(), "date": pa.date32(), "float": pa.float64(),
             "int": pa.int64(), "bool": pa.bool_()}
    return pa.schema([pa.field(name, types[kind], nullable=True) for name, kind in FLAT_COLUMNS.items()])


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "str": lambda v: v if v is None else str(v),
    "date": _day,
    "float": lambda v: v if v is None else float(v),
    "int": lambda v: v if v is None else int(v),
    "bool": lambda v: v if v is None else bool(v),
}

PARQUET_BATCH = 10_000


def _batches(records: Iterable[Record], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for r in records:
        row = flat_row(r)
        batch.append({k: _CONVERT[FLAT_COLUMNS[k]](v) for k, v in row.items()})
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@register("parquet", needs_path=True, description="flat columns with types, one Parquet file")
def _write_parquet(records: Iterable[Record], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    n = 0
    with pq.ParquetWriter(path, schema) as pw:
        for batch in _batches(records, PARQUET_BATCH):
            pw.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
        if n == 0:
            pw.write_table(schema.empty_table())
    return n


# --- jsonl --------------------------------------------------------------------------------------

@register("jsonl", description="the records as they are, one JSON object a line")
def _write_jsonl(records: Iterable[Record], fh: IO[str]) -> int:
    n = 0
    for r in records:
        fh.write(json.dumps(r, ensure_ascii=False, default=str))
        fh.write("\n")
        n += 1
    return n


# --- gdelt --------------------------------------------------------------------------------------

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


def _country_name(iso3: str | None) -> str | None:
    return _country_names().get(iso3, iso3) if iso3 else None


def _cameo_types(sectors: Iterable[str] | None) -> list[str]:
    table = _gdelt_tables()["cameo_type"]
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
    name = (actor.get("name") or actor.get("role") or _country_name(actor.get("country"))
            or actor.get("text") or "")
    return [country + "".join(types), name.upper(), country, "", "", "", "",
            *(types + ["", "", ""])[:3]]


def _fips(loc: dict) -> str | None:
    g = _gdelt_tables()
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
    if loc.get("country") in _gdelt_tables()["admin1_not_fips"] or not _ADMIN1.match(admin1):
        return ""
    return fips + admin1


def _gdelt_geo(loc: dict | None) -> list[str]:
    g = _gdelt_tables()
    precision = (loc or {}).get("precision")
    types = g["geo_type"].get(precision)
    if not loc or not types or (not loc.get("country") and precision != "place"):
        # nothing GDELT can express: no location, or an area in no country ("the Middle East")
        return ["0"] + [""] * (len(_GEO) - 1)
    geo_type = types[1] if loc.get("country") == g["us_country"] else types[0]
    fips = _fips(loc)
    country = _country_name(loc.get("country"))
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
    d = _day(record.get("date")) or _day(record.get("first_seen"))
    cameo = record.get("cameo") or ""
    root = cameo[:2]
    quad = _gdelt_tables()["quad_class"].get(root)
    added = _day(record.get("last_seen")) or _day(record.get("first_seen"))
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
        _text(_source_url(record)),
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


# --- polecat ------------------------------------------------------------------------------------

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
    p = _polecat_tables()
    iso3 = actor.get("country")
    if iso3:
        return p["country"].get(iso3, iso3)
    if actor.get("name") in p["igo_names"]:
        return p["igo_names"][actor["name"]]
    return next((p["no_country"][s] for s in actor.get("sectors") or [] if s in p["no_country"]), None)


def _plover_sectors(actor: dict) -> list[str]:
    p = _polecat_tables()
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
        f"{role}_cow": _polecat_tables()["cow"].get(a.get("country")),
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
        "country": _country_name(loc.get("country")),
        "latitude": loc.get("lat"),
        "longitude": loc.get("lon"),
        "geonames_id": loc.get("geonameid"),
        "raw_placename": None,
        "feature_type": None,
    }


def polecat_record(record: Record) -> dict[str, Any]:
    """The record as a POLECAT-style PLOVER record (fields in POLECAT_FIELDS order)."""
    loc = record.get("location") or {}
    lead = _lead(record) or {}
    out = {
        "event_id": record.get("event_id"),
        "event_date": record.get("date"),
        "event_type": record.get("type"),
        "event_mode": record.get("mode"),
        "event_intensity": record.get("intensity"),
        "quad_code": _quad(record),
        "contexts": list(record.get("contexts") or []),
        **_polecat_actor("actor", record.get("source"), lead.get("source_text")),
        **_polecat_actor("recipient", record.get("target"), lead.get("target_text")),
        **_polecat_place(record.get("location")),
        "source": _site(record),
        "publication_date": record.get("first_seen"),
        "story_people": None,
        "story_organizations": None,
        "story_locations": None,
        "language": None,
        "version": f"communique-{_version()}",
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
