"""What every command module shares: the one-line error, logging, opening the store, and the
choice of where documents are coded (this process or a Dask cluster)."""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from typing import Optional

import typer
from rich.console import Console
from rich.logging import RichHandler

err = Console(stderr=True)

DB_HELP = "SQLite file or database URL (postgresql+psycopg://…); default $COMMUNIQUE_DB or communique.db."
WORKERS = typer.Option(None, "--workers", min=1, help="Code on a local Dask cluster of this many processes.")
SCHEDULER = typer.Option(None, "--scheduler", help="Code on the Dask cluster at this address (tcp://HOST:PORT).")


def fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)  # one line, even in a log
    raise typer.Exit(code)


def setup_logging(verbose: bool, show_time: bool = False) -> None:
    if err.is_terminal:
        handler, fmt = RichHandler(console=err, show_time=show_time, show_path=False), "%(message)s"
    else:  # a log file or a pipe: rich wrapped each message at 80 columns, cutting names in two
        handler = logging.StreamHandler()
        fmt = ("%(asctime)s " if show_time else "") + "%(levelname)s %(message)s"
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format=fmt, handlers=[handler])


def open_store(db: Optional[str]):
    from .store import Store, StoreError

    try:
        return Store(db or os.environ.get("COMMUNIQUE_DB") or "communique.db")
    except StoreError as exc:
        fail(str(exc))


@contextmanager
def batch_coder(workers: Optional[int], scheduler: Optional[str], batch: int):
    """The batch coder: this process, a local Dask cluster (--workers) or a running one (--scheduler)."""
    from .jobs import in_process

    if workers is not None and scheduler is not None:
        fail("--workers and --scheduler: give one (the cluster at --scheduler has its own workers)")
    if workers is None and scheduler is None:
        yield in_process(batch)
        return
    from .cluster import ClusterError, DaskCoder

    try:
        coder = DaskCoder(workers=workers, scheduler=scheduler)
    except ClusterError as exc:
        fail(str(exc))
    try:
        with coder as code:
            err.print(f"[dim]coding on {code.description}[/]", highlight=False)
            yield code
    except ClusterError as exc:
        fail(str(exc))
