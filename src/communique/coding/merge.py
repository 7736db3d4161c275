"""The events of a sentence and of a report merged: repeats and less full statements of the
same event dropped, tolls with no attacker folded into the attack they retell, a bulletin's
tolls shared between its headlines, a report's most specific place given to events placed only
in a country."""
from __future__ import annotations

from .. import casualties
from ..events import triggers
from ..model import Event, Place
from ..places import RANK
from .parties import placeable


def _key(e: Event):
    return (e.source.country if e.source else None, e.target.country if e.target else None)


def most_specific_by_country(places: list[Place]) -> dict[str | None, Place]:
    """Per country, the report's most specific place below country level (the first named of
    equally specific ones)."""
    best: dict[str | None, Place] = {}
    for p in places:
        if p.precision == "country":
            continue
        have = best.get(p.country)
        if have is None or RANK.get(p.precision, 0) < RANK.get(have.precision, 0):
            best[p.country] = p
    return best


def report_place(place: Place | None, best: dict[str | None, Place], event: Event) -> Place | None:
    """A more specific place from elsewhere in the report for an event placed only in a
    country, or nowhere: bulletins name the town in another headline ("Harasta", "10 dead in
    Bangui"), as coders read the whole report. Inside the event's country, or the country of
    its parties when it has no place; with neither, only when the report's places are in one
    country."""
    if place is not None and place.precision != "country":
        return None
    if place is not None:
        within = [place.country]
    else:
        within = [a.country for a in (event.source, event.target) if a is not None and a.country]
    if not within:
        return next(iter(best.values())) if len(best) == 1 else None
    found = [best[c] for c in within if c in best]
    return min(found, key=lambda p: RANK.get(p.precision, 0)) if found else None


def share_toll(events: list[Event]) -> None:
    """In a bulletin of headlines on one incident, an attack headline that gives no toll
    ("Militants attack court in Misrata") takes the toll the others give at the same place
    (casualties.best_toll); one placed only in a country takes those given in that country.
    A headline at another town is another incident and shares nothing."""
    def country(e: Event) -> str | None:
        return e.location.country if e.location else (e.target.country if e.target else None)

    def spot(e: Event) -> str | None:
        return e.location.name if e.location is not None and e.location.precision != "country" else None

    attacks = [e for e in events if e.type == "ASSAULT" and not e.negated and not e.hypothetical]
    by_spot: dict[tuple, list[int]] = {}
    by_country: dict[str | None, list[int]] = {}
    for e in attacks:
        if e.fatalities is not None:
            by_spot.setdefault((country(e), spot(e)), []).append(e.fatalities)
            by_country.setdefault(country(e), []).append(e.fatalities)
    for e in attacks:
        if e.fatalities is None:
            c, sp = country(e), spot(e)
            pool = by_spot.get((c, sp), []) + by_spot.get((c, None), []) if sp else by_country.get(c, [])
            e.fatalities = casualties.best_toll(pool)


UNATTRIBUTED_RULES = {"assault.casualties"}  # tolls with no attack word of their own


def fold_unattributed(events: list[Event]) -> list[Event]:
    """A toll or an attack noun with no attacker named ("three soldiers had died", "explosions in
    Sanaa") retells an attack the report codes with its parties: one by a named attacker on the
    same country, or, for a toll with no country either, any attack on a known country. Its
    count goes to that attack, not to a second event."""
    def live(e: Event) -> bool:
        return e.type == "ASSAULT" and not e.negated and not e.hypothetical

    def named(e: Event) -> bool:  # the country-struck stand-in ("unidentified attackers in X") names no one
        return e.source is not None and e.source.kind != "unidentified"

    attributed = [e for e in events if live(e) and named(e) and e.source.country]
    targeted = [e for e in events if live(e) and e.target is not None and e.target.country]
    first_on: dict[str, Event] = {}  # the first attributed attack on each country
    for a in attributed:
        if a.target is not None and a.target.country:
            first_on.setdefault(a.target.country, a)
    noun_rules = {t.id for ts in triggers().by_noun.values() for t in ts}
    out = []
    for e in events:
        # a killing by "unidentified attackers" (no one named it) retells an attack on that
        # country the same day ("five of the group's fighters were killed", after the strikes)
        stand_in = live(e) and e.source is not None and not named(e)
        unattributed = live(e) and not named(e) and (e.rule in UNATTRIBUTED_RULES or e.rule in noun_rules or stand_in)
        if not unattributed:
            out.append(e)
            continue
        if e.target is None:
            into = attributed[0] if attributed else next((a for a in targeted if a is not e), None)
        else:
            into = first_on.get(e.target.country)
            if into is not None and stand_in and e.rule not in noun_rules and into.date != e.date:
                into = None
        if into is None:
            out.append(e)
        elif into.fatalities is None and e.fatalities is not None:
            into.fatalities = e.fatalities
    return out


def merge_within_sentence(events: list[Event]) -> list[Event]:
    """Within one sentence, drop an event that another of the same type states more fully,
    and repeats of the same type and parties ("an airstrike ... killed nine")."""
    seen: dict[tuple, Event] = {}
    unique = []
    for e in events:
        k = (e.type, e.negated, e.hypothetical, e.source.key() if e.source else None, e.target.key() if e.target else None)
        if k in seen:
            first = seen[k]
            if first.fatalities is None:
                first.fatalities = e.fatalities
            continue
        seen[k] = e
        unique.append(e)
    events = unique
    out = []
    for e in events:
        s, t = _key(e)
        # a side with no country is missing only if it names no one ("Guterres" is someone)
        s_gap, t_gap = not placeable(e.source), not placeable(e.target)
        absorbed = False
        for o in events:
            if o is e or o.type != e.type:
                continue
            os_, ot = _key(o)
            fuller = (s == os_ or (s is None and s_gap)) and (t == ot or (t is None and t_gap)) and (os_, ot) != (s, t)
            if fuller:
                absorbed = True
                o.fatalities = o.fatalities if o.fatalities is not None else e.fatalities
                if o.date_text is None and e.date_text is not None:
                    o.date, o.date_precision, o.date_text = e.date, e.date_precision, e.date_text
                break
        if not absorbed:
            out.append(e)
    return out
