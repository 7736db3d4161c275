"""The HTML stage (read_html, fragment_text) on small pages written here, and the extraction
benchmark's scorer on hand-made examples with known answers. No network."""
import subprocess
import sys
from datetime import date

import pytest

from communique.ingest.base import InputError
from communique.ingest.html import fragment_text, read_html
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from extraction_score import (bootstrap, paired_f1_difference, score_page, shingles,  # noqa: E402
                              summarise, tokens)

PAGE_DATE = '<meta property="article:published_time" content="2024-03-12T09:30:00+00:00">'

STORY = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Coastal parties agree to form coalition government | The Harbour Ledger</title>
  <meta property="og:title" content="Coastal parties agree to form coalition government">
  <meta property="og:site_name" content="The Harbour Ledger">
  <meta name="author" content="Mirela Oduya">
  PAGE_DATE
</head>
<body>
  <header class="site-header"><a href="/">The Harbour Ledger</a>
    <nav class="main-nav"><ul>
      <li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
      <li><a href="/business">Business</a></li><li><a href="/weather">Weather desk</a></li>
    </ul></nav>
  </header>
  <main>
    <article>
      <h1>Coastal parties agree to form coalition government</h1>
      <p class="byline">By Mirela Oduya</p>
      <p>Leaders of the Coastal Alliance and the Farmers' League signed a coalition agreement in the capital on Monday, ending six weeks of talks after an election that left no party with a majority.</p>
      <p>Under the deal, the alliance will name the prime minister and the league will take the finance and agriculture ministries, party officials told reporters outside the parliament building.</p>
      <p>The opposition Labour Front accused both parties of trading cabinet posts for votes and said it would call for a vote of no confidence once the new cabinet is sworn in.</p>
      <p>Parliament is expected to approve the new government later this week, the speaker's office said in a statement.</p>
      <div class="related">
        <p>Related:</p>
        <ul>
          <li><a href="/p/1">Fishing quotas dominate final week of campaign</a></li>
          <li><a href="/p/2">Turnout falls to record low in northern provinces</a></li>
        </ul>
      </div>
    </article>
    <section id="comments" class="comments">
      <h3>Comments</h3>
      <div class="comment"><p>Typical backroom politics, nothing will change for ordinary fishermen in this town.</p></div>
      <div class="comment"><p>Finally a government, the markets were waiting far too long for this announcement.</p></div>
    </section>
  </main>
  <footer class="site-footer">
    <p><a href="/about">About us</a> | <a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p>
    <p>Copyright 2024 Harbour Ledger Media. All rights reserved.</p>
  </footer>
</body>
</html>
"""
DATED = STORY.replace("PAGE_DATE", PAGE_DATE)
UNDATED = STORY.replace("PAGE_DATE", "")  # still has "Copyright 2024" in the footer

LISTING = """<html><head><title>Politics | The Harbour Ledger</title></head><body>
<header><a href="/">The Harbour Ledger</a>
<nav><a href="/world">World</a> <a href="/politics">Politics</a> <a href="/business">Business</a></nav></header>
<main><h2>Latest in politics</h2><ul>
<li><a href="/p/3">Coastal parties agree to form coalition government</a></li>
<li><a href="/p/4">Speaker sets date for confidence vote in parliament</a></li>
<li><a href="/p/5">Labour Front names new leader after election defeat</a></li>
</ul></main>
<footer><a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer>
</body></html>"""


def test_article_body_is_extracted():
    doc = read_html(DATED, "ledger-1", "pages/ledger.html")
    assert doc.id == "ledger-1" and doc.source == "pages/ledger.html" and doc.raw == DATED
    assert "signed a coalition agreement in the capital on Monday" in doc.text
    assert "vote of no confidence once the new cabinet is sworn in" in doc.text
    assert doc.text.rstrip().endswith("the speaker's office said in a statement.")
    # one paragraph a line, in page order
    lines = [line for line in doc.text.splitlines() if line.strip()]
    assert lines.index(next(l for l in lines if l.startswith("Leaders of the Coastal"))) < \
        lines.index(next(l for l in lines if l.startswith("Parliament is expected")))


def test_navigation_footer_related_links_and_comments_are_gone():
    text = read_html(DATED, "ledger-1", "pages/ledger.html").text
    for chrome in ("Weather desk", "Business", "Privacy policy", "Terms of use", "All rights reserved",
                   "Fishing quotas", "Turnout falls", "Typical backroom politics", "markets were waiting",
                   "By Mirela Oduya"):
        assert chrome not in text, chrome


def test_metadata_is_read():
    doc = read_html(DATED, "ledger-1", "pages/ledger.html", url="https://ledger.example/p/3",
                    title="a title the caller had")
    assert doc.title == "Coastal parties agree to form coalition government"
    assert doc.author == "Mirela Oduya"
    assert doc.site == "The Harbour Ledger"
    assert doc.url == "https://ledger.example/p/3"
    assert doc.published == date(2024, 3, 12)


def test_page_date_beats_the_fallback_date():
    doc = read_html(DATED, "ledger-1", "pages/ledger.html", published=date(2020, 1, 1))
    assert doc.published == date(2024, 3, 12)


def test_fallback_date_when_the_page_has_none():
    # the footer's "Copyright 2024" is not a publication date (it would give 2024-01-01)
    doc = read_html(UNDATED, "ledger-2", "pages/ledger.html", published=date(2024, 3, 13))
    assert doc.published == date(2024, 3, 13)
    assert read_html(UNDATED, "ledger-2", "pages/ledger.html").published is None


def test_date_in_time_element_or_url_is_the_page_date():
    timed = UNDATED.replace("<main>", '<main><time datetime="2024-03-11">11 March 2024</time>')
    assert read_html(timed, "t", "t.html", published=date(2020, 1, 1)).published == date(2024, 3, 11)
    doc = read_html(UNDATED, "u", "u.html", url="https://ledger.example/2023/05/17/coalition-talks",
                    published=date(2020, 1, 1))
    assert doc.published == date(2023, 5, 17)


def test_caller_title_when_the_page_has_none():
    page = ("<html><body><article><p>Leaders of the Coastal Alliance signed a coalition agreement "
            "in the capital on Monday after six weeks of talks.</p></article></body></html>")
    assert read_html(page, "x", "x.html", title="Coalition deal").title == "Coalition deal"


def test_page_without_an_article_is_refused_naming_the_source():
    with pytest.raises(InputError, match=r"^crawl/politics-index\.html: no article text"):
        read_html(LISTING, "idx", "crawl/politics-index.html")
    menu_only = LISTING.replace(LISTING[LISTING.index("<main>"):LISTING.index("</main>") + 7], "")
    with pytest.raises(InputError, match="crawl/menu.html"):
        read_html(menu_only, "menu", "crawl/menu.html")
    with pytest.raises(InputError, match="crawl/empty.html"):
        read_html("<html><head><title>x</title></head><body></body></html>", "e", "crawl/empty.html")


@pytest.mark.parametrize("garbage", [
    "",
    "\x00\x01\x02\x89PNG\r\n\x1a\n binary bytes",
    "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
    '{"id": 1, "text": "not a page"}',
    "Leaders signed a coalition agreement on Monday in the capital city.",
])
def test_non_html_is_refused_naming_the_source(garbage):
    with pytest.raises(InputError, match=r"^feed\.warc#7: "):
        read_html(garbage, "g", "feed.warc#7")


def test_bare_fragment_from_a_batch_file_is_read():
    doc = read_html("<p>Leaders of two parties signed a coalition agreement in the capital on Monday "
                    "after six weeks of talks.</p>", "b", "batch.jsonl:3")
    assert doc.text.startswith("Leaders of two parties signed")


def test_fragment_text_keeps_paragraphs_as_lines_and_drops_script_and_style():
    html = ("<div><p>The cabinet resigned on <b>Friday</b>.</p><script>var tracker = 1;</script>"
            "<style>p { color: red }</style><p>Elections are due\n   in   June.</p>"
            "<ul><li>First item</li><li>Second item</li></ul>Tail text<br>after a break</div>")
    assert fragment_text(html).splitlines() == [
        "The cabinet resigned on Friday.", "Elections are due in June.", "First item", "Second item",
        "Tail text", "after a break"]
    assert "tracker" not in fragment_text(html) and "color" not in fragment_text(html)
    assert fragment_text("  plain summary, no markup  ") == "plain summary, no markup"


# --- the benchmark scorer (benchmarks/extraction_score.py) -----------------------------------

def test_tokens_and_shingles():
    assert tokens("Don't stop — Привет, мир! x_1") == ["Don", "t", "stop", "Привет", "мир", "x_1"]
    assert shingles(tokens("a b c")) == {("a", "b", "c"): 1}  # 1-3 tokens: one short shingle
    assert shingles([]) == {}
    assert shingles(tokens("a b c d a b c d"))[("a", "b", "c", "d")] == 2  # a multiset


def test_identical_prediction_scores_one():
    truth = "The parliament approved the new government on Thursday.\n\nThe vote was 61 to 40."
    page = score_page(truth, "The parliament approved the new government on Thursday. The vote was 61 to 40!")
    assert (page.precision, page.recall, page.exact) == (1.0, 1.0, True)
    s = summarise([page])
    assert (s.precision, s.recall, s.f1, s.accuracy) == (1.0, 1.0, 1.0, 1.0)


def test_disjoint_prediction_scores_zero():
    page = score_page("the parliament approved the new government", "share this story on social media now")
    assert (page.precision, page.recall, page.exact) == (0.0, 0.0, False)
    assert summarise([page]).f1 == 0.0


def test_partial_prediction_counts_repeated_shingles():
    page = score_page("a b c d a b c d", "a b c d")  # truth: abcd x2, bcda, cdab, dabc
    assert page.precision == 1.0 and page.recall == pytest.approx(1 / 5)
    page = score_page("a b c d", "a b c d e")  # one extra shingle in the prediction
    assert page.precision == 0.5 and page.recall == 1.0 and not page.exact


def test_empty_prediction_is_left_out_of_precision_and_scores_zero_recall():
    perfect = score_page("one two three four five", "one two three four five")
    empty = score_page("one two three four five", "")
    assert empty.precision is None and empty.recall == 0.0
    s = summarise([perfect, empty])
    assert s.precision == 1.0 and s.recall == 0.5 and s.empty == 1
    assert s.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)  # from the averages, not a mean of page F1
    assert s.accuracy == 0.5
    both_empty = score_page("", "")
    assert (both_empty.precision, both_empty.recall) == (1.0, 1.0)


def test_bootstrap_is_seeded_and_paired_difference_of_a_system_with_itself_is_zero():
    pages = [score_page("a b c d e f", p) for p in ("a b c d e f", "a b c d", "x y z w", "a b c d e f g")]
    assert bootstrap(pages, 200, seed=3) == bootstrap(pages, 200, seed=3)
    assert bootstrap(pages[:1] * 5, 50)["f1"] == 0.0
    assert paired_f1_difference(pages, pages, 100) == (0.0, 0.0)


def test_benchmark_script_says_clearly_when_the_data_is_absent(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "extraction.py"), "--shared",
                          str(tmp_path / "no-shared"), "--no-write"], capture_output=True, text=True)
    assert run.returncode != 0
    assert "article-extraction not found" in run.stderr
