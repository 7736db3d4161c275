"""Saved web pages: the article body and its metadata, by trafilatura.

The page's own publication date (from its metadata) is kept as the base for relative dates
("on Thursday"); a date given on the command line is only a fallback. The extracted body then
goes through the same chrome cleaning as plain text, in `clean`.
"""
from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from ..model import Document
from .base import InputError, decode, parse_date, read_bytes

log = logging.getLogger(__name__)

# Reader comments are not the report; tables are kept (casualty lists are often tables).
OPTIONS = dict(include_comments=False, include_tables=True, with_metadata=True)


def read_html(html: str, doc_id: str, source: str, url: str | None = None,
              published: date | None = None, title: str | None = None) -> Document:
    """The article in an HTML page as a Document whose text is the extracted body."""
    import trafilatura

    try:
        result = trafilatura.bare_extraction(html, url=url, **OPTIONS)
    except Exception as exc:  # lxml raises a zoo of types on broken markup
        raise InputError(f"{source}: cannot parse the HTML ({type(exc).__name__}: {exc})") from None
    if result is None or not (result.text or "").strip():
        raise InputError(f"{source}: no article text found in the HTML page")
    try:
        page_date = parse_date(result.date, source)
    except InputError:
        page_date = None
    return Document(
        id=doc_id, text=result.text, published=page_date or published,
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
