"""Deaths and injuries in a sentence: "26 civilians were killed", "killing 12 people",
"left three dead", spelled-out numbers and vague counts (data/events/casualties.yaml)."""
from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import load_yaml


@lru_cache(maxsize=1)
def words() -> dict:
    return load_yaml("events/casualties.yaml")


def number(tok) -> int | None:
    """The count a token or its number modifiers express."""
    vague = words().get("vague_counts") or {}
    cands = [tok] + [c for c in tok.children if c.dep_ in ("nummod", "quantmod", "amod", "compound")]
    for c in cands:
        n = _parse(c.text)
        if n is None and c.dep_ == "nummod":
            # "twenty six": spaCy keeps the words apart
            words_ = [x.text for x in c.subtree if x.like_num or x.dep_ in ("nummod", "compound")]
            n = _parse(" ".join(words_))
        if n is not None:
            return n
    for c in tok.children:
        if c.lower_ in vague:
            return int(vague[c.lower_])
    if tok.lower_ in vague:
        return int(vague[tok.lower_])
    return None


def total(tok) -> int | None:
    """The count of a victim phrase, summed over its conjuncts ("a soldier, 6 militants")."""
    parts = [tok] + [c for c in tok.subtree if c.dep_ == "conj" and c.head.i in {tok.i} | {x.i for x in tok.subtree}]
    counts = [number(p) for p in parts]
    known = [c for c in counts if c is not None]
    if not known:
        return None
    # a bare singular conjunct ("NATO soldier, 6 militants") counts as one
    return sum(known) + sum(1 for p, c in zip(parts, counts) if c is None and p.tag_ == "NN" and p is not tok)


def is_killing(word) -> bool:
    """Does the death word name a killer ("were killed", "executed"), not a death alone ("died")?"""
    return word.lemma_.lower() in set(words().get("killing_verbs") or ())


def violent(sent) -> bool:
    """Does a sentence say its deaths were violent (data/events/casualties.yaml violence_cues)?"""
    cues = set(words().get("violence_cues") or ())
    return any(t.lemma_.lower() in cues or t.lower_ in cues for t in sent)


def running_toll(word) -> bool:
    """"a war that has killed tens of thousands", "the insurgency has killed 40,000": a
    conflict's running toll (perfect tense, a tally subject), not an event."""
    if not any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in word.children):
        return False
    subj = next((c for c in word.children if c.dep_ == "nsubj"), None)
    if word.dep_ == "relcl" and (subj is None or subj.tag_ in ("WDT", "WP")):
        subj = word.head
    return subj is not None and subj.lemma_.lower() in set(words().get("tally_subjects") or ())


def _parse(text: str) -> int | None:
    t = text.replace(",", "").strip()
    if re.fullmatch(r"\d+", t):
        return int(t)
    try:
        from text_to_num import text2num

        return int(text2num(t.lower(), "en"))
    except (ValueError, ImportError, TypeError):
        return None


def _subject_before(tok):
    """The subject of a predicative "dead" when title case misparses the clause ("1 Person Is
    Confirmed Dead" hangs "Person" on "Is")."""
    return next((c for c in tok.head.subtree if c.i < tok.i and c.dep_ in ("nsubj", "nsubjpass")), None)


def report(sent):
    """(deaths, injuries, the word that reports the deaths) for a sentence."""
    w = words()
    deaths = injuries = None
    word = None
    for tok in sent:
        lemma = tok.lemma_.lower()
        kind = "death" if lemma in w["death_verbs"] else "injury" if lemma in w["injury_verbs"] else None
        if kind is None:
            if tok.lower_ in w["death_adjectives"] and tok.dep_ in ("acomp", "oprd", "amod", "xcomp", "ROOT"):
                if tok.dep_ == "amod":
                    victim = tok.head
                elif tok.dep_ == "ROOT":  # headlines: "Two dead in a terrorist attack"
                    victim = next((c for c in tok.children if c.dep_ in ("nsubj", "npadvmod", "nummod")), None)
                else:
                    victim = next((c for c in tok.head.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")), None) \
                        or _subject_before(tok)
                n = number(victim) if victim is not None else None
                if n is not None and deaths is None:
                    deaths, word = n, tok
            continue
        victims = [c for c in tok.children if c.dep_ in ("nsubjpass", "dobj")]
        if lemma in ("die", "perish", "succumb") or (tok.tag_ in ("VBN", "VBD") and not any(
                c.dep_ in ("aux", "auxpass", "dobj") for c in tok.children)):
            # "146 died", and headline passives without "were": "Dozens killed in ..."
            victims += [c for c in tok.children if c.dep_ == "nsubj"]
        if tok.dep_ in ("acl", "amod") and tok.tag_ == "VBN":
            victims.append(tok.head)  # "Thirteen insurgents killed in a drone attack"
        for v in victims:
            n = total(v)
            if n is None and v.tag_ in ("NN", "NNP") and v.lower_ not in words().get("vague_counts", {}):
                n = 1  # "a soldier died", "Regime soldier killed": one
            if n is None:
                continue
            if kind == "death" and deaths is None:
                deaths, word = n, tok
            elif kind == "injury" and injuries is None:
                injuries = n
            break
    return deaths, injuries, word
