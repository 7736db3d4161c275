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


def total(tok, verb=None) -> int | None:
    """The count of a victim phrase, summed over its conjuncts ("a soldier, 6 militants")."""
    if tok.dep_ == "appos" and _counted_list(tok.head, tok, verb):
        tok = tok.head  # "NATO soldier, 6 militants killed": the participle hangs on the second
    parts = [tok] + [c for c in tok.subtree if (c.dep_ == "conj" or (c.dep_ == "appos" and _counted_list(c.head, c, verb)))
                     and c.head.i in {tok.i} | {x.i for x in tok.subtree}]
    counts = [number(p) for p in parts]
    known = [c for c in counts if c is not None]
    if not known:
        return None
    # a bare singular noun among counted conjuncts ("NATO soldier, 6 militants", "a commander, 4
    # others") is one person
    return sum(known) + sum(1 for p, c in zip(parts, counts) if c is None and p.tag_ in ("NN", "NNP")
                            and p.lower_ not in (words().get("vague_counts") or {}))


def is_killing(word) -> bool:
    """Does the death word name a killer ("were killed", "executed"), not a death alone ("died")?"""
    return word.lemma_.lower() in set(words().get("killing_verbs") or ())


def violent(sent) -> bool:
    """Does a sentence say its deaths were violent (data/events/casualties.yaml violence_cues)?"""
    cues = set(words().get("violence_cues") or ())
    return any(t.lemma_.lower() in cues or t.lower_ in cues for t in sent)


def running_toll(word) -> bool:
    """"a conflict that has left thousands dead", "the insurgency has killed 40,000": a
    conflict's running toll (perfect tense, a tally subject), not an event."""
    if not any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in word.children):
        return False
    subj = next((c for c in word.children if c.dep_ == "nsubj"), None)
    if word.dep_ == "relcl" and (subj is None or subj.tag_ in ("WDT", "WP")):
        subj = word.head
    return subj is not None and subj.lemma_.lower() in set(words().get("tally_subjects") or ())


@lru_cache(maxsize=1)
def _hazards() -> frozenset:
    return frozenset(words().get("hazard_causes") or ())


def _is_hazard(t) -> bool:
    return t.lemma_.lower() in _hazards() or t.lower_ in _hazards()


def by_hazard(word) -> bool:
    """Is a word's subject a natural hazard or an accident ("an earthquake struck", "the
    cyclone hit the coast")? Then its verb is no attack."""
    return any(c.dep_ == "nsubj" and _is_hazard(c) for c in word.children)


def no_attack(word, sent, hostile_words) -> bool:
    """A toll that tells of no attack (data/events/casualties.yaml): a war's whole toll as the
    killer ("the civil war killed 250,000"), or a natural hazard or an accident as its cause
    ("floods have killed 30", "a stampede killed 700") in a sentence with no word of violence
    and no attack word (`hostile_words`: the lemmas of data/events/references.yaml)."""
    w = words()
    subj = next((c for c in word.children if c.dep_ == "nsubj"), None)
    if word.dep_ == "relcl" and (subj is None or subj.tag_ in ("WDT", "WP")):
        subj = word.head  # "the civil war, which ended in 2009, killed ..."
    if subj is not None and subj.lemma_.lower() in set(w.get("war_subjects") or ()):
        return True
    if not any(_is_hazard(t) for t in sent):
        return False
    # "an earthquake struck", "the cyclone hit the coast": the hazard's own verb is no attack
    return not violent(sent) and not any(t.lemma_.lower() in hostile_words and not by_hazard(t) for t in sent)


def _counted_list(head, appos, verb=None) -> bool:
    """Is "head, appos" a list of victims rather than an apposition? Headlines write lists
    with commas: "Four soldiers, 37 insurgents", "a commander, 4 others", "NATO soldier, 6
    militants" (numbers on both, or a number on the second and "others" or a bare singular
    first); "two journalists, a cameraman and his driver" restates the two."""
    if number(appos) is None or any(c.dep_ in ("acl", "relcl") and (verb is None or c.i != verb.i) for c in appos.children):
        return False  # "1 soldier killed, 5 wounded": the second count has a predicate of its own
    return number(head) is not None or appos.lower_ == "others" or head.tag_ in ("NN", "NNP")


def best_toll(counts: list[int]) -> int | None:
    """One toll for one incident reported in several headlines: the count most of them give,
    and among equally frequent counts the first reported. Measured on UCDP's bulletins, the
    largest is the worst choice (running totals, "death toll rises to 16", and daily
    nationwide sums outnumber the incident); the most frequent and the lead agree most often
    with UCDP's best estimate."""
    if not counts:
        return None
    freq = {c: counts.count(c) for c in counts}
    return max(counts, key=lambda c: (freq[c], -counts.index(c)))


def _parse(text: str) -> int | None:
    t = text.replace(",", "").strip()
    if re.fullmatch(r"\d+", t):
        return int(t)
    try:
        from text_to_num import text2num

        return int(text2num(t.lower(), "en"))
    except (ValueError, ImportError, TypeError):
        return None


def _to_death(tok) -> bool:
    """"tortured to death", "beaten to death", "stabbed to death": the verb reports a death."""
    return tok.pos_ == "VERB" and any(c.dep_ == "prep" and c.lower_ == "to" and any(
        g.dep_ == "pobj" and g.lower_ in ("death", "dead") for g in c.children) for c in tok.children)


def _shares_count_with_injury(tok) -> bool:
    """Is a death verb coordinated with an injury verb that has no victims of its own
    ("15 were killed and injured", "20 soldiers killed or wounded")?"""
    hurt = set(words()["injury_verbs"])
    partners = [c for c in tok.children if c.dep_ == "conj"] + ([tok.head] if tok.dep_ == "conj" else [])
    return any(p.pos_ == "VERB" and p.lemma_.lower() in hurt and not any(
        c.dep_ in ("nsubj", "nsubjpass", "dobj", "nummod") for c in p.children) for p in partners)


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
        kind = "death" if lemma in w["death_verbs"] or _to_death(tok) else "injury" if lemma in w["injury_verbs"] else None
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
        if tok.tag_ == "VB" and any(c.dep_ == "aux" for c in tok.children):
            continue  # "plotting to kill the mayor", "would kill inflation": no one has died
        victims = [c for c in tok.children if c.dep_ in ("nsubjpass", "dobj")]
        if lemma in ("die", "perish", "succumb") or (tok.tag_ in ("VBN", "VBD") and not any(
                c.dep_ in ("aux", "auxpass", "dobj") for c in tok.children)):
            # "146 died", and headline passives without "were": "Dozens killed in ..."
            victims += [c for c in tok.children if c.dep_ == "nsubj"]
        if tok.dep_ in ("acl", "amod") and tok.tag_ == "VBN":
            victims.append(tok.head)  # "Thirteen insurgents killed in a drone attack"
        if kind == "death" and _shares_count_with_injury(tok):
            continue  # "Dozens killed and wounded": one count of dead and hurt, no death toll
        for v in victims:
            n = total(v, tok)
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
