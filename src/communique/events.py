"""Stage 4, events: event words from the lexicon matched on the dependency parse.

Each entry of data/events/triggers.yaml names its words, its constraints (particle,
preposition, object, infinitive) and where its target sits. The engine finds the source and
target phrases, hands them to the actor resolver, and reads negation and modality around the
trigger from data/events/modality.yaml.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache

from .dates import MONTHS, is_time_word
from .lexicon import load_yaml

log = logging.getLogger(__name__)

SUBJ = {"nsubj", "nsubjpass", "csubj"}
@dataclass(frozen=True)
class Trigger:
    id: str
    type: str
    cameo: str | None
    intensity: float | None
    mode: str | None
    contexts: tuple[str, ...]
    verbs: frozenset
    nouns: frozenset
    particle: str | None
    prep: str | None
    objects: frozenset
    xcomp: bool | str
    target: tuple[str, ...]
    symmetric: bool
    modifiers: frozenset = frozenset()
    source: tuple[str, ...] = ()
    joint: str | None = None
    place_party: str | None = None  # "source" | "target": a place in the noun's phrase names it
    subjects: frozenset = frozenset()
    untargeted: str | None = None
    own_action: bool = False
    clause_verbs: frozenset = frozenset()
    complements: frozenset = frozenset()
    adjectives: frozenset = frozenset()
    prep_objects: frozenset = frozenset()
    reported: bool = False  # the speaker of the clause acts on its subject ("said Y was responsible")
    claimant: bool = False  # with no target, it answers the latest claim: "X says ...; Y denies"

    @property
    def specificity(self) -> int:
        # an object or a modifier says more about the sense than a preposition does
        return (bool(self.particle) + bool(self.prep) + 2 * bool(self.objects) + bool(self.xcomp)
                + 2 * bool(self.modifiers) + 2 * bool(self.subjects) + 2 * bool(self.clause_verbs)
                + 2 * bool(self.complements) + 2 * bool(self.prep_objects))


@dataclass
class TriggerLexicon:
    by_verb: dict[str, list[Trigger]] = field(default_factory=dict)
    by_noun: dict[str, list[Trigger]] = field(default_factory=dict)
    by_adjective: dict[str, list[Trigger]] = field(default_factory=dict)


def _trigger(e: dict) -> Trigger:
    ctx = e.get("context") or ()
    if isinstance(ctx, str):
        ctx = (ctx,)
    return Trigger(
        id=e["id"], type=e["type"], cameo=str(e["cameo"]) if e.get("cameo") is not None else None,
        intensity=e.get("intensity"), mode=e.get("mode"), contexts=tuple(ctx),
        verbs=frozenset(e.get("verbs") or ()), nouns=frozenset(e.get("nouns") or ()),
        adjectives=frozenset(e.get("adjectives") or ()),
        particle=e.get("particle"), prep=e.get("prep"),
        objects=frozenset(e.get("objects") or ()),
        xcomp=e.get("xcomp") if e.get("xcomp") == "clause" else bool(e.get("xcomp")),
        target=tuple(e.get("target") or ("dobj",)), symmetric=bool(e.get("symmetric")),
        modifiers=frozenset(e.get("modifiers") or ()),
        source=tuple(e.get("source") or ()), joint=e.get("joint"),
        place_party=e.get("place_party"),
        subjects=frozenset(e.get("subjects") or ()), untargeted=e.get("untargeted"),
        own_action=bool(e.get("own_action")),
        clause_verbs=frozenset(e.get("clause_verbs") or ()),
        complements=frozenset(e.get("complements") or ()),
        prep_objects=frozenset(e.get("prep_objects") or ()),
        reported=bool(e.get("reported")),
        claimant=bool(e.get("claimant")),
    )


@lru_cache(maxsize=1)
def triggers() -> TriggerLexicon:
    lex = TriggerLexicon()
    for raw in load_yaml("events/triggers.yaml").get("triggers") or []:
        t = _trigger(raw)
        for v in t.verbs:
            lex.by_verb.setdefault(v, []).append(t)
        for n in t.nouns:
            lex.by_noun.setdefault(n, []).append(t)
        for a in t.adjectives:
            lex.by_adjective.setdefault(a, []).append(t)
    for table in (lex.by_verb, lex.by_noun, lex.by_adjective):
        for k in table:
            table[k].sort(key=lambda t: -t.specificity)
    return lex


@lru_cache(maxsize=1)
def event_things() -> frozenset:
    """Event nouns and the instruments events act on (deals, treaties): never a party."""
    agreements = (event_references().get("agreement") or {}).get("nouns") or ()
    return frozenset(triggers().by_noun) | frozenset(modality()["instruments"]) | frozenset(agreements)


@lru_cache(maxsize=1)
def modality() -> dict:
    return {k: set(v) if isinstance(v, list) else v for k, v in load_yaml("events/modality.yaml").items()}


# ---------------------------------------------------------------------------------------
# argument helpers on a spaCy token


def is_passive(v) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children):
        return True
    return headline_passive(v) or reduced_relative(v)


def reduced_relative(v) -> bool:
    """"a pilot shot down over Kashmir", "two activists detained by police": a participle
    modifying a noun is a passive whose patient is that noun. Not when the noun is itself an
    event ("the accords, signed on Friday", "talks mediated by the AU"): that is background."""
    return (v.tag_ == "VBN" and v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN")
            and v.head.lemma_.lower() not in event_things()
            and not any(c.dep_ in ("aux", "auxpass", "dobj", "obj") for c in v.children))


def headline_passive(v) -> bool:
    """"Dozens killed in Ituri", "Thirteen insurgents killed in ...": a participle without
    auxiliary, as headlines and reduced relatives write the passive."""
    if v.tag_ not in ("VBN", "VBD") or any(c.dep_ in ("aux", "auxpass") for c in v.children):
        return False
    if v.tag_ == "VBD" and any(c.dep_ in ("dobj", "obj") for c in v.children):
        return False  # "gunmen killed five": active; "Dozens killed in ..." has no object
    # only casualties are reported so; "the accords, signed on Friday" is background, and the
    # tagger sometimes reads a past tense as a participle ("Thousands of Kenyans protested")
    from .casualties import words

    w = words()
    if v.lemma_.lower() not in (set(w["death_verbs"]) | set(w["injury_verbs"])) - {"die", "perish", "succumb"}:
        return False
    return v.dep_ in ("acl", "amod") or (v.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in v.children))


def preps_of(tok) -> list[tuple[str, object]]:
    """(preposition, object head) pairs attached to a token, "on" in "sanctions on Iran" too."""
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.pos_ == "ADP":
            for inner in c.children:  # "out of", "ahead of", "because of": the second word rules
                if inner.dep_ == "prep" and inner.pos_ == "ADP" and not any(p.dep_ == "pobj" for p in c.children):
                    out.extend((inner.lower_, p) for p in inner.children if p.dep_ == "pobj")
            for p in c.children:
                if p.dep_ == "pobj" or (p.dep_ == "pcomp" and p.tag_ == "VBG" and not any(
                        g.dep_ in ("dobj", "nsubj") for g in p.children)):  # "by Russian shelling"
                    out.append((c.lower_, p))
            if not any(x.dep_ in ("pobj", "pcomp", "prep") for x in c.children):
                stranded = _stranded_object(c)
                if stranded is not None:
                    out.append((c.lower_, stranded))
        elif c.dep_ == "prt" and c.lower_ in ("on", "with", "to", "against"):
            pass
    return out


def _stranded_object(prep):
    """"granted asylum to five army officers holed up in a residence": the parser read the
    participle after the object as the object's own verb, leaving the preposition with none. The
    object is that verb's subject when it starts right after the preposition."""
    nxt = prep.nbor(1) if prep.i + 1 < len(prep.doc) else None
    if nxt is None:
        return None
    head = nxt if nxt.dep_ == "nsubj" else next((a for a in nxt.ancestors if a.dep_ == "nsubj"), None)
    if head is None or head.left_edge.i != prep.i + 1 or head.pos_ not in ("NOUN", "PROPN"):
        return None
    verb = head.head
    return head if verb.tag_ in ("VBD", "VBN") and verb.dep_ in ("advcl", "conj") and verb.head.i == prep.head.i else None


def stray_subject(v):
    """"Speaking for his ailing uncle, Emir Faisal, the heir said": the
    parser reads the opening participle as the verb's subject and hangs the real one from the
    name before it. The subject is then the phrase just before the verb, inside that clause."""
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in v.children):
        return None
    opening = next((c for c in v.children if c.dep_ == "csubj" and c.tag_ == "VBG" and c.i == c.sent.start), None)
    if opening is None or v.i == 0:
        return None
    prev = v.doc[v.i - 1]
    inside = opening.left_edge.i <= prev.i <= opening.right_edge.i
    return prev if inside and prev.dep_ == "appos" and prev.pos_ in ("NOUN", "PROPN") else None


def subject_of(v):
    """The acting subject of a verb, climbing through conjoined and embedded verbs."""
    seen = 0
    while v is not None and seen < 6:
        seen += 1
        if is_passive(v):
            for prep, obj in preps_of(v):
                if prep == "by":
                    return obj
            for prep, obj in preps_of(v):
                if prep in ("in", "during") and obj.lemma_.lower() in hostile_nouns():
                    if any(c.dep_ in ("amod", "compound", "poss") for c in obj.children):
                        return obj  # "killed in Indian shelling", "died in a Russian strike"
                    foe = next((p for q, p in preps_of(obj) if q == "with"), None)
                    if foe is not None:
                        return foe  # "shot down in a dogfight with Pakistani jets": the other side
            if headline_passive(v):
                return None
            if v.dep_ == "advcl":
                return None  # "cancelled a visit after a state of siege was declared": not by him
        else:
            stray = stray_subject(v)
            if stray is not None:
                return stray
            for c in v.children:
                if c.dep_ in ("nsubj",) and c.tag_ not in ("WDT", "WP"):
                    # "The Red Cross operating in Iraq said": the parser makes the participle the
                    # subject; the noun it hangs from is the speaker
                    inner = next((g for g in c.children if g.dep_ == "nsubj"), None) if c.tag_ == "VBG" else None
                    return inner if inner is not None else c
        if v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN"):
            if not is_passive(v) and any(c.dep_ == "nsubj" and c.tag_ in ("WP", "WDT") for c in v.children):
                return v.head
        if v.dep_ == "acomp" and v.head.pos_ in ("VERB", "AUX"):
            v = v.head  # "France is ready to contribute troops": the subject of "is"
            continue
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.pos_ in ("VERB", "AUX"):
            v = v.head.head  # "established ties with China after cutting ties with Taiwan"
            continue
        if v.dep_ in ("conj", "xcomp", "advcl", "ccomp", "acl") and v.head.pos_ in ("VERB", "AUX", "ADJ"):
            if v.dep_ == "xcomp":
                # "urged X to do": the doer of the embedded verb is the object of the matrix
                obj = next((c for c in v.head.children if c.dep_ == "dobj"), None)
                if obj is not None:
                    return obj
            if v.dep_ == "ccomp" and any(c.dep_ in SUBJ for c in v.children):
                return None
            v = v.head
            continue
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
            return v.head  # "the first Chilean president to pay a visit to Bolivia"
        if v.dep_ == "acl" and v.tag_ == "VBG" and v.head.dep_ == "dobj" and v.head.head.pos_ == "VERB" \
                and v.head.lemma_.lower() in modality()["statement_nouns"] \
                and v.head.head.lemma_.lower() in modality()["issuing_verbs"]:
            v = v.head.head  # "issued a declaration demanding that ...": the issuer demands
            continue
        if v.dep_ == "advcl" and v.head.pos_ in ("NOUN",):
            return None
        return None
    return None


SHARED_SUBJECTS = {"both", "they", "all", "each"}


def subjects_of(v) -> list:
    """Every subject of a verb: the parser sometimes gives two subjects no conjunction
    ("Cameron and Baerbock held talks"), and "both" after "and" is the first clause's subjects."""
    subs = [c for c in v.children if c.dep_ == "nsubj" and c.tag_ not in ("WDT", "WP")]
    if len(subs) == 1 and subs[0].lower_ in SHARED_SUBJECTS and v.dep_ == "conj":
        return subjects_of(v.head) or subs
    if len(subs) > 1:
        return subs
    first = subject_of(v)
    return [first] if first is not None else []


def _misread_relative(v):
    """The subject of a verb the parser read as active when it is a participle describing that
    subject, a `reduced_relative` the parser missed ("A Peruvian navy diver captured near
    the port this week spoke out": the sentence's verb is "spoke", which the parser hangs from
    "captured" as a clause with no subject of its own). None when the verb is what it seems."""
    if v.dep_ != "ROOT" or v.tag_ not in ("VBD", "VBN") or any(c.dep_ in ("dobj", "obj") for c in v.children):
        return None
    subj = next((c for c in v.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")), None)
    if subj is None:
        return None
    for c in v.children:
        if c.dep_ == "advcl" and c.tag_ == "VBD" and c.i > v.i and not any(
                g.dep_ in ("nsubj", "nsubjpass", "mark", "aux", "auxpass") for g in c.children) \
                and not any(t.text in ",;" for t in v.doc[v.i:c.i]):
            return subj
    return None


def agents_of(v) -> list:
    """The "by" agents of a passive, with a name the parser hung from the verb instead of from
    the agent ("was signed by Redwan Hussien and Getachew Reda": Reda is a conjunct of
    'signed')."""
    first = subject_of(v)
    if first is None:
        return []
    out = [first]
    if first.dep_ == "pobj" and first.head.dep_ == "agent" and first.head.head.i == v.i:
        out += [c for c in v.children if c.dep_ == "conj" and c.pos_ == "PROPN" and c.i > first.i]
    return out


def _up_to_object(v):
    """"killed up to 30 people": the parser hangs the object under "up to"."""
    for c in v.children:
        if c.dep_ == "prt" and c.lower_ == "up":
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ == "to":
                    return next((o for o in p.children if o.dep_ == "pobj" and any(
                        n.dep_ == "nummod" for n in o.children)), None)
    return None


def object_of(v):
    if is_passive(v):
        if headline_passive(v):
            if v.dep_ in ("acl", "amod"):
                return v.head
            return next((c for c in v.children if c.dep_ == "nsubj"), None)
        if reduced_relative(v):
            return v.head
        return next((c for c in v.children if c.dep_ == "nsubjpass"), None)
    return next((c for c in v.children if c.dep_ in ("dobj", "obj")), None) or _up_to_object(v) \
        or shared_object(v)


def shared_object(v):
    """"defeated and partially seized the supply column": a verb followed at once by a
    coordinated verb shares its object. Not when that object is a bare singular noun making an
    idiom with its verb ("stormed and set fire to the embassy": fire is no storming's)."""
    conj = next((c for c in v.children if c.dep_ == "conj" and c.pos_ == "VERB" and c.i > v.i), None)
    if conj is None or any(c.dep_ in SUBJ for c in conj.children):
        return None
    if any(t.dep_ not in ("cc", "advmod", "punct") for t in v.doc[v.i + 1:conj.i]):
        return None  # "stormed the gate and seized ...": the first verb's own phrase came between
    obj = next((c for c in conj.children if c.dep_ in ("dobj", "obj")), None)
    if obj is None or (obj.tag_ == "NN" and not any(True for _ in obj.children)):
        return None
    return obj


# ---------------------------------------------------------------------------------------
# matching


@dataclass
class Match:
    """A trigger fired on a token, with the phrases that hold its parties."""

    trigger: Trigger
    token: object
    source_head: object | None
    source_actors: list = field(default_factory=list)
    target_actors: list = field(default_factory=list)
    negated: bool = False
    hypothetical: bool = False
    intent: bool = False
    nominal: bool = False
    about: str | None = None  # "condemned the attack": the class of the event referred to
    ultimatum: bool = False  # "will withdraw ... unless": a conditional intent
    decided: bool = False  # "announced it would prohibit aid": a decision, not a threat


def _children(tok, dep):
    return [c for c in tok.children if c.dep_ == dep]


MODIFIER_DEPS = {"amod", "compound", "nmod", "npadvmod", "advmod"}


def _has_modifier(t: Trigger, tok) -> bool:
    return any(c.dep_ in MODIFIER_DEPS and c.lemma_.lower() in t.modifiers for c in tok.children)


def _verb_fits(t: Trigger, tok, resolver=None) -> bool:
    if t.subjects:
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or not _is_one_of(subj, t.subjects):
            return False
    if t.particle and not any(c.dep_ in ("prt", "prep", "advmod") and c.lower_ == t.particle for c in tok.children):
        return False
    if t.prep and not any(c.dep_ in ("prep", "prt", "dative", "agent") and c.lower_ == t.prep and not _is_time(c)
                          for c in tok.children) \
            and not _for_clause(tok, t.prep):
        # "warned China on Saturday of consequences": the parser may hang it lower in the clause
        if not any(x.dep_ == "prep" and x.lower_ == t.prep and _clause_verb(x).i == tok.i and not _under_subject(x, tok)
                   and not _is_time(x) for x in tok.subtree):
            return False
    if t.prep_objects and not any(c.dep_ == "prep" and c.lower_ == t.prep and any(
            o.dep_ == "pobj" and _is_one_of(o, t.prep_objects) for o in c.children) for c in tok.children):
        return False
    if t.xcomp and not any(c.dep_ == "xcomp" or (t.xcomp == "clause" and c.dep_ == "ccomp") for c in tok.children):
        return False
    if t.modifiers and not t.objects and not _has_modifier(t, tok):
        return False
    if t.clause_verbs and not any(v.lemma_.lower() in t.clause_verbs for v in _clause_chain(tok)):
        return False
    if t.complements and not any(w.lemma_.lower() in t.complements for w in _predicate_words(tok)):
        return False
    if t.objects:
        obj = object_of(tok)
        if obj is None:
            return False
        heads = [obj] + [p for prep, p in preps_of(obj) if prep == "of"]
        heads += _quantity_of(obj)
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


def _quantity_of(obj) -> list:
    """"$3 billion in credit lines": what an amount is an amount of."""
    if obj.tag_ in ("$", "CD") or obj.like_num:
        return [p for prep, p in preps_of(obj) if prep == "in"]
    return []


def _purpose_target(tok, resolver) -> list:
    """"blocked a road to show their anger at the United States' policies", "marched in
    defiance of the Chinese authorities": whom a protest is aimed at, said in its purpose."""
    for c in tok.children:
        # "to show their anger at X"; "rioted, demanding independence from Indonesian rule"
        purpose = c.dep_ == "advcl" and (c.tag_ == "VBG" or any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children))
        defiance = c.dep_ == "prep" and any(p.lemma_.lower() in ("defiance", "protest", "opposition")
                                            for p in c.children if p.dep_ == "pobj")
        if not (purpose or defiance):
            continue
        for t in c.subtree:  # the first party named in it, in reading order
            if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("dobj", "pobj", "poss"):
                found = [a for a in resolver.resolve(t) if a.country or a.kind not in ("agent", "person")]
                if found:
                    return found
    return []


def _misread_noun(tok) -> bool:
    """"its fisheries dispute with its partners": a base form with no subject, auxiliary or
    marker, hanging where no clause goes, is a noun the tagger took for a verb."""
    if tok.tag_ != "VB" or tok.dep_ not in ("advcl", "dobj", "pobj", "npadvmod", "compound", "amod", "nmod"):
        return False
    return not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "mark") for c in tok.children)


def _is_one_of(tok, words: frozenset) -> bool:
    """A word is one a trigger requires (its subjects, its preposition's objects); "@hostile"
    stands for any attack word of data/events/references.yaml."""
    lemma = tok.lemma_.lower()
    return lemma in words or ("@hostile" in words and lemma in hostile_nouns())


def _is_time(prep) -> bool:
    """"called a rally for Saturday": a preposition of time is not the verb's argument."""
    return any(p.dep_ == "pobj" and (is_time_word(p.text) or p.like_num)
               for p in prep.children)


def _for_clause(tok, prep: str):
    """"pushed for Bolivia to hold elections": the preposition opens a clause of its own."""
    return next((c for c in tok.children if c.dep_ == "advcl" and any(
        m.dep_ == "mark" and m.lower_ == prep for m in c.children)), None)


def _under_subject(x, verb) -> bool:
    """Does x hang under the verb's subject ("tariffs on Mexican imports ... called off")?"""
    while x.i != verb.i and x.head.i != x.i:
        if x.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return True
        x = x.head
    return False


def _clause_verb(tok):
    """The nearest verb above a token."""
    h = tok.head
    while h.pos_ not in ("VERB", "AUX") and h.head.i != h.i:
        h = h.head
    return h


def _noun_fits(t: Trigger, tok) -> bool:
    if t.prep and not any(c.dep_ == "prep" and c.lower_ == t.prep for c in tok.children):
        return False
    if t.modifiers and not _has_modifier(t, tok):
        return False
    return True


def support_verb(noun):
    """The verb that carries an event noun: "held [a series of] talks", "launched an attack"."""
    n = noun
    if n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.pos_ == "NOUN":
        n = n.head.head  # "a series of meetings", "a round of talks"
    if n.dep_ == "appos" and n.head.pos_ == "PROPN":
        n = n.head  # "began Freedom Shield, their largest combined exercises": the name is the object
    support = modality()["support_verbs"]
    if n.dep_ in ("dobj", "obj") and n.head.pos_ == "VERB" and n.head.lemma_.lower() in support:
        return n.head
    if n.dep_ == "nsubjpass" and n.head.lemma_.lower() in support:
        return n.head
    return None


def _slot_heads(slot: str, tok, extra=()):
    """Phrase heads that may fill a target slot of the trigger token."""
    out = []
    hosts = [tok, *extra]
    if slot == "nsubjpass":  # "Israel is opposed to ...": an adjectival passive's subject acts
        for h in hosts:
            out.extend(c for c in h.children if c.dep_ == "nsubjpass")
    elif slot == "dobj":
        for h in hosts:
            o = object_of(h) if h.pos_ in ("VERB", "AUX") else None
            if o is not None:
                out.append(o)
    elif slot == "clause_subject":  # "warned that Washington would pay a heavy price"
        for h in hosts:
            out.extend(c for v in h.children if v.dep_ == "ccomp" for c in v.children if c.dep_ in SUBJ)
    elif slot == "dative":
        for h in hosts:
            out.extend(c for c in h.children if c.dep_ == "dative" and c.pos_ != "ADP")
            out.extend(p for prep, p in preps_of(h) if prep == "to")
    elif slot.startswith("prep:"):
        want = slot[5:]
        for h in hosts:
            direct = preps_of(h)
            out.extend(p for prep, p in direct if prep == want)
            o = object_of(h) if h.pos_ in ("VERB", "AUX") else None
            if o is not None:
                for x in [o, *_quantity_of(o)]:
                    out.extend(p for prep, p in preps_of(x) if prep == want)
                if not out:
                    # "prevented the demonstration staged by students": the object's participle
                    out.extend(p for a in o.children if a.dep_ == "acl" for prep, p in preps_of(a) if prep == want)
            if not out:
                # one level down: "spoke by telephone with X", "along the border with China"
                for _, p in direct:
                    if p.head.dep_ != "agent":  # never into the passive's agent: it is the source
                        out.extend(q for prep, q in preps_of(p) if prep == want)
            if not out and h.pos_ == "NOUN" and h.dep_ == "pobj" and h.head.lower_ == "of" \
                    and h.head.head.pos_ == "NOUN":
                # "three days of talks between X and Y": the parser hangs it from the quantity
                out.extend(p for prep, p in preps_of(h.head.head) if prep == want)
            if want == "between" and len(out) == 1 and not any(c.dep_ == "conj" for c in out[0].children):
                # "between a delegation led by Ebrard and US officials": the second party hung
                # from inside the first's phrase
                out.extend(t for t in out[0].subtree if t.dep_ == "conj" and t.pos_ in ("NOUN", "PROPN")
                           and t.head.i != out[0].i)
            if not out and want == "with" and h.pos_ in ("VERB", "AUX"):
                # the party of what is agreed: "agreed to restore full relations with Doha"
                for x in (c for c in h.children if c.dep_ == "xcomp"):
                    xo = object_of(x)
                    for y in [x] + ([xo] if xo is not None else []):
                        out.extend(q for prep, q in preps_of(y) if prep == want)
    return out


def modality_of(tok, lex: TriggerLexicon) -> tuple[bool, bool, bool, bool]:
    """(negated, hypothetical, intent, embedded) for the clause of a trigger token."""
    mod = modality()
    neg = hyp = intent = embedded = False
    clause = tok
    if tok.pos_ in ("NOUN", "PROPN"):
        if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            neg = True
        if any(c.dep_ == "det" and c.lower_ in mod["hypothetical_determiners"] for c in tok.children):
            hyp = True  # "would regret any attack": no attack has happened
        sv = support_verb(tok)
        if sv is None:
            # a bare noun takes its modality from the verb it depends on, if any
            return neg, hyp, intent, embedded
        clause = sv
    for c in clause.children:
        if c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in mod["negation"]):
            neg = True
        if c.dep_ in ("aux", "auxpass"):
            if c.lemma_.lower() in mod["hypothetical_aux"] or c.lower_ in mod["hypothetical_aux"]:
                hyp = True
            if c.lower_ in mod["intent_aux"] or c.lemma_.lower() in mod["intent_aux"]:
                intent = True
            if any(g.dep_ == "neg" for g in c.children):
                neg = True
        if c.dep_ == "advmod" and c.lower_ in mod["hypothetical_adverbs"]:
            hyp = True
        if c.dep_ == "mark" and c.lower_ in mod["conditional_marks"]:
            hyp = True
        if c.dep_ in ("nsubj", "nsubjpass") and any(g.dep_ == "det" and g.lower_ == "no" for g in c.children):
            neg = True  # "no soldier had been killed there since 1975": a quantified negation
        if c.dep_ == "dobj" and clause.pos_ == "VERB" and any(g.dep_ == "det" and g.lower_ == "no" for g in c.children):
            neg = True  # "he offered no new apology", "made no concessions"
    # climb embedded clauses: "refused to X", "agreed to X", "plans to X", "may seek to X"
    cur = clause
    while cur.dep_ == "conj" and cur.head.pos_ in ("VERB", "AUX"):
        cur = cur.head  # "accused X of violating rights, ignoring law and ..."
    if cur.dep_ != "pcomp":
        cur = clause
    if cur.dep_ == "pcomp" and cur.head.dep_ == "prep" and cur.head.lower_ in REPORTED_PREPS and cur.head.head.pos_ == "VERB":
        gov = cur.head.head  # "accused X of attacking", "warned of striking": reported, not done
        glemma = gov.lemma_.lower()
        if glemma in lex.by_verb and any(_verb_fits(t, gov) for t in lex.by_verb[glemma]):
            embedded = True
        elif glemma in mod["negating_verbs"]:
            neg = True
    for _ in range(4):
        if cur.dep_ not in ("xcomp", "advcl", "ccomp", "conj", "acl", "relcl", "pcomp"):
            break
        head = cur.head
        if cur.dep_ == "advcl":
            if any(c.dep_ == "mark" and c.lower_ in mod["conditional_marks"] for c in cur.children):
                hyp = True
            if any(c.dep_ == "mark" and c.lower_ == "until" for c in cur.children):
                # "sworn to fight until they gain control": the goal shares its head's mood
                if head.lemma_.lower() in mod["intent_verbs"]:
                    intent = True
                    break
                cur = head
                continue
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
                if head.lemma_.lower() in mod["intent_verbs"]:
                    intent = True  # "have sworn to fight", read by the parser as an adverbial clause
                else:
                    hyp = True  # purpose: "launched X to dismantle Y"
            break
        if cur.dep_ in ("conj", "relcl", "acl", "pcomp"):
            break
        lemma = head.lemma_.lower()
        if cur.dep_ == "ccomp" and lemma in mod["claim_verbs"]:
            hyp = True  # "claiming that dozens of guards had died"
            break
        if cur.dep_ == "ccomp" and lemma in lex.by_verb and any(
                t.type in ("REQUEST", "ACCUSE", "THREATEN", "REJECT") and _verb_fits(t, head) for t in lex.by_verb[lemma]):
            embedded = True  # "demanding that the brothers step down"
            break
        if cur.dep_ == "xcomp" or (cur.dep_ == "ccomp" and lemma in mod["intent_verbs"]):
            if lemma in mod["negating_verbs"]:
                neg = True
            elif lemma in lex.by_verb and any(_verb_fits(t, head) for t in lex.by_verb[lemma]):
                embedded = True
            elif lemma in mod["intent_verbs"]:
                intent = True
            elif lemma in mod["own_claim_verbs"] and cur.dep_ == "xcomp":
                pass  # "the army claims killing 10 militants": its own act, coded as it claims it
            elif lemma in mod["hypothetical_verbs"]:
                hyp = True
            for c in head.children:
                if c.dep_ == "aux" and c.lemma_.lower() in mod["hypothetical_aux"]:
                    hyp = True
                if c.dep_ == "neg":
                    neg = True
        if cur.dep_ == "ccomp":
            break
        cur = head
    return neg, hyp, intent, embedded


def _background_noun(noun) -> bool:
    """"since last month's invasion", "after a week of unrest", "in the wake of the killing": an
    event noun that dates another event. ("After their talks, the two men went to dinner" is
    news: a bare "after X" often names the event reported.)"""
    mod = modality()
    n, spanned = noun, False
    while n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.pos_ in ("NOUN", "PROPN"):
        gov = n.head.head.lemma_.lower()
        if gov in mod["background_nouns"]:
            return True
        spanned = spanned or gov in mod["background_spans"]
        n = n.head.head  # "a week of unrest", "five days of fighting"
    if n.dep_ == "pobj" and n.head.lower_ in mod["background_marks"]:
        return n.head.lower_ in mod["background_always"] or spanned
    # "following the shooting deaths": the tagger reads "following" as a verb
    return n.dep_ == "dobj" and n.head.lower_ == "following" and n.head.tag_ == "VBG"


def _background_verb(tok, year: int | None = None) -> bool:
    """"a helicopter that was captured last week", "when Idi Amin expelled them 18 years ago", "a
    1998 declaration in which Tokyo apologised" (a year before the report's): an earlier act
    that describes what is reported. ("Mourning began after missiles tore through the centre"
    is news: a clause of "after" often carries the lead event.)"""
    mod = modality()
    if tok.dep_ in ("relcl", "advcl"):
        local = [t for t in tok.subtree if not (t.dep_ in ("relcl", "ccomp") and t.i != tok.i)]
        if any(t.lower_ in mod["background_times"] and t.dep_ in ("advmod", "amod", "npadvmod") for t in local):
            return True
    if tok.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ == "had" for c in tok.children) \
            and not _event_word(tok.head):
        # "GSOMIA, which Seoul had threatened to scrap": earlier still, and about a thing (but
        # "calls in which the emir had spoken to both" tells what the calls were)
        return True
    first = tok
    while first.dep_ == "conj" and first.head.pos_ in ("VERB", "AUX"):
        first = first.head
    return year is not None and first.dep_ == "relcl" and any(
        c.dep_ in ("nummod", "compound", "amod") and c.tag_ == "CD" and c.text.isdigit() and len(c.text) == 4
        and 1900 <= int(c.text) < year for c in first.head.children)


def _noun_triggers(tok, lex: TriggerLexicon) -> list | None:
    """The triggers an event noun can be ("talks", "clashes", "airstrikes"), None for other nouns."""
    return lex.by_noun.get(tok.lemma_.lower()) or lex.by_noun.get(tok.lower_) or _plural_of(tok.lower_, lex)


def _event_word(tok) -> bool:
    return _noun_triggers(tok, triggers()) is not None


def _same_act(noun, trig: Trigger, verb_types: dict[int, str]) -> bool:
    """"killed 46 civilians in an attack on a village", "was killed in a car bomb explosion",
    "a roadside bombing killed a soldier": the noun names the act its verb has coded already."""
    if noun.dep_ == "nsubj":  # "a roadside bombing killed one soldier": the killing is the bombing
        return verb_types.get(noun.head.i) == trig.type
    if noun.dep_ != "pobj" or noun.head.lower_ not in ("in", "during", "by"):
        return False
    return verb_types.get(noun.head.head.i) == trig.type


def _content_nouns(tok, trig: Trigger, lex: TriggerLexicon) -> set[int]:
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
            if t.pos_ == "NOUN" and t.lemma_.lower() in lex.by_noun and _clause_verb(t).i == tok.i:
                out.add(t.i)
    return out


TOPIC_PREPS = {"on", "over", "about", "regarding", "concerning", "of", "into", "for"}


def _condemned_attack(noun, cands: list, verb_types: dict[int, str]) -> bool:
    """"condemns killing of militiamen", "slam NPA over brutal slaying of militiamen": an attack
    named as what is condemned happened; it is an event of its own when it names a party
    (a bare "condemned the attack" adds none, see match_sentence). Its attacker is the accused
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
        fits = [t for t in lex.by_verb[lemma] if _verb_fits(t, gov)]
        return bool(fits) and (noun.head.lower_ != "for" or fits[0].type in SAYING)
    return False


@lru_cache(maxsize=1)
def event_references() -> dict[str, dict]:
    data = load_yaml("events/references.yaml")
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def hostile_nouns() -> set[str]:
    return set((event_references().get("hostile") or {}).get("nouns") or ())


def about_event(tok, trig: Trigger) -> str | None:
    """"condemned the attack", "welcomed the agreement": the class of an earlier event named as
    the object (data/events/references.yaml), when it names no party of its own."""
    heads = [h for slot in ("dobj",) + trig.target for h in _slot_heads(slot, tok)]
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


def predicate_adjectives(sent, resolver, lex) -> list[Match]:
    """"India was fully supportive of Sri Lanka's recovery", "X is highly critical of Y": a
    stance stated by a predicative adjective, its subject the copula's, its party the
    adjective's complement."""
    from . import reported  # it builds on this module: imported when first used
    out = []
    for tok in sent:
        cands = lex.by_adjective.get(tok.lemma_.lower()) if tok.pos_ == "ADJ" and tok.dep_ == "acomp" else None
        trig = next((t for t in cands or () if _verb_fits(t, tok, resolver)), None)
        if trig is None:
            continue
        if trig.reported:
            out.extend(reported.stance(trig, tok, resolver, lex))
            continue
        subject = subject_of(tok.head)
        sources = resolver.resolve(subject) if subject is not None else []
        targets = []
        for slot in trig.target:
            targets = _unique([a for h in _slot_heads(slot, tok) for a in resolver.resolve(h)])
            if targets:
                break
        if not sources:
            continue
        m = Match(trig, tok, subject, sources, targets)
        m.negated, m.hypothetical, m.intent, embedded = modality_of(tok.head, lex)
        if not embedded:
            out.append(m)
    return out


def _condition(tok, hostile: bool = False):
    """The "unless ..." clause of a verb or of the clause it governs; with `hostile`, also the
    "if ..." clause of a hostile act stated with a modal ("may halt mediation efforts if
    cooperation founders": a conditional threat)."""
    mod = modality()
    marks = set(mod["ultimatum_marks"])
    modal = hostile and any(c.dep_ == "aux" and c.lower_ in mod["conditional_threat_aux"] for c in tok.children)
    for v in [tok] + [c for c in tok.children if c.dep_ in ("xcomp", "ccomp")]:
        for c in v.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks | {"if"} for m in c.children):
                if any(m.lower_ in marks for m in c.children) or tok.lemma_.lower() in ("threaten", "warn") or modal:
                    return c
    return None


def _condition_party(tok, resolver) -> list:
    """"threatened to strike unless Baghdad accepted": the party that must comply."""
    clause = _condition(tok)
    if clause is None:
        return []
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return resolver.resolve(subj) if subj is not None else []


def _running_toll(verb, subject) -> bool:
    """"a conflict that has left thousands dead": a conflict's toll, not an event."""
    if subject is None or not any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children):
        return False
    from .casualties import words

    return subject.lemma_.lower() in set(words().get("tally_subjects") or ())


def _own_action(tok, sources, resolver) -> bool:
    """Is the clause a verb governs about the source's own act ("warned that Tehran could ...",
    "warned that it would ...")? Predictions about others are no threat."""
    clause = next((c for c in tok.children if c.dep_ == "ccomp"), None)
    if clause is None:
        return True
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return False
    if subj.lower_ in ("we", "i"):
        return True
    actors = resolver.resolve(subj)
    own = {a.country for a in sources if a.country}
    if any(a.kind == "agent" and not a.country and set(a.sectors) & {"COP", "MIL", "GOV"} for a in actors):
        return True  # "warned that troops would stop permitting marches": the speaker's own forces
    return any(a.country in own for a in actors) if own else False


def _unique(actors: list) -> list:
    seen, out = set(), []
    for a in actors:
        if a.key() not in seen:
            seen.add(a.key())
            out.append(a)
    return out


# "accused X of attacking", "warned of striking", "criticised for raiding": what is reported
REPORTED_PREPS = {"of", "for", "about", "over", "against", "with"}
# event types that are statements or decisions: their target may sit inside what they govern
SAYING = {"REQUEST", "REJECT", "ACCUSE", "THREATEN", "SUPPORT", "AGREE", "CONCEDE"}
EMBEDDED_PREPS = {"with", "of", "against", "on", "to", "for", "from"}


# "demanded that the US cancel ...": the demand is addressed to the clause's subject
ADDRESSEE_IS_SUBJECT = {"REQUEST", "ACCUSE", "THREATEN"}


def embedded_target(tok, subject, resolver, subjects: bool = False) -> list:
    """When no slot names the target, the first party named inside what the trigger governs:
    "refused to release [American journalist X]", "rejected talks [with Washington]",
    "called for the release [of Niger's president]"."""
    frontier = [c for c in tok.children if c.dep_ in ("dobj", "xcomp", "prep", "ccomp", "attr", "oprd")]
    clause = _for_clause(tok, "for")
    if clause is not None:
        frontier.append(clause)
    for _ in range(7):
        nxt = []
        for node in frontier:
            if subject is not None and node.i == subject.i:
                continue
            if node.pos_ in ("NOUN", "PROPN") and (node.dep_ in ("dobj", "pobj", "poss", "attr") or (subjects and node.dep_ == "nsubj")):
                found = [a for a in resolver.resolve(node) if a.country or a.kind not in ("agent", "person") or a.name]
                if found:
                    return found
            for c in node.children:
                if c.dep_ in ("dobj", "pobj", "poss", "xcomp", "attr", "acl", "relcl") or (subjects and c.dep_ in ("nsubj", "ccomp")) or (
                        c.dep_ in ("prep", "agent") and c.lower_ in EMBEDDED_PREPS | {"by"}):
                    nxt.append(c)
        frontier = nxt
    return []


def _plural_of(word: str, lex: TriggerLexicon):
    """Title-case headlines leave plurals unlemmatised ("Attacks On Civilians" is a proper
    noun to the tagger): the triggers of the singular."""
    for suffix in ("s", "es"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2 and word[:-len(suffix)] in lex.by_noun:
            return lex.by_noun[word[:-len(suffix)]]
    return None


def match_sentence(sent, resolver, lex: TriggerLexicon | None = None) -> list[Match]:
    """Every trigger in a sentence with its source and target actors."""
    from . import reported  # it builds on this module: imported when first used
    lex = lex or triggers()
    out: list[Match] = []
    covered_nouns: set[int] = set()
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB",) and lemma in lex.by_verb and not _misread_noun(tok):
            trig = next((t for t in lex.by_verb[lemma] if _verb_fits(t, tok, resolver)), None)
            if trig is None:
                continue
            obj = object_of(tok)
            if obj is not None:
                covered_nouns.add(obj.i)
            if trig.type in SAYING:
                covered_nouns.update(_content_nouns(tok, trig, lex))
            m = Match(trig, tok, subject_of(tok))
            m.negated, m.hypothetical, m.intent, embedded = modality_of(tok, lex)
            published = getattr(resolver.ctx, "published", None)
            if embedded or _running_toll(tok, m.source_head) or _background_verb(tok, published and published.year):
                continue
            if trig.reported:
                out.extend(reported.stance(trig, tok, resolver, lex))
                continue
            misread = _misread_relative(tok)
            if misread is not None:
                # "An Indian pilot shot down over Kashmir walked back": the pilot was shot down
                m.source_actors, m.target_actors, m.source_head = [], resolver.resolve(misread), None
                if m.target_actors:
                    out.append(m)
                continue
            m.ultimatum = _condition(tok, hostile=(trig.intensity or 0) < 0) is not None
            m.decided = tok.dep_ == "ccomp" and tok.head.lemma_.lower() in modality()["decision_verbs"]
            heads = subjects_of(tok) if not is_passive(tok) else agents_of(tok)
            src = _unique([a for h in heads for a in resolver.resolve(h)])
            if not src and trig.source:
                # "the ambassador was summoned to the Polish foreign ministry", "troops were deployed"
                for slot in trig.source:
                    src = _unique([a for h in _slot_heads(slot, tok) for a in resolver.resolve(h)])
                    if src:
                        break
            if not src and is_passive(tok) and trig.type in reported.SPEAKER_DOES:
                src = reported.speakers_own(tok, resolver)
            m.source_actors = src
            for slot in trig.target:
                heads = _slot_heads(slot, tok)
                tgt = _unique([a for h in heads for a in resolver.resolve(h)])
                if tgt:
                    m.target_actors = tgt
                    break
            if not m.target_actors and trig.type == "PROTEST":
                m.target_actors = _purpose_target(tok, resolver)
            if not m.target_actors:
                m.about = about_event(tok, trig)
            if not m.target_actors and (trig.type == "THREATEN" or m.ultimatum):
                m.target_actors = _condition_party(tok, resolver)
            if trig.own_action and not _own_action(tok, src, resolver):
                continue
            reciprocal = len(src) > 1 and (trig.symmetric or trig.type in ("CONSULT", "AGREE", "COOPERATE"))
            # "called the raid a slap in the face of X": the strike's author, not X
            about_attack = m.about is not None and (event_references().get(m.about) or {}).get("target") == "source"
            if not m.target_actors and trig.type in SAYING and not reciprocal and not about_attack:
                found = embedded_target(tok, m.source_head, resolver, subjects=trig.type in ADDRESSEE_IS_SUBJECT)
                # "promised that Finland would send ...": the source's own state is no addressee
                # (a rebel group's or a union's own government may be)
                own = {a.country for a in src if a.country and (a.kind == "state" or "GOV" in a.sectors)}
                m.target_actors = [a for a in found if not (a.kind == "state" and a.country in own)]
            out.append(m)
    verb_types = {m.token.i: m.trigger.type for m in out}
    out.extend(reported.obligations(sent, resolver, lex))
    out.extend(predicate_adjectives(sent, resolver, lex))
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue
        cands = _noun_triggers(tok, lex)
        if not cands or (tok.pos_ == "PROPN" and tok.lower_ in MONTHS):
            continue  # "in March" is a month, not a march
        condemned = _condemned_attack(tok, cands, verb_types)
        if tok.i in covered_nouns and not condemned:
            continue
        trig = next((t for t in cands if _noun_fits(t, tok)), None)
        if trig is None:
            continue
        if tok.dep_ == "compound" and tok.head.pos_ == "NOUN" and tok.head.lemma_.lower() not in lex.by_noun \
                and resolver.resolve(tok.head):
            continue  # "border patrol agents", "protest leaders": people named by what they do
        host = tok
        if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
            host = tok.head  # "a mediation mission between X and Y": the phrase is the head's
        sv = support_verb(host)
        if sv is not None and sv.lemma_.lower() in lex.by_verb and any(_verb_fits(t, sv) for t in lex.by_verb[sv.lemma_.lower()]):
            continue  # the verb itself is an event word and has been coded
        m = Match(trig, tok, None, nominal=True)
        m.negated, m.hypothetical, m.intent, embedded = modality_of(host, lex)
        if host.dep_ in ("dobj", "nsubjpass") and host.head.lemma_.lower() in modality()["ending_verbs"]:
            m.negated = True  # "formally ending a boycott": the boycott is over, not begun
        if host.dep_ == "dobj" and sv is None and host.head.lemma_.lower() in modality()["intent_verbs"]:
            m.hypothetical = True  # "is preparing a major offensive": planned, not yet done
        same_as_subject = host.dep_ == "nsubj" and _same_act(host, trig, verb_types)
        if embedded or (_is_topic(host, lex) and not condemned) or _background_noun(host) or (
                _same_act(host, trig, verb_types) and not same_as_subject):
            continue
        src = []
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
        if not src:
            mods = [c for c in list(host.children) + list(tok.children)
                    if c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i and c.i != tok.i]
            countries = resolver.countries_in([t for c in mods for t in c.subtree])
            if countries:
                from .model import Actor
                src = [Actor(text, None, None, code, [], "state") for code, text in countries[:1]]
        hosts = []
        if sv is None and host.dep_ == "pobj" and host.head.lower_ in ("for", "during", "on") and host.head.head.pos_ == "VERB":
            # "went on strike", "remained on alert": the subject is in that state
            sv = host.head.head  # "arrived in Kyiv for talks with ...": the traveller holds the talks
        if condemned:
            # the condemner is not the attacker: the accused is ("blamed Israel for the bombing")
            sv, src = None, src or reported.accused({host.i}, out)
        if not src and sv is not None:
            heads = subjects_of(sv) if not is_passive(sv) else [h for h in [subject_of(sv)] if h is not None]
            src = _unique([a for h in heads for a in resolver.resolve(h)])
        if sv is not None:
            hosts.append(sv)
        m.source_actors = src
        for slot in trig.target:
            heads = _slot_heads(slot, host) + [h for x in hosts for h in _slot_heads(slot, x) if slot != "dobj"]
            tgt = _unique([a for h in heads for a in resolver.resolve(h)])
            if tgt:
                m.target_actors = tgt
                break
        if not m.source_actors and not m.target_actors and (not trig.place_party or same_as_subject):
            # a bare event noun ("the attack", "these discussions") names no new event, nor does
            # the subject of its own verb ("a roadside bombing killed ...") unless it names a party
            continue
        out.append(m)
    reported.blame_attackers(out)
    return out
