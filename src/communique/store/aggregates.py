"""The dashboard's aggregates of story events: a timeline, the dyads (the network's edges) and
a dyad's months, the places on the map. The whole store, or one country, is read from its
rollups; other filters from the stories themselves."""
from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from .query import Filters, QueryError, dated_conditions, filter_conditions, one_country
from .schema import (actors, places, rollup_country_days, rollup_country_places, rollup_country_weeks, rollup_days,
                     rollup_dyads, rollup_places, rollup_weeks, stories)


BUCKETS = {"day": 10, "month": 7, "year": 4}


def timeline(conn: Connection, f: Filters, bucket: str = "week") -> list[dict]:
    """Events per period and type, with the cooperative (intensity > 0) and conflictual (< 0) counts."""
    if bucket not in (*BUCKETS, "week"):
        raise QueryError(f"bucket {bucket!r}: use day, week, month or year")
    width = 10 if bucket in ("day", "week") else BUCKETS[bucket]
    if f == Filters() and bucket == "week":  # the whole store by week: its own rollup
        w = rollup_weeks.c
        return [{"period": r.week, "type": r.type, "events": r.n, "cooperative": r.coop, "conflictual": r.conf}
                for r in conn.execute(select(w.week, w.type, w.n, w.coop, w.conf).where(w.n > 0)
                                      .order_by(w.week, w.type))]
    country = one_country(f, dates=True)
    if country and bucket == "week" and not (f.since or f.until):  # one country by week: its rollup
        w = rollup_country_weeks.c
        return [{"period": r.week, "type": r.type, "events": r.n, "cooperative": r.coop, "conflictual": r.conf}
                for r in conn.execute(select(w.week, w.type, w.n, w.coop, w.conf).where(w.country == country, w.n > 0)
                                      .order_by(w.week, w.type))]
    if f == Filters() or country:  # the whole store, or one country: read a rollup, not every story
        r = rollup_country_days if country else rollup_days
        day, kind = r.c.day, r.c.type
        q = (select(func.substr(day, 1, width).label("day"), kind.label("type"), func.sum(r.c.n).label("n"),
                    func.sum(r.c.coop).label("coop"), func.sum(r.c.conf).label("conf"))
             .where(r.c.n > 0, func.length(day) >= width, *dated_conditions(day, f),
                    *((r.c.country == country,) if country else ()))
             .group_by("day", kind))
    else:
        q = (select(func.substr(stories.c.date, 1, width).label("day"), stories.c.type, func.count().label("n"),
                    func.sum(case((stories.c.intensity > 0, 1), else_=0)).label("coop"),
                    func.sum(case((stories.c.intensity < 0, 1), else_=0)).label("conf"))
             .where(*filter_conditions(conn, f), func.length(stories.c.date) >= width)
             .group_by("day", stories.c.type))
    out: dict[tuple, dict] = {}
    for r in conn.execute(q):
        period = _week(r.day) if bucket == "week" else r.day
        row = out.setdefault((period, r.type), {"period": period, "type": r.type, "events": 0,
                                                "cooperative": 0, "conflictual": 0})
        row["events"] += r.n
        row["cooperative"] += r.coop or 0
        row["conflictual"] += r.conf or 0
    return sorted(out.values(), key=lambda x: (x["period"], x["type"]))


def _week(day: str) -> str:
    """The Monday of the ISO week a day falls in."""
    from datetime import timedelta

    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


def dyads(conn: Connection, f: Filters, limit: int = 200) -> list[dict]:
    """Pairs of actors with their event counts and mean intensity (the network's edges)."""
    if f == Filters():
        r = rollup_dyads.c
        q = (select(r.source_actor_id, r.target_actor_id, r.n,
                    (r.intensity_sum / func.nullif(r.intensity_n, 0)).label("mean"))
             .where(r.n > 0).order_by(r.n.desc()).limit(limit))
    else:
        q = (select(stories.c.source_actor_id, stories.c.target_actor_id, func.count().label("n"),
                    func.avg(stories.c.intensity).label("mean"))
             .where(*filter_conditions(conn, f), stories.c.source_actor_id.is_not(None), stories.c.target_actor_id.is_not(None))
             .group_by(stories.c.source_actor_id, stories.c.target_actor_id)
             .order_by(func.count().desc()).limit(limit))
    rows = conn.execute(q).all()
    ids = {r.source_actor_id for r in rows} | {r.target_actor_id for r in rows}
    names = {a.id: a for a in conn.execute(select(actors).where(actors.c.id.in_(ids)))} if ids else {}

    def side(aid):
        a = names[aid]
        return {"id": a.id, "name": a.name, "country": a.country}
    return [{"source": side(r.source_actor_id), "target": side(r.target_actor_id), "events": r.n,
             "mean_intensity": None if r.mean is None else round(float(r.mean), 2)} for r in rows]


def dyad_months(conn: Connection, f: Filters, source: str, target: str) -> list[dict]:
    """One pair's events per month: counts, mean intensity and types."""
    g = Filters(**{**f.__dict__, "dyad": f"{source}:{target}"})
    month = func.substr(stories.c.date, 1, 7)
    q = (select(month.label("month"), stories.c.type, func.count().label("n"), func.avg(stories.c.intensity).label("mean"))
         .where(*filter_conditions(conn, g), func.length(stories.c.date) >= 7)
         .group_by("month", stories.c.type))
    out: dict[str, dict] = {}
    for r in conn.execute(q):
        m = out.setdefault(r.month, {"month": r.month, "events": 0, "_sum": 0.0, "_n": 0, "by_type": {}})
        m["events"] += r.n
        m["by_type"][r.type] = r.n
        if r.mean is not None:
            m["_sum"] += float(r.mean) * r.n
            m["_n"] += r.n
    rows = []
    for m in sorted(out.values(), key=lambda x: x["month"]):
        n, total = m.pop("_n"), m.pop("_sum")
        m["mean_intensity"] = round(total / n, 2) if n else None
        rows.append(m)
    return rows


def place_counts(conn: Connection, f: Filters, limit: int = 2000) -> list[dict]:
    """Places with their event counts (the map's points)."""
    country = one_country(f)
    if f == Filters():
        counts = (select(rollup_places.c.place_id, rollup_places.c.n, rollup_places.c.deaths)
                  .where(rollup_places.c.n > 0).order_by(rollup_places.c.n.desc()).limit(limit).subquery())
    elif country:  # one country's map: its rollup ("no figure" where none of its stories has a toll)
        r = rollup_country_places.c
        counts = (select(r.place_id, r.n, case((r.tolls > 0, r.deaths), else_=None).label("deaths"))
                  .where(r.country == country, r.n > 0).order_by(r.n.desc()).limit(limit).subquery())
    else:
        counts = (select(stories.c.place_id, func.count().label("n"), func.sum(stories.c.fatalities).label("deaths"))
                  .where(*filter_conditions(conn, f), stories.c.place_id.is_not(None))
                  .group_by(stories.c.place_id).order_by(func.count().desc()).limit(limit).subquery())
    q = select(places, counts.c.n, counts.c.deaths).join(counts, counts.c.place_id == places.c.id)
    return [{"id": r.id, "name": r.name, "country": r.country, "lat": r.lat, "lon": r.lon, "precision": r.precision,
             "events": r.n, "fatalities": r.deaths} for r in conn.execute(q.order_by(counts.c.n.desc()))]
