"""Web archives (WARC, gzipped or not, via warcio): one document per archived HTML page.

Only successful (HTTP 2xx) responses and resource records of HTML or plain text are read;
the record's target URI is the document's URL and the capture date is the fallback base date.
"""
from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from ..model import Document
from .base import MAX_BYTES, InputError, parse_date
from .html import read_html

log = logging.getLogger(__name__)


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"')
    return "utf-8"


def _looks_like_archive(f) -> bool:
    """WARC (or old ARC) records start the file, gzipped or not; warcio itself reads any text."""
    import gzip

    head = f.read(64)
    f.seek(0)
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=f) as gz:
                head = gz.read(64)
        except (OSError, EOFError):
            return False
        finally:
            f.seek(0)
    return head.startswith((b"WARC/", b"filedesc://"))


def read_file(path: Path, published: date | None, report: Callable[[str], None]) -> Iterator[Document]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        f = open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if not _looks_like_archive(f):
        gzipped = f.read(2) == b"\x1f\x8b"
        f.close()
        if gzipped:  # only the first bytes were inflated to tell: a .gz bomb costs nothing here
            raise InputError(f"{path}: gzip-compressed but not a WARC archive (decompress it first)")
        raise InputError(f"{path}: not a WARC file (it does not start with a WARC record)")
    pages = records = 0
    with f:
        try:
            for n, record in _records(ArchiveIterator(f), path):
                records += 1
                if record.rec_type not in ("response", "resource"):
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{path}#{n} {url or ''}".strip()
                if record.rec_type == "response":
                    status = record.http_headers.get_statuscode() if record.http_headers else "200"
                    ctype = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
                    if not str(status).startswith("2"):
                        continue
                else:
                    ctype = record.rec_headers.get_header("Content-Type", "")
                kind = ctype.split(";")[0].strip().lower()
                if kind not in ("text/html", "application/xhtml+xml", "text/plain"):
                    continue
                # At most one document's worth: a gzip bomb (a few KB inflating to gigabytes) must not
                # be read whole into memory; the rest of the record is skipped as the iterator moves on.
                body = record.content_stream().read(MAX_BYTES + 1)
                if len(body) > MAX_BYTES:
                    report(f"{where}: page over the {MAX_BYTES} byte limit once decompressed (skipped)")
                    continue
                try:
                    captured = parse_date(record.rec_headers.get_header("WARC-Date"), where) or published
                except InputError:  # a bad capture date loses the date, not the page
                    captured = published
                try:
                    text = body.decode(_charset(ctype), errors="replace")
                    doc_id = url or f"{path.stem}-{n}"
                    if kind == "text/plain":
                        if not text.strip():  # an empty page was stored as an empty document
                            raise InputError(f"{where}: page has no text")
                        yield Document(doc_id, text, captured, url, source=where)
                    else:
                        yield read_html(text, doc_id, where, url=url, published=captured)
                    pages += 1
                except (InputError, LookupError) as exc:
                    report(f"{exc} (skipped)" if str(exc).startswith(where) else f"{where}: {exc} (skipped)")
        except ArchiveLoadFailed as exc:
            raise InputError(f"{path}: not a readable WARC file ({exc})") from None
    if not records:
        raise InputError(f"{path}: not a readable WARC file (no records found)")
    if not pages:
        log.warning("%s: no HTML or text pages in the archive", path)


def _records(archive, path: Path):
    """(number, record) pairs; a record warcio cannot parse ends the archive with an InputError
    naming the file and the record, the pages before it kept. warcio raises a zoo of types on a
    damaged archive (a response without a target URI, an unparsable HTTP status line, a
    truncated gzip member): each one escaped `ingest` as a traceback before."""
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    it = iter(archive)
    while True:
        try:
            record = next(it)
            if record.rec_type in ("response", "resource"):
                record.rec_headers.get_header("WARC-Target-URI")
        except StopIteration:
            return
        except ArchiveLoadFailed:
            raise
        except Exception as exc:
            raise InputError(f"{path}: not a readable WARC file after record {n} "
                             f"({type(exc).__name__}: {str(exc)[:200]})") from None
        n += 1
        yield n, record
