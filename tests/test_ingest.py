"""Reading sources: each kind of input, recursive folders and globs, batches with bad rows,
feeds, web archives, language and date skips, and errors that name the input."""
from __future__ import annotations

import io
import json
import sys
from datetime import date

import pytest

from communique.ingest import InputError, Sources

STORY = ("Foreign ministers of Brazil and Argentina met in Buenos Aires on Tuesday and agreed to "
         "extend their joint border patrols for another year, officials said.")
GERMAN = ("Die Außenminister Brasiliens und Argentiniens trafen sich am Dienstag in Buenos Aires und "
          "vereinbarten, ihre gemeinsamen Grenzpatrouillen um ein weiteres Jahr zu verlängern.")
PAGE = """<!doctype html><html><head><title>Ministers extend patrols | Example News</title>
<meta property="article:published_time" content="2025-03-05T08:00:00Z">
<meta name="author" content="Ana Souza"><meta property="og:site_name" content="Example News"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Ministers extend patrols</h1><p>{story}</p>
<p>The agreement covers the river frontier where smugglers have been active, the ministers said in a joint statement after the talks.</p>
<p>Both governments will review the patrols again next spring, according to the statement released on Tuesday evening.</p></article>
<footer>Copyright 2025 Example News. All rights reserved.</footer></body></html>"""


def read(*inputs, **kw):
    src = Sources([str(i) for i in inputs], **kw)
    return list(src), src


def test_text_file(tmp_path):
    (tmp_path / "report.txt").write_text(STORY)
    [d], _ = read(tmp_path / "report.txt", published=date(2025, 3, 5))
    assert (d.id, d.text, d.published, d.language) == ("report", STORY, date(2025, 3, 5), "en")
    assert d.identity == f"file:{(tmp_path / 'report.txt').resolve()}"


def test_folder_is_read_recursively_and_unknown_files_ignored(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "one.txt").write_text(STORY)
    (tmp_path / "a" / "b" / "two.txt").write_text(STORY.replace("Tuesday", "Monday"))
    (tmp_path / "a" / "page.html").write_text(PAGE.format(story=STORY))
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG\x00\x00")
    docs, _ = read(tmp_path)
    assert sorted(d.id for d in docs) == ["one", "page", "two"]


def test_glob(tmp_path):
    for name in ("x1.txt", "x2.txt", "y.txt"):
        (tmp_path / name).write_text(STORY + name)
    docs, _ = read(tmp_path / "x*.txt")
    assert [d.id for d in docs] == ["x1", "x2"]
    with pytest.raises(InputError, match="no file matches"):
        read(tmp_path / "z*.txt")


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STORY.encode())))
    [d], _ = read("-")
    assert d.text == STORY and d.id == "stdin"


def test_html_page_keeps_its_metadata(tmp_path):
    path = tmp_path / "patrols.html"
    path.write_text(PAGE.format(story=STORY))
    [d], _ = read(path, published=date(2020, 1, 1))
    assert d.published == date(2025, 3, 5)  # the page's own date beats the fallback
    assert STORY in d.text and "Copyright" not in d.text and "World" not in d.text.split("\n")[0]
    assert (d.author, d.site) == ("Ana Souza", "Example News")
    assert "Ministers extend patrols" in d.title
    assert d.raw.startswith("<!doctype html>")


def test_jsonl_batch_skips_bad_lines_and_reads_html_rows(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "t1", "text": STORY, "published": "2025-03-05", "url": "https://example.org/t1", "title": "T1"}),
        "{not json",
        json.dumps({"id": "t2", "published": "2025-03-05"}),
        json.dumps({"id": "h1", "html": PAGE.format(story=STORY), "url": "https://example.org/h1"}),
        json.dumps({"id": "t3", "text": STORY, "published": "March 5"}),
    ]) + "\n")
    docs, src = read(path)
    assert [d.id for d in docs] == ["t1", "h1"]
    assert docs[0].identity == "https://example.org/t1" and docs[0].title == "T1"
    assert docs[1].published == date(2025, 3, 5)
    assert [m.split(": ")[0] for m in src.failed] == [f"{path}:2", f"{path}:3", f"{path}:5"]
    assert "not a YYYY-MM-DD date" in src.failed[2]


def test_csv_batch(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text('id,text,published,url,title\n'
                    f'c1,"{STORY}\nSecond paragraph, with a comma.",2025-03-05,https://example.org/c1,One\n'
                    'c2,,2025-03-05,,Empty\n'
                    f'c3,"{STORY}",2025-03-06,,Three\n')
    docs, src = read(path)
    assert [d.id for d in docs] == ["c1", "c3"]
    assert docs[0].text.endswith("with a comma.") and docs[0].published == date(2025, 3, 5)
    assert len(src.failed) == 1 and 'no "text" or "html"' in src.failed[0]


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "batch.csv"
    path.write_text("id,body\n1,hello\n")
    with pytest.raises(InputError, match="no 'text' or 'html' column"):
        read(path)


RSS = """<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example World</title><link>https://example.org/</link>
<item><title>Patrols extended</title><link>https://example.org/patrols</link><guid>https://example.org/patrols</guid>
<pubDate>Wed, 05 Mar 2025 08:00:00 GMT</pubDate><author>desk@example.org (Ana Souza)</author>
<content:encoded><![CDATA[<p>{story}</p><p>Second paragraph.</p><script>track()</script>]]></content:encoded></item>
<item><title>Only a summary</title><link>https://example.org/summary</link>
<pubDate>Thu, 06 Mar 2025 09:00:00 GMT</pubDate><description>Police in Lagos arrested 12 protesters on Thursday.</description></item>
<item><title>Nothing</title><link>https://example.org/empty</link><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom World</title>
<entry><title>Talks</title><link href="https://example.org/atom1"/><id>urn:x:1</id><updated>2025-03-07T10:00:00Z</updated>
<content type="html">&lt;p&gt;{story}&lt;/p&gt;</content></entry></feed>"""


def test_rss_feed(tmp_path):
    path = tmp_path / "world.rss"
    path.write_text(RSS.format(story=STORY))
    docs, src = read(path)
    assert [d.url for d in docs] == ["https://example.org/patrols", "https://example.org/summary"]
    first = docs[0]
    assert first.text == STORY + "\nSecond paragraph."  # paragraphs kept, script dropped
    assert first.published == date(2025, 3, 5) and first.title == "Patrols extended" and first.site == "Example World"
    assert docs[1].published == date(2025, 3, 6)
    assert len(src.failed) == 1 and "no text" in src.failed[0]


def test_atom_feed_with_xml_suffix(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(ATOM.format(story=STORY))
    [d], _ = read(path)
    assert d.text == STORY and d.published == date(2025, 3, 7) and d.url == "https://example.org/atom1"


def test_feed_file_that_is_not_a_feed(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text("<rss><channel><item><title>unclosed")
    with pytest.raises(InputError, match="broken.rss"):
        read(path)


def write_warc(path, pages):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for url, status, ctype, body in pages:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                               http_headers=headers)
            writer.write_record(record)


def test_warc_archive(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, [
        ("https://example.org/patrols", "200 OK", "text/html; charset=utf-8", PAGE.format(story=STORY)),
        ("https://example.org/logo.png", "200 OK", "image/png", "PNG"),
        ("https://example.org/gone", "404 Not Found", "text/html", "<html><body>Not found</body></html>"),
        ("https://example.org/empty", "200 OK", "text/html", "<html><body><script>x()</script></body></html>"),
    ])
    [d], src = read(path)
    assert d.url == "https://example.org/patrols" and STORY in d.text and d.published == date(2025, 3, 5)
    assert len(src.failed) == 1 and "example.org/empty" in src.failed[0]


def test_not_a_warc(tmp_path):
    path = tmp_path / "crawl.warc"
    path.write_text("this is not an archive\n" * 20)
    with pytest.raises(InputError, match="crawl.warc"):
        read(path)


def test_non_english_is_skipped_with_reason(tmp_path):
    (tmp_path / "de.txt").write_text(GERMAN)
    (tmp_path / "en.txt").write_text(STORY)
    docs, src = read(tmp_path)
    assert [d.id for d in docs] == ["en"]
    assert len(src.skipped) == 1 and "'de'" in src.skipped[0] and "de.txt" in src.skipped[0]


def test_since_skips_older_documents(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"id": "old", "text": STORY, "published": "2024-01-01"}) + "\n"
                    + json.dumps({"id": "new", "text": STORY + " Again.", "published": "2025-01-01"}) + "\n")
    docs, src = read(path, since=date(2024, 6, 1))
    assert [d.id for d in docs] == ["new"] and "before 2024-06-01" in src.skipped[0]


def test_keep_going_reports_unreadable_inputs(tmp_path):
    (tmp_path / "ok.txt").write_text(STORY)
    (tmp_path / "empty.txt").write_text("")
    docs, src = read(tmp_path / "missing.txt", tmp_path / "empty.txt", tmp_path / "ok.txt", keep_going=True)
    assert [d.id for d in docs] == ["ok"]
    assert [m.split(": ")[1] for m in src.failed] == ["no such file", "empty file"]
    with pytest.raises(InputError, match="missing.txt: no such file"):
        read(tmp_path / "missing.txt")


def test_short_and_mixed_english_headlines_are_kept():
    from communique.ingest.language import not_english

    assert not_english("Gunmen kill four in northern Mali village\n"
                       "Mali : quatre morts dans une attaque contre un village du nord") is None
    assert not_english("Army kills 12 militants in northern region - ministry") is None
    assert not_english("Boko Haram kills three soldiers, overrun army base") is None
    assert "'fr'" in not_english("Quatre personnes ont été tuées mardi dans une attaque contre un village "
                                 "du nord du Mali, selon des sources locales.")


def test_files_without_a_known_suffix_are_sniffed(tmp_path):
    (tmp_path / "page").write_text(PAGE.format(story=STORY))
    (tmp_path / "feed.php").write_text(RSS.format(story=STORY))
    (tmp_path / "note").write_text(STORY)
    [page], _ = read(tmp_path / "page")
    assert page.author == "Ana Souza"  # read as HTML, with its metadata
    feed, _ = read(tmp_path / "feed.php")
    assert [d.url for d in feed][0] == "https://example.org/patrols"
    [note], _ = read(tmp_path / "note")
    assert note.text == STORY
