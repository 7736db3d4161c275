"""Gazetteer and event places: the most specific place in the event's own phrase, else the
report's lead place, else its dateline."""
from communique import extract
from communique.places import choose, dateline_place, gazetteer, lookup


def test_gazetteer_knows_cities_and_added_places():
    assert any(e.country == "CHN" for e in lookup("Chengdu"))
    assert gazetteer() is gazetteer()


def test_country_context_disambiguates():
    cands = lookup("Hyderabad")
    assert choose(cands, {"PAK"}).country == "PAK"
    assert choose(cands, {"IND"}).country == "IND"


def test_event_place_from_its_sentence_and_carried_to_the_meeting():
    text = ("Brazil's foreign minister held talks with his Argentine counterpart in Montevideo on Monday. "
            "The two ministers agreed to revive the trade council.")
    events = extract(text, "2024-03-06")
    assert {e.location.name for e in events} == {"Montevideo"}
    assert all(e.location.country == "URY" and e.location.lat is not None for e in events)


def test_most_specific_place_wins():
    (e,) = [e for e in extract("Gunmen killed five villagers in Kaduna State's Kajuru on Sunday.", "2024-03-06")
            if e.type == "ASSAULT"]
    assert e.location.country == "NGA"


def test_dateline_place_is_the_fallback():
    assert dateline_place("TOKYO — ").name == "Tokyo"
    text = "TOKYO — Japan and Australia agreed on Friday to deepen defence cooperation, officials said."
    (e,) = [e for e in extract(text, "2024-03-08") if e.type == "AGREE"]
    assert e.location.name == "Tokyo"
