"""Disk full and read-only: an ingest into a store that cannot grow or cannot be written fails with
one clear line naming the store and the reason, and leaves the store as it was; once there is room
again, a re-run ends with the rows of an unbroken run.

Full: the file-size limit (RLIMIT_FSIZE) of a forked ingest, which the kernel enforces as it does a
full disk (the write fails with EFBIG), and, where this machine lets root mount one, a real 2 MB
tmpfs filled to the brim (ENOSPC). Read-only: a user who may not write the store's folder (as root
the forked ingest drops to `nobody`, since root writes through any mode bits), and, where mounting
is allowed, a read-only bind mount."""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from communique.ingest import Sources
from communique.jobs import ingest
from communique.store import Store
from crashkit import corpus, dump, fork_cli, integrity, sqlite_url, warm

CLI = [sys.executable, "-m", "communique"]
FIRST, MORE = 8, 24


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A store holding FIRST reports, the next MORE reports to ingest, and an unbroken run's rows."""
    root = tmp_path_factory.mktemp("disk")
    first, more = root / "first.jsonl", root / "more.jsonl"
    first.write_text(corpus(FIRST))
    more.write_text(corpus(MORE, start=FIRST))
    warm()
    base = root / "base.db"
    with Store(str(base)) as store:
        ingest(store, Sources([str(first)]))
    whole = root / "whole.db"
    shutil.copy(base, whole)
    with Store(str(whole)) as store:
        ingest(store, Sources([str(more)]))
    return base, more, dump(sqlite_url(whole))


def _one_clear_line(stderr: str, db: Path, *reasons: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in stderr, stderr
    line = errors[0]
    assert str(db) in line and any(r in line for r in reasons), line
    return line


def _store_in(folder: Path, base: Path) -> Path:
    db = folder / "events.db"
    shutil.copy(base, db)
    return db


def test_full_disk_fails_with_one_line_and_keeps_the_store(inputs, tmp_path):
    base, more, whole = inputs
    db = _store_in(tmp_path, base)
    before = dump(sqlite_url(db))

    def no_room() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    child = fork_cli(["ingest", str(more), "--db", str(db)], tmp_path / "logs", before=no_room)
    assert child.wait() == 2
    line = _one_clear_line(child.stderr, db, "disk is full", "disk I/O error", "too large")
    print(line)
    assert integrity(db) == "ok" and dump(sqlite_url(db)) == before
    with Store(str(db)) as store:  # room again: the re-run adds the rest
        ingest(store, Sources([str(more)]))
    assert dump(sqlite_url(db)) == whole


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


def _can_mount() -> str | None:
    """None if root may mount here, else why not."""
    if os.geteuid() != 0:
        return "mounting a tmpfs needs root"
    probe = Path(tempfile.mkdtemp(prefix="communique-mount-"))
    try:
        _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe))
        subprocess.run(["umount", str(probe)], check=True)
        return None
    except (OSError, subprocess.CalledProcessError) as exc:
        return f"this machine does not let root mount a tmpfs ({getattr(exc, 'stderr', exc)})"
    finally:
        probe.rmdir()


def test_full_tmpfs_fails_with_one_line_and_keeps_the_store(inputs, tmp_path):
    why = _can_mount()
    if why:
        pytest.skip(why + "; the RLIMIT_FSIZE test above covers a full disk")
    base, more, _ = inputs
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    _mount("-t", "tmpfs", "-o", f"size={base.stat().st_size + 96 * 1024}", "tmpfs", str(mnt))
    try:
        db = _store_in(mnt, base)
        before = dump(sqlite_url(db))
        with open(mnt / "filler", "wb") as f:  # leave about 48 KB: the store opens, its batch cannot land
            free = shutil.disk_usage(mnt).free - 48 * 1024
            f.write(b"\0" * max(0, free))
        r = subprocess.run([*CLI, "ingest", str(more), "--db", str(db)], capture_output=True, text=True, timeout=600)
        assert r.returncode == 2
        print(_one_clear_line(r.stderr, db, "disk is full", "disk I/O error"))
        (mnt / "filler").unlink()
        assert integrity(db) == "ok" and dump(sqlite_url(db)) == before
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _unwritable_folder(base: Path) -> tuple[Path, Path]:
    """A world-readable folder holding a copy of the store, its folder and file not writable."""
    folder = Path(tempfile.mkdtemp(prefix="communique-ro-"))
    os.chmod(folder, 0o755)
    ro = folder / "store"
    ro.mkdir()
    db = _store_in(ro, base)
    os.chmod(db, 0o444)
    os.chmod(ro, 0o555)
    return folder, db


def test_read_only_store_fails_with_one_line_and_is_left_as_it_was(inputs, tmp_path):
    base, more, _ = inputs
    folder, db = _unwritable_folder(base)
    before = dump(sqlite_url(base))  # the copy's rows (reading the copy as root would add its -wal and -shm)
    shutil.copy(more, folder / "more.jsonl")
    os.chmod(folder / "more.jsonl", 0o644)

    def demote() -> None:
        if os.geteuid() == 0:  # root writes through mode bits: be a user who cannot
            os.setgid(65534)
            os.setuid(65534)
        assert not os.access(db.parent, os.W_OK)  # the test would prove nothing otherwise

    try:
        child = fork_cli(["ingest", str(folder / "more.jsonl"), "--db", str(db)], tmp_path / "logs", before=demote)
        assert child.wait() == 2, child.stderr
        print(_one_clear_line(child.stderr, db, "readonly", "read-only", "unable to open", "cannot open", "cannot write"))
        assert sorted(p.name for p in db.parent.iterdir()) == ["events.db"]  # nothing written beside it
        assert dump(f"sqlite:///file:{db}?mode=ro&uri=true") == before
    finally:
        os.chmod(db.parent, 0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_read_only_mount_fails_with_one_line_and_is_left_as_it_was(inputs, tmp_path):
    why = _can_mount()
    if why:
        pytest.skip(why + "; the test above covers an unwritable folder")
    base, more, _ = inputs
    src, mnt = tmp_path / "src", tmp_path / "ro"
    src.mkdir()
    mnt.mkdir()
    db_rw = _store_in(src, base)
    before = dump(sqlite_url(db_rw))
    _mount("--bind", str(src), str(mnt))
    try:
        _mount("-o", "remount,bind,ro", str(mnt))
        db = mnt / "events.db"
        r = subprocess.run([*CLI, "ingest", str(more), "--db", str(db)], capture_output=True, text=True, timeout=600)
        assert r.returncode == 2
        print(_one_clear_line(r.stderr, db, "read-only file system", "readonly"))
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
    assert integrity(db_rw) == "ok" and dump(sqlite_url(db_rw)) == before


def test_the_api_answers_503_when_the_store_refuses_a_write_and_keeps_serving_reads(inputs, tmp_path, caplog):
    """A store that cannot take a write under a running API (here SQLite's query_only, as a
    read-only file would): the post is a 503 with no path or traceback in it, the reason goes to
    the server's log, and reads go on."""
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from communique.api import create_app

    base, _, _ = inputs
    db = _store_in(tmp_path, base)
    store = Store(str(db))
    token = store.create_token("ana")
    store.engine.dispose()
    event.listen(store.engine, "connect", lambda conn, _: conn.execute("PRAGMA query_only=1"))
    before = dump(sqlite_url(db))
    with TestClient(create_app(store), raise_server_exceptions=False) as client:
        r = client.post("/api/documents", headers={"Authorization": f"Bearer {token}"},
                        json={"text": "Police arrested 40 protesters in Lima on Friday, officials said."})
        assert r.status_code == 503 and "try again later" in r.json()["error"]
        assert str(db) not in r.text and "Traceback" not in r.text
        assert client.get("/api/stats").status_code == 200
    assert any("readonly" in rec.getMessage() for rec in caplog.records)
    store.close()
    assert dump(sqlite_url(db)) == before
