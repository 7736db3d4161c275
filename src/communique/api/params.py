"""Query parameters shared by the list endpoints: the same filters as the CLI."""
from __future__ import annotations

from datetime import date
from typing import Optional

from fastapi import HTTPException, Query

from ..store.query import Filters, QueryError


def filters(
    actor: Optional[str] = Query(None, max_length=200, description="Country code (IND) or part of a name, either side."),
    dyad: Optional[str] = Query(None, max_length=400, description="SOURCE:TARGET, e.g. IND:CHN ('*' for any)."),
    type: Optional[str] = Query(None, max_length=200, description="PLOVER type(s), comma-separated."),
    since: Optional[date] = Query(None, description="From this date (YYYY-MM-DD)."),
    until: Optional[date] = Query(None, description="Up to this date (YYYY-MM-DD)."),
    near: Optional[str] = Query(None, max_length=100, description="LAT,LON,KM: within KM of a point."),
    min_confidence: float = Query(0.0, ge=0.0, le=1.0),
    q: Optional[str] = Query(None, max_length=200, description="Words in the evidence sentence."),
    flagged: bool = Query(False, description="Also negated, hypothetical and dismissed events."),
) -> Filters:
    try:
        return Filters(actor=actor or None, dyad=dyad or None, type=type or None, since=since, until=until,
                       near=Filters.parse_near(near), min_confidence=min_confidence, text=q or None, flagged=flagged)
    except QueryError as exc:
        raise HTTPException(400, str(exc)) from None
