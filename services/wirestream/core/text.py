"""Unicode and line structure: the first step of normalisation, shared by the text and HTML paths.

Everything here works on the whole string with C-level operations (regex substitutions,
`str.split`), so its cost is linear in the input and small next to the line classification.
"""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls except tab and newline; also zero-width and bidi *formatting* characters that
# only ever arrive as debris (soft hyphen, zero-width space, BOM). Right-to-left text itself is
# kept: the marks that shape it (U+200E/200F, U+061C) are removed only where they stand alone.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\ufffe\uffff]+")
_SPACES = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")

# UTF-8 read as Latin-1 or Windows-1252 leaves a lead byte (Â..ô) followed by a continuation
# byte shown as a Latin-1 symbol or a Windows-1252 punctuation mark. Clean text almost never has
# such a pair, so this is the cheap check that decides whether the repair library runs at all.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_MOJIBAKE_MIN_HITS = 2


def clean_unicode(raw: str) -> str:
    """NFC, mojibake repair when it looks needed, no stray control characters, `\\n` line ends."""
    # Repair first: mis-decoded text carries its damage in the C1 range that the next step drops.
    text = _repair(raw) if _needs_repair(raw) else raw
    text = _CONTROL.sub("", _NEWLINES.sub("\n", text))
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def split_lines(text: str) -> list[str]:
    """Non-empty lines with inner whitespace runs collapsed to one space."""
    text = _SPACES.sub(" ", text)
    return [line for line in (part.strip() for part in text.split("\n")) if line]


def _needs_repair(text: str) -> bool:
    hits = 0
    for _ in _MOJIBAKE.finditer(text):
        hits += 1
        if hits >= _MOJIBAKE_MIN_HITS:
            return True
    return False


def _repair(text: str) -> str:
    import ftfy  # imported here: most texts never need it

    # Only the encoding fix: ftfy's other fixes (quotes, ligatures, widths) would rewrite clean text.
    return ftfy.fix_encoding(text)
