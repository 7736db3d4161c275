"""The REST API through FastAPI's TestClient: every endpoint, filters, paging, CSV, corrections
with history, posting documents, auth refusals, bad parameters and size limits (clear 4xx)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from communique.api import create_app
from communique.ingest import Sources
from communique.jobs import ingest
from communique.store import Store

STORIES = Path(__file__).parent / "data" / "stories" / "reports.jsonl"
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "events.db"
    store = Store(str(path))
    ingest(store, Sources([str(STORIES), str(EXAMPLES)]))
    token = store.create_token("ana")
    store.close()
    return path, token


@pytest.fixture
def client(filled, tmp_path):
    # each test gets its own copy, so corrections and posts do not leak between tests
    import shutil

    path, token = filled
    copy = tmp_path / "events.db"
    shutil.copy(path, copy)
    with TestClient(create_app(str(copy)), raise_server_exceptions=False) as c:
        c.token = token
        c.token_headers = {"Authorization": f"Bearer {token}"}
        yield c


def test_events_list_paging_and_total(client):
    r = client.get("/api/events", params={"limit": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] > 5 and len(body["events"]) == 5
    page2 = client.get("/api/events", params={"limit": 5, "offset": 5}).json()["events"]
    assert not {e["event_id"] for e in body["events"]} & {e["event_id"] for e in page2}
    dates = [e["date"] for e in body["events"]]
    assert dates == sorted(dates, reverse=True)


def test_events_filters(client):
    get = lambda **p: client.get("/api/events", params={"limit": 1000, **p}).json()["events"]  # noqa: E731
    assert {e["type"] for e in get(type="ASSAULT")} == {"ASSAULT"}
    countries = lambda e: {(side or {}).get("country") for side in (e["source"], e["target"])}  # noqa: E731
    assert get(actor="PAK") and all("PAK" in countries(e) for e in get(actor="PAK"))
    dyad = get(dyad="IND:JPN") + get(dyad="JPN:IND")
    assert dyad and all({e["source"]["country"], e["target"]["country"]} == {"IND", "JPN"} for e in dyad)
    assert all(e["date"] >= "2025-09-01" for e in get(since="2025-09-01"))
    near = get(near="31.93,70.46,60")
    assert near and all(e["location"]["country"] == "PAK" for e in near)
    assert all(e["confidence"] >= 0.7 for e in get(min_confidence=0.7))
    assert all(any("Tokyo" in m["sentence"] for m in client.get(f"/api/events/{e['event_id']}").json()["mentions"])
               for e in get(q="tokyo"))
    by_sources = get(sort="-sources")
    assert [e["num_sources"] for e in by_sources] == sorted((e["num_sources"] for e in by_sources), reverse=True)


def test_events_csv(client):
    r = client.get("/api/events", params={"format": "csv", "type": "CONSULT", "limit": 3})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 3 and all(row["type"] == "CONSULT" for row in rows)


def test_one_event_with_mentions(client):
    meeting = [e for e in client.get("/api/events", params={"dyad": "IND:JPN", "type": "CONSULT"}).json()["events"]
               if e["num_documents"] >= 4]
    assert meeting, "the four reports of the Tokyo meeting should be one event"
    event = client.get(f"/api/events/{meeting[0]['event_id']}").json()
    assert len({m["doc_id"] for m in event["mentions"]}) >= 4
    m = event["mentions"][0]
    doc = client.get(f"/api/documents/{m['document_id']}").json()
    s, e = m["char_span"]
    assert doc["text"][s:e] == m["sentence"]
    assert any(ev["event_id"] == m["event_id"] for ev in doc["events"])


def test_aggregates(client):
    actors = client.get("/api/actors", params={"limit": 10}).json()["actors"]
    assert actors and actors[0]["events"] >= actors[-1]["events"]
    edges = client.get("/api/dyads").json()["dyads"]
    assert edges and {"source", "target", "events", "mean_intensity"} <= set(edges[0])
    months = client.get("/api/dyads", params={"source": "IND", "target": "JPN"}).json()["months"]
    assert months and months[0]["month"] == "2025-09" and months[0]["events"] >= 1
    places = client.get("/api/places", params={"type": "ASSAULT"}).json()["places"]
    assert places and all(p["lat"] is not None for p in places)
    weeks = client.get("/api/timeline", params={"bucket": "week", "since": "2025-08-01"}).json()["periods"]
    assert weeks and all(w["period"] >= "2025-07-28" for w in weeks)
    assert all(w["cooperative"] + w["conflictual"] <= w["events"] for w in weeks)
    assert any(w["type"] == "ASSAULT" and w["conflictual"] == w["events"] for w in weeks)
    stats = client.get("/api/stats").json()
    assert stats["documents"] >= 18 and stats["events"] > 0
    for path in ("/api/actors", "/api/dyads", "/api/places", "/api/timeline", "/api/stats"):
        r = client.get(path, params={"format": "csv"})
        assert r.status_code == 200 and r.text.count("\n") >= 2, path


def test_correction_needs_a_token(client):
    event_id = client.get("/api/events", params={"limit": 1}).json()["events"][0]["event_id"]
    r = client.patch(f"/api/events/{event_id}", json={"type": "REJECT", "why": "misread"})
    assert r.status_code == 401 and "token" in r.json()["error"] and r.headers["www-authenticate"] == "Bearer"
    r = client.patch(f"/api/events/{event_id}", json={"type": "REJECT", "why": "x"},
                     headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401 and "not valid" in r.json()["error"]


def test_correction_and_history(client):
    event = client.get("/api/events", params={"type": "ASSAULT", "limit": 1}).json()["events"][0]
    eid = event["event_id"]
    r = client.patch(f"/api/events/{eid}", headers=client.token_headers,
                     json={"type": "COERCE", "date": "2025-08-17", "why": "a raid, not an attack"})
    assert r.status_code == 200, r.text
    assert r.json()["type"] == "COERCE" and r.json()["corrected"] is True
    # queries and exports use the corrected view
    assert eid in {e["event_id"] for e in client.get("/api/events", params={"type": "COERCE", "limit": 1000}).json()["events"]}
    r = client.patch(f"/api/events/{eid}", headers=client.token_headers, json={"not_event": True, "who": "Ben", "why": "teaser"})
    assert r.json()["dismissed"] is True
    assert eid not in {e["event_id"] for e in client.get("/api/events", params={"limit": 1000}).json()["events"]}
    history = client.get(f"/api/events/{eid}/history").json()
    assert [c["who"] for c in history["corrections"]] == ["ana", "Ben"]
    assert history["original"]["type"] == "ASSAULT" and history["original"]["date"] == event["date"]
    assert history["corrections"][0]["why"] == "a raid, not an attack"


@pytest.mark.parametrize("body, message", [
    ({"type": "FIGHT", "why": "x"}, "not a PLOVER type"),
    ({"date": "last Tuesday", "why": "x"}, "not YYYY-MM-DD"),
    ({"source": {"country": "India"}, "why": "x"}, "alpha-3"),
    ({"location": {"name": "Nowhere"}, "why": "x"}, "lat, lon"),
    ({"why": "nothing to change"}, "at least one"),
    ({"type": "AGREE"}, "why"),
    ({"type": "AGREE", "why": "x", "colour": "red"}, "colour"),
])
def test_bad_corrections_are_400_or_422(client, body, message):
    eid = client.get("/api/events", params={"limit": 1}).json()["events"][0]["event_id"]
    r = client.patch(f"/api/events/{eid}", headers=client.token_headers, json=body)
    assert r.status_code in (400, 422) and message in r.json()["error"], r.text


def test_post_document(client):
    text = ("Police in Nairobi arrested 14 protesters on Tuesday after a march against new taxes, "
            "officials said.")
    r = client.post("/api/documents", headers=client.token_headers,
                    json={"text": text, "url": "https://example.org/nairobi", "published": "2025-06-25"})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "new" and r.json()["events"] >= 1
    again = client.post("/api/documents", headers=client.token_headers,
                        json={"text": text, "url": "https://example.org/nairobi", "published": "2025-06-25"})
    assert again.json()["status"] == "unchanged"
    doc = client.get(f"/api/documents/{r.json()['document_id']}").json()
    assert doc["text"] == text and doc["events"][0]["type"] == "COERCE"
    assert client.post("/api/documents", json={"text": text}).status_code == 401
    r = client.post("/api/documents", headers=client.token_headers, json={"title": "no body"})
    assert r.status_code == 422 and "text" in r.json()["error"]
    r = client.post("/api/documents", headers=client.token_headers,
                    json={"text": "Die Polizei nahm am Dienstag in Nairobi vierzehn Demonstranten fest, sagten Beamte."})
    assert r.status_code == 400 and "not English" in r.json()["error"]


@pytest.mark.parametrize("path, params, status, message", [
    ("/api/events", {"limit": 0}, 422, "limit"),
    ("/api/events", {"limit": 5000}, 400, "format=csv"),
    ("/api/events", {"limit": "many"}, 422, "limit"),
    ("/api/events", {"since": "yesterday"}, 422, "since"),
    ("/api/events", {"near": "1,2"}, 400, "LAT,LON,KM"),
    ("/api/events", {"dyad": "INDCHN"}, 400, "SOURCE:TARGET"),
    ("/api/events", {"sort": "colour"}, 400, "sort"),
    ("/api/events", {"format": "xml"}, 422, "format"),
    ("/api/events/nope", {}, 404, "no event"),
    ("/api/documents/999999", {}, 404, "no document"),
    ("/api/documents/abc", {}, 422, "document_id"),
    ("/api/dyads", {"source": "IND"}, 400, "both"),
    ("/api/timeline", {"bucket": "hour"}, 422, "bucket"),
])
def test_bad_parameters_are_clear_4xx(client, path, params, status, message):
    r = client.get(path, params=params)
    assert r.status_code == status and message in r.json()["error"], r.text
    assert "Traceback" not in r.text


def test_body_size_limit(filled, tmp_path):
    path, token = filled
    with TestClient(create_app(str(path), max_body=1000)) as c:
        r = c.post("/api/documents", headers={"Authorization": f"Bearer {token}"}, json={"text": "x" * 5000})
        assert r.status_code == 413 and "limit" in r.json()["error"]


def test_openapi_docs_and_dashboard(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/events", "/api/events/{event_id}", "/api/events/{event_id}/history", "/api/actors",
              "/api/dyads", "/api/places", "/api/stats", "/api/timeline", "/api/documents", "/api/documents/{document_id}"):
        assert p in paths, p
