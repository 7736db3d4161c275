"""`communique watch`: ingest the same sources again every so often, coding only what is new.

Each round is an ordinary ingest (`jobs.ingest`) of the sources as they are now: a document
already stored with the same text is recognised by the store and not coded again, so a round
codes only the new and the changed. Nothing in a round stops the next one: a bad entry is
reported and skipped (as in any ingest), a feed that is down or a folder that is gone is reported
and the other sources read, and a round whose write fails (a full disk, a database that went
away) is rolled back whole, reported, and tried again at the next round. Ctrl-C (SIGINT) or
SIGTERM stop the watch after the batch being written, or at once while it waits.
"""
from __future__ import annotations

import logging
import re
import signal
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from sqlalchemy.exc import SQLAlchemyError

from .cluster import ClusterError
from .ingest import Sources
from .jobs import BATCH, BatchCoder, Summary, ingest
from .store import Store, StoreError

log = logging.getLogger(__name__)

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.IGNORECASE)
_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}


class IntervalError(ValueError):
    pass


def parse_interval(value: str) -> float:
    """'15m', '30s', '2h', '1d' or a number of seconds, in seconds."""
    m = _INTERVAL.match(value or "")
    if not m or float(m.group(1)) <= 0:
        raise IntervalError(f"--every {value!r}: use a positive number with s, m, h or d (e.g. 15m)")
    return float(m.group(1)) * _SECONDS[(m.group(2) or "s").lower()]


@dataclass
class Round:
    number: int
    summary: Summary | None  # None when the round failed
    error: str | None = None


class Stopper:
    """Set by SIGINT/SIGTERM (or by hand): the watch ends after the batch being written. A second
    Ctrl-C interrupts at once (the batch's transaction is then rolled back, nothing half-written)."""

    def __init__(self):
        self.event = threading.Event()
        self._previous: dict[int, object] = {}

    def __call__(self) -> bool:
        return self.event.is_set()

    def _handle(self, signum, frame) -> None:
        if self.event.is_set():
            signal.signal(signal.SIGINT, signal.default_int_handler)
            raise KeyboardInterrupt
        log.warning("stopping after the batch being written (Ctrl-C again to stop at once)")
        self.event.set()

    def __enter__(self) -> "Stopper":
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def watch(store: Store, inputs: list[str], every: float, code: BatchCoder | None = None, batch: int = BATCH,
          published: date | None = None, since: date | None = None, rounds: int | None = None,
          stop: Callable[[], bool] | None = None, wait: Callable[[float], bool] | None = None,
          after_round: Callable[[Round], None] | None = None) -> list[Round]:
    """Ingest `inputs` every `every` seconds until `stop()` (or for `rounds` rounds).

    `wait(seconds)` sleeps between rounds and returns True if woken to stop (a `Stopper`'s
    event.wait); `after_round` sees each round as it ends.
    """
    stop = stop or (lambda: False)
    wait = wait or (lambda seconds: time.sleep(seconds) or stop())
    done: list[Round] = []
    number = 0
    while not stop() and (rounds is None or number < rounds):
        number += 1
        started = time.monotonic()
        result = _one_round(store, inputs, number, code, batch, published, since, stop)
        done.append(result)
        if after_round:
            after_round(result)
        if stop() or (rounds is not None and number >= rounds):
            break
        pause = max(0.0, every - (time.monotonic() - started))
        next_at = datetime.now().timestamp() + pause
        log.info("next round at %s", datetime.fromtimestamp(next_at).strftime("%H:%M:%S"))
        if wait(pause):
            break
    return done


def _one_round(store, inputs, number, code, batch, published, since, stop) -> Round:
    sources = Sources(inputs, published, since, keep_going=True)
    try:
        summary = ingest(store, sources, batch=batch, code=code, stop=stop)
    except ClusterError as exc:  # the cluster failed a batch: what was stored stays, the next round resumes
        log.error("round %d: %s; the next round tries again", number, exc)
        return Round(number, None, str(exc))
    except (StoreError, SQLAlchemyError, OSError) as exc:  # the store reports a full disk as a StoreError
        # The failed batch's transaction was rolled back; batches before it are stored, and the
        # next round re-reads everything and codes what is still missing.
        why = getattr(exc, "orig", None) or exc
        log.error("round %d: could not store (%s: %s); the next round tries again", number,
                  type(why).__name__, str(why).splitlines()[0] if str(why) else "")
        return Round(number, None, f"{type(why).__name__}: {why}")
    log.info("round %d: %d read, %d new, %d changed, %d unchanged, %d failed, %d skipped; %d events stored "
             "(%.1f s)", number, summary.read, summary.new, summary.changed, summary.unchanged,
             len(summary.failed), len(summary.skipped), summary.events, summary.seconds)
    return Round(number, summary)
