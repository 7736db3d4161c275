"""Aggregates for the dashboard and analysts: actors, dyads, places, timeline, stats."""
from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from ..store.query import Filters, QueryError
from .params import filters
from .tabular import respond

router = APIRouter(prefix="/api", tags=["aggregates"])
Format = Literal["json", "csv"]


@router.get("/actors")
def list_actors(request: Request, limit: int = Query(100, ge=1, le=5000), format: Format = "json"):
    """Actors with the number of events they take part in, most active first."""
    return respond({"actors": request.app.state.store.actors(limit)}, "actors", format, "actors")


@router.get("/dyads")
def list_dyads(request: Request, f: Filters = Depends(filters), source: Optional[str] = Query(None, max_length=200),
               target: Optional[str] = Query(None, max_length=200), limit: int = Query(200, ge=1, le=5000),
               format: Format = "json"):
    """Without source/target: pairs of actors with event counts and mean intensity (the network).
    With both: that pair's events per month, with mean intensity and types."""
    store = request.app.state.store
    try:
        if source or target:
            if not (source and target):
                raise HTTPException(400, "give both source and target (country code or name), or neither")
            months = store.aggregate("dyad_months", f, source=source, target=target)
            return respond({"source": source, "target": target, "months": months}, "months", format, "dyad")
        return respond({"dyads": store.aggregate("dyads", f, limit=limit)}, "dyads", format, "dyads")
    except QueryError as exc:
        raise HTTPException(400, str(exc)) from None


@router.get("/places")
def list_places(request: Request, f: Filters = Depends(filters), limit: int = Query(2000, ge=1, le=20000),
                format: Format = "json"):
    """Places with their event counts and deaths (the map)."""
    return respond({"places": request.app.state.store.aggregate("places", f, limit=limit)}, "places", format, "places")


@router.get("/timeline")
def timeline(request: Request, f: Filters = Depends(filters),
             bucket: Literal["day", "week", "month", "year"] = "week", format: Format = "json"):
    """Events per period and type, with cooperative (intensity > 0) and conflictual (< 0) counts."""
    rows = request.app.state.store.aggregate("timeline", f, bucket=bucket)
    return respond({"bucket": bucket, "periods": rows}, "periods", format, "timeline")


@router.get("/stats")
def stats(request: Request, format: Format = "json"):
    """What the store holds: documents, events, mentions, actors, places, dates, types."""
    fig = request.app.state.store.stats()
    if format == "csv":
        by_type = [{"type": k, "events": v} for k, v in fig["by_type"].items()]
        return respond({"by_type": by_type}, "by_type", format, "stats")
    return fig
