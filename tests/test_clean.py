from communique.clean import clean, dateline_length
from communique.model import Document

PAGE = """World | Asia | Business | Sport
Trending: Budget 2024 | Monsoon tracker | Cricket
Minister resigns over bridge collapse…
Chile and Peru sign fishing accord
LIMA, March 4 — Chile and Peru signed an agreement on Monday to share data on fish stocks in their waters, officials said.
The accord follows two years of talks between the fisheries ministries of both countries.
Also Read: Bolivia devalues its currency as reserves run low
Argentina's central bank raises rates again to fight…
Follow us on X and Facebook
© 2024 Example News. All rights reserved."""


def test_trailing_chrome_ends_body():
    c = clean(Document("d", PAGE))
    assert c.body_end == PAGE.index("Also Read:")
    body = " ".join(PAGE[s.start:s.end] for s in c.segments)
    assert "Bolivia" not in body and "Argentina" not in body and "Follow us" not in body


def test_top_chrome_and_headline_skipped_when_prose_follows():
    c = clean(Document("d", PAGE))
    body = " ".join(PAGE[s.start:s.end] for s in c.segments)
    assert "Trending" not in body and "Minister resigns" not in body and "World |" not in body
    assert body.startswith("Chile and Peru signed")  # dateline "LIMA, March 4 — " stripped


def test_offsets_point_into_raw_text():
    c = clean(Document("d", PAGE))
    for s in c.segments:
        assert PAGE[s.start:s.end].strip() == PAGE[s.start:s.end]
        assert PAGE[s.start:s.end] in PAGE


def test_headline_only_document_is_kept():
    text = "Gunmen kill 7 in raid on village in Zamfara\nSeven killed as bandits attack Zamfara village"
    c = clean(Document("h", text))
    assert len(c.segments) == 2


def test_datelines():
    assert dateline_length("WASHINGTON — President Biden said on Monday that talks would go on.") == len("WASHINGTON — ")
    assert dateline_length("Kyiv, April 14 (Agencies): Ukraine began three days of mourning.") > 0
    assert dateline_length("The army said: troops had withdrawn from the town.") == 0


def test_teaser_lines_with_ellipsis_are_chrome_even_in_body():
    text = ("Kenya sent 400 police officers to Haiti on Tuesday to lead a multinational security mission there.\n"
            "Opposition leader slams budget as 'anti-poor'...\n"
            "The officers landed in Port-au-Prince after months of legal challenges in Nairobi courts.")
    c = clean(Document("t", text))
    body = " ".join(text[s.start:s.end] for s in c.segments)
    assert "slams" not in body and "officers landed" in body


def test_a_very_long_paragraph_is_cut_at_sentence_ends():
    text = "Police arrested five people in Lagos on Monday. " * 30000  # 1.4 MB on one line
    c = clean(Document("long", text))
    assert len(c.segments) > 100
    assert all(s.end - s.start <= 10_000 for s in c.segments)
    assert all(text[s.start:s.end].startswith("Police") for s in c.segments)
    assert c.segments[-1].end == len(text.rstrip())
