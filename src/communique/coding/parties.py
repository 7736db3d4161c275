"""Who an event's parties are when the sentence does not say it all: the country a report is
about, the type an act takes given who does it, acts done jointly or between two sides."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from ..events import modality
from ..lexicon import load_yaml
from ..model import Actor
from ..places import KNOWN_TOWN_POPULATION, choose, lookup
from .syntax import stray_subject, support_verb


@lru_cache(maxsize=1)
def _recode_rules() -> list[dict]:
    return list(load_yaml("events/recode.yaml").get("by_source") or [])


def recode(etype: str, cameo, mode, source: Actor | None):
    """The type an act takes given who does it (data/events/recode.yaml)."""
    if source is not None and source.text:
        last = source.text.split()[-1].lower()
        for rule in _recode_rules():
            if rule["type"] == etype and last in rule["terms"]:
                b = rule["becomes"]
                return b["type"], str(b.get("cameo") or cameo), b.get("mode", mode)
    return etype, cameo, mode


def home_country(mentions, places: list[str] = ()) -> str | None:
    """The country a report is about: the one its names point to most (at least twice), or the
    only country it names at all. `places`: the countries of the towns and provinces it names,
    one vote each ("Fort Worth police", "federal prosecutors in Dallas": a domestic report names
    its country's places more often than its country); one place alone decides nothing."""
    counts = Counter()
    for m in mentions:
        e = m.entries[0]
        if e.kind in ("country", "adjective", "people", "metonym", "person") and e.country:
            counts[e.country] += 1
    only = next(iter(counts)) if len(counts) == 1 else None
    counts.update(places)
    if not counts:
        return None
    (code, n), = counts.most_common(1)
    return code if n >= 2 or code == only else None


def place_votes(mentions_by_paragraph) -> list[str]:
    """The countries of the known towns and provinces a report names (its paragraphs' place
    mentions, `places.place_mentions`), for home_country."""
    votes = []
    for mentions in mentions_by_paragraph:
        for _, _, text in mentions:
            e = choose(lookup(text), set(), text)
            if e is not None and e.country and e.precision != "country" and (
                    e.precision in ("admin1", "admin2") or e.population >= KNOWN_TOWN_POPULATION):
                votes.append(e.country)
    return votes


# agents of a state that may act abroad ("troops in Gaza" need not be Palestinian)
STATE_SECTORS = {"MIL", "GOV", "SPY", "LEG", "JUD"}


def foreign_side(targets: list[Actor]) -> set[str]:
    """The countries an unnamed source is not taken to be of: those of a named state or state
    official on the other side ("the ministry condemned Russia", "summoned the Russian
    ambassador"). A named person or party outside the state ("the government accused Machar's
    party", "police detained opposition leader X") is most often the source's own compatriot."""
    return {a.country for a in targets if a.country and a.name and (
        a.kind not in ("person", "agent", "armed_group", "people") or set(a.sectors) & STATE_SECTORS)}


def local_party(actor: Actor, here: str | None) -> str | None:
    """The place's country for an acting crowd, militia or police ("gunmen in Tbilisi",
    "workers in Lyon"): people without a state's reach act where they are."""
    if actor.kind != "agent" or set(actor.sectors) & STATE_SECTORS:
        return None
    return here


def in_public_life(actor: Actor | None) -> bool:
    """Is an actor a political one: a state, an organisation, an office holder, a listed person,
    a nation's people ("Palestinians") or an agent not known to be private? Doctors, crowds,
    companies' staff and people named without an office are private ("the landlord asked the
    tenants to leave")."""
    if actor is None:
        return False
    if actor.kind == "person":
        return bool(actor.role or actor.known or actor.country)
    if actor.kind == "agent":
        return bool(actor.name or not actor.sectors or set(actor.sectors) - set(modality()["private_sectors"]))
    return True


def placeable(actor: Actor | None) -> bool:
    """Does an actor say anything about the dyad: a country, an organisation, a known person?
    ("the execution of Ken Saro-Wiwa" alone names nobody an analyst can place)"""
    if actor is None:
        return False
    return bool(actor.country) or actor.known or actor.kind not in ("person", "agent", "state")


def in_subject(tok) -> bool:
    """Is a token inside its clause's subject phrase ("The head of the IAEA, Rafael Grossi, said")?"""
    t = tok
    while t.head.i != t.i and t.pos_ not in ("VERB", "AUX"):
        if t.dep_ in ("nsubj", "nsubjpass"):
            return True
        t = t.head
    stray = stray_subject(tok.doc[tok.i + 1]) if tok.i + 1 < len(tok.doc) else None
    return stray is not None and stray.i == tok.i  # "Opening ..., King Salman, the crown prince said"


# a state's armed and security forces: an order to them from their own side is a command, not an event
FORCE_SECTORS = {"MIL", "COP", "SPY"}


def own_forces(actor: Actor, country: str | None) -> bool:
    """Is an actor the forces of the given country ("the army", "its troops", "Kenyan police"
    for a Kenyan source)?"""
    return actor.kind == "agent" and bool(set(actor.sectors) & FORCE_SECTORS) and (
        actor.country is None or actor.country == country)


def one_country(actors: list[Actor]) -> str | None:
    """The country of the actors when they have exactly one."""
    found = {a.country for a in actors if a.country}
    return next(iter(found)) if len(found) == 1 else None


def named_between(tok) -> bool:
    """Are the parties of a noun or verb named by "between X and Y" (also "three days of talks
    between X and Y", where the parser hangs it from the quantity)?"""
    hosts = [tok] + ([tok.head.head] if tok.dep_ == "pobj" and tok.head.lower_ == "of" else [])
    return any(c.dep_ == "prep" and c.lower_ == "between" for h in hosts for c in h.children)


def done_jointly(tok) -> bool:
    """"carried out jointly", "a combined strike": the act is done together (modality.yaml)."""
    words = set(modality().get("joint_markers") or ())
    host = tok.head if tok.dep_ == "compound" else tok
    around = [tok, host] + ([support_verb(host)] if host.pos_ == "NOUN" and support_verb(host) is not None else [])
    return any(c.dep_ in ("advmod", "amod") and c.lower_ in words for x in around for c in x.children)
