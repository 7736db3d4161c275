"""Documents: one with its raw text and its events' spans; posting a report to code and store."""
from __future__ import annotations

from datetime import date
from typing import Optional

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .auth import require_token

router = APIRouter(prefix="/api/documents", tags=["documents"])


@router.get("/{document_id}")
def get_document(request: Request, document_id: int = Path(..., ge=1, le=2**63 - 1)):
    """The document's text (offsets refer to it) and the character spans of its events."""
    # the id is bounded: one past SQLite's 64-bit integers was an OverflowError binding it (a 500)
    doc = request.app.state.store.document(document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id}")
    return doc


class NewDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Optional[str] = Field(None, max_length=2_000_000)
    html: Optional[str] = Field(None, max_length=4_000_000)
    id: Optional[str] = Field(None, max_length=500)
    url: Optional[str] = Field(None, max_length=2000)
    title: Optional[str] = Field(None, max_length=1000)
    published: Optional[date] = None

    @model_validator(mode="after")
    def one_body(self):
        if not ((self.text and self.text.strip()) or (self.html and self.html.strip())):
            raise ValueError('give "text" or "html"')
        return self


@router.post("", status_code=201)
def post_document(request: Request, body: NewDocument, token_name: str = Depends(require_token)):
    """Code a report and store it (a feed pushing to a running server). Posting the same report
    again changes nothing; a changed report at the same URL replaces its events."""
    from ..ingest import InputError
    from ..jobs import store_document

    try:
        result = store_document(request.app.state.store, text=body.text, html=body.html, doc_id=body.id,
                                url=body.url, title=body.title, published=body.published)
    except InputError as exc:
        raise HTTPException(400, str(exc)) from None
    return result
