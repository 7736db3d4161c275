"""Stage 5b, dates: date expressions in a sentence, resolved from the publication date.

"on Thursday" is the latest Thursday on or before publication; "April 22" the latest April 22
not after it; "the 2020 standoff" the year 2020; "last week" a week earlier with week precision
stated as day of the week start. Each expression keeps its character span, so the event engine
can take the one attached to its trigger.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
# nouns of time that can follow a preposition ("for Saturday", "in a week")
TIME_NOUNS = {"today", "tomorrow", "tonight", "week", "month", "year", "weekend", "day", "days", "hours"}


def is_time_word(word: str) -> bool:
    w = word.lower().rstrip(".")
    return w in WEEKDAYS or w in MONTHS or w in TIME_NOUNS

_MON = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

PATTERNS = [
    ("dmy", re.compile(rf"\b({_DAY})\s+({_MON})(?:,?\s+(\d{{4}}))?\b")),
    ("mdy", re.compile(rf"\b({_MON})\s+({_DAY})(?:,?\s+(\d{{4}}))?\b")),
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("numeric", re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\b")),
    ("month_year", re.compile(rf"\b(?:in\s+|early\s+|late\s+|mid-?)?({_MON})\s+(\d{{4}})\b")),
    ("weekday", re.compile(rf"\b(?:(last|this|next|early on|late on|on)\s+)?({_WD})\b")),
    ("relative", re.compile(r"\b(yesterday|today|tonight|overnight|last night|this morning|last week|last month|earlier this week|earlier this month|this week|this month|this year|last year)\b", re.I)),
    ("month", re.compile(rf"\b(?:in|since|early|late|mid-?|until)\s+({_MON})\b(?!\s+\d)")),
    ("year", re.compile(r"\b(?:in|since|of|the|during|until|by)\s+((?:19|20)\d{2})\b")),
]


@dataclass
class DateMention:
    start: int  # character offsets within the sentence text
    end: int
    text: str
    value: str  # YYYY-MM-DD | YYYY-MM | YYYY
    precision: str  # day | month | year
    background: bool = False  # "since 2020": a time before the event, not its date


FUTURE_WEIGHT = 4  # news reports the past: a date ahead of publication must be much nearer to win


def _latest(month: int, day: int, base: date) -> date | None:
    """The year a day-and-month refers to: the nearest to publication, with past dates
    preferred ("April 22" in June is this April; "June 10" on June 8 is two days ahead)."""
    best = None
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        gap = (base - d).days
        cost = gap if gap >= -1 else -gap * FUTURE_WEIGHT
        if best is None or cost < best[0]:
            best = (cost, d)
    return best[1] if best else None


def _weekday(name: str, qualifier: str | None, base: date) -> date:
    target = WEEKDAYS.index(name.lower())
    delta = (base.weekday() - target) % 7
    if qualifier == "next":
        return base + timedelta(days=(target - base.weekday()) % 7 or 7)
    if qualifier == "last" and delta == 0:
        delta = 7
    return base - timedelta(days=delta)


def _numeric(first: int, second: int, year: int, base: date | None):
    """"6/02/2015", "19/7/2012": day first, as most of the world writes it, unless that is no
    date, or only the month-first reading falls in the month before publication."""
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            readings.append(date(year, month, day))
        except ValueError:
            continue
    if not readings:
        return None
    if base is not None:
        recent = [d for d in readings if -1 <= (base - d).days <= 31]
        if recent and readings[0] not in recent:
            return recent[0].isoformat(), "day"
    return readings[0].isoformat(), "day"


def names_a_date(text: str, start: int, end: int) -> bool:
    """Is text[start:end] inside a date expression ("in May", "May 5", "since March"), resolved or
    not? ("May" is also a prime minister's surname.)"""
    return any(m.start() <= start and end <= m.end() for _, rx in PATTERNS for m in rx.finditer(text))


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Date expressions in a sentence, resolved against the publication date when given."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a, b):
        return all(b <= s or a >= e for s, e in taken)

    for kind, rx in PATTERNS:
        for m in rx.finditer(text):
            a, b = m.span()
            if not free(a, b):
                continue
            try:
                val = _resolve(kind, m, published)
            except (OverflowError, ValueError):  # "on Thursday" published on 0001-01-01: no such day
                val = None
            if val is None:
                continue
            value, precision = val
            before = text[max(0, a - 7):a].lower()
            background = "since" in before or m.group(0).lower().startswith("since")
            found.append(DateMention(a, b, m.group(0), value, precision, background))
            taken.append((a, b))
    found.sort(key=lambda d: d.start)
    return _named_day_wins(found, text)


def _named_day_wins(found: list[DateMention], text: str) -> list[DateMention]:
    """"killed yesterday, Tuesday": the named weekday is the more specific (a bulletin's
    "yesterday" counts from its own, later, edition); the relative word gives way."""
    out = []
    for i, d in enumerate(found):
        nxt = found[i + 1] if i + 1 < len(found) else None
        if (d.text.lower() in RELATIVE_DAYS and nxt is not None and nxt.precision == "day"
                and WEEKDAY_RX.match(nxt.text) and not text[d.end:nxt.start].strip(" ,(")):
            continue
        out.append(d)
    return out


RELATIVE_DAYS = {"yesterday", "today", "tonight", "last night", "overnight", "this morning"}
WEEKDAY_RX = re.compile(rf"(?:on\s+)?{_WD}\b", re.I)


def _resolve(kind, m, base: date | None):
    g = m.groups()
    if kind in ("dmy", "mdy"):
        day_s, mon_s = (g[0], g[1]) if kind == "dmy" else (g[1], g[0])
        month = MONTHS.get(mon_s.lower().rstrip("."))
        day = int(re.sub(r"\D", "", day_s))
        if month is None:
            return None
        if kind == "mdy" and mon_s.lower() == "may" and m.start() > 0 and m.string[max(0, m.start() - 4):m.start()].strip().lower() in ("may",):
            return None
        if g[2]:
            try:
                return date(int(g[2]), month, day).isoformat(), "day"
            except ValueError:
                return None
        if base is None:
            return None
        d = _latest(month, day, base)
        return (d.isoformat(), "day") if d else None
    if kind == "numeric":
        return _numeric(int(g[0]), int(g[1]), int(g[2]), base)
    if kind == "iso":
        try:
            return date(int(g[0]), int(g[1]), int(g[2])).isoformat(), "day"
        except ValueError:
            return None
    if kind == "month_year":
        month = MONTHS.get(g[0].lower().rstrip("."))
        return (f"{int(g[1]):04d}-{month:02d}", "month") if month else None
    if kind == "weekday":
        if base is None:
            return None
        q = (g[0] or "").lower() or None
        q = q if q in ("last", "next") else None
        return _weekday(g[1], q, base).isoformat(), "day"
    if kind == "relative":
        if base is None:
            return None
        w = g[0].lower()
        if w in ("today", "tonight", "this morning"):
            return base.isoformat(), "day"
        if w in ("yesterday", "last night", "overnight"):
            return (base - timedelta(days=1)).isoformat(), "day"
        if w in ("this week", "earlier this week", "last week"):
            d = base - timedelta(days=7 if w == "last week" else 0)
            return d.isoformat()[:7] if False else (f"{d.year:04d}-{d.month:02d}", "month")
        if w in ("this month", "earlier this month"):
            return f"{base.year:04d}-{base.month:02d}", "month"
        if w == "last month":
            d = base.replace(day=1) - timedelta(days=1)
            return f"{d.year:04d}-{d.month:02d}", "month"
        if w == "this year":
            return f"{base.year:04d}", "year"
        if w == "last year":
            return f"{base.year - 1:04d}", "year"
    if kind == "month":
        if base is None:
            return None
        month = MONTHS.get(g[0].lower().rstrip("."))
        if month is None or g[0] == "May" and False:
            return None
        year = base.year if month <= base.month else base.year - 1
        return f"{year:04d}-{month:02d}", "month"
    if kind == "year":
        return g[0], "year"
    return None
