"""The event store: the only module that speaks SQL (SQLAlchemy Core).

`Store(target)` opens a SQLite file (the default, in WAL mode so readers can query while an
ingest writes) or a PostgreSQL URL, creating or upgrading the schema. Writes go through
`save_batch`, one transaction per batch of documents.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DatabaseError, IntegrityError, OperationalError

from ..model import Document, Event
from .migrate import StoreConflict, StoreError, upgrade
from .schema import documents
from .write import Outcome, Writer, serialize_writers

log = logging.getLogger(__name__)

__all__ = ["Store", "StoreError", "StoreConflict", "Outcome"]

DEFAULT = "communique.db"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer, nor it them
    cur.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; safe with WAL
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(target: str) -> Engine:
    if "://" in target:
        try:
            engine = create_engine(target, pool_pre_ping=True)
        except (ArgumentError, ImportError) as exc:
            raise StoreError(f"{target}: not a usable database URL ({exc})") from None
        return engine
    path = Path(target)
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    if not path.parent.exists():
        raise StoreError(f"{path}: folder {path.parent} does not exist")
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _safe_url(target: str) -> str:
    """The target without its password, for messages."""
    if "://" in target and "@" in target:
        scheme, rest = target.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':')[0]}@{host}"
    return target


class Store:
    def __init__(self, target: str = DEFAULT):
        self.target = target
        self.name = _safe_url(target)
        self.engine = make_engine(target)
        try:
            with self.engine.begin() as conn:
                serialize_writers(conn)  # two ingests opening one new database create it once
                upgrade(conn)
        except StoreError as exc:
            self.engine.dispose()
            raise StoreError(f"{self.name}: {exc}") from None
        except (OperationalError, DatabaseError) as exc:
            self.engine.dispose()
            raise StoreError(f"{self.name}: cannot open the database ({exc.orig}){_read_only(target)}") from None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------
    def triage(self, docs: list[Document], coder: str, force: bool = False) -> tuple[list[Document], int]:
        """The documents that need coding (new or changed), and how many are unchanged.

        Unchanged: the same identity with the same text, or the same text already stored under
        another identity (a page saved twice, a wire story re-posted). With `force`, a stored
        document coded by another version of the coder counts as changed.
        """
        with self._failing("read"), self.engine.connect() as conn:
            by_key, known = Writer(conn, coder).stored([d.identity for d in docs], [d.content_hash for d in docs])
        todo, unchanged, batch_hashes = [], 0, set()
        for d in docs:
            stored = by_key.get(d.identity)
            h = d.content_hash
            if stored and stored[0] == h and not (force and stored[1] != coder):
                unchanged += 1
            elif not stored and (h in known or h in batch_hashes):
                unchanged += 1
            else:
                todo.append(d)
                batch_hashes.add(h)
        return todo, unchanged

    def save_batch(self, coded: Iterable[tuple[Document, list[Event]]], coder: str,
                   skip_stored: bool = False) -> Outcome:
        """Store coded documents in one transaction: all of the batch, or none of it.

        With `skip_stored`, a document that became unchanged since it was triaged (stored
        meanwhile by another ingest or API request into the same database, or by an earlier batch of this one
        still being coded when this one was triaged) is counted unchanged and not written again.
        """
        out = Outcome()
        with self._failing("write"), self.engine.begin() as conn:
            serialize_writers(conn)
            writer = Writer(conn, coder)
            if skip_stored:
                coded = writer.not_yet_stored(list(coded), out)
            for doc, evs in coded:
                writer.save(doc, evs, out)
            writer.finish()
        return out

    @contextmanager
    def _failing(self, what: str):
        """A database that fails mid-job (disk full, read-only, server gone) as one StoreError
        naming the store and the reason: a full disk was a page of SQLAlchemy traceback. The
        transaction has been rolled back by then, so the store holds whole batches only."""
        try:
            yield
        except IntegrityError as exc:  # the same document key written by two writers at once
            raise StoreConflict(f"{self.name}: cannot {what} ({' '.join(str(exc.orig).split())[:300]})") from None
        except (OperationalError, DatabaseError) as exc:
            reason = " ".join(str(exc.orig or exc).split())[:300]
            raise StoreError(f"{self.name}: cannot {what} ({reason})") from None

    def stored_documents(self, outdated_for: str | None = None) -> Iterator[Document]:
        """Stored documents (rebuilt for re-coding); only those coded by another coder if given."""
        q = select(documents).order_by(documents.c.id)
        if outdated_for:
            q = q.where(documents.c.coder != outdated_for)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        for r in rows:
            yield Document(r.doc_id, r.text, date.fromisoformat(r.published) if r.published else None,
                           r.url, r.title, author=r.author, site=r.site, language=r.language,
                           source=r.source, raw=r.raw, path=r.key[5:] if r.key.startswith("file:") else None)

    def event_ids(self, identity: str) -> set[str]:
        from .query import document_event_ids

        with self.engine.connect() as conn:
            return document_event_ids(conn, identity)

    # -- reading -------------------------------------------------------------------------
    def events(self, filters=None, limit: int | None = None, offset: int = 0, with_mentions: bool = False) -> list[dict]:
        """Story events (deduplicated), newest first, as records (see `query.story_record`)."""
        from .query import Filters, story_events

        with self.engine.connect() as conn:
            return story_events(conn, filters or Filters(), limit, offset, with_mentions)

    def actors(self, limit: int | None = None) -> list[dict]:
        from .query import actor_counts

        with self.engine.connect() as conn:
            return actor_counts(conn, limit)

    def stats(self) -> dict:
        from .query import figures

        with self.engine.connect() as conn:
            return figures(conn)

    def count(self, filters=None) -> int:
        from .query import Filters, count_events

        with self.engine.connect() as conn:
            return count_events(conn, filters or Filters())

    def page(self, filters=None, limit: int = 50, offset: int = 0, sort: str = "-date") -> list[dict]:
        from .query import Filters, story_events

        with self.engine.connect() as conn:
            return story_events(conn, filters or Filters(), limit, offset, sort=sort)

    def listing(self, filters=None, limit: int = 50, offset: int = 0, sort: str = "-date") -> tuple[list[dict], int]:
        """One page of story events and the filters' total, read together (one text match)."""
        from .query import Filters, listing

        with self.engine.connect() as conn:
            return listing(conn, filters or Filters(), limit, offset, sort)

    def event(self, story_id: str) -> dict | None:
        """One story event with every mention."""
        from .query import one_story

        with self.engine.connect() as conn:
            return one_story(conn, story_id)

    def aggregate(self, name: str, filters=None, **kw):
        """The dashboard's aggregates: timeline, dyads, dyad_months, places (see `aggregates`)."""
        from . import aggregates
        from .query import Filters

        fn = {"timeline": aggregates.timeline, "dyads": aggregates.dyads, "dyad_months": aggregates.dyad_months,
              "places": aggregates.place_counts}[name]
        with self.engine.connect() as conn:
            return fn(conn, filters or Filters(), **kw)

    def document(self, doc_pk: int) -> dict | None:
        from .query import document

        with self.engine.connect() as conn:
            return document(conn, doc_pk)

    def document_pk(self, identity: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(documents.c.key == identity)).scalar()

    # -- corrections -------------------------------------------------------------------------
    def correct(self, story_id: str, changes: dict, who: str, why: str) -> dict | None:
        """Apply an analyst's correction (None if there is no such story); raises CorrectionError."""
        from . import corrections, countries, rollups
        from .schema import stories
        from .write import now

        with self._failing("write"), self.engine.begin() as conn:
            serialize_writers(conn)
            if conn.execute(select(stories.c.id).where(stories.c.id == story_id)).scalar() is None:
                return None
            before = rollups.story_row(conn, story_id)
            corrections.record(conn, Writer(conn, ""), story_id, changes, who, why, now())
            countries.stamp(conn, story_id)
            rollups.replace(conn, before, rollups.story_row(conn, story_id))
        return self.event(story_id)

    def history(self, story_id: str) -> list[dict]:
        from .corrections import history

        with self.engine.connect() as conn:
            return history(conn, story_id)

    # -- tokens ------------------------------------------------------------------------------
    def create_token(self, name: str) -> str:
        """A new write token; only its hash is stored, so this is the one time it is seen."""
        import secrets

        from .schema import tokens
        from .write import now

        token = secrets.token_urlsafe(32)
        with self._failing("write"), self.engine.begin() as conn:
            conn.execute(tokens.insert(), dict(name=name, hash=_token_hash(token), created_at=now()))
        return token

    def revoke_token(self, token_or_name: str) -> int:
        """Revoke a token, given the token itself or its name (every token of that name); the
        number revoked. A revoked token is deleted: only its hash was ever stored."""
        from sqlalchemy import delete

        from .schema import tokens

        with self._failing("write"), self.engine.begin() as conn:
            n = conn.execute(delete(tokens).where(tokens.c.hash == _token_hash(token_or_name))).rowcount
            if not n:
                n = conn.execute(delete(tokens).where(tokens.c.name == token_or_name)).rowcount
        return n

    def has_tokens(self) -> bool:
        from .schema import tokens

        with self.engine.connect() as conn:
            return conn.execute(select(tokens.c.id).limit(1)).first() is not None

    def check_token(self, token: str) -> str | None:
        """The token's name if it is valid, else None."""
        from .schema import tokens
        from .write import now

        # it records the token's use: on a store that cannot be written that is a StoreError (a
        # 503 from the API), not the 500 every authenticated request got before
        with self._failing("write"), self.engine.begin() as conn:
            row = conn.execute(select(tokens.c.id, tokens.c.name).where(tokens.c.hash == _token_hash(token))).first()
            if row is None:
                return None
            conn.execute(tokens.update().where(tokens.c.id == row.id).values(last_used=now()))
            return row.name


def _read_only(target: str) -> str:
    """Why SQLite could not open a store for writing, when it is the file system's doing: its
    own message ("unable to open database file") does not say."""
    import os

    if "://" in target:
        return ""
    path = Path(target)
    for p in (path, path.parent):
        if p.exists() and not os.access(p, os.W_OK):
            return f"; {p} is read-only to this user or on a read-only file system"
    return ""


def _token_hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()
