"""The sides' countries on each story (`stories.src_country`, `tgt_country`).

They are copies of the source and target actors' countries (an actor never changes country: it
is part of the actor's key), kept so that the actor and dyad filters by country read one index
range in date order instead of joining every story to its actors. They are set whenever a
story's sides are: on every recompute and correction, before its rollup row is taken.
"""
from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from .schema import actors, stories


def _country_of(actor_id_column):
    return select(actors.c.country).where(actors.c.id == actor_id_column).scalar_subquery()


def stamp(conn: Connection, story_id: str) -> None:
    """Copy one story's actors' countries onto it."""
    conn.execute(update(stories).where(stories.c.id == bindparam("sid")).values(
        src_country=_country_of(stories.c.source_actor_id), tgt_country=_country_of(stories.c.target_actor_id)),
        {"sid": story_id})


def stamp_all(conn: Connection) -> None:
    """Copy every story's actors' countries onto it (after a bulk load or a migration)."""
    conn.execute(update(stories).values(src_country=_country_of(stories.c.source_actor_id),
                                        tgt_country=_country_of(stories.c.target_actor_id)))
