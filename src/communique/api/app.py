"""The application: API routes, JSON errors, a body limit, and the dashboard's static files."""
from __future__ import annotations

from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..store import Store
from . import catalog, documents, errors, events
from .limits import MAX_BODY, BodyLimit

WEB = Path(str(resources.files("communique") / "web"))


def create_app(db: str | Store, max_body: int = MAX_BODY) -> FastAPI:
    """The app over a store (a path, URL or open Store)."""
    store = db if isinstance(db, Store) else Store(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        if not isinstance(db, Store):
            store.close()

    app = FastAPI(title="Communique", version=__version__, lifespan=lifespan,
                  description="Political event data from raw news: PLOVER events with CAMEO codes, "
                              "each traceable to its sentences. Writes need a bearer token.")
    app.state.store = store
    errors.install(app)
    for module in (events, catalog, documents):
        app.include_router(module.router)

    @app.get("/api", include_in_schema=False)
    def api_root():
        return JSONResponse({"store": store.name, "docs": "/docs"})

    if (WEB / "static").is_dir():
        app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard():
        index = WEB / "index.html"
        if not index.exists():
            return JSONResponse({"error": "the dashboard is not installed", "status": 404}, status_code=404)
        return FileResponse(index)

    app.add_middleware(BodyLimit, max_bytes=max_body)
    return app
