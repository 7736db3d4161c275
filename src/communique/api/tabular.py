"""Lists as JSON or CSV (`?format=csv`), the same rows either way."""
from __future__ import annotations

import csv
import io
import json

from fastapi.responses import JSONResponse, Response


def _cell(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def flatten(row: dict, prefix: str = "") -> dict:
    """Nested objects become prefixed columns (source.country -> source_country)."""
    out = {}
    for key, value in row.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}_"))
        else:
            out[f"{prefix}{key}"] = _cell(value)
    return out


def csv_response(rows: list[dict], name: str) -> Response:
    flat = [flatten(r) for r in rows]
    columns: list[str] = []
    for r in flat:
        columns += [c for c in r if c not in columns]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(flat)
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def respond(payload: dict, rows_key: str, fmt: str, name: str):
    if fmt == "csv":
        return csv_response(payload[rows_key], name)
    return JSONResponse(payload)
