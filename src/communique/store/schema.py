"""The store's tables (SQLAlchemy Core), one schema for SQLite and PostgreSQL.

Documents keep their raw text so events can be re-coded and their evidence shown; per-document
events keep their provenance (sentence, span, rule); stories are the deduplicated events that
several documents report, each linked to every mention.
"""
from __future__ import annotations

from sqlalchemy import (Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table,
                        Text, desc)

SCHEMA_VERSION = 4  # 2: analyst corrections, API tokens, stories.dismissed/corrected; 3: the API at scale (migrate._v3);
# 4: the evidence-text index by story (migrate._v4)

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", Text, nullable=False, unique=True),  # the URL, or the input's own id
    Column("doc_id", Text, nullable=False),  # the id the input gave it (file stem, JSONL id)
    Column("content_hash", String(64), nullable=False, index=True),
    Column("url", Text),
    Column("title", Text),
    Column("author", Text),
    Column("site", Text),
    Column("language", String(8)),
    Column("published", String(10), index=True),  # YYYY-MM-DD
    Column("source", Text),  # where it was read: path, path:line, feed#entry
    Column("text", Text, nullable=False),
    Column("raw", Text),  # the page's HTML, when the text came from one
    Column("ingested_at", String(32), nullable=False),
    Column("coded_at", String(32), nullable=False),
    Column("coder", String(64), nullable=False),  # the code and lexicon version that coded it
    Column("num_events", Integer, nullable=False, default=0),
)

actors = Table(
    "actors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),  # a resolved name, else the country's or the text
    Column("country", String(3)),
    Column("sectors", Text, nullable=False, default=""),  # "GOV;MIL"
    Column("akey", Text, nullable=False, unique=True),  # name|country|sectors, for get-or-create
)

places = Table(
    "places", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("country", String(3)),
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("geonameid", Integer),
    Column("precision", String(16), nullable=False),
    Column("pkey", Text, nullable=False, unique=True),
    Index("ix_places_latlon", "lat", "lon"),
)

stories = Table(
    "stories", metadata,
    Column("id", String(20), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("mode", Text),
    Column("contexts", Text, nullable=False, default=""),
    Column("cameo", String(8)),
    Column("intensity", Float),
    Column("source_actor_id", Integer, ForeignKey("actors.id")),
    Column("target_actor_id", Integer, ForeignKey("actors.id")),
    Column("source_key", Text, nullable=False),  # the dyad as matched: country, or name
    Column("target_key", Text, nullable=False),
    Column("place_id", Integer, ForeignKey("places.id")),
    Column("date", String(10)),
    Column("date_precision", String(16), nullable=False),
    Column("fatalities", Integer),
    Column("injuries", Integer),
    Column("negated", Boolean, nullable=False),
    Column("hypothetical", Boolean, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("num_sources", Integer, nullable=False),
    Column("num_documents", Integer, nullable=False),
    Column("num_mentions", Integer, nullable=False),
    Column("first_seen", String(10)),
    Column("last_seen", String(10)),
    Column("lead_event_id", String(20)),  # the mention whose coding the story shows
    Column("corrected", Boolean, nullable=False, default=False, server_default="0"),  # an analyst changed it
    Column("dismissed", Boolean, nullable=False, default=False, server_default="0"),  # "not an event"
    # The sides' countries, copied from their actors (which never change country), so that the
    # actor and dyad filters by country read one index range in date order. See countries.py.
    Column("src_country", String(3)),
    Column("tgt_country", String(3)),
    Index("ix_stories_date", "date"),
    Index("ix_stories_type_date", "type", "date"),
    Index("ix_stories_dyad", "source_key", "target_key", "date"),
    # an actor filter by name: each side's actors, in the default view, newest first (as below)
    Index("ix_stories_source", "source_actor_id", "dismissed", "negated", "hypothetical", "date", "id"),
    Index("ix_stories_target", "target_actor_id", "dismissed", "negated", "hypothetical", "date", "id"),
    Index("ix_stories_place", "place_id", "dismissed", "negated", "hypothetical", "date"),
    Index("ix_stories_confidence", "confidence"),
    # the default view, counted, and paged by date (with the id: ties and deep pages from the index)
    Index("ix_stories_view", "dismissed", "negated", "hypothetical", "date", "id"),
    # the API's sorts in the default view (the dashboard's: largest first, ties by id), and the
    # multi-source count in stats
    Index("ix_stories_view_sources", "dismissed", "negated", "hypothetical", desc("num_sources"), "id"),
    Index("ix_stories_view_fatalities", "dismissed", "negated", "hypothetical", desc("fatalities"), "id"),
    Index("ix_stories_view_intensity", "dismissed", "negated", "hypothetical", desc("intensity"), "id"),
    Index("ix_stories_view_confidence", "dismissed", "negated", "hypothetical", desc("confidence"), "id"),
    Index("ix_stories_documents", "num_documents"),
    # the actor and dyad filters by country, in the default view, newest first (countries.py)
    # (with the id, so that a page's ids are read from the index alone)
    Index("ix_stories_src_country", "src_country", "dismissed", "negated", "hypothetical", "date", "id"),
    Index("ix_stories_tgt_country", "tgt_country", "dismissed", "negated", "hypothetical", "date", "id"),
    Index("ix_stories_countries", "src_country", "tgt_country", "dismissed", "negated", "hypothetical", "date", "id"),
)

events = Table(
    "events", metadata,
    Column("id", String(20), primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("story_id", String(20), ForeignKey("stories.id"), index=True),
    Column("type", String(16), nullable=False),
    Column("mode", Text),
    Column("contexts", Text, nullable=False, default=""),
    Column("cameo", String(8)),
    Column("intensity", Float),
    Column("source_actor_id", Integer, ForeignKey("actors.id"), index=True),
    Column("source_text", Text),
    Column("source_role", Text),
    Column("target_actor_id", Integer, ForeignKey("actors.id"), index=True),
    Column("target_text", Text),
    Column("target_role", Text),
    Column("place_id", Integer, ForeignKey("places.id")),
    Column("date", String(10), index=True),
    Column("date_precision", String(16), nullable=False),
    Column("date_text", Text),
    Column("fatalities", Integer),
    Column("injuries", Integer),
    Column("negated", Boolean, nullable=False),
    Column("hypothetical", Boolean, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("rule", Text, nullable=False),
    Index("ix_events_type_date", "type", "date"),
)

# Analyst corrections: the story shows the corrected view; each change is kept with who, when
# and why, and what it replaced, so the history can be read back and the coding is never lost.
corrections = Table(
    "corrections", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", String(20), ForeignKey("stories.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("who", Text, nullable=False),
    Column("at", String(32), nullable=False),
    Column("why", Text, nullable=False),
    Column("changes", Text, nullable=False),  # JSON: the fields set
    Column("before", Text, nullable=False),  # JSON: their values before
)

# API tokens for writes: only a hash is stored (tokens are 256 random bits, so a plain SHA-256
# cannot be reversed by guessing); the token itself is shown once.
tokens = Table(
    "tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("last_used", String(32)),
)

# Rollups: the dashboard's whole-store aggregates (timeline, network, map, actors) kept current
# on every write, so they cost a few thousand rows to read instead of a scan of every story.
# They count the default view: stories not negated, hypothetical or dismissed. See rollups.py.
rollup_days = Table(
    "rollup_days", metadata,
    Column("day", String(10), primary_key=True),  # the story's date, at its own precision
    Column("type", String(16), primary_key=True),
    Column("n", Integer, nullable=False),
    Column("coop", Integer, nullable=False),
    Column("conf", Integer, nullable=False),
)
rollup_weeks = Table(  # the same by ISO week (its Monday), for the default timeline
    "rollup_weeks", metadata,
    Column("week", String(10), primary_key=True),
    Column("type", String(16), primary_key=True),
    Column("n", Integer, nullable=False),
    Column("coop", Integer, nullable=False),
    Column("conf", Integer, nullable=False),
)
rollup_dyads = Table(
    "rollup_dyads", metadata,
    Column("source_actor_id", Integer, primary_key=True),
    Column("target_actor_id", Integer, primary_key=True),
    Column("n", Integer, nullable=False),
    Column("intensity_sum", Float, nullable=False),
    Column("intensity_n", Integer, nullable=False),
    Index("ix_rollup_dyads_n", "n"),
)
rollup_places = Table(
    "rollup_places", metadata,
    Column("place_id", Integer, primary_key=True),
    Column("n", Integer, nullable=False),
    Column("deaths", Integer, nullable=False),
    Index("ix_rollup_places_n", "n"),
)
rollup_actors = Table(
    "rollup_actors", metadata,
    Column("actor_id", Integer, primary_key=True),
    Column("n", Integer, nullable=False),
    Index("ix_rollup_actors_n", "n"),
)
# The same by country (a story counts once for each country on either side), for the dashboard
# filtered to one country (actor=ISO3): its timeline and its map.
rollup_country_days = Table(
    "rollup_country_days", metadata,
    Column("country", String(3), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("type", String(16), primary_key=True),
    Column("n", Integer, nullable=False),
    Column("coop", Integer, nullable=False),
    Column("conf", Integer, nullable=False),
    sqlite_with_rowid=False,  # on SQLite, rows clustered by their key (one country's together)
)
rollup_country_weeks = Table(
    "rollup_country_weeks", metadata,
    Column("country", String(3), primary_key=True),
    Column("week", String(10), primary_key=True),
    Column("type", String(16), primary_key=True),
    Column("n", Integer, nullable=False),
    Column("coop", Integer, nullable=False),
    Column("conf", Integer, nullable=False),
    sqlite_with_rowid=False,  # on SQLite, rows clustered by their key (one country's together)
)
rollup_country_places = Table(
    "rollup_country_places", metadata,
    Column("country", String(3), primary_key=True),
    Column("place_id", Integer, primary_key=True),
    Column("n", Integer, nullable=False),
    Column("deaths", Integer, nullable=False),
    Column("tolls", Integer, nullable=False),  # stories with a toll: none means "no figure", not 0 deaths
    Index("ix_rollup_country_places_n", "country", "n"),
    sqlite_with_rowid=False,  # on SQLite, rows clustered by their key (one country's together)
)
ROLLUPS = (rollup_days, rollup_weeks, rollup_dyads, rollup_places, rollup_actors,
           rollup_country_days, rollup_country_weeks, rollup_country_places)
