"""The learned coder's part of the pipeline: the event tagger reads every sentence of a report
once; per sentence it then vets the rules' matches and adds the events the rules missed.

Modes (COMMUNIQUE_CODER, or `configure`):
- "rules": the lexicon rules alone (the coder before the model);
- "model": the model alone decides what happened and which words are the parties; the actor
  layer, places and dates turn its spans into an event;
- "combined" (default when a model is shipped): the model vets each rule match (a match at words
  the model reads as no event is dropped). With `model_adds` it also adds the events it finds that
  no rule matched: off by default, because on real text those events are mostly wrong (see
  CoderSettings.model_adds).
"""
from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from .events import Match, Trigger, triggers

log = logging.getLogger(__name__)
MODES = ("rules", "model", "combined")


@dataclass
class CoderSettings:
    mode: str = "combined"
    # both chosen by benchmarks/tune_coder.py on half of the corpus's held-out batches
    drop_below: float = 0.2  # a rule match whose words the model gives less event probability is dropped
    add_above: float = 0.5  # a model trigger at least this confident becomes an event
    # combined: the model's own events where no rule matched. Off: on real text they added no
    # gold event (recall unchanged on news-dev, plover-gsr-dev and ucdp-dev at every threshold) and
    # a blind reader found 11% of them right with their parties on real web articles (rules' 25%);
    # only on the corpus's own held-out batches, written like its training text, do they help
    # (benchmarks/results/real_precision.md)
    model_adds: bool = os.environ.get("COMMUNIQUE_MODEL_ADDS", "") == "1"
    flag_above: float = 0.5  # negated / hypothetical when the model's flag probability passes this


_settings = CoderSettings(mode=os.environ.get("COMMUNIQUE_CODER", "combined"))


def configure(**changes) -> CoderSettings:
    """Change the coder's settings for this process (quality benchmarks compare modes)."""
    global _settings
    new = replace(_settings, **changes)
    if new.mode not in MODES:
        raise ValueError(f"coder mode {new.mode!r} is not one of {MODES}")
    _settings = new
    return _settings


def settings() -> CoderSettings:
    return _settings


def _tagger():
    from .learn.runtime import available, tagger

    if _settings.mode == "rules" or not available():
        return None
    return tagger()


@lru_cache(maxsize=1)
def _type_triggers() -> dict[str, Trigger]:
    """Per type, the stand-in trigger for an event only the model found: the type's most common
    CAMEO code and mode in the lexicon, and no slot rules of its own."""
    lex = triggers()
    by_type: dict[str, Counter] = {}
    for table in (lex.by_verb, lex.by_noun):
        for ts in table.values():
            for t in ts:
                by_type.setdefault(t.type, Counter())[(t.cameo, t.mode, t.intensity)] += 1
    out = {}
    for typ, counts in by_type.items():
        cameo, mode, intensity = counts.most_common(1)[0][0]
        out[typ] = Trigger(id=f"model.{typ.lower()}", type=typ, cameo=cameo, intensity=intensity, mode=mode,
                           contexts=(), verbs=frozenset(), nouns=frozenset(), particle=None, prep=None,
                           objects=frozenset(), xcomp=False, target=("dobj",), symmetric=False,
                           learned=True)
    return out


def _lexicon_trigger(tok, typ: str) -> Trigger:
    """The lexicon's entry for this word and type when it has one (its CAMEO code and mode),
    else the type's stand-in."""
    lex = triggers()
    table = lex.by_verb if tok.pos_ in ("VERB", "AUX") else lex.by_noun
    for t in table.get(tok.lemma_.lower(), ()):
        if t.type == typ:
            return replace(t, id=f"model.{t.id}", learned=True)
    return _type_triggers()[typ]


def report_sentences(paragraphs) -> list[tuple[int, str]]:
    """A parsed report's sentences as (start in the report, text)."""
    return [(p.offset + s.start_char, s.text) for p in paragraphs for s in p.doc.sents]


class SentenceReader:
    """The tagger's reading of one report's sentences, keyed by their start in the report."""

    def __init__(self, tagged: dict | None = None, arguments: dict | None = None):
        self.tagger = _tagger()
        self.tagged = tagged or {}  # made by read_reports
        # the parties of the model's confident spans, by (sentence start, span start, span end):
        # read by read_reports for a whole chunk, else here, a sentence's at a time
        self.arguments = arguments if arguments is not None else {}

    @property
    def active(self) -> bool:
        return self.tagger is not None

    def confidence(self, m: Match, sent, start: int) -> float | None:
        """The calibrated chance that the event at this match is right: the model's probability
        that its words state an event of its type. None when the model did not read the sentence."""
        tagged = self.tagged.get(start)
        if tagged is None:
            return None
        s = m.token.idx - sent.start_char
        e = s + len(m.token.text)
        types = tagged.type_probabilities(s, e)
        total = sum(types.values()) or 1.0
        p = tagged.event_probability(s, e) * types.get(m.trigger.type, 0.0) / total
        return self.tagger.calibrated(p)

    def matches(self, rule_matches: list[Match], sent, start: int, resolver) -> list[Match]:
        """The sentence's matches: the rules' vetted, and the model's own."""
        tagged = self.tagged.get(start)
        if tagged is None:
            return rule_matches
        base = sent.start_char

        def chars(tok):
            return tok.idx - base, tok.idx - base + len(tok.text)

        kept = []
        if _settings.mode == "combined":
            for m in rule_matches:
                if tagged.event_probability(*chars(m.token)) >= _settings.drop_below:
                    kept.append(m)
                else:
                    log.debug("model drops %s at %r", m.trigger.id, m.token.text)
        if _settings.mode == "combined" and not _settings.model_adds:
            return kept
        covered = [(chars(m.token), m.trigger.type) for m in kept]
        asks, spans = [], []
        for sp in tagged.spans:
            if sp.confidence < _settings.add_above:
                continue
            if any(t == sp.type and (s < sp.end + 25 and e > sp.start - 25) for (s, e), t in covered):
                continue  # a rule already coded this act (its word may be the phrase's other word)
            asks.append((tagged.text, sp.start, sp.end))
            spans.append(sp)
        if not asks:
            return kept
        doc = sent.doc
        for sp, args in zip(spans, self._arguments(start, asks)):
            if args is None:
                continue
            span = doc.char_span(base + sp.start, base + sp.end, alignment_mode="expand")
            if span is None:
                continue
            tok = span.root
            parties = {}
            for role, where in (("source", args.source), ("target", args.target)):
                phrase = None if where is None else doc.char_span(base + where[0], base + where[1],
                                                                  alignment_mode="expand")
                parties[role] = [] if phrase is None else resolver.resolve(phrase.root, (phrase.start, phrase.end))
            kept.append(Match(trigger=_lexicon_trigger(tok, sp.type), token=tok,
                              source_head=None, source_actors=parties["source"],
                              target_actors=parties["target"],
                              negated=args.negated >= _settings.flag_above,
                              hypothetical=args.hypothetical >= _settings.flag_above,
                              nominal=tok.pos_ in ("NOUN", "PROPN")))
        return kept

    def _arguments(self, start: int, asks: list[tuple[str, int, int]]) -> list:
        missing = [a for a in asks if (start, a[1], a[2]) not in self.arguments]
        for a, args in zip(missing, self.tagger.arguments(missing) if missing else ()):
            self.arguments[(start, a[1], a[2])] = args
        return [self.arguments[(start, a[1], a[2])] for a in asks]


def read_reports(reports: list[list[tuple[int, str]]]) -> list[SentenceReader]:
    """The tagger's reading of many reports' sentences in one call: the sentences of a whole
    chunk sorted by length make fuller, less padded batches than one report's few. The model
    coder reads the parties of every confident span in a second call (9.2 articles/s against
    6.5 a sentence's at a time); the combined coder with `model_adds` needs them only for spans
    no rule coded, so it asks sentence by sentence (10.5 articles/s against 9.3 for reading them
    all), and without it never."""
    tagger = _tagger()
    if tagger is None:
        return [SentenceReader() for _ in reports]
    tags = iter(tagger.tag([s for sentences in reports for _, s in sentences]))
    tagged = [{start: next(tags) for start, _ in sentences} for sentences in reports]
    keys, asks = [], []
    for n, report in enumerate(tagged if _settings.mode == "model" else ()):
        for start, tg in report.items():
            for sp in tg.spans:
                if sp.confidence >= _settings.add_above:
                    keys.append((n, (start, sp.start, sp.end)))
                    asks.append((tg.text, sp.start, sp.end))
    arguments: list[dict] = [{} for _ in reports]
    for (n, key), args in zip(keys, tagger.arguments(asks) if asks else ()):
        arguments[n][key] = args
    return [SentenceReader(t, a) for t, a in zip(tagged, arguments)]
