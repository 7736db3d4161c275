"""Story events: list with filters, paging and sorting; one with its mentions; corrections."""
from __future__ import annotations

from typing import Any, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from ..store.corrections import CorrectionError
from ..store.query import SORTS, Filters, QueryError
from .auth import require_token
from .params import filters
from .tabular import csv_response

router = APIRouter(prefix="/api/events", tags=["events"])


@router.get("")
def list_events(request: Request, f: Filters = Depends(filters),
                limit: int = Query(50, ge=1, le=100_000, description="Up to 1,000 as JSON, 100,000 as CSV."),
                offset: int = Query(0, ge=0, le=10_000_000), sort: str = Query("-date", description=", ".join(SORTS)),
                format: Literal["json", "csv"] = "json"):
    """Story events (one per real-world event), the filters as in the CLI."""
    store = request.app.state.store
    if format == "json" and limit > 1000:
        raise HTTPException(400, f"limit {limit}: at most 1000 per JSON page (use format=csv for up to 100000)")
    try:
        if format == "csv":  # a file: no total to show
            from ..export.flat import flat_row

            return csv_response([flat_row(r) for r in store.page(f, limit, offset, sort)], "events")
        rows, total = store.listing(f, limit, offset, sort)
    except QueryError as exc:
        raise HTTPException(400, str(exc)) from None
    return {"total": total, "limit": limit, "offset": offset, "sort": sort, "events": rows}


@router.get("/{event_id}")
def get_event(request: Request, event_id: str):
    """One story event with every mention (document, sentence, span, trigger, rule)."""
    event = request.app.state.store.event(event_id)
    if event is None:
        raise HTTPException(404, f"no event {event_id!r}")
    return event


class Correction(BaseModel):
    """The fields to change (any of them), who made the change and why."""

    model_config = ConfigDict(extra="forbid")
    type: Optional[str] = None
    source: Optional[dict[str, Any]] = None
    target: Optional[dict[str, Any]] = None
    location: Optional[dict[str, Any]] = None
    date: Optional[str] = None
    not_event: Optional[bool] = None
    who: Optional[str] = Field(None, max_length=200, description="Defaults to the token's name.")
    why: str = Field(..., min_length=1, max_length=2000)


@router.patch("/{event_id}")
def correct_event(request: Request, event_id: str, body: Correction, token_name: str = Depends(require_token)):
    """Correct an event; the original coding stays, and the change joins the history."""
    changes = body.model_dump(exclude_unset=True, exclude={"who", "why"})
    try:
        event = request.app.state.store.correct(event_id, changes, body.who or token_name, body.why)
    except CorrectionError as exc:
        raise HTTPException(400, str(exc)) from None
    if event is None:
        raise HTTPException(404, f"no event {event_id!r}")
    return event


@router.get("/{event_id}/history")
def event_history(request: Request, event_id: str):
    """The corrections of an event, oldest first, each with what it replaced."""
    store = request.app.state.store
    event = store.event(event_id)
    if event is None:
        raise HTTPException(404, f"no event {event_id!r}")
    history = store.history(event_id)
    original = {}
    for change in history:
        for key, value in change["before"].items():
            original.setdefault(key, value)
    return {"event_id": event_id, "corrected": event["corrected"], "original": original, "corrections": history}
