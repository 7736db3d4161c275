"""Stage 3, actors: noun phrases resolved to actors, and in-document reference (surnames,
pronouns, "the two sides"). The lexicon is in `actor_lexicon`, its mentions in a paragraph in
`actor_mentions`, the shape of a phrase in `actor_phrases`.

Dictionary knowledge comes first: the small model's labels are not used at all, only its
part-of-speech tags and dependency tree.
"""
from __future__ import annotations

from dataclasses import replace

from .actor_lexicon import Entry, by_surname, given_name, lexicon, name_words, surname_country
from .actor_phrases import PhraseReader
from .dates import is_time_word, names_a_date
from .model import Actor


_QUOTE_MARKS = {'"', "“", "”", "``", "''"}


def _given_names(written: str | None) -> list[str]:
    """The given names of a name as written, initials left out ("G. W. Bush": none)."""
    return [w.lower() for w in (written or "").split()[:-1] if len(w.rstrip(".")) > 1]


def _told_as_time(tok) -> bool:
    """Is a word that names both a time and a person ("May", "June") the time here?"""
    start = tok.idx - tok.sent.start_char
    return names_a_date(tok.sent.text, start, start + len(tok.text))


def _same_given_names(written: str | None, famous: Entry) -> bool:
    """Can the name as written be the listed person's? "President Samia Suluhu Hassan" is not
    Jafar Hassan, though they share a surname; initials and a bare surname are no objection."""
    known = name_words(famous)
    return all(w in known for w in _given_names(written))


def _conjoined_adjectives(tokens) -> bool:
    return any(t.dep_ == "conj" for t in tokens)


def _is_place(name: str) -> bool:
    from .places import lookup

    return bool(lookup(name))


def _ethnic(head, tokens) -> bool:
    """"ethnic Albanians", "ethnic Albanian guerrillas": a people named as an ethnicity."""
    return any(t.lower_ == "ethnic" and t.i < head.i for t in tokens)


def distinct_actors(actors: list) -> list:
    """One actor per identity (`Actor.key`), the first named kept, in order."""
    seen, out = set(), []
    for a in actors:
        if a.key() not in seen:
            seen.add(a.key())
            out.append(a)
    return out


class Resolver(PhraseReader):
    """Turns the head token of a noun phrase into the actors it names."""

    # -- resolution --------------------------------------------------------------------
    def resolve(self, head, within: tuple[int, int] | None = None) -> list[Actor]:
        """The actors a phrase names; `within`, the phrase's token range where another reader
        (the tagger) has drawn its bounds, keeps a list of names from reaching past them."""
        actors = [a for h in self.conjuncts(head) for a in self.resolve_posted(h)]
        # one actor per distinct identity
        seen, out = set(), []
        for a in actors:
            k = a.key()
            if k not in seen:
                seen.add(k)
                out.append(a)
        out = self._with_listed(out, head, within)
        countries = {a.country for a in out if a.country}
        if len(out) >= 2 and len(countries) == len(out):
            keys = [a.key() for a in out]
            if not any([g.key() for g in grp] == keys for grp in self.ctx.groups):
                self.ctx.groups.append(out)
        return out

    def resolve_posted(self, h) -> list[Actor]:
        """resolve_one, with diplomats placed by their posting ("Hanna Lind, the envoy to
        Ukraine" is posted there, not Ukrainian): what is remembered for later mentions too."""
        found = self.resolve_one(h)
        if any(a.role in self.posted_roles and not a.known for a in found):
            found = [self._diplomat(a, h) if a.role in self.posted_roles and not a.known else a for a in found]
        post = h.head.head if h.dep_ == "pobj" and h.head.lower_ in ("to", "for") else None
        role = (m.best({"role"}) if (m := self.mention_of(post)) is not None else None) if post is not None else None
        if role is not None and role.role in self.posted_roles and found and all(a.kind == "person" for a in found):
            # "envoy to Ukraine Hanna Lind": the parser makes the posting part of the name
            hosts = self.countries_in([c for c in h.children if c.dep_ == "compound" and c.i < h.i])
            host = hosts[0][0] if hosts else None
            sent_by = self.countries_in([c for c in post.children if c.dep_ in ("amod", "compound")])  # "Swedish envoy"
            own = sent_by[0][0] if sent_by else None
            found = [replace(a, role=a.role or role.role, posted=host,
                             country=own if a.country in (None, host) else a.country) for a in found]
        return found

    def _diplomat(self, a: Actor, h) -> Actor:
        """"The ambassador to Kenya" is posted there, not Kenyan; "the UN envoy" serves the UN."""
        host = self.posted_to(h)
        if host:
            a = replace(a, posted=host, country=None if a.country == host else a.country)
        # the sectors of a body with no country named in the phrase ("UN", "the EU's")
        serves = [s for t in self.np_tokens(h) if (m := self.mention_of(t)) is not None
                  and (e := m.best({"org"})) is not None and not e.country for s in e.sectors if s in ("IGO", "NGO")]
        if serves and a.country is None:
            a = replace(a, sectors=list(dict.fromkeys(a.sectors + serves)))
        return a

    def _with_listed(self, actors: list[Actor], head, within) -> list[Actor]:
        """Every country of a list the parse did not join ("Argentina, Chile hold drills"): a
        state for each listed state, or the group once per country ("Greek, Macedonian police")."""
        if not actors or actors[0].kind not in ("state", "agent"):
            return actors
        listed = [(m, e) for m, e in self.listed_countries(head)
                  if within is None or within[0] <= m.start and m.end <= within[1]]
        codes = list(dict.fromkeys(e.country for _, e in listed))
        have = {a.country for a in actors if a.country}
        if len(codes) < 2 or set(codes) <= have or not have <= set(codes):
            return actors  # no list, nothing missed, or the phrase names more than the list
        base = actors[0]
        if base.kind == "agent":
            return [replace(base, country=c, text=f"{base.text} ({c})") for c in codes]
        out = list(actors)
        for m, e in listed:
            if e.country not in have:
                have.add(e.country)
                out.append(Actor(m.text, e.name, None, e.country, list(e.sectors),
                                 "state" if e.kind in ("country", "metonym") else "agent"))
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

    def resolve_one(self, h) -> list[Actor]:
        low = h.lower_
        refs = self.refs
        if h.pos_ == "PRON" or low in refs.get("person", []) and h.tag_ in ("PRP", "PRP$"):
            if low in refs.get("speaker", []):
                return self._quoted_speaker(h)
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
        posting = self._posting(h, m)
        if posting:
            modifiers = [t for t in modifiers if t.i not in posting]
        mod_countries = [] if _ethnic(h, tokens) else self.countries_in(modifiers)
        country = mod_countries[0][0] if mod_countries else None
        if country is None and h.pos_ == "NOUN" and m is not None and m.entries[0].kind in ("agent", "role"):
            country = self._located(h)  # only people are located so; "a ceasefire in Sudan" is no actor
            if country is None:
                country = self._named_place(h)  # "the Sindh government", "Kabul police"
            if country is None:
                country = self._leader_named(h)  # "the Lula government", "a Putin spokesman"

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
        if h.pos_ == "PROPN" and m is None and is_time_word(h.text) and _told_as_time(h):
            return []  # "its budget request in May": the month, not Theresa May
        if h.pos_ == "PROPN":
            known = self._known_person(h, tokens, famous_too=m is None)
            if known is not None:
                return [known]
            name = self._name(tokens)
            if country is None and m is None and not given_name(h) and not _given_names(name):
                # "President Bush": father or son, American; "Samia Suluhu Hassan" is no Hassan listed
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
        if given_name(h):
            return None
        famous = by_surname(part, self.ctx.published)
        if famous is None or not _same_given_names(self._name(tokens), famous):
            return None
        r, c = famous.office_on(self.ctx.published)
        return Actor(self._text(tokens), famous.name, r, c, list(famous.sectors), "person", known=True)

    def _leader_named(self, h) -> str | None:
        """The country of a person whose surname qualifies an agent or office ("the Biden
        administration", "the Modi government", "a Putin spokesman"): one met before in the
        report, or a listed office holder. Without it, such a body took the report's only
        country, which in "imposed tariffs on Brazilian steel" is the target's."""
        for c in h.children:
            if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < h.i and self.mention_of(c) is None:
                known = self._known_person(c, [c], famous_too=True)
                if known is not None and known.country:
                    return known.country
        return None

    def _governing_person(self, pron) -> Actor | None:
        """"Al-Ezzi warned that they would pay a price for what he called an aggression", "the
        governor was detained hours after he accused the militia": a subject pronoun deep in a
        sentence is the person who is the subject, active or passive, of a clause above it."""
        node = pron.head
        for _ in range(8):
            if node.head.i == node.i:
                return None
            node = node.head
            subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"), None)
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

    def _quoted_speaker(self, pron) -> list[Actor]:
        """"We have stopped the payments," an Egyptian official said: "I", "we" or "our" in a
        quotation is its speaker, the subject of a quoting verb outside the quotation marks.
        A quotation that began in an earlier sentence is not followed."""
        sent = pron.sent
        marks = [t.i for t in sent if t.text in _QUOTE_MARKS]
        opening = [i for i in marks if i < pron.i]
        if len(opening) % 2 == 0:
            return []  # not inside a quotation
        lo, hi = opening[-1], next((i for i in marks if i > pron.i), sent.end)
        speakers = set(self.refs.get("speaker", ()))
        quoting = set(self.refs.get("quoting_verbs", ()))
        for t in sent:
            if lo <= t.i <= hi or t.lemma_.lower() not in quoting:
                continue
            subj = next((c for c in t.children if c.dep_ == "nsubj" and not lo <= c.i <= hi), None)
            if subj is not None and subj.lower_ not in speakers:
                return self.resolve(subj)
        return []

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
