"""The analyst's actor file: entries merged over the shipped actor lexicons at load.

Where it is, first found wins: the path given to `use()` (the `--actors FILE` option), else
$COMMUNIQUE_ACTORS (set but empty: no file), else the per-user file
$XDG_CONFIG_HOME/communique/actors.yaml (~/.config/communique/actors.yaml) when it exists.
Its sections have the shipped files' entry schemas (data/README.md); an entry whose id matches
a shipped entry replaces it (`remove: true` drops it), a country entry is merged into the
shipped one (its lists are added, its scalars replace), any other entry is added.
"""
from __future__ import annotations

import copy
import hashlib
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml

from .actor_schema import SECTIONS, check_file, entry_id, shipped
from .lexicon import LexiconError

log = logging.getLogger(__name__)

ENV = "COMMUNIQUE_ACTORS"
COUNTRY_LISTS = ("aliases", "adjectives", "people", "metonyms")

_UNSET = object()
_chosen: object = _UNSET  # a path given on the command line, or None for "no file"
# the caches of values derived from the actor files, cleared by reload(); each module registers
# its own (derived_from_actor_files), so that this one need not import the modules built on it
_derived: list[Callable] = []


def default_path() -> Path | None:
    """The per-user override file (XDG base directory convention); None without a home directory."""
    base = os.environ.get("XDG_CONFIG_HOME")
    if not base:
        try:
            base = Path.home() / ".config"
        except RuntimeError:  # no HOME and no passwd entry (some containers)
            return None
    return Path(base) / "communique" / "actors.yaml"


def configured_path() -> Path | None:
    """The file the settings point at, whether or not it exists (`actors add` creates it)."""
    if _chosen is not _UNSET:
        return Path(_chosen) if _chosen else None
    if ENV in os.environ:
        value = os.environ[ENV].strip()
        return Path(value).expanduser() if value else None
    return default_path()


def override_path() -> Path | None:
    """The override file in force: an explicit or $COMMUNIQUE_ACTORS path, or the per-user one if present."""
    path = configured_path()
    if path is None:
        return None
    explicit = _chosen is not _UNSET or ENV in os.environ
    if not path.exists():
        if explicit:
            raise LexiconError(f"{path}: actor override file not found")
        return None
    return path


def use(path: str | Path | None) -> None:
    """Choose the override file for this process (None: fall back to the environment) and reload."""
    global _chosen
    _chosen = _UNSET if path is None else path
    reload()


def derived_from_actor_files(cached: Callable) -> Callable:
    """Register an lru_cache'd function whose value is derived from the actor files, so that
    reload() clears it (a decorator, above @lru_cache)."""
    _derived.append(cached)
    return cached


def reload() -> None:
    """Forget everything derived from the actor files, so the next lookup reads them again."""
    override.cache_clear()
    merged.cache_clear()
    for cached in _derived:
        cached.cache_clear()


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys silently; an analyst's file must not lose one so."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise LexiconError(f"key {key!r} appears twice (line {key_node.start_mark.line + 1})")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def read_file(path: Path) -> dict:
    """The override file parsed (not yet checked); LexiconError names the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read ({exc.strerror})") from exc
    return parse_text(text, path)


def parse_text(text: str, path: Path) -> dict:
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader) or {}
    except LexiconError as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise LexiconError(f"{path}: not valid YAML{line}: {getattr(exc, 'problem', None) or exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a mapping of sections ({', '.join(SECTIONS)}) at the top level")
    return data


@lru_cache(maxsize=1)
def override() -> dict[str, list[dict]]:
    """The checked entries of the override file in force, by section (empty without one)."""
    path = override_path()
    if path is None:
        return {}
    data = read_file(path)
    check_file(data, path)
    sections = {s: list(data.get(s) or []) for s in SECTIONS}
    log.info("actor overrides from %s: %s", path, ", ".join(f"{len(v)} {s}" for s, v in sections.items() if v))
    return sections


@lru_cache(maxsize=None)
def merged(section: str) -> tuple[dict, ...]:
    """A section's shipped entries with the override's merged over them, in shipped order then new."""
    return tuple(merge(section, shipped(section), override().get(section, [])))


def merge(section: str, base: list[dict], extra: list[dict]) -> list[dict]:
    by_id: dict = {}  # insertion-ordered: a replaced entry keeps its shipped place
    for entry in base:
        by_id.setdefault(entry_id(section, entry), copy.deepcopy(entry))
    for entry in extra:
        key = entry_id(section, entry)
        if entry.get("remove"):
            by_id.pop(key, None)
        elif section == "countries" and key in by_id:
            by_id[key] = _merge_country(by_id[key], copy.deepcopy(entry))
        else:
            by_id[key] = copy.deepcopy(entry)
    return list(by_id.values())


def _merge_country(old: dict, new: dict) -> dict:
    """Lists are added to (an analyst adds a metonym without restating the others); scalars replace."""
    out = dict(old)
    for field, value in new.items():
        if field in COUNTRY_LISTS:
            out[field] = list(dict.fromkeys([*(old.get(field) or []), *(value or [])]))
        else:
            out[field] = value
    return out


def fingerprint() -> bytes:
    """The override's content for the coder fingerprint (its path does not change a coding)."""
    path = override_path()
    if path is None:
        return b""
    return hashlib.sha256(path.read_bytes()).digest()
