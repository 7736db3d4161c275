"""Long jobs over the store: ingest sources (read, code, store in batches) and re-code."""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from itertools import islice
from typing import Callable, Iterable, Iterator

from .coder_version import coder_version
from .ingest import Sources
from .model import Document, Event
from .pipeline import extract_many
from .store import Outcome, Store, StoreConflict

log = logging.getLogger(__name__)

_CODING = threading.Lock()  # the model is shared by the API's request threads: one codes at a time
BATCH = 32  # documents per transaction: small enough to lose little to a crash, big enough for nlp.pipe


@dataclass
class Summary:
    read: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    events: int = 0
    removed_events: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    recoded: list[str] = field(default_factory=list)  # "doc: +2 -1" for re-coded documents that changed
    seconds: float = 0.0

    @property
    def docs_per_second(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0


Progress = Callable[[Summary], None]
# Codes batches of documents, in order, lazily: in this process, or on a cluster (cluster.DaskCoder).
BatchCoder = Callable[[Iterable[list[Document]]], Iterator[list[tuple[Document, list[Event]]]]]


def in_process(batch: int = BATCH) -> BatchCoder:
    """The coder of a one-process ingest: `extract_many`, the model loaded once."""
    def code(batches: Iterable[list[Document]]) -> Iterator[list[tuple[Document, list[Event]]]]:
        for docs in batches:
            yield list(extract_many(docs, chunk=batch))
    return code


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(docs)
    while batch := list(islice(it, size)):
        yield batch


def ingest(store: Store, sources: Sources, batch: int = BATCH, progress: Progress | None = None,
           code: BatchCoder | None = None, stop: Callable[[], bool] | None = None) -> Summary:
    """Read, code and store; documents already stored unchanged are not coded again.

    `code` codes the batches (in this process by default); whatever codes them, this process
    alone writes, one transaction per batch, in the order the batches were read. `stop()` is
    asked after each batch is stored: True ends the ingest there (batches coded ahead are dropped).
    """
    coder = coder_version()
    code = code or in_process(batch)
    summary, start = Summary(), time.perf_counter()
    triaged: deque[tuple[int, int]] = deque()  # (read, unchanged) of each batch sent to `code`, oldest first

    def to_code() -> Iterator[list[Document]]:
        for docs in _batches(sources, batch):
            todo, unchanged = store.triage(docs, coder)
            triaged.append((len(docs), unchanged))
            yield todo

    for coded in code(to_code()):
        read, unchanged = triaged.popleft()
        # A coder that works ahead triages a batch before the previous ones are stored, and
        # another ingest may store the same documents meanwhile: the write checks again.
        # (a batch with nothing to store does not wait for the write lock another ingest may hold)
        out = store.save_batch(coded, coder, skip_stored=True) if coded else Outcome()
        summary.read += read
        summary.unchanged += unchanged + out.unchanged
        summary.new += out.new
        summary.changed += out.changed
        summary.events += out.events
        summary.removed_events += out.removed_events
        summary.seconds = time.perf_counter() - start
        if progress:
            progress(summary)
        if stop and stop():
            break
    summary.failed, summary.skipped = list(sources.failed), list(sources.skipped)
    summary.seconds = time.perf_counter() - start
    return summary


def recode(store: Store, everything: bool = False, batch: int = BATCH, progress: Progress | None = None) -> Summary:
    """Re-code stored documents coded by an older coder (or all), and say what changed."""
    coder = coder_version()
    summary, start = Summary(), time.perf_counter()
    for docs in _batches(store.stored_documents(None if everything else coder), batch):
        before = {d.identity: store.event_ids(d.identity) for d in docs}
        out = store.save_batch(extract_many(docs, chunk=batch), coder)
        summary.read += len(docs)
        summary.changed += out.changed
        summary.events += out.events
        summary.removed_events += out.removed_events
        for d in docs:
            after = store.event_ids(d.identity)
            added, removed = len(after - before[d.identity]), len(before[d.identity] - after)
            if added or removed:
                summary.recoded.append(f"{d.source or d.id}: +{added} -{removed} events")
        summary.seconds = time.perf_counter() - start
        if progress:
            progress(summary)
    summary.seconds = time.perf_counter() - start
    return summary


def store_document(store: Store, text: str | None = None, html: str | None = None, doc_id: str | None = None,
                   url: str | None = None, title: str | None = None, published=None) -> dict:
    """Code and store one posted report: new, changed or unchanged, and the events it gave."""
    from .ingest import InputError
    from .ingest.html import read_html
    from .ingest.language import not_english

    name = doc_id or url or "posted document"
    if html and not text:
        doc = read_html(html, doc_id or url or "posted", name, url=url, published=published, title=title)
    else:
        doc = Document(doc_id or url or "posted", text, published, url, title, source=name)
    if doc.id == "posted":
        doc.id = f"posted-{doc.content_hash[:12]}"
    why = not_english(doc.text)
    if why:
        raise InputError(f"{name}: {why}")
    doc.language = "en"
    coder = coder_version()
    for attempt in range(2):
        todo, unchanged = store.triage([doc], coder)
        if not todo:
            return {"status": "unchanged", "document_id": store.document_pk(doc.identity), "events": 0}
        # One request codes at a time: spaCy's shared vocabulary is not thread-safe, and requests
        # coding at once in the server's threads lost their events to "[E018] Can't retrieve
        # string" (stored with none). Coded before the write, so the lock is never held while
        # waiting for the database.
        with _CODING:
            coded = list(extract_many(todo))
        try:
            out = store.save_batch(coded, coder, skip_stored=True)
            break
        except StoreConflict:
            # Two clients posted the same report at once and the other stored it first (a 500
            # before): checked again, it is now unchanged.
            if attempt:
                raise
    if out.unchanged:  # another request stored this very report while it was being coded
        return {"status": "unchanged", "document_id": store.document_pk(doc.identity), "events": 0}
    return {"status": "new" if out.new else "changed", "document_id": store.document_pk(doc.identity),
            "events": out.events, "stories": sorted(out.stories)}
