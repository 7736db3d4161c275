"""Writes need a bearer token (`communique token`); reads are open on the bound interface."""
from __future__ import annotations

from typing import Optional

from fastapi import Header, HTTPException, Request


def require_token(request: Request, authorization: Optional[str] = Header(None)) -> str:
    """The token's name, or 401."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise HTTPException(401, "this change needs a token: send 'Authorization: Bearer TOKEN' "
                                 "(create one with `communique token`)", headers={"WWW-Authenticate": "Bearer"})
    name = request.app.state.store.check_token(authorization[7:].strip())
    if name is None:
        raise HTTPException(401, "the token is not valid", headers={"WWW-Authenticate": "Bearer"})
    return name
