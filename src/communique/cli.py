"""The `communique` command: thin wrappers over the Python API."""
from __future__ import annotations

import json
import logging
import sys
import time
from datetime import date
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .cli_actors import ACTORS_HELP, use_actor_file
from .cli_common import DB_HELP, SCHEDULER, WORKERS, batch_coder, fail, open_store, setup_logging
from .cli_actors import app as actors_app
from .cli_learn import corpus_app
from .cli_learn import train as train_command
from .cli_watch import watch as watch_command
from .ingest import InputError, documents, parse_date
from .store.migrate import StoreError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Communique: political event data from raw news (PLOVER + CAMEO).")
err = Console(stderr=True)
log = logging.getLogger("communique")
_ACTORS_FILE = typer.Option(None, "--actors", help=ACTORS_HELP)


def _fail(message: str, code: int = 2) -> None:
    fail(message, code)


def _code(inputs: list[str], published: date | None, progress: bool, errors: list[str]):
    """Documents and their events, with a progress bar on stderr for many documents."""
    from .pipeline import extract_many

    docs = list(documents(inputs, published, errors))
    show = progress and len(docs) > 1 and err.is_terminal
    with Progress(TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, disable=not show, transient=True) as bar:
        task = bar.add_task("coding", total=len(docs))
        for doc, events in extract_many(docs):
            bar.advance(task)
            yield doc, events


@app.command()
def extract(
    files: List[str] = typer.Argument(..., help="Text files, '-' for stdin, folders of .txt, or .jsonl of documents."),
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD for inputs that lack one."),
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl or table."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
    min_confidence: float = typer.Option(0.0, help="Leave out events below this confidence."),
    actors_file: Optional[Path] = _ACTORS_FILE,
    verbose: bool = typer.Option(False, "-v", "--verbose"),
) -> None:
    """Code news reports into events, one JSON line each (or a readable table)."""
    setup_logging(verbose)
    use_actor_file(actors_file)
    if format not in ("jsonl", "table"):
        _fail(f"--format {format!r}: use jsonl or table")
    errors: list[str] = []
    try:
        pub = parse_date(published, "--published")
        out = open(output, "w", encoding="utf-8") if output else sys.stdout
    except InputError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror})")
    n_docs = n_events = 0
    rows = []
    try:
        for doc, events in _code(files, pub, True, errors):
            n_docs += 1
            for e in events:
                if e.confidence < min_confidence:
                    continue
                n_events += 1
                if format == "jsonl":
                    out.write(e.to_json() + "\n")
                else:
                    rows.append(e)
    except InputError as exc:
        _fail(str(exc))
    finally:
        if output:
            out.close()
    if format == "table":
        _print_table(rows, Console(file=open(output, "a", encoding="utf-8") if output else sys.stdout,
                                   width=160 if output or not sys.stdout.isatty() else None))
    for msg in errors:
        err.print(f"[yellow]warning:[/] {msg}", highlight=False)
    log.info("%d documents, %d events", n_docs, n_events)


def _actor(a) -> str:
    if a is None:
        return "-"
    who = a.name or a.text
    return f"{who} [{a.country or 'intl'}]"


def _evidence(e) -> Text:
    """The sentence with its trigger in bold, and the rule that fired."""
    text = Text(e.sentence)
    start = e.sentence.find(e.trigger)
    if start >= 0:
        text.stylize("bold yellow", start, start + len(e.trigger))
    text.append(f"\n{e.rule}", style="dim")
    return text


def _print_table(events, console: Console) -> None:
    table = Table(show_lines=True, title=f"{len(events)} events", expand=True)
    table.add_column("doc", max_width=16, overflow="fold")
    table.add_column("type", width=10)
    table.add_column("source", max_width=22, overflow="fold")
    table.add_column("target", max_width=22, overflow="fold")
    table.add_column("where / when", max_width=18, overflow="fold")
    table.add_column("evidence", ratio=1, overflow="fold")
    for e in events:
        flags = " ".join(f for f, on in (("NEGATED", e.negated), ("HYPOTHETICAL", e.hypothetical)) if on)
        deaths = f"\n{e.fatalities} killed" if e.fatalities is not None else ""
        where = e.location.name if e.location else "-"
        table.add_row(e.doc_id, f"{e.type}\n{e.cameo or ''}\n{flags}".strip(), _actor(e.source), _actor(e.target),
                      f"{where}\n{e.date or '-'}{deaths}", _evidence(e))
    console.print(table)


@app.command("eval")
def evaluate(
    gold: List[Path] = typer.Argument(..., help="Gold JSONL files (shared gold format)."),
    pred: Optional[Path] = typer.Option(None, help="Read predictions from this JSONL instead of coding."),
    km: float = typer.Option(50.0, help="Location tolerance in km."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole result as JSON."),
    actors_file: Optional[Path] = _ACTORS_FILE,
    verbose: bool = typer.Option(False, "-v", "--verbose"),
) -> None:
    """Code gold documents (or read predictions) and score them: P/R/F1, accuracies, per type."""
    from .evaluate import score

    setup_logging(verbose)
    use_actor_file(actors_file)
    console = Console(width=None if sys.stdout.isatty() else 160)
    try:
        predicted = []
        if pred is not None:
            predicted = [json.loads(l) for l in open(pred, encoding="utf-8") if l.strip()]
        for g in gold:
            gold_docs = [json.loads(l) for l in open(g, encoding="utf-8") if l.strip()]
            if pred is None:
                start = time.perf_counter()
                preds = [e.to_dict() for _, evs in _code([str(g)], None, True, []) for e in evs]
                took = time.perf_counter() - start
            else:
                preds, took = predicted, None
            result = score(gold_docs, preds, km)
            if as_json:
                console.print_json(json.dumps({"gold": str(g), **result}))
                continue
            _print_score(console, g, result, took)
    except InputError as exc:
        _fail(str(exc))
    except (OSError, json.JSONDecodeError) as exc:
        _fail(f"cannot read gold or predictions: {exc}")


def _print_score(console: Console, path: Path, r: dict, took: float | None) -> None:
    head = (f"[bold]{path}[/]: {r['docs']} docs  P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  "
            f"(tp {r['tp']} fp {r['fp']} fn {r['fn']})  chrome_events {r['chrome_events']}")
    console.print(head, highlight=False)
    accs = "  ".join(f"{k} {v:.3f}" for k, v in r.items() if k.endswith("_acc") and v is not None)
    console.print(f"  {accs}" + (f"  coded in {took:.1f}s" if took is not None else ""), highlight=False)
    t = Table("type", "tp", "fp", "fn", "P", "R", title="per type")
    for typ, c in r["per_type"].items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0
        rec = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0
        t.add_row(typ, str(c["tp"]), str(c["fp"]), str(c["fn"]), f"{p:.2f}", f"{rec:.2f}")
    console.print(t)
    for line in r["missed"][:40]:
        console.print(f"  missed   {line}", highlight=False)
    for line in r["spurious"][:40]:
        console.print(f"  spurious {line}", highlight=False)


# -- the store ------------------------------------------------------------------------------


def _open_store(db: Optional[str]):
    return open_store(db)


def _job_progress(label: str):
    """A rich progress line: documents, documents/s and events so far (stderr, terminals only)."""
    bar = Progress(TextColumn(f"[bold]{label}[/]"), TextColumn("{task.completed} documents"),
                   TextColumn("{task.fields[rate]:.1f}/s"), TextColumn("{task.fields[events]} events"),
                   TimeElapsedColumn(), console=err, disable=not err.is_terminal, transient=True)
    task = bar.add_task(label, total=None, rate=0.0, events=0)

    def update(s) -> None:
        bar.update(task, completed=s.read, rate=s.docs_per_second, events=s.events)
    return bar, update


@app.command()
def ingest(
    sources: List[str] = typer.Argument(..., help="Files, folders (recursive), globs, '-', feed files or URLs, WARC, JSONL/CSV."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    since: Optional[str] = typer.Option(None, help="Skip documents published before this date (YYYY-MM-DD)."),
    published: Optional[str] = typer.Option(None, help="Publication date for inputs that carry none."),
    batch: int = typer.Option(32, min=1, help="Documents per transaction."),
    workers: Optional[int] = WORKERS,
    scheduler: Optional[str] = SCHEDULER,
    actors_file: Optional[Path] = _ACTORS_FILE,
    verbose: bool = typer.Option(False, "-v", "--verbose"),
) -> None:
    """Read, code and store documents; re-running adds nothing new, a changed document replaces its events."""
    from .ingest import Sources
    from .jobs import ingest as run

    setup_logging(verbose)
    use_actor_file(actors_file)
    try:
        src = Sources(sources, parse_date(published, "--published"), parse_date(since, "--since"), keep_going=True)
    except InputError as exc:
        _fail(str(exc))
    store = _open_store(db)
    try:
        with batch_coder(workers, scheduler, batch) as code:
            bar, update = _job_progress("ingesting")
            with bar:
                summary = run(store, src, batch=batch, progress=update, code=code)
    except StoreError as exc:  # disk full, read-only, server gone: whole batches only were kept
        store.close()
        _fail(f"{exc}; every batch stored before it is kept, and a re-run adds the rest")
    store.close()
    out = Console(soft_wrap=True)  # the summary is one line in a log too
    out.print(f"[bold]{store.name}[/]: {summary.read} documents read in {summary.seconds:.1f} s "
              f"({summary.docs_per_second:.1f}/s): {summary.new} new, {summary.changed} changed, "
              f"{summary.unchanged} unchanged, {len(summary.failed)} failed, {len(summary.skipped)} skipped; "
              f"{summary.events} events stored" + (f", {summary.removed_events} replaced" if summary.removed_events else ""),
              highlight=False)
    for msg in summary.skipped:
        err.print(f"[dim]skipped:[/] {msg}", highlight=False)
    if summary.failed and not summary.read:
        _fail(f"nothing could be read ({len(summary.failed)} failed)")


@app.command()
def recode(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    everything: bool = typer.Option(False, "--all", help="Re-code every document, not only those coded by an older lexicon."),
    actors_file: Optional[Path] = _ACTORS_FILE,
    verbose: bool = typer.Option(False, "-v", "--verbose"),
) -> None:
    """Re-code stored documents after the lexicons changed, and report what changed."""
    from .jobs import recode as run

    setup_logging(verbose)
    use_actor_file(actors_file)
    store = _open_store(db)
    bar, update = _job_progress("re-coding")
    try:
        with bar:
            summary = run(store, everything, progress=update)
    except StoreError as exc:
        store.close()
        _fail(f"{exc}; every batch re-coded before it is kept")
    store.close()
    out = Console(soft_wrap=True)
    out.print(f"{summary.read} documents re-coded in {summary.seconds:.1f} s; {len(summary.recoded)} changed: "
              f"{summary.events} events now, {summary.removed_events} before", highlight=False)
    for line in summary.recoded:
        out.print(f"  {line}", highlight=False)


def _filters(actor, dyad, type_, since, until, near, min_confidence, text, flagged):
    from .store.query import Filters, QueryError

    try:
        return Filters(actor=actor, dyad=dyad, type=type_, since=parse_date(since, "--since"),
                       until=parse_date(until, "--until"), near=Filters.parse_near(near),
                       min_confidence=min_confidence, text=text, flagged=flagged)
    except (InputError, QueryError) as exc:
        _fail(str(exc))


_ACTOR = typer.Option(None, help="Country code (IND) or part of a name, as source or target.")
_DYAD = typer.Option(None, help="SOURCE:TARGET, e.g. IND:CHN ('*' for any).")
_TYPE = typer.Option(None, "--type", help="PLOVER type(s), comma-separated.")
_NEAR = typer.Option(None, help="LAT,LON,KM: events within KM of a point.")
_FLAGGED = typer.Option(False, "--flagged", help="Also negated and hypothetical events (left out by default).")


@app.command()
def events(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    actor: Optional[str] = _ACTOR, dyad: Optional[str] = _DYAD, type_: Optional[str] = _TYPE,
    since: Optional[str] = typer.Option(None), until: Optional[str] = typer.Option(None),
    near: Optional[str] = _NEAR, min_confidence: float = typer.Option(0.0),
    text: Optional[str] = typer.Option(None, help="Words in the evidence sentence."),
    flagged: bool = _FLAGGED,
    limit: int = typer.Option(50, help="At most this many (0: all)."),
    format: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
) -> None:
    """Stored events (one per real-world event, with its number of sources), newest first."""
    if format not in ("table", "jsonl", "csv"):
        _fail(f"--format {format!r}: use table, jsonl or csv")
    f = _filters(actor, dyad, type_, since, until, near, min_confidence, text, flagged)
    store = _open_store(db)
    records = store.events(f, limit=limit or None, with_mentions=format == "jsonl")
    store.close()
    if format == "table":
        _print_stories(records)
    else:
        from .export import write

        write(records, format, sys.stdout)


def _side(a: dict | None) -> str:
    return "-" if not a else f"{a['name']} [{a['country'] or 'intl'}]"


def _print_stories(records: list[dict]) -> None:
    console = Console(width=None if sys.stdout.isatty() else 160)
    table = Table(title=f"{len(records)} events", expand=True, show_lines=False)
    for col, width in (("date", 10), ("type", 9), ("source", 22), ("target", 22), ("where", 16)):
        table.add_column(col, max_width=width + 6, overflow="fold")
    table.add_column("src", justify="right")
    table.add_column("evidence", ratio=1, overflow="fold")
    for r in records:
        where = r["location"]["name"] if r["location"] else "-"
        deaths = f" ({r['fatalities']} killed)" if r["fatalities"] is not None else ""
        table.add_row(r["date"] or "-", r["type"], _side(r["source"]), _side(r["target"]), where + deaths,
                      str(r["num_sources"]), r.get("sentence") or "")
    console.print(table)


@app.command()
def stats(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """What the store holds: documents, events, sources, actors, places, dates, types."""
    store = _open_store(db)
    fig = store.stats()
    store.close()
    out = Console()
    if as_json:
        out.print_json(json.dumps(fig))
        return
    out.print(f"[bold]{store.name}[/]: {fig['documents']} documents, {fig['events']} events "
              f"({fig['multi_source_events']} reported by more than one document) from {fig['mentions']} mentions, "
              f"{fig['actors']} actors, {fig['places']} places; dates {fig['first_date'] or '-'} to {fig['last_date'] or '-'}",
              highlight=False)
    t = Table("type", "events")
    for typ, n in fig["by_type"].items():
        t.add_row(typ, str(n))
    out.print(t)


@app.command()
def export(
    format: str = typer.Option(..., "--format", "-f", help="csv, jsonl, parquet, gdelt or polecat."),
    output: Path = typer.Option(..., "-o", "--output", help="File to write."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    actor: Optional[str] = _ACTOR, dyad: Optional[str] = _DYAD, type_: Optional[str] = _TYPE,
    since: Optional[str] = typer.Option(None), until: Optional[str] = typer.Option(None),
    near: Optional[str] = _NEAR, min_confidence: float = typer.Option(0.0), flagged: bool = _FLAGGED,
) -> None:
    """Write the stored events (deduplicated, with every mention) in a standard format."""
    from .export import FORMATS, write

    if format not in FORMATS:
        _fail(f"--format {format!r}: use one of {', '.join(sorted(FORMATS))}")
    f = _filters(actor, dyad, type_, since, until, near, min_confidence, None, flagged)
    store = _open_store(db)
    records = store.events(f, with_mentions=True)
    store.close()
    try:
        write(records, format, output)
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror})")
    Console(stderr=True).print(f"{len(records)} events written to {output} ({format})", highlight=False)


@app.command()
def token(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    name: str = typer.Option("analyst", help="Whose token it is (shown as 'who' on corrections)."),
    revoke: Optional[str] = typer.Option(None, "--revoke", metavar="TOKEN_OR_NAME",
                                         help="Revoke this token, or every token of this name, instead."),
) -> None:
    """Create a write token for the API (shown once; only its hash is stored), or revoke one."""
    store = _open_store(db)
    try:
        n = store.revoke_token(revoke) if revoke is not None else 0
        secret = None if revoke is not None else store.create_token(name)
    except StoreError as exc:  # a read-only or full store: one line, not a traceback
        _fail(str(exc))
    finally:
        store.close()
    if revoke is not None:
        if not n:  # never echo the value: it may be a token
            _fail("no such token, and no token of that name: nothing revoked")
        Console().print(f"{n} token{'s' if n > 1 else ''} revoked; a running server refuses {'them' if n > 1 else 'it'} "
                        "from its next request", highlight=False)
        return
    Console(soft_wrap=True).print(f"token for {name!r} (shown once, keep it): [bold]{secret}[/]", highlight=False)


@app.command()
def serve(
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", help="Interface to bind; 127.0.0.1 keeps it on this machine."),
    port: int = typer.Option(8000, min=1, max=65535),
    actors_file: Optional[Path] = _ACTORS_FILE,
    verbose: bool = typer.Option(False, "-v", "--verbose"),
) -> None:
    """Serve the REST API (/api, docs at /docs) and the dashboard over a store."""
    import uvicorn

    from .api import create_app

    setup_logging(verbose)
    use_actor_file(actors_file)
    store = _open_store(db)
    out = Console(soft_wrap=True)  # a token or URL cut by wrapping is useless
    if not store.has_tokens():
        try:
            secret = store.create_token("analyst")
            out.print(f"first run: a write token was created (shown once, keep it; `communique token` makes more):\n"
                      f"  [bold]{secret}[/]", highlight=False)
        except StoreError as exc:  # a read-only store can still be read: serve it, say why writes fail
            err.print(f"[yellow]warning:[/] no write token could be created ({exc}): writes will fail",
                      highlight=False, soft_wrap=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] binding {host}: the dashboard and the API's reads are open to that network, "
                  "and its writes to anyone on it who holds a token (`communique token --revoke` withdraws one)",
                  highlight=False)
    out.print(f"Communique: [bold]http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}[/] "
              f"(API docs at /docs) over {store.name}; Ctrl-C stops it", highlight=False)
    try:
        uvicorn.run(create_app(store), host=host, port=port, log_level="info" if verbose else "warning")
    except OSError as exc:
        _fail(f"cannot serve on {host}:{port} ({exc.strerror or exc})")


app.add_typer(actors_app, name="actors")
app.add_typer(corpus_app, name="corpus")
app.command("train")(train_command)
app.command("watch")(watch_command)


def main() -> None:  # pragma: no cover
    app()
