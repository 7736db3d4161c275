from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"

# The suite codes with the shipped lexicons only: a developer's own actor file
# (~/.config/communique/actors.yaml) must not change what the tests see. Tests of the
# override file set it themselves.
import os as _os_env  # noqa: E402

_os_env.environ["COMMUNIQUE_ACTORS"] = ""
# The rule stages' tests pin the lexicon coder (their sentences test rules, not the trained
# tagger); tests of the learned coder (test_learned_coder.py) switch the mode themselves.
_os_env.environ["COMMUNIQUE_CODER"] = "rules"


def shared_file(rel: str) -> Path:
    path = SHARED / rel
    if not path.exists():
        pytest.skip(f"{path} is not beside this checkout")
    return path


# --- PostgreSQL test server (tests/pg.py) -------------------------------------------------------
# `pg_url`: one throwaway server for the whole session; `pg_db_url`: a fresh, empty database on it
# for one test, dropped afterwards. When this machine cannot host a server (no binaries, no
# `postgres` user) the tests skip with the reason, except under CI=true, where they fail.
import importlib.util as _importlib_util  # noqa: E402
import os as _os  # noqa: E402
import sys as _sys  # noqa: E402
import uuid as _uuid  # noqa: E402


def _load_pg_module():
    name = "communique_tests_pg"  # not `pg`: that name belongs to PyGreSQL
    if name not in _sys.modules:
        spec = _importlib_util.spec_from_file_location(name, Path(__file__).with_name("pg.py"))
        module = _importlib_util.module_from_spec(spec)
        _sys.modules[name] = module
        spec.loader.exec_module(module)
    return _sys.modules[name]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "postgres: needs a real PostgreSQL server (fixtures pg_url / pg_db_url)"
    )


@pytest.fixture(scope="session")
def pg_url():
    pg = _load_pg_module()
    server = pg.TempPostgres()
    try:
        server.start()
    except pg.PostgresUnavailable as exc:
        if _os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and PostgreSQL is unavailable: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def _pg_admin_engine(pg_url):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_db_url(_pg_admin_engine):
    from sqlalchemy import text

    name = f"test_{_uuid.uuid4().hex[:16]}"
    with _pg_admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _pg_admin_engine.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with _pg_admin_engine.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# --- property tests (tests/hostile.py) ------------------------------------------------------------
# hypothesis's profile (CI's fixed 200 cases, or `make fuzz`'s) is loaded by hostile.py; the cases
# each property ran are printed at the end of the run, so a CI log records them.
def pytest_terminal_summary(terminalreporter):
    _print_kills(terminalreporter)
    hostile = _sys.modules.get("hostile")
    if hostile is None or not hostile.RAN:
        return
    terminalreporter.section("property test cases run")
    for name, n in sorted(hostile.RAN.items()):
        terminalreporter.write_line(f"{name}: {n} cases")
    terminalreporter.write_line(f"{len(hostile.RAN)} properties, {sum(hostile.RAN.values())} cases in all "
                                f"(each must run at least {hostile.CASES})")


# the kill runs of tests/test_crash.py, printed like the property cases so a CI log records them
def _print_kills(terminalreporter):
    crash = _sys.modules.get("test_crash")
    if crash is None or not crash.KILLS:
        return
    terminalreporter.section("crash runs: kills survived")
    for (backend, phase), n in sorted(crash.KILLS.items()):
        terminalreporter.write_line(f"{backend}, {phase}: {n}")
    terminalreporter.write_line(f"{sum(crash.KILLS.values())} kills in all, each followed by an integrity check "
                                "and a re-run that ended with the rows of an unbroken run")
