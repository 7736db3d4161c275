"""Wires the stages: clean -> parse -> actors -> events -> places/dates -> Event records."""
from __future__ import annotations

import logging
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Iterable, Iterator

from . import casualties
from .actors import Context, Resolver, country_name, find_mentions, head_word
from .clean import clean, is_prose
from .dates import MONTHS, DateMention, find_dates
from .event_links import link
from .events import (Match, hostile_nouns, match_sentence, modality, shared_object, stray_subject, subject_of,
                     support_verb, triggers)
from .learned import SentenceReader, settings
from .lexicon import load_yaml
from .model import RECIPROCAL_TYPES, Actor, Cleaned, Document, Event, Place
from .parse import parse_many
from .places import LOCATIVE, RANK, choose, dateline_place, is_common_word, lookup, place_mentions, to_place

log = logging.getLogger(__name__)

SYMMETRIC = RECIPROCAL_TYPES
# events whose target, when unnamed, is the country where they happen
PLACE_TARGETS = {"ASSAULT", "RETREAT", "COERCE", "AID", "PROTEST"}
# events whose agent, when unnamed, is the state where they happen ("was arrested in Tehran")
PLACE_SOURCES = {"COERCE"}
# events said in a meeting are addressed to the other side when no target is named
ADDRESSED = {"REQUEST", "AGREE", "CONSULT", "SUPPORT", "ACCUSE", "REJECT", "THREATEN", "CONCEDE"}
LEAD_SENTENCES = 2  # the headline and the lead: where a report gives its own day
PARTY_MEMORY = 6  # sentences a meeting stays the frame for unaddressed statements
CLAIM_MEMORY = 2  # sentences back a denial looks for the claim it answers


@dataclass
class Story:
    """Document-level defaults: the lead event's date and place."""

    date: tuple[str, str, str] | None = None  # value, precision, text
    place: Place | None = None
    parties_age: int = 99


def _locative(tok) -> bool:
    """Is a place name in a locative phrase ("in Montevideo", "Kaduna State's Kajuru")?"""
    t = tok
    for _ in range(6):
        if t.dep_ == "pobj" and t.head.lower_ in LOCATIVE:
            return True
        if t.dep_ == "pobj" and t.head.lower_ == "on" and _hostile_word(t.head.head):
            return True  # "a missile attack on the port of Odesa"
        gov = t.head.head if t.dep_ == "pobj" else None
        if gov is not None and gov.pos_ == "ADP" and gov.lower_ == "out":
            gov = gov.head
        if gov is not None and t.head.lower_ in ("from", "of") and gov.pos_ == "VERB":
            return True  # "withdrew from Kherson", "pulled out of Khan Younis"
        if t.dep_ in ("appos", "conj", "compound", "poss", "nmod", "pobj") and t.head.i != t.i:
            if t.dep_ == "pobj" and t.head.lower_ == "of":
                t = t.head.head
                continue
            t = t.head
            continue
        if t.dep_ == "npadvmod" or (t.dep_ == "ROOT" and t.pos_ == "PROPN"):
            return True  # headline style: "Kabul blast kills 9"
        return False
    return False


# clauses with times and places of their own; an infinitive complement ("ordered X to leave
# on Friday") shares its governor's
CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "csubj", "parataxis"}
SAME_TIME = {"when", "as", "while"}  # "killed when a car bomb exploded near a market in X"


def _free_relative(c) -> bool:
    """"bombed what New Delhi described as a camp near Balakot": a clause opened by "what"
    stands for the verb's object, so its places are the verb's own."""
    return c.dep_ == "ccomp" and any(g.dep_ in ("dobj", "nsubj", "attr") and g.lower_ == "what" for g in c.children)


def _inside(c) -> bool:
    if _free_relative(c):
        return True
    if c.dep_ == "advcl":
        return any(g.dep_ in ("mark", "advmod") and g.lower_ in SAME_TIME for g in c.children)
    if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
        # "repelled and pursued the gunmen near X on Monday": one act told by two verbs
        return shared_object(c.head) is not None
    return c.dep_ not in CLAUSE_DEPS


def _local(node) -> set[int]:
    """Token ids in a node's own clause: its subtree without the clauses it embeds."""
    out, stack = set(), [node]
    while stack:
        t = stack.pop()
        out.add(t.i)
        stack.extend(c for c in t.children if _inside(c))
    return out


def _event_phrase(tok) -> set[int]:
    """Token ids that belong to an event word's phrase: its subtree; for an event noun that
    is the subject of a verb with no object, that verb's own clause ("Clashes erupt around
    Talbisah", "fighting intensifies in the region of Gao"); for the agent of a passive, its
    subject ("X hit by attacks"); for a conjoined noun, the phrases after it that the parser
    hung on the first conjunct."""
    ids = {x.i for x in tok.subtree}
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "nsubj" and tok.head.pos_ == "VERB" and not any(
            c.dep_ in ("dobj", "obj") for c in tok.head.children):
        ids |= _local(tok.head)
    if tok.dep_ == "pobj" and tok.head.lower_ == "by" and tok.head.head.pos_ == "VERB" and not any(
            c.dep_ in ("dobj", "obj") for c in tok.head.head.children):
        # "Northern Burkina Faso hit by two deadly attacks": the place is what they struck
        verb = tok.head.head
        ids |= {x.i for c in verb.children if c.dep_ in ("nsubjpass", "nsubj") for x in c.subtree}
    if tok.dep_ == "conj" and tok.pos_ in ("NOUN", "PROPN"):
        # "to their villages and continued fighting in the hills": a phrase after both
        # conjuncts hangs on the first and is shared
        ids |= {x.i for c in tok.head.children if c.dep_ == "prep" and c.i > tok.i for x in c.subtree}
    return ids


def _hostile_word(tok) -> bool:
    """An attack noun of data/events/references.yaml, or a verb the lexicon codes as ASSAULT."""
    lemma = tok.lemma_.lower()
    if lemma in hostile_nouns():
        return True
    return any(t.type == "ASSAULT" for t in triggers().by_verb.get(lemma, []))


def _subject_clauses(node) -> set[int]:
    """Token ids of a head clause's subject when the subject holds a clause of its own:
    "duties set to start on Friday were dropped, after X and Y reached a deal" -
    Friday is the duties' date, not the deal's."""
    out: set[int] = set()
    for c in node.children:
        if c.dep_ in ("nsubj", "nsubjpass") and any(x.pos_ in ("VERB", "AUX") for x in c.subtree):
            out |= {x.i for x in c.subtree}
    return out


def _near(trigger, items: dict[int, object], rank=None):
    """The item attached closest to the trigger: in its own clause, then in its heads'.
    With `rank`, the most specific item of the nearest level wins ("Kajuru" over "Kaduna State")."""
    node = trigger
    for _ in range(12):
        sub = _local(node)
        if node.i != trigger.i:
            sub -= _subject_clauses(node)
        hits = [(rank(v) if rank else 0, abs(i - trigger.i), v) for i, v in items.items() if i in sub]
        if hits:
            return min(hits, key=lambda h: h[:2])[2]
        if node.head.i == node.i:
            break
        node = node.head
    return None


def _offset_clause(tok):
    """The "N days after/before" clause an event word is told in, and its offset in days from
    the clause it hangs on ("a day after" +... -1: the act came first)."""
    from .casualties import number

    node = tok
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    if node.dep_ != "advcl":
        return None
    mark = next((c.lower_ for c in node.children if c.dep_ in ("mark", "prep") and c.lower_ in ("after", "before")), None)
    if mark is None:
        return None
    units = modality()["offset_units"]
    unit = next((c for v in (node, node.head) for c in v.children
                 if c.dep_ == "npadvmod" and c.lower_ in units), None)
    if unit is None:
        return None
    count = 1 if any(c.lower_ in ("a", "an", "one") for c in unit.children) else number(unit)
    if not count:
        return None
    days = count * units[unit.lower_]
    return node, -days if mark == "after" else days


def _reported_on(date_token) -> bool:
    """Whether a date is the day something was said ("was announced on Monday"), which does
    not date what the next sentence tells of."""
    node = date_token
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node.lemma_ in modality()["reporting_verbs"]


def _told_of(noun, dates: dict[int, object]):
    """The date a relative clause on an event noun gives the event itself ("the exercises, which
    began on Monday"; "talks that took place in March"): the clause's subject is the noun."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    # the noun, and what restates it ("Freedom Shield, their exercises, which began ...")
    same = [noun, *(c for c in noun.children if c.dep_ == "appos")] + ([noun.head] if noun.dep_ == "appos" else [])
    for head in same:
        for clause in head.children:
            if clause.dep_ == "relcl" and any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ == "WDT" for c in clause.children):
                found = _near(clause, {i: v for i, v in dates.items() if i in _local(clause)})
                if found is not None:
                    return found
    return None


class DocumentCoder:
    def __init__(self, cleaned: Cleaned):
        self.doc = cleaned.document
        self.ctx = Context(self.doc.published)
        self.story = Story()
        self.events: list[Event] = []
        self.doc_places: list[Place] = []  # every place an event could be at, in report order
        self.home: str | None = None
        self.last_assault: Event | None = None
        self.last_assault_at = -99
        self.sentence_no = 0
        self.narrative: tuple | None = None  # (sentence number, its day, whether said on it): see _carried
        self.claims: list[tuple[int, int, list[Actor]]] = []  # (sentence number, token, speakers): see _claimant
        self.sentence_countries: set[str] = set()
        self.reader = SentenceReader([])  # the model's reading of the report's sentences: see code
        self.dateline = dateline_place(cleaned.dateline) if cleaned.dateline else None
        # bulletins and lists of headlines name places without prepositions ("Harasta")
        self.headlines = not any(is_prose(cleaned.document.text[g.start:g.end]) for g in cleaned.segments)

    def code(self, paragraphs) -> list[Event]:
        found = [(p, find_mentions(p.doc)) for p in paragraphs]
        self.home = home_country(m for _, ms in found for m in ms)
        # every country the report names: a small place elsewhere is a homonym ("Morak" in a
        # report on Syria is not the Indian town); an armed group names the country it fights
        # in ("slam NPA over ...": Samar is the Philippine province)
        self.ctx.countries = {m.entries[0].country for _, ms in found for m in ms
                              if (m.entries[0].kind in ("country", "adjective", "people", "metonym")
                                  or m.entries[0].role == "armed_group")
                              and m.entries[0].country}
        self.reader = SentenceReader([(p.offset + s.start_char, s.text) for p in paragraphs for s in p.doc.sents])
        for p, mentions in found:
            self.code_paragraph(p.offset, p.doc, mentions)
        # in prose an unattributed toll retells the attack; in a bulletin each headline is its
        # own report and keeps its own count
        events = link(self.events)
        events = events if self.headlines else _fold_unattributed(events)
        best = most_specific_by_country(self.doc_places)
        for e in events:
            e.location = report_place(e.location, best, e) or e.location
        if self.headlines:
            _share_toll(events)
        return events

    def code_paragraph(self, offset: int, pdoc, mentions) -> None:
        resolver = Resolver(pdoc, mentions, self.ctx)
        self._mentions = mentions
        pmentions = place_mentions(pdoc)
        for sent in pdoc.sents:
            self.code_sentence(offset, pdoc, sent, resolver, mentions, pmentions)

    def _places(self, pdoc, sent, pmentions) -> dict[int, Place]:
        named = {i for m in self._mentions if m.entries[0].kind in ("org", "person", "role", "agent", "adjective", "people")
                 for i in range(m.start, m.end)}
        # "NATO drone attack" names the alliance, not the Nato of the gazetteer
        spans = [(a, b, text) for a, b, text in pmentions if sent.start <= a < sent.end
                 and not any(i in named for i in range(a, b)) and text.lower() not in MONTHS]  # "in August"
        countries = set()
        for a, b, text in spans:
            for e in lookup(text):
                if e.precision in ("country", "admin1"):
                    countries.add(e.country)
        out = {}
        for a, b, text in spans:
            head = pdoc[a:b].root
            if not _locative(head) and not self.headlines:
                continue  # in prose, a place must be where something is ("in X", "near X")
            # a hyphen inside a name ("Al-Quneitra") is no sign of a common noun
            proper = all(t.pos_ == "PROPN" for t in pdoc[a:b] if not t.is_punct)
            e = choose(lookup(text), countries | self._doc_countries | self.ctx.countries, text, proper=proper,
                       common=is_common_word(text))
            if e is not None:
                out[head.i] = to_place(e)
        # within one phrase the most specific wins (see _near): "Kajuru" over "Kaduna State"
        self.doc_places.extend(out.values())
        return out

    def code_sentence(self, offset, pdoc, sent, resolver, mentions, pmentions) -> None:
        text = sent.text
        self.sentence_no += 1
        here_m = [m for m in mentions if sent.start <= m.start < sent.end]
        self.sentence_countries = {m.entries[0].country for m in here_m if m.entries[0].country}
        # an international body named in the sentence is another party too ("defied a UN ban")
        if any(m.entries[0].kind == "org" and not m.entries[0].country for m in here_m):
            self.sentence_countries.add("(intl)")
        places = self._places(pdoc, sent, pmentions)
        dates = {}
        for d in find_dates(text, self.doc.published):
            if d.background:
                continue
            span = pdoc.char_span(sent.start_char + d.start, sent.start_char + d.end, alignment_mode="expand")
            if span is not None:
                dates[span.root.i] = d
        self.claims = [c for c in self.claims if c[0] >= self.sentence_no - CLAIM_MEMORY] + [
            (self.sentence_no, v.i, resolver.resolve(subj)) for v in sent
            if v.pos_ == "VERB" and v.lemma_.lower() in modality()["claimant_verbs"]
            and (subj := subject_of(v)) is not None]
        matches = [] if self.reader.active and settings().mode == "model" else match_sentence(sent, resolver)
        matches = self.reader.matches(matches, sent, offset + sent.start_char, resolver)
        deaths, injuries, death_word = casualties.report(sent)
        made: list[Event] = []
        for m in matches:
            made.extend(self.assemble(m, offset, sent, places, dates))
        if deaths is not None and death_word is not None and not any(e.type == "ASSAULT" for e in made):
            toll = self.casualty_event(death_word, deaths, offset, sent, places, dates)
            if toll is not None:
                made.append(toll)
        for e in made:
            if e.type == "ASSAULT" and deaths is not None and e.fatalities is None:
                e.fatalities = deaths
                e.injuries = injuries
        # nobody, nowhere and no toll an analyst could use: "the execution of X" alone
        made = [e for e in made if e.location is not None or e.fatalities is not None
                or _placeable(e.source) or _placeable(e.target)]
        made = _merge(made)
        if self.story.date is None and self.sentence_no <= LEAD_SENTENCES:
            lead = _near(sent.root, {i: d for i, d in dates.items() if d.precision == "day"})
            if lead is not None:
                # the lead's day is the report's day when its own act is negated ("formally
                # ending a boycott on Tuesday") or is no event at all
                self.story.date = (lead.value, lead.precision, lead.text)
        for e in made:
            if e.type == "ASSAULT" and e.source is not None and not e.negated and not e.hypothetical:
                self.last_assault, self.last_assault_at = e, self.sentence_no
        day = _near(sent.root, {i: (i, d) for i, d in dates.items() if d.precision == "day"})
        self.narrative = None if day is None else (self.sentence_no, day[1], _reported_on(pdoc[day[0]]))
        self.events.extend(made)
        self.remember(sent, resolver, made)

    def assemble(self, m: Match, offset, sent, places, dates) -> list[Event]:
        t = m.trigger
        sources = list(m.source_actors)
        targets = list(m.target_actors)
        inferred = False
        domestic = None
        etype, cameo, mode = t.type, t.cameo, t.mode
        if not targets and len(sources) > 1 and (t.symmetric or t.type in SYMMETRIC) and not t.joint:
            sources, targets = sources[:1], sources[1:]
        if not sources and len(targets) > 1 and t.type in SYMMETRIC and _between(m.token):
            sources, targets = targets[:1], targets[1:]  # "talks between a Mexican delegation and US officials"
        # "condemned the attack" names its party through the attack (see about_targets), not the meeting
        if not targets and not m.about and self.ctx.parties and self.story.parties_age < PARTY_MEMORY \
                and t.type in ADDRESSED:
            keys = {p.key() for p in self.ctx.parties}
            if sources and all(s.key() in keys for s in sources):
                targets = [p for p in self.ctx.parties if p.key() not in {s.key() for s in sources}]
                inferred = True
        hypothetical = m.hypothetical
        negated = m.negated
        planned = False
        if (m.intent or m.hypothetical) and m.ultimatum and t.type != "THREATEN":
            # "will withdraw its force unless ...", "may halt mediation if ...": the threat is real
            etype, cameo, hypothetical = "THREATEN", "130", False
        elif m.intent:
            conv = (modality().get("intent_as") or {}).get(etype)
            if conv and conv[0] == "THREATEN" and m.decided:
                conv = None  # "announced it would prohibit all aid": the sanction itself
            refusal = (modality().get("refusal_as") or {}).get(etype) if m.negated else None
            if refusal:
                # "said it would not accept more refugees": a stated refusal is a REJECT, done
                etype, cameo, negated, conv = refusal[0], str(refusal[1]), False, None
            if conv:
                etype, cameo = conv[0], str(conv[1])
                # "will deploy its National Guard": a plan, not a threat, unless someone is named
                # (here or in its place, below)
                planned = conv[0] == "THREATEN" and not targets
        tok = m.token
        own_place = _near(tok, places, lambda p: RANK.get(p.precision, 0))
        d = None
        if m.intent and tok.dep_ == "ccomp":
            # a stated intent is dated when it was stated: "announced on May 30 that he would ..."
            d = next((v for i, v in dates.items() if i in _local(tok.head) and i not in {x.i for x in tok.subtree}), None)
        d = d or self._shifted(tok, dates) or _near(tok, dates) or _told_of(tok, dates) or self._carried(sent)
        # the lead's place (or the dateline's) carries to events of the same day, not to
        # background events dated otherwise ("the 2020 standoff")
        same_day = d is None or self.story.date is None or d.value == self.story.date[0]
        place = own_place or (self.story.place or self.dateline if same_day else None)
        here = own_place.country if own_place else None
        # "communities in Somalia and Ethiopia": every country of a conjoined list of places
        heres = list(dict.fromkeys([here] + [p.country for i, p in places.items() if own_place is not None
                                             and p is not own_place and _conjoined(tok.doc, i, places, own_place)]))
        heres = [c for c in heres if c]
        in_phrase = own_place is not None and any(
            i in _event_phrase(tok) and p is own_place for i, p in places.items())
        if m.nominal and t.place_party and not m.source_actors and not m.target_actors and not in_phrase:
            return []  # a bare "attack" or "protest" with no party and no place of its own
        if not sources and here and ((t.place_party == "source" and in_phrase) or t.type in PLACE_SOURCES):
            # "protests in Istanbul": people of that country; "was arrested in Tehran": its state
            popular = t.place_party == "source"
            sources = [Actor(f"{tok.text} in {own_place.name}", None, None, here, ["CVL"] if popular else ["GOV"],
                             "agent" if popular else "state")]
        if not targets and t.claimant:
            targets = self._claimant(m.token, sources)  # "denied the shelling": denied to its accuser
        if not targets and m.about:
            targets = self.about_targets(m.about, sources)
        if not targets and t.untargeted:
            etype = t.untargeted  # a missile fired at no one is a show of force
        if t.joint and len(sources) > 1 and not targets:
            etype = t.joint  # "South Korea and the US began exercises": done together
            sources, targets = sources[:1], sources[1:]
        if not targets and (m.intent or etype in COMPLEMENT_PLACE_TYPES):
            # "offered to lead a police mission in Haiti", "threatened to impose a curfew in
            # Algiers": the promised or threatened act's place names the party it concerns
            inner = _complement_place(tok, places)
            if inner is not None and inner.country:
                targets = [Actor(inner.name, None, None, inner.country, [], "state")]
        if not targets and here and m.nominal and t.type == "MOBILIZE" and t.place_party == "target" \
                and here not in {a.country for a in sources}:
            # "Israeli troops remained on alert in the West Bank": readiness where others live
            targets = [Actor(own_place.name, None, None, here, [], "state")]
        if not targets and heres and t.type in PLACE_TARGETS and (
                t.type != "RETREAT" or here not in {a.country for a in sources}):
            # "bombed targets in Yemen", "withdrew from Kherson", "rallied in Tbilisi"
            targets = [Actor(own_place.name, None, None, c, [], "state") for c in heres]
        # an unnamed official's country first (the report's), so that a domestic act is seen
        named = {a.country for a in targets if a.country and a.name}
        sources = [self.localise(a, _local_party(a, here), avoid=named) for a in sources]
        mod = modality()
        domestic_ok = t.type in mod["domestic_types"] or (etype == "MOBILIZE" and t.mode in mod["domestic_modes"])
        home = _one_country(sources)
        if not targets and domestic_ok and home:
            if self.sentence_countries <= {home}:
                targets = [Actor(country_name(home), None, None, home, ["GOV"], "state")]
                domestic = targets[0]
        if not targets and etype in mod["recipient_types"] and self.home and self.home not in {
                a.country for a in sources}:
            # "India has extended $3 billion in credit lines to its southern neighbour" in a
            # report on Sri Lanka: aid whose recipient is not named goes to the country reported on
            targets = [Actor(country_name(self.home), None, None, self.home, ["GOV"], "state")]
            inferred = True
        if not sources and etype == "ASSAULT" and self.last_assault is not None and \
                self.sentence_no - self.last_assault_at <= 2:
            prev = self.last_assault
            same_place = own_place is None or (prev.location is not None and prev.location.name == own_place.name)
            if same_place and (d is None or d.value == prev.date):
                sources = [prev.source]  # "34 people were killed when the missiles struck": the same attack
        if planned and not targets:
            etype, cameo, hypothetical = t.type, t.cameo, True
        unattributed = False
        if not sources and etype == "ASSAULT" and here and not m.negated and not t.symmetric:
            # "a roadside bomb near Samarra killed a US soldier": an attacker nobody names is
            # taken to be of the country where it struck (as PLOVER's own coders do)
            sources = [Actor(f"unidentified attackers in {own_place.name}", None, None, here, [], "unidentified")]
            unattributed = True
        if not sources and not targets:
            return []
        # a named target country is not the unnamed source's ("President Bush threatened Russia");
        # a target known only from the place is (domestic events)
        other = {a.country for a in targets if a.country and a.name}
        sources = [self.localise(a, None, avoid=other) for a in sources]
        # people acted on belong where it happened: the event's own place, or the lead's on the
        # lead's day; else the country the report is about
        where = here or (place.country if place is not None and same_day else None)
        targets = [self.localise(a, where) for a in targets]
        own = _one_country(sources)
        if domestic_ok and own:
            # "Chilean police stopped the march held by dockers": people a state's
            # police or courts act on, with no country of their own, are its own people
            targets = [replace(a, country=own) if a.kind == "agent" and not a.country else a for a in targets]
        if d is not None:
            dval, dprec, dtext = d.value, d.precision, d.text
        elif self.story.date is not None:
            dval, dprec, dtext = self.story.date
        elif self.doc.published is not None:
            dval, dprec, dtext = self.doc.published.isoformat(), "day", None
        else:
            dval, dprec, dtext = None, "unresolved", None
        start = offset + sent.start_char
        span = (start, offset + sent.end_char)
        conf = 0.9 - (0.2 if m.nominal else 0) - (0.15 if inferred else 0) - (0.2 if not sources or unattributed else 0) \
            - (0.1 if not targets else 0) - (0.1 if d is None else 0)
        pairs = [(s, g) for s in sources or [None] for g in targets or [None]]
        if t.symmetric and etype not in SYMMETRIC and (t.intensity or 0) < 0:
            # mutual hostility ("exchanged fire", "clashed") is an act of each side against the
            # other; a reciprocal cooperative act ("restored relations") is one event per pair
            pairs += [(g, s) for s, g in pairs if s is not None and g is not None]
        out = []
        for s, g in pairs:
            if s is not None and g is not None and s.key() == g.key() and g is not domestic:
                continue  # one actor on both sides ("X met his counterpart" resolved to X)
            etype_here, cameo_here, mode_here = recode(etype, cameo, mode, s)
            out.append(Event(
                doc_id=self.doc.id, type=etype_here, source=s, target=g, sentence=sent.text,
                char_span=span, trigger=tok.text, rule=t.id, mode=mode_here, contexts=list(t.contexts),
                cameo=cameo_here, intensity=t.intensity, location=place, date=dval,
                date_precision=dprec, date_text=dtext, negated=negated,
                hypothetical=hypothetical, confidence=max(0.05, conf),
            ))
        if out and etype not in SYMMETRIC and _done_jointly(tok):
            out += self.cooperation(out[0], sources)
        if out and not negated and not hypothetical:
            if self.story.date is None and d is not None and d.precision == "day":
                self.story.date = (d.value, d.precision, d.text)
            if self.story.place is None and place is not None:
                self.story.place = place
        return out

    def _shifted(self, tok, dates: dict):
        """"The skirmish followed a day after Sudanese jets struck ...", "deployed troops on
        Tuesday, a day after the prime minister resigned": an act told in an "N days after"
        clause with no date of its own is dated from the clause it is counted from, whose day
        is its own, or that of the event its subject names back ("the dogfight")."""
        found = _offset_clause(tok)
        if found is None:
            return None
        clause, days = found
        inside = {t.i for t in clause.subtree}
        if any(i in _local(clause) for i in dates):
            return None  # "a day after X resigned on Monday": dated already
        outside = {i: v for i, v in dates.items() if i not in inside and v.precision == "day"}
        anchor = _near(clause.head, outside) or self._named_back(clause.head)
        if anchor is None or anchor.precision != "day":
            return None
        value = (date.fromisoformat(anchor.value) + timedelta(days=days)).isoformat()
        return replace(anchor, value=value, text=f"{anchor.text} {days:+d} days")

    def _named_back(self, verb):
        """The day of the event a definite subject names back ("The dogfight came ..."): the
        latest dated event told with that word."""
        subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"
                     and any(d.lower_ == "the" for d in c.children)), None)
        if subj is None:
            return None
        stem = subj.lemma_.lower()  # "the clashes" names back "troops clashed"
        for e in reversed(self.events):
            if e.date_text and e.date_precision == "day" and any(
                    w.startswith(stem) for w in e.sentence.lower().split()):
                return DateMention(0, 0, e.date_text, e.date, "day")
        return None

    def _carried(self, sent):
        """The day the previous sentence told of: a narrative goes on in the next sentence ("was
        shot down on Wednesday. Villagers beat him ..."). A day something was said ("announced on Monday") goes on only with its speaker ("It
        accused ..."), not to what others did."""
        if self.narrative is None or self.narrative[0] != self.sentence_no - 1:
            return None
        _, day, reported = self.narrative
        if reported and sent[0].tag_ != "PRP":
            return None
        return day

    def cooperation(self, act: Event, sources: list[Actor]) -> list[Event]:
        """An act done jointly by several countries ("strikes carried out jointly by American
        and British forces") is also their cooperation: one COOPERATE per pair of them."""
        parties = list({a.country: a for a in sources if a.country}.values())
        military = any(set(a.sectors) & {"MIL"} for a in parties) or act.type in ("ASSAULT", "MOBILIZE")
        cameo, intensity = modality()["joint_as"]["military" if military else "other"]
        return [replace(act, type="COOPERATE", cameo=str(cameo), mode=None, intensity=intensity,
                        source=a, target=b, rule=f"{act.rule}+jointly", fatalities=None, injuries=None)
                for i, a in enumerate(parties) for b in parties[i + 1:]]

    def casualty_event(self, word, deaths: int, offset, sent, places, dates) -> Event | None:
        """A death toll with no attack word ("146 died yesterday", "two dead in an attack in
        the north") is still a violent event when it is a toll (two or more) or names the
        violence ("died in clashes"): UCDP-style reports are written so."""
        # "were killed" names a killer; "146 died, including 55 of the regime forces" names
        # combatants; "the former president died" says no violence
        hostile = any(t.lemma_.lower() in hostile_nouns() for t in sent) or casualties.is_killing(word) \
            or casualties.violent(sent)
        if (deaths < 2 and not hostile) or casualties.running_toll(word):
            return None
        place = _near(word, places, lambda p: RANK.get(p.precision, 0))
        d = _near(word, dates)
        when = (d.value, d.precision, d.text) if d else (
            self.story.date or ((self.doc.published.isoformat(), "day", None) if self.doc.published else (None, "unresolved", None)))
        target = Actor(place.name, None, None, place.country, [], "state") if place is not None and place.country else None
        if place is None and target is None and not hostile:
            return None
        start = offset + sent.start_char
        return Event(doc_id=self.doc.id, type="ASSAULT", source=None, target=target, sentence=sent.text,
                     char_span=(start, offset + sent.end_char), trigger=word.text, rule="assault.casualties",
                     cameo="190", intensity=-10.0, location=place or self.story.place, date=when[0],
                     date_precision=when[1], date_text=when[2], fatalities=deaths, confidence=0.4)

    def _claimant(self, tok, sources: list[Actor]) -> list[Actor]:
        """Whoever made the latest claim before `tok` ("India says ...; Pakistan denies losing
        any aircraft": India), from another side than the denier's, within CLAIM_MEMORY sentences."""
        own = {a.country for a in sources}
        for n, i, speakers in reversed(self.claims):
            if n == self.sentence_no and i >= tok.i:
                continue
            other = [a for a in speakers if a.country and a.country not in own]
            if other:
                return other[:1]
        return []

    def about_targets(self, about: str, sources: list[Actor]) -> list[Actor]:
        """The party of the latest event of the class named ("the attack" -> its attacker)."""
        from .events import event_references

        ref = event_references().get(about) or {}
        own = {a.key() for a in sources}
        for e in reversed(self.events):
            if e.type not in ref.get("types", []) or e.negated or e.hypothetical:
                continue
            cands = [e.source] if ref.get("target") == "source" else [e.source, e.target]
            found = [a for a in cands if a is not None and a.key() not in own and (a.country or a.name)
                     and a.kind != "unidentified"]  # the country-struck stand-in is nobody's name
            if found:
                return found
        return []

    def localise(self, actor: Actor, here: str | None, avoid: set[str] = frozenset()) -> Actor:
        """An official or a generic agent with no stated country ("the police", "the Prime
        Minister") belongs to the country the report is about; people acted on ("12 people
        were killed", "communities in Somalia") to the country where it happened."""
        if actor.country or actor.kind not in ("person", "agent"):
            self.ctx.remember_agent(actor)
            return actor
        if actor.known:
            return actor  # a listed office holder's country is known (null for a UN post)
        if here and actor.kind == "agent":
            return replace(actor, country=here)
        seen = self.ctx.agent_named(head_word(actor)) if actor.kind == "agent" else None
        if seen and seen.country not in avoid:
            return replace(actor, country=seen.country)  # "The US Treasury said ... Treasury said": the same body
        if self.home is None:
            return actor
        if actor.kind == "person" and not actor.role:
            return actor  # a bare unknown name: no evidence of nationality
        if set(actor.sectors) & {"IGO", "NGO"} or self.home in avoid:
            return actor  # "President Bush threatened Russia": the report's country is the other side
        return replace(actor, country=self.home)

    @property
    def _doc_countries(self) -> set[str]:
        return {a.country for a in self.ctx.people.values() if a.country}

    def remember(self, sent, resolver, made: list[Event]) -> None:
        """Update references: persons named (subjects first), parties of the last meeting."""
        self.story.parties_age += 1
        for tok in sent:
            if tok.dep_ in ("nsubj", "nsubjpass", "pobj", "dobj", "appos", "conj") and (
                    tok.pos_ == "PROPN" or (tok.dep_ == "nsubj" and tok.pos_ == "NOUN")):
                subject = tok.dep_ == "nsubj" or (tok.dep_ == "appos" and _in_subject(tok))
                for a in resolver.resolve_one(tok):
                    self.ctx.remember_agent(a)
                    if a.kind == "person":
                        self.ctx.remember(a, subject=subject)
                    elif subject:
                        self.ctx.remember(a, subject=True)
        for e in made:
            if e.type in SYMMETRIC and e.source and e.target and not e.negated and not e.hypothetical:
                parties = [e.source] + [x.target for x in made if x.type == e.type and x.source is e.source and x.target]
                if parties:
                    self.ctx.parties = parties
                    self.story.parties_age = 0
                break


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


def home_country(mentions) -> str | None:
    """The country a report is about: the one its names point to most (at least twice)."""
    counts = Counter()
    for m in mentions:
        e = m.entries[0]
        if e.kind in ("country", "adjective", "people", "metonym", "person") and e.country:
            counts[e.country] += 1
    if not counts:
        return None
    (code, n), = counts.most_common(1)
    # named twice, or the only country the report names at all
    return code if n >= 2 or len(counts) == 1 else None


# statements whose complement's place names the party they concern
COMPLEMENT_PLACE_TYPES = {"AGREE", "THREATEN"}


def _complement_place(tok, places: dict[int, Place]) -> Place | None:
    """The first place inside the clause a statement governs ("agreed to set up a centre in Tokyo")."""
    for c in tok.children:
        # the parser reads "offered on Saturday to lead" as an adverbial clause
        infinitive = c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        if c.dep_ in ("xcomp", "ccomp") or infinitive:
            for t in c.subtree:
                if t.i in places:
                    return places[t.i]
    return None


# agents of a state that may act abroad ("troops in Gaza" need not be Palestinian)
STATE_SECTORS = {"MIL", "GOV", "SPY", "LEG", "JUD"}


def _local_party(actor: Actor, here: str | None) -> str | None:
    """The place's country for an acting crowd, militia or police ("gunmen in Tbilisi",
    "workers in Lyon"): people without a state's reach act where they are."""
    if actor.kind != "agent" or set(actor.sectors) & STATE_SECTORS:
        return None
    return here


def _key(e: Event):
    return (e.source.country if e.source else None, e.target.country if e.target else None)


def _placeable(actor: Actor | None) -> bool:
    """Does an actor say anything about the dyad: a country, an organisation, a known person?
    ("the execution of Ken Saro-Wiwa" alone names nobody an analyst can place)"""
    if actor is None:
        return False
    return bool(actor.country) or actor.known or actor.kind not in ("person", "agent", "state")


def _in_subject(tok) -> bool:
    """Is a token inside its clause's subject phrase ("The head of the IAEA, Rafael Grossi, said")?"""
    t = tok
    while t.head.i != t.i and t.pos_ not in ("VERB", "AUX"):
        if t.dep_ in ("nsubj", "nsubjpass"):
            return True
        t = t.head
    stray = stray_subject(tok.doc[tok.i + 1]) if tok.i + 1 < len(tok.doc) else None
    return stray is not None and stray.i == tok.i  # "Opening ..., King Salman, the crown prince said"



def _one_country(actors: list[Actor]) -> str | None:
    """The country of the actors when they have exactly one."""
    found = {a.country for a in actors if a.country}
    return next(iter(found)) if len(found) == 1 else None


def _between(tok) -> bool:
    """Are the parties of a noun or verb named by "between X and Y" (also "three days of talks
    between X and Y", where the parser hangs it from the quantity)?"""
    hosts = [tok] + ([tok.head.head] if tok.dep_ == "pobj" and tok.head.lower_ == "of" else [])
    return any(c.dep_ == "prep" and c.lower_ == "between" for h in hosts for c in h.children)


def _done_jointly(tok) -> bool:
    """"carried out jointly", "a combined strike": the act is done together (modality.yaml)."""
    words = set(modality().get("joint_markers") or ())
    host = tok.head if tok.dep_ == "compound" else tok
    around = [tok, host] + ([support_verb(host)] if host.pos_ == "NOUN" and support_verb(host) is not None else [])
    return any(c.dep_ in ("advmod", "amod") and c.lower_ in words for x in around for c in x.children)


def _conjoined(doc, i: int, places: dict, chosen) -> bool:
    """Is the place at token i in a conjunction with the chosen place?"""
    j = next((k for k, p in places.items() if p is chosen), None)
    if j is None:
        return False
    a, b = doc[i], doc[j]
    return (a.dep_ == "conj" and (a.head.i == j or a.head.head.i == j)) or (b.dep_ == "conj" and b.head.i == i)


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


def _share_toll(events: list[Event]) -> None:
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


def _fold_unattributed(events: list[Event]) -> list[Event]:
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


def _merge(events: list[Event]) -> list[Event]:
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
        s_gap, t_gap = not _placeable(e.source), not _placeable(e.target)
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


def extract_many(documents: Iterable[Document], chunk: int = 64) -> Iterator[tuple[Document, list[Event]]]:
    """Code documents in a stream; the model is loaded once and fed in batches."""
    batch: list[Document] = []

    def flush():
        for cleaned, paragraphs in parse_many([clean(d) for d in batch]):
            try:
                events = DocumentCoder(cleaned).code(paragraphs)
            except Exception as exc:  # a coding bug must not lose the rest of a batch
                log.error("%s: could not be coded (%s: %s); skipped", cleaned.document.id, type(exc).__name__, exc)
                log.debug("coding failure", exc_info=True)
                events = []
            yield cleaned.document, events

    for d in documents:
        batch.append(d)
        if len(batch) >= chunk:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def extract(text: str, published: date | str | None = None, doc_id: str | None = None) -> list[Event]:
    """Code one report. `published` (a date or YYYY-MM-DD) anchors relative dates."""
    if isinstance(published, str):
        published = date.fromisoformat(published)
    doc = Document(doc_id or "doc", text, published)
    for _, events in extract_many([doc]):
        return events
    return []
