"""Language identification of the article body, on a bounded sample so its cost stays flat.

CLD2 (compiled, microseconds) answers first; when it is unsure, or torn between Malay and
Indonesian as it often is, py3langid (exact, but a Python loop over every byte) decides.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import pycld2

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Enough running text for a reliable guess among the languages news is written in; more only
# costs time.
_SAMPLE_CHARS = 300
_FALLBACK_SAMPLE_CHARS = 150
_MIN_LETTERS = 20
_ASK_AGAIN = frozenset({"un", "ms", "id"})
# CLD2 still uses some withdrawn codes; the record carries current ISO 639-1 codes.
_CURRENT_CODE = {"iw": "he", "jw": "jv", "in": "id", "ji": "yi", "mo": "ro"}
# "bh" (Bihari) was withdrawn from ISO 639-1 with no successor: the exact model decides instead.
_NOT_ISO = frozenset({"bh"})
# CLD2's answer for a script it knows in a language it does not ("xx-Tfng" for Tifinagh): no code.
_UNKNOWN_LANGUAGE = "xx"


def detect_language(body: str) -> str | None:
    """ISO 639-1 code of the body's language ("he" for Hebrew, never the withdrawn "iw"), or None
    when there is too little text to tell."""
    sample = body[:_SAMPLE_CHARS]
    if sum(map(str.isalpha, sample[:_FALLBACK_SAMPLE_CHARS])) < _MIN_LETTERS:
        return None
    try:
        reliable, _, guesses = pycld2.detect(sample, isPlainText=True, bestEffort=True)
    except (pycld2.error, ValueError):  # text CLD2 will not read (stray surrogates, say)
        reliable, guesses = False, ()
    code = iso_639_1(guesses[0][1]) if guesses else "un"
    if code == _UNKNOWN_LANGUAGE:
        return None
    if reliable and code not in _ASK_AGAIN and code not in _NOT_ISO and len(code) == 2:
        return code
    return _exact(sample[:_FALLBACK_SAMPLE_CHARS])


def iso_639_1(code: str) -> str:
    """A detector's language code as a current ISO 639-1 code where it has one ("iw" is "he",
    "zh-Hant" is "zh"); other codes are returned without their script or region."""
    base = code.split("-")[0]
    return _CURRENT_CODE.get(base, base)


def load_models() -> None:
    """Load the exact model now rather than on the first text that needs it (about a second)."""
    _identifier()


def _exact(sample: str) -> str | None:
    identifier = _identifier()
    code = iso_639_1(str(identifier.classify(sample)[0]))
    if len(code) != 2:
        # The model also knows languages without a two-letter code ("pcm", "yue", ...); the
        # record carries ISO 639-1 codes, and the nearest such language is the better answer.
        code = next((iso_639_1(str(c)) for c, _ in identifier.rank(sample) if len(c) == 2), "")
    return code or None


@cache
def _identifier() -> LanguageIdentifier:
    # The model ships inside the package; it is read once, on first use.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
