"""The sentence matcher: every trigger of the lexicon in a parsed sentence, with its source and
target actors (verbs here, predicate adjectives, reported speech in `reported`, event nouns in
`nouns`).

The engine finds the source and target phrases, hands them to the actor resolver, and reads
negation and modality around the trigger from data/events/modality.yaml.
"""
from __future__ import annotations

from ..actors import distinct_actors
from ..events import SAYING, Match, TriggerLexicon, event_references, modality, triggers
from . import reported
from .fit import misread_noun, verb_fits
from .modality import background_verb, condition_clause, modality_of, running_toll
from .nouns import about_event, content_nouns, match_nouns
from .syntax import (agents_of, for_clause, is_passive, misread_relative, object_of, slot_heads, subject_of,
                     subjects_of)


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


def predicate_adjectives(sent, resolver, lex) -> list[Match]:
    """"India was fully supportive of Sri Lanka's recovery", "X is highly critical of Y": a
    stance stated by a predicative adjective, its subject the copula's, its party the
    adjective's complement."""
    out = []
    for tok in sent:
        cands = lex.by_adjective.get(tok.lemma_.lower()) if tok.pos_ == "ADJ" and tok.dep_ == "acomp" else None
        trig = next((t for t in cands or () if verb_fits(t, tok, resolver)), None)
        if trig is None:
            continue
        if trig.reported:
            out.extend(reported.stance(trig, tok, resolver, lex))
            continue
        subject = subject_of(tok.head)
        sources = resolver.resolve(subject) if subject is not None else []
        targets = []
        for slot in trig.target:
            targets = distinct_actors([a for h in slot_heads(slot, tok) for a in resolver.resolve(h)])
            if targets:
                break
        if not sources:
            continue
        m = Match(trig, tok, subject, sources, targets)
        m.negated, m.hypothetical, m.intent, embedded = modality_of(tok.head, lex)
        if not embedded:
            out.append(m)
    return out


def _condition_party(tok, resolver) -> list:
    """"threatened to strike unless Baghdad accepted": the party that must comply."""
    clause = condition_clause(tok)
    if clause is None:
        return []
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return resolver.resolve(subj) if subj is not None else []


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


EMBEDDED_PREPS = {"with", "of", "against", "on", "to", "for", "from"}


# "demanded that the US cancel ...": the demand is addressed to the clause's subject
ADDRESSEE_IS_SUBJECT = {"REQUEST", "ACCUSE", "THREATEN"}


def embedded_target(tok, subject, resolver, subjects: bool = False) -> list:
    """When no slot names the target, the first party named inside what the trigger governs:
    "refused to release [American journalist X]", "rejected talks [with Washington]",
    "called for the release [of Niger's president]"."""
    frontier = [c for c in tok.children if c.dep_ in ("dobj", "xcomp", "prep", "ccomp", "attr", "oprd")]
    clause = for_clause(tok, "for")
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


def match_sentence(sent, resolver, lex: TriggerLexicon | None = None) -> list[Match]:
    """Every trigger in a sentence with its source and target actors."""
    lex = lex or triggers()
    out: list[Match] = []
    covered_nouns: set[int] = set()
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.dep_ == "amod" and tok.tag_ == "VBG" and tok.i < tok.head.i:
            continue  # "striking miners", "protesting farmers": a participle that describes people
        if tok.pos_ in ("VERB",) and lemma in lex.by_verb and not misread_noun(tok):
            trig = next((t for t in lex.by_verb[lemma] if verb_fits(t, tok, resolver)), None)
            if trig is None:
                continue
            obj = object_of(tok)
            if obj is not None:
                covered_nouns.add(obj.i)
            if trig.type in SAYING:
                covered_nouns.update(content_nouns(tok, trig, lex))
            m = Match(trig, tok, subject_of(tok))
            m.negated, m.hypothetical, m.intent, embedded = modality_of(tok, lex)
            published = getattr(resolver.ctx, "published", None)
            if embedded or running_toll(tok, m.source_head) or background_verb(tok, published and published.year):
                continue
            if trig.reported:
                out.extend(reported.stance(trig, tok, resolver, lex))
                continue
            misread = misread_relative(tok)
            if misread is not None:
                # "An Indian pilot shot down over Kashmir walked back": the pilot was shot down
                m.source_actors, m.target_actors, m.source_head = [], resolver.resolve(misread), None
                if m.target_actors:
                    out.append(m)
                continue
            m.ultimatum = condition_clause(tok, hostile=(trig.intensity or 0) < 0) is not None
            m.decided = tok.dep_ == "ccomp" and tok.head.lemma_.lower() in modality()["decision_verbs"]
            heads = subjects_of(tok) if not is_passive(tok) else agents_of(tok)
            src = distinct_actors([a for h in heads for a in resolver.resolve(h)])
            if not src and trig.source:
                # "the ambassador was summoned to the Polish foreign ministry", "troops were deployed"
                for slot in trig.source:
                    src = distinct_actors([a for h in slot_heads(slot, tok) for a in resolver.resolve(h)])
                    if src:
                        break
            if not src and is_passive(tok) and trig.type in reported.SPEAKER_DOES:
                src = reported.speakers_own(tok, resolver)
            m.source_actors = src
            for slot in trig.target:
                heads = slot_heads(slot, tok)
                tgt = distinct_actors([a for h in heads for a in resolver.resolve(h)])
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
    match_nouns(sent, resolver, lex, verb_types, covered_nouns, out)
    reported.blame_attackers(out)
    return out
