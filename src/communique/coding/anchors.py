"""Where and when an event word is: the place and date mentions attached to it through the
parse (its own clause first, then its heads'), a date counted from another clause ("a day
after ..."), a date told of the event in a relative clause."""
from __future__ import annotations

from ..casualties import number
from ..events import hostile_nouns, modality, triggers
from ..model import Place
from ..places import LOCATIVE
from .syntax import shared_object


def is_locative(tok) -> bool:
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


def own_clause(node) -> set[int]:
    """Token ids in a node's own clause: its subtree without the clauses it embeds."""
    out, stack = set(), [node]
    while stack:
        t = stack.pop()
        out.add(t.i)
        stack.extend(c for c in t.children if _inside(c))
    return out


def event_phrase(tok) -> set[int]:
    """Token ids that belong to an event word's phrase: its subtree; for an event noun that
    is the subject of a verb with no object, that verb's own clause ("Clashes erupt around
    Talbisah", "fighting intensifies in the region of Gao"); for the agent of a passive, its
    subject ("X hit by attacks"); for a conjoined noun, the phrases after it that the parser
    hung on the first conjunct."""
    ids = {x.i for x in tok.subtree}
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "nsubj" and tok.head.pos_ == "VERB" and not any(
            c.dep_ in ("dobj", "obj") for c in tok.head.children):
        ids |= own_clause(tok.head)
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


def nearest(trigger, items: dict[int, object], rank=None):
    """The item attached closest to the trigger: in its own clause, then in its heads'.
    With `rank`, the most specific item of the nearest level wins ("Kajuru" over "Kaduna State")."""
    if not items:  # most sentences name no place or date: no clause to walk
        return None
    node = trigger
    for _ in range(12):
        sub = own_clause(node)
        if node.i != trigger.i:
            sub -= _subject_clauses(node)
        hits = [(rank(v) if rank else 0, abs(i - trigger.i), v) for i, v in items.items() if i in sub]
        if hits:
            return min(hits, key=lambda h: h[:2])[2]
        if node.head.i == node.i:
            break
        node = node.head
    return None


def offset_clause(tok):
    """The "N days after/before" clause an event word is told in, and its offset in days from
    the clause it hangs on ("a day after" +... -1: the act came first)."""
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


def reported_on(date_token) -> bool:
    """Whether a date is the day something was said ("was announced on Monday"), which does
    not date what the next sentence tells of."""
    node = date_token
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node.lemma_ in modality()["reporting_verbs"]


def told_of(noun, dates: dict[int, object]):
    """The date a relative clause on an event noun gives the event itself ("the exercises, which
    began on Monday"; "talks that took place in March"): the clause's subject is the noun."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    # the noun, and what restates it ("Freedom Shield, their exercises, which began ...")
    same = [noun, *(c for c in noun.children if c.dep_ == "appos")] + ([noun.head] if noun.dep_ == "appos" else [])
    for head in same:
        for clause in head.children:
            if clause.dep_ == "relcl" and any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ == "WDT" for c in clause.children):
                found = nearest(clause, {i: v for i, v in dates.items() if i in own_clause(clause)})
                if found is not None:
                    return found
    return None


# statements whose complement's place names the party they concern
COMPLEMENT_PLACE_TYPES = {"AGREE", "THREATEN"}


def complement_place(tok, places: dict[int, Place]) -> Place | None:
    """The first place inside the clause a statement governs ("agreed to set up a centre in Tokyo")."""
    for c in tok.children:
        # the parser reads "offered on Saturday to lead" as an adverbial clause
        infinitive = c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        if c.dep_ in ("xcomp", "ccomp") or infinitive:
            for t in c.subtree:
                if t.i in places:
                    return places[t.i]
    return None


def conjoined(doc, i: int, places: dict, chosen) -> bool:
    """Is the place at token i in a conjunction with the chosen place?"""
    j = next((k for k, p in places.items() if p is chosen), None)
    if j is None:
        return False
    a, b = doc[i], doc[j]
    return (a.dep_ == "conj" and (a.head.i == j or a.head.head.i == j)) or (b.dep_ == "conj" and b.head.i == i)
