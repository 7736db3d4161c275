"""The registry of export formats: `FORMATS`, filled by the `@register` decorator of each
format's module, and `write()`, which looks a format up by name."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterable


Record = dict[str, Any]
Out = str | os.PathLike | IO[str]


@dataclass(frozen=True)
class Format:
    name: str
    writer: Callable[..., int]      # writer(records, out, **options) -> number of records written
    needs_path: bool = False        # True: the writer gets a Path (binary formats); else a text stream
    options: tuple[str, ...] = ()   # keyword options the writer accepts
    description: str = ""


FORMATS: dict[str, Format] = {}


def register(name: str, *, needs_path: bool = False, options: tuple[str, ...] = (),
             description: str = "") -> Callable:
    """Add a writer to FORMATS under `name` (decorator)."""
    def add(writer: Callable[..., int]) -> Callable[..., int]:
        FORMATS[name] = Format(name, writer, needs_path, options, description)
        return writer
    return add


def write(records: Iterable[Record], fmt: str, out: Out, **options: Any) -> int:
    """Write `records` in format `fmt` to `out` (a path, or a text stream for every format but
    parquet). Returns the number of records written. Options: gdelt takes `header=False`."""
    try:
        f = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; known formats: "
                         f"{', '.join(sorted(FORMATS))}") from None
    unknown = sorted(set(options) - set(f.options))
    if unknown:
        takes = ", ".join(f.options) or "no options"
        raise ValueError(f"export format {fmt!r} does not take {', '.join(unknown)} (it takes {takes})")
    is_path = isinstance(out, (str, os.PathLike))
    if f.needs_path:
        if not is_path:
            raise ValueError(f"export format {fmt!r} writes a binary file: give a path, not a stream")
        return f.writer(records, Path(out), **options)
    if is_path:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return f.writer(records, fh, **options)
    return f.writer(records, out, **options)
