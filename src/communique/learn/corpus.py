"""The training corpus: read the writers' JSONL (quoted words), turn quotes into character spans,
validate, and count.

Writers quote words instead of counting offsets (corpus/SCHEMA.md); this module is the only place
that turns a quote into a span, so a wrong quote is an error here and never a silent shift.
Standard library only, so a writer can run `python3 corpus.py check FILE` without installing.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# the same sixteen as communique.model.PLOVER_TYPES (a test keeps them equal): repeated because
# writers run this file as a plain script, outside the package
TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
STYLES = {"active", "passive", "nominal", "headline", "quote", "note", "negative"}
KINDS = {"wire", "broadcast", "feature", "press_release", "bulletin", "analyst_note"}
_CODE = re.compile(r"^[A-Z]{3}$")


@dataclass
class Span:
    start: int
    end: int


@dataclass
class CorpusEvent:
    type: str
    trigger: Span
    source: Span | None
    target: Span | None
    source_country: list[str]
    target_country: list[str]
    negated: bool
    hypothetical: bool
    mode: str | None = None
    date: str | None = None
    # False when the source labels only the trigger and type (PLOVER's records): no argument row is
    # made, else "no source, no target, not negated" would be taught as if it were labelled
    has_arguments: bool = True


@dataclass
class Example:
    id: str
    batch: str  # "<writer>/<file stem>": the unit held out whole
    text: str
    published: str | None
    style: str | None
    kind: str | None
    events: list[CorpusEvent] = field(default_factory=list)

    @property
    def is_report(self) -> bool:
        return self.kind is not None


class CorpusError(ValueError):
    """A record that cannot be turned into spans: names the record and the field."""


def _occurrences(text: str, quote: str) -> list[int]:
    out, i = [], text.find(quote)
    while i >= 0:
        out.append(i)
        i = text.find(quote, i + 1)
    return out


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and not (after.isalnum() and text[end - 1].isalnum())


def _find(text: str, quote: str, what: str, near: int | None = None, lo: int = 0, hi: int | None = None) -> Span:
    """The occurrence of `quote` in text[lo:hi] (whole words preferred), nearest to `near`."""
    if not isinstance(quote, str) or not quote.strip():
        raise CorpusError(f"{what}: empty quote")
    hi = len(text) if hi is None else hi
    hits = [i for i in _occurrences(text, quote) if lo <= i and i + len(quote) <= hi]
    if not hits:
        raise CorpusError(f"{what}: {quote!r} not found verbatim in the text")
    bounded = [i for i in hits if _word_bounded(text, i, i + len(quote))]
    hits = bounded or hits
    if near is None:
        if len(hits) > 1:
            raise CorpusError(f"{what}: {quote!r} occurs {len(hits)} times; give a 'context'")
        i = hits[0]
    else:
        i = min(hits, key=lambda h: abs(h - near))
    return Span(i, i + len(quote))


# codes outside ISO 3166-1 that the coder's lexicon gives (data/actors/countries.yaml)
_USER_CODES = {"XKX"}


def _known_code(code: str) -> bool:
    try:
        import pycountry
    except ImportError:  # a writer's bare Python: the shape check alone
        return True
    return code in _USER_CODES or pycountry.countries.get(alpha_3=code) is not None


def _countries(value, what: str) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    for v in values:
        if not isinstance(v, str) or not _CODE.match(v):
            raise CorpusError(f"{what}: {v!r} is not an ISO alpha-3 code, a list of them, or null")
        if not _known_code(v):
            # an international body has no country (the gold files' convention): "EUR" for the EU
            # or "KOS" for Kosovo (XKX) would be scored as a country the coder never gives
            raise CorpusError(f"{what}: {v!r} is not an ISO 3166-1 alpha-3 code (Kosovo is XKX; "
                              "an international body such as the EU has null)")
    return list(values)


def _event(text: str, raw: dict, n: int, report: bool) -> CorpusEvent:
    where = f"event {n}"
    if raw.get("type") not in TYPES:
        raise CorpusError(f"{where}: type {raw.get('type')!r} is not a PLOVER type")
    lo, hi = 0, len(text)
    context = raw.get("context")
    if context:
        ctx = _find(text, context, f"{where} context")
        lo, hi = ctx.start, ctx.end
    elif report:
        raise CorpusError(f"{where}: a report's event needs a 'context'")
    trig = _find(text, raw.get("trigger"), f"{where} trigger", lo=lo, hi=hi)
    spans = {}
    for role in ("source", "target"):
        q = raw.get(role)
        spans[role] = None if q is None else _find(text, q, f"{where} {role}", near=trig.start)
    for flag in ("negated", "hypothetical"):
        if not isinstance(raw.get(flag, False), bool):
            raise CorpusError(f"{where}: {flag} must be true or false")
    date = raw.get("date")
    if date is not None:
        _find(text, date, f"{where} date", near=trig.start)
    return CorpusEvent(raw["type"], trig, spans["source"], spans["target"],
                       _countries(raw.get("source_country"), f"{where} source_country"),
                       _countries(raw.get("target_country"), f"{where} target_country"),
                       bool(raw.get("negated", False)), bool(raw.get("hypothetical", False)),
                       raw.get("mode"), date)


def parse_record(raw: dict, batch: str) -> Example:
    """One JSONL record to an Example with character spans; CorpusError if any quote is wrong."""
    if not isinstance(raw, dict):
        raise CorpusError("a record must be a JSON object")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError("no text")
    style, kind = raw.get("style"), raw.get("kind")
    if style is not None and style not in STYLES:
        raise CorpusError(f"style {style!r} is not one of {sorted(STYLES)}")
    if kind is not None and kind not in KINDS:
        raise CorpusError(f"kind {kind!r} is not one of {sorted(KINDS)}")
    events = raw.get("events")
    if not isinstance(events, list):
        raise CorpusError("'events' must be a list")
    ex = Example(str(raw.get("id") or ""), batch, text, raw.get("published"), style, kind)
    if not ex.id:
        raise CorpusError("no id")
    for n, e in enumerate(events, 1):
        if not isinstance(e, dict):
            raise CorpusError(f"event {n} is not an object")
        ex.events.append(_event(text, e, n, report=kind is not None))
    return ex


def read_file(path: Path, root: Path | None = None) -> tuple[list[Example], list[str]]:
    """Examples of one batch file, and one error line per bad record (the rest still read)."""
    batch = str(path.relative_to(root).with_suffix("")) if root else path.stem
    examples, errors = [], []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            examples.append(parse_record(raw, batch))
        except json.JSONDecodeError as exc:
            errors.append(f"{path}:{lineno}: not JSON ({exc.msg})")
        except CorpusError as exc:
            rid = raw.get("id", "?") if isinstance(raw, dict) else "?"
            errors.append(f"{path}:{lineno} ({rid}): {exc}")
    return examples, errors


def corpus_files(paths) -> list[tuple[Path, Path]]:
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            # a folder of writers' folders is the corpus root, whatever its name (batches are
            # "<writer>/<file>": the held-out split goes by writer); a writer's folder is not
            root = p if p.name == "raw" or any(c.is_dir() for c in p.iterdir()) else p.parent
            out += [(f, root) for f in sorted(p.rglob("*.jsonl"))]
        else:
            out.append((p, p.parent.parent))
    return out


def read_corpus(paths) -> tuple[list[Example], list[str]]:
    examples, errors, seen = [], [], {}
    for f, root in corpus_files(paths):
        exs, errs = read_file(f, root)
        errors += errs
        for ex in exs:
            key = " ".join(ex.text.lower().split())
            if ex.id in seen or key in seen:
                errors.append(f"{f}: {ex.id}: duplicate of {seen.get(ex.id) or seen.get(key)}")
                continue
            seen[ex.id] = seen[key] = ex.id
            examples.append(ex)
    return examples, errors


def corpus_hash(paths) -> str:
    h = hashlib.sha256()
    for f, _ in corpus_files(paths):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def stats(examples: list[Example]) -> dict:
    types, triggers = Counter(), {t: set() for t in TYPES}
    neg = hyp = no_event = reports = words = 0
    for ex in examples:
        words += len(ex.text.split())
        reports += ex.is_report
        no_event += not ex.events
        for e in ex.events:
            types[e.type] += 1
            triggers[e.type].add(ex.text[e.trigger.start:e.trigger.end].lower())
            neg += e.negated
            hyp += e.hypothetical
    return {"texts": len(examples), "reports": reports, "no_event": no_event, "words": words,
            "events": sum(types.values()), "negated": neg, "hypothetical": hyp,
            "by_type": {t: (types[t], len(triggers[t])) for t in TYPES},
            "batches": len({ex.batch for ex in examples})}


def format_stats(s: dict) -> str:
    lines = [f"texts {s['texts']} (reports {s['reports']}, no event {s['no_event']}), words {s['words']}, "
             f"batches {s['batches']}",
             f"events {s['events']} (negated {s['negated']}, hypothetical {s['hypothetical']})",
             f"{'type':<10} {'events':>7} {'triggers':>9}"]
    lines += [f"{t:<10} {n:>7} {k:>9}" for t, (n, k) in s["by_type"].items()]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "check":
        print("usage: corpus.py check FILE_OR_FOLDER...", file=sys.stderr)
        return 2
    examples, errors = read_corpus(argv[1:])
    for e in errors:
        print("ERROR", e)
    print(format_stats(stats(examples)))
    print(f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
