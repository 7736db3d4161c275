"""Reading input: text files, stdin, folders of .txt, and JSONL batches of documents.

Every failure names the input (and line) in a `InputError`; a JSONL line that cannot be read
is reported and skipped, and the rest of the file is processed.
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Iterator

from .model import Document

log = logging.getLogger(__name__)

MAX_BYTES = 50 * 1024 * 1024  # one document larger than this is refused, not parsed for minutes


class InputError(Exception):
    """An input that cannot be read at all (exit code 2)."""


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (invalid byte at offset {exc.start})") from None


def parse_date(value, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"{where}: published {value!r} is not a YYYY-MM-DD date") from None


def read_text(path: Path, published: date | None) -> Document:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: {size} bytes is over the {MAX_BYTES} byte limit for one document")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return Document(path.stem, _decode(data, str(path)), published)


def read_jsonl(path: Path, published: date | None, errors: list[str]) -> Iterator[Document]:
    try:
        f = open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with f:
        any_line = False
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            any_line = True
            where = f"{path}:{n}"
            try:
                obj = json.loads(raw.decode("utf-8"))
                if not isinstance(obj, dict):
                    raise ValueError("not a JSON object")
                text = obj.get("text")
                if not isinstance(text, str) or not text.strip():
                    raise ValueError("no \"text\"")
                doc_id = str(obj.get("id") or f"{path.stem}-{n}")
                pub = parse_date(obj.get("published"), where) or published
            except (ValueError, UnicodeDecodeError, InputError) as exc:
                msg = f"{where}: skipped: {exc}"
                log.error(msg)
                errors.append(msg)
                continue
            yield Document(doc_id, text, pub, obj.get("url"), obj.get("title"))
        if not any_line:
            raise InputError(f"{path}: empty file")


def documents(inputs: list[str], published: date | None = None, errors: list[str] | None = None) -> Iterator[Document]:
    """Documents from files, folders (their .txt and .jsonl files), and "-" (stdin)."""
    errors = errors if errors is not None else []
    for item in inputs:
        if item == "-":
            yield Document("stdin", _decode(sys.stdin.buffer.read(), "<stdin>"), published)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix in (".txt", ".jsonl") and p.is_file())
            if not files:
                raise InputError(f"{path}: folder has no .txt or .jsonl files")
            for p in files:
                yield from documents([str(p)], published, errors)
        elif not path.exists():
            raise InputError(f"{path}: no such file")
        elif path.suffix == ".jsonl":
            yield from read_jsonl(path, published, errors)
        else:
            yield read_text(path, published)
