"""Checks for actor entries (the override file, `actors add`, and the shipped files in tests).

Each problem is one line naming the file, the entry and the field, so an analyst can fix it
without reading a traceback.
"""
from __future__ import annotations

import difflib
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from .lexicon import LexiconError, load_yaml

ORG_KINDS = ("igo", "ngo", "armed_group", "party", "agency", "company", "media")
FIELDS = {
    "countries": {"code", "name", "aliases", "adjectives", "people", "capital", "capital_is_metonym",
                  "metonyms", "centroid", "remove"},
    "organisations": {"name", "aliases", "kind", "country", "sectors", "remove"},
    "people": {"name", "aliases", "country", "wikidata", "offices", "remove"},
    "agents": {"terms", "sectors", "plural", "remove"},
    "roles": {"role", "titles", "sectors", "rank", "remove"},
}
REQUIRED = {"countries": ("code",), "organisations": ("name", "kind"), "people": ("name",),
            "agents": ("terms", "sectors"), "roles": ("role", "sectors")}
OFFICE_FIELDS = {"role", "from", "to", "country"}
WHEN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# section -> the field that identifies an entry (agents: their first term)
SECTIONS = {"countries": "code", "organisations": "name", "people": "name", "agents": "terms", "roles": "role"}


class EntryError(ValueError):
    """One problem in one entry (the caller adds the file and the entry's place)."""


def entry_id(section: str, entry: dict):
    key = entry.get(SECTIONS[section])
    if section == "agents":
        return str(key[0]).lower() if isinstance(key, list) and key else None
    return key


def shipped(section: str) -> list[dict]:
    """A section's entries as the package ships them (data/actors), without the analyst's file."""
    return list(load_yaml(f"actors/{section}.yaml").get(section) or [])


@lru_cache(maxsize=1)
def sector_codes() -> frozenset[str]:
    return frozenset(load_yaml("actors/sectors.yaml").get("sectors", {}))


@lru_cache(maxsize=1)
def shipped_country_codes() -> frozenset[str]:
    return frozenset(c["code"] for c in load_yaml("actors/countries.yaml").get("countries", []))


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-3 code (or one the shipped lexicon uses, like XKX), upper-cased."""
    import pycountry

    code = str(value).strip().upper()
    if code in shipped_country_codes() or (len(code) == 3 and pycountry.countries.get(alpha_3=code)):
        return code
    hint = ""
    try:
        hint = f" (did you mean {pycountry.countries.lookup(str(value)).alpha_3}?)"
    except LookupError:
        pass
    raise EntryError(f"unknown country code {value!r}: use an ISO 3166-1 alpha-3 code such as GBR{hint}")


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text)).strip().lower()


def role_names(extra_roles: list[dict] | tuple = ()) -> dict[str, str]:
    """Every role name and title, normalised, to its canonical role."""
    out: dict[str, str] = {}
    for r in [*shipped("roles"), *extra_roles]:
        for t in [r.get("role"), *(r.get("titles") or [])]:
            if t:
                out.setdefault(_norm(t), r["role"])
    return out


def canonical_role(value: str, extra_roles: list[dict] | tuple = ()) -> str:
    names = role_names(extra_roles)
    found = names.get(_norm(value))
    if found:
        return found
    close = difflib.get_close_matches(_norm(value), list(names), n=3, cutoff=0.7)
    hint = f" (did you mean {', '.join(sorted({names[c] for c in close}))}?)" if close else ""
    raise EntryError(f"unknown role {value!r}{hint}; `communique actors roles` lists them")


def check_when(value, field: str) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, date) else str(value)
    if not WHEN.match(text):
        raise EntryError(f"{field}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    parts = [int(p) for p in text.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise EntryError(f"{field}: {value!r} is not a date ({exc})") from exc
    return text


def _strings(entry: dict, field: str, required: bool = False) -> None:
    value = entry.get(field)
    if value is None and not required:
        return
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value) or (required and not value):
        raise EntryError(f"{field}: expected a list of names, got {value!r}")


def _text(entry: dict, field: str) -> None:
    if field in entry and not (isinstance(entry[field], str) and entry[field].strip()):
        raise EntryError(f"{field}: expected a name, got {entry[field]!r}")


def _flag(entry: dict, field: str) -> None:
    if field in entry and not isinstance(entry[field], bool):
        raise EntryError(f"{field}: expected true or false, got {entry[field]!r}")


def _sectors(entry: dict) -> None:
    _strings(entry, "sectors")
    unknown = [s for s in entry.get("sectors") or [] if s not in sector_codes()]
    if unknown:
        raise EntryError(f"sectors: unknown sector {unknown[0]!r} (see data/actors/sectors.yaml)")


def _country(entry: dict, field: str = "country") -> None:
    if entry.get(field) is not None:
        country_code(entry[field])
        if entry[field] != str(entry[field]).upper():
            raise EntryError(f"{field}: write the code in capitals ({str(entry[field]).upper()})")


def check_entry(section: str, entry, roles: list[dict] | tuple = ()) -> None:
    """Raise EntryError for the first problem in one entry of a section."""
    if not isinstance(entry, dict):
        raise EntryError(f"expected a mapping of fields, got {entry!r}")
    unknown = sorted(set(entry) - FIELDS[section])
    if unknown:
        raise EntryError(f"unknown field {unknown[0]!r} (fields: {', '.join(sorted(FIELDS[section] - {'remove'}))})")
    _flag(entry, "remove")
    required = REQUIRED[section][:1] if entry.get("remove") else REQUIRED[section]
    for field in required:
        if entry.get(field) in (None, "", []):
            raise EntryError(f"missing {field!r}")
    CHECKS[section](entry, roles)


def _check_country(entry: dict, roles) -> None:
    _country(entry, "code")
    if entry["code"] not in shipped_country_codes() and not entry.get("remove") and not entry.get("name"):
        raise EntryError("missing 'name' (needed for a country the shipped lexicon does not list)")
    for field in ("name", "capital"):
        _text(entry, field)
    for field in ("aliases", "adjectives", "people", "metonyms"):
        _strings(entry, field)
    _flag(entry, "capital_is_metonym")
    c = entry.get("centroid")
    if c is not None and not (isinstance(c, list) and len(c) == 2 and all(isinstance(v, (int, float)) for v in c)
                              and -90 <= c[0] <= 90 and -180 <= c[1] <= 180):
        raise EntryError(f"centroid: expected [lat, lon], got {c!r}")


def _check_org(entry: dict, roles) -> None:
    _text(entry, "name")
    _strings(entry, "aliases")
    if "kind" in entry and entry["kind"] not in ORG_KINDS:
        raise EntryError(f"kind: {entry['kind']!r} is not one of {', '.join(ORG_KINDS)}")
    _country(entry)
    if entry.get("kind") == "igo" and entry.get("country") is not None:
        raise EntryError("country: an international body (kind igo) has no country; write null")
    _sectors(entry)


def _check_person(entry: dict, roles) -> None:
    _text(entry, "name")
    _strings(entry, "aliases")
    _country(entry)
    if entry.get("wikidata") is not None and not re.fullmatch(r"Q\d+", str(entry["wikidata"])):
        raise EntryError(f"wikidata: {entry['wikidata']!r} is not a Wikidata id (Q followed by digits)")
    offices = entry.get("offices")
    if offices is None:
        return
    if not isinstance(offices, list):
        raise EntryError(f"offices: expected a list, got {offices!r}")
    for n, office in enumerate(offices):
        try:
            _check_office(office, roles)
        except EntryError as exc:
            raise EntryError(f"offices[{n}]: {exc}") from exc


def _check_office(office, roles) -> None:
    if not isinstance(office, dict):
        raise EntryError(f"expected {{role, from, to}}, got {office!r}")
    unknown = sorted(set(office) - OFFICE_FIELDS)
    if unknown:
        raise EntryError(f"unknown field {unknown[0]!r} (fields: role, from, to, country)")
    if not office.get("role"):
        raise EntryError("missing 'role'")
    canonical_role(office["role"], roles)
    start, end = check_when(office.get("from"), "from"), check_when(office.get("to"), "to")
    if start and end and _padded(start, False) > _padded(end, True):
        raise EntryError(f"from {start} is after to {end}")
    _country(office)


def _padded(text: str, end: bool) -> str:
    """YYYY or YYYY-MM widened to the first or last day it can mean, for comparison."""
    parts = text.split("-")
    if len(parts) == 1:
        parts += ["12", "31"] if end else ["01", "01"]
    elif len(parts) == 2:
        parts += ["31" if end else "01"]
    return "-".join(parts)


def _check_agent(entry: dict, roles) -> None:
    _strings(entry, "terms", required=not entry.get("remove"))
    _sectors(entry)
    _flag(entry, "plural")


def _check_role(entry: dict, roles) -> None:
    _text(entry, "role")
    _strings(entry, "titles")
    _sectors(entry)
    _flag(entry, "rank")


CHECKS = {"countries": _check_country, "organisations": _check_org, "people": _check_person,
          "agents": _check_agent, "roles": _check_role}


def _label(section: str, n: int, entry) -> str:
    key = entry_id(section, entry) if isinstance(entry, dict) else None
    return f"{section}[{n}]" + (f" {key!r}" if isinstance(key, str) else "")


def check_file(data: dict, path: Path | str) -> None:
    """Raise LexiconError naming the file and the entry for the first problem in an override file."""
    unknown = sorted(set(data) - set(SECTIONS) - {"version"})
    if unknown:
        raise LexiconError(f"{path}: unknown section {unknown[0]!r} (sections: {', '.join(SECTIONS)})")
    roles = data.get("roles") or []
    for section in sorted(SECTIONS, key=lambda s: s != "roles"):  # people's offices may use the file's roles
        entries = data.get(section)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise LexiconError(f"{path}: {section}: expected a list of entries")
        seen: set = set()
        for n, entry in enumerate(entries):
            try:
                check_entry(section, entry, roles if isinstance(roles, list) else [])
            except EntryError as exc:
                raise LexiconError(f"{path}: {_label(section, n, entry)}: {exc}") from exc
            key = entry_id(section, entry)
            if section != "countries" and key in seen:
                raise LexiconError(f"{path}: {_label(section, n, entry)}: listed twice in this file")
            seen.add(key)
