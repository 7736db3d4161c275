"""Whole-store aggregates kept current on write (see schema.ROLLUPS).

A story contributes to the rollups while it is in the default view (not negated, hypothetical
or dismissed) and has mentions. Whenever a story changes, its old row is taken out and its new
row put in, in the same transaction, so the rollups always equal a group-by over `stories`
(a test checks this after ingests, replacements and corrections). `rebuild` recomputes them
from scratch (after a migration or a bulk load).
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, case, delete, func, insert, select
from sqlalchemy.engine import Connection

from .schema import (ROLLUPS, rollup_actors, rollup_country_days, rollup_country_places, rollup_country_weeks,
                     rollup_days, rollup_dyads, rollup_places, rollup_weeks, stories)


def _counts(row) -> bool:
    return bool(row.num_mentions) and not (row.negated or row.hypothetical or row.dismissed)


@lru_cache(maxsize=None)
def _upsert_statement(dialect: str, table_name: str, keys: tuple, values: tuple):
    """INSERT … ON CONFLICT DO UPDATE adding to the counts, built once per table and dialect."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    table = next(t for t in ROLLUPS if t.name == table_name)
    stmt = dialect_insert(table).values({k: bindparam(k) for k in keys + values})
    return stmt.on_conflict_do_update(index_elements=list(keys),
                                      set_={k: table.c[k] + stmt.excluded[k] for k in values})


def _upsert(conn: Connection, table, keys: dict, values: dict) -> None:
    """Add `values` to the row at `keys` (creating it)."""
    stmt = _upsert_statement(conn.dialect.name, table.name, tuple(keys), tuple(values))
    conn.execute(stmt, {**keys, **values})


FIELDS = ("type", "date", "intensity", "source_actor_id", "target_actor_id", "place_id", "fatalities",
          "src_country", "tgt_country")


def replace(conn: Connection, before, after) -> None:
    """Swap a story's old row for its new one in the rollups (nothing to do if they count alike)."""
    if before is not None and after is not None and _counts(before) == _counts(after) and \
            all(getattr(before, k) == getattr(after, k) for k in FIELDS):
        return
    contribute(conn, before, -1)
    contribute(conn, after, +1)


def contribute(conn: Connection, row, sign: int) -> None:
    """Add (sign=1) or take out (sign=-1) one story row's share of every rollup."""
    if row is None or not _counts(row):
        return
    intensity = row.intensity
    if row.date:
        counts = {"n": sign, "coop": sign * int((intensity or 0) > 0), "conf": sign * int((intensity or 0) < 0)}
        _upsert(conn, rollup_days, {"day": row.date, "type": row.type}, counts)
        if len(row.date) == 10:
            _upsert(conn, rollup_weeks, {"week": monday(row.date), "type": row.type}, counts)
    if row.source_actor_id is not None and row.target_actor_id is not None:
        _upsert(conn, rollup_dyads, {"source_actor_id": row.source_actor_id, "target_actor_id": row.target_actor_id},
                {"n": sign, "intensity_sum": sign * (intensity or 0.0), "intensity_n": sign * int(intensity is not None)})
    if row.place_id is not None:
        _upsert(conn, rollup_places, {"place_id": row.place_id}, {"n": sign, "deaths": sign * (row.fatalities or 0)})
    for actor_id in {row.source_actor_id, row.target_actor_id} - {None}:
        _upsert(conn, rollup_actors, {"actor_id": actor_id}, {"n": sign})
    for country in {row.src_country, row.tgt_country} - {None}:  # once for a country on both sides
        if row.date:
            counts = {"n": sign, "coop": sign * int((intensity or 0) > 0), "conf": sign * int((intensity or 0) < 0)}
            _upsert(conn, rollup_country_days, {"country": country, "day": row.date, "type": row.type}, counts)
            if len(row.date) == 10:
                _upsert(conn, rollup_country_weeks, {"country": country, "week": monday(row.date), "type": row.type},
                        counts)
        if row.place_id is not None:
            _upsert(conn, rollup_country_places, {"country": country, "place_id": row.place_id},
                    {"n": sign, "deaths": sign * (row.fatalities or 0),
                     "tolls": sign * int(row.fatalities is not None)})


@lru_cache(maxsize=20_000)
def monday(day: str) -> str:
    """The Monday of the ISO week a YYYY-MM-DD day falls in."""
    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


def story_row(conn: Connection, story_id: str):
    return conn.execute(select(stories).where(stories.c.id == story_id)).first()


def rebuild(conn: Connection) -> None:
    """Recompute every rollup from the stories."""
    for table in ROLLUPS:
        conn.execute(delete(table))
    view = (stories.c.num_mentions > 0, stories.c.negated.is_(False), stories.c.hypothetical.is_(False),
            stories.c.dismissed.is_(False))
    conn.execute(insert(rollup_days).from_select(
        ["day", "type", "n", "coop", "conf"],
        select(stories.c.date, stories.c.type, func.count(),
               func.sum(case((stories.c.intensity > 0, 1), else_=0)),
               func.sum(case((stories.c.intensity < 0, 1), else_=0)))
        .where(*view, stories.c.date.is_not(None)).group_by(stories.c.date, stories.c.type)))
    weeks: dict[tuple, list[int]] = {}
    for r in conn.execute(select(rollup_days).where(func.length(rollup_days.c.day) == 10)):
        w = weeks.setdefault((monday(r.day), r.type), [0, 0, 0])
        w[0], w[1], w[2] = w[0] + r.n, w[1] + r.coop, w[2] + r.conf
    if weeks:
        conn.execute(insert(rollup_weeks), [{"week": k[0], "type": k[1], "n": v[0], "coop": v[1], "conf": v[2]}
                                            for k, v in weeks.items()])
    conn.execute(insert(rollup_dyads).from_select(
        ["source_actor_id", "target_actor_id", "n", "intensity_sum", "intensity_n"],
        select(stories.c.source_actor_id, stories.c.target_actor_id, func.count(),
               func.coalesce(func.sum(stories.c.intensity), 0.0), func.count(stories.c.intensity))
        .where(*view, stories.c.source_actor_id.is_not(None), stories.c.target_actor_id.is_not(None))
        .group_by(stories.c.source_actor_id, stories.c.target_actor_id)))
    conn.execute(insert(rollup_places).from_select(
        ["place_id", "n", "deaths"],
        select(stories.c.place_id, func.count(), func.coalesce(func.sum(stories.c.fatalities), 0))
        .where(*view, stories.c.place_id.is_not(None)).group_by(stories.c.place_id)))
    sides = select(stories.c.source_actor_id.label("a")).where(*view, stories.c.source_actor_id.is_not(None)).union_all(
        select(stories.c.target_actor_id.label("a")).where(
            *view, stories.c.target_actor_id.is_not(None),
            # an actor on both sides of one story counts once
            (stories.c.source_actor_id.is_(None)) | (stories.c.source_actor_id != stories.c.target_actor_id))).subquery()
    conn.execute(insert(rollup_actors).from_select(
        ["actor_id", "n"], select(sides.c.a, func.count()).group_by(sides.c.a)))
    _rebuild_countries(conn, view)


def _rebuild_countries(conn: Connection, view: tuple) -> None:
    """The per-country rollups: each story once for each distinct country on its sides."""
    s = stories.c
    cols = (s.date, s.type, s.intensity, s.place_id, s.fatalities)
    sides = select(s.src_country.label("country"), *cols).where(*view, s.src_country.is_not(None)).union_all(
        select(s.tgt_country.label("country"), *cols).where(
            *view, s.tgt_country.is_not(None), s.src_country.is_(None) | (s.src_country != s.tgt_country))).subquery()
    c = sides.c
    conn.execute(insert(rollup_country_days).from_select(
        ["country", "day", "type", "n", "coop", "conf"],
        select(c.country, c.date, c.type, func.count(), func.sum(case((c.intensity > 0, 1), else_=0)),
               func.sum(case((c.intensity < 0, 1), else_=0)))
        .where(c.date.is_not(None)).group_by(c.country, c.date, c.type)))
    weeks: dict[tuple, list[int]] = {}
    for r in conn.execute(select(rollup_country_days).where(func.length(rollup_country_days.c.day) == 10)):
        w = weeks.setdefault((r.country, monday(r.day), r.type), [0, 0, 0])
        w[0], w[1], w[2] = w[0] + r.n, w[1] + r.coop, w[2] + r.conf
    rows = [{"country": k[0], "week": k[1], "type": k[2], "n": v[0], "coop": v[1], "conf": v[2]}
            for k, v in weeks.items()]
    for i in range(0, len(rows), 20_000):
        conn.execute(insert(rollup_country_weeks), rows[i:i + 20_000])
    conn.execute(insert(rollup_country_places).from_select(
        ["country", "place_id", "n", "deaths", "tolls"],
        select(c.country, c.place_id, func.count(), func.coalesce(func.sum(c.fatalities), 0), func.count(c.fatalities))
        .where(c.place_id.is_not(None)).group_by(c.country, c.place_id)))
