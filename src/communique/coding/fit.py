"""Whether a trigger's lexicon entry fits the token it was found on: its particle, preposition,
object, modifiers, subjects and clause verbs (data/events/triggers.yaml)."""
from __future__ import annotations

import re

from ..dates import is_time_word
from ..events import Trigger, hostile_nouns, modality
from .syntax import clause_verb, for_clause, is_time_prep, object_of, preps_of, quantity_of, under_subject


MODIFIER_DEPS = {"amod", "compound", "nmod", "npadvmod", "advmod"}


def _has_modifier(t: Trigger, tok) -> bool:
    return any(c.dep_ in MODIFIER_DEPS and c.lemma_.lower() in t.modifiers for c in tok.children)


# a result: "beat Chelsea 3-1 on Sunday", "defeated Marsh 7-5, 3-6" (a range is followed by what
# it counts or by a month: "killed 10-15 people", "on 12-13 March")
SCORE = re.compile(r"(?<![\d.,])\d{1,2} ?[-–] ?\d{1,2}(?![\d.,])")


def won_a_game(tok) -> bool:
    """Is a hostile verb a match result ("Brandt defeated Marsh 7-5, 3-6, 7-6")?"""
    own = [t for t in tok.subtree if t.i == tok.i or clause_verb(t).i == tok.i]
    text = tok.doc[min(t.i for t in own):max(t.i for t in own) + 1].text
    for m in SCORE.finditer(text):
        nxt = re.match(r"\W*([A-Za-z]+)", text[m.end():])
        word = nxt.group(1) if nxt and not text[m.end():nxt.start(1)].strip(" ") else None
        if word is None or (word.lower() in modality()["after_a_score"] and not is_time_word(word)):
            return True
    return False


def verb_fits(t: Trigger, tok, resolver=None) -> bool:
    if t.type == "ASSAULT" and won_a_game(tok):
        return False
    if t.subjects:
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or not _is_one_of(subj, t.subjects):
            return False
    if t.particle and not any(c.dep_ in ("prt", "prep", "advmod") and c.lower_ == t.particle for c in tok.children):
        return False
    if t.prep and not any(c.dep_ in ("prep", "prt", "dative", "agent") and c.lower_ == t.prep and not is_time_prep(c)
                          for c in tok.children) \
            and not for_clause(tok, t.prep):
        # "warned China on Saturday of consequences": the parser may hang it lower in the clause
        if not any(x.dep_ == "prep" and x.lower_ == t.prep and clause_verb(x).i == tok.i and not under_subject(x, tok)
                   and not is_time_prep(x) for x in tok.subtree):
            return False
    if t.prep_objects and not any(c.dep_ == "prep" and c.lower_ == t.prep and any(
            (o.dep_ == "pobj" and _is_one_of(o, t.prep_objects)) or ("@clause" in t.prep_objects and _is_clause(o))
            for o in c.children) for c in tok.children):
        return False
    if t.xcomp and not any(c.dep_ == "xcomp" or (t.xcomp == "clause" and c.dep_ == "ccomp") for c in tok.children):
        return False
    if t.modifiers and not t.objects and not _has_modifier(t, tok):
        return False
    if t.clause_verbs and not any(v.lemma_.lower() in t.clause_verbs for v in _clause_chain(tok)):
        return False
    if t.complements and not any(w.lemma_.lower() in t.complements for w in _predicate_words(tok)):
        return False
    if t.not_questions and asks_a_question(tok):
        return False
    if t.not_objects:
        obj = object_of(tok)
        if obj is not None and (obj.lemma_.lower() in t.not_objects or any(
                c.dep_ == "compound" and c.lemma_.lower() in t.not_objects for c in obj.children)):
            return False
    if t.objects:
        obj = object_of(tok)
        if obj is None:
            return False
        heads = [obj] + [p for prep, p in preps_of(obj) if prep == "of"]
        heads += quantity_of(obj)
        heads += [c for h in list(heads) for c in h.children if c.dep_ == "compound"]  # "credit lines"
        # a passive keeps its second object: "was granted asylum by Spain"
        heads += [c for c in tok.children if c.dep_ == "dobj" and c is not obj]
        if t.modifiers and not (_has_modifier(t, tok) or any(_has_modifier(t, h) for h in heads)):
            return False
        if not any(h.lemma_.lower() in t.objects or h.lower_ in t.objects for h in heads):
            # "@people": any phrase naming people ("five detained Americans", "the pilot")
            if not ("@people" in t.objects and resolver is not None and any(
                    a.kind in ("person", "agent") for h in heads for a in resolver.resolve(h))):
                return False
    return True


# what a request is for or whom it is of: without one of these, "asked" only puts a question
REQUEST_COMPLEMENTS = {"dobj", "dative", "xcomp", "ccomp", "prep", "nsubjpass", "oprd"}


def asks_a_question(tok) -> bool:
    """Does an asking verb put a question rather than a request: "asked them about the delays",
    "asked whether the aid would arrive", "asked, 'Will the border reopen?'", "the senator asked
    again", "asked not to be identified"?"""
    kids = list(tok.children)
    if any(c.dep_ == "prep" and c.lower_ == "about" for c in kids):
        return True
    for c in kids:
        if c.dep_ == "xcomp" and c.lemma_.lower() in modality()["anonymity_verbs"]:  # "asked not to be named"
            return True
        if c.dep_ in ("ccomp", "parataxis"):
            words = list(c.subtree)
            # an indirect question opens with a wh-word or "whether"/"if" ("asked why the convoy stopped")
            if words and (words[0].tag_ in ("WDT", "WP", "WP$", "WRB") or words[0].lower_ in ("whether", "if")
                          or any(w.text == "?" for w in words)):
                return True
    after = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if after is not None and after.text in (",", ":") and "?" in tok.sent.text[after.idx - tok.sent.start_char:]:
        return True  # 'the minister asked, "Will it ... ?"'
    return not any(c.dep_ in REQUEST_COMPLEMENTS for c in kids)


def _predicate_words(tok) -> list:
    """What a verb says its object is: "called the raid a slap in the face", "described the
    attack as barbaric", "branded it a war crime" (the predicate noun or adjective and its
    modifiers)."""
    out = []
    first = (object_of(tok) or tok).i
    for c in tok.children:
        if c.dep_ in ("oprd", "acomp", "xcomp") or (c.dep_ == "dobj" and c.i > first):
            out.extend(x for x in c.subtree if x.pos_ in ("NOUN", "ADJ", "PROPN"))
        elif c.dep_ == "prep" and c.lower_ == "as":
            out.extend(x for x in c.subtree if x.pos_ in ("NOUN", "ADJ", "PROPN"))
    return out


def _clause_chain(tok) -> list:
    """The verbs of a that-clause or an infinitive and the infinitives they govern: "warned
    that X would have to prepare to pay a price" gives have, prepare, pay; "failed to reach
    agreement" gives reach."""
    out = []
    for c in tok.children:
        if c.dep_ in ("ccomp", "xcomp"):
            v = c
            for _ in range(4):
                out.append(v)
                v = next((x for x in v.children if x.dep_ == "xcomp"), None)
                if v is None:
                    break
    return out


def misread_noun(tok) -> bool:
    """"its fisheries dispute with its partners": a base form with no subject, auxiliary or
    marker, hanging where no clause goes, is a noun the tagger took for a verb."""
    if tok.tag_ != "VB" or tok.dep_ not in ("advcl", "dobj", "pobj", "npadvmod", "compound", "amod", "nmod"):
        return False
    return not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "mark") for c in tok.children)


def _is_clause(o) -> bool:
    """A preposition's object that is a clause: "for failing to act", "for what it called lies"."""
    return (o.dep_ == "pcomp" and o.tag_.startswith("VB")) or (o.dep_ == "pobj" and o.lower_ == "what")


def _is_one_of(tok, words: frozenset) -> bool:
    """A word is one a trigger requires (its subjects, its preposition's objects); "@hostile"
    stands for any attack word of data/events/references.yaml."""
    lemma = tok.lemma_.lower()
    return lemma in words or ("@hostile" in words and lemma in hostile_nouns())


def noun_fits(t: Trigger, tok) -> bool:
    # "drew criticism from Lima": the parser may hang the noun's preposition on its verb
    holders = [tok] + ([tok.head] if tok.dep_ == "dobj" and tok.head.pos_ == "VERB" else [])
    if t.prep and not any(c.dep_ == "prep" and c.lower_ == t.prep for h in holders for c in h.children):
        return False
    if t.modifiers and not _has_modifier(t, tok):
        return False
    return True
