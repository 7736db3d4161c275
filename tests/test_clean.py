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
    # the wire services' plain hyphen, with or without the agency's name
    assert dateline_length("HARARE, Oct 3 (Reuters) - Police arrested two union leaders.") == len("HARARE, Oct 3 (Reuters) - ")
    assert dateline_length("QUITO, May 21 - Ecuador's president declared a curfew.") == len("QUITO, May 21 - ")
    assert dateline_length("Al-Shabaab fighters attacked a base - Somali officials said.") == 0


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


def _body(text, title=None):
    c = clean(Document("d", text, title=title))
    return [text[s.start:s.end] for s in c.segments], c


MID_PROMO = """Ministers agree to reopen the border crossing
ISLAMABAD, May 2 — Pakistan and Afghanistan agreed on Friday to reopen the Torkham crossing for trade after talks in Islamabad.
Read more: Afghan traders count losses as border stays shut
The two sides said customs officers would work in shifts so that lorries could cross around the clock.
Officials expect more than a thousand lorries a day once the crossing reopens next week.
Related stories
Pakistan raises fuel prices for the third time this year
© 2025 Example News."""


def test_promo_inside_the_article_is_skipped_and_the_article_goes_on():
    body, c = _body(MID_PROMO)
    assert not any("Afghan traders" in b for b in body)
    assert body[-1].startswith("Officials expect")  # the paragraphs after the promo are kept
    assert c.body_end == MID_PROMO.index("Related stories")  # the last marker, with no article after, ends it
    assert not any("fuel prices" in b for b in body)


def test_first_paragraph_without_a_full_stop_is_body_not_headline():
    text = ("Envoys of the two Koreas met at the truce village of Panmunjom on Wednesday for the first time in "
            "a year, officials said, and agreed to meet again in June\n"
            "The talks lasted three hours and covered family reunions and a hotline between the militaries.")
    body, _ = _body(text, title="Koreas hold first talks in a year")
    assert body[0].startswith("Envoys of the two Koreas")


def test_line_repeating_the_title_is_skipped():
    text = ("Koreas hold first talks in a year at Panmunjom\n"
            "Envoys of the two Koreas met at the truce village of Panmunjom on Wednesday, officials said.")
    body, _ = _body(text, title="Koreas hold first talks in a year at Panmunjom")
    assert body == ["Envoys of the two Koreas met at the truce village of Panmunjom on Wednesday, officials said."]


def test_only_the_first_paragraph_loses_a_dateline():
    text = ("KABUL, June 3 — Taliban officials met a Chinese delegation in Kabul on Monday to discuss mining, officials said.\n"
            "President Xi — who has not visited Kabul — sent a letter that was read out at the meeting, they said.")
    body, c = _body(text)
    assert body[0].startswith("Taliban officials") and body[1].startswith("President Xi")
    assert c.dateline.startswith("KABUL")


def test_sentences_ending_in_an_ellipsis_are_not_teasers():
    text = ("Police said the suspects were detained at dawn.\n"
            "The minister would not say more. Still, officials hinted that further arrests were possible…")
    body, _ = _body(text)
    assert len(body) == 2


def test_one_to_three_word_labels_are_dropped_but_short_paragraphs_kept():
    text = ("Troops withdrew from the disputed ridge on Sunday under the deal signed last month, officials said.\n"
            "Advertisement here\n"
            "Both sides will patrol jointly.\n")
    body, _ = _body(text)
    assert body == ["Troops withdrew from the disputed ridge on Sunday under the deal signed last month, officials said.",
                    "Both sides will patrol jointly."]


def test_a_list_of_names_is_no_paragraph_and_the_headlines_before_it_are_kept():
    """A victims list ending in a quoted nickname is long and ends like a sentence, but reads
    like no sentence: the bulletin's headlines are the report, not a headline its lead restates."""
    text = ("Airstrike on market near Idlib kills 14 people, including five children\n"
            "Ahmad Khaled al-Hussein Mahmoud Khaled al-Hussein Yasser Omar Qassab Omar Yasser \"Abu Ali\"")
    c = clean(Document("u", text))
    assert text[c.segments[0].start:c.segments[0].end].startswith("Airstrike on market")
