"""The coder's fingerprint, stored with each coded document (see `coder_version`)."""
from __future__ import annotations

import hashlib
from functools import lru_cache

from .lexicon import DATA
from .overrides import derived_from_actor_files, fingerprint


@derived_from_actor_files
@lru_cache(maxsize=1)
def coder_version() -> str:
    """A fingerprint of what decides the coding: the knowledge files, the analyst's actor file
    and the stage modules.

    Stored with each coded document, so `communique recode` knows which ones are out of date.
    """
    package = DATA.parent
    files = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".csv")
                   and "export" not in p.relative_to(DATA).parts)  # export tables do not code
    # the stages (the rule coder's subpackage too); ingest, store and cli do not change codings
    files += sorted(package.glob("*.py")) + sorted(package.glob("coding/*.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    digest.update(fingerprint())
    return digest.hexdigest()[:16]
