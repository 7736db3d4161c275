"""The actor lexicon: the shipped actor files (data/actors) with the analyst's override file
merged over them (`overrides`), as surface terms to entries; surnames of listed office holders;
the phrase matcher over every term."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .lexicon import load_yaml
from .overrides import derived_from_actor_files, merged


@dataclass
class Entry:
    kind: str  # country | adjective | people | metonym | org | agent | role | person
    name: str
    country: str | None = None
    sectors: tuple[str, ...] = ()
    role: str | None = None
    offices: tuple = ()
    plural: bool = False
    rank: bool = False

    def office_on(self, when: date | None) -> tuple[str | None, str | None]:
        """(role, country) held on `when` (the latest office when the date is unknown)."""
        best = None
        for o in self.offices:
            if not isinstance(o, dict):
                continue
            start, end = _as_date(o.get("from"), False), _as_date(o.get("to"), True)
            if when is None or ((start is None or start <= when) and (end is None or when <= end)):
                best = o
        if best is None and self.offices and when is None:
            best = self.offices[-1]
        best = best or {}
        # an office may carry its own country: null for an international post (NATO chief)
        return best.get("role"), best["country"] if "country" in best else self.country


def _as_date(v, end: bool) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, date):
        return v
    s = str(v)
    parts = [int(p) for p in s.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
    if len(parts) == 2:
        return date(parts[0], parts[1], 28) if end else date(parts[0], parts[1], 1)
    return date(*parts)


@dataclass
class ActorLexicon:
    terms: dict[str, list[Entry]]  # surface term -> entries
    refs: dict


@derived_from_actor_files
@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return {c["code"]: c["name"] for c in merged("countries")}


def country_name(code: str) -> str:
    """The common English name of an alpha-3 code (the code itself when unlisted)."""
    return _country_names().get(code, code)


@derived_from_actor_files
@lru_cache(maxsize=1)
def lexicon() -> ActorLexicon:
    terms: dict[str, list[Entry]] = {}

    def add(term, entry):
        term = str(term).strip()
        if term:
            terms.setdefault(term, []).append(entry)

    for c in merged("countries"):
        code, name = c["code"], c["name"]
        for t in [name, *(c.get("aliases") or [])]:
            add(t, Entry("country", name, code, ("GOV",)))
        for t in c.get("adjectives") or []:
            add(t, Entry("adjective", name, code, ("GOV",)))
        for t in c.get("people") or []:
            add(t, Entry("people", name, code, ("CVL",), plural=True))
        capital = c.get("capital") if c.get("capital_is_metonym", True) else None
        for t in [capital, *(c.get("metonyms") or [])]:
            if t:
                add(t, Entry("metonym", name, code, ("GOV",)))
    for o in merged("organisations"):
        e = Entry("org", o["name"], o.get("country"), tuple(o.get("sectors") or ()), role=o.get("kind"))
        for t in [o["name"], *(o.get("aliases") or [])]:
            add(t, e)
    for a in merged("agents"):
        e = Entry("agent", a["terms"][0], None, tuple(a.get("sectors") or ()), plural=bool(a.get("plural")))
        for t in a["terms"]:
            add(t, e)
    for r in merged("roles"):
        e = Entry("role", r["role"], None, tuple(r.get("sectors") or ()), role=r["role"], rank=bool(r.get("rank")))
        for t in [r["role"], *(r.get("titles") or [])]:
            add(t, e)
    for p in merged("people"):
        e = Entry("person", p["name"], p.get("country"), ("GOV",), offices=tuple(p.get("offices") or ()))
        for t in [p["name"], *(p.get("aliases") or [])]:
            add(t, e)
    return ActorLexicon(terms, load_yaml("actors/references.yaml"))


def _patronymic(word: str) -> bool:
    return word.lower() in lexicon().refs.get("patronymic_particles", ())


def given_name(tok) -> bool:
    """"Sheikh Hamad bin Khalifa al-Thani": a name the patronymic follows is a given name, no
    surname to look up."""
    return tok.i + 1 < len(tok.doc) and _patronymic(tok.doc[tok.i + 1].text)


@derived_from_actor_files
@lru_cache(maxsize=1)
def surnames() -> dict[str, list[Entry]]:
    """Last names of listed office holders ("Putin", "Mugabe"): news names the famous so."""
    out: dict[str, list[Entry]] = {}
    for term, entries in lexicon().terms.items():
        for e in entries:
            words = term.split()
            # "Salman bin Hamad": after "bin" comes the father's name, no surname ("Sheikh Hamad"
            # is another man)
            if e.kind == "person" and len(words) > 1 and not _patronymic(words[-2]):
                last = words[-1]
                if last[:1].isupper() and e not in out.get(last, []):
                    out.setdefault(last, []).append(e)
    return out


@derived_from_actor_files
@lru_cache(maxsize=1)
def _person_words() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for term, entries in lexicon().terms.items():
        for e in entries:
            if e.kind == "person":
                out.setdefault(e.name, set()).update(w.lower() for w in term.split())
    return out


def name_words(e: Entry) -> set[str]:
    """Every word of a listed person's name and aliases, lower case."""
    return _person_words().get(e.name) or {w.lower() for w in e.name.split()}


def by_surname(word: str, when: date | None) -> Entry | None:
    """The one listed person of that surname in office on the date (or the only one)."""
    cands = surnames().get(word, [])
    if when is not None:
        cands = [e for e in cands if e.office_on(when)[0] is not None] or (cands if len(cands) == 1 else [])
    return cands[0] if len(cands) == 1 else None


def surname_country(word: str) -> str | None:
    """The country every listed person of a surname shares ("President Bush": father or son,
    both American), when the one meant cannot be told."""
    countries = {e.country for e in surnames().get(word, [])}
    return countries.pop() if len(countries) == 1 else None


@derived_from_actor_files
@lru_cache(maxsize=1)
def matcher():
    """A PhraseMatcher over every lexicon term (lower case), built once per process."""
    from spacy.matcher import PhraseMatcher

    from .parse import nlp

    model = nlp()
    m = PhraseMatcher(model.vocab, attr="LOWER")
    lex = lexicon()
    keys = list(lex.terms)
    for start in range(0, len(keys), 2000):
        chunk = keys[start:start + 2000]
        for term, doc in zip(chunk, model.tokenizer.pipe(chunk)):
            m.add(term, [doc])
    return m
