"""One event, many sources, on real coding: differently worded reports of one meeting and of
one attack become one story each; near misses (another day, another pair, a far town, another
kind of event) stay apart. The reports and what each should code are in tests/data/stories/."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from communique.ingest import Sources
from communique.jobs import ingest
from communique.store import Store

STORIES = Path(__file__).parent / "data" / "stories" / "reports.jsonl"
MAIN_TYPE = {"meeting": "CONSULT", "attack": "ASSAULT"}


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    store = Store(str(tmp_path_factory.mktemp("dedup") / "events.db"))
    summary = ingest(store, Sources([str(STORIES)]))
    assert summary.new == 12 and not summary.failed
    yield store
    store.close()


def groups() -> dict[str, str]:
    return {json.loads(line)["id"]: json.loads(line)["group"] for line in STORIES.open()}


def stories_of(store, etype):
    """story id -> the documents that mention it, for stories of one type."""
    docs = defaultdict(set)
    for s in store.events(with_mentions=True):
        if s["type"] == etype:
            for m in s["mentions"]:
                docs[s["event_id"]].add(m["doc_id"])
    return docs


@pytest.mark.parametrize("group", ["meeting", "attack"])
def test_reports_of_one_event_are_one_story(stored, group):
    members = {d for d, g in groups().items() if g == group}
    together = [docs for docs in stories_of(stored, MAIN_TYPE[group]).values() if members <= docs]
    assert len(together) == 1, f"no single {MAIN_TYPE[group]} story holds all of {sorted(members)}"


@pytest.mark.parametrize("near, group", [
    ("near-meeting-other-day", "meeting"), ("near-meeting-other-pair", "meeting"),
    ("near-attack-far-place", "attack"), ("near-attack-other-type", "attack"),
])
def test_near_misses_stay_apart(stored, near, group):
    members = {d for d, g in groups().items() if g == group}
    for etype in ("CONSULT", "ASSAULT", "COERCE"):
        for docs in stories_of(stored, etype).values():
            assert not (near in docs and docs & members), f"{near} merged into a {etype} story of {group}"


def test_story_counts_sources_and_dates(stored):
    members = {d for d, g in groups().items() if g == "attack"}
    [story] = [s for s in stored.events(with_mentions=True)
               if s["type"] == "ASSAULT" and members <= {m["doc_id"] for m in s["mentions"]}]
    assert story["num_documents"] == 4 and story["num_sources"] == 4  # four outlets
    assert (story["first_seen"], story["last_seen"]) == ("2025-08-18", "2025-08-19")
    assert story["date"] == "2025-08-18" and story["fatalities"] == 8
    assert story["location"]["country"] == "PAK"
