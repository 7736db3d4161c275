"""A throwaway PostgreSQL server for tests.

    with TempPostgres() as pg:
        engine = sqlalchemy.create_engine(pg.url)

Uses Debian's server binaries (``/usr/lib/postgresql/<version>/bin``, newest version), a data
folder in a fresh temp dir, trust authentication, ``127.0.0.1`` on a free port, the Unix socket in
the temp dir and ``fsync=off``. ``initdb`` refuses to run as root, so as root every server command
runs as the ``postgres`` user through ``runuser``; any other user runs them as itself.

Failures raise :class:`PostgresUnavailable` when this machine cannot host a server at all (no
binaries, no ``postgres`` user, no ``runuser``) and :class:`PostgresError` when a step failed
(the message carries the command's output or the tail of the server log).
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BIN_GLOB = "/usr/lib/postgresql/*/bin"
SERVER_USER = "postgres"


class PostgresError(RuntimeError):
    """A step of starting or stopping the server failed."""


class PostgresUnavailable(PostgresError):
    """This machine cannot run a PostgreSQL server (binaries, user or privileges missing)."""


def find_bin_dir(pattern: str = BIN_GLOB) -> Path:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that holds initdb, pg_ctl and pg_isready."""
    found = []
    for path in glob.glob(pattern):
        version = Path(path).parent.name
        if all(os.access(os.path.join(path, b), os.X_OK) for b in ("initdb", "pg_ctl", "pg_isready")):
            found.append((tuple(int(n) for n in re.findall(r"\d+", version)), Path(path)))
    if not found:
        raise PostgresUnavailable(
            f"PostgreSQL server binaries not found: no {pattern} with initdb, pg_ctl and pg_isready "
            "(install the Debian package 'postgresql')"
        )
    return max(found)[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(no log: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(log is empty)"


class TempPostgres:
    """Context manager: initdb + start on enter, ``.url`` while inside, stop + delete on exit."""

    def __init__(self, start_timeout: float = 30.0, bin_dir: Path | None = None):
        self.start_timeout = start_timeout
        self.bin_dir = Path(bin_dir) if bin_dir else None
        self.tmp: Path | None = None
        self.port: int | None = None
        self.url: str | None = None
        self._prefix: list[str] = []
        self._running = False

    # -- paths ---------------------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return self.tmp / "data"

    @property
    def log_file(self) -> Path:
        return self.tmp / "server.log"

    def _bin(self, name: str) -> str:
        return str(self.bin_dir / name)

    # -- lifecycle -----------------------------------------------------------------------------
    def __enter__(self) -> TempPostgres:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> str:
        if self.bin_dir is None:
            self.bin_dir = find_bin_dir()
        owner = self._choose_user()
        self.tmp = Path(tempfile.mkdtemp(prefix="communique-pg-"))
        try:
            if owner is not None:
                os.chown(self.tmp, owner.pw_uid, owner.pw_gid)
            os.chmod(self.tmp, 0o700)
            self._initdb()
            for attempt in range(3):  # the free port can be taken between probe and bind
                self.port = free_port()
                if self._pg_ctl_start(last_try=attempt == 2):
                    break
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        return self.url

    def stop(self) -> None:
        if self.tmp is None:
            return
        try:
            if self._running or (self.data_dir / "postmaster.pid").exists():
                result = self._run(
                    [self._bin("pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "-w", "stop"],
                    check=False,
                )
                if result.returncode != 0 and (self.data_dir / "postmaster.pid").exists():
                    raise PostgresError(
                        f"pg_ctl stop failed (exit {result.returncode}) for {self.data_dir}:\n"
                        f"{result.stdout}\nserver log tail:\n{_tail(self.log_file)}"
                    )
        finally:
            self._running = False
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None
            self.url = None

    # -- steps ---------------------------------------------------------------------------------
    def _choose_user(self) -> pwd.struct_passwd | None:
        """The user that owns the data folder when we are root; None when we run as ourselves."""
        if os.geteuid() != 0:
            self._prefix = []  # initdb only refuses root; any other user can own a cluster
            return None
        try:
            owner = pwd.getpwnam(SERVER_USER)
        except KeyError:
            raise PostgresUnavailable(
                f"running as root and there is no '{SERVER_USER}' user to run initdb/pg_ctl as "
                "(initdb refuses root; the Debian package 'postgresql' creates that user)"
            ) from None
        runuser = shutil.which("runuser")
        if runuser is None:
            raise PostgresUnavailable("running as root but 'runuser' is not on PATH (package util-linux)")
        self._prefix = [runuser, "-u", SERVER_USER, "--"]
        return owner

    def _run(self, args: list[str], check: bool = True, what: str = "") -> subprocess.CompletedProcess:
        try:
            result = subprocess.run(
                self._prefix + args,
                cwd=self.tmp,  # the server user may not be able to enter our cwd (e.g. /root)
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=self.start_timeout + 30,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PostgresError(f"{what or args[0]} could not run: {exc}") from exc
        if check and result.returncode != 0:
            raise PostgresError(f"{what or args[0]} failed (exit {result.returncode}):\n{result.stdout}")
        return result

    def _initdb(self) -> None:
        self._run(
            [
                self._bin("initdb"),
                "-D", str(self.data_dir),
                "-U", "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ],
            what=f"initdb ({self._bin('initdb')})",
        )

    def _pg_ctl_start(self, last_try: bool) -> bool:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.tmp} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        result = self._run(
            [
                self._bin("pg_ctl"),
                "-D", str(self.data_dir),
                "-l", str(self.log_file),
                "-o", options,
                "-w", "-t", str(int(self.start_timeout)),
                "start",
            ],
            check=False,
        )
        if result.returncode == 0:
            self._running = True
            return True
        log = _tail(self.log_file)
        if not last_try and "could not bind" in log:
            self.log_file.unlink(missing_ok=True)
            return False
        raise PostgresError(
            f"pg_ctl start failed (exit {result.returncode}) on 127.0.0.1:{self.port}:\n"
            f"{result.stdout}\nserver log tail ({self.log_file}):\n{log}"
        )

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while True:
            result = subprocess.run(
                [self._bin("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if result.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise PostgresError(
                    f"server on 127.0.0.1:{self.port} not accepting connections after "
                    f"{self.start_timeout:.0f} s (pg_isready exit {result.returncode}); "
                    f"server log tail:\n{_tail(self.log_file)}"
                )
            time.sleep(0.05)
