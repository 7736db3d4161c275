"""The learned coder's corpus, labels and training path (a tiny slice, seconds)."""
from __future__ import annotations

import json
import os

import pytest

from communique.learn.corpus import CorpusError, parse_record, read_corpus, stats
from communique.learn.encoding import TRIGGER_LABELS, bio, decode_spans
from communique.learn.examples import split, windows

# sentences of our own (invented), none from any gold file
RECORDS = [
    {"id": "t-1", "style": "active", "published": "2021-03-04",
     "text": "Chilean and Peruvian envoys met in Arica on Tuesday and agreed to reopen the crossing.",
     "events": [{"type": "CONSULT", "trigger": "met", "source": "Chilean and Peruvian envoys",
                 "source_country": ["CHL", "PER"], "target": None, "target_country": None,
                 "negated": False, "hypothetical": False, "date": "on Tuesday"},
                {"type": "AGREE", "trigger": "agreed", "source": "Chilean and Peruvian envoys",
                 "source_country": ["CHL", "PER"], "target": None, "target_country": None,
                 "negated": False, "hypothetical": False, "date": "on Tuesday"}]},
    {"id": "t-2", "style": "passive",
     "text": "A convoy was shelled near Tessalit by unidentified gunmen, the army said.",
     "events": [{"type": "ASSAULT", "trigger": "shelled", "source": "unidentified gunmen", "source_country": "MLI",
                 "target": "A convoy", "target_country": "MLI", "negated": False, "hypothetical": False}]},
    {"id": "t-3", "style": "negative", "text": "The striker scored twice as Lyon beat Nantes.", "events": []},
    {"id": "t-4", "style": "active",
     "text": "Ghana did not expel the envoy, and Ghana said it would recall its own.",
     "events": [{"type": "SANCTION", "trigger": "expel", "source": "Ghana", "source_country": "GHA",
                 "target": "the envoy", "target_country": None, "negated": True, "hypothetical": False},
                {"type": "SANCTION", "trigger": "recall", "source": "it", "source_country": "GHA",
                 "target": None, "target_country": None, "negated": False, "hypothetical": True}]},
]


def test_quotes_become_spans_nearest_the_trigger():
    ex = parse_record(RECORDS[3], "w/s-01")
    text = ex.text
    recall = ex.events[1]
    assert text[recall.trigger.start:recall.trigger.end] == "recall"
    assert text[recall.source.start:recall.source.end] == "it"
    expel = ex.events[0]
    assert expel.source.start == 0 and expel.negated


def test_a_wrong_quote_or_label_is_an_error_naming_the_field():
    bad = json.loads(json.dumps(RECORDS[1]))
    bad["events"][0]["source"] = "unknown gunmen"
    with pytest.raises(CorpusError, match="source"):
        parse_record(bad, "w/s-01")
    bad = json.loads(json.dumps(RECORDS[1]))
    bad["events"][0]["type"] = "FIGHT"
    with pytest.raises(CorpusError, match="not a PLOVER type"):
        parse_record(bad, "w/s-01")
    bad = json.loads(json.dumps(RECORDS[3]))
    bad["events"][0]["trigger"] = "Ghana"  # twice in the text and no context
    with pytest.raises(CorpusError, match="occurs 2 times"):
        parse_record(bad, "w/s-01")
    bad = json.loads(json.dumps(RECORDS[3]))
    bad["events"][0]["source_country"] = "EUR"  # the EU is an international body: null
    with pytest.raises(CorpusError, match="not an ISO 3166-1"):
        parse_record(bad, "w/s-01")


def _write_corpus(tmp_path, batches: int = 6):
    root = tmp_path / "raw"
    for b in range(batches):
        folder = root / "w1"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"s-{b + 1:02d}.jsonl", "w") as f:
            for r in RECORDS:
                r = dict(r, id=f"{r['id']}-{b}", text=r["text"] + ("" if b == 0 else f" ({b})"))
                f.write(json.dumps(r) + "\n")
    return root


def test_duplicates_are_reported_and_whole_batches_held_out(tmp_path):
    root = _write_corpus(tmp_path)
    with open(root / "w1" / "s-01.jsonl", "a") as f:
        f.write(json.dumps(dict(RECORDS[0], id="copy")) + "\n")
    examples, errors = read_corpus([root])
    assert any("duplicate" in e for e in errors)
    train, held = split(examples)
    assert {e.batch for e in held} == {"w1/s-03"}
    assert not {e.batch for e in train} & {e.batch for e in held}
    s = stats(examples)
    assert s["by_type"]["SANCTION"][0] == 12 and s["no_event"] == 6


def test_a_corpus_copied_under_another_name_keeps_its_writers_and_split(tmp_path):
    root = _write_corpus(tmp_path)
    copy = tmp_path / "snapshot-2026"
    root.rename(copy)
    examples, _ = read_corpus([copy])
    assert {e.batch.split("/")[0] for e in examples} == {"w1"}
    assert {e.batch for e in split(examples)[1]} == {"w1/s-03"}
    one, _ = read_corpus([copy / "w1"])  # a writer's folder alone: still "<writer>/<batch>"
    assert {e.batch for e in one} == {e.batch for e in examples}


def test_bio_labels_decode_back_to_the_same_spans():
    offsets = [(0, 0), (0, 7), (8, 16), (17, 20), (20, 23), (0, 0)]
    labels = bio(offsets, [(8, 23, "ASSAULT")], TRIGGER_LABELS)
    assert labels[0] == -100 and labels[1] == 0
    assert decode_spans(offsets, [0 if x < 0 else x for x in labels], TRIGGER_LABELS)[0][:3] == (8, 23, "ASSAULT")


def _train_extra():
    """(Settings, train), or skip (fail under CI) when the train extra is not installed."""
    try:
        import torch  # noqa: F401
        from communique.learn.train import Settings, train
    except ImportError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and the train extra is missing: {exc}", pytrace=False)
        pytest.skip(f"train extra not installed: {exc}")
    return Settings, train


def test_training_on_a_tiny_slice_gives_a_working_deterministic_model(tmp_path):
    Settings, train = _train_extra()
    from communique.learn.runtime import EventTagger

    root = _write_corpus(tmp_path)
    outs = []
    for run in ("a", "b"):
        card = train(root, tmp_path / run, Settings(epochs=1, limit=12, batch_size=4))
        assert card["train_examples"] == 12 and card["held_out_examples"] == 4
        assert (tmp_path / run / "tagger.onnx").stat().st_size < 40_000_000
        tagger = EventTagger(tmp_path / run)
        tagged = tagger.tag(["Peru and Chile met in Lima."])[0]
        args = tagger.arguments([(tagged.text, 15, 18)])[0]
        assert tagged.probs.shape[1] == len(TRIGGER_LABELS)
        assert 0.0 <= args.negated <= 1.0
        outs.append(tagged.probs)
    import numpy as np
    assert np.allclose(outs[0], outs[1], atol=1e-5)  # same seed, same corpus: the same model
    assert card["corpus_sha256"] and card["settings"]["seed"] == 13


def test_a_long_report_is_cut_into_windows_that_keep_each_trigger(tmp_path):
    from communique.learn.encoding import load_tokenizer
    from communique.learn.runtime import MODEL_DIR
    from pathlib import Path
    tok_file = MODEL_DIR / "tokenizer.json"
    if not tok_file.exists():
        pytest.skip("no shipped model")
    tok = load_tokenizer(tok_file)
    long_text = " ".join(f"Officials in town {i} met on day {i}." for i in range(60)) + " Kenya and Uganda signed a pact."
    rec = {"id": "long", "text": long_text, "kind": "wire", "published": "2020-01-01",
           "events": [{"type": "AGREE", "trigger": "signed", "context": "Kenya and Uganda signed a pact",
                       "source": "Kenya and Uganda", "source_country": ["KEN", "UGA"], "target": None,
                       "target_country": None, "negated": False, "hypothetical": False}]}
    ex = parse_record(rec, "w/r-01")
    ws = windows(tok, ex)
    assert len(ws) > 1
    holding = [w for w in ws if w.events]
    assert len(holding) == 1 and holding[0].text[holding[0].events[0].trigger.start:].startswith("signed")


def test_a_mutual_act_of_countries_named_together_scores_as_one_key_per_pair():
    from communique.learn.heldout import gold_records

    rec = {"id": "k", "text": "Chile, Peru and Bolivia held talks in La Paz.", "events": [
        {"type": "CONSULT", "trigger": "held talks", "source": "Chile, Peru and Bolivia",
         "source_country": ["CHL", "PER", "BOL"], "target": None, "target_country": None},
        {"type": "MOBILIZE", "trigger": "held", "source": "Chile, Peru and Bolivia",
         "source_country": ["CHL", "PER"], "target": None, "target_country": None, "hypothetical": True}]}
    keys = {(e["type"], e["source"], e["target"]) for e in gold_records([parse_record(rec, "w/s-01")])[0]["events"]}
    assert keys == {("CONSULT", "CHL", "PER"), ("CONSULT", "CHL", "BOL"), ("CONSULT", "PER", "BOL")}


def test_the_checker_knows_the_same_sixteen_types_as_the_package():
    from communique.learn.corpus import TYPES
    from communique.model import PLOVER_TYPES

    assert TYPES == PLOVER_TYPES


def test_a_side_the_text_does_not_name_scores_as_any_only_when_asked():
    from communique.learn.heldout import gold_records

    rec = {"id": "u", "text": "Dockworkers in Valparaiso walked out on Monday.", "events": [
        {"type": "PROTEST", "trigger": "walked out", "source": "Dockworkers", "source_country": "CHL",
         "target": None, "target_country": None}]}
    ex = parse_record(rec, "w/s-01")
    strict = gold_records([ex])[0]["events"]
    lenient = gold_records([ex], unnamed="*")[0]["events"]
    assert strict == [{"type": "PROTEST", "source": "CHL", "target": None}]
    assert lenient == [{"type": "PROTEST", "source": "CHL", "target": "*"}]
    # a party named in words but with no country (an NGO) stays empty either way
    rec["events"][0]["target"] = "Dockworkers"
    assert gold_records([parse_record(rec, "w/s-01")], unnamed="*")[0]["events"][0]["target"] is None


# records in the gold files' format, invented here
GOLD_RECORDS = [
    {"id": f"R-{i:02d}", "published": "2000-01-01", "text": text, "events": events,
     "plover": {"event": typ, "eventText": words}}
    for i, (typ, words, text, events) in enumerate([
        ("AGREE", "agreed resume", "Senegal and Gambia agreed on Friday to resume ferry crossings.",
         [{"type": "AGREE", "source": "SEN", "target": "GMB"}]),
        ("RETREAT", "announced will return", "Officials announced that Peru will return the seized boats.",
         [{"type": "CONCEDE|RETREAT", "source": "PER", "target": None}]),
        ("PROTEST", "pulled out talks", "The union pulled out of talks with the ministry.",
         [{"type": "PROTEST", "source": "FRA", "target": "FRA"}]),
        ("INVESTIGATE", "opened inquiry", "Prosecutors opened an inquiry into the fire.", []),
        ("ASSAULT", "ambushed", "A convoy was hit near the border.", [{"type": "ASSAULT", "source": "*", "target": "MLI"}]),
    ])]


def test_gold_records_become_trigger_examples_in_fixed_folds():
    from communique.learn.gsr import examples, folds

    exs = {e.id: e for e in examples(GOLD_RECORDS)}
    assert "R-04" not in exs  # "ambushed" is not in its text: skipped, not guessed
    words = {i: e.text[e.events[0].trigger.start:e.events[0].trigger.end] for i, e in exs.items() if e.events}
    assert words == {"R-00": "agreed", "R-01": "return", "R-02": "pulled out"}
    assert exs["R-01"].events[0].type == "CONCEDE" and exs["R-03"].events == []
    assert folds(GOLD_RECORDS) == folds(list(reversed(GOLD_RECORDS)))
    assert sorted(set(folds(GOLD_RECORDS).values())) == [0, 1, 2, 3, 4]
    # the records name no party words: they train the trigger only, never "no source, no target"
    from communique.learn.encoding import load_tokenizer
    from communique.learn.examples import items, windows
    from communique.learn.train import base_model_dir

    tok = load_tokenizer(base_model_dir() / "tokenizer.json")
    rows = items(tok, windows(tok, exs["R-00"]))
    assert len(rows) == 1 and rows[0].trigger_labels is not None and rows[0].arg_labels is None


def test_training_can_start_from_saved_weights_and_add_gold_records(tmp_path):
    Settings, train = _train_extra()
    root = _write_corpus(tmp_path)
    gold = tmp_path / "records.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in GOLD_RECORDS))
    weights = tmp_path / "w.pt"
    train(root, tmp_path / "a", Settings(epochs=1, limit=8, batch_size=4, save_weights=weights))
    assert weights.stat().st_size > 1_000_000
    card = train(root, tmp_path / "b", Settings(epochs=1, limit=4, batch_size=4, init=weights, gsr=gold,
                                                gsr_skip_fold=0, replay=6))
    fold = __import__("communique.learn.gsr", fromlist=["folds"]).folds(GOLD_RECORDS)
    trained = sum(1 for r in GOLD_RECORDS if fold[r["id"]] != 0 and r["id"] != "R-04")
    assert card["gold_records"]["records_trained"] == trained and card["gold_records"]["fold_left_out"] == 0
    assert card["settings"]["init"] == str(weights)
    assert (tmp_path / "b" / "tagger.onnx").exists()


def test_a_model_can_keep_fewer_encoder_layers(tmp_path):
    Settings, train = _train_extra()
    from communique.learn.runtime import EventTagger

    root = _write_corpus(tmp_path)
    train(root, tmp_path / "six", Settings(epochs=1, limit=4, batch_size=4))
    card = train(root, tmp_path / "two", Settings(epochs=1, limit=4, batch_size=4, layers=2))
    assert card["settings"]["layers"] == 2
    six, two = ((tmp_path / d / "tagger.onnx").stat().st_size for d in ("six", "two"))
    assert two < 0.8 * six  # four of six transformer layers gone (the embeddings, half the size, stay)
    tagged = EventTagger(tmp_path / "two").tag(["Peru and Chile met in Lima."])[0]
    assert tagged.probs.shape[1] == len(TRIGGER_LABELS)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="no training examples"):  # the shipped model is never overwritten
        train(empty, tmp_path / "none", Settings(epochs=1))
    assert not (tmp_path / "none").exists()
    with pytest.raises(ValueError, match="has 6"):  # never random layers added on top
        train(root, tmp_path / "seven", Settings(epochs=1, limit=4, batch_size=4, layers=7))


def test_batches_are_never_padded_much():
    # int8 activations are scaled per batch, padding included: inputs of very different length
    # must not share a batch
    from communique.learn.runtime import BATCH, PAD_SLACK, _batches

    lengths = [5, 6, 7, 30, 31, 80] + [12] * (BATCH + 3)
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches = _batches(order, lengths)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(len(b) <= BATCH for b in batches)
    assert all(max(lengths[i] for i in b) - min(lengths[i] for i in b) <= PAD_SLACK for b in batches)
    assert [len(b) for b in batches if lengths[b[0]] == 12] == [BATCH, 3]
