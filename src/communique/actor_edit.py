"""Editing the analyst's actor file (`communique actors add`) and explaining a name (`actors show`)."""
from __future__ import annotations

import copy
import os
import re
from datetime import date
from pathlib import Path

import yaml

from .actor_schema import (EntryError, canonical_role, check_entry, check_file, check_when, country_code, entry_id,
                           shipped)
from .lexicon import LexiconError
from .overrides import override, override_path, parse_text

HEADER = ("# Communique analyst actor file: merged over the shipped actor lexicons when coding.\n"
          "# Format: src/communique/data/README.md (\"The analyst's actor file\"); check it with\n"
          "# `communique actors check`, then `communique recode` to re-code stored documents.\n"
          "version: 1\n")
ORG_KINDS = {"igo": ["IGO"], "ngo": ["NGO"], "armed_group": ["REB"], "party": ["PTY"], "agency": ["GOV"],
             "company": ["BUS"], "media": ["MED"]}
COUNTRY_FIELD = {"alias": "aliases", "adjective": "adjectives", "demonym": "people", "metonym": "metonyms"}
KINDS = ("person", *ORG_KINDS, "agent", "role", *COUNTRY_FIELD)


def _shipped_entry(section: str, key) -> dict | None:
    return next((copy.deepcopy(e) for e in shipped(section) if entry_id(section, e) == key), None)


def _names(*groups) -> list[str]:
    return list(dict.fromkeys(n.strip() for g in groups for n in g or [] if n and n.strip()))


def build_entry(name: str, kind: str, *, country: str | None = None, role: str | None = None,
                since: str | None = None, until: str | None = None, aliases: list[str] = (),
                sectors: list[str] = (), wikidata: str | None = None, plural: bool = False, rank: bool = False,
                path: Path | None = None) -> tuple[str, dict, bool]:
    """(section, entry, replaces a shipped entry) for `actors add`; EntryError says what is wrong.

    A name the shipped lexicon already lists is extended (its names and offices kept), since the
    file's entry replaces the shipped one whole.
    """
    name = name.strip()
    if not name:
        raise EntryError("the name is empty")
    if kind not in KINDS:
        raise EntryError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    code = country_code(country) if country else None
    sectors = [s.strip().upper() for s in sectors]
    if (since or until) and not role:
        raise EntryError("--since/--until date an office: give --role too")
    if kind != "person" and (role or wikidata):
        raise EntryError("--role and --wikidata are for --kind person")
    if kind == "person":
        section, entry, replaced = _person(name, code, role, since, until, aliases, wikidata, path)
    elif kind in ORG_KINDS:
        section, entry, replaced = _organisation(name, kind, code, aliases, sectors)
    elif kind == "agent":
        section, entry, replaced = _agent(name, aliases, sectors, plural)
    elif kind == "role":
        section, entry, replaced = "roles", {"role": name, "titles": _names(aliases), "sectors": sectors, "rank": rank}, False
        if not sectors:
            raise EntryError("a role needs --sector (GOV, MIL, ...)")
    else:
        if code is None:
            raise EntryError(f"--kind {kind} names a country: give --country")
        section, entry, replaced = "countries", {"code": code, COUNTRY_FIELD[kind]: _names([name], aliases)}, False
    check_entry(section, entry, _file_roles(path))
    return section, entry, replaced


def _file_roles(path: Path | None) -> list[dict]:
    if path is None or not path.exists():
        return []
    data = parse_text(path.read_text(encoding="utf-8"), path)
    return [r for r in data.get("roles") or [] if isinstance(r, dict)]


def _person(name, code, role, since, until, aliases, wikidata, path) -> tuple[str, dict, bool]:
    if code is None and role is None:
        raise EntryError("a person needs --country or --role (or both) to resolve to anything")
    base = _shipped_entry("people", name)
    entry = base or {"name": name, "aliases": [], "country": code}
    entry["aliases"] = _names(entry.get("aliases"), aliases)
    if code is not None:
        entry["country"] = code
    if wikidata:
        entry["wikidata"] = wikidata
    if role:
        office = {"role": canonical_role(role, _file_roles(path)), "from": check_when(since, "--since"),
                  "to": check_when(until, "--until")}
        entry["offices"] = [*(entry.get("offices") or []), office]
    return "people", entry, base is not None


def _organisation(name, kind, code, aliases, sectors) -> tuple[str, dict, bool]:
    if kind == "igo" and code is not None:
        raise EntryError("an international body (igo) has no country: leave out --country")
    base = _shipped_entry("organisations", name)
    entry = base or {"name": name, "aliases": [], "kind": kind, "country": code, "sectors": ORG_KINDS[kind]}
    entry["aliases"] = _names(entry.get("aliases"), aliases)
    entry["kind"] = kind
    if code is not None or kind == "igo":
        entry["country"] = code
    if sectors:
        entry["sectors"] = sectors
    return "organisations", entry, base is not None


def _agent(name, aliases, sectors, plural) -> tuple[str, dict, bool]:
    base = _shipped_entry("agents", name.lower())
    if base is None and not sectors:
        raise EntryError("an agent needs --sector (COP, MIL, CVL, ...)")
    entry = base or {"terms": [name], "sectors": sectors}
    entry["terms"] = _names(entry["terms"], aliases)
    if sectors:
        entry["sectors"] = sectors
    if plural:
        entry["plural"] = True
    return "agents", entry, base is not None


def _block(entry: dict, indent: int) -> str:
    text = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, default_flow_style=None, width=120)
    return "".join(" " * indent + line for line in text.splitlines(keepends=True))


def insert_entry(text: str, section: str, entry: dict) -> str:
    """The file's text with the entry appended to its section (comments and layout kept)."""
    if text and not text.endswith("\n"):
        text += "\n"
    lines = text.splitlines(keepends=True)
    head = next((i for i, l in enumerate(lines) if re.match(rf"^{section}:", l)), None)
    if head is None:
        return text + ("\n" if text.strip() else "") + f"{section}:\n" + _block(entry, 2)
    line = lines[head]
    if re.match(rf"^{section}:\s*(\[\s*\])?\s*(#.*)?$", line):
        lines[head] = f"{section}:\n"
    else:
        raise EntryError(f"section {section!r} is written in flow style; write it as a block list to use `actors add`")
    last, indent = head, None
    for i in range(head + 1, len(lines)):
        body = lines[i].strip()
        if not body or body.startswith("#"):
            continue
        if not lines[i][0] in " \t-":
            break
        if indent is None and body.startswith("-"):
            indent = len(lines[i]) - len(lines[i].lstrip())
        last = i
    lines.insert(last + 1, _block(entry, 2 if indent is None else indent))
    return "".join(lines)


def write_entry(path: Path, section: str, entry: dict) -> None:
    """Append a checked entry to the file (creating it); the whole new file is checked before it is written."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    data = parse_text(text, path)
    check_file(data, path)
    key = entry_id(section, entry)
    if section != "countries" and any(entry_id(section, e) == key for e in data.get(section) or []):
        raise EntryError(f"already in {path}; edit that entry there")
    new_text = insert_entry(text, section, entry)
    new_data = parse_text(new_text, path)
    check_file(new_data, path)
    if len(new_data.get(section) or []) != len(data.get(section) or []) + 1:
        raise LexiconError(f"{path}: could not append to section {section!r} safely; add the entry by hand")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new_text, encoding="utf-8")
    os.replace(tmp, path)


# -- explaining a name ----------------------------------------------------------------------
SECTION_OF = {"person": "people", "org": "organisations", "agent": "agents", "role": "roles"}
COUNTRY_TERM_FIELDS = ("name", "aliases", "adjectives", "people", "metonyms", "capital")


def _source(entry, term: str) -> str:
    section = SECTION_OF.get(entry.kind, "countries")
    key = entry.country if section == "countries" else entry.name.lower() if entry.kind == "agent" else entry.name
    ids = {entry_id(section, e) for e in override().get(section, [])}
    if key not in ids:
        return "shipped"
    if section == "countries":
        base = _shipped_entry("countries", key) or {}
        terms = {str(t).lower() for f in COUNTRY_TERM_FIELDS for t in _as_list(base.get(f))}
        if term.lower() in terms:
            return "shipped"
    return str(override_path())


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def resolutions(name: str, when: date | None) -> list[dict]:
    """What a name means to the coder on a date: each lexicon entry, or the office holder by surname."""
    from .actor_lexicon import by_surname, lexicon, surnames

    low = name.strip().lower()
    hits = [(term, e) for term, entries in lexicon().terms.items() if term.lower() == low for e in entries]
    if not hits and " " not in name.strip():
        one = by_surname(name.strip(), when)
        hits = [(name, e) for e in ([one] if one else surnames().get(name.strip(), []))]
    rows, seen = [], set()
    for term, e in hits:
        if id(e) in seen:  # "Hamas" and "HAMAS" are one entry
            continue
        seen.add(id(e))
        role, country = (e.office_on(when) if e.kind == "person" else (e.role, e.country))
        rows.append({"kind": e.kind, "name": e.name, "country": country, "role": role,
                     "sectors": list(e.sectors), "source": _source(e, term)})
    return rows

