"""Article-body extraction: Communique's HTML stage against trafilatura, in one run.

    python benchmarks/extraction.py [--shared ../shared] [--options] [--out benchmarks/results/extraction.md]

Data: ../shared/benchmarks/article-extraction/ (181 pages with a reference article body; its
README describes the scoring, implemented in benchmarks/extraction_score.py). Systems, each run
on every page, timed separately:

  a. trafilatura.extract(html)                          library defaults: the baseline
  b. trafilatura.extract(html, include_comments=False)  the upstream benchmark's call
  c. communique.ingest.html.read_html(...).text         Communique's HTML stage
  d. read_html, then communique.clean.clean, kept segments joined by blank lines: the text the
     event coder reads

Output: a table (P / R / F1 / exact-token accuracy, +- bootstrap SD over pages, same resamples
for every system), paired F1 differences, the English-only subset, pages/s, the pages where (d)
loses text that (c) had and why, and with --options a sweep of trafilatura options for (c).
The table is printed and written to benchmarks/results/extraction.md.
"""
from __future__ import annotations

import argparse
import gzip
import json
import platform
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from extraction_score import (bootstrap, paired_f1_difference, score_page, shingles,  # noqa: E402
                              summarise, tokens)

REL = Path("benchmarks") / "article-extraction"
RESAMPLES, SEED = 1000, 0

SYSTEMS = {
    "a": "trafilatura.extract(html) — default settings (baseline)",
    "b": "trafilatura.extract(html, include_comments=False) — upstream's call",
    "c": "Communique HTML stage — read_html(...).text",
    "d": "Communique body — read_html, then clean(), segments joined by blank lines",
}

# From the README of the benchmark directory (upstream README at commit 4a3bc97, and the
# README's own measurement with trafilatura 2.3.1): precision, recall, F1, accuracy and their +-.
PUBLISHED = [
    ("trafilatura 2.0.0, upstream's call (table A)", (0.938, 0.009), (0.978, 0.006), (0.958, 0.006), (0.293, 0.034)),
    ("rs_trafilatura 9261e08 (table A)", (0.951, 0.006), (0.990, 0.003), (0.970, 0.004), (0.287, 0.032)),
    ("go_trafilatura ae7ea06 (table A)", (0.940, 0.009), (0.980, 0.006), (0.960, 0.007), (0.287, 0.033)),
    ("readability_js 0.6.0 (table A)", (0.914, 0.008), (0.982, 0.003), (0.947, 0.005), (0.166, 0.028)),
    ("readability (lxml) 0.8.4.1 (table A)", (0.913, 0.014), (0.931, 0.015), (0.922, 0.013), (0.315, 0.034)),
    ("goose3 3.1.20 (table A)", (0.940, 0.013), (0.856, 0.020), (0.896, 0.015), (0.232, 0.032)),
    ("justext 3.0.2 (table A)", (0.858, 0.016), (0.756, 0.028), (0.804, 0.018), (0.088, 0.021)),
    ("newspaper4k 0.9.3.1 (table B)", (0.964, 0.008), (0.934, 0.011), (0.949, 0.008), (0.326, 0.033)),
    ("AutoExtract, Nov 2019, commercial (table C)", (0.984, 0.002), (0.956, 0.010), (0.970, 0.005), (0.470, 0.037)),
    ("Diffbot, Nov 2019, commercial (table C)", (0.958, 0.009), (0.944, 0.013), (0.951, 0.010), (0.348, 0.038)),
    ("README, measured: trafilatura 2.3.1 default settings", (0.928, 0.010), (0.978, 0.006), (0.953, 0.006), (0.249, 0.032)),
    ("README, measured: trafilatura 2.3.1 include_comments=False", (0.942, 0.008), (0.978, 0.006), (0.960, 0.005), (0.293, 0.034)),
]

PACKAGES = ["trafilatura", "lxml", "lxml_html_clean", "htmldate", "justext", "courlan",
            "charset-normalizer", "py3langid"]


def load(bench: Path) -> tuple[list[str], dict[str, dict], dict[str, str]]:
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)
    pages = {}
    for i in ids:
        with gzip.open(bench / "html" / f"{i}.html.gz", "rt", encoding="utf8") as f:
            pages[i] = f.read()
    return ids, truth, pages


def run_systems(ids, truth, pages, repeat: int = 1):
    """Predicted text per system and page, the seconds each system took (best of `repeat`
    passes, the systems taking turns so that load from other processes hits them alike), and
    (d)'s Cleaned results."""
    import trafilatura

    from communique.clean import clean
    from communique.ingest.base import InputError
    from communique.ingest.html import read_html

    def read(i):
        try:
            return read_html(pages[i], i, f"article-extraction/{i}", url=truth[i]["url"])
        except InputError as exc:
            print(f"  read_html refused {i}: {exc}")
            return None

    def body(doc):
        if doc is None:
            return "", None
        c = clean(doc)
        return "\n\n".join(doc.text[s.start:s.end] for s in c.segments), c

    runners = {
        "a": lambda i: trafilatura.extract(pages[i]) or "",
        "b": lambda i: trafilatura.extract(pages[i], include_comments=False) or "",
        "c": lambda i: (lambda d: d.text if d else "")(read(i)),
        "d": lambda i: body(read(i)),
    }
    first = ids[0]
    for run in runners.values():  # warm-up: imports, stop lists, lexicons out of the timings
        run(first)
    preds, seconds, cleaned = {}, {}, {}
    for _ in range(repeat):
        for name, run in runners.items():
            start = time.perf_counter()
            out = {i: run(i) for i in ids}
            took = time.perf_counter() - start
            seconds[name] = min(took, seconds.get(name, took))
            if name == "d":
                cleaned = {i: out[i][1] for i in ids}
                out = {i: out[i][0] for i in ids}
            if name in preds and preds[name] != out:
                sys.exit(f"extraction benchmark: system {name} gave different text in two passes")
            preds[name] = out
    return preds, seconds, cleaned


def option_sweep(ids, truth, pages, reference):
    """(c) with other trafilatura options: F1 and the paired difference against `reference`."""
    import trafilatura

    from communique.ingest.html import OPTIONS

    variants = {
        "favor_precision=True": dict(favor_precision=True),
        "favor_recall=True": dict(favor_recall=True),
        "include_tables=False": dict(include_tables=False),
        "deduplicate=True": dict(deduplicate=True),
        "include_comments=True": dict(include_comments=True),
    }
    rows = []
    for label, change in variants.items():
        opts = {**OPTIONS, **change}
        start = time.perf_counter()
        texts = {}
        for i in ids:
            r = trafilatura.bare_extraction(pages[i], url=truth[i]["url"], **opts)
            texts[i] = (r.text or "") if r is not None else ""
        took = time.perf_counter() - start
        scores = [score_page(truth[i]["articleBody"], texts[i]) for i in ids]
        s = summarise(scores)
        diff, sd = paired_f1_difference(scores, reference, RESAMPLES, SEED)
        rows.append((label, s, diff, sd, len(ids) / took))
        print(f"  option {label:24s} P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f} "
              f"acc {s.accuracy:.3f} empty {s.empty}  F1 vs chosen {diff:+.4f} ± {sd:.4f}")
    return rows


def _contained(needle: list[str], hay: str) -> bool:
    return bool(needle) and ("\x01" + "\x01".join(needle) + "\x01") in hay


def lost_lines(doc, cleaned, truth_text: str):
    """Lines of (c)'s text that are in the truth but not (wholly) in (d), with the reason.

    Reasons follow from where the line stands relative to what `clean` kept: before its first
    kept line (taken for headline / page top), at or after its body end (an end marker ended the
    body), partly kept (a leading dateline stripped), or dropped inside the body (teaser ending,
    a chrome line pattern, or a non-sentence line under six words).
    """
    from communique.clean import rules

    r = rules()
    t_toks = tokens(truth_text)
    hay = "\x01" + "\x01".join(t_toks) + "\x01"
    t_sh = shingles(t_toks)
    text = doc.text
    kept = bytearray(len(text))
    for s in cleaned.segments:
        kept[s.start:s.end] = b"\x01" * (s.end - s.start)
    first_kept = cleaned.segments[0].start if cleaned.segments else len(text)
    marker_line = text[cleaned.body_end:].splitlines()[0].strip() if cleaned.body_end < len(text) else ""
    out = []
    pos = 0
    for n, full in enumerate(text.splitlines(keepends=True)):  # the lines as `clean` sees them
        raw = full.rstrip("\r\n")
        s, e = pos, pos + len(raw)
        pos += len(full)
        line = raw.strip()
        if not line or all(kept[s:e]):
            continue
        lost = "".join(ch for ch, k in zip(raw, kept[s:e]) if not k)
        toks = tokens(lost)
        if not toks:
            continue
        sh = shingles(toks)
        in_truth = _contained(toks, hay) or sum(min(c, t_sh[x]) for x, c in sh.items()) >= 0.5 * sum(sh.values())
        if not in_truth:
            continue
        if any(kept[s:e]):
            why = "dateline stripped"
        elif s >= cleaned.body_end and cleaned.body_end < len(text):
            why = "end marker" if s == cleaned.body_end else "after end marker"
        elif e <= first_kept:
            why = "before first prose line"
        elif r.teaser_endings.search(line):
            why = "teaser ending"
        elif r.line_patterns.match(line):
            why = "chrome line pattern"
        else:
            why = "other dropped line (1-3 word label, skipped promo)"
        out.append((n, why, len(toks), line, marker_line if "marker" in why else ""))
    return out


def fmt(v, sd):
    return f"{v:.3f} ± {sd:.3f}"


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        mine = ["src/communique/ingest/html.py", "src/communique/clean.py",
                "benchmarks/extraction.py", "benchmarks/extraction_score.py"]
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", *mine],
                               capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes to the measured files)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def versions() -> str:
    out = [f"CPython {platform.python_version()}", platform.system() + " " + platform.machine()]
    for p in PACKAGES:
        try:
            out.append(f"{p} {metadata.version(p)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--options", action="store_true", help="also sweep trafilatura options for (c)")
    ap.add_argument("--repeat", type=int, default=3, help="timing passes per system (best is kept)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "extraction.md")
    ap.add_argument("--no-write", action="store_true", help="print only")
    a = ap.parse_args()
    bench = a.shared / REL
    if not (bench / "ground-truth.json").is_file() or not (bench / "html").is_dir():
        sys.exit(f"extraction benchmark: {bench} not found. It lives in the shared directory beside "
                 f"the checkout ({ROOT.parent / 'shared'}); pass --shared PATH if it is elsewhere.")

    started = time.perf_counter()
    ids, truth, pages = load(bench)
    print(f"{len(ids)} pages from {bench}")
    preds, seconds, cleaned = run_systems(ids, truth, pages, max(1, a.repeat))

    from communique.ingest.language import detect

    lang = {i: detect(truth[i]["articleBody"])[0] for i in ids}
    english = [k for k, i in enumerate(ids) if lang[i] == "en"]

    scores = {n: [score_page(truth[i]["articleBody"], preds[n][i]) for i in ids] for n in SYSTEMS}
    summary = {n: summarise(s) for n, s in scores.items()}
    sds = {n: bootstrap(s, RESAMPLES, SEED) for n, s in scores.items()}
    en_scores = {n: [s[k] for k in english] for n, s in scores.items()}
    en_summary = {n: summarise(s) for n, s in en_scores.items()}
    en_sds = {n: bootstrap(s, RESAMPLES, SEED) for n, s in en_scores.items()}
    paired = {(x, y): paired_f1_difference(scores[x], scores[y], RESAMPLES, SEED)
              for x, y in [("b", "a"), ("c", "a"), ("d", "a"), ("c", "b"), ("d", "b"), ("d", "c")]}

    print()
    print(f"{'':3s}{'precision':>16s}{'recall':>16s}{'F1':>16s}{'accuracy':>16s}{'empty':>7s}{'pages/s':>9s}")
    for n in SYSTEMS:
        s, sd = summary[n], sds[n]
        print(f"{n:3s}{fmt(s.precision, sd['precision']):>16s}{fmt(s.recall, sd['recall']):>16s}"
              f"{fmt(s.f1, sd['f1']):>16s}{fmt(s.accuracy, sd['accuracy']):>16s}{s.empty:>7d}"
              f"{len(ids) / seconds[n]:>9.1f}")
    for n, label in SYSTEMS.items():
        print(f"  {n}: {label}")
    print()
    for (x, y), (m, sd) in paired.items():
        print(f"paired F1 difference {x} - {y}: {m:+.4f} ± {sd:.4f}")
    print(f"\nEnglish subset ({len(english)} pages by py3langid on the reference text):")
    for n in SYSTEMS:
        s, sd = en_summary[n], en_sds[n]
        print(f"  {n}: P {fmt(s.precision, sd['precision'])}  R {fmt(s.recall, sd['recall'])}  "
              f"F1 {fmt(s.f1, sd['f1'])}  acc {fmt(s.accuracy, sd['accuracy'])}")

    # where (d) loses what (c) had
    losses = []
    for k, i in enumerate(ids):
        rc, rd = scores["c"][k].recall or 0.0, scores["d"][k].recall or 0.0
        if rd < rc - 1e-9 and cleaned[i] is not None:
            doc = cleaned[i].document
            losses.append((rc - rd, i, lang[i], lost_lines(doc, cleaned[i], truth[i]["articleBody"])))
    losses.sort(key=lambda x: -x[0])
    by_reason_tokens, by_reason_pages, by_reason_lines = Counter(), defaultdict(set), Counter()
    for _, i, _, lines in losses:
        for _, why, ntok, _, _ in lines:
            by_reason_tokens[why] += ntok
            by_reason_lines[why] += 1
            by_reason_pages[why].add(i)
    print(f"\n(d) loses recall against (c) on {len(losses)} pages; reference tokens dropped by cause:")
    for why, ntok in by_reason_tokens.most_common():
        print(f"  {why:26s} {ntok:6d} tokens, {by_reason_lines[why]:4d} lines, {len(by_reason_pages[why]):3d} pages")

    sweep = None
    if a.options:
        print("\ntrafilatura options for (c), against the chosen ones:")
        sweep = option_sweep(ids, truth, pages, scores["c"])
    total = time.perf_counter() - started
    print(f"\ntotal run time {total:.1f} s")
    if a.no_write:
        return
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(report(ids, summary, sds, en_summary, en_sds, english, seconds, paired, losses,
                            by_reason_tokens, by_reason_lines, by_reason_pages, sweep, total, a.repeat),
                 encoding="utf-8")
    print(f"written {a.out.relative_to(ROOT) if a.out.is_relative_to(ROOT) else a.out}")


def report(ids, summary, sds, en_summary, en_sds, english, seconds, paired, losses,
           by_reason_tokens, by_reason_lines, by_reason_pages, sweep, total, repeat) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    n = len(ids)
    L = ["# Article-body extraction: Communique's HTML stage against trafilatura", ""]
    L.append(f"Measured {now} at commit `{git_commit()}` by `python benchmarks/extraction.py"
             f"{' --options' if sweep else ''}{f' --repeat {repeat}' if repeat != 3 else ''}`, on the {n} pages of "
             "`../shared/benchmarks/article-extraction/` (scoring as its README describes: `\\w+` tokens, "
             "4-token shingles as multisets, per-page P/R macro-averaged, an empty prediction left out "
             "of precision and scored 0 in recall, F1 from the averages, accuracy = exact token list). "
             f"± is the SD over {RESAMPLES} bootstrap resamples of the pages (seed {SEED}, the same "
             "resamples for every row). Non-English pages are scored like the others.")
    L.append("")
    L.append(f"Environment: {versions()}. Total run time {total:.0f} s.")
    L += ["", "## Measured in this run", "",
          "| | system | precision | recall | F1 | accuracy | empty | pages/s |", "|---|---|---|---|---|---|---|---|"]
    for k, label in SYSTEMS.items():
        s, sd = summary[k], sds[k]
        L.append(f"| {k} | {label} | {fmt(s.precision, sd['precision'])} | {fmt(s.recall, sd['recall'])} | "
                 f"**{fmt(s.f1, sd['f1'])}** | {fmt(s.accuracy, sd['accuracy'])} | {s.empty} | {n / seconds[k]:.1f} |")
    L += ["", "More decimals: " + "; ".join(
        f"{k} P {summary[k].precision:.4f} R {summary[k].recall:.4f} F1 {summary[k].f1:.4f} "
        f"acc {summary[k].accuracy:.4f} ({round(summary[k].accuracy * n)} of {n} exact)" for k in SYSTEMS) + ".", ""]
    L += [f"Timing: best of {repeat} passes over the pages per system (systems taking turns; the "
          "output was identical in every pass), after one warm-up page, HTML already decompressed in "
          "memory, one process on a shared 2-core machine, so expect ±20 % between runs; (c) "
          "includes metadata extraction (title, author, date), (d) is (c) plus `clean`.", ""]
    L += ["### Ratios against the baseline (a), same run", "",
          "| | precision | recall | F1 | accuracy | speed |", "|---|---|---|---|---|---|"]
    for k in SYSTEMS:
        s, b = summary[k], summary["a"]
        acc = f"{s.accuracy / b.accuracy:.3f}" if b.accuracy else "–"
        L.append(f"| {k} / a | {s.precision / b.precision:.3f} | {s.recall / b.recall:.3f} | "
                 f"{s.f1 / b.f1:.3f} | {acc} | {seconds['a'] / seconds[k]:.2f} |")
    L += ["", "### Paired bootstrap of F1 differences (same resampled pages)", "",
          "| difference | mean ± SD |", "|---|---|"]
    for (x, y), (m, sd) in paired.items():
        L.append(f"| F1({x}) − F1({y}) | {m:+.4f} ± {sd:.4f} |")
    L += ["", f"### English-only subset ({len(english)} of {n} pages; language of the reference text by "
          "py3langid, `communique.ingest.language.detect`)", "",
          "| | precision | recall | F1 | accuracy |", "|---|---|---|---|---|"]
    for k in SYSTEMS:
        s, sd = en_summary[k], en_sds[k]
        L.append(f"| {k} | {fmt(s.precision, sd['precision'])} | {fmt(s.recall, sd['recall'])} | "
                 f"{fmt(s.f1, sd['f1'])} | {fmt(s.accuracy, sd['accuracy'])} |")
    L += ["", "## Published figures (from the benchmark directory's README; not re-run here)", "",
          "| extractor | precision | recall | F1 | accuracy |", "|---|---|---|---|---|"]
    for name, p, r, f, acc in PUBLISHED:
        L.append(f"| {name} | {fmt(*p)} | {fmt(*r)} | {fmt(*f)} | {fmt(*acc)} |")
    if sweep:
        L += ["", "## trafilatura options for (c)", "",
              "Each row changes one option of `communique.ingest.html.OPTIONS` "
              "(`include_comments=False, include_tables=True, with_metadata=True`).", "",
              "| option | precision | recall | F1 | accuracy | empty | F1 − F1(c), paired | pages/s |",
              "|---|---|---|---|---|---|---|---|"]
        for label, s, diff, sd, speed in sweep:
            L.append(f"| {label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.accuracy:.3f} | "
                     f"{s.empty} | {diff:+.4f} ± {sd:.4f} | {speed:.1f} |")
    L += ["", "## Where (d) loses text that (c) has", "",
          f"{len(losses)} of {n} pages have lower recall in (d) than in (c). Reference tokens in the "
          "dropped lines (a line counts when its tokens are a run of the reference text or half "
          "its shingles are in it), by where the line stood relative to what `clean` kept:", "",
          "| cause | tokens | lines | pages |", "|---|---|---|---|"]
    for why, ntok in by_reason_tokens.most_common():
        L.append(f"| {why} | {ntok} | {by_reason_lines[why]} | {len(by_reason_pages[why])} |")
    L += ["", "Pages losing at least 0.02 recall (page id = file name; line numbers in the extracted "
          "text; lines cut to 90 characters, at most 6 a page):", ""]
    for drop, i, lg, lines in losses:
        if drop < 0.02:
            continue
        L.append(f"- `{i}` ({lg}): recall −{drop:.3f}")
        for num, why, ntok, line, marker in lines[:6]:
            extra = f" — ended by `{marker[:60]}`" if why == "after end marker" and marker else ""
            cut = (line if len(line) <= 90 else line[:89] + "…").replace("`", "'")
            L.append(f"  - line {num}, {why}{extra}: `{cut}`")
        if len(lines) > 6:
            L.append(f"  - … and {len(lines) - 6} more lines")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
