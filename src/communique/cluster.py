"""Coding on a Dask cluster: `ingest --workers N` (a local cluster of N processes) and
`ingest --scheduler tcp://HOST:PORT` (an existing cluster).

Workers only code. The process that runs the ingest reads the sources, triages each batch
against the store, sends the batches that need coding to the cluster and stores what comes
back, in the order it was read, through the one `Store` it holds: the store's guarantees (one
transaction per batch, no duplicates, resume after a kill, readers answered while it writes)
are those of a one-process ingest, and so are the events, batch for batch.

The task functions live here, in an importable module, so that a worker unpickles them by
reference and keeps its model between tasks (the spaCy pipeline, the lexicons, the gazetteer and
the tagger are each loaded once per worker process, on its first batch or by `warm`). A function
defined in `__main__` would be shipped by value and rebuild its caches for every task.
"""
from __future__ import annotations

import logging
import re
import signal
import threading
from collections import deque
from dataclasses import dataclass, replace
from typing import Iterable, Iterator

from .coder_version import coder_version
from .model import Document, Event

log = logging.getLogger(__name__)

Coded = list[tuple[Document, list[Event]]]


class ClusterError(Exception):
    """The cluster cannot be used: unreachable, no workers, or workers coding differently."""


@dataclass(frozen=True)
class CoderSetup:
    """What a worker must know to code exactly as this process does: the coder's mode and
    thresholds, the analyst's actor file (its path, "" for none), and the fingerprint of the
    code and lexicons (`coder_version`) that the worker's own must equal."""

    mode: str
    drop_below: float
    add_above: float
    flag_above: float
    model_adds: bool
    actors: str
    version: str


_ADDRESS = re.compile(r"^(?:(tcp|tls)://)?(\[[0-9a-fA-F:]+\]|[\w.-]+):(\d{1,5})$")


def check_address(address: str) -> str:
    """A scheduler address as Dask takes it (tcp://HOST:PORT, tls://HOST:PORT or HOST:PORT)."""
    if not _ADDRESS.match(address.strip()):
        raise ClusterError(f"--scheduler {address!r}: not a Dask scheduler address (use tcp://HOST:PORT)")
    return address.strip()


def current_setup() -> CoderSetup:
    from . import learned, overrides

    s = learned.settings()
    path = overrides.override_path()
    return CoderSetup(s.mode, s.drop_below, s.add_above, s.flag_above, s.model_adds, str(path) if path else "", coder_version())


_applied: CoderSetup | None = None  # the setup this worker process codes with


def _apply(setup: CoderSetup) -> str:
    """Code with `setup` from now on in this process; its coder fingerprint."""
    global _applied
    if setup != _applied:
        from . import learned, overrides

        learned.configure(mode=setup.mode, drop_below=setup.drop_below, add_above=setup.add_above,
                          flag_above=setup.flag_above, model_adds=setup.model_adds)
        overrides.use(setup.actors)  # "" is "no actor file", whatever this machine's environment says
        _applied = setup
    return coder_version()


@dataclass
class CodedBatch:
    version: str  # the worker's coder fingerprint, checked against the ingest's
    events: list[list[Event]]  # per document, in the order sent
    messages: list[tuple[int, str]]  # what the coder logged (level, text), re-logged by the ingest


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelno, record.getMessage()))


def code_batch(docs: list[Document], setup: CoderSetup) -> CodedBatch:
    """The task: code one batch on a worker, as `extract_many` does in one process."""
    from .pipeline import extract_many

    version = _apply(setup)
    collect, logger = _Collect(), logging.getLogger("communique")
    logger.addHandler(collect)
    try:
        events = [evs for _, evs in extract_many(docs, chunk=max(1, len(docs)))]
    finally:
        logger.removeHandler(collect)
    return CodedBatch(version, events, collect.messages)


def warm(setup: CoderSetup) -> str:
    """Load the model and everything the coder reads, before the first batch; the fingerprint."""
    from .pipeline import extract_many

    version = _apply(setup)
    list(extract_many([Document("warm-up", "The ministers of Chile and Peru met in Lima on Monday.")]))
    return version


def _mismatch(where: str, theirs: str, ours: str) -> ClusterError:
    return ClusterError(f"Dask worker {where} codes with coder version {theirs}, this machine with {ours}: "
                        "install the same Communique (and actor file) on every worker")


def _worker_environ() -> dict:
    """The environment Dask's nanny gives a worker process, without MALLOC_TRIM_THRESHOLD_: Dask
    sets it to 64 KB (to give memory back sooner), and setting it at all fixes glibc's mmap
    threshold, so that spaCy's large temporary arrays were mapped and unmapped every time: 0.8 s
    of system time per 96 reports against 0.03 s, the coding 10-40% slower (measured here).
    The thread limits (OMP_NUM_THREADS=1 and the like) stay."""
    import dask

    environ = dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {}
    return {k: v for k, v in environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}


class DaskCoder:
    """Codes batches of documents on a Dask cluster, in order, a few batches ahead.

        with DaskCoder(workers=2) as coder:          # or DaskCoder(scheduler="tcp://host:8786")
            for coded in coder(batches_of_documents):
                ...
    """

    def __init__(self, workers: int | None = None, scheduler: str | None = None, wait: float = 60.0,
                 connect: float = 10.0):
        if (workers is None) == (scheduler is None):
            raise ValueError("give either a number of local workers or a scheduler address")
        self.workers, self.wait, self.connect = workers, wait, connect
        self.scheduler = check_address(scheduler) if scheduler is not None else None
        self.client = self.cluster = None
        self.setup = current_setup()

    @property
    def description(self) -> str:
        n = len(self.client.scheduler_info(n_workers=-1)["workers"]) if self.client else self.workers
        where = f"the Dask cluster at {self.scheduler}" if self.scheduler else "a local Dask cluster"
        return f"{n} worker{'s' if n != 1 else ''} on {where}"

    def __enter__(self) -> "DaskCoder":
        import dask
        from distributed import Client, LocalCluster

        # distributed sets its own loggers to INFO when imported: its start-up chatter (scheduler,
        # nannies, connections) is shown only with -v, its warnings and errors always
        chatter = logging.DEBUG if logging.getLogger("communique").isEnabledFor(logging.DEBUG) else logging.WARNING
        logging.getLogger("distributed").setLevel(chatter)
        try:
            if self.scheduler:
                try:
                    self.client = Client(self.scheduler, timeout=f"{int(self.connect)}s", set_as_default=False)
                except Exception as exc:  # OSError, TimeoutError, a bad address: all mean "cannot use it"
                    raise ClusterError(f"cannot reach the Dask scheduler at {self.scheduler} ({exc})") from None
            else:
                # processes, one thread each: spaCy holds the GIL, so a second thread would not code faster.
                # Ctrl-C in a terminal reaches every process of its group: the workers are started
                # ignoring it, so that this process decides when to stop (after the batch being
                # written, in `watch`) and closes them itself.
                ignore = threading.current_thread() is threading.main_thread()
                previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if ignore else None
                try:
                    with dask.config.set({"distributed.nanny.pre-spawn-environ": _worker_environ()}):
                        self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                                    dashboard_address=None, silence_logs=logging.ERROR)
                except Exception as exc:  # a worker process that cannot start (memory, a broken install)
                    raise ClusterError(f"cannot start a local Dask cluster of {self.workers} workers "
                                       f"({type(exc).__name__}: {exc})") from None
                finally:
                    if ignore:
                        signal.signal(signal.SIGINT, previous)
                self.client = Client(self.cluster, set_as_default=False)
            try:
                self.client.wait_for_workers(1, timeout=self.wait)
            except TimeoutError:
                raise ClusterError(f"the Dask scheduler at {self.scheduler} has no worker "
                                   f"(none joined in {self.wait:.0f} s)") from None
            for where, version in self.client.run(warm, self.setup).items():
                if version != self.setup.version:
                    raise _mismatch(where, version, self.setup.version)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def _ahead(self) -> int:
        """Batches in flight: two per worker thread, so none waits while the ingest stores."""
        threads = sum(w["nthreads"] for w in self.client.scheduler_info(n_workers=-1)["workers"].values())
        return max(2, 2 * threads)

    def __call__(self, batches: Iterable[list[Document]]) -> Iterator[Coded]:
        """Each batch coded, in the order given; a batch with nothing to code is not sent."""
        in_flight: deque = deque()
        ahead = self._ahead()
        for docs in batches:
            # the raw HTML is kept by the ingest for the store; the coder reads only the text
            sent = [replace(d, raw=None) for d in docs]
            future = self.client.submit(code_batch, sent, self.setup, pure=False) if docs else None
            in_flight.append((docs, future))
            while len(in_flight) > ahead:
                yield self._collect(*in_flight.popleft())
        while in_flight:
            yield self._collect(*in_flight.popleft())

    def _collect(self, docs: list[Document], future) -> Coded:
        if future is None:
            return []
        try:
            coded: CodedBatch = future.result()
        except Exception as exc:  # the task failed on every worker it was retried on
            first = docs[0].source or docs[0].id
            raise ClusterError(f"a batch from {first} could not be coded on the cluster "
                               f"({type(exc).__name__}: {exc})") from None
        if coded.version != self.setup.version:
            raise _mismatch("(one of them)", coded.version, self.setup.version)
        for level, message in coded.messages:
            log.log(level, "%s", message)
        return list(zip(docs, coded.events))
