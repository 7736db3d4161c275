"""`communique train` and `communique corpus check`: the learned coder's commands."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

log = logging.getLogger("communique")
out = Console()
corpus_app = typer.Typer(add_completion=False, no_args_is_help=True, help="The training corpus.")


def train(
    corpus: Path = typer.Option(Path("corpus/raw"), "--corpus", help="Folder of the corpus's JSONL batches."),
    output: Path = typer.Option(None, "--out", help="Where to write the model (default: the package's data/model)."),
    epochs: int = typer.Option(2, "--epochs", help="Passes over the corpus (2: the shipped model)."),
    seed: int = typer.Option(13, "--seed"),
    limit: Optional[int] = typer.Option(None, "--limit", help="Train on the first N examples only."),
    fraction: float = typer.Option(1.0, "--fraction", help="Share of the training batches (learning curve)."),
    all_batches: bool = typer.Option(False, "--all", help="Train on the held-out batches too (the shipped model)."),
    init: Optional[Path] = typer.Option(None, "--init", help="Start from these torch weights (a --save-weights file)."),
    save_weights: Optional[Path] = typer.Option(None, "--save-weights", help="Keep the torch weights here."),
    replay: Optional[int] = typer.Option(None, "--replay", help="Fine-tuning: train on this many corpus rows, drawn at random."),
    gsr: Optional[Path] = typer.Option(None, "--gold-records", help="PLOVER gold records (JSONL) to train on too."),
    gsr_skip_fold: Optional[int] = typer.Option(None, "--skip-fold", help="Leave this fold (0-4) of the records out."),
    learning_rate: float = typer.Option(8e-5, "--lr", help="The encoder's learning rate (the heads' is 12.5 times it)."),
    layers: Optional[int] = typer.Option(None, "--layers", min=1,
                                         help="Keep the encoder's first N layers (of 6; faster, smaller)."),
    threads: int = typer.Option(1, "--threads", help="Torch threads (1 on a machine busy with other work: "
                                "two threads waiting on a shared core run slower than one)."),
) -> None:
    """Rebuild the event tagger from the corpus (needs the train extra of pyproject.toml)."""
    try:
        from .learn.train import Settings
        from .learn.train import train as run
    except ImportError as exc:  # torch or transformers missing
        raise typer.BadParameter(f"training needs the train extra ({exc.name} is not installed): "
                                 "pip install -e '.[train]'") from None
    if not corpus.is_dir():
        raise typer.BadParameter(f"{corpus}: no such corpus folder")
    from .learn.runtime import MODEL_DIR

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    for noisy in ("root", "onnxruntime", "transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)  # the quantiser logs every tensor at INFO
    logging.getLogger("communique").setLevel(logging.INFO)
    if init is not None and not init.is_file():
        raise typer.BadParameter(f"{init}: no such weights file")
    if gsr is not None and not gsr.is_file():
        raise typer.BadParameter(f"{gsr}: no such gold records file")
    settings = Settings(epochs=epochs, seed=seed, limit=limit, fraction=fraction, holdout=not all_batches,
                        init=init, save_weights=save_weights, replay=replay, gsr=gsr, gsr_skip_fold=gsr_skip_fold,
                        learning_rate=learning_rate, head_learning_rate=learning_rate * 12.5, threads=threads,
                        layers=layers)
    with Progress(TextColumn("training"), BarColumn(), MofNCompleteColumn(), TextColumn("loss {task.fields[loss]:.3f}"),
                  TimeElapsedColumn(), console=Console(stderr=True)) as bar:
        task = bar.add_task("train", total=None, loss=0.0)
        try:
            card = run(corpus, output or MODEL_DIR, settings,
                       progress=lambda step, steps, loss: bar.update(task, completed=step, total=steps, loss=loss))
        except ValueError as exc:  # an empty corpus, or --layers beyond the encoder's depth
            raise typer.BadParameter(str(exc)) from None
    out.print(f"trained on {card['train_examples']} examples ({card['rows']} rows) in {card['train_seconds']} s; "
              f"{card['held_out_examples']} held out; model in {output or MODEL_DIR}")


@corpus_app.command("check")
def check(paths: List[Path] = typer.Argument(..., help="Corpus files or folders.")) -> None:
    """Validate spans, labels and duplicates; print the distribution."""
    from .learn.corpus import format_stats, read_corpus, stats

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise typer.BadParameter(f"{missing[0]}: no such file or folder")
    examples, errors = read_corpus(paths)
    for e in errors:
        log.error("%s", e)
    out.print(format_stats(stats(examples)), highlight=False)
    out.print(f"{len(errors)} error(s)")
    raise typer.Exit(1 if errors else 0)


@corpus_app.command("agree")
def agree(first: Path = typer.Argument(..., help="The corpus (first annotator)."),
          second: List[Path] = typer.Argument(..., help="The second annotator's files of the same ids.")) -> None:
    """Inter-annotator agreement on a blind re-labelled sample."""
    from .learn.agreement import agreement
    from .learn.corpus import read_corpus

    a, _ = read_corpus([first])
    b, errors = read_corpus(second)
    for e in errors:
        log.error("%s", e)
    r = agreement(a, b)
    out.print(f"texts {r['texts']}; events {r['events_first']} (first) / {r['events_second']} (second)")
    out.print(f"type + trigger words F1 {r['trigger_type_f1']:.3f}; type + countries F1 {r['country_key_f1']:.3f}; "
              f"event or none agreement {r['event_or_not_agreement']:.3f}")
