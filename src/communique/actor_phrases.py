"""Noun phrases read against the actor mentions found in them: the tokens of a phrase, the
countries, people, roles and organisations it names, where a group is located. `PhraseReader`
is the base of the actor `Resolver`, which turns these into actors."""
from __future__ import annotations

from dataclasses import replace

from .actor_context import Context
from .actor_lexicon import Entry, lexicon
from .actor_mentions import Mention
from .model import Actor


# dependency labels that keep a token inside the noun phrase of its head
NP_LEFT = {"det", "poss", "amod", "compound", "nmod", "nummod", "quantmod", "case", "punct", "predet", "advmod", "npadvmod"}
NP_RIGHT = {"appos", "compound", "flat", "case", "punct", "nummod"}
# what may stand between two names of a list ("Mali, Burkina Faso and the Niger"), and what
# makes it one
_LIST_GAP = {",", "and", "&", "the"}
_LIST_JOIN = {",", "and", "&"}


def _stance_prefixed(doc, m) -> bool:
    """"an anti-Syria journalist", "pro-Russian separatists" name a stance, not a nationality."""
    i = m.start
    if i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in ("anti", "pro"):
        return True
    return i >= 1 and doc[i - 1].lower_ in ("anti-", "pro-")


class PhraseReader:
    """The shape of a noun phrase and the lexicon mentions inside it."""

    def __init__(self, doc, mentions: list[Mention], ctx: Context):
        self.doc = doc
        self.ctx = ctx
        self.by_token: dict[int, Mention] = {}
        for m in mentions:
            for i in range(m.start, m.end):
                self.by_token[i] = m
        self.refs = lexicon().refs
        self.posted_roles = frozenset(self.refs.get("posted_roles", ()))  # see _posting

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
        m = self.mention_of(head)
        for child in head.children:
            if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON", "ADJ"):
                if m is not None and any(self.mention_of(t) is m for t in child.subtree):
                    # "Trinidad and Tobago's prime minister": one phrase that the parser split at
                    # the "and" inside the country's name; the minister is the actor
                    return self.conjuncts(child)
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

    def _country_mention(self, i: int) -> tuple[Mention, Entry] | None:
        m = self.by_token.get(i)
        if m is None or _stance_prefixed(self.doc, m):
            return None
        e = m.best({"country", "adjective", "people", "metonym"})
        return (m, e) if e is not None and e.country else None

    def _listed_beside(self, m: Mention, step: int, sent) -> Mention | None:
        """The country named next in a list from mention `m` ("Canada, Mexico", "Kenya and
        Uganda"): only commas, "and", "&" and "the" between them, one joining word at least."""
        i, gap = (m.start - 1, []) if step < 0 else (m.end, [])
        while sent.start <= i < sent.end and self.doc[i].lower_ in _LIST_GAP:
            gap.append(self.doc[i].lower_)
            i += step
        if not _LIST_JOIN.intersection(gap) or not sent.start <= i < sent.end:
            return None
        found = self._country_mention(i)
        if found is None:
            return None
        other = found[0]
        if step < 0 and (self.doc[other.start].dep_ == "pobj" or other.start > sent.start
                         and self.doc[other.start - 1].pos_ == "ADP"):
            return None  # "In Kyiv, Russian forces ...": a place told first is no party
        return other

    def listed_countries(self, head) -> list[tuple[Mention, Entry]]:
        """The countries of a list of names joined by commas or "and" that ends at or just before
        the phrase's head: "Canada, Mexico vow ...", "Bahrain, Saudi, UAE police", "Spanish,
        Israeli, Polish SAR teams". Headlines leave such lists unparsed (read as apposition or
        compounds), so the parse's conjuncts miss all but one. Each name with its lexicon entry
        (which has the country); empty when there is no list."""
        doc, sent = self.doc, head.sent
        i = head.i
        if self._country_mention(i) is None:
            # step over the head's own modifiers that name no country ("SAR" in "Polish SAR
            # teams") to the last name of the list, which must modify the head too
            i -= 1
            while (i >= sent.start and self._country_mention(i) is None
                   and doc[i].head.i == head.i and doc[i].dep_ in ("compound", "amod")):
                i -= 1
            if i < sent.start or doc[i].head.i != head.i:
                return []
        found = self._country_mention(i)
        if found is None:
            return []
        anchor = found[0]
        run = [anchor]
        m = anchor
        while (m := self._listed_beside(m, -1, sent)) is not None:
            run.insert(0, m)
        if anchor.start <= head.i < anchor.end:  # the head itself is a name: the list may go on
            m = anchor
            while (m := self._listed_beside(m, +1, sent)) is not None:
                run.append(m)
        if len(run) < 2:
            return []
        return [self._country_mention(m.start) for m in run]

    def of_from_lists(self, head) -> list:
        """"the ministers of X, Y and Z" / "his counterparts from X, Y": the countries listed."""
        out = []
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        out.extend(self.conjuncts(pobj))
        return out

    def _national(self, base: Actor, mod_countries) -> list[Actor]:
        """One actor per nationality when a phrase names several ("Indian and French warships")."""
        codes = list(dict.fromkeys(c for c, _ in mod_countries))
        if len(codes) < 2:
            return [base]
        return [replace(base, country=c, text=f"{base.text} ({c})") for c in codes]

    def _posting(self, h, m) -> set[int]:
        """The tokens of a diplomat's posting ("envoy for Ukraine", "ambassador to Kenya"), whose
        country is the host's; empty for any other head."""
        role = m.best({"role"}) if m is not None else None
        if role is None or role.role not in self.posted_roles:
            return set()
        return {t.i for c in h.children if c.dep_ == "prep" and c.lower_ in ("to", "for", "in")
                for t in c.subtree}

    def posted_to(self, h) -> str | None:
        """The host country of a diplomat's posting, if the phrase (or its apposition: "Kurt
        Lind, the special envoy for Ukraine") names one."""
        for x in [h] + [c for c in h.children if c.dep_ == "appos"]:
            found = self.countries_in([x.doc[i] for i in sorted(self._posting(x, self.mention_of(x)))])
            if found:
                return found[0][0]
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
                # the whole name ending in it: "New York state attorney general" is New York's, not York's
                start = c.i
                while start > 0 and c.doc[start - 1].dep_ == "compound" and c.doc[start - 1].pos_ == "PROPN" \
                        and start <= c.doc[start - 1].head.i <= c.i:
                    start -= 1
                name = c.doc[start:c.i + 1].text
                # a province or a large city only: "the Freedom party" is no town's; one known by
                # this very name first ("Samar residents": the province, not Samara's old name)
                best = choose([e for e in lookup(name) if e.country and _notable(e)], self.ctx.countries, name)
                if best is not None:
                    return best.country
        return None

    def _per_country(self, base: Actor, listed) -> list[Actor]:
        out = []
        for t in listed:
            for country, text in self.countries_in([t]):
                out.append(Actor(f"{base.text} ({text})", None, base.role, country, list(base.sectors) or ["GOV"], base.kind))
        return out

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
