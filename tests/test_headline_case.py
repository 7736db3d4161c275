"""Headlines in Title Case or ALL CAPS are parsed in sentence case; offsets and evidence keep
the original text."""
from communique import extract
from communique.headline_case import headline_case, recase


def test_title_case_and_caps_lines_are_told_from_prose():
    assert headline_case("Russian Jets Bomb Rebel Positions Near Idlib") == "title"
    assert headline_case("MINISTERS SIGN GRAIN DEAL IN ANKARA") == "caps"
    assert headline_case("Kenya, Uganda and Tanzania signed a customs pact with Rwanda in Arusha on Friday.") is None
    assert headline_case("Peace Talks") is None  # too short to judge
    assert headline_case("Tajikistan banned the Islamic Renaissance Party in 2015.") is None


def test_common_words_are_lowered_and_names_kept():
    assert recase("Russian Jets Bomb Rebel Positions Near Idlib") == "Russian jets bomb rebel positions near Idlib"
    assert recase("Trump Meets Xi at White House Amid Trade Talks") == "Trump meets Xi at White House amid trade talks"
    assert recase("Relief Convoys Reach Flooded Villages in West Africa") == "Relief convoys reach flooded villages in West Africa"
    assert recase("NATO WARNS RUSSIA OVER TROOPS ON BORDER") == "NATO warns Russia over troops on border"
    text = "Police Arrest Dozens in Lagos\nOfficers said on Monday that the Protest had ended."
    out = recase(text)
    assert len(out) == len(text) and out.split("\n")[1] == text.split("\n")[1]  # prose is left alone


def test_a_title_case_headline_is_coded_and_its_evidence_is_the_original():
    text = "Thai Police Arrest Cambodian Workers in Bangkok"
    (e,) = [e for e in extract(text, "2025-01-14") if e.type == "COERCE"]
    assert (e.source.country, e.target.country) == ("THA", "KHM")
    assert e.sentence == text and text[e.char_span[0]:e.char_span[1]] == text
