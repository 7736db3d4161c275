"""Flat columns (csv and parquet), and jsonl: the records as they are."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from .common import as_date
from .formats import Record, register


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
    "date": as_date,
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


@register("jsonl", description="the records as they are, one JSON object a line")
def _write_jsonl(records: Iterable[Record], fh: IO[str]) -> int:
    n = 0
    for r in records:
        fh.write(json.dumps(r, ensure_ascii=False, default=str))
        fh.write("\n")
        n += 1
    return n
