"""Headlines in Title Case or ALL CAPS, put in sentence case for the parser.

The parser reads "Rebels Ambush Army Convoy in South Kivu" as a string of names and finds no verb.
Every line that is mostly capitalised words is given to it with its common English words in
lower case ("Rebels ambush army convoy in South Kivu"); the names it knows (actors, places,
surnames of office holders) keep their capitals. Only letters change case, one for one, so
every character offset into the text stays true; the events' evidence is cut from the
original text.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .actor_lexicon import lexicon, surnames
from .places import choose, english_words, lookup, name_words, stop_words

WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# short prepositions a Title Case headline leaves in lower case that the parser's stop words lack
# (the stop words are the rest of what says nothing about a line's case)
LOWER_IN_TITLES = {"vs", "amid", "near"}
MIN_WORDS = 3  # content words a line needs before its case is judged
TITLE_SHARE = 0.8  # the share of them in capitals that makes a line an ALL CAPS headline
LONGEST_HEADLINE = 200  # characters: a longer line is prose, however it is cased


@lru_cache(maxsize=1)
def _names_by_word() -> dict[str, list[str]]:
    """Each capitalised word of a lexicon term, to the terms it is part of ("White" -> "White House")."""
    out: dict[str, list[str]] = {}
    for term in lexicon().terms:
        for w in WORD.findall(term):
            if w[:1].isupper():
                out.setdefault(w, []).append(term)
    return out


def _small(word: str) -> bool:
    w = word.lower()
    return w in LOWER_IN_TITLES or w in stop_words()


def _content(words: list[str]) -> list[str]:
    return [w for w in words if not _small(w)]


def headline_case(line: str) -> str | None:
    """"title" or "caps" when a line is a headline written so, else None."""
    if len(line) > LONGEST_HEADLINE:
        return None
    words = _content(WORD.findall(line))
    if len(words) < MIN_WORDS:
        return None
    if sum(w.isupper() and len(w) > 1 for w in words) >= TITLE_SHARE * len(words):
        return "caps"
    # Title Case capitalises every word but short function words; prose with many names still
    # has a verb or a noun in lower case ("Tajikistan banned the Islamic Renaissance Party")
    if all(w[:1].isupper() for w in words if len(w) >= 4):
        return "title"
    return None


def _is_name(word: str, line: str, at: int) -> bool:
    """Is a capitalised word (as written in Title Case) part of a name the coder knows here?"""
    if word in lexicon().terms or word in surnames():
        return True
    regions = name_words()["world_regions"]
    if any(word in r.split() and r in line for r in regions):
        return True  # "Central Africa", "the Gulf"
    for term in _names_by_word().get(word, ()):
        start = line.find(term, max(0, at - len(term)))
        if start != -1 and start <= at < start + len(term):
            return True
    e = choose(lookup(word), set(), word, common=_is_common(word))
    if e is not None:
        return True
    # a place of two or three words ("South Kivu", "Cape Town", "Gulf of Aden")
    spans = [m for m in WORD.finditer(line)]
    i = next(k for k, m in enumerate(spans) if m.start() == at)
    for a in range(max(0, i - 2), i + 1):
        for b in range(i + 1, min(len(spans), a + 3) + 1):
            if b - a >= 2 and lookup(line[spans[a].start():spans[b - 1].end()]):
                return True
    return False


def _is_common(word: str) -> bool:
    """An English common word, or an inflection of one ("Strikes", "Bombed", "Meeting")."""
    w = word.lower().replace("’", "'")
    if _small(w):
        return True
    forms = [w]
    if w.endswith("s"):
        forms += [w[:-1], w[:-2], w[:-3] + "y"]
    if w.endswith("ed"):
        forms += [w[:-1], w[:-2], w[:-3]]
    if w.endswith("ing"):
        forms += [w[:-3], w[:-3] + "e", w[:-4]]
    common = english_words()
    return any(f in common for f in forms if len(f) > 1)


def _recase_line(line: str, kind: str) -> str:
    chars = list(line)
    first = True
    for m in WORD.finditer(line):
        w, at = m.group(), m.start()
        lead, first = first, False
        if kind == "caps":
            if not w.isupper():
                continue
            title = w[:1] + w[1:].lower()
            if w in lexicon().terms or len(w) <= 3 and not _is_common(w):
                continue  # "NATO", "UN", "ISIS"
            new = title if (lead or not _is_common(w) or _is_name(title, line[:at] + title + line[m.end():], at)) \
                else w.lower()
        else:
            if lead or not w[:1].isupper() or w.isupper() or not _is_common(w) or _is_name(w, line, at):
                continue
            new = w.lower()
        if len(new) == len(w):
            chars[at:m.end()] = new
    return "".join(chars)


def recase(text: str) -> str:
    """The text with every headline line in sentence case (same length, same offsets)."""
    lines = text.split("\n")
    kinds = [headline_case(line) for line in lines]
    if not any(kinds):
        return text
    return "\n".join(_recase_line(line, kind) if kind else line for line, kind in zip(lines, kinds))
