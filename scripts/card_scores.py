"""Add held-out span scores and the confidence calibration to a trained model's card, for a model
trained before `communique train` wrote them itself. Held-out batches are the split's.

    python scripts/card_scores.py MODEL_DIR
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from communique.learn.calibrate import fit, held_out_spans  # noqa: E402
from communique.learn.corpus import read_corpus  # noqa: E402
from communique.learn.examples import split  # noqa: E402
from communique.learn.heldout import span_scores  # noqa: E402
from communique.learn.runtime import EventTagger  # noqa: E402

folder = Path(sys.argv[1])
card = json.loads((folder / "card.json").read_text())
_, held = split(read_corpus([Path(__file__).resolve().parents[1] / "corpus" / "raw"])[0])
held = [e for e in held if e.batch in set(card["held_out_batches"])] or held
tagger = EventTagger(folder)
card["held_out_scores"] = span_scores(tagger, held)
card["calibration"] = fit(*held_out_spans(tagger, held)) | {"fitted_on": "held-out batches' trigger spans"}
(folder / "card.json").write_text(json.dumps(card, indent=1) + "\n")
print(json.dumps({k: card["held_out_scores"][k] for k in ("trigger", "type_parties")}), card["calibration"])
