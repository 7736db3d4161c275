"""Events stated with a side missing take it from the same event stated in full (event_links)."""
from communique import extract

FULL = "Sudanese paramilitaries attacked a Chadian border post near Adre on Monday. "
BETWEEN = ("Chad's foreign minister summoned Sudan's ambassador on Tuesday. "
           "The African Union called for restraint. "
           "Aid agencies said thousands of refugees had crossed the border this year. ")
LATER = "Seven Chadian soldiers were killed in the assault, the army said."


def keys(events):
    return {(e.type, e.source.country if e.source else None, e.target.country if e.target else None)
            for e in events if not e.negated and not e.hypothetical}


def test_a_later_passive_mention_takes_the_attacker_of_the_full_one():
    events = extract(FULL + BETWEEN + LATER, "2024-03-06")
    toll = [e for e in events if e.type == "ASSAULT" and e.fatalities == 7]
    assert toll and all(e.source is not None and e.source.country == "SDN" for e in toll)
    assert all(e.rule.endswith("+linked") for e in toll)
    assert ("ASSAULT", None, "TCD") not in keys(events)


def test_no_side_is_taken_when_two_attackers_could_have_done_it():
    other = "Libyan militias attacked a Chadian convoy near Faya on Monday. "
    events = extract(FULL + other + BETWEEN + LATER, "2024-03-06")
    toll = [e for e in events if e.type == "ASSAULT" and e.fatalities == 7]
    assert toll and all(e.source is None for e in toll)


def test_a_side_taken_from_another_mention_is_never_the_actor_itself():
    from communique.event_links import link
    from communique.model import Actor, Event

    ruto = Actor("President Ruto", "William Ruto", "President", "KEN", ["GOV"], "person")
    farmers = Actor("the farmers' union", None, None, "KEN", ["AGR"], "agent")
    full = Event(doc_id="d", type="REQUEST", source=farmers, target=ruto, sentence="", char_span=(0, 1),
                 trigger="urged", rule="request.urge", confidence=0.9)
    half = Event(doc_id="d", type="REQUEST", source=ruto, target=None, sentence="", char_span=(2, 3),
                 trigger="asked", rule="request.ask", confidence=0.9)
    linked = link([full, half])
    assert linked[1].target is None and linked[1].rule == "request.ask"
