"""Stage 3, actors: lexicon mentions in a parsed paragraph, noun phrases resolved to actors,
and in-document reference (surnames, pronouns, "the two sides").

Dictionary knowledge comes first: the small model's labels are not used at all, only its
part-of-speech tags and dependency tree.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from .lexicon import load_yaml
from .overrides import merged
from .model import Actor

log = logging.getLogger(__name__)

PROPER = {"country", "adjective", "people", "metonym", "org", "person"}
# dependency labels that keep a token inside the noun phrase of its head
NP_LEFT = {"det", "poss", "amod", "compound", "nmod", "nummod", "quantmod", "case", "punct", "predet", "advmod", "npadvmod"}
NP_RIGHT = {"appos", "compound", "flat", "case", "punct", "nummod"}


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


ROLE_SECTORS = {"GOV"}


@dataclass
class ActorLexicon:
    terms: dict[str, list[Entry]]  # surface term -> entries
    refs: dict


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return {c["code"]: c["name"] for c in merged("countries")}


def country_name(code: str) -> str:
    """The common English name of an alpha-3 code (the code itself when unlisted)."""
    return _country_names().get(code, code)


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


def _given_name(tok) -> bool:
    """"Sheikh Hamad bin Khalifa al-Thani": a name the patronymic follows is a given name, no
    surname to look up."""
    return tok.i + 1 < len(tok.doc) and _patronymic(tok.doc[tok.i + 1].text)


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


def _conjoined_adjectives(tokens) -> bool:
    return any(t.dep_ == "conj" for t in tokens)


def _is_place(name: str) -> bool:
    from .places import lookup

    return bool(lookup(name))


def _case_ok(term: str, span) -> bool:
    text = span.text
    if term.isupper() and len(term) <= 6:  # acronyms: "IS", "US", "SCO" are case-sensitive
        return text == term or text.replace(".", "") == term.replace(".", "")
    return True


def _ethnic(head, tokens) -> bool:
    """"ethnic Albanians", "ethnic Albanian guerrillas": a people named as an ethnicity."""
    return any(t.lower_ == "ethnic" and t.i < head.i for t in tokens)


def _defined_acronym(doc, start: int, end: int) -> bool:
    """Is the span an acronym in parentheses right after a name ("... Association (AKK)")?"""
    return (end - start == 1 and doc[start].text.isupper() and start >= 2 and end < len(doc)
            and doc[start - 1].text == "(" and doc[end].text == ")" and doc[start - 2].pos_ in ("PROPN", "NOUN"))


def _stance_prefixed(doc, m) -> bool:
    """"an anti-Syria journalist", "pro-Russian separatists" name a stance, not a nationality."""
    i = m.start
    if i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in ("anti", "pro"):
        return True
    return i >= 1 and doc[i - 1].lower_ in ("anti-", "pro-")


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
    out.extend(_misspelt_countries(doc, taken))
    out.sort(key=lambda m: m.start)
    return out


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


@dataclass
class Context:
    """What a document has said so far, for references back."""

    published: date | None
    people: dict[str, Actor] = field(default_factory=dict)  # name -> actor
    by_part: dict[str, Actor] = field(default_factory=dict)  # surname or family name -> actor
    last_person: Actor | None = None
    last_subject_person: Actor | None = None
    last_thing: Actor | None = None
    parties: list[Actor] = field(default_factory=list)
    groups: list[list[Actor]] = field(default_factory=list)  # countries named together, in order
    # head word -> the national agents named with it ("An Indian Air Force pilot", "The US
    # Treasury"), for "the pilot" and a bare "Treasury" later
    agents: dict[str, dict[str, Actor]] = field(default_factory=dict)
    # the countries the report names (and its armed groups fight in): where its small places are
    countries: set[str] = field(default_factory=set)

    def remember(self, actor: Actor, subject: bool = False) -> None:
        if actor.kind == "person" and actor.name:
            self.people[actor.name] = actor
            for name in (actor.name, actor.text):
                parts = [p.rstrip(".") for p in name.split()]
                if len(parts) > 1:
                    for p in (parts[0], parts[-1]):
                        if p[:1].isupper():
                            self.by_part.setdefault(p, actor)
            self.last_person = actor
            if subject:
                self.last_subject_person = actor
        elif actor.kind in ("state", "org", "igo", "agency", "armed_group") and subject:
            self.last_thing = actor

    def remember_agent(self, actor: Actor) -> None:
        if actor.kind == "agent" and actor.country and actor.text:
            self.agents.setdefault(head_word(actor), {})[actor.country] = actor

    def agent_named(self, word: str) -> Actor | None:
        """The one national agent named with this head word so far; None when none or several
        ("Indian and Chinese troops ... the troops" could be either)."""
        seen = self.agents.get(word.lower()) or {}
        return next(iter(seen.values())) if len(seen) == 1 else None


def head_word(actor: Actor) -> str:
    """An agent's head word, lower case ("The US Treasury" -> "treasury")."""
    return actor.text.split()[-1].lower() if actor.text else ""


class Resolver:
    """Turns the head token of a noun phrase into the actors it names."""

    def __init__(self, doc, mentions: list[Mention], ctx: Context):
        self.doc = doc
        self.ctx = ctx
        self.by_token: dict[int, Mention] = {}
        for m in mentions:
            for i in range(m.start, m.end):
                self.by_token[i] = m
        self.refs = lexicon().refs

    # -- noun phrase shape -------------------------------------------------------------
    def np_tokens(self, head) -> list:
        out = [head]
        for child in head.children:
            if child.dep_ in NP_LEFT and child.i < head.i:
                out.extend(child.subtree)
            elif child.dep_ in NP_RIGHT and child.i > head.i:
                out.extend(t for t in child.subtree if t.dep_ not in ("relcl", "acl"))
        return sorted(set(out), key=lambda t: t.i)

    def conjuncts(self, head) -> list:
        out = [head]
        for child in head.children:
            if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON", "ADJ"):
                out.extend(self.conjuncts(child))
        return out

    def mention_of(self, token) -> Mention | None:
        return self.by_token.get(token.i)

    def countries_in(self, tokens) -> list[tuple[str, str]]:
        out = []
        seen = set()
        for t in tokens:
            m = self.mention_of(t)
            if m and id(m) not in seen and not _stance_prefixed(t.doc, m):
                seen.add(id(m))
                e = m.best({"country", "adjective", "people", "metonym"})
                if e and e.country:
                    out.append((e.country, m.text))
                else:
                    p = m.best({"person", "org"})
                    if p and p.country and t.dep_ in ("poss", "compound", "amod", "nmod"):
                        out.append((p.country, m.text))  # "Houthi supporters", "a Hamas official"
        return out

    # -- resolution --------------------------------------------------------------------
    def resolve(self, head) -> list[Actor]:
        actors = []
        for h in self.conjuncts(head):
            actors.extend(self.resolve_one(h))
        # one actor per distinct identity
        seen, out = set(), []
        for a in actors:
            k = a.key()
            if k not in seen:
                seen.add(k)
                out.append(a)
        countries = {a.country for a in out if a.country}
        if len(out) >= 2 and len(countries) == len(out):
            keys = [a.key() for a in out]
            if not any([g.key() for g in grp] == keys for grp in self.ctx.groups):
                self.ctx.groups.append(out)
        return out

    def _counted_group(self, h) -> list[Actor] | None:
        """"the four countries", "the three states": the last group of that many named together."""
        n = next((c for c in h.children if c.dep_ == "nummod"), None)
        if n is None:
            return None
        from .casualties import number

        count = number(n)
        for grp in reversed(self.ctx.groups):
            if len(grp) == count:
                return list(grp)
        return None

    def of_from_lists(self, head) -> list:
        """"the ministers of X, Y and Z" / "his counterparts from X, Y": the countries listed."""
        out = []
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        out.extend(self.conjuncts(pobj))
        return out

    def resolve_one(self, h) -> list[Actor]:
        low = h.lower_
        refs = self.refs
        if h.pos_ == "PRON" or low in refs.get("person", []) and h.tag_ in ("PRP", "PRP$"):
            reporter = self._reporter(h)
            if reporter:
                return reporter
            if low in refs.get("person", []):
                if h.dep_ in ("dobj", "pobj"):
                    other = self._object_antecedent(h, ("person", "role", "agent"))
                    if other is not None:
                        return [other]
                elif h.dep_ in ("nsubj", "nsubjpass"):
                    above = self._governing_person(h)
                    if above is not None:
                        return [above]
                p = self.ctx.last_subject_person or self.ctx.last_person
                return [p] if p else []
            if low in refs.get("thing", []):
                if h.dep_ in ("dobj", "pobj"):
                    other = self._object_antecedent(h)
                    if other is not None:
                        return [other]
                return [self.ctx.last_thing] if self.ctx.last_thing else []
            if low in refs.get("group", []):
                return list(self.ctx.parties)
            return []
        if low in refs.get("others", []) and h.dep_ == "dobj" and h.head.dep_ == "conj":
            first = next((c for c in h.head.head.children if c.dep_ == "dobj"), None)
            return self.resolve(first) if first is not None else []
        if low in self.refs.get("quantities", []) or h.pos_ == "NUM":
            # "thousands of Serbian students", "dozens of opposition supporters"
            for prep in (c for c in h.children if c.dep_ == "prep" and c.lower_ == "of"):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    return self.resolve(pobj)
        tokens = self.np_tokens(h)
        m = self.mention_of(h)
        listed = [t for t in self.of_from_lists(h) if self.mention_of(t)]
        modifiers = [t for t in tokens if t.i != h.i]
        mod_countries = [] if _ethnic(h, tokens) else self.countries_in(modifiers)
        country = mod_countries[0][0] if mod_countries else None
        if country is None and h.pos_ == "NOUN" and m is not None and m.entries[0].kind in ("agent", "role"):
            country = self._located(h)  # only people are located so; "a ceasefire in Sudan" is no actor
            if country is None:
                country = self._named_place(h)  # "the Sindh government", "Kabul police"

        person = self._person_in(tokens)
        role = self._role_in(tokens)
        if person is not None:
            return [person]
        if m is not None:
            e = m.entries[0]
            if e.kind in ("people", "adjective") and _ethnic(h, tokens):
                # "ethnic Albanians in Serbia": people of the place they live in, not of Albania
                return [Actor(self._text(tokens), None, None, self._located(h), ["CVL"], "agent")]
            if e.kind in ("country", "people", "metonym"):
                kind = "state" if e.kind != "people" else "agent"
                home = self._located(h) if e.kind == "people" else None
                if e.kind == "people" and home is None:
                    # "Bosnian Serbs", "Iraqi Kurds": the adjective says where they live
                    home = next((c for c, _ in mod_countries if c != e.country), None)
                return [Actor(m.text, e.name, None, home or e.country, list(e.sectors), kind)]
            if e.kind == "adjective":  # "the Indians" is rare; "Indian" as head = its people
                return [Actor(m.text, e.name, None, e.country, ["CVL"], "agent")]
            if e.kind == "org":
                return [Actor(m.text, e.name, None, e.country, list(e.sectors), e.role or "org")]
            if e.kind == "role" and not listed:
                named = self._named_person(tokens, e, country)
                if named is not None:
                    return [named]
                if country is None and any(c.dep_ == "det" and c.lower_ == "the" for c in h.children):
                    holder = self._last_holder(e.role)
                    if holder is not None:
                        return [holder]  # "the crown prince" after "Saudi Crown Prince Mohammed bin Salman"
            if e.kind == "agent" and country is None and not listed and h.pos_ == "NOUN" and any(
                    c.dep_ == "det" and c.lower_ == "the" for c in h.children) and not self._is_parties(h):
                earlier = self.ctx.agent_named(h.lower_)
                if earlier is not None:
                    return [earlier]  # "the pilot" after "An Indian Air Force pilot"
            if e.kind in ("role", "agent"):
                base = Actor(self._text(tokens), None, e.role if e.kind == "role" else None, country,
                             list(e.sectors), "person" if e.kind == "role" and not e.plural else "agent")
                per = self._per_country(base, listed) if listed else []
                if per:
                    return per  # "the ministers of X and Y"; "Union of Teachers" lists no country
                if len({c for c, _ in mod_countries}) > 1 and _conjoined_adjectives(modifiers):
                    return self._national(base, mod_countries)
                if country is None and self._is_parties(h):
                    return self._counted_group(h) or list(self.ctx.parties)
                if country is None:
                    org = self._org_in(modifiers)
                    if org is not None:
                        base.country = org.country
                return [base]
        if m is None or m.entries[0].kind in ("role", "agent"):
            for t in self.of_from_lists(h):
                om = self.mention_of(t)
                org = om.best({"org"}) if om else None
                if org is not None and om.entries[0].kind == "org":
                    return [Actor(self._text(tokens) + f" ({om.text})", org.name, role[0] if role else None,
                                  org.country, list(org.sectors), org.role or "org")]
        if listed and (m is None or m.entries[0].kind in ("role", "agent")):
            base = Actor(self._text(tokens), None, role[0] if role else None, None,
                         list(role[1]) if role else ["GOV"], "person" if role else "agent")
            per = self._per_country(base, listed)
            if per:
                return per
        owner = next((c for c in h.children if c.dep_ == "poss"), None)
        if m is None and owner is not None and not mod_countries:
            # a pronoun owner only as the speaker's own ("the ministry said its missiles ...")
            owned = self._reporter(owner) if owner.pos_ == "PRON" else self.resolve_one(owner)
            owned = [a for a in owned if a.country]
            if owned:
                return owned  # "The captain's Su-25 jet was downed": the pilot's, not a person's name
        if h.pos_ == "NOUN" and m is None and h.text[:1].isupper() and not tokens[1:]:
            # "Guterres unequivocally condemned": the parser may tag a bare surname opening a
            # sentence as a common noun; a name already met, or a listed office holder, is still one
            known = self._known_person(h, tokens, famous_too=True)
            if known is not None:
                return [known]
        if h.pos_ == "PROPN":
            known = self._known_person(h, tokens, famous_too=m is None)
            if known is not None:
                return [known]
            name = self._name(tokens)
            if country is None and m is None and not _given_name(h):
                country = surname_country(h.text.rstrip("."))
            if name and role is not None:
                r_role, r_sectors = role
                return [Actor(self._text(tokens), name, r_role, country, list(r_sectors), "person")]
            if name and len(name.split()) >= 2 and m is None and not _is_place(name):
                # an unlisted full name ("Yahya Saree"): a person whose country is not known
                return [Actor(self._text(tokens), name, None, country, [], "person")]
        if listed and h.pos_ in ("NOUN", "PROPN"):
            base = Actor(self._text(tokens), None, None, None, [], "agent")
            if low in refs.get("parties", []) or h.lemma_ in refs.get("parties", []):
                base.sectors = ["GOV"]
                per = self._per_country(base, listed)
                if per:
                    return per
        if self._is_parties(h):
            return self._counted_group(h) or list(self.ctx.parties)
        if country is None and h.pos_ == "NOUN" and m is None:
            body = self._org_modifier(h)
            if body is not None:
                return [body]  # "its European Community partners", "a Security Council resolution"
        if country is None and h.pos_ == "NOUN" and m is None:
            owner = self._owner(h)
            if owner:
                return owner  # "a camp for Congolese refugees", "the homes of Palestinians"
        if country is not None and (h.pos_ in ("NOUN", "PROPN") or h.tag_ == "VBG"):
            # "Indian officials", "Chinese personnel": a national agent not in the lexicon
            base = Actor(self._text(tokens), None, None, country, [], "agent")
            if len({c for c, _ in mod_countries}) > 1 and _conjoined_adjectives(modifiers):
                return self._national(base, mod_countries)
            return [base]
        if listed and h.pos_ == "NOUN" and m is None:
            # "leaders of the opposition coalition": the group they speak for
            return [a for t in listed for a in self.resolve_one(t)]
        return []

    def _national(self, base: Actor, mod_countries) -> list[Actor]:
        """One actor per nationality when a phrase names several ("Indian and French warships")."""
        codes = list(dict.fromkeys(c for c, _ in mod_countries))
        if len(codes) < 2:
            return [base]
        return [replace(base, country=c, text=f"{base.text} ({c})") for c in codes]

    def _named_person(self, tokens, role: Entry, country: str | None) -> Actor | None:
        """"Peru's Foreign Minister, Ambassador Javier Gonzalez-Olaechea": the office holder named in apposition."""
        name = self._name(tokens)
        if not name:
            return None
        known = self.ctx.people.get(name)
        if known is not None:
            return known
        for e in lexicon().terms.get(name, []):
            if e.kind == "person":
                r, c = e.office_on(self.ctx.published)
                return Actor(self._text(tokens), e.name, r or role.role, c or country, list(e.sectors), "person", known=True)
        return Actor(self._text(tokens), name, role.role, country, list(role.sectors), "person")

    def _owner(self, h) -> list[Actor]:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "for"):
                for p in c.children:
                    if p.dep_ == "pobj" and p.pos_ in ("NOUN", "PROPN"):
                        found = [a for a in self.resolve(p) if a.country]
                        if found:
                            return found
        return []

    def _last_holder(self, role: str) -> Actor | None:
        for a in reversed(list(self.ctx.people.values())):
            if a.role == role:
                return a
        return None

    def _located(self, h) -> str | None:
        """"opposition groups in Zimbabwe", "residents of Gaza": the country a group is in."""
        from .places import choose, lookup

        preps = [c for c in h.children if c.dep_ == "prep"]
        # "a newspaper based in Beirut", "a group headquartered in Gaza"
        preps += [g for c in h.children if c.dep_ == "acl" and c.lemma_.lower() in self.refs.get("locating_verbs", ())
                  for g in c.children if g.dep_ == "prep"]
        for c in preps:
            if c.lower_ in ("in", "of", "from"):
                for p in c.children:
                    names = [t for t in p.children if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i < p.i]
                    if p.dep_ == "pobj" and p.pos_ == "NOUN" and names:
                        # "the deputy governor of the Tyumen region": the region's name
                        p = names[-1]
                    if p.dep_ in ("pobj", "compound") and p.pos_ == "PROPN":
                        span = p.doc[p.left_edge.i:p.i + 1]
                        for text in (span.text, p.text):
                            # one known by this very name first ("residents of Samar": the
                            # Philippine province, not an old name of Samara)
                            best = choose([e for e in lookup(text) if e.country], self.ctx.countries, text)
                            if best is not None:
                                return best.country
                        named = self.countries_in(list(p.subtree))  # "of the Syrian Golan Heights"
                        if named:
                            return named[0][0]
        return None

    def _named_place(self, h) -> str | None:
        """The country of a place named as a compound of an agent ("the Sindh government")."""
        from .places import _notable, choose, lookup

        for c in h.children:
            if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < h.i and self.mention_of(c) is None:
                # a province or a large city only: "the Freedom party" is no town's; one known by
                # this very name first ("Samar residents": the province, not Samara's old name)
                best = choose([e for e in lookup(c.text) if e.country and _notable(e)], self.ctx.countries, c.text)
                if best is not None:
                    return best.country
        return None

    def _object_antecedent(self, pron, kinds=("country", "metonym")) -> Actor | None:
        """An object pronoun is not its own clause's subject ("The four states cut ties with
        Qatar, accusing it of ...": it is Qatar; "the pilot walked back after Pakistan handed
        him over": him is the pilot): the nearest state (or, for "him"/"her", person) named
        before it in the sentence outside the subject."""
        clause = pron.head.head if pron.dep_ == "pobj" else pron.head
        for _ in range(4):
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children) or clause.head.i == clause.i:
                break
            if clause.dep_ not in ("advcl", "xcomp", "conj", "acl", "pcomp", "prep"):
                break
            clause = clause.head
        subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            return None
        inside = {t.i for t in subj.subtree}
        own = {a.country for a in self.resolve(subj) if a.country}
        for tok in reversed(list(pron.sent)[: pron.i - pron.sent.start]):
            m = self.mention_of(tok)
            if tok.i in inside or m is None or m.entries[0].kind not in kinds:
                continue
            e = m.entries[0]
            if e.kind in ("country", "metonym"):
                if tok.dep_ in ("compound", "amod", "nmod", "poss") and tok.head.i not in range(m.start, m.end):
                    continue  # "US Secretary of State Blinken welcomed ..., while X described it": not the US
                if e.country and e.country not in own:
                    return Actor(m.text, e.name, None, e.country, list(e.sectors), "state")
                continue
            head = tok
            while head.dep_ in ("compound", "amod", "nmod") and head.head.i != head.i:
                head = head.head
            found = [a for a in self.resolve_one(head) if a.kind in ("person", "agent") and a.country not in own]
            if found:
                return found[0]
        return None

    def _known_person(self, h, tokens, famous_too: bool) -> Actor | None:
        """The person a surname names: one met before in the report, else (with `famous_too`) the
        listed office holder of that surname in office on the report's date."""
        part = h.text.rstrip(".")
        known = self.ctx.by_part.get(part) or self.ctx.people.get(h.text)
        if known is not None or not famous_too:
            return known
        if _given_name(h):
            return None
        famous = by_surname(part, self.ctx.published)
        if famous is None:
            return None
        r, c = famous.office_on(self.ctx.published)
        return Actor(self._text(tokens), famous.name, r, c, list(famous.sectors), "person", known=True)

    def _governing_person(self, pron) -> Actor | None:
        """"Al-Ezzi warned that they would pay a price for what he called an aggression": a
        subject pronoun deep in a sentence is the person who is the subject of a clause above it."""
        node = pron.head
        for _ in range(8):
            if node.head.i == node.i:
                return None
            node = node.head
            subj = next((c for c in node.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
            if subj is not None and subj.i < pron.i:
                people = [a for a in self.resolve(subj) if a.kind == "person"]
                if people:
                    return people[0]  # a state in between ("Washington would pay") is no "he"
        return None

    def _reporter(self, pron) -> list[Actor]:
        """In "X said (that) it/he would ..." or "X said its forces had ...", the pronoun subject
        of the reported clause, or its subject's possessor, is X."""
        low = pron.lower_
        pronouns = set(self.refs.get("person", [])) | set(self.refs.get("thing", [])) | set(self.refs.get("group", []))
        if low not in pronouns:
            return []
        if pron.dep_ == "poss" and pron.head.dep_ in ("nsubj", "nsubjpass"):
            clause = pron.head.head  # "the ministry said its missiles had destroyed ...": its own
        elif pron.dep_ in ("nsubj", "nsubjpass"):
            clause = pron.head
        else:
            return []
        while clause.dep_ in ("conj", "xcomp") and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ != "ccomp":
            return []
        gov = clause.head
        subj = next((c for c in gov.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
        if subj is None:
            return []
        found = self.resolve(subj)
        if low in self.refs.get("person", []):
            found = [a for a in found if a.kind == "person"]
        elif low in self.refs.get("thing", []):
            found = [a for a in found if a.kind != "person"] or found
        return found

    def _per_country(self, base: Actor, listed) -> list[Actor]:
        out = []
        for t in listed:
            for country, text in self.countries_in([t]):
                out.append(Actor(f"{base.text} ({text})", None, base.role, country, list(base.sectors) or ["GOV"], base.kind))
        return out

    def _is_parties(self, h) -> bool:
        refs = self.refs
        if h.lemma_ not in refs.get("parties", []) and h.lower_ not in refs.get("parties", []):
            return False
        if h.lemma_ in refs.get("parties_need_plural", []) and h.tag_ not in ("NNS", "NNPS"):
            return False
        markers = set(refs.get("parties_markers", []))
        left = [c.lower_ for c in h.children if c.i < h.i]
        if h.lemma_ == "side":
            return bool(set(left) & markers)
        return bool(set(left) & markers) and bool(self.ctx.parties or self.ctx.groups)

    def _person_in(self, tokens) -> Actor | None:
        for t in tokens:
            m = self.mention_of(t)
            if m is None:
                continue
            e = m.best({"person"})
            if e is None or m.entries[0].kind != "person":
                continue
            role, country = e.office_on(self.ctx.published)
            role_here = self._role_in(tokens)
            if role_here and not role:
                role = role_here[0]
            known = self.ctx.people.get(e.name)
            if known is not None:
                return known
            return Actor(m.text, e.name, role, country, list(e.sectors), "person", known=True)
        return None

    def _role_in(self, tokens):
        for t in tokens:
            m = self.mention_of(t)
            if m is not None:
                e = m.best({"role"})
                if e is not None and not e.rank:
                    return e.role, e.sectors
        for t in tokens:
            m = self.mention_of(t)
            if m is not None:
                e = m.best({"role"})
                if e is not None:
                    return e.role, e.sectors
        return None

    def _org_modifier(self, h) -> Actor | None:
        """An international body named as a compound of an unlisted noun: the body itself."""
        for c in h.children:
            if c.dep_ == "compound" and c.i < h.i:
                om = self.mention_of(c)
                e = om.best({"org"}) if om else None
                if e is not None and om.entries[0].kind == "org" and not e.country:
                    return Actor(om.text, e.name, None, None, list(e.sectors), e.role or "org")
        return None

    def _org_in(self, tokens) -> Entry | None:
        for t in tokens:
            m = self.mention_of(t)
            if m is not None:
                e = m.best({"org"})
                if e is not None and e.country:
                    return e
        return None

    def _name(self, tokens) -> str | None:
        """The personal name in a phrase: proper nouns that are no title and no country."""
        words = []
        for t in tokens:
            if t.pos_ != "PROPN":
                continue
            m = self.mention_of(t)
            if m is not None and m.entries[0].kind in ("role", "country", "adjective", "metonym", "org", "agent"):
                continue
            words.append(t.text.rstrip("."))
        return " ".join(words) if words else None

    def _text(self, tokens) -> str:
        """The phrase as written, up to its head and the names that follow it (no clauses)."""
        if not tokens:
            return ""
        doc = tokens[0].doc
        head = min(tokens, key=lambda t: len(list(t.ancestors)))
        end = head.i
        for t in tokens:
            if t.i > head.i and t.i == end + 1 and t.dep_ in ("compound", "flat", "appos") and t.pos_ == "PROPN":
                end = t.i
        start = tokens[0].i
        while start < end and doc[start].dep_ in ("det", "punct", "case"):
            start += 1
        return doc[start:end + 1].text.strip(" ,")
