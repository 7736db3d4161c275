"""Event nouns: "talks between X and Y", "an attack on X", "condemned the attack". A noun is
an event of its own unless a verb has coded the same act, it is the topic of another event,
or it only dates another event; its parties come from its own phrase, else its support verb.
"""
from __future__ import annotations

from ..actors import distinct_actors
from ..dates import MONTHS
from ..events import SAYING, Match, Trigger, TriggerLexicon, event_references, modality, noun_triggers
from ..model import Actor
from . import reported
from .fit import noun_fits, verb_fits
from .modality import background_noun, modality_of
from .syntax import clause_verb, is_passive, object_of, preps_of, slot_heads, subject_of, subjects_of, support_verb


def _venue(resolver, mods, countries) -> bool:
    """Is the one country before a meeting noun a city's, so the venue ("the Hanoi summit") and
    not a party ("the Iranian talks", "Moscow-Kyiv talks")?"""
    if len(countries) != 1:
        return False
    for c in mods:
        for t in c.subtree:
            m = resolver.mention_of(t)
            if m is not None and m.entries[0].country == countries[0][0]:
                return m.entries[0].kind == "metonym"
    return False


def _same_act(noun, trig: Trigger, verb_types: dict[int, str]) -> bool:
    """"killed 46 civilians in an attack on a village", "was killed in a car bomb explosion",
    "a roadside bombing killed a soldier": the noun names the act its verb has coded already."""
    if noun.dep_ == "nsubj":  # "a roadside bombing killed one soldier": the killing is the bombing
        return verb_types.get(noun.head.i) == trig.type
    if noun.dep_ != "pobj" or noun.head.lower_ not in ("in", "during", "by"):
        return False
    return verb_types.get(noun.head.head.i) == trig.type


def content_nouns(tok, trig: Trigger, lex: TriggerLexicon) -> set[int]:
    """"agreed to US mediation in the talks", "is opposed to French mediation in peace
    negotiations": event nouns inside what a statement accepts or refuses are its content,
    not events of their own."""
    heads = [p for prep, p in preps_of(tok) if prep == trig.prep] if trig.prep else []
    obj = object_of(tok)
    if obj is not None:
        heads.append(obj)
    out = set()
    for h in heads:
        for t in h.subtree:
            if t.pos_ == "NOUN" and t.lemma_.lower() in lex.by_noun and clause_verb(t).i == tok.i:
                out.add(t.i)
    return out


TOPIC_PREPS = {"on", "over", "about", "regarding", "concerning", "of", "into", "for"}


def _condemned_attack(noun, cands: list, verb_types: dict[int, str]) -> bool:
    """"condemns killing of militiamen", "slam NPA over brutal slaying of militiamen": an attack
    named as what is condemned happened; it is an event of its own when it names a party
    (a bare "condemned the attack" adds none, see match_nouns). Its attacker is the accused
    (`reported.accused`), never the condemner."""
    if not any(t.type == "ASSAULT" for t in cands):
        return False
    if noun.dep_ == "dobj":
        gov = noun.head
    elif noun.dep_ == "pobj" and noun.head.lower_ in modality()["blame_preps"]:
        gov = noun.head.head
    else:
        return False
    return verb_types.get(gov.i) == "ACCUSE"


def _is_topic(noun, lex: TriggerLexicon) -> bool:
    """"talks on a troop pullback", "an investigation into the attack": the noun is what
    another event is about, not an event of its own."""
    if noun.dep_ != "pobj" or noun.head.lower_ not in TOPIC_PREPS:
        return False
    gov = noun.head.head
    lemma = gov.lemma_.lower()
    if gov.pos_ in ("NOUN", "PROPN"):
        return lemma in lex.by_noun
    if gov.pos_ == "VERB":
        # "renewed negotiations on a troop pullback": the support verb's event noun is about it
        if lemma in modality()["support_verbs"] and any(
                c.dep_ == "dobj" and c.lemma_.lower() in lex.by_noun for c in gov.children):
            return noun.head.lower_ != "of"
        if noun.head.lower_ == "of" or lemma not in lex.by_verb:
            return False
        # "blamed Israel for the bombing", "talks on a pullback": a statement's topic; but
        # "arrived for talks" is the traveller's own meeting
        fits = [t for t in lex.by_verb[lemma] if verb_fits(t, gov)]
        return bool(fits) and (noun.head.lower_ != "for" or fits[0].type in SAYING)
    return False


def about_event(tok, trig: Trigger) -> str | None:
    """"condemned the attack", "welcomed the agreement": the class of an earlier event named as
    the object (data/events/references.yaml), when it names no party of its own."""
    heads = [h for slot in ("dobj",) + trig.target for h in slot_heads(slot, tok)]
    if any(h.tag_ == "WP" for h in heads):
        # "for what he called a blatant aggression": what is named is what it is called
        heads += [c for c in tok.children if c.dep_ == "oprd"]
    if any(h.lower_ == "it" for h in heads):
        # "X welcomed the agreement, while Y described it as a welcome step": the event noun before
        heads += [t for t in reversed(list(tok.sent)[: tok.i - tok.sent.start]) if t.pos_ == "NOUN"][:8]
    for h in heads:
        if any(c.dep_ in ("poss",) for c in h.children):
            continue
        for name, ref in event_references().items():
            if h.lower_ in ref["nouns"] or h.lemma_.lower() in ref["nouns"]:
                return name
    return None


def match_nouns(sent, resolver, lex: TriggerLexicon, verb_types: dict[int, str], covered_nouns: set[int],
                out: list[Match]) -> None:
    """Event nouns of a sentence ("talks", "an attack on X") with their parties, appended to
    `out`: the verbs' matches are there already, and a condemned attack takes its attacker from
    an accusation among them (`reported.accused`). `verb_types` are the verb events' types by
    token, `covered_nouns` the nouns a verb's match has taken as its object or content."""
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue
        cands = noun_triggers(tok, lex)
        if not cands or (tok.pos_ == "PROPN" and tok.lower_ in MONTHS):
            continue  # "in March" is a month, not a march
        condemned = _condemned_attack(tok, cands, verb_types)
        if tok.i in covered_nouns and not condemned:
            continue
        trig = next((t for t in cands if noun_fits(t, tok)), None)
        if trig is None:
            continue
        if tok.dep_ == "compound" and tok.head.pos_ == "NOUN" and tok.head.lemma_.lower() not in lex.by_noun \
                and resolver.resolve(tok.head):
            continue  # "border patrol agents", "protest leaders": people named by what they do
        host = tok
        if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
            host = tok.head  # "a mediation mission between X and Y": the phrase is the head's
        sv = support_verb(host)
        if sv is not None and sv.lemma_.lower() in lex.by_verb and any(verb_fits(t, sv) for t in lex.by_verb[sv.lemma_.lower()]):
            continue  # the verb itself is an event word and has been coded
        m = Match(trig, tok, None, nominal=True)
        m.negated, m.hypothetical, m.intent, embedded = modality_of(host, lex)
        if host.dep_ in ("dobj", "nsubjpass") and host.head.lemma_.lower() in modality()["ending_verbs"]:
            m.negated = True  # "formally ending a boycott": the boycott is over, not begun
        if host.dep_ == "dobj" and sv is None and host.head.lemma_.lower() in modality()["intent_verbs"]:
            m.hypothetical = True  # "is preparing a major offensive": planned, not yet done
        same_as_subject = host.dep_ == "nsubj" and _same_act(host, trig, verb_types)
        if embedded or (_is_topic(host, lex) and not condemned) or background_noun(host) or (
                _same_act(host, trig, verb_types) and not same_as_subject):
            continue
        src, paired = [], []
        for c in host.children:
            if c.dep_ == "poss":
                if c.pos_ == "PRON" and sv is not None and subjects_of(sv):
                    break  # "troops hold Freedom Shield, their exercises": their is the subject
                src = resolver.resolve(c)
                break
        if not src:
            for prep, p in preps_of(host):
                if prep == "by":
                    src = resolver.resolve(p)
                    break
        for slot in trig.source if not src else ():
            # "drew criticism from Lima": the reaction's author
            src = distinct_actors([a for h in slot_heads(slot, host) for a in resolver.resolve(h)])
            if src:
                break
        if not src:
            mods = [c for c in list(host.children) + list(tok.children)
                    if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i and c.i != tok.i]
            countries = resolver.countries_in([t for c in mods for t in c.subtree])
            if trig.type in modality()["venue_types"] and _venue(resolver, mods, countries):
                countries = []
            if countries:
                src = [Actor(text, None, None, code, [], "state") for code, text in countries[:1]]
            if trig.symmetric:
                # "US-China talks", "Russian-Ukrainian talks": a mutual act's other side
                firsts = {code for code, _ in countries[:1]}
                paired = [Actor(text, None, None, code, [], "state") for code, text in countries[1:]
                          if code not in firsts]
        hosts = []
        if sv is None and host.dep_ == "pobj" and host.head.lower_ in ("for", "during", "on") and host.head.head.pos_ == "VERB":
            # "went on strike", "remained on alert": the subject is in that state
            sv = host.head.head  # "arrived in Kyiv for talks with ...": the traveller holds the talks
        if condemned:
            # the condemner is not the attacker: the accused is ("blamed Israel for the bombing")
            sv, src = None, src or reported.accused({host.i}, out)
        if not src and sv is not None:
            heads = subjects_of(sv) if not is_passive(sv) else [h for h in [subject_of(sv)] if h is not None]
            src = distinct_actors([a for h in heads for a in resolver.resolve(h)])
        if sv is not None:
            hosts.append(sv)
        m.source_actors = src
        for slot in trig.target:
            heads = slot_heads(slot, host) + [h for x in hosts for h in slot_heads(slot, x) if slot != "dobj"]
            tgt = distinct_actors([a for h in heads for a in resolver.resolve(h)])
            if tgt:
                m.target_actors = tgt
                break
        if not m.target_actors and paired:
            m.target_actors = paired
        if not m.source_actors and not m.target_actors and (not trig.place_party or same_as_subject):
            # a bare event noun ("the attack", "these discussions") names no new event, nor does
            # the subject of its own verb ("a roadside bombing killed ...") unless it names a party
            continue
        out.append(m)
