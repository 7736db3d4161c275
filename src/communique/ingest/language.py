"""Language identification (py3langid, offline): Communique codes English only for now."""
from __future__ import annotations

from functools import lru_cache

SAMPLE = 2000  # characters: enough for a confident guess, cheap on long reports
CONFIDENT = 0.90  # below this a short or mixed text is given the benefit of the doubt


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float]:
    """The most likely ISO 639-1 language of a text, and its probability."""
    lang, prob = _identifier().classify(text[:SAMPLE])
    return lang, float(prob)


def not_english(text: str) -> str | None:
    """Why a text is skipped as not English, or None to keep it."""
    lang, prob = detect(text)
    if lang != "en" and prob >= CONFIDENT:
        return f"language is {lang!r} ({prob:.2f}), not English"
    return None
