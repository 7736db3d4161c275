"""Stage 1, clean: find the report's body in scraped text; page chrome never reaches the parser.

Nothing is deleted: the raw text keeps its offsets, and `clean` returns the body as segments
(line stretches) of it, so every event can point back into the text the user gave.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .dates import MONTHS
from .lexicon import load_yaml
from .model import Cleaned, Document, Segment

# a plain hyphen only between spaces ("YANGON, Feb 20 (Reuters) - "), not inside a name ("Al-Quds")
_DATELINE = re.compile(r"^(.{2,60}?)(\s*(?:—|–|--|:)\s+|\s+-\s+)(?=[A-Z“\"'‘])")


@dataclass(frozen=True)
class ChromeRules:
    end_markers: re.Pattern
    line_patterns: re.Pattern
    teaser_endings: re.Pattern
    function_words: frozenset


@lru_cache(maxsize=1)
def rules() -> ChromeRules:
    data = load_yaml("chrome.yaml")

    def any_of(key: str, anchored: bool = True) -> re.Pattern:
        alts = "|".join(f"(?:{p})" for p in data[key])
        return re.compile(("^(?:%s)" if anchored else "(?:%s)") % alts, re.IGNORECASE)

    return ChromeRules(any_of("end_markers"), any_of("line_patterns"), any_of("teaser_endings", False),
                       frozenset(data.get("function_words") or ()))


def _lines(text: str):
    start = 0
    for line in text.splitlines(keepends=True):
        yield start, start + len(line.rstrip("\r\n")), line.strip()
        start += len(line)


_SENTENCE_INSIDE = re.compile(r"[.!?][\"'”’)]?\s+[A-Z“\"'‘]")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
RESUME_WINDOW = 6  # non-blank lines after an in-body promo within which the article must go on


def _words(s: str) -> str:
    return " ".join(re.findall(r"\w+", s.lower()))


def is_teaser(line: str, r: "ChromeRules") -> bool:
    """A line cut short by the page ("... to fight…"): one clause, not a paragraph of sentences."""
    return bool(r.teaser_endings.search(line)) and not _SENTENCE_INSIDE.search(line)


def _resume_at(lines, kinds, r, i: int) -> int | None:
    """After an end marker at line i that is a promo inside the article ("Read more: <other story>",
    "DON'T MISS"), the line where the article goes on: a sentence-ending paragraph, not itself a
    marker, within RESUME_WINDOW lines. None when the marker really ends the body."""
    seen = 0
    for j in range(i + 1, len(lines)):
        if kinds[j] == "blank":
            continue
        seen += 1
        if seen > RESUME_WINDOW:
            return None
        if kinds[j] == "body" and _SENTENCE_END.search(lines[j][2]) and not r.end_markers.match(lines[j][2]):
            return j
    return None


def _headline_like(line: str, title: str) -> bool:
    """A line before the first paragraph that is a headline, not the start of the body: it
    repeats the page title, or is short and does not end like a sentence."""
    w = _words(line)
    if title and w and (w in title or title in w):
        return True
    return not (line[-1] in ".!?\"'”’)" or len(line.split()) >= 20)


def is_prose(line: str) -> bool:
    """A body paragraph: long enough, ends like a sentence and reads like one (a few function
    words in lower case), not a list of names ending in a quoted nickname or a title in capitals."""
    if not (len(line) >= 60 and line[-1] in ".!?\"'”’)" and len(line.split()) >= 8):
        return False
    return sum(w in rules().function_words for w in re.findall(r"\b[a-z]+\b", line)) >= MIN_FUNCTION_WORDS


MIN_FUNCTION_WORDS = 2


def dateline_length(line: str) -> int:
    """Length of a leading dateline ("NEW DELHI, June 17 — ", "Kyiv, April 14 (Agencies): ")."""
    m = _DATELINE.match(line)
    if not m:
        return 0
    words = re.findall(r"[^\s,/()]+", m.group(1))
    for w in words:
        if not (w[0].isupper() or w[0].isdigit() or w.lower().rstrip(".") in MONTHS):
            return 0
    return m.end()


MAX_PARAGRAPH = 10_000  # characters; the parser's memory grows with a paragraph's length


def _split_long(text: str, start: int, end: int) -> list[Segment]:
    """A paragraph too long to parse at once is cut after a sentence end before the limit
    (or at a space, or hard), so a 5 MB line costs time, not memory or a crash."""
    out = []
    while end - start > MAX_PARAGRAPH:
        window = text[start:start + MAX_PARAGRAPH]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 1 if cut > MAX_PARAGRAPH // 2 else window.rfind(" ")
        if cut <= 0:
            cut = MAX_PARAGRAPH
        out.append(Segment(start, start + cut))
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Segment(start, end))
    return out


def clean(doc: Document) -> Cleaned:
    r = rules()
    lines = list(_lines(doc.text))
    kinds = []  # "body" | "head" | "chrome" | "blank"
    for _, _, line in lines:
        if not line:
            kinds.append("blank")
        elif is_teaser(line, r):
            kinds.append("chrome")
        elif is_prose(line):
            kinds.append("body")
        elif r.line_patterns.match(line):
            kinds.append("chrome")
        else:
            kinds.append("head")
    has_prose = "body" in kinds
    first_body = kinds.index("body") if has_prose else 0
    # The body ends at the first end marker after it has started; a headline-only document
    # (bulletins, wire headlines) has no prose, and all its non-chrome lines are kept.
    # A promo inside the article ("Read more: ...") is skipped with the lines up to where the
    # article goes on; only a marker with no article after it ends the body.
    end = len(lines)
    promo = set()
    i = first_body
    while i < len(lines):
        if kinds[i] != "blank" and r.end_markers.match(lines[i][2]):
            resume = _resume_at(lines, kinds, r, i)
            if resume is None:
                end = i
                break
            promo.update(range(i, resume))
            i = resume
            continue
        i += 1
    # Before the first paragraph, a page has its navigation, teasers and the headline; the lead
    # paragraph restates the headline, so with prose present the headline-like lines before it
    # are not coded. A line there that ends like a sentence or is long (an extractor's body that
    # starts with a paragraph without a final full stop) is body.
    title = _words(doc.title or "")
    begin = first_body
    if has_prose:
        for i in range(first_body):
            if kinds[i] == "head" and not _headline_like(lines[i][2], title):
                begin = i
                break
    segments = []
    dateline = None
    for i in range(begin, end):
        s, e, line = lines[i]
        if kinds[i] in ("blank", "chrome") or i in promo:
            continue
        if has_prose and kinds[i] == "head" and (len(line.split()) < 4 or (i < first_body and _headline_like(line, title))):
            continue  # subheads and labels of one to three words, headlines
        raw = doc.text[s:e]
        lead = len(raw) - len(raw.lstrip())
        # only the first kept paragraph has a dateline; later "Bruins 5, Devils 1: ..." or
        # "President Biden — ..." keep their first words
        skip = dateline_length(raw.lstrip()) if not segments else 0
        if skip and dateline is None and not segments:
            dateline = raw.lstrip()[:skip]
        segments.extend(_split_long(doc.text, s + lead + skip, e - (len(raw) - len(raw.rstrip()))))
    body_start = lines[begin][0] if lines else 0
    body_end = lines[end][0] if end < len(lines) else len(doc.text)
    if segments:
        body_end = max(body_end, segments[-1].end) if end == len(lines) else body_end
    return Cleaned(doc, segments, body_start, body_end, dateline)
