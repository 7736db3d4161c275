"""Coverage of the shipped actor lexicons: office holders 2015-2025 of the G20, SCO, NATO, Quad
and P5 members, the armed groups with their home country, and the IGOs with none.
What must be covered lives in tests/data/actor_coverage.yaml."""
from datetime import date, timedelta

import pytest
import yaml

from communique.actor_lexicon import _as_date, lexicon
from communique.actor_schema import shipped

from conftest import DATA

SPEC = yaml.safe_load((DATA / "actor_coverage.yaml").read_text(encoding="utf-8"))
START, END = (_as_date(d, False) for d in SPEC["period"])
MEMBERS = sorted({c for members in SPEC["groupings"].values() for c in members})


def _terms(country: str, post: str) -> list[tuple[str, set[str]]]:
    """(country, roles) whose offices hold the post for that country."""
    roles = set(SPEC["posts"][post])
    if post == "head_of_government":
        roles |= {r for r, cs in SPEC["head_of_government_also"].items() if country in cs}
    if post == "head_of_state" and country in SPEC["head_of_state_from"]:
        return [(SPEC["head_of_state_from"][country], roles)]
    return [(country, roles)]


def _terms_of_office(country: str, post: str) -> list[tuple[date, date]]:
    out = []
    for holder_country, roles in _terms(country, post):
        for p in shipped("people"):
            for o in p.get("offices") or []:
                where = o["country"] if "country" in o else p.get("country")
                if where == holder_country and o["role"] in roles:
                    out.append((_as_date(o.get("from"), False) or date.min, _as_date(o.get("to"), True) or date.max))
    return sorted(out)


def gaps(terms: list[tuple[date, date]], tolerance: int) -> list[tuple[date, date]]:
    """Stretches of the period no listed holder covers, longer than the tolerance."""
    out, covered = [], START
    for start, end in terms:
        if start > covered:
            out.append((covered, start))
        covered = max(covered, end)
    if covered < END:
        out.append((covered, END))
    return [(a, b) for a, b in out if (min(b, END) - max(a, START)).days > tolerance]


def _known(country: str, post: str, gap: tuple[date, date]) -> bool:
    for k in SPEC["known_gaps"]:
        if k["country"] == country and k["post"] == post:
            if _as_date(k["from"], False) - timedelta(days=7) <= gap[0] and gap[1] <= _as_date(k["to"], True) + timedelta(days=7):
                return True
    return False


EXEMPT = {(e["country"], e["post"]) for e in SPEC["exempt"]}
CASES = [(c, p) for c in MEMBERS for p in SPEC["posts"] if (c, p) not in EXEMPT]


@pytest.mark.parametrize("country, post", CASES)
def test_every_member_has_each_post_covered(country, post):
    missing = [g for g in gaps(_terms_of_office(country, post), SPEC["tolerance_days"]) if not _known(country, post, g)]
    assert not missing, f"{country} {post}: no listed holder {', '.join(f'{a}..{b}' for a, b in missing)}"


def test_known_gaps_are_still_gaps():
    """A gap filled later must leave the list, or the list hides a real regression."""
    stale = []
    for k in SPEC["known_gaps"]:
        found = gaps(_terms_of_office(k["country"], k["post"]), SPEC["tolerance_days"] // 4)
        if not any(_known(k["country"], k["post"], g) for g in found):
            stale.append(f"{k['country']} {k['post']} {k['from']}..{k['to']}")
    assert not stale, stale


def _orgs(term: str):
    return [e for e in lexicon().terms.get(term, []) if e.kind == "org"]


@pytest.mark.parametrize("group, country", sorted(SPEC["armed_groups"].items()))
def test_armed_groups_have_their_home_country(group, country):
    found = _orgs(group)
    assert found, f"{group} is not in organisations.yaml"
    assert found[0].role == "armed_group" and found[0].country == country


@pytest.mark.parametrize("body", SPEC["igos"])
def test_igos_are_actors_without_a_country(body):
    found = _orgs(body)
    assert found, f"{body} is not in organisations.yaml"
    assert found[0].role == "igo" and found[0].country is None and "IGO" in found[0].sectors


@pytest.mark.parametrize("text, when, expect", [
    ("Emperor Naruhito met the Kenyan president in Tokyo on Tuesday.", "2023-02-07", ("JPN", "Emperor")),
    ("Grand Duke Henri met the French president in Paris on Tuesday.", "2019-03-05", ("LUX", "Grand Duke")),
    ("Filip Ivanović met Serbian officials in Belgrade on Monday.", "2024-01-08", ("MNE", "Foreign Minister")),
    ("Dragomir Zakov met Greek officials in Athens on Monday.", "2022-05-09", ("BGR", "Defence Minister")),
])
def test_audited_office_holders_code_by_date(text, when, expect):
    from communique import extract

    (event,) = [e for e in extract(text, when) if e.type == "CONSULT"]
    assert (event.source.country, event.source.role) == expect


def test_new_igo_codes_without_a_country():
    from communique import extract

    events = extract("AUKUS condemned the missile launch on Friday.", "2024-03-08")
    assert any(e.source and e.source.name == "AUKUS" and e.source.country is None for e in events)


@pytest.mark.parametrize("term, sectors", sorted(SPEC["agents"].items()))
def test_generic_agents_map_to_sectors(term, sectors):
    found = [e for e in lexicon().terms.get(term, []) if e.kind == "agent"]
    assert found and list(found[0].sectors) == sectors and found[0].country is None


def test_every_country_has_capital_centroid_and_demonyms():
    problems = []
    for c in shipped("countries"):
        if not c.get("capital") or not c.get("centroid"):
            problems.append(f"{c['code']}: capital or centroid missing")
        if c["code"] not in SPEC["ambiguous_demonyms"] and not (c.get("adjectives") and c.get("people")):
            problems.append(f"{c['code']}: adjectives or people missing")
    assert not problems, problems
