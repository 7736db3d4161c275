"""The event lexicon and the records the rule coder passes around.

Each entry of data/events/triggers.yaml names its words, its constraints (particle,
preposition, object, infinitive) and where its target sits: a `Trigger`. `triggers()` indexes
them by verb, noun and adjective; `modality()` and `event_references()` read
data/events/modality.yaml and data/events/references.yaml. A trigger fired on a token, with the
phrases that hold its parties, is a `Match` (coding.sentence makes them; the learned coder too).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import load_yaml


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
    learned: bool = False  # made for an event the trained tagger found (learned.py), not a lexicon match
    reported: bool = False  # the speaker of the clause acts on its subject ("said Y was responsible")
    claimant: bool = False  # with no target, it answers the latest claim: "X says ...; Y denies"
    not_objects: frozenset = frozenset()  # object lemmas that give the word another sense ("struck down the law")
    outward: bool = False  # no event when its only targets are the source's own forces ("ordered the army to")
    not_questions: bool = False  # a question asked is no request ("asked them about the delays")

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
        not_objects=frozenset(e.get("not_objects") or ()),
        outward=bool(e.get("outward")),
        not_questions=bool(e.get("not_questions")),
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


def noun_triggers(tok, lex: TriggerLexicon) -> list | None:
    """The triggers an event noun can be ("talks", "clashes", "airstrikes"), None for other nouns."""
    return lex.by_noun.get(tok.lemma_.lower()) or lex.by_noun.get(tok.lower_) or _plural_of(tok.lower_, lex)


def is_event_word(tok) -> bool:
    return noun_triggers(tok, triggers()) is not None


@lru_cache(maxsize=1)
def event_references() -> dict[str, dict]:
    data = load_yaml("events/references.yaml")
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def hostile_nouns() -> set[str]:
    return set((event_references().get("hostile") or {}).get("nouns") or ())


# event types that are statements or decisions: their target may sit inside what they govern
SAYING = {"REQUEST", "REJECT", "ACCUSE", "THREATEN", "SUPPORT", "AGREE", "CONCEDE"}


def _plural_of(word: str, lex: TriggerLexicon):
    """Title-case headlines leave plurals unlemmatised ("Attacks On Civilians" is a proper
    noun to the tagger): the triggers of the singular."""
    for suffix in ("s", "es"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2 and word[:-len(suffix)] in lex.by_noun:
            return lex.by_noun[word[:-len(suffix)]]
    return None
