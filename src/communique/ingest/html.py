"""Saved web pages: the article body and its metadata, by trafilatura.

The page's own publication date (from its metadata) is kept as the base for relative dates
("on Thursday"); a date given on the command line is only a fallback. The extracted body then
goes through the same chrome cleaning as plain text, in `clean`.
"""
from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

from ..model import Document
from .base import InputError, decode, parse_date, read_bytes

log = logging.getLogger(__name__)

# trafilatura options, chosen on the article-extraction benchmark (benchmarks/extraction.py
# --options; results in benchmarks/results/extraction.md), each scored in the same run:
# - include_comments=False: reader comments are not the report. bare_extraction keeps comments
#   out of `text` either way, but with True the body came out slightly worse (precision -0.003,
#   F1 -0.002); with False the text equals upstream's benchmark call,
#   trafilatura.extract(html, include_comments=False), on all 181 pages;
# - include_tables=True (the default, kept explicit): casualty lists are often tables, and
#   dropping tables cost recall (F1 -0.003);
# - favor_precision is NOT used: its +0.004 F1 is within the paired-bootstrap noise (+-0.006),
#   and on one page it returned a 260-character stub instead of the whole article;
#   favor_recall (-0.001) and deduplicate (-0.009, 3 pages emptied) scored lower.
OPTIONS = dict(include_comments=False, include_tables=True, with_metadata=True)
# The page date comes from the page's metadata (meta tags, JSON-LD, <time>, the URL), not from
# htmldate's extensive search of the text, which turns a footer's "Copyright 2024" into
# 2024-01-01 and would beat the caller's (right) date; without a metadata date, the caller's
# date is used.
EXTENSIVE_DATE_SEARCH = False

# A line of article text is not just the text of a link, and has at least MIN_WORDS words or
# MIN_CHARS characters (Chinese and Japanese put no spaces between words).
MIN_WORDS, MIN_CHARS = 4, 30
_TAG = re.compile(r"<[A-Za-z][\w:-]*[\s/>]")


def _tree(html: str, source: str):
    """The page as an lxml tree; an InputError when it is not HTML at all."""
    import trafilatura

    try:
        tree = trafilatura.load_html(html)
        if tree is None and _TAG.search(html):
            # a bare fragment ("<p>...</p>" from a batch file) fails trafilatura's is-it-HTML check
            tree = trafilatura.load_html(f"<html><body>{html}</body></html>")
    except Exception as exc:  # lxml raises a zoo of types on broken markup
        raise InputError(f"{source}: cannot parse the HTML ({type(exc).__name__}: {exc})") from None
    if tree is None:
        raise InputError(f"{source}: not an HTML page (no markup that parses as HTML)")
    return tree


def _has_article(text: str, tree) -> bool:
    """Whether the extracted text has a line of article text.

    On a page without an article (a section front, a login form, a bare menu) trafilatura falls
    back to the page's whole text, which is then menu items and the headlines of links: short
    lines, or lines that are exactly the text of a link on the page.
    """
    lines = [" ".join(line.split()) for line in text.splitlines()]
    candidates = [line for line in lines if len(line.split()) >= MIN_WORDS or len(line) >= MIN_CHARS]
    if not candidates:
        return False
    links = {" ".join("".join(a.itertext()).split()) for a in tree.iter("a")}
    return any(line not in links for line in candidates)


def read_html(html: str, doc_id: str, source: str, url: str | None = None,
              published: date | None = None, title: str | None = None) -> Document:
    """The article in an HTML page as a Document whose text is the extracted body.

    The page's own date (from its metadata) is `published`; the caller's date is the fallback.
    """
    import trafilatura
    from trafilatura.settings import set_date_params

    tree = _tree(html, source)
    try:
        # trafilatura works on a copy of a tree it is given, so `tree` stays whole for the check
        result = trafilatura.bare_extraction(
            tree, url=url, date_extraction_params=set_date_params(EXTENSIVE_DATE_SEARCH), **OPTIONS)
    except Exception as exc:
        raise InputError(f"{source}: cannot parse the HTML ({type(exc).__name__}: {exc})") from None
    text = (result.text or "") if result is not None else ""
    if not text.strip() or not _has_article(text, tree):
        raise InputError(f"{source}: no article text found in the HTML page")
    try:
        page_date = parse_date(result.date, source)
    except InputError:
        page_date = None
    if page_date and published and page_date != published:
        log.debug("%s: page date %s used, not the given date %s", source, page_date, published)
    return Document(
        id=doc_id, text=text, published=page_date or published,
        url=url or result.url, title=result.title or title, author=result.author,
        site=result.sitename or result.hostname, source=source, raw=html)


def read_file(path: Path, published: date | None) -> Document:
    return read_html(decode(read_bytes(path), str(path)), path.stem, str(path), published=published)


BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed entry), one paragraph a line.

    Feed entries are too short for trafilatura's page heuristics, which often return nothing.
    """
    import lxml.html

    if "<" not in html:
        return html.strip()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # malformed markup: fall back to the raw string's text
        return html.strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    lines, current = [], []
    for event, el in _walk(root):
        if event == "text":
            current.append(el)
        elif current and "".join(current).strip():
            lines.append(" ".join("".join(current).split()))
            current = []
        else:
            current = []
    if current and "".join(current).strip():
        lines.append(" ".join("".join(current).split()))
    return "\n".join(lines)


def _walk(el):
    """Text pieces, with a "break" at each block element's start and end."""
    if isinstance(el.tag, str) and el.tag in BLOCKS:
        yield "break", el
    if el.text:
        yield "text", el.text
    for child in el:
        yield from _walk(child)
        if child.tail:
            yield "text", child.tail
    if isinstance(el.tag, str) and el.tag in BLOCKS:
        yield "break", el
