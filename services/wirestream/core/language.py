"""Language identification of the article body, on a bounded sample so its cost stays flat."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Enough running text for a reliable guess among the languages news is written in; more only
# costs time (the classifier walks the sample byte by byte in Python).
_SAMPLE_CHARS = 150
_MIN_LETTERS = 20


def detect_language(body: str) -> str | None:
    """ISO 639-1 code of the body's language, or None when there is too little text to tell."""
    sample = body[:_SAMPLE_CHARS]
    if sum(map(str.isalpha, sample)) < _MIN_LETTERS:
        return None
    code, _ = _identifier().classify(sample)
    return str(code)


@cache
def _identifier() -> LanguageIdentifier:
    # The model ships inside the package; it is read once, on first use.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    # The model also knows languages without a two-letter code ("pcm", "yue", ...); the record
    # carries ISO 639-1 codes, and the nearest such language is the better answer.
    identifier.set_languages([code for code in identifier.labels if len(code) == 2])
    return identifier
