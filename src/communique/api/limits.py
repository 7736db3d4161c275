"""Request size limit, enforced before the body is read (plain ASGI, so streamed bodies count too)."""
from __future__ import annotations

import json

MAX_BODY = 5 * 1024 * 1024  # a news page with its HTML fits many times over


class BodyLimit:
    def __init__(self, app, max_bytes: int = MAX_BODY):
        self.app, self.max_bytes = app, max_bytes

    async def _refuse(self, send) -> None:
        body = json.dumps({"error": f"request body over the {self.max_bytes} byte limit", "status": 413}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            return await self._refuse(send)
        seen = 0
        refused = started = False

        async def counted():
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    refused = True
                    raise _TooLarge()
            return message

        async def guarded(message):
            # FastAPI turns any error while reading a body into its own 400 ("error parsing the
            # body"): a streamed body over the limit got that instead of a 413. Once refused, the
            # app's own answer is dropped and the 413 sent in its place.
            nonlocal started
            if refused:
                return
            started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except _TooLarge:
            pass
        if refused and not started:
            await self._refuse(send)


class _TooLarge(Exception):
    pass
