"""The shared word families of credit forms (`lexicon.toml`), checked on load and compiled once.

`structure.py` (which lines are credit lines, for the normaliser) and `credit_shapes.py` (what an
agency mention in a line is evidence of, for the tagger) build their patterns from the same families,
so a form added here is kept by the one and read by the other.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

FAMILIES = (
    "credit_phrases",
    "credit_after",
    "source_labels",
    "with_words",
    "by_words",
    "months",
    "photo_words",
    "picture_sources",
    "timestamp_words",
    "teaser_prefixes",
    "commentary_words",
    "newsroom_words",
)


@dataclass(frozen=True, slots=True)
class Lexicon:
    families: Mapping[str, tuple[str, ...]]  # family -> phrases (lower case, all languages)

    def pattern(self, family: str) -> str:
        """A regex alternation of the family's phrases, longest first; spaces match any whitespace."""
        phrases = sorted(self.families[family], key=len, reverse=True)
        return "(?:" + "|".join(_phrase(p) for p in phrases) + ")"


def _phrase(phrase: str) -> str:
    return r"\s+".join(re.escape(word).replace("'", "['’]") for word in phrase.split())


def parse_lexicon(data: Mapping[str, object]) -> Lexicon:
    """The lexicon in `data`; raises ValueError on an unknown family, a malformed entry or a phrase
    that is in two families (a line would then be two kinds of thing at once)."""
    unknown = set(data) - set(FAMILIES)
    if unknown:
        raise ValueError(f"lexicon: unknown families {sorted(unknown)}")
    families: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for family in FAMILIES:
        table = data.get(family)
        if not isinstance(table, Mapping) or not table:
            raise ValueError(f"lexicon: [{family}] must be a table of languages")
        phrases: list[str] = []
        for language, words in table.items():
            if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                raise ValueError(f"lexicon: {family}.{language} must be a list of non-empty strings")
            for word in words:
                key = " ".join(word.lower().split())
                if owner.get(key, family) != family:
                    raise ValueError(f"lexicon: {key!r} is in both {owner[key]} and {family}")
                if key not in owner:
                    owner[key] = family
                    phrases.append(key)
        families[family] = tuple(phrases)
    return Lexicon(families)


def load_lexicon() -> Lexicon:
    raw = resources.files("wirestream.core").joinpath("lexicon.toml").read_text(encoding="utf-8")
    return parse_lexicon(tomllib.loads(raw))


LEXICON = load_lexicon()
