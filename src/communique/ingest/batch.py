"""Batches of documents: JSONL (one JSON object a line) and CSV, with the columns
`id, text | html, published, url, title`. A row that cannot be read is reported and skipped;
the rest of the file is still read."""
from __future__ import annotations

import csv
import io
import json
import logging
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from ..model import Document
from .base import InputError, decode, parse_date, read_bytes
from .html import read_html

log = logging.getLogger(__name__)
csv.field_size_limit(64 * 1024 * 1024)


def _row(obj: dict, where: str, fallback_id: str, published: date | None) -> Document:
    """One JSONL object or CSV row as a Document; ValueError/InputError says what is wrong."""
    # A field of the wrong JSON type ({"url": {...}}) is this row's error: passed on, it failed the
    # whole batch's database write.
    for name in ("url", "title", "text", "html"):
        if obj.get(name) is not None and not isinstance(obj[name], str):
            raise ValueError(f'"{name}" is a {type(obj[name]).__name__}, not a string')
    if obj.get("id") is not None and not isinstance(obj["id"], (str, int)):
        raise ValueError(f'"id" is a {type(obj["id"]).__name__}, not a string or number')
    doc_id = str(obj.get("id") or fallback_id)
    pub = parse_date(obj.get("published"), where) or published
    url = obj.get("url") or None
    title = obj.get("title") or None
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str) and text.strip():
        return Document(doc_id, text, pub, url, title, source=where)
    if isinstance(html, str) and html.strip():
        return read_html(html, doc_id, where, url=url, published=pub, title=title)
    raise ValueError('no "text" or "html"')


def _rows(rows, path: Path, published: date | None, report: Callable[[str], None]) -> Iterator[Document]:
    for n, obj in rows:
        where = f"{path}:{n}"
        try:
            if isinstance(obj, Exception):
                raise obj
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
            yield _row(obj, where, f"{path.stem}-{n}", published)
        except (ValueError, InputError) as exc:
            msg = str(exc) if str(exc).startswith(where) else f"{where}: {exc}"
            report(f"{msg} (skipped)")


def read_jsonl(path: Path, published: date | None, report: Callable[[str], None]) -> Iterator[Document]:
    def lines(f):
        for n, raw in enumerate(f, 1):
            if raw.strip():
                try:
                    yield n, json.loads(raw.decode("utf-8"))
                except (ValueError, UnicodeDecodeError) as exc:
                    yield n, ValueError(f"not JSON ({exc})")
                except RecursionError:  # "[[[[..." nested past Python's stack escaped as a crash
                    yield n, ValueError("not JSON (nested too deeply)")

    try:
        with open(path, "rb") as f:
            if not any(line.strip() for line in f):
                raise InputError(f"{path}: empty file")
            f.seek(0)
            yield from _rows(lines(f), path, published, report)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def read_csv(path: Path, published: date | None, report: Callable[[str], None]) -> Iterator[Document]:
    text = decode(read_bytes(path), str(path))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = set(reader.fieldnames or [])
    if not columns & {"text", "html"}:
        raise InputError(f"{path}: CSV has no 'text' or 'html' column (columns: {', '.join(sorted(columns)) or 'none'})")
    # Line numbers: DictReader counts physical lines, so a quoted multi-line text stays one row.
    rows = ((reader.line_num, row) for row in reader)
    yield from _rows(rows, path, published, report)
