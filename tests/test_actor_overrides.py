"""The analyst's actor file: merged over the shipped lexicons, checked with one-line errors,
extended by `communique actors add`, and part of the coder fingerprint."""
import os
import subprocess
import sys

import pytest

from communique import extract, overrides
from communique.actor_schema import EntryError, check_entry
from communique.coder_version import coder_version
from communique.lexicon import LexiconError

from conftest import ROOT

CLI = [sys.executable, "-m", "communique"]
SENTENCE = "Mirela Vantsova met Wang Yi in Beijing on Monday to discuss trade."  # a made-up minister
PERSON = """\
# an analyst's note: kept by `actors add`
people:
  - name: Mirela Vantsova
    aliases: [Vantsova]
    country: BGR
    offices:
      - {role: Foreign Minister, from: 2024-03, to: null}
"""


@pytest.fixture
def actor_file(tmp_path):
    """Write an override file and put it in force for this test only."""
    path = tmp_path / "actors.yaml"

    def put(text: str):
        path.write_text(text, encoding="utf-8")
        overrides.use(path)
        return path
    yield put
    overrides.use(None)  # back to $COMMUNIQUE_ACTORS (empty in the suite)


def run(*args, env=None):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})


def source_of(events):
    return next(e.source for e in events if e.type == "CONSULT")


def test_override_person_changes_the_coding(actor_file):
    before = source_of(extract(SENTENCE, "2024-09-03"))
    assert before.country is None  # an unlisted name: a person of no known country
    actor_file(PERSON)
    after = source_of(extract(SENTENCE, "2024-09-03"))
    assert (after.name, after.country, after.role) == ("Mirela Vantsova", "BGR", "Foreign Minister")
    # the office is resolved by the report's date: before it began, no role
    earlier = source_of(extract(SENTENCE, "2023-09-03"))
    assert earlier.country == "BGR" and earlier.role is None


def test_override_replaces_and_removes_shipped_entries(actor_file):
    shipped = source_of(extract("Sergei Lavrov met Wang Yi in Beijing on Monday.", "2020-05-05"))
    assert shipped.country == "RUS"
    actor_file("people:\n  - name: Sergei Lavrov\n    country: KAZ\n    offices: []\n")
    assert source_of(extract("Sergei Lavrov met Wang Yi in Beijing on Monday.", "2020-05-05")).country == "KAZ"
    actor_file("organisations:\n  - {name: Hezbollah, remove: true}\n")
    assert all(o["name"] != "Hezbollah" for o in overrides.merged("organisations"))


def test_country_entries_add_to_the_shipped_lists(actor_file):
    actor_file("countries:\n  - code: CHN\n    metonyms: [Ritan Compound]\n")
    china = next(c for c in overrides.merged("countries") if c["code"] == "CHN")
    assert "Ritan Compound" in china["metonyms"] and "Beijing" in [china["capital"], *china["metonyms"]]
    assert china["name"] == "China" and china["adjectives"]


def test_new_armed_group_codes_with_its_home_country(actor_file):
    text = "The Ember Valley Front attacked an army post in Kidal on Sunday."
    assert not any(e.source and e.source.country for e in extract(text, "2024-05-07"))
    actor_file("organisations:\n  - {name: Ember Valley Front, aliases: [EVF], kind: armed_group, country: MLI, sectors: [REB]}\n")
    events = extract(text, "2024-05-07")
    assert any(e.source and e.source.country == "MLI" and "REB" in e.source.sectors for e in events)


@pytest.mark.parametrize("text, says", [
    ("people:\n  - name: Bob\n    country: XYZ\n", "people[0] 'Bob': unknown country code 'XYZ'"),
    ("people:\n  - name: Bob\n    country: GBR\n    offices:\n      - {role: Chief Wizard}\n",
     "people[0] 'Bob': offices[0]: unknown role 'Chief Wizard'"),
    ("people:\n  - name: Bob\n    country: GBR\n    offices:\n      - {role: President, from: 2020-13}\n",
     "offices[0]: from: '2020-13' is not a date"),
    ("people:\n  - name: Bob\n    contry: GBR\n", "people[0] 'Bob': unknown field 'contry'"),
    ("organisations:\n  - {name: Pact, kind: igo, country: FRA, sectors: [IGO]}\n", "has no country"),
    ("organisations:\n  - {name: Band, kind: gang, country: FRA}\n", "kind: 'gang' is not one of"),
    ("agents:\n  - {terms: [wardens], sectors: [XXX]}\n", "unknown sector 'XXX'"),
    ("people:\n  - {name: Bob, country: GBR}\n  - {name: Bob, country: FRA}\n", "people[1] 'Bob': listed twice"),
    ("people:\n  - name: Bob\n    country: GBR\n    country: FRA\n", "key 'country' appears twice"),
    ("peoples: []\n", "unknown section 'peoples'"),
    ("people:\n  - name: Bob\n   bad: [\n", "not valid YAML at line"),
    ("- just a list\n", "expected a mapping of sections"),
])
def test_malformed_file_names_the_file_and_the_entry(actor_file, text, says):
    with pytest.raises(LexiconError) as info:
        actor_file(text)
        overrides.override()
    message = str(info.value)
    assert "actors.yaml" in message and says in message and "\n" not in message


def test_cli_bad_file_is_one_line_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("people:\n  - name: Bob\n    country: XYZ\n")
    r = run("extract", "-", "--actors", str(bad))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "bad.yaml" in r.stderr and "'Bob'" in r.stderr
    r = run("extract", "-", env={"COMMUNIQUE_ACTORS": str(tmp_path / "missing.yaml")})
    assert r.returncode == 2 and "missing.yaml: actor override file not found" in r.stderr


def test_actors_add_round_trips(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(PERSON)
    r = run("actors", "add", "Jane Doe", "--kind", "person", "--country", "gbr", "--role", "foreign_minister",
            "--since", "2024-07", "--alias", "Doe", "--actors", str(path))
    assert r.returncode == 0, r.stderr
    r = run("actors", "add", "Ember Valley Front", "--kind", "armed_group", "--country", "MLI", "--alias", "EVF",
            "--actors", str(path))
    assert r.returncode == 0, r.stderr
    text = path.read_text()
    assert text.startswith("# an analyst's note")  # the analyst's comments and entries are kept
    overrides.use(path)
    try:
        people = {p["name"]: p for p in overrides.override()["people"]}
        assert people["Jane Doe"] == {"name": "Jane Doe", "aliases": ["Doe"], "country": "GBR",
                                      "offices": [{"role": "Foreign Minister", "from": "2024-07", "to": None}]}
        assert "Mirela Vantsova" in people
        (group,) = overrides.override()["organisations"]
        assert (group["kind"], group["country"], group["sectors"]) == ("armed_group", "MLI", ["REB"])
    finally:
        overrides.use(None)
    r = run("actors", "show", "Doe", "--date", "2024-09-01", "--actors", str(path))
    assert r.returncode == 0 and "Jane Doe" in r.stdout and "GBR" in r.stdout and "Foreign Minister" in r.stdout
    r = run("actors", "check", "--actors", str(path))
    assert r.returncode == 0 and "people: 2 added" in r.stdout


def test_actors_add_refuses_bad_input(tmp_path):
    path = tmp_path / "mine.yaml"
    r = run("actors", "add", "Jane Doe", "--kind", "person", "--country", "GBX", "--actors", str(path))
    assert r.returncode == 2 and "unknown country code 'GBX'" in r.stderr and not path.exists()
    r = run("actors", "add", "Jane Doe", "--kind", "person", "--country", "GBR", "--role", "Chief Wizard",
            "--actors", str(path))
    assert r.returncode == 2 and "unknown role 'Chief Wizard'" in r.stderr
    r = run("actors", "add", "Pact", "--kind", "igo", "--country", "FRA", "--actors", str(path))
    assert r.returncode == 2 and "has no country" in r.stderr
    assert run("actors", "add", "Jane Doe", "--kind", "person", "--country", "GBR", "--actors", str(path)).returncode == 0
    r = run("actors", "add", "Jane Doe", "--kind", "person", "--country", "FRA", "--actors", str(path))
    assert r.returncode == 2 and "already in" in r.stderr


def test_actors_add_extends_a_shipped_person(tmp_path):
    path = tmp_path / "mine.yaml"
    r = run("actors", "add", "Sergei Lavrov", "--kind", "person", "--role", "Prime Minister", "--since", "2030",
            "--actors", str(path))
    assert r.returncode == 0, r.stderr
    overrides.use(path)
    try:
        (lavrov,) = overrides.override()["people"]
        assert lavrov["country"] == "RUS" and lavrov["offices"][0]["role"] == "Foreign Minister"
        assert lavrov["offices"][-1] == {"role": "Prime Minister", "from": "2030", "to": None}
    finally:
        overrides.use(None)


def test_bare_actors_still_lists_the_store(tmp_path):
    db = str(tmp_path / "empty.db")
    for args in (("actors", "--db", db, "--format", "jsonl"), ("actors", "list", "--db", db)):
        r = run(*args)
        assert r.returncode == 0, r.stderr


def test_fingerprint_includes_the_override(actor_file):
    shipped = coder_version()
    actor_file(PERSON)
    with_person = coder_version()
    actor_file(PERSON.replace("BGR", "ROU"))
    assert len({shipped, with_person, coder_version()}) == 3
    overrides.use(None)
    assert coder_version() == shipped


def test_recode_picks_up_an_override(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(SENTENCE + "\n")
    db = str(tmp_path / "s.db")
    assert run("ingest", str(report), "--db", db, "--published", "2024-09-03").returncode == 0
    path = tmp_path / "actors.yaml"
    path.write_text(PERSON)
    r = run("recode", "--db", db, "--actors", str(path))
    assert r.returncode == 0, r.stderr
    assert "1 documents re-coded" in r.stdout
    r = run("actors", "--db", db, "--format", "jsonl")
    assert '"BGR"' in r.stdout


@pytest.mark.parametrize("section", list(overrides.SECTIONS))
def test_shipped_entries_pass_the_same_checks(section):
    problems = []
    for n, entry in enumerate(overrides.shipped(section)):
        try:
            check_entry(section, entry)
        except EntryError as exc:
            problems.append(f"{section}[{n}]: {exc}")
    assert not problems, problems[:5]


@pytest.mark.parametrize("section", list(overrides.SECTIONS))
def test_shipped_ids_are_unique(section):
    """An override replaces an entry by its id: two shipped entries with one id would be ambiguous."""
    ids = [overrides.entry_id(section, e) for e in overrides.shipped(section)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_where_the_file_is_found(tmp_path):
    """--actors, then $COMMUNIQUE_ACTORS (empty: none), then the per-user file."""
    user = tmp_path / "cfg" / "communique" / "actors.yaml"
    user.parent.mkdir(parents=True)
    user.write_text(PERSON)
    other = tmp_path / "other.yaml"
    other.write_text("people: []\n")
    base = {k: v for k, v in os.environ.items() if k != overrides.ENV}
    base.update(XDG_CONFIG_HOME=str(tmp_path / "cfg"), COLUMNS="200")

    def check(*args, **env):
        return subprocess.run([*CLI, "actors", "check", *args], capture_output=True, text=True, cwd=ROOT,
                              env={**base, **env})
    assert str(user) in check().stdout
    assert str(other) in check(**{overrides.ENV: str(other)}).stdout
    assert "no actor file in force" in check(**{overrides.ENV: ""}).stdout
    assert str(other) in check("--actors", str(other), **{overrides.ENV: ""}).stdout
