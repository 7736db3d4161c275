"""Plain-text reports: one file, or standard input, is one document."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from ..model import Document
from .base import decode, read_bytes


def read_file(path: Path, published: date | None) -> Document:
    return Document(path.stem, decode(read_bytes(path), str(path)), published, source=str(path),
                    path=str(path.resolve()))


def read_stdin(published: date | None) -> Document:
    return Document("stdin", decode(sys.stdin.buffer.read(), "<stdin>"), published, source="<stdin>")
