"""Whose is an actor the text gives no country: an official, a generic agent ("the police",
"security forces"), people acted on. The report's country, the place of the act, or a body of
the same name met before in the report decide; a named other side is never the actor's."""
from __future__ import annotations

from dataclasses import replace

from ..actor_context import Context, head_word
from ..model import Actor


def only_place(actor: Actor, here: str | None, home: str | None, ctx: Context) -> str | None:
    """The place's country for a state's agent or an official with no country ("security
    forces killed four rebels in Cauca", "the interior minister ordered a curfew in Sfax")
    when the report names no country at all: then nothing else tells whose they are."""
    if here and not actor.country and home is None and ctx.countries <= {here} and (
            actor.kind == "agent" or (actor.kind == "person" and actor.role)):
        return here
    return None


def localise(actor: Actor, here: str | None, home: str | None, ctx: Context,
             avoid: set[str] = frozenset()) -> Actor:
    """An official or a generic agent with no stated country ("the police", "the Prime
    Minister") belongs to the country the report is about (`home`); people acted on ("12
    people were killed", "communities in Somalia") to the country where it happened (`here`).
    `avoid`: countries of the other side, which the actor is not taken to be of."""
    if actor.country or actor.kind not in ("person", "agent"):
        ctx.remember_agent(actor)
        return actor
    if actor.known:
        return actor  # a listed office holder's country is known (null for a UN post)
    if here and actor.kind == "agent":
        return replace(actor, country=here)
    seen = ctx.agent_named(head_word(actor)) if actor.kind == "agent" else None
    if seen and seen.country not in avoid:
        return replace(actor, country=seen.country)  # "The US Treasury said ... Treasury said": the same body
    if home is None:
        return actor
    if actor.kind == "person" and not actor.role:
        return actor  # a bare unknown name: no evidence of nationality
    if set(actor.sectors) & {"IGO", "NGO"} or home in avoid or home == actor.posted:
        return actor  # "President Bush threatened Russia": the report's country is the other side
    return replace(actor, country=home)
