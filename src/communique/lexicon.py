"""Knowledge files under data/: found, read and validated once per process."""
from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

log = logging.getLogger(__name__)

DATA = Path(str(resources.files("communique") / "data"))


class LexiconError(ValueError):
    """A knowledge file is missing or malformed (the message names the file)."""


class _UniqueKeys(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys without a word; a knowledge file that gives a
    key twice has lost one of its lists, so it is refused."""


def _mapping(loader: _UniqueKeys, node, deep: bool = False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"key {key!r} is given twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


@lru_cache(maxsize=None)
def load_yaml(relpath: str) -> dict:
    path = DATA / relpath
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.load(f, Loader=_UniqueKeys) or {}
    except FileNotFoundError:
        log.warning("knowledge file %s is missing; continuing without it", path)
        return {}
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a mapping at the top level")
    return data
