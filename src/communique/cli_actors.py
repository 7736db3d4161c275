"""`communique actors`: the store's actors, and the analyst's actor file (add, show, check, roles)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from .actor_edit import KINDS
from .lexicon import LexiconError
from .cli_common import fail, open_store

app = typer.Typer(invoke_without_command=True, no_args_is_help=False,
                  help="Actors: those in the store (bare or `list`), and the analyst's actor file.")

ACTORS_HELP = ("Analyst actor file merged over the shipped lexicons "
               "(default $COMMUNIQUE_ACTORS, else ~/.config/communique/actors.yaml if present).")



def _fail(message: str) -> None:
    fail(message)


def use_actor_file(path: Optional[Path]) -> None:
    """Choose (when given) and check the override file before any coding; one-line error if bad."""
    from . import overrides

    try:
        if path is not None:
            overrides.use(path)
        overrides.override()
    except LexiconError as exc:
        _fail(str(exc))


@app.callback()
def actors(
    ctx: typer.Context,
    db: Optional[str] = typer.Option(None, "--db", help="SQLite file or database URL; default $COMMUNIQUE_DB or communique.db."),
    limit: int = typer.Option(50, help="At most this many (0: all)."),
    format: str = typer.Option("table", "--format", "-f", help="table or jsonl."),
) -> None:
    """Actors in the store, the most active first (with a subcommand: work on the actor file)."""
    if ctx.invoked_subcommand is None:
        _list(db, limit, format)


@app.command("list")
def list_actors(
    db: Optional[str] = typer.Option(None, "--db", help="SQLite file or database URL; default $COMMUNIQUE_DB or communique.db."),
    limit: int = typer.Option(50, help="At most this many (0: all)."),
    format: str = typer.Option("table", "--format", "-f", help="table or jsonl."),
) -> None:
    """Actors in the store, the most active first."""
    _list(db, limit, format)


def _list(db: Optional[str], limit: int, format: str) -> None:
    if format not in ("table", "jsonl"):
        _fail(f"--format {format!r}: use table or jsonl")
    store = open_store(db)
    rows = store.actors(limit or None)
    store.close()
    if format == "jsonl":
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    table = Table("actor", "country", "sectors", "events", title=f"{len(rows)} actors")
    for r in rows:
        table.add_row(r["name"], r["country"] or "intl", ";".join(r["sectors"]), str(r["events"]))
    Console().print(table)


@app.command()
def add(
    name: str = typer.Argument(..., help="The actor's name as news writes it (a person's full name, a group's name, a term)."),
    kind: str = typer.Option(..., "--kind", "-k", help=f"One of: {', '.join(KINDS)}."),
    country: Optional[str] = typer.Option(None, help="ISO 3166-1 alpha-3 code (GBR)."),
    role: Optional[str] = typer.Option(None, help="A person's office (a role or title: 'Foreign Minister', foreign_minister)."),
    since: Optional[str] = typer.Option(None, help="Office held from YYYY, YYYY-MM or YYYY-MM-DD."),
    until: Optional[str] = typer.Option(None, help="Office held until (leave out: still in office)."),
    alias: List[str] = typer.Option([], "--alias", "-a", help="Another name or title (repeatable)."),
    sector: List[str] = typer.Option([], "--sector", "-s", help="Sector code (repeatable): GOV, MIL, REB, COP, ..."),
    wikidata: Optional[str] = typer.Option(None, help="Wikidata id (Q...) of a person."),
    plural: bool = typer.Option(False, help="An agent that names a group (protesters)."),
    rank: bool = typer.Option(False, help="A role that is a rank or honorific (General, Sheikh)."),
    actors_file: Optional[Path] = typer.Option(None, "--actors", help=ACTORS_HELP),
) -> None:
    """Add a checked entry to the analyst's actor file (created if need be); `recode` then applies it."""
    from . import overrides
    from .actor_edit import build_entry, write_entry
    from .actor_schema import EntryError

    path = actors_file or overrides.configured_path()
    if path is None:
        _fail(f"no actor file: ${overrides.ENV} is set empty; give --actors FILE")
    try:
        section, entry, replaced = build_entry(name, kind, country=country, role=role, since=since, until=until,
                                               aliases=alias, sectors=sector, wikidata=wikidata, plural=plural,
                                               rank=rank, path=path)
        write_entry(path, section, entry)
    except EntryError as exc:
        _fail(f"{name!r}: {exc}")
    except LexiconError as exc:
        _fail(str(exc))
    note = " (replaces the shipped entry, keeping its names and offices)" if replaced else ""
    Console(stderr=True).print(f"added {kind} {name!r} to {path}{note}; run `communique recode` to re-code stored documents",
                               highlight=False, soft_wrap=True)


@app.command()
def show(
    name: str = typer.Argument(..., help="A name, title or term as it appears in a report."),
    on: Optional[str] = typer.Option(None, "--date", help="The report's date (YYYY-MM-DD): whose office it was then."),
    actors_file: Optional[Path] = typer.Option(None, "--actors", help=ACTORS_HELP),
) -> None:
    """How a name resolves: its lexicon entries, the office held on a date, and which file says so."""
    from .actor_edit import resolutions
    from .ingest import InputError, parse_date

    use_actor_file(actors_file)
    try:
        when = parse_date(on, "--date")
    except InputError as exc:
        _fail(str(exc))
    rows = resolutions(name, when)
    if not rows:
        _fail(f"{name!r}: not in the actor lexicons (a full name not listed is coded as a person without a country)")
    table = Table("as", "actor", "country", "role or kind", "sectors", title=f"{name!r}" + (f" on {when}" if when else ""))
    table.add_column("from", overflow="fold")
    for r in rows:
        table.add_row(r["kind"], r["name"], r["country"] or "intl", r["role"] or "-", ";".join(r["sectors"]), r["source"])
    Console().print(table)


@app.command()
def check(actors_file: Optional[Path] = typer.Option(None, "--actors", help=ACTORS_HELP)) -> None:
    """Check the actor file in force and say what it adds or replaces."""
    from . import overrides

    use_actor_file(actors_file)
    path = overrides.override_path()
    if path is None:
        Console().print(f"no actor file in force (looked for ${overrides.ENV}, then {overrides.default_path()})",
                        highlight=False)
        return
    out = Console()
    out.print(f"[bold]{path}[/]: valid", highlight=False)
    for section, entries in overrides.override().items():
        shipped_ids = {overrides.entry_id(section, e) for e in overrides.shipped(section)}
        ids = [overrides.entry_id(section, e) for e in entries]
        removed = sum(1 for e in entries if e.get("remove"))
        replaced = sum(1 for e, i in zip(entries, ids) if i in shipped_ids and not e.get("remove"))
        if entries:
            out.print(f"  {section}: {len(entries) - replaced - removed} added, {replaced} "
                      f"{'merged' if section == 'countries' else 'replaced'}, {removed} removed", highlight=False)


@app.command()
def roles(actors_file: Optional[Path] = typer.Option(None, "--actors", help=ACTORS_HELP)) -> None:
    """The roles a person's office may name, with their titles."""
    from .overrides import merged

    use_actor_file(actors_file)
    table = Table("role", "titles", "sectors", title="roles")
    for r in merged("roles"):
        table.add_row(r["role"], ", ".join(r.get("titles") or []), ";".join(r.get("sectors") or []))
    Console().print(table)

