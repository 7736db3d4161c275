"""`communique watch`: each round codes only what is new; a bad entry, a feed that is down and a
full disk are logged and the next round goes on; Ctrl-C stops it between batches."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from crashkit import wait_for_documents
from sqlalchemy.exc import OperationalError

from communique.store import Store
from communique.store.write import Writer
from communique.watch import IntervalError, Stopper, parse_interval, watch

CLI = [sys.executable, "-m", "communique"]


def report(i: int) -> str:
    return (f"The foreign ministers of Kenya and Uganda met in Kampala on Tuesday and agreed to reopen "
            f"the border crossing at Busia, officials said. Police in Nairobi arrested {i + 2} protesters "
            f"after a march against fuel prices on Wednesday. Dispatch {i}.")


def test_interval():
    assert [parse_interval(v) for v in ("15m", "30s", "2h", "1d", "90", "1.5m")] == [900, 30, 7200, 86400, 90, 90]
    for bad in ("0", "soon", "-5m", "15x", ""):
        with pytest.raises(IntervalError, match="--every"):
            parse_interval(bad)


def test_rounds_code_what_is_new_and_go_on_through_bad_input_a_dead_feed_and_a_full_disk(tmp_path, monkeypatch, caplog):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"r{i}.txt").write_text(report(i))
    (inbox / "batch.jsonl").write_text(json.dumps({"id": "j1", "text": report(10)}) + "\n{not json\n")
    dead_feed = "http://127.0.0.1:9/world.rss"  # nothing listens on the discard port
    store = Store(str(tmp_path / "w.db"))
    real_save, full = Writer.save, {"on": False}

    # the failure comes from inside the store's write, so it reaches the watch as the store
    # reports it (a StoreError), not as a bare driver error
    def save(self, *a, **kw):
        if full["on"]:
            raise OperationalError("INSERT INTO documents ...", {}, sqlite3.OperationalError("database or disk is full"))
        return real_save(self, *a, **kw)

    monkeypatch.setattr(Writer, "save", save)

    def between(r):
        if r.number == 1:  # a new report arrives, and the disk fills up
            (inbox / "r3.txt").write_text(report(3))
            full["on"] = True
        elif r.number == 2:  # space was freed
            full["on"] = False

    caplog.set_level("INFO", logger="communique")
    rounds = watch(store, [str(inbox), dead_feed], every=0, rounds=3, after_round=between)
    with store.engine.connect() as conn:
        stored = sorted(r[0] for r in conn.exec_driver_sql("select doc_id from documents"))
    store.close()

    first, second, third = rounds
    assert (first.summary.new, first.summary.unchanged) == (4, 0)
    assert any("batch.jsonl:2" in f for f in first.summary.failed)
    assert any(dead_feed in f for f in first.summary.failed)
    assert second.summary is None and "disk is full" in second.error
    assert "round 2: could not store" in caplog.text and "disk is full" in caplog.text
    assert (third.summary.new, third.summary.unchanged) == (1, 4)  # only the new report was coded
    assert stored == ["j1", "r0", "r1", "r2", "r3"]


def test_a_stop_while_waiting_ends_the_watch_at_once(tmp_path):
    (tmp_path / "r.txt").write_text(report(0))
    store = Store(str(tmp_path / "w.db"))
    stopper = Stopper()
    start = time.monotonic()
    rounds = watch(store, [str(tmp_path / "r.txt")], every=3600, stop=stopper, wait=stopper.event.wait,
                   after_round=lambda r: stopper.event.set())
    store.close()
    assert len(rounds) == 1 and rounds[0].summary.new == 1
    assert time.monotonic() - start < 120  # not the hour


def test_ctrl_c_stops_the_watch_between_batches(tmp_path):
    source = tmp_path / "many.jsonl"
    total = 80
    source.write_text("".join(json.dumps({"id": f"d{i}", "text": report(i), "published": "2025-03-04"}) + "\n"
                              for i in range(total)))
    db = tmp_path / "w.db"
    proc = subprocess.Popen([*CLI, "watch", str(source), "--every", "1h", "--db", str(db), "--batch", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stored = wait_for_documents(db, proc, 4)
    assert proc.poll() is None and stored >= 4, "the watch ended or stored nothing"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "stopped after 1 round" in " ".join(err.split())
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    kept = con.execute("select count(*) from documents").fetchone()[0]
    con.close()
    assert kept % 2 == 0 and 4 <= kept < total  # whole batches, and it did stop


def test_ctrl_c_in_a_terminal_stops_a_watch_on_local_workers(tmp_path):
    """Ctrl-C reaches the whole process group, the Dask workers too: they ignore it, and the
    watch stops as it does alone, closing them."""
    (tmp_path / "r.txt").write_text(report(0))
    db = tmp_path / "w.db"
    proc = subprocess.Popen([*CLI, "watch", str(tmp_path / "r.txt"), "--every", "1h", "--db", str(db),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # its own group, as a terminal's job
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            con = sqlite3.connect(db, timeout=1)
            try:
                if con.execute("select count(*) from documents").fetchone()[0]:
                    break
            except sqlite3.OperationalError:  # the schema is still being created
                pass
            finally:
                con.close()
        time.sleep(0.1)
    assert proc.poll() is None, proc.communicate()[1]
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    said = " ".join(err.split())
    assert proc.returncode == 0 and "stopped after 1 round: 1 documents stored" in said, err
    assert "Traceback" not in err and "ERROR" not in err
