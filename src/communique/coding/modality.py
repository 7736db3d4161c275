"""The mood of a trigger's clause: negated, hypothetical, an intent, embedded in another event
word (data/events/modality.yaml); and whether an event word only dates or describes another
event (background), or is a conflict's running toll."""
from __future__ import annotations

from ..casualties import words
from ..events import TriggerLexicon, is_event_word, modality
from .fit import verb_fits
from .syntax import support_verb


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
        if glemma in lex.by_verb and any(verb_fits(t, gov) for t in lex.by_verb[glemma]):
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
        if cur.dep_ == "acl" and head.pos_ == "NOUN" and head.lemma_.lower() in mod["aim_nouns"] and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
            hyp = True  # "the government's efforts to get Uganda to investigate": aimed at, not done
            break
        if cur.dep_ in ("conj", "relcl", "acl", "pcomp"):
            break
        lemma = head.lemma_.lower()
        if cur.dep_ == "ccomp" and lemma in mod["claim_verbs"]:
            hyp = True  # "claiming that dozens of guards had died"
            break
        if cur.dep_ == "ccomp" and lemma in lex.by_verb and any(
                t.type in ("REQUEST", "ACCUSE", "THREATEN", "REJECT") and verb_fits(t, head) for t in lex.by_verb[lemma]):
            embedded = True  # "demanding that the brothers step down"
            break
        if cur.dep_ == "xcomp" or (cur.dep_ == "ccomp" and lemma in mod["intent_verbs"]):
            if lemma in mod["negating_verbs"]:
                neg = True
            elif lemma in lex.by_verb and any(verb_fits(t, head) for t in lex.by_verb[lemma]):
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
        if cur.dep_ == "ccomp" and not (head.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)):
            break  # but "efforts to get Uganda to investigate": an infinitive of an aim goes on up
        cur = head
    return neg, hyp, intent, embedded


def background_noun(noun) -> bool:
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


def background_verb(tok, year: int | None = None) -> bool:
    """"a helicopter that was captured last week", "when Idi Amin expelled them 18 years ago", "a
    1998 declaration in which Tokyo apologised" (a year before the report's): an earlier act
    that describes what is reported. ("Mourning began after missiles tore through the centre"
    is news: a clause of "after" often carries the lead event.)"""
    mod = modality()
    if tok.dep_ in ("relcl", "advcl"):
        local = [t for t in tok.subtree if not (t.dep_ in ("relcl", "ccomp") and t.i != tok.i)]
        if any(t.lower_ in mod["background_times"] and t.dep_ in ("advmod", "amod", "npadvmod") for t in local):
            return True
    if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "since" for c in tok.children) and any(
            c.lemma_.lower() in mod["since_durations"] and any(g.dep_ == "nummod" for g in c.children)
            for c in tok.head.children):
        return True  # "Peru marked 20 years since guerrillas attacked the embassy"
    if tok.dep_ in ("advcl", "ccomp", "relcl") and any(
            c.lemma_.lower() in mod["anniversary_nouns"] for c in tok.head.children):
        return True  # "marked the tenth anniversary of the day gunmen attacked the mall"
    if tok.dep_ == "relcl" and any(c.dep_ == "aux" and c.lower_ == "had" for c in tok.children) \
            and not is_event_word(tok.head):
        # "GSOMIA, which Seoul had threatened to scrap": earlier still, and about a thing (but
        # "calls in which the emir had spoken to both" tells what the calls were)
        return True
    first = tok
    while first.dep_ == "conj" and first.head.pos_ in ("VERB", "AUX"):
        first = first.head
    return year is not None and first.dep_ == "relcl" and any(
        c.dep_ in ("nummod", "compound", "amod") and c.tag_ == "CD" and c.text.isdigit() and len(c.text) == 4
        and 1900 <= int(c.text) < year for c in first.head.children)


def condition_clause(tok, hostile: bool = False):
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


def running_toll(verb, subject) -> bool:
    """"a conflict that has left thousands dead": a conflict's toll, not an event."""
    if subject is None or not any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children):
        return False
    return subject.lemma_.lower() in set(words().get("tally_subjects") or ())


# "accused X of attacking", "warned of striking", "criticised for raiding": what is reported
REPORTED_PREPS = {"of", "for", "about", "over", "against", "with"}
