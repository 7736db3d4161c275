"""Wires the stages: clean -> parse -> actors -> events -> places/dates -> Event records (the
document coder, `coding.document`, does all after the parse)."""
from __future__ import annotations

import logging
from datetime import date
from typing import Iterable, Iterator

from .clean import clean
from .coding.document import DocumentCoder
from .learned import read_reports, report_sentences
from .model import Document, Event
from .headline_case import recase
from .parse import parse_many

log = logging.getLogger(__name__)


def extract_many(documents: Iterable[Document], chunk: int = 64) -> Iterator[tuple[Document, list[Event]]]:
    """Code documents in a stream; the model is loaded once and fed in batches."""
    batch: list[Document] = []

    def flush():
        parsed = list(parse_many([clean(d) for d in batch], recase=recase))
        try:
            readers = read_reports([report_sentences(paragraphs) for _, paragraphs in parsed])
        except Exception as exc:  # then each report is read on its own, and only a bad one is lost
            log.warning("the tagger could not read this chunk at once (%s: %s); reading report by report",
                        type(exc).__name__, exc)
            readers = [None] * len(parsed)
        for (cleaned, paragraphs), reader in zip(parsed, readers):
            try:
                events = DocumentCoder(cleaned).code(paragraphs, reader)
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
