"""Nothing let in: SQL injection in every filter and sort parameter, path traversal in every path
parameter, oversized and malformed bodies, a missing, wrong or revoked token on every write
endpoint, CORS from another origin, tokens kept out of logs and errors, `communique token
--revoke`, and the warning of a server bound to the network."""
from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from communique.api import create_app
from communique.ingest import Sources
from communique.jobs import ingest
from communique.store import Store

STORIES = Path(__file__).parent / "data" / "stories" / "reports.jsonl"
CLI = [sys.executable, "-m", "communique"]
REPORT = "Police arrested 12 protesters in Lagos on Tuesday after a march through the city, officials said."
INJECTIONS = ["' OR 1=1 --", "x' OR 'a'='a", "'; DROP TABLE stories; --", "\" OR \"\"=\"", "1) OR (1=1",
              "IND' UNION SELECT hash, name, 1, 1 FROM tokens --", "%' --", "*' --", "\\' OR 1=1 --",
              "-date; DELETE FROM events", "date, (SELECT hash FROM tokens)", "NEAR(stories_fts) OR *"]
TEXT_FILTERS = ["actor", "dyad", "type", "q", "near", "since", "until", "min_confidence", "flagged"]
TRAVERSALS = ["../../../../etc/passwd", "..%2f..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
              "....//....//....//etc/passwd", "/etc/passwd", "..\\..\\..\\windows\\win.ini", "%252e%252e%252fetc"]


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    path = tmp_path_factory.mktemp("sec") / "events.db"
    store = Store(str(path))
    ingest(store, Sources([str(STORIES)]))
    store.close()
    return path


@pytest.fixture
def served(filled, tmp_path):
    copy = tmp_path / "events.db"
    shutil.copy(filled, copy)
    store = Store(str(copy))
    good, revoked = store.create_token("ana"), store.create_token("gone")
    assert store.revoke_token(revoked) == 1
    with TestClient(create_app(store), raise_server_exceptions=False) as client:
        client.tokens = {"good": good, "revoked": revoked}
        client.store = store
        yield client
    store.close()


def _rows(store: Store) -> dict:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("documents", "events", "stories", "actors", "places", "tokens", "corrections")}


@pytest.mark.parametrize("param", TEXT_FILTERS + ["sort"])
def test_sql_injection_in_every_filter_and_sort_parameter_is_only_a_value(served, param):
    before = _rows(served.store)
    baseline = served.get("/api/events", params={"limit": 1}).json()["total"]
    from sqlalchemy import text

    with served.store.engine.connect() as conn:
        hashes = list(conn.execute(text("SELECT hash FROM tokens")).scalars())
    assert hashes
    for endpoint in ("/api/events", "/api/places", "/api/timeline", "/api/dyads"):
        for attack in INJECTIONS:
            r = served.get(endpoint, params={param: attack})
            assert r.status_code in (200, 400, 422), (endpoint, param, attack, r.text)
            if r.status_code >= 400:
                assert r.json()["error"] and not any(w in r.text for w in ("Traceback", "sqlite", "FROM stories"))
            elif endpoint == "/api/events" and param in ("actor", "dyad", "type", "q"):
                assert r.json()["total"] == 0  # matched as a literal value: nothing has that name
            assert not any(h in r.text for h in hashes)  # no UNION reached the tokens table
    for attack in INJECTIONS:  # the pair endpoint takes its sides as parameters too
        r = served.get("/api/dyads", params={"source": attack, "target": attack})
        assert r.status_code == 200 and r.json()["months"] == []
    assert _rows(served.store) == before
    assert served.get("/api/events", params={"limit": 1}).json()["total"] == baseline


@pytest.mark.parametrize("template", ["/api/events/{}", "/api/events/{}/history", "/api/documents/{}", "/static/{}",
                                      "/{}"])
def test_path_traversal_in_every_path_parameter_reads_nothing_outside(served, template):
    for attack in TRAVERSALS:
        r = served.get(template.format(attack))
        assert r.status_code in (404, 400, 422), (template, attack, r.status_code)
        assert "root:" not in r.text and "[fonts]" not in r.text and "sqlite" not in r.text.lower()
        assert r.headers["content-type"].startswith("application/json")


def _write_endpoints(app) -> list[tuple[str, str]]:
    """Every route that changes something, found from the app itself (a new one is covered too)."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        for method in operations:
            if method.upper() not in ("GET", "HEAD", "OPTIONS"):
                found.append((method.upper(), path.replace("{event_id}", "s0").replace("{document_id}", "1")))
    return found


def test_every_write_endpoint_refuses_a_missing_wrong_or_revoked_token(served):
    writes = _write_endpoints(served.app)
    assert {m for m, _ in writes} >= {"POST", "PATCH"} and len(writes) >= 2
    before = _rows(served.store)
    bodies = {"POST": {"text": REPORT}, "PATCH": {"type": "ASSAULT", "why": "test"}}
    refused = 0
    for method, path in writes:
        for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {served.tokens['good']}"},
                        {"Authorization": f"Bearer {served.tokens['revoked']}"}, {"Authorization": "Bearer "},
                        {"Authorization": f"Bearer {served.tokens['good']}x"}, {"X-Token": served.tokens["good"]}):
            r = served.request(method, path, json=bodies.get(method, {}), headers=headers)
            assert r.status_code == 401, (method, path, headers, r.text)
            assert r.headers["www-authenticate"] == "Bearer"
            refused += 1
    assert refused == 7 * len(writes)
    assert _rows(served.store) == before
    ok = served.post("/api/documents", json={"text": REPORT}, headers={"Authorization": f"Bearer {served.tokens['good']}"})
    assert ok.status_code == 201


@pytest.mark.parametrize("body, content_type, status", [
    (b"[" * 200_000, "application/json", 400),  # nested past any parser's stack
    (b'{"text": ' * 50_000, "application/json", 400),
    (b"\xff\xfe\x00{", "application/json", 422),
    (b"", "application/json", 422),
    (b"null", "application/json", 422),
    (b'{"text": 5}', "application/json", 422),
    (b'{"text": "x", "admin": true}', "application/json", 422),  # unknown fields are refused
    (b'{"html": "<div>' + b"<div>" * 100_000 + b'"}', "application/json", 400),
    (b"text=hello", "application/x-www-form-urlencoded", 422),
])
def test_malformed_bodies_are_clear_4xx_and_store_nothing(served, body, content_type, status):
    before = _rows(served.store)
    headers = {"Authorization": f"Bearer {served.tokens['good']}", "Content-Type": content_type}
    for method, path in (("POST", "/api/documents"), ("PATCH", "/api/events/s0")):
        r = served.request(method, path, content=body, headers=headers)
        # a PATCH body that parses reaches the handler, which finds no event s0
        assert r.status_code == status if method == "POST" else r.status_code in (400, 404, 422), (method, r.text)
        assert r.json()["error"] and "Traceback" not in r.text
    assert _rows(served.store) == before


def test_oversized_bodies_are_refused_before_they_are_read(served):
    headers = {"Authorization": f"Bearer {served.tokens['good']}", "Content-Type": "application/json"}
    big = b'{"text": "' + b"a" * (6 * 2**20) + b'"}'
    assert served.post("/api/documents", content=big, headers=headers).status_code == 413

    def chunks():  # no Content-Length: the limit counts what streams in
        yield b'{"text": "'
        for _ in range(7):
            yield b"a" * 2**20
        yield b'"}'
    r = served.post("/api/documents", content=chunks(), headers=headers)
    assert r.status_code == 413 and "limit" in r.json()["error"]
    r = served.post("/api/documents", content=b"{}", headers={**headers, "Content-Length": "99999999999"})
    assert r.status_code == 413


def test_no_cors_for_another_origin(served):
    origin = {"Origin": "https://evil.example"}
    r = served.get("/api/events", headers=origin)
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
    pre = served.options("/api/documents", headers={**origin, "Access-Control-Request-Method": "POST",
                                                    "Access-Control-Request-Headers": "authorization"})
    assert pre.status_code in (400, 405) and "access-control-allow-origin" not in pre.headers
    assert "access-control-allow-credentials" not in pre.headers


def test_a_token_never_appears_in_a_response_or_a_log(served, caplog):
    good, revoked = served.tokens["good"], served.tokens["revoked"]
    caplog.set_level(logging.DEBUG)
    answers = [
        served.post("/api/documents", json={"text": REPORT}, headers={"Authorization": f"Bearer {good}"}),
        served.post("/api/documents", json={"text": ""}, headers={"Authorization": f"Bearer {good}"}),
        served.post("/api/documents", json={"text": REPORT}, headers={"Authorization": f"Bearer {revoked}"}),
        served.post("/api/documents", json={"text": REPORT}, headers={"Authorization": f"Basic {good}"}),
        served.patch("/api/events/nope", json={"why": "x", "type": "NOPE"}, headers={"Authorization": f"Bearer {good}"}),
    ]
    assert [a.status_code for a in answers[:5]] == [201, 422, 401, 401, 404]
    for answer in answers:
        assert good not in answer.text and revoked not in answer.text and good not in str(answer.headers)
    assert good not in caplog.text and revoked not in caplog.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_running_server_logs_no_token_and_obeys_a_revocation(filled, tmp_path):
    """`communique serve -v` (access log on): a token used, refused and revoked never reaches its
    output, and `communique token --revoke` shuts a token out of a server already running."""
    db = tmp_path / "events.db"
    shutil.copy(filled, db)
    made = subprocess.run([*CLI, "token", "--db", str(db), "--name", "ci"], capture_output=True, text=True, timeout=120)
    token = made.stdout.split()[-1]
    assert made.returncode == 0 and len(token) > 30
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([*CLI, "serve", "--db", str(db), "--port", str(port), "-v"], stdout=out, stderr=out)
        try:
            base, auth = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {token}"}
            deadline = time.monotonic() + 120
            while True:
                try:
                    httpx.get(f"{base}/api/stats", timeout=2)
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline and proc.poll() is None, log.read_text()
                    time.sleep(0.2)
            assert httpx.post(f"{base}/api/documents", json={"text": REPORT}, headers=auth, timeout=60).status_code == 201
            assert httpx.post(f"{base}/api/documents", json={"bad": 1}, headers=auth, timeout=60).status_code == 422
            revoked = subprocess.run([*CLI, "token", "--db", str(db), "--revoke", token], capture_output=True, text=True,
                                     timeout=120)
            assert revoked.returncode == 0 and "1 token revoked" in revoked.stdout and token not in revoked.stdout
            assert httpx.post(f"{base}/api/documents", json={"text": REPORT + " Again."}, headers=auth,
                              timeout=60).status_code == 401
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    output = log.read_text()
    assert "POST /api/documents" in output  # the access log was on
    assert token not in output


def test_token_revoke_by_name_and_unknown_is_one_line(tmp_path):
    from communique.cli import app

    db = str(tmp_path / "t.db")
    runner = CliRunner()
    tokens = [runner.invoke(app, ["token", "--db", db, "--name", "bob"]).output.split()[-1] for _ in range(2)]
    keep = runner.invoke(app, ["token", "--db", db, "--name", "eve"]).output.split()[-1]
    r = runner.invoke(app, ["token", "--db", db, "--revoke", "bob"])
    assert r.exit_code == 0 and "2 tokens revoked" in r.output
    with Store(db) as store:
        assert [store.check_token(t) for t in tokens] == [None, None] and store.check_token(keep) == "eve"
    r = runner.invoke(app, ["token", "--db", db, "--revoke", "no-such-token-or-name"])
    assert r.exit_code == 2 and "nothing revoked" in r.output and "no-such-token-or-name" not in r.output


@pytest.mark.parametrize("host, warned", [("0.0.0.0", True), ("::", True), ("192.168.1.5", True), ("127.0.0.1", False)])
def test_serving_on_the_network_warns_that_writes_are_open_with_a_token(tmp_path, monkeypatch, host, warned):
    import uvicorn

    from communique.cli import app

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)  # the warning, not the serving, is tested here
    r = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "t.db"), "--host", host])
    assert r.exit_code == 0
    text = " ".join(r.output.split())
    assert ("writes to anyone on it who holds a token" in text) is warned
