"""RSS and Atom feeds (feedparser), from a file or a URL: one document per entry.

An entry's full content is used when the feed carries it, else its summary; either is HTML,
turned into paragraphs of text. The entry's own date is the base for relative dates.
"""
from __future__ import annotations

import calendar
import logging
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from ..model import Document
from .base import InputError, read_bytes
from .html import fragment_text

log = logging.getLogger(__name__)


def looks_like_feed(head: bytes) -> bool:
    head = head[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def _entry_date(entry) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            return datetime.fromtimestamp(calendar.timegm(t), tz=timezone.utc).date()
    return None


def _entries(parsed, name: str, published: date | None, report: Callable[[str], None]) -> Iterator[Document]:
    useful = [e for e in parsed.entries if e.get("title") or e.get("link") or e.get("summary") or e.get("content")]
    if parsed.bozo and not useful:
        raise InputError(f"{name}: not a readable RSS/Atom feed ({parsed.get('bozo_exception')})")
    if not useful:
        raise InputError(f"{name}: feed has no entries")
    for n, entry in enumerate(parsed.entries, 1):
        where = f"{name}#{n}"
        html = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
        text = fragment_text(html)
        if not text.strip():
            report(f"{where}: entry has no text (skipped)")
            continue
        link = entry.get("link") or None
        doc_id = entry.get("id") or link or f"{Path(name).stem}-{n}"
        yield Document(doc_id, text, _entry_date(entry) or published, link, entry.get("title") or None,
                       author=(entry.get("author_detail") or {}).get("name") or entry.get("author") or None,
                       site=parsed.feed.get("title") or None, source=where)


def read_file(path: Path, published: date | None, report: Callable[[str], None]) -> Iterator[Document]:
    import feedparser

    yield from _entries(feedparser.parse(read_bytes(path)), str(path), published, report)


def read_url(url: str, published: date | None, report: Callable[[str], None]) -> Iterator[Document]:
    import feedparser

    parsed = feedparser.parse(url)
    if parsed.get("status", 200) >= 400:
        raise InputError(f"{url}: the server answered HTTP {parsed.status}")
    yield from _entries(parsed, url, published, report)
