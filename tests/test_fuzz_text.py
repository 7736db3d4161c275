"""Property tests of the text stages on hostile input: clean, extract (the whole coder), the date
resolver and the place resolver. No exception escapes, and what comes out points into the text."""
from __future__ import annotations

from datetime import date

from hypothesis import example
from hypothesis import strategies as st

from communique import extract
from communique.clean import clean
from communique.dates import find_dates
from communique.model import Document
from communique.parse import nlp
from communique.places import dateline_place, lookup, place_mentions
from hostile import hostile_text, property_test

published = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))


@property_test(hostile_text, st.text(max_size=80))
@example("x", "")
@example("\u202eAlso Read: \x00\n" * 3, "\u200f")
def test_clean_never_raises_and_keeps_offsets_inside_the_text(text, title):
    cleaned = clean(Document("fuzz", text, title=title))
    assert 0 <= cleaned.body_start <= len(text) and 0 <= cleaned.body_end <= len(text)
    last = 0
    for seg in cleaned.segments:
        assert last <= seg.start < seg.end <= len(text)
        last = seg.end


@property_test(hostile_text, published)
@example("Police arrested 12 protesters in Lagos on Tuesday.", date(1, 1, 3))
@example("They met on Monday, April 22, and again yesterday.", date(9999, 12, 31))
def test_extract_never_raises_and_every_event_points_into_the_text(caplog, text, when):
    caplog.clear()
    for e in extract(text, published=when, doc_id="fuzz"):
        start, end = e.char_span
        assert 0 <= start <= end <= len(text)
        assert e.type and 0.0 <= e.confidence <= 1.0
        if e.date:
            date.fromisoformat(e.date[:10]) if len(e.date) >= 10 else int(e.date[:4])
    # the pipeline's safety net logs a document it could not code; none may need it
    assert not [r for r in caplog.records if "could not be coded" in r.getMessage()]


@property_test(hostile_text, published)
@example("on 31/02/2015 and 6/13/0000, 29 February 1900, last week", date(2015, 3, 1))
@example("April 22, yesterday, on Thursday", date(1, 1, 1))
def test_dates_never_raise_and_resolve_to_real_days(text, when):
    for d in find_dates(text, when):
        assert 0 <= d.start < d.end <= len(text) and text[d.start:d.end] == d.text
        if d.precision == "day":
            date.fromisoformat(d.value)


@property_test(hostile_text)
@example("NEW DELHI/BEIJING, June 17 \u2014 talks")
@example("Al- Port-au-Prince and of and -")
def test_places_never_raise(text):
    for start, end, name in place_mentions(nlp()(text[:2000])):
        assert name
    dateline_place(text)
    for entry in lookup(text[:200]):
        assert entry is not None


def test_a_ten_megabyte_document_is_cleaned_in_bounded_pieces():
    line = "Police arrested protesters in Lagos on Tuesday after a march, officials said. "
    text = (line * (10 * 1024 * 1024 // len(line) + 1))[: 10 * 1024 * 1024]  # one 10 MB paragraph
    cleaned = clean(Document("big", text))
    assert cleaned.segments and all(s.end - s.start <= 10_000 for s in cleaned.segments)
    assert cleaned.segments[-1].end <= len(text)
