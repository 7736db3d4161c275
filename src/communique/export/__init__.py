"""Write story events in standard event-data formats: jsonl, csv, parquet, gdelt, polecat.

A *story event* is one event as reported by one or more documents (the store produces them; see
docs/export.md for the record and for every column written). Formats live in a registry,
`FORMATS` (`formats`), filled by the `@register` decorator of each format's module (`flat`:
csv, parquet and jsonl; `gdelt`; `polecat`); `write()` looks a format up by name:

    from communique.export import write
    write(records, "gdelt", "events.tsv")          # a path
    write(records, "jsonl", sys.stdout)            # or a text stream (all but parquet)

Nothing here touches a database: records in, file out.
"""
from __future__ import annotations

from . import flat, gdelt, polecat  # noqa: F401  (importing a format's module registers it)
from .formats import FORMATS, Format, register, write

__all__ = ["FORMATS", "Format", "register", "write"]
