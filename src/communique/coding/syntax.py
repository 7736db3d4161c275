"""Argument helpers on a spaCy token: who acts (`subject_of`), on what (`object_of`), with which
prepositions (`preps_of`), and which phrases fill a trigger's target slot (`slot_heads`).

The small model's parse has habits (headline passives, participles read as verbs, stranded
prepositions); the helpers here undo the ones that move a party.
"""
from __future__ import annotations

from ..casualties import words
from ..dates import is_time_word
from ..events import event_things, hostile_nouns, modality


SUBJ = {"nsubj", "nsubjpass", "csubj"}


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
                if prep == "with":
                    # "was threatened with tariffs by Washington": the parser hangs the agent
                    # from the instrument
                    agent = next((o for q, o in preps_of(obj) if q == "by"), None)
                    if agent is not None:
                        return agent
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


def misread_relative(v):
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


def quantity_of(obj) -> list:
    """"$3 billion in credit lines": what an amount is an amount of."""
    if obj.tag_ in ("$", "CD") or obj.like_num:
        return [p for prep, p in preps_of(obj) if prep == "in"]
    return []


def is_time_prep(prep) -> bool:
    """"called a rally for Saturday": a preposition of time is not the verb's argument."""
    return any(p.dep_ == "pobj" and (is_time_word(p.text) or p.like_num)
               for p in prep.children)


def for_clause(tok, prep: str):
    """"pushed for Bolivia to hold elections": the preposition opens a clause of its own."""
    return next((c for c in tok.children if c.dep_ == "advcl" and any(
        m.dep_ == "mark" and m.lower_ == prep for m in c.children)), None)


def under_subject(x, verb) -> bool:
    """Does x hang under the verb's subject ("tariffs on Mexican imports ... called off")?"""
    while x.i != verb.i and x.head.i != x.i:
        if x.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return True
        x = x.head
    return False


def clause_verb(tok):
    """The nearest verb above a token."""
    h = tok.head
    while h.pos_ not in ("VERB", "AUX") and h.head.i != h.i:
        h = h.head
    return h


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


def slot_heads(slot: str, tok, extra=()):
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
    elif slot == "cause":  # "Ecuador's ban drew criticism from Lima": who did what drew it
        for h in hosts:
            if h.dep_ == "dobj" and h.head.pos_ == "VERB":
                for subj in (c for c in h.head.children if c.dep_ == "nsubj"):
                    owners = [c for c in subj.children if c.dep_ == "poss"]
                    owners += [p for prep, p in preps_of(subj) if prep == "by"]
                    out.extend(owners or [subj])
    elif slot == "captor":  # "two aid workers held by gunmen were freed": their captors freed them
        for h in hosts:
            o = object_of(h) if h.pos_ in ("VERB", "AUX") else None
            for held in [c for c in h.children if c.dep_ == "nsubjpass"] + ([o] if o is not None else []):
                out.extend(p for a in held.children if a.dep_ == "acl" and a.lemma_.lower() in modality()["captor_verbs"]
                           for prep, p in preps_of(a) if prep == "by")
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
                for x in [o, *quantity_of(o)]:
                    out.extend(p for prep, p in preps_of(x) if prep == want)
                if not out:
                    # "prevented the demonstration staged by students": the object's participle
                    out.extend(p for a in o.children if a.dep_ == "acl" for prep, p in preps_of(a) if prep == want)
            if not out:
                # one level down: "spoke by telephone with X", "along the border with China"
                for _, p in direct:
                    if p.head.dep_ != "agent":  # never into the passive's agent: it is the source
                        out.extend(q for prep, q in preps_of(p) if prep == want)
            if not out and h.pos_ == "NOUN" and h.dep_ == "dobj" and h.head.pos_ == "VERB":
                out.extend(p for prep, p in preps_of(h.head) if prep == want)  # "drew criticism from X"
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
