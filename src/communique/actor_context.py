"""What a report has said so far about its actors, for references back: the people, agents,
groups and parties named, the countries it names."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .model import Actor


@dataclass
class Context:
    """What a document has said so far, for references back."""

    published: date | None
    people: dict[str, Actor] = field(default_factory=dict)  # name -> actor
    by_part: dict[str, Actor] = field(default_factory=dict)  # surname or family name -> actor
    last_person: Actor | None = None
    last_subject_person: Actor | None = None
    last_thing: Actor | None = None
    parties: list[Actor] = field(default_factory=list)
    groups: list[list[Actor]] = field(default_factory=list)  # countries named together, in order
    # head word -> the national agents named with it ("An Indian Air Force pilot", "The US
    # Treasury"), for "the pilot" and a bare "Treasury" later
    agents: dict[str, dict[str, Actor]] = field(default_factory=dict)
    # the countries the report names (and its armed groups fight in): where its small places are
    countries: set[str] = field(default_factory=set)

    def remember(self, actor: Actor, subject: bool = False) -> None:
        if actor.kind == "person" and actor.name:
            self.people[actor.name] = actor
            for name in (actor.name, actor.text):
                parts = [p.rstrip(".") for p in name.split()]
                if len(parts) > 1:
                    for p in (parts[0], parts[-1]):
                        if p[:1].isupper():
                            self.by_part.setdefault(p, actor)
            self.last_person = actor
            if subject:
                self.last_subject_person = actor
        elif actor.kind in ("state", "org", "igo", "agency", "armed_group") and subject:
            self.last_thing = actor

    def remember_agent(self, actor: Actor) -> None:
        if actor.kind == "agent" and actor.country and actor.text:
            self.agents.setdefault(head_word(actor), {})[actor.country] = actor

    def agent_named(self, word: str) -> Actor | None:
        """The one national agent named with this head word so far; None when none or several
        ("Indian and Chinese troops ... the troops" could be either)."""
        seen = self.agents.get(word.lower()) or {}
        return next(iter(seen.values())) if len(seen) == 1 else None


def head_word(actor: Actor) -> str:
    """An agent's head word, lower case ("The US Treasury" -> "treasury")."""
    return actor.text.split()[-1].lower() if actor.text else ""
