"""`communique watch`: the sources ingested again every so often (see `watch.py`)."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import List, Optional

import typer

from .cli_actors import ACTORS_HELP, use_actor_file
from .cli_common import DB_HELP, SCHEDULER, WORKERS, batch_coder, err, fail, open_store, setup_logging
from .ingest import InputError, parse_date

log = logging.getLogger("communique")
_ACTORS_FILE = typer.Option(None, "--actors", help=ACTORS_HELP)


def watch(
    sources: List[str] = typer.Argument(..., help="Feeds (files or URLs), folders, files, globs: read again every round."),
    every: str = typer.Option("15m", "--every", help="Time between rounds: 30s, 15m, 2h, 1d."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    since: Optional[str] = typer.Option(None, help="Skip documents published before this date (YYYY-MM-DD)."),
    published: Optional[str] = typer.Option(None, help="Publication date for inputs that carry none."),
    batch: int = typer.Option(32, min=1, help="Documents per transaction."),
    rounds: Optional[int] = typer.Option(None, min=1, help="Stop after this many rounds (default: until Ctrl-C)."),
    workers: Optional[int] = WORKERS,
    scheduler: Optional[str] = SCHEDULER,
    actors_file: Optional[Path] = _ACTORS_FILE,
    verbose: bool = typer.Option(False, "-v", "--verbose"),
) -> None:
    """Ingest the sources every --every, coding only what is new; a bad entry, a feed that is down
    or a failed write is logged and the next round goes on. Ctrl-C stops it between batches."""
    from .watch import IntervalError, Stopper, parse_interval
    from .watch import watch as run

    setup_logging(verbose, show_time=True)
    logging.getLogger("communique.watch").setLevel(logging.DEBUG if verbose else logging.INFO)
    use_actor_file(actors_file)
    try:
        seconds = parse_interval(every)
        pub, start = parse_date(published, "--published"), parse_date(since, "--since")
    except (IntervalError, InputError) as exc:
        fail(str(exc))
    store = open_store(db)
    try:
        with batch_coder(workers, scheduler, batch) as code, Stopper() as stopper:
            log.warning("watching %d source%s every %s into %s; Ctrl-C stops", len(sources),
                        "s" if len(sources) != 1 else "", every, store.name)
            done = run(store, sources, seconds, code=code, batch=batch, published=pub, since=start, rounds=rounds,
                       stop=stopper, wait=stopper.event.wait)
    except KeyboardInterrupt:  # a second Ctrl-C: the batch being written was rolled back
        done = None
    finally:
        store.close()
    if done is None:
        err.print("stopped at once; the batch being written was not stored (the next run codes it)", highlight=False)
    else:
        stored = sum(r.summary.new + r.summary.changed for r in done if r.summary)
        err.print(f"stopped after {len(done)} round{'s' if len(done) != 1 else ''}: {stored} documents stored",
                  highlight=False)
