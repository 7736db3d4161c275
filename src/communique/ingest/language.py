"""Language identification (py3langid, offline): Communique codes English only for now.

Headlines and bulletins are short and mixed, and the identifier often takes English headlines
for Nigerian Pidgin, an English-lexified creole. So a document is skipped only when the whole
sample is confidently another language AND under a third of its lines are English.
"""
from __future__ import annotations

from functools import lru_cache

SAMPLE = 2000  # characters: enough for a confident guess, cheap on long reports
CONFIDENT = 0.90  # below this a short or mixed text is given the benefit of the doubt
ENGLISH_SHARE = 0.30  # of the sample's line characters, for a mixed document to be kept
ENGLISH_LIKE = {"en", "pcm"}  # creoles the identifier confuses with English headlines


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float]:
    """The most likely ISO 639 language of a text, and its probability ("pcm" counts as "en")."""
    lang, prob = _identifier().classify(text[:SAMPLE])
    return ("en" if lang in ENGLISH_LIKE else lang), float(prob)


def english_share(text: str) -> float:
    lines = [line for line in text[:SAMPLE].splitlines() if len(line.strip()) >= 20]
    total = sum(map(len, lines))
    if not total:
        return 0.0
    return sum(len(line) for line in lines if detect(line)[0] == "en") / total


def not_english(text: str) -> str | None:
    """Why a text is skipped as not English, or None to keep it."""
    lang, prob = detect(text)
    if lang == "en" or prob < CONFIDENT or english_share(text) >= ENGLISH_SHARE:
        return None
    return f"language is {lang!r} ({prob:.2f}), not English"
