"""Reading input: text and HTML files, folders, globs, stdin, JSONL/CSV batches, RSS/Atom feeds
(file or URL) and WARC archives, each by its own reader module.

A source that cannot be read at all raises `InputError` naming it; a record inside a batch,
feed or archive that cannot be read is reported (with its file and line or entry) and skipped,
and so is a document that is not in English or older than `since`.
"""
from __future__ import annotations

import glob
import logging
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from ..model import Document
from . import batch, feeds, html, text, warc
from .base import InputError, parse_date
from .language import not_english

log = logging.getLogger(__name__)

__all__ = ["InputError", "Sources", "documents", "parse_date"]

Reader = Callable[[Path, "date | None", Callable[[str], None]], Iterator[Document]]


def _one(read) -> Reader:
    def reader(path, published, report):
        doc = read(path, published)
        doc.path = doc.path or str(path.resolve())  # a file of its own is known by where it is
        yield doc
    return reader


# File kinds by suffix; a folder is read recursively for these.
READERS: dict[str, Reader] = {
    ".txt": _one(text.read_file), ".text": _one(text.read_file), ".md": _one(text.read_file),
    ".html": _one(html.read_file), ".htm": _one(html.read_file), ".xhtml": _one(html.read_file),
    ".jsonl": batch.read_jsonl, ".ndjson": batch.read_jsonl, ".csv": batch.read_csv,
    ".rss": feeds.read_file, ".atom": feeds.read_file, ".xml": feeds.read_file,
    ".warc": warc.read_file, ".warc.gz": warc.read_file,
}


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def _sniff(path: Path) -> Reader:
    """The reader for a file named without a known suffix, from its first bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(2048)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if feeds.looks_like_feed(head):
        return feeds.read_file
    lower = head.lower()
    if b"<html" in lower or b"<!doctype html" in lower:
        return _one(html.read_file)
    if head.startswith(b"WARC/") or head[:2] == b"\x1f\x8b":
        return warc.read_file
    return _one(text.read_file)


class Sources:
    """What was read from a set of inputs, with the problems and skips kept for the summary."""

    def __init__(self, inputs: list[str], published: date | None = None, since: date | None = None,
                 english_only: bool = True, keep_going: bool = False):
        self.inputs, self.published, self.since = inputs, published, since
        self.english_only = english_only
        self.keep_going = keep_going  # an unreadable input is reported and the next one read
        self.failed: list[str] = []   # unreadable records, each "where: why"
        self.skipped: list[str] = []  # readable but left out (language, date)

    def _report(self, message: str) -> None:
        log.error(message)
        self.failed.append(message)

    def _files(self, item: str) -> Iterator[Path]:
        if any(ch in item for ch in "*?["):
            matches = sorted(Path(p) for p in glob.glob(item, recursive=True))
            files = [p for p in matches if p.is_file()]
            if not files:
                raise InputError(f"{item}: no file matches this pattern")
            yield from files
            return
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _suffix(p) in READERS)
            if not files:
                raise InputError(f"{path}: folder has no files of a known kind ({', '.join(sorted(READERS))})")
            yield from files
        elif not path.exists():
            raise InputError(f"{path}: no such file")
        else:
            yield path

    def _item(self, item: str) -> Iterator[Document]:
        if item == "-":
            yield text.read_stdin(self.published)
        elif item.startswith(("http://", "https://")):
            yield from feeds.read_url(item, self.published, self._report)
        else:
            for path in self._files(item):
                reader = READERS.get(_suffix(path)) or _sniff(path)
                try:
                    yield from reader(path, self.published, self._report)
                except InputError as exc:
                    if not self.keep_going:
                        raise
                    self._report(str(exc))

    def _read(self) -> Iterator[Document]:
        for item in self.inputs:
            try:
                yield from self._item(item)
            except InputError as exc:
                if not self.keep_going:
                    raise
                self._report(str(exc))

    def __iter__(self) -> Iterator[Document]:
        for doc in self._read():
            if self.since and doc.published and doc.published < self.since:
                self.skipped.append(f"{doc.source or doc.id}: published {doc.published}, before {self.since}")
                continue
            if self.english_only:
                why = not_english(doc.text)
                if why:
                    self.skipped.append(f"{doc.source or doc.id}: {why}")
                    log.info("skipped %s: %s", doc.source or doc.id, why)
                    continue
            doc.language = doc.language or "en"
            yield doc


def documents(inputs: list[str], published: date | None = None, errors: list[str] | None = None) -> Iterator[Document]:
    """Documents from the inputs (see `Sources`); unreadable records are appended to `errors`."""
    sources = Sources(inputs, published)
    try:
        yield from sources
    finally:
        if errors is not None:
            errors.extend(sources.failed + sources.skipped)
