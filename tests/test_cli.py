"""The command line: output formats, bad input handled with one-line errors, eval agreement."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, shared_file

CLI = [sys.executable, "-m", "communique"]

REPORT = ("Kenya's foreign minister met his Ugandan counterpart in Nairobi on Tuesday. "
          "The two sides agreed to reopen the border crossing at Busia.\n")


def run(*args, stdin=None):
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "COLUMNS": "200"})


def test_extract_text_file_jsonl(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(REPORT)
    r = run("extract", str(f), "--published", "2024-03-07")
    assert r.returncode == 0, r.stderr
    events = [json.loads(l) for l in r.stdout.splitlines()]
    assert {(e["type"], e["source"]["country"], e["target"]["country"]) for e in events} >= {("CONSULT", "KEN", "UGA")}
    e = events[0]
    for k in ("doc_id", "event_id", "type", "mode", "contexts", "cameo", "intensity", "source", "target", "location",
              "date", "date_precision", "date_text", "fatalities", "negated", "hypothetical", "confidence",
              "sentence", "char_span", "evidence"):
        assert k in e
    assert REPORT[e["char_span"][0]:e["char_span"][1]] == e["sentence"]
    assert e["date"] == "2024-03-05"


def test_extract_stdin_and_table():
    r = run("extract", "-", "--published", "2024-03-07", "--format", "table", stdin=REPORT)
    assert r.returncode == 0, r.stderr
    assert "CONSULT" in r.stdout and "Nairobi" in r.stdout


def test_extract_output_file(tmp_path):
    out = tmp_path / "o.jsonl"
    r = run("extract", "-", "-o", str(out), stdin=REPORT)
    assert r.returncode == 0 and out.read_text().count("\n") >= 1


@pytest.mark.parametrize("content,problem", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"caf\xe9 au lait \xff\xfe", "not UTF-8"),
])
def test_unreadable_file_is_one_line_error_exit_2(tmp_path, content, problem):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    r = run("extract", str(f))
    assert r.returncode == 2
    assert problem in r.stderr and str(f) in r.stderr.replace("\n", "")
    assert "Traceback" not in r.stderr


def test_missing_file(tmp_path):
    r = run("extract", str(tmp_path / "nope.txt"))
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr


def test_malformed_jsonl_lines_reported_and_skipped(tmp_path):
    f = tmp_path / "batch.jsonl"
    good = {"id": "a", "text": REPORT, "published": "2024-03-07", "extra": 1}
    f.write_text("\n".join([json.dumps(good), "{not json", json.dumps({"id": "b"}),
                            json.dumps({"id": "c", "text": REPORT, "published": "07/03/2024"}),
                            json.dumps({**good, "id": "d"})]) + "\n")
    r = run("extract", str(f))
    assert r.returncode == 0, r.stderr
    assert f"{f}:2" in r.stderr and f"{f}:3" in r.stderr and f"{f}:4" in r.stderr
    assert "Traceback" not in r.stderr
    docs = {json.loads(l)["doc_id"] for l in r.stdout.splitlines()}
    assert docs == {"a", "d"}


def test_five_megabyte_text(tmp_path):
    f = tmp_path / "big.txt"
    para = "Police in Lagos arrested twelve protesters on Monday, officials said.\n"
    f.write_text(para * (5 * 1024 * 1024 // len(para)))
    r = run("extract", str(f), "--published", "2024-03-07", "-o", str(tmp_path / "o.jsonl"))
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Traceback" not in r.stderr


def test_folder_input(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT)
    (tmp_path / "b.txt").write_text(REPORT)
    r = run("extract", str(tmp_path), "--published", "2024-03-07")
    assert r.returncode == 0
    assert {json.loads(l)["doc_id"] for l in r.stdout.splitlines()} == {"a", "b"}


def test_eval_agrees_with_shared_scorer(tmp_path):
    gold = shared_file("gold/news-dev.jsonl")
    scorer = shared_file("tools/score_events.py")
    pred = tmp_path / "pred.jsonl"
    assert run("extract", str(gold), "-o", str(pred)).returncode == 0
    ours = json.loads(run("eval", str(gold), "--pred", str(pred), "--json").stdout)
    theirs = json.loads(subprocess.run([sys.executable, str(scorer), "--gold", str(gold), "--pred", str(pred), "--json"],
                                       capture_output=True, text=True).stdout)
    for k in ("tp", "fp", "fn", "precision", "recall", "f1", "chrome_events", "location_acc", "date_acc",
              "fatalities_acc", "per_type"):
        assert ours.get(k) == theirs.get(k), k
    assert ours["missed"][:50] == theirs["missed"] and ours["spurious"][:50] == theirs["spurious"]
