"""Reported speech: what a speaker's clause says about others, and about the speaker.

"Russia said Sudan must return the helicopter" (an obligation: REQUEST), "India told China that
an action by China's troops was responsible for the clash" (blame: ACCUSE, and the attacker of
that clash), "the envoy said the shelling threw doubt on Moldova's good faith" (a verdict on an
attack: ACCUSE its attacker), "the ministry said the step was agreed with Norway" (the
speaker's own act). Called from `sentence.match_sentence`, which finds the trigger words.
"""
from __future__ import annotations

from ..events import Match, Trigger, modality
from .modality import modality_of
from .syntax import preps_of, subject_of


OBLIGATION = Trigger(id="request.obligation", type="REQUEST", cameo="100", intensity=-1.5, mode=None,
                     contexts=(), verbs=frozenset(), nouns=frozenset(), particle=None, prep=None,
                     objects=frozenset(), xcomp=False, target=(), symmetric=False)


def obligations(sent, resolver, lex) -> list[Match]:
    """"Russia said Sudan must return the helicopter": the speaker requests it of the subject."""
    mod = modality()
    out = []
    for tok in sent:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in mod["reporting_verbs"]:
            continue
        for clause in (c for c in tok.children if c.dep_ == "ccomp"):
            if not any(a.dep_ == "aux" and a.lower_ in mod["obligation_aux"] for a in clause.children):
                continue
            subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            speaker = subject_of(tok)
            if subj is None or speaker is None:
                continue
            targets, sources = resolver.resolve(subj), resolver.resolve(speaker)
            if targets and sources:
                m = Match(OBLIGATION, clause, speaker, sources, targets)
                m.negated = any(c.dep_ == "neg" for c in tok.children)
                out.append(m)
    return out


def speaker_verb(clause):
    """The reporting verb that governs a that-clause ("X said the strike ..."), or None."""
    verb = clause.head
    if clause.dep_ != "ccomp" or verb.lemma_.lower() not in modality()["reporting_verbs"]:
        return None
    return verb


# cooperative acts a speaker reports in the passive are the speaker's own: "the Treasury said
# the action was coordinated with Britain" (not so for attacks: "Kyiv said the city was shelled")
SPEAKER_DOES = {"COOPERATE", "AID", "SUPPORT", "AGREE", "CONSULT"}


def speakers_own(tok, resolver) -> list:
    """The speaker of a reported passive whose subject is no party ("the action was coordinated")."""
    verb = speaker_verb(tok)
    subject = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    if verb is None or subject is None or resolver.resolve(subject):
        return []
    speaker = subject_of(verb)
    return resolver.resolve(speaker) if speaker is not None else []


def stance(trig: Trigger, tok, resolver, lex) -> list[Match]:
    """A `reported` trigger's event: blame by an adjective ("said X was responsible for"),
    a verdict on an attack by a verb ("said the strike violated ...")."""
    m = attributed(trig, tok, resolver, lex) if tok.pos_ == "ADJ" else said_of_attack(trig, tok, resolver, lex)
    return [m] if m is not None else []


def said_of_attack(trig: Trigger, tok, resolver, lex) -> Match | None:
    """"the envoy said the shelling threw doubt on Moldova's good faith", "said the attack
    violated international law": a judgement the speaker passes on an attack reported before
    accuses its attacker (the party is found as for "condemned the attack")."""
    verb = speaker_verb(tok)
    speaker = subject_of(verb) if verb is not None else None
    subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if speaker is None or subject is None or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in subject.children):
        return None  # "Moscow said its strike had undermined ...": the speaker's own
    # "said Russia's strike violated ...": the attack's own party; else the attack's reported before
    targets = [a for c in subject.children if c.dep_ in ("poss", "amod", "compound") for a in resolver.resolve(c)]
    sources = resolver.resolve(speaker)
    if not sources or {a.country for a in targets} & {a.country for a in sources} - {None}:
        return None
    m = Match(trig, tok, speaker, sources, targets, about=None if targets else "hostile")
    m.negated, m.hypothetical, m.intent, _ = modality_of(verb, lex)
    m.negated = m.negated or any(c.dep_ == "neg" for c in tok.children)
    return m


def attributed(trig: Trigger, tok, resolver, lex) -> Match | None:
    """"India told China that an action by China's troops was responsible for the clash": the
    speaker of the reported clause blames its subject (or, for an act, whoever did it). A side
    that names itself claims the act; that is no accusation."""
    clause = tok.head
    verb = speaker_verb(clause)
    if verb is None:
        return None
    speaker, subject = subject_of(verb), next((c for c in clause.children if c.dep_ == "nsubj"), None)
    if speaker is None or subject is None:
        return None
    sources = resolver.resolve(speaker)
    targets = resolver.resolve(subject) or [a for q, p in preps_of(subject) if q == "by" for a in resolver.resolve(p)]
    if not sources or not targets or {a.country for a in targets} <= {a.country for a in sources}:
        return None
    m = Match(trig, tok, speaker, sources, targets)
    m.negated, m.hypothetical, m.intent, _ = modality_of(verb, lex)
    m.negated = m.negated or any(c.dep_ == "neg" for c in clause.children)
    return m


def accused(act_ids: set[int], matches: list[Match]) -> list:
    """Whom an accusation in the sentence holds responsible for the act at these tokens: the
    target of "blamed X for", "slam X over", "said X was responsible for"."""
    for b in matches:
        if b.trigger.type != "ACCUSE" or not b.target_actors:
            continue
        preps = set(modality()["blame_preps"]) | ({b.trigger.prep} if b.trigger.reported and b.trigger.prep else set())
        if any(p.i in act_ids for q, p in preps_of(b.token) if q in preps):
            return list(b.target_actors)
    return []


def blame_attackers(matches: list[Match]) -> None:
    """"said an action by China's troops was responsible for a clash that killed 20 Indian
    soldiers": the attack with no attacker of its own is by whom the speaker holds responsible."""
    for m in matches:
        if m.trigger.type == "ASSAULT" and not m.source_actors:
            ids = {m.token.i} | ({m.source_head.i} if m.source_head is not None else set())
            m.source_actors = accused(ids, matches)
