"""Events stated with a side missing take it from the same event stated in full.

Reports name the parties once and then refer back: "China's troops attacked an Indian patrol
on Monday ... Twenty Indian soldiers were killed in the brawl." The second sentence is the same
attack with its attacker left out. Coded alone it is a second, sourceless event that no
analyst wants; linked, it is one more mention of the first. A side is taken only when the
report offers exactly one candidate: one fuller event of that type, on a compatible date and
with the side that is present agreeing; otherwise the event stays as written.
"""
from __future__ import annotations

from dataclasses import replace

from .model import Event


def _country(actor) -> str | None:
    return actor.country if actor is not None else None


def _same_day(e: Event, other: Event) -> bool:
    # an event with no date of its own carries the report's date, which says nothing
    return e.date == other.date or e.date_text is None


def _agrees(present, full) -> bool:
    return present is None or full is None or (present.country is not None and present.country == full.country)


def _unique_side(cands: list[Event], side: str):
    actors = {_country(getattr(c, side)): getattr(c, side) for c in cands if getattr(c, side) is not None}
    if len(actors) != 1 or None in actors:
        return None
    return next(iter(actors.values()))


def link(events: list[Event]) -> list[Event]:
    """Fill a missing source or target from the one fuller event of the same type in the report."""
    real = [e for e in events if not e.negated and not e.hypothetical]
    out = []
    for e in events:
        if e.negated or e.hypothetical or (e.source is not None and e.target is not None):
            out.append(e)
            continue
        cands = [o for o in real if o is not e and o.type == e.type and o.source is not None
                 and o.target is not None and _same_day(e, o)
                 and _agrees(e.source, o.source) and _agrees(e.target, o.target)]
        source = e.source if e.source is not None else _unique_side(cands, "source")
        target = e.target if e.target is not None else _unique_side(cands, "target")
        if source is not None and target is not None and source.key() == target.key():
            source, target = e.source, e.target  # no party on both sides of its own act
        if (source, target) == (e.source, e.target):
            out.append(e)
            continue
        out.append(replace(e, source=source, target=target, rule=f"{e.rule}+linked",
                           confidence=max(0.05, e.confidence - 0.1)))
    return out
