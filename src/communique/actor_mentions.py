"""Actor mentions in a parsed paragraph: the longest lexicon terms that match, and country names
misspelt by one letter."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .actor_lexicon import Entry, lexicon, matcher


PROPER = {"country", "adjective", "people", "metonym", "org", "person"}


@dataclass
class Mention:
    start: int
    end: int  # token offsets in the paragraph doc, end exclusive
    text: str
    entries: list[Entry]

    def best(self, kinds=None) -> Entry | None:
        for e in self.entries:
            if kinds is None or e.kind in kinds:
                return e
        return None


def _case_ok(term: str, span) -> bool:
    text = span.text
    if term.isupper() and len(term) <= 6:  # acronyms: "IS", "US", "SCO" are case-sensitive
        return text == term or text.replace(".", "") == term.replace(".", "")
    return True


def _defined_acronym(doc, start: int, end: int) -> bool:
    """Is the span an acronym in parentheses right after a name ("... Association (AKK)")?"""
    return (end - start == 1 and doc[start].text.isupper() and start >= 2 and end < len(doc)
            and doc[start - 1].text == "(" and doc[end].text == ")" and doc[start - 2].pos_ in ("PROPN", "NOUN"))


KIND_ORDER = {"person": 0, "org": 1, "country": 2, "people": 3, "metonym": 4, "adjective": 5, "role": 6, "agent": 7}


def find_mentions(doc) -> list[Mention]:
    """Longest non-overlapping lexicon matches in a parsed paragraph."""
    lex = lexicon()
    found = []
    for match_id, start, end in matcher()(doc):
        term = doc.vocab.strings[match_id]
        span = doc[start:end]
        entries = lex.terms.get(term, [])
        if not _case_ok(term, span):
            continue
        # proper names must be capitalised in the text ("Turkey", not "turkey")
        entries = [e for e in entries if e.kind not in PROPER or span.text[:1].isupper() or span.text[:1].isdigit()]
        if _defined_acronym(doc, start, end):
            entries = [e for e in entries if e.kind != "person"]  # "Municipality Association (AKK)"
        if entries:
            found.append((start, end, span.text, sorted(entries, key=lambda e: KIND_ORDER[e.kind])))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: set[int] = set()
    out = []
    for start, end, text, entries in found:
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        out.append(Mention(start, end, text, entries))
    out = [m for m in out if not _given_name(doc, m, taken)]
    out.extend(_misspelt_countries(doc, taken))
    out.sort(key=lambda m: m.start)
    return out


def _given_name(doc, m: Mention, taken: set[int]) -> bool:
    """A country's name that begins a person's here ("Chad Wolf", "Jordan Peterson"): no actor."""
    from .places import begins_a_name

    return m.end - m.start == 1 and m.entries[0].kind == "country" and m.end not in taken \
        and begins_a_name(doc, m.start)


MISSPELT_MIN_LENGTH = 6  # "Iran"/"Iraq", "Mali"/"Bali": short names are one letter from others


@lru_cache(maxsize=1)
def _one_word_countries() -> dict[int, list[tuple[str, Entry]]]:
    out: dict[int, list[tuple[str, Entry]]] = {}
    for term, entries in lexicon().terms.items():
        if " " not in term and len(term) >= MISSPELT_MIN_LENGTH - 1:
            for e in entries:
                if e.kind == "country":
                    out.setdefault(len(term), []).append((term.lower(), e))
    return out


def _one_edit(a: str, b: str) -> bool:
    """One letter inserted, dropped, replaced or two swapped ("Afganistan", "Quatar", "Phillippines")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


def _misspelt_countries(doc, taken: set[int]) -> list[Mention]:
    """A capitalised name one letter from a country's, that is neither a place the gazetteer
    knows nor an English word: scraped and wire text misspell countries."""
    from .places import is_common_word, lookup

    out = []
    for t in doc:
        w = t.text
        if t.i in taken or t.pos_ != "PROPN" or not w.isalpha() or not w[:1].isupper() \
                or len(w) < MISSPELT_MIN_LENGTH or is_common_word(w) or lookup(w):
            continue
        if any(0 <= j < len(doc) and doc[j].pos_ == "PROPN" for j in (t.i - 1, t.i + 1)):
            continue  # a piece of a longer name ("Graham Greene", "Frances Ha")
        low = w.lower()
        hits = {e.name: e for n in (len(w) - 1, len(w), len(w) + 1) for term, e in _one_word_countries().get(n, [])
                if term[0] == low[0] and _one_edit(low, term)}
        if len(hits) == 1:
            out.append(Mention(t.i, t.i + 1, w, list(hits.values())))
    return out
