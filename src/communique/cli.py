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
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .ingest import InputError, documents, parse_date

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Communique: political event data from raw news (PLOVER + CAMEO).")
err = Console(stderr=True)
log = logging.getLogger("communique")


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(message)s",
                        handlers=[RichHandler(console=err, show_time=False, show_path=False)])


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


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
    verbose: bool = typer.Option(False, "-v", "--verbose"),
) -> None:
    """Code news reports into events, one JSON line each (or a readable table)."""
    _setup_logging(verbose)
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
    verbose: bool = typer.Option(False, "-v", "--verbose"),
) -> None:
    """Code gold documents (or read predictions) and score them: P/R/F1, accuracies, per type."""
    from .evaluate import score

    _setup_logging(verbose)
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


def main() -> None:  # pragma: no cover
    app()
