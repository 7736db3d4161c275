"""Five-fold cross-validation of the tagger on plover-gsr-dev, written to
benchmarks/results/gsr_cv.md.

    python benchmarks/gsr_cv.py --base build/weights/base-holdout.pt --base-model build/model-base

Issue 14 lets this one dev file train the model, by cross-validation only: for each fold, the
base weights (trained on the corpus's training batches, `communique train --save-weights`) are
fine-tuned for one epoch on the other four folds plus a random draw of corpus rows, and the fold
is coded by that model. The figure is over the five folds pooled. The same records coded by the
base model (no record seen) are the baseline, in the same run.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("COMMUNIQUE_ACTORS", "")
FOLDS = 5


def code_fold(gold: Path, fold: int | None) -> None:
    """Child process: code the records of one fold (all when fold is None) with the coder and model
    the environment names; print the events as JSONL."""
    from communique import Document, extract_many
    from communique.learn.gsr import folds, read_records

    records = read_records(gold)
    which = folds(records)
    docs = (Document(r["id"], r["text"], date.fromisoformat(r["published"])) for r in records
            if fold is None or which[r["id"]] == fold)
    for _, events in extract_many(docs):
        for e in events:
            print(json.dumps(e.to_dict()))


def coded(gold: Path, model: Path, mode: str, fold: int | None) -> list[dict]:
    env = dict(os.environ, COMMUNIQUE_MODEL=str(model), COMMUNIQUE_CODER=mode)
    args = [sys.executable, __file__, "--code", str(gold)] + ([] if fold is None else ["--fold", str(fold)])
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def train_fold(base: Path, gold: Path, out: Path, fold: int | None, replay: int, lr: float) -> float:
    if (out / "tagger.onnx").exists():
        return 0.0
    start = time.perf_counter()
    cmd = [str(Path(sys.executable).parent / "communique"), "train", "--init", str(base), "--epochs", "1",
           "--replay", str(replay), "--gold-records", str(gold), "--out", str(out), "--lr", str(lr),
           # --all: a fold model is only used on its fold, so skip scoring and calibrating it on the
           # corpus's held-out batches (minutes per fold); its replayed rows may then come from them
           "--all"]
    if fold is not None:
        cmd += ["--skip-fold", str(fold)]
    subprocess.run(cmd, check=True, cwd=ROOT)
    return time.perf_counter() - start


def fmt(v) -> str:
    return "–" if v is None else f"{v:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--base", type=Path, help="torch weights trained on the corpus (--save-weights)")
    ap.add_argument("--base-model", type=Path, help="the ONNX model of those weights (the baseline)")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "gsr-cv")
    ap.add_argument("--replay", type=int, default=3000)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "gsr_cv.md")
    ap.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--fold", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.code:
        return code_fold(a.code, a.fold)
    from communique.evaluate import score

    gold = a.shared / "gold" / "plover-gsr-dev.jsonl"
    if not gold.exists() or a.base is None or a.base_model is None:
        sys.exit("needs --base, --base-model and the gold file under --shared")
    records = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    seconds = [train_fold(a.base, gold, a.work / f"fold-{k}", k, a.replay, a.lr) for k in range(FOLDS)]
    lines = ["# plover-gsr-dev, five-fold cross-validation of the tagger", "",
             f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `python benchmarks/gsr_cv.py` "
             f"(fine-tune: 1 epoch, {a.replay} corpus rows replayed, lr {a.lr}; "
             f"{sum(seconds):.0f} s of training for the folds this run).", "",
             "Each fold is coded by a model fine-tuned on the other four; the figures pool the five. "
             "The baseline codes the same records with the base model, which saw none of them.", "",
             "| coder | model | P | R | F1 |", "|---|---|---|---|---|"]
    tables = {}
    for mode in ("model", "combined"):
        for label, preds in (
                ("base (no record seen)", coded(gold, a.base_model, mode, None)),
                ("cross-validated", [e for k in range(FOLDS) for e in coded(gold, a.work / f"fold-{k}", mode, k)])):
            r = score(records, preds)
            tables[(mode, label)] = r["per_type"]
            lines.append(f"| {mode} | {label} | {fmt(r['precision'])} | {fmt(r['recall'])} | **{fmt(r['f1'])}** |")
            print(f"{mode} {label}: P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}", flush=True)
    lines += ["", "## Recall per type (combined)", "", "| type | base | cross-validated |", "|---|---|---|"]
    base_t, cv_t = tables[("combined", "base (no record seen)")], tables[("combined", "cross-validated")]

    def rec(c):
        return c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None
    for t in sorted(set(base_t) | set(cv_t)):
        lines.append(f"| {t} | {fmt(rec(base_t[t]) if t in base_t else None)} | "
                     f"{fmt(rec(cv_t[t]) if t in cv_t else None)} |")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {a.out}")


if __name__ == "__main__":
    main()
