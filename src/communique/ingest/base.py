"""What every reader shares: the input error, byte decoding and date parsing."""
from __future__ import annotations

from datetime import date, datetime

MAX_BYTES = 50 * 1024 * 1024  # one document larger than this is refused, not parsed for minutes


class InputError(Exception):
    """An input that cannot be read at all (exit code 2)."""


def decode(data: bytes, name: str) -> str:
    """Bytes of a text file as str, or an InputError naming the file and the problem."""
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (invalid byte at offset {exc.start})") from None


def parse_date(value, where: str) -> date | None:
    """A YYYY-MM-DD (or ISO date-time) value as a date; None for no value."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError(f"{where}: published {value!r} is not a YYYY-MM-DD date") from None


def read_bytes(path, limit: int = MAX_BYTES) -> bytes:
    """A file's bytes, refusing missing, unreadable and oversized files with a clear message."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"{path}: {size} bytes is over the {limit} byte limit for one input")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
