"""The store: schema and versions, idempotent and replacing writes, story deduplication,
queries; the same tests on SQLite and on a real PostgreSQL server."""
from __future__ import annotations

import sqlite3
import threading
from datetime import date

import pytest
from sqlalchemy import text

from communique.model import Actor, Document, Event, Place
from communique.store import Store, StoreError
from communique.store.query import Filters, QueryError
from communique.store.schema import SCHEMA_VERSION

CODER = "test-coder"
TOKYO = Place("Tokyo", "JPN", 35.6895, 139.6917, admin1="40", precision="place")
YOKOHAMA = Place("Yokohama", "JPN", 35.4437, 139.6380, admin1="19", precision="place")  # ~28 km from Tokyo
OSAKA = Place("Osaka", "JPN", 34.6937, 135.5023, admin1="32", precision="place")  # ~400 km
KANAGAWA = Place("Kanagawa", "JPN", 35.45, 139.35, admin1="19", precision="admin1")
JAPAN = Place("Japan", "JPN", 36.0, 138.0, precision="country")


def actor(country, name=None, sectors=("GOV",)):
    if country is None and name is None:
        return None
    return Actor(text=name or country, name=name, country=country, sectors=list(sectors))


def event(doc_id="d1", type_="CONSULT", src="IND", tgt="JPN", day="2025-06-26", place=TOKYO, span=(0, 40),
          deaths=None, negated=False, confidence=0.7, src_name=None):
    return Event(doc_id=doc_id, type=type_, source=actor(src, src_name), target=actor(tgt),
                 sentence=f"{src} met {tgt} ({doc_id}).", char_span=span, trigger="met", rule="consult.meet",
                 cameo="040", intensity=2.5, location=place, date=day,
                 date_precision="day" if day and len(day) == 10 else "unresolved", fatalities=deaths,
                 negated=negated, confidence=confidence)


def doc(doc_id, text_=None, url=None, site=None, published="2025-06-27"):
    return Document(doc_id, text_ or f"Report {doc_id}.", date.fromisoformat(published), url=url, site=site)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = Store(str(tmp_path / "events.db"))
    else:
        s = Store(request.getfixturevalue("pg_db_url"))
    yield s
    s.close()


def save(store, *pairs):
    todo, unchanged = store.triage([d for d, _ in pairs], CODER)
    by_id = {id(d): evs for d, evs in pairs}
    return store.save_batch([(d, by_id[id(d)]) for d in todo], CODER), unchanged


def count(store, table):
    with store.engine.connect() as conn:
        return conn.execute(text(f"select count(*) from {table}")).scalar()


# -- schema --------------------------------------------------------------------------------

def test_new_store_has_schema_version(store):
    with store.engine.connect() as conn:
        assert conn.execute(text("select value from meta where key='schema_version'")).scalar() == str(SCHEMA_VERSION)


def test_sqlite_store_is_wal_and_plain_sqlite(tmp_path):
    path = tmp_path / "events.db"
    s = Store(str(path))
    save(s, (doc("a"), [event("a")]))
    s.close()
    con = sqlite3.connect(path)  # what sqlite3, Datasette and pandas see
    assert con.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert con.execute("select count(*) from events").fetchone()[0] == 1
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "events.db"
    Store(str(path)).close()
    con = sqlite3.connect(path)
    con.execute("update meta set value='999' where key='schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer than this Communique"):
        Store(str(path))


def test_foreign_database_and_garbage_are_refused(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("create table people (name text)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not a Communique store"):
        Store(str(other))
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        Store(str(junk))
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "missing" / "x.db"))


def test_bad_url_is_refused():
    with pytest.raises(StoreError, match="nosuchdriver"):
        Store("nosuchdriver://x/y")


# -- writes --------------------------------------------------------------------------------

def test_same_document_twice_adds_nothing(store):
    out, unchanged = save(store, (doc("a"), [event("a")]))
    assert (out.new, out.events, unchanged) == (1, 1, 0)
    out, unchanged = save(store, (doc("a"), [event("a")]))
    assert (out.new, out.events, unchanged) == (0, 0, 1)
    assert count(store, "documents") == 1 and count(store, "events") == 1 and count(store, "stories") == 1


def test_same_text_under_another_name_is_unchanged(store):
    save(store, (doc("a", "Same words."), [event("a")]))
    _, unchanged = save(store, (doc("b", "Same words."), [event("b")]))
    assert unchanged == 1 and count(store, "documents") == 1


def test_changed_page_replaces_its_events(store):
    url = "https://example.org/story"
    save(store, (doc("a", "First version.", url=url), [event("a"), event("a", "AGREE", span=(50, 90))]))
    out, _ = save(store, (doc("a", "Corrected version.", url=url), [event("a", "REJECT", span=(0, 30))]))
    assert (out.changed, out.removed_events, out.events) == (1, 2, 1)
    assert count(store, "documents") == 1
    assert [e["type"] for e in store.events()] == ["REJECT"]  # the old stories went with their events


def test_batch_is_all_or_nothing(store):
    bad = event("b")
    bad.char_span = None  # fails while the batch is being written
    with pytest.raises(Exception):
        store.save_batch([(doc("a"), [event("a")]), (doc("b"), [bad])], CODER)
    assert count(store, "documents") == 0 and count(store, "events") == 0


# -- one event, many sources ---------------------------------------------------------------

def test_reports_of_one_meeting_become_one_story(store):
    save(store,
         (doc("a", site="Daily A", published="2025-06-26"), [event("a", src_name="Rajnath Singh")]),
         (doc("b", site="Wire B"), [event("b", place=YOKOHAMA)]),  # a nearby place, 28 km
         (doc("c", site="Wire B"), [event("c", day="2025-06-27", place=None)]),  # next day, no place
         (doc("d", site="Paper D", published="2025-06-28"), [event("d", place=JAPAN)]))  # the country only
    stories = store.events(with_mentions=True)
    assert len(stories) == 1
    s = stories[0]
    assert (s["num_mentions"], s["num_documents"], s["num_sources"]) == (4, 4, 3)
    assert (s["first_seen"], s["last_seen"]) == ("2025-06-26", "2025-06-28")
    assert s["date"] == "2025-06-26"  # the day most reports give
    assert s["location"]["name"] in ("Tokyo", "Yokohama")  # the most precise place, not the country
    assert sorted(m["doc_id"] for m in s["mentions"]) == ["a", "b", "c", "d"]
    assert count(store, "events") == 4  # per-document events are kept for provenance


@pytest.mark.parametrize("other", [
    dict(day="2025-07-06"),                 # the same pair ten days later
    dict(tgt="AUS"),                        # another pair, same day and place
    dict(place=OSAKA),                      # 400 km away
    dict(type_="AGREE"),                    # another kind of event
    dict(negated=True),                     # "did not meet"
])
def test_near_misses_stay_apart(store, other):
    save(store, (doc("a"), [event("a")]), (doc("b"), [event("b", **other)]))
    assert len(store.events(Filters(flagged=True))) == 2


def test_direction_matters_except_for_mutual_types(store):
    save(store, (doc("a"), [event("a"), event("a", "ACCUSE", span=(50, 80))]),
         (doc("b"), [event("b", src="JPN", tgt="IND"), event("b", "ACCUSE", "JPN", "IND", span=(50, 80))]))
    assert sorted((e["type"], e["num_documents"]) for e in store.events()) == [("ACCUSE", 1), ("ACCUSE", 1), ("CONSULT", 2)]


def test_unknown_attacker_joins_only_where_places_agree(store):
    kw = dict(type_="ASSAULT", tgt="AFG")
    save(store, (doc("a"), [event("a", src="AFG", place=YOKOHAMA, deaths=7, **kw)]),
         (doc("b"), [event("b", src=None, place=YOKOHAMA, deaths=8, **kw)]),   # "seven policemen were killed"
         (doc("c"), [event("c", src=None, place=None, **kw)]))                # no place: not trusted
    sizes = sorted((s["num_documents"], s["source"] and s["source"]["country"]) for s in store.events())
    assert sizes == [(1, None), (2, "AFG")]  # the story shows the mention that names the attacker


def test_unknown_side_of_a_meeting_is_not_a_wildcard(store):
    save(store, (doc("a"), [event("a", place=TOKYO)]), (doc("b"), [event("b", src=None, place=TOKYO)]))
    assert len(store.events()) == 2  # "both men visited Tokyo" is not the India-Japan meeting


def test_place_inside_admin_unit_matches_but_not_outside(store):
    save(store, (doc("a"), [event("a", place=YOKOHAMA)]), (doc("b"), [event("b", place=KANAGAWA)]),
         (doc("c"), [event("c", place=OSAKA)]))
    sizes = sorted(s["num_mentions"] for s in store.events())
    assert sizes == [1, 2]


def test_attack_toll_is_the_highest_reported(store):
    kw = dict(type_="ASSAULT", src="AFG", tgt="AFG")
    save(store, (doc("a"), [event("a", deaths=7, **kw)]), (doc("b"), [event("b", deaths=8, **kw)]))
    [s] = store.events()
    assert s["fatalities"] == 8 and s["num_documents"] == 2


def test_removing_a_source_shrinks_its_story(store):
    url = "https://example.org/b"
    save(store, (doc("a"), [event("a")]), (doc("b", "v1", url=url), [event("b")]))
    assert store.events()[0]["num_documents"] == 2
    save(store, (doc("b", "v2 with no event", url=url), []))
    [s] = store.events()
    assert s["num_documents"] == 1


# -- queries -------------------------------------------------------------------------------

def fill(store):
    save(store,
         (doc("a"), [event("a", src_name="Rajnath Singh")]),
         (doc("b"), [event("b", "ASSAULT", "PAK", "IND", day="2025-05-07", place=None, deaths=3, confidence=0.4)]),
         (doc("c"), [event("c", "AGREE", "CHN", "IND", day="2025-06-20", place=OSAKA)]))


def test_filters(store):
    fill(store)
    types = lambda f: sorted(e["type"] for e in store.events(f))  # noqa: E731
    assert types(Filters(actor="IND")) == ["AGREE", "ASSAULT", "CONSULT"]
    assert types(Filters(actor="rajnath")) == ["CONSULT"]
    assert types(Filters(dyad="PAK:IND")) == ["ASSAULT"]
    assert types(Filters(dyad="*:IND")) == ["AGREE", "ASSAULT"]
    assert types(Filters(type="consult,agree")) == ["AGREE", "CONSULT"]
    assert types(Filters(since=date(2025, 6, 1))) == ["AGREE", "CONSULT"]
    assert types(Filters(until=date(2025, 6, 1))) == ["ASSAULT"]
    assert types(Filters(near=(35.69, 139.69, 50))) == ["CONSULT"]
    assert types(Filters(min_confidence=0.5)) == ["AGREE", "CONSULT"]
    assert types(Filters(text="(c)")) == ["AGREE"]
    assert [e["type"] for e in store.events(limit=1, offset=1)] == ["AGREE"]  # newest first


def said(e: Event, sentence: str) -> Event:
    e.sentence = sentence
    return e


def test_text_filter_follows_the_stories_mentions(store):
    """A story is found by the words of every mention it has now: one it gains from another
    report, not one its report no longer makes."""
    save(store, (doc("a"), [said(event("a"), "India and Japan held talks on maritime security.")]))
    assert store.count(Filters(text="maritime")) == 1 and store.count(Filters(text="rare earths")) == 0
    save(store, (doc("b"), [said(event("b"), "The ministers also discussed rare earths.")]))
    assert [e["num_mentions"] for e in store.events(Filters(text="rare earths"))] == [2]  # one story, two mentions
    save(store, (doc("a", "Report a, corrected."), [said(event("a"), "India and Japan held talks on shipping.")]))
    assert store.count(Filters(text="maritime")) == 0
    assert store.count(Filters(text="SHIPPING")) == store.count(Filters(text="rare earths")) == 1
    save(store, (doc("b", "Report b, withdrawn."), []))
    assert store.count(Filters(text="rare earths")) == 0 and store.count(Filters(text="shipping")) == 1


def test_text_filter_folds_case_in_every_alphabet(store):
    if not store.is_sqlite:
        pytest.skip("PostgreSQL's lower() folds as the database's locale does (ASCII only under C)")
    save(store, (doc("a"), [said(event("a"), "Talks at the ÉLYSÉE palace in Zürich.")]),
         (doc("b"), [said(event("b", "AGREE", "CHN", "IND", day="2025-06-20"), "A deal signed at the Élysée.")]))
    assert sorted(e["type"] for e in store.events(Filters(text="élysée"))) == ["AGREE", "CONSULT"]
    assert [e["type"] for e in store.events(Filters(text="ZÜRICH"))] == ["CONSULT"]
    assert [e["type"] for e in store.events(Filters(text="Elysee"))] == []  # accents are kept


def test_bad_filters_say_what_is_wrong(store):
    with pytest.raises(QueryError, match="LAT,LON,KM"):
        Filters.parse_near("35,abc")
    with pytest.raises(QueryError, match="latitude"):
        Filters.parse_near("95,10,5")
    with pytest.raises(QueryError, match="SOURCE:TARGET"):
        store.events(Filters(dyad="INDCHN"))


def test_actors_and_stats(store):
    fill(store)
    names = {(a["name"], a["country"]): a["events"] for a in store.actors()}
    assert names[("Rajnath Singh", "IND")] == 1 and names[("India", "IND")] == 2
    fig = store.stats()
    assert (fig["documents"], fig["events"], fig["mentions"]) == (3, 3, 3)
    assert fig["by_type"] == {"CONSULT": 1, "ASSAULT": 1, "AGREE": 1}
    assert (fig["first_date"], fig["last_date"]) == ("2025-05-07", "2025-06-26")


def test_readers_query_while_a_batch_is_written(tmp_path):
    s = Store(str(tmp_path / "events.db"))
    fill(s)
    started, release = threading.Event(), threading.Event()

    def slow_writer():
        with s.engine.begin() as conn:
            conn.execute(text("insert into meta(key, value) values ('lock', 'held')"))
            started.set()
            release.wait(10)

    t = threading.Thread(target=slow_writer)
    t.start()
    started.wait(10)
    try:
        reader = Store(str(tmp_path / "events.db"))
        assert len(reader.events()) == 3  # WAL: the open write transaction does not block readers
        reader.close()
    finally:
        release.set()
        t.join()
    s.close()


def test_ingest_job_codes_and_stores_real_reports(store, tmp_path):
    """The whole path on both backends: read, code, store, re-run unchanged, recode."""
    from communique.ingest import Sources
    from communique.jobs import ingest, recode

    path = tmp_path / "reports.jsonl"
    path.write_text(
        '{"id": "m1", "published": "2025-06-27", "url": "https://example.org/m1", "text": '
        '"Indian Defence Minister Rajnath Singh met his Japanese counterpart in Tokyo on Thursday."}\n'
        '{"id": "m2", "published": "2025-06-27", "url": "https://example.org/m2", "text": '
        '"India\'s defence minister held talks with Japan\'s defence minister in Tokyo on Thursday."}\n')
    first = ingest(store, Sources([str(path)]))
    assert (first.new, first.unchanged) == (2, 0) and first.events >= 2
    consult = [e for e in store.events() if e["type"] == "CONSULT" and e["source"]["country"] == "IND"]
    assert len(consult) == 1 and consult[0]["num_documents"] == 2  # two reports, one meeting
    again = ingest(store, Sources([str(path)]))
    assert (again.new, again.unchanged, again.events) == (0, 2, 0)
    redo = recode(store, everything=True)
    assert redo.read == 2 and redo.recoded == []  # the same coder codes the same events


def test_negated_and_hypothetical_are_left_out_unless_asked(store):
    save(store, (doc("a"), [event("a"), event("a", "AGREE", span=(50, 90), negated=True)]))
    assert [e["type"] for e in store.events()] == ["CONSULT"]
    assert sorted(e["type"] for e in store.events(Filters(flagged=True))) == ["AGREE", "CONSULT"]


def test_recode_reports_what_changed(store):
    """Documents coded by an older coder are re-coded with the current one, and the difference told."""
    from communique.jobs import recode
    from communique.coder_version import coder_version

    text_ = "Police in Lagos arrested 12 protesters on Tuesday, officials said."
    old = Document("lagos", text_, date(2025, 3, 5), url="https://example.org/lagos")
    store.save_batch([(old, [event("lagos", "CONSULT", "NGA", "NGA", place=None)])], "an-older-coder")
    redo = recode(store)
    assert redo.read == 1 and len(redo.recoded) == 1
    assert "+" in redo.recoded[0] and "-1 events" in redo.recoded[0]
    assert [e["type"] for e in store.events()] == ["COERCE"]
    again = recode(store)  # now current: nothing to do
    assert again.read == 0
    with store.engine.connect() as conn:
        assert conn.execute(text("select coder from documents")).scalar() == coder_version()


def test_older_schema_is_upgraded_by_its_migrations(tmp_path, monkeypatch):
    from sqlalchemy import inspect

    from communique.store import migrate

    path = tmp_path / "events.db"
    Store(str(path)).close()  # a database at the current version

    def add_column(conn):
        conn.execute(text("alter table documents add column note text"))

    monkeypatch.setattr(migrate, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(migrate.MIGRATIONS, SCHEMA_VERSION + 1, add_column)
    s = Store(str(path))
    with s.engine.connect() as conn:
        assert conn.execute(text("select value from meta where key='schema_version'")).scalar() == str(SCHEMA_VERSION + 1)
        assert "note" in {c["name"] for c in inspect(conn).get_columns("documents")}
    s.close()


def test_actor_names_match_from_a_word_start(store):
    save(store, (doc("a"), [event("a", "CONSULT", "IRN", "ALB", src_name="Iran")]),
         (doc("b"), [event("b", "CONSULT", "ALB", "ITA", src_name="Tirana city council")]))
    assert [e["source"]["name"] for e in store.events(Filters(actor="iran"))] == ["Iran"]
    assert [e["source"]["name"] for e in store.events(Filters(actor="council"))] == ["Tirana city council"]
    assert store.events(Filters(actor="50%")) == []  # LIKE wildcards are taken literally


def test_since_keeps_events_dated_by_month_or_year(store):
    save(store, (doc("a"), [event("a", day="2025-11")]), (doc("b"), [event("b", "AGREE", day="2025-10-30")]),
         (doc("c"), [event("c", "ACCUSE", day="2025")]))
    assert sorted(e["type"] for e in store.events(Filters(since=date(2025, 11, 1)))) == ["ACCUSE", "CONSULT"]


def _rollups(store):
    from communique.store.schema import ROLLUPS

    with store.engine.connect() as conn:
        return {t.name: sorted(tuple(round(v, 6) if isinstance(v, float) else v for v in row)
                               for row in conn.execute(t.select()) if row.n) for t in ROLLUPS}


def test_rollups_stay_equal_to_a_recount(store):
    """After merges, a replaced document and corrections, the kept-current rollups equal a rebuild."""
    from communique.store.rollups import rebuild

    url = "https://example.org/b"
    save(store, (doc("a"), [event("a"), event("a", "ASSAULT", "AFG", "AFG", deaths=3, span=(50, 90), place=OSAKA)]),
         (doc("b", "v1", url=url), [event("b"), event("b", "ACCUSE", "JPN", "IND", span=(50, 90))]),
         (doc("c"), [event("c", "AGREE", negated=True)]))
    save(store, (doc("b", "v2", url=url), [event("b", "REJECT", "IND", "JPN", place=None)]))
    consult = next(e for e in store.events() if e["type"] == "CONSULT")
    store.correct(consult["event_id"], {"type": "SUPPORT", "source": {"country": "CHN"}}, "ana", "test")
    assault = next(e for e in store.events() if e["type"] == "ASSAULT")
    store.correct(assault["event_id"], {"not_event": True}, "ana", "test")
    kept = _rollups(store)
    with store.engine.begin() as conn:
        rebuild(conn)
    assert _rollups(store) == kept
    assert [r[1:] for r in kept["rollup_places"]] == [(1, 0)]  # Tokyo; the attack in Osaka was dismissed
    # per country: the corrected source (CHN) replaced IND on the meeting; IND keeps its rejection
    assert sorted((r[0], r[2]) for r in kept["rollup_country_weeks"]) == \
        [("CHN", "SUPPORT"), ("IND", "REJECT"), ("JPN", "REJECT"), ("JPN", "SUPPORT")]
    assert [(r[0], r[2:]) for r in kept["rollup_country_places"]] == [("CHN", (1, 0, 0)), ("JPN", (1, 0, 0))]
    # the whole-store aggregates read the rollups and agree with the filtered (scanning) path
    timeline = store.aggregate("timeline", bucket="day")
    scanned = store.aggregate("timeline", Filters(min_confidence=0.01), bucket="day")
    assert timeline == scanned
    assert store.aggregate("timeline", bucket="week") == store.aggregate("timeline", Filters(min_confidence=0.01),
                                                                          bucket="week")
    assert {(d["source"]["country"], d["target"]["country"]) for d in store.aggregate("dyads")} == \
        {("CHN", "JPN"), ("IND", "JPN")}


def _as_version_2(store) -> None:
    """Take a store back to schema version 2 (as the previous release left it)."""
    with store.engine.begin() as conn:
        for table in ("rollup_country_days", "rollup_country_weeks", "rollup_country_places"):
            conn.execute(text(f"DROP TABLE {table}"))
        if store.is_sqlite:
            conn.execute(text("DROP TABLE stories_fts"))
        for name in ("ix_stories_src_country", "ix_stories_tgt_country", "ix_stories_countries", "ix_stories_place",
                     "ix_stories_view_sources", "ix_stories_view_fatalities", "ix_stories_view_intensity",
                     "ix_stories_view_confidence"):
            conn.execute(text(f"DROP INDEX {name}"))
        conn.execute(text("DROP INDEX ix_stories_view"))
        conn.execute(text("CREATE INDEX ix_stories_view ON stories (dismissed, negated, hypothetical, date)"))
        conn.execute(text("CREATE INDEX ix_stories_place ON stories (place_id)"))
        for side in ("source", "target"):
            conn.execute(text(f"DROP INDEX ix_stories_{side}"))
            conn.execute(text(f"CREATE INDEX ix_stories_{side} ON stories ({side}_actor_id)"))
        for column in ("num_sources", "fatalities", "intensity"):
            conn.execute(text(f"CREATE INDEX ix_stories_{column.replace('num_', '')} ON stories ({column})"))
        for column in ("src_country", "tgt_country"):
            conn.execute(text(f"ALTER TABLE stories DROP COLUMN {column}"))
        conn.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))


def _answers(store) -> list:
    return [store.events(Filters(actor="JPN")), store.count(Filters(actor="IND")),
            store.events(Filters(dyad="IND:JPN")), store.aggregate("timeline", Filters(actor="JPN"), bucket="week"),
            store.aggregate("places", Filters(actor="JPN")), store.events(Filters(text="met")),
            store.count(Filters(text="jpn met"))]


def test_version_2_store_is_upgraded(store):
    """A store at version 2 gains the sides' countries, the per-country rollups and the text
    index, and answers as it did."""
    from sqlalchemy import inspect

    from communique.store.rollups import rebuild

    save(store, (doc("a"), [event("a"), event("a", "ASSAULT", "AFG", "AFG", deaths=3, span=(50, 90), place=OSAKA)]),
         (doc("b"), [event("b", "ACCUSE", "JPN", "IND", span=(50, 90))]))
    store.correct(store.events(Filters(type="CONSULT"))[0]["event_id"], {"target": {"country": "CHN"}}, "ana", "test")
    before = _answers(store)
    _as_version_2(store)
    store.close()
    again = Store(store.target)
    with again.engine.connect() as conn:
        assert conn.execute(text("select value from meta where key='schema_version'")).scalar() == str(SCHEMA_VERSION)
        assert {"src_country", "tgt_country"} <= {c["name"] for c in inspect(conn).get_columns("stories")}
    assert _answers(again) == before
    kept = _rollups(again)
    with again.engine.begin() as conn:
        rebuild(conn)
    assert _rollups(again) == kept and kept["rollup_country_days"]
    again.close()


def test_version_3_store_gets_the_text_index_by_story(tmp_path):
    """Version 3 indexed the evidence text by document; the upgrade replaces that index and the
    text filter answers as before."""
    s = Store(str(tmp_path / "events.db"))
    save(s, (doc("a"), [event("a"), said(event("a", "ASSAULT", "AFG", "AFG", span=(50, 90)), "Gunmen met resistance.")]),
         (doc("b"), [event("b", "ACCUSE", "JPN", "IND", span=(50, 90))]))
    before = _answers(s)
    with s.engine.begin() as conn:
        conn.execute(text("DROP TABLE stories_fts"))
        conn.execute(text("CREATE VIRTUAL TABLE sentences_fts USING fts5(sentences, tokenize='trigram')"))
        conn.execute(text("INSERT INTO sentences_fts(rowid, sentences) SELECT document_id, group_concat(sentence, char(10)) "
                          "FROM events GROUP BY document_id"))
        conn.execute(text("UPDATE meta SET value = '3' WHERE key = 'schema_version'"))
    s.close()
    again = Store(s.target)
    with again.engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("select name from sqlite_master"))}
    assert "stories_fts" in tables and "sentences_fts" not in tables
    assert _answers(again) == before
    assert again.count(Filters(text="resistance")) == 1
    again.close()


def test_failed_upgrade_leaves_version_2(tmp_path, monkeypatch):
    """The upgrade is one transaction: a failure part way leaves the store as it was."""
    from communique.store import textindex

    path = str(tmp_path / "events.db")
    s = Store(path)
    save(s, (doc("a"), [event("a")]))
    _as_version_2(s)
    s.close()

    def broken(conn):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(textindex, "rebuild", broken)
    with pytest.raises(RuntimeError):
        Store(path)
    db = sqlite3.connect(path)
    assert db.execute("select value from meta where key='schema_version'").fetchone() == ("2",)
    assert "src_country" not in {r[1] for r in db.execute("pragma table_info(stories)")}
    assert db.execute("select name from sqlite_master where name like 'rollup_country%'").fetchall() == []
    db.close()
