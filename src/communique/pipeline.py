"""Wires the stages: clean -> parse -> actors -> events -> places/dates -> Event records (the
document coder, `coding.document`, does all after the parse)."""
from __future__ import annotations

import logging
from datetime import date
from typing import Iterable, Iterator

from .clean import clean
from .coding.document import DocumentCoder
from .model import Document, Event
from .parse import parse_many

log = logging.getLogger(__name__)


def extract_many(documents: Iterable[Document], chunk: int = 64) -> Iterator[tuple[Document, list[Event]]]:
    """Code documents in a stream; the model is loaded once and fed in batches."""
    batch: list[Document] = []

    def flush():
        for cleaned, paragraphs in parse_many([clean(d) for d in batch]):
            try:
                events = DocumentCoder(cleaned).code(paragraphs)
            except Exception as exc:  # a coding bug must not lose the rest of a batch
                log.error("%s: could not be coded (%s: %s); skipped", cleaned.document.id, type(exc).__name__, exc)
                log.debug("coding failure", exc_info=True)
                events = []
            yield cleaned.document, events

    for d in documents:
        batch.append(d)
        if len(batch) >= chunk:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def extract(text: str, published: date | str | None = None, doc_id: str | None = None) -> list[Event]:
    """Code one report. `published` (a date or YYYY-MM-DD) anchors relative dates."""
    if isinstance(published, str):
        published = date.fromisoformat(published)
    doc = Document(doc_id or "doc", text, published)
    for _, events in extract_many([doc]):
        return events
    return []
