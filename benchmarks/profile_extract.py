"""Where `extract_many`'s time goes, by component: the tagger model (onnxruntime, tokenizers),
spaCy and thinc (the parse, and the coder's reads of tokens), and each Communique module.

    python benchmarks/profile_extract.py [--docs 48]

The corpus is throughput.py's (full-length reports). cProfile's own overhead inflates the
Python parts (the coder's modules) against the compiled ones (the model, the parse); the
shares are for finding what to cut, the speed is throughput.py's. Writes
benchmarks/results/profile_extract.md.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from communique import extract_many  # noqa: E402
from communique.ingest import Sources  # noqa: E402
from throughput import corpus  # noqa: E402


def component(filename: str, function: str) -> str:
    if "onnxruntime" in function or "onnxruntime" in filename:
        return "model: onnxruntime (the tagger)"
    if "tokenizers" in function or "tokenizers" in filename:
        return "model: tokenizers"
    if "/spacy/" in filename or "/thinc/" in filename or filename.endswith(".pyx"):
        return "spaCy and thinc (parse, token access)"
    if "/communique/" in filename:
        return "communique/" + filename.split("/communique/", 1)[1]
    return "other (Python builtins, numpy, stdlib)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--docs", type=int, default=48)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "profile_extract.md")
    a = ap.parse_args()
    from communique.learned import settings

    source = Path(tempfile.mkdtemp(prefix="communique-profile-")) / "corpus.jsonl"
    n, words, _ = corpus(a.shared, a.docs, source)
    docs = list(Sources([str(source)], english_only=False))
    list(extract_many(docs[:2]))  # loaded before profiling
    profile = cProfile.Profile()
    profile.enable()
    list(extract_many(docs, chunk=32))
    profile.disable()
    stats = pstats.Stats(profile)
    own: dict[str, float] = defaultdict(float)
    for (filename, _, function), (_, _, tottime, _, _) in stats.stats.items():
        own[component(filename, function)] += tottime
    total = sum(own.values())
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# Where extract's time goes: `benchmarks/profile_extract.py --docs {a.docs}`", "",
             f"{when}, commit {commit}; coder {settings().mode}; {n} full-length reports, {words} words; "
             f"{total:.1f} s under cProfile (which inflates the Python parts).", "",
             "| component | seconds (own time) | share |", "|---|---:|---:|"]
    for name, secs in sorted(own.items(), key=lambda kv: -kv[1]):
        if secs / total >= 0.003:
            lines.append(f"| {name} | {secs:.2f} | {100 * secs / total:.1f}% |")
    coder_own = sum(v for k, v in own.items() if k.startswith("communique/"))
    lines += ["", f"Communique's own modules together: {coder_own:.2f} s ({100 * coder_own / total:.1f}%)."]
    a.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
