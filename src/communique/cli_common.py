"""What every command module shares: the one-line error and opening the store."""
from __future__ import annotations

import os
from typing import Optional

import typer
from rich.console import Console

err = Console(stderr=True)


def fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)  # one line, even in a log
    raise typer.Exit(code)


def open_store(db: Optional[str]):
    from .store import Store, StoreError

    try:
        return Store(db or os.environ.get("COMMUNIQUE_DB") or "communique.db")
    except StoreError as exc:
        fail(str(exc))
