"""The document coder: a report's paragraphs coded sentence by sentence into Event records,
with what the report has said so far (its lead's date and place, the parties of its last
meeting, its claims, its last attack) carried from one sentence to the next."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .. import casualties
from ..actor_context import Context
from ..actor_lexicon import country_name
from ..actor_mentions import find_mentions
from ..actors import Resolver
from ..clean import is_prose
from ..dates import MONTHS, DateMention, find_dates
from ..event_links import link
from ..events import Match, event_references, hostile_nouns, modality
from ..learned import SentenceReader, read_reports, report_sentences, settings
from ..model import RECIPROCAL_TYPES, Actor, Cleaned, Event, Place
from ..places import RANK, choose, dateline_place, is_common_word, lookup, place_mentions, to_place
from .anchors import (COMPLEMENT_PLACE_TYPES, complement_place, conjoined, event_phrase, is_locative, nearest,
                      offset_clause, own_clause, reported_on, told_of)
from .belonging import localise, only_place
from .merge import fold_unattributed, merge_within_sentence, most_specific_by_country, report_place, share_toll
from .parties import (done_jointly, foreign_side, home_country, in_subject, local_party, named_between, one_country,
                      own_forces, in_public_life, place_votes, placeable, recode)
from .sentence import match_sentence
from .syntax import is_passive, subject_of


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


def _named_in(actor: Actor, text: str) -> bool:
    """Is the actor named in this text ("Greek police (GRC)" is "Greek police")?"""
    return re.sub(r" \([^)]*\)$", "", actor.text) in text


@dataclass
class Story:
    """Document-level defaults: the lead event's date and place."""

    date: tuple[str, str, str] | None = None  # value, precision, text
    place: Place | None = None
    parties_age: int = 99


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
        self.reader = SentenceReader()  # the model's reading of the report's sentences: see code
        self.dateline = dateline_place(cleaned.dateline) if cleaned.dateline else None
        # bulletins and lists of headlines name places without prepositions ("Harasta")
        self.headlines = not any(is_prose(cleaned.document.text[g.start:g.end]) for g in cleaned.segments)

    def code(self, paragraphs, reader: SentenceReader | None = None) -> list[Event]:
        found = [(p, find_mentions(p.doc), place_mentions(p.doc)) for p in paragraphs]
        self.home = home_country((m for _, ms, _ in found for m in ms), place_votes(pm for _, _, pm in found))
        # every country the report names: a small place elsewhere is a homonym ("Morak" in a
        # report on Syria is not the Indian town); an armed group names the country it fights
        # in ("slam NPA over ...": Samar is the Philippine province)
        self.ctx.countries = {m.entries[0].country for _, ms, _ in found for m in ms
                              if (m.entries[0].kind in ("country", "adjective", "people", "metonym")
                                  or m.entries[0].role == "armed_group")
                              and m.entries[0].country}
        self.reader = reader or read_reports([report_sentences(paragraphs)])[0]
        for p, mentions, pmentions in found:
            self.code_paragraph(p.offset, p.doc, mentions, pmentions)
        # in prose an unattributed toll retells the attack; in a bulletin each headline is its
        # own report and keeps its own count
        events = link(self.events)
        events = events if self.headlines else fold_unattributed(events)
        best = most_specific_by_country(self.doc_places)
        for e in events:
            e.location = report_place(e.location, best, e) or e.location
        if self.headlines:
            share_toll(events)
        return events

    def code_paragraph(self, offset: int, pdoc, mentions, pmentions) -> None:
        resolver = Resolver(pdoc, mentions, self.ctx)
        self._mentions = mentions
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
            if not is_locative(head) and not self.headlines:
                continue  # in prose, a place must be where something is ("in X", "near X")
            # a hyphen inside a name ("Al-Quneitra") is no sign of a common noun
            proper = all(t.pos_ == "PROPN" for t in pdoc[a:b] if not t.is_punct)
            e = choose(lookup(text), countries | self._doc_countries | self.ctx.countries, text, proper=proper,
                       common=is_common_word(text))
            if e is not None:
                out[head.i] = to_place(e)
        # within one phrase the most specific wins (see nearest): "Kajuru" over "Kaduna State"
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
        # "floods killed 30", "the civil war killed 80,000": a death word that tells no attack
        matches = [m for m in matches if not (m.trigger.type == "ASSAULT" and (
            casualties.by_hazard(m.token) or (casualties.is_killing(m.token)
                                              and casualties.no_attack(m.token, sent, hostile_nouns()))))]
        made: list[Event] = []
        for m in matches:
            coded = self.assemble(m, offset, sent, places, dates)
            # with the tagger, an event's confidence is its calibrated probability that these words
            # state an event of this type (fitted on held-out batches), not the rules' guess
            conf = self.reader.confidence(m, sent, offset + sent.start_char) if coded else None
            for e in coded if conf is not None else ():
                e.confidence = round(max(0.05, conf), 3)
            made.extend(coded)
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
                or placeable(e.source) or placeable(e.target)]
        # private life ("a patient's doctor phoned a specialist", "fans called for an encore"):
        # talk, requests and help between people with no public role are no political events
        private = set(modality().get("private_life_types") or ())
        made = [e for e in made if e.type not in private or in_public_life(e.source) or in_public_life(e.target)]
        made = merge_within_sentence(made)
        if self.story.date is None and self.sentence_no <= LEAD_SENTENCES:
            lead = nearest(sent.root, {i: d for i, d in dates.items() if d.precision == "day"})
            if lead is not None:
                # the lead's day is the report's day when its own act is negated ("formally
                # ending a boycott on Tuesday") or is no event at all
                self.story.date = (lead.value, lead.precision, lead.text)
        for e in made:
            if e.type == "ASSAULT" and e.source is not None and not e.negated and not e.hypothetical:
                self.last_assault, self.last_assault_at = e, self.sentence_no
        day = nearest(sent.root, {i: (i, d) for i, d in dates.items() if d.precision == "day"})
        self.narrative = None if day is None else (self.sentence_no, day[1], reported_on(pdoc[day[0]]))
        self.events.extend(made)
        self.remember(sent, resolver, made)

    def assemble(self, m: Match, offset, sent, places, dates) -> list[Event]:
        t = m.trigger
        sources = list(m.source_actors)
        targets = list(m.target_actors)
        inferred = False
        domestic = None
        mutual = False  # the parties were named together, each doing it with the others
        etype, cameo, mode = t.type, t.cameo, t.mode
        if not targets and len(sources) > 1 and (t.symmetric or t.type in SYMMETRIC) and not t.joint:
            sources, targets, mutual = sources[:1], sources[1:], True
        if not sources and len(targets) > 1 and t.type in SYMMETRIC and named_between(m.token):
            # "talks between a Mexican delegation and US officials"
            sources, targets, mutual = targets[:1], targets[1:], True
        # "condemned the attack" names its party through the attack (see about_targets), not the meeting
        # (not for the tagger's own events: the tagger says which words are the parties)
        if not targets and not m.about and self.ctx.parties and self.story.parties_age < PARTY_MEMORY \
                and t.type in ADDRESSED and not t.learned:
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
        own_place = nearest(tok, places, lambda p: RANK.get(p.precision, 0))
        d = None
        if m.intent and tok.dep_ == "ccomp":
            # a stated intent is dated when it was stated: "announced on May 30 that he would ..."
            d = next((v for i, v in dates.items() if i in own_clause(tok.head) and i not in {x.i for x in tok.subtree}), None)
        d = d or self._shifted(tok, dates) or nearest(tok, dates) or told_of(tok, dates) or self._carried(sent)
        # the lead's place (or the dateline's) carries to events of the same day, not to
        # background events dated otherwise ("the 2020 standoff")
        same_day = d is None or self.story.date is None or d.value == self.story.date[0]
        place = own_place or (self.story.place or self.dateline if same_day else None)
        here = own_place.country if own_place else None
        # "communities in Somalia and Ethiopia": every country of a conjoined list of places
        heres = list(dict.fromkeys([here] + [p.country for i, p in places.items() if own_place is not None
                                             and p is not own_place and conjoined(tok.doc, i, places, own_place)]))
        heres = [c for c in heres if c]
        in_phrase = own_place is not None and any(
            i in event_phrase(tok) and p is own_place for i, p in places.items())
        if m.nominal and t.place_party and not m.source_actors and not m.target_actors and not in_phrase:
            return []  # a bare "attack" or "protest" with no party and no place of its own
        if not sources and here and ((t.place_party == "source" and in_phrase) or t.type in PLACE_SOURCES):
            # "protests in Istanbul": people of that country; "was arrested in Tehran": its state
            popular = t.place_party == "source"
            sources = [Actor(f"{tok.text} in {own_place.name}", None, None, here, ["CVL"] if popular else ["GOV"],
                             "agent" if popular else "state")]
        if not sources and not here and t.type in PLACE_SOURCES and is_passive(tok) and not m.nominal:
            # "seven Kenyan union officials were jailed": with no place, the state of those it acted on
            held = one_country(targets)
            if held and all(a.country == held for a in targets):
                sources = [Actor(country_name(held), None, None, held, ["GOV"], "state")]
        if not targets and t.claimant:
            targets = self._claimant(m.token, sources)  # "denied the shelling": denied to its accuser
        if not targets and m.about:
            targets = self.about_targets(m.about, sources)
        if not targets and t.untargeted:
            etype = t.untargeted  # a missile fired at no one is a show of force
        if t.joint and len(sources) > 1 and not targets:
            etype = t.joint  # "South Korea and the US began exercises": done together
            sources, targets, mutual = sources[:1], sources[1:], True
        if not targets and (m.intent or etype in COMPLEMENT_PLACE_TYPES):
            # "offered to lead a police mission in Haiti", "threatened to impose a curfew in
            # Algiers": the promised or threatened act's place names the party it concerns
            inner = complement_place(tok, places)
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
        # (a state's coercion is mostly of its own people: "security agents raided a Harare paper")
        named = foreign_side(targets) if t.type not in PLACE_SOURCES else set()
        sources = [localise(a, local_party(a, here) or only_place(a, here, self.home, self.ctx), self.home, self.ctx,
                            avoid=named) for a in sources]
        mod = modality()
        domestic_ok = t.type in mod["domestic_types"] or (etype == "MOBILIZE" and t.mode in mod["domestic_modes"])
        home = one_country(sources)
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
        if not sources and t.learned and etype in mod["named_source_types"]:
            log.debug("no author for the tagger's %s at %r (targets %s): dropped", etype, tok.text,
                      [a.country for a in targets])
            return []  # the tagger found words of an act that it could give no author: a misreading
        if not sources and not targets:
            return []
        # a named target country is not the unnamed source's ("President Bush threatened Russia");
        # a target known only from the place is (domestic events)
        other = foreign_side(targets)
        sources = [localise(a, None, self.home, self.ctx, avoid=other) for a in sources]
        # people acted on belong where it happened: the event's own place, or the lead's on the
        # lead's day; else the country the report is about
        where = here or (place.country if place is not None and same_day else None)
        targets = [localise(a, where, self.home, self.ctx) for a in targets]
        own = one_country(sources)
        if t.outward and targets and all(own_forces(a, own) for a in targets):
            return []  # "the president ordered the army to restore order": a command at home
        if domestic_ok and own:
            # "Chilean police stopped the march held by dockers", "Algerian police arrested
            # Louisa Hanoune": people a state's police or courts act on, with no country of
            # their own, are its own people
            targets = [replace(a, country=own) if a.kind in ("agent", "person") and not a.country else a
                       for a in targets]
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
        if mutual and len(sources) == 1 and len(targets) > 1 and all(
                _named_in(a, sent.text) for a in sources + targets):
            # "Kenya, Ethiopia and Somalia agreed": each pair of them, not the first with the
            # rest; a group recalled from a meeting ("the ministers") keeps its first, the host
            everyone = sources + targets
            pairs = [(a, b) for i, a in enumerate(everyone) for b in everyone[i + 1:]]
        if t.symmetric and etype not in SYMMETRIC and (t.intensity or 0) < 0:
            # mutual hostility ("exchanged fire", "clashed") is an act of each side against the
            # other; a reciprocal cooperative act ("restored relations") is one event per pair
            pairs += [(g, s) for s, g in pairs if s is not None and g is not None]
        out = []
        for s, g in pairs:
            if s is not None and g is not None and s.key() == g.key() and g is not domestic:
                continue  # one actor on both sides ("X met his counterpart" resolved to X)
            if etype == "SUPPORT" and s is not None and g is not None and g.kind == "state" and g.country \
                    and g.country == s.country and g is not domestic:
                # "the minister hailed India's strides": praise of one's own state is no event
                # between parties (none of the corpus's 20,527 events has this shape)
                log.debug("%s (%s) supports its own state at %r: dropped", s.text, s.country, tok.text)
                continue
            etype_here, cameo_here, mode_here = recode(etype, cameo, mode, s)
            out.append(Event(
                doc_id=self.doc.id, type=etype_here, source=s, target=g, sentence=self.doc.text[span[0]:span[1]],
                char_span=span, trigger=tok.text, rule=t.id, mode=mode_here, contexts=list(t.contexts),
                cameo=cameo_here, intensity=t.intensity, location=place, date=dval,
                date_precision=dprec, date_text=dtext, negated=negated,
                hypothetical=hypothetical, confidence=max(0.05, conf),
            ))
        if out and etype not in SYMMETRIC and done_jointly(tok):
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
        found = offset_clause(tok)
        if found is None:
            return None
        clause, days = found
        inside = {t.i for t in clause.subtree}
        if any(i in own_clause(clause) for i in dates):
            return None  # "a day after X resigned on Monday": dated already
        outside = {i: v for i, v in dates.items() if i not in inside and v.precision == "day"}
        anchor = nearest(clause.head, outside) or self._named_back(clause.head)
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
        if (deaths < 2 and not hostile) or casualties.running_toll(word) \
                or casualties.no_attack(word, sent, hostile_nouns()):
            return None
        place = nearest(word, places, lambda p: RANK.get(p.precision, 0))
        d = nearest(word, dates)
        when = (d.value, d.precision, d.text) if d else (
            self.story.date or ((self.doc.published.isoformat(), "day", None) if self.doc.published else (None, "unresolved", None)))
        target = Actor(place.name, None, None, place.country, [], "state") if place is not None and place.country else None
        if place is None and target is None and not hostile:
            return None
        start = offset + sent.start_char
        return Event(doc_id=self.doc.id, type="ASSAULT", source=None, target=target,
                     sentence=self.doc.text[start:offset + sent.end_char],
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

    @property
    def _doc_countries(self) -> set[str]:
        return {a.country for a in self.ctx.people.values() if a.country}

    def remember(self, sent, resolver, made: list[Event]) -> None:
        """Update references: persons named (subjects first), parties of the last meeting."""
        self.story.parties_age += 1
        for tok in sent:
            if tok.dep_ in ("nsubj", "nsubjpass", "pobj", "dobj", "appos", "conj") and (
                    tok.pos_ == "PROPN" or (tok.dep_ == "nsubj" and tok.pos_ == "NOUN")):
                subject = tok.dep_ == "nsubj" or (tok.dep_ == "appos" and in_subject(tok))
                for a in resolver.resolve_posted(tok):
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
