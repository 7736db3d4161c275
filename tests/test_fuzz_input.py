"""Property tests of the readers on hostile files: JSONL, CSV, saved HTML pages, RSS feeds and WARC
archives, each read through `Sources` as `communique ingest` reads them. No exception escapes;
every bad record is reported once, naming its file (and line or entry) and the reason, and the
others are read. Plus the fixed hostile inputs: gzip bombs, 1-character and 10 MB documents."""
from __future__ import annotations

import atexit
import csv
import gzip
import io
import json
import shutil
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import example
from hypothesis import strategies as st

from communique.ingest import Sources
from communique.ingest.base import MAX_BYTES
from hostile import NASTY, hostile_text, newsy, property_test

WORK = Path(tempfile.mkdtemp(prefix="communique-fuzz-"))  # one file per property, rewritten each case
atexit.register(shutil.rmtree, WORK, True)
REPORT = "Police arrested 12 protesters in Lagos on Tuesday after a march through the city, officials said."


def read(path: Path) -> tuple[list, list[str], list[str]]:
    """What ingest would read: documents, failures, skips. Nothing may escape."""
    sources = Sources([str(path)], keep_going=True)
    docs = list(sources)
    for doc in docs:
        assert isinstance(doc.text, str) and doc.text.strip()
        for field in (doc.id, doc.url, doc.title, doc.source):
            assert field is None or isinstance(field, str)
    for message in sources.failed + sources.skipped:
        assert message.startswith(str(path)), message  # each problem names its input
        assert "Traceback" not in message
    return docs, sources.failed, sources.skipped


# -- JSONL --------------------------------------------------------------------------------------------
any_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                        max_leaves=6)
field = st.one_of(hostile_text, any_json)
record = st.fixed_dictionaries({}, optional={"id": field, "text": st.one_of(newsy, field), "html": field,
                                             "url": field, "title": field, "published": st.one_of(
                                                 st.dates().map(str), field)})
garbage_line = st.one_of(
    st.binary(max_size=200).filter(lambda b: b"\n" not in b),
    st.integers(1, 20_000).map(lambda depth: b"[" * depth),  # nested past the parser's stack
    st.just(b'{"text": "unterminated'), st.just(b"\xff\xfe{\x00}"), st.just(b"null"), st.just(b"[1, 2]"),
)
jsonl_line = st.one_of(record.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogatepass")),
                       garbage_line)


@property_test(st.lists(jsonl_line, max_size=8))
@example([b"[" * 100_000, json.dumps({"text": REPORT}).encode()])
@example([json.dumps({"text": REPORT, "url": {"a": 1}, "title": [1]}).encode(), json.dumps({"text": REPORT}).encode()])
def test_jsonl_reader_reports_each_bad_line_and_reads_the_rest(lines):
    path = WORK / "batch.jsonl"
    data = b"\n".join(lines) + b"\n"
    path.write_bytes(data)
    docs, failed, skipped = read(path)
    records = sum(1 for line in data.split(b"\n") if line.strip())
    if records == 0:
        assert failed == [f"{path}: empty file"] and not docs
    else:
        assert len(docs) + len(failed) + len(skipped) == records  # each line read, reported or skipped once


# -- CSV ----------------------------------------------------------------------------------------------
cell = st.one_of(hostile_text, newsy, st.sampled_from(["", REPORT, "2025-03-04", "not a date", "\x00"]))
ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252", "shift_jis"]


@property_test(st.lists(st.lists(cell, min_size=0, max_size=6), max_size=6),
               st.sampled_from([["id", "text", "published"], ["id", "html", "url"], ["title"], [], ["text"] * 2]),
               st.sampled_from(ENCODINGS), st.binary(max_size=40))
@example([[1, REPORT, "2025-03-04"]], ["id", "text", "published"], "latin-1", b"\xff\x00")
def test_csv_reader_never_raises_and_names_the_file(rows, header, encoding, tail):
    path = WORK / "batch.csv"
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding, errors="replace") + tail
    path.write_bytes(data)
    docs, failed, skipped = read(path)
    if encoding in ("utf-8", "utf-8-sig") and not tail and {"text", "html"} & set(header) and "\x00" not in out.getvalue():
        assert len(docs) + len(failed) + len(skipped) == sum(1 for row in rows if row)  # csv skips blank lines


# -- saved HTML pages ---------------------------------------------------------------------------------
TAGS = ["div", "p", "span", "table", "tr", "td", "script", "style", "a", "b", "article", "svg", "math", "template",
        "iframe", "noscript", "textarea", "title", "!--", "![CDATA[", "?xml", "!DOCTYPE html"]
attribute_chars = st.characters(codec="utf-8", exclude_categories=("Cs",))
tag = st.tuples(st.sampled_from(TAGS), st.booleans(), st.one_of(
    st.just(""), st.text(attribute_chars, max_size=30),
    st.integers(1, 200_000).map(lambda n: "x" * n),  # huge attributes
)).map(lambda t: f"<{'/' if t[1] else ''}{t[0]} title=\"{t[2]}\" data-x='{t[2]}'>")
html_piece = st.one_of(tag, hostile_text, newsy, st.sampled_from(NASTY), st.just(REPORT),
                       st.integers(1, 5000).map(lambda depth: "<div>" * depth),  # deep nesting, never closed
                       st.integers(1, 5000).map(lambda depth: "<b><i>" * depth + REPORT + "</i></b>" * depth))
page = st.lists(html_piece, max_size=20).map("".join)
charset = st.sampled_from(["", '<meta charset="utf-8">', '<meta charset="windows-1252">', '<meta charset="bogus-9">',
                           '<meta http-equiv="Content-Type" content="text/html; charset=shift_jis">'])


@property_test(page, charset, st.sampled_from(ENCODINGS), st.booleans())
@example("<p>" + REPORT + "</p>", '<meta charset="utf-8">', "utf-8", True)
@example("<div>" * 100_000 + REPORT, "", "utf-8", True)
@example("x", "", "utf-8", False)
def test_html_reader_reads_the_page_or_says_why(body, meta, encoding, wrap):
    path = WORK / "page.html"
    html = f"<html><head>{meta}</head><body>{body}</body></html>" if wrap else body
    path.write_bytes(html.encode(encoding, errors="replace"))
    docs, failed, skipped = read(path)
    assert len(docs) + len(failed) + len(skipped) == 1


# -- RSS feeds ----------------------------------------------------------------------------------------
def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


entry = st.tuples(hostile_text, st.one_of(page, newsy, st.just(REPORT)), st.sampled_from(["escape", "cdata", "raw"]),
                  st.one_of(st.just(""), hostile_text, st.sampled_from(["Tue, 04 Mar 2025 10:00:00 GMT", "9999-99-99"])))


def _item(title, body, how, when) -> str:
    body = {"escape": _escape(body), "cdata": f"<![CDATA[{body}]]>", "raw": body}[how]
    return f"<item><title>{_escape(title)}</title><pubDate>{_escape(when)}</pubDate><description>{body}</description></item>"


@property_test(st.lists(entry, max_size=5), st.sampled_from(["utf-8", "latin-1", "utf-16"]), st.booleans())
@example([("t", "<div>" * 50_000 + REPORT, "cdata", "")], "utf-8", False)
@example([("", REPORT, "escape", ""), ("", "<!-- x", "raw", ""), ("", REPORT, "escape", "")], "utf-8", False)
def test_feed_reader_reports_each_bad_entry_and_reads_the_rest(entries, encoding, truncate):
    path = WORK / "feed.rss"
    xml = ('<?xml version="1.0"?><rss version="2.0"><channel><title>fuzz</title>'
           + "".join(_item(*e) for e in entries) + "</channel></rss>")
    data = xml.encode(encoding, errors="replace")
    path.write_bytes(data[: len(data) // 2] if truncate else data)
    docs, failed, skipped = read(path)
    # Unescaped markup can break the feed's own XML (an unclosed "<!--" swallows the items after
    # it), so entries are only counted when every body was escaped or in CDATA.
    if not truncate and encoding == "utf-8" and entries and docs and all(how != "raw" for _, _, how, _ in entries):
        assert len(docs) + len(failed) + len(skipped) == len(entries)


# -- WARC archives ------------------------------------------------------------------------------------
warc_record = st.tuples(st.sampled_from(["response", "resource", "request", "metadata"]),
                        st.sampled_from(["200 OK", "404 Not Found", "301 Moved", "999 ?", "2xx"]),
                        st.sampled_from(["text/html", "text/html; charset=latin-1", "text/html; charset=bogus",
                                         "text/plain", "application/pdf", "", "text/html; charset=utf-16"]),
                        st.one_of(page, st.just(f"<html><body><p>{REPORT}</p></body></html>"), hostile_text),
                        st.one_of(st.none(), hostile_text.map(lambda t: "http://x/" + t[:50])))


def write_warc(path: Path, records, gzipped: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gzipped)
        for kind, status, ctype, body, url in records:
            payload = body.encode("utf-8", errors="replace")
            http = {"response": StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1"),
                    "request": StatusAndHeaders("GET /", [("Host", "x")], protocol="HTTP/1.1", is_http_request=True),
                    }.get(kind)
            headers = {"WARC-Target-URI": url} if url else {}
            rec = writer.create_warc_record(url or "", kind, payload=io.BytesIO(payload), length=len(payload),
                                            http_headers=http, warc_content_type=ctype or None,
                                            warc_headers_dict=headers)
            writer.write_record(rec)


@property_test(st.lists(warc_record, max_size=4), st.booleans(), st.integers(0, 400))
@example([("response", "200 OK", "text/html", "", "http://x/"), ("resource", "200 OK", "text/plain", "", None)],
         False, 0)  # an empty text/plain page was stored as an empty document
def test_warc_reader_never_raises_and_names_the_archive(records, gzipped, cut):
    path = WORK / ("pages.warc.gz" if gzipped else "pages.warc")
    write_warc(path, records, gzipped)
    if cut:  # a truncated download
        data = path.read_bytes()
        path.write_bytes(data[: max(0, len(data) - cut)])
    docs, failed, skipped = read(path)
    assert len(docs) <= len(records)


# -- fixed hostile inputs ---------------------------------------------------------------------------
class _Spaces(io.RawIOBase):
    """n bytes of one character, streamed (never held in memory)."""

    def __init__(self, n: int, byte: bytes = b" "):
        self.left, self.byte = n, byte

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        k = min(len(buf), self.left)
        buf[:k] = self.byte * k
        self.left -= k
        return k


def test_a_gzip_bomb_in_a_warc_is_skipped_in_bounded_memory_and_the_next_page_read(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path, size = tmp_path / "bomb.warc.gz", MAX_BYTES * 3  # 150 MB of markup from a few hundred KB
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("http://x/bomb", "response", length=size, http_headers=http,
                                                      payload=io.BufferedReader(_Spaces(size, b"<"))))
        good = f"<html><body><p>{REPORT}</p></body></html>".encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("http://x/ok", "response", payload=io.BytesIO(good),
                                                      length=len(good), http_headers=http))
    assert path.stat().st_size < 2_000_000
    tracemalloc.start()
    try:
        docs, failed, _ = read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [d.url for d in docs] == ["http://x/ok"]
    assert failed == [f"{path}#1 http://x/bomb: page over the {MAX_BYTES} byte limit once decompressed (skipped)"]
    assert peak < size  # at most one document's worth was inflated, never the whole bomb


def test_a_gzip_bomb_named_gz_is_refused_after_reading_its_first_bytes(tmp_path):
    path = tmp_path / "reports.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as gz:
        chunk = b"\x00" * 2**20
        for _ in range(200):  # 200 MB of zeros, about 200 KB on disk
            gz.write(chunk)
    good = tmp_path / "good.txt"
    good.write_text(REPORT)
    sources = Sources([str(path), str(good)], keep_going=True)
    docs = list(sources)
    assert [d.id for d in docs] == ["good"]
    assert sources.failed == [f"{path}: gzip-compressed but not a WARC archive (decompress it first)"]


@pytest.mark.parametrize("text", ["x", "\u202e", "\x00", REPORT * (10 * 2**20 // len(REPORT))])
def test_one_character_and_ten_megabyte_documents_in_a_batch(tmp_path, text):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "one", "text": text}) + "\n" + json.dumps({"id": "two", "text": REPORT}) + "\n")
    docs, failed, skipped = read(path)
    assert "two" in [d.id for d in docs]
    assert len(docs) + len(failed) + len(skipped) == 2


def test_ingest_codes_the_good_files_of_a_hostile_folder_and_names_each_bad_one(tmp_path):
    """End to end: `communique ingest` over a folder of good and hostile files stores the good ones
    with their events, and its summary names every bad file or record with the reason."""
    from communique.store import Store

    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text(REPORT)
    (folder / "batch.jsonl").write_bytes(b"[" * 50_000 + b"\n" + json.dumps({"id": "fine", "text": REPORT.replace(
        "Lagos", "Nairobi")}).encode() + b"\n" + json.dumps({"text": REPORT, "url": {"x": 1}}).encode() + b"\n")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "latin.csv").write_bytes("id,text\n1,caf\u00e9 ol\u00e9\n".encode("latin-1"))
    (folder / "broken.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nHTTP/1.1")
    with gzip.open(folder / "bomb.warc.gz", "wb") as gz:
        gz.write(b"\x00" * (20 * 2**20))
    (folder / "empty.html").write_text("<html><body><div>" * 3000)
    db = tmp_path / "events.db"
    r = subprocess.run([sys.executable, "-m", "communique", "ingest", str(folder), "--db", str(db)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    out = " ".join((r.stdout + r.stderr).split())
    assert "2 new" in out and "Traceback" not in out
    for name in ("batch.jsonl:1", "batch.jsonl:3", "binary.txt", "latin.csv", "broken.warc", "bomb.warc.gz",
                 "empty.html"):
        assert name in out, name
    with Store(str(db)) as store:
        figures = store.stats()
    assert figures["documents"] == 2 and figures["events"] >= 2
