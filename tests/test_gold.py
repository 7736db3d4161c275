"""End to end on the shared gold files (skipped when ../shared is not beside the checkout)."""
import json

from communique import Document, extract_many
from communique.evaluate import score
from conftest import shared_file


def code(path):
    docs = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    from datetime import date

    preds = []
    for _, events in extract_many(Document(d["id"], d["text"], date.fromisoformat(d["published"])) for d in docs):
        preds.extend(e.to_dict() for e in events)
    return docs, preds


def test_seed_report_is_coded_right():
    docs, preds = code(shared_file("gold/seed.jsonl"))
    r = score(docs, preds)
    assert r["recall"] == 1.0 and r["precision"] >= 0.9, r
    assert r["chrome_events"] == 0
    assert r["location_acc"] == 1.0 and r["date_acc"] == 1.0 and r["fatalities_acc"] == 1.0


def test_no_event_from_page_chrome_in_dev_reports():
    docs, preds = code(shared_file("gold/news-dev.jsonl"))
    r = score(docs, preds)
    assert r["chrome_events"] == 0
    assert r["recall"] > 0.3  # a floor against regressions; quality targets live in benchmarks


def test_every_event_points_into_its_text():
    docs, preds = code(shared_file("gold/news-dev.jsonl"))
    text = {d["id"]: d["text"] for d in docs}
    for e in preds:
        a, b = e["char_span"]
        assert text[e["doc_id"]][a:b] == e["sentence"]
