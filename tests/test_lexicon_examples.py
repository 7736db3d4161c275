"""Every event-word entry carries an example sentence of its own; each must code as stated."""
import pytest

from communique import extract
from communique.lexicon import load_yaml

ENTRIES = load_yaml("events/triggers.yaml").get("triggers") or []
TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


def test_lexicon_covers_all_sixteen_types():
    assert {e["type"] for e in ENTRIES} == TYPES


def test_ids_unique_and_examples_present():
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids))
    assert all(e.get("example") and e.get("expect") is not None for e in ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_example_codes_as_expected(entry):
    src, tgt = entry["expect"]
    events = [e for e in extract(entry["example"], "2024-05-15") if not e.negated and not e.hypothetical]
    keys = {(e.type, e.source.country if e.source else None, e.target.country if e.target else None) for e in events}
    assert (entry["type"], src, tgt) in keys, f"{entry['example']!r} gave {sorted(keys, key=str)}"


def test_a_key_given_twice_in_a_knowledge_file_is_refused(tmp_path):
    """PyYAML would keep the second list silently; the first one would be lost."""
    import pytest

    from communique.lexicon import LexiconError, load_yaml

    bad = tmp_path / "twice.yaml"
    bad.write_text("verbs: [say]\nother: 1\nverbs: [claim]\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_yaml(str(bad))
    assert "twice.yaml" in str(info.value) and "'verbs' is given twice" in str(info.value)
