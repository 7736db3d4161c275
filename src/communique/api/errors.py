"""Every error is JSON with a message: never a stack trace, never an HTML page."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..store.migrate import StoreError
from ..store.query import QueryError

log = logging.getLogger(__name__)


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status)


def _where(loc) -> str:
    parts = [str(p) for p in loc if p not in ("query", "body", "path")]
    return ".".join(parts) or "request"


def install(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        response = error(exc.status_code, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in exc.errors())
        return error(422, problems or "invalid request")

    @app.exception_handler(QueryError)
    async def bad_filter(request: Request, exc: QueryError):
        # A filter found bad only when the query is built (a malformed dyad on /api/places or
        # /api/timeline) was a 500 on every route that did not catch it itself.
        return error(400, str(exc))

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError):
        # disk full, read-only, database server gone: the client learns it may retry later; the
        # store's path and the reason go to the server's log only
        log.error("%s %s: %s", request.method, request.url.path, exc)
        return error(503, "the store cannot take this request now (the server logged why); try again later")

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):
        log.exception("%s %s failed", request.method, request.url.path)
        return error(500, "internal error: the server logged the details")
