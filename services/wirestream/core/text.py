"""Unicode and line structure: the first step of normalisation, shared by the text and HTML paths.

Everything here works on the whole string with C-level operations (regex substitutions,
`str.split`), so its cost is linear in the input and small next to the line classification.
"""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls except tab and newline, lone surrogates, and the invisible characters that only
# ever arrive as debris (soft hyphen, zero-width space, word joiner, BOM, non-characters).
# Right-to-left text and its direction marks are kept: they carry meaning.
_REMOVED = (
    (0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x200B, 0x200B),
    (0x2060, 0x2060), (0xD800, 0xDFFF), (0xFEFF, 0xFEFF), (0xFFFE, 0xFFFF),
)  # fmt: skip
_CONTROL = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _REMOVED) + "]+")


# The same set written as its complement: the regex engine tests a character against the
# first (widest) range first, so scanning clean text for "anything to remove" is three times
# faster this way, and most texts have nothing to remove.
def _any_of(ranges: tuple[tuple[int, int], ...]) -> re.Pattern[str]:
    kept = [(a + 1, b - 1) for (_, a), (b, _) in zip(((0, -1), *ranges), (*ranges, (0x110000, 0)), strict=True)]
    widest_first = sorted(kept, key=lambda r: r[0] - r[1])
    return re.compile("[^" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in widest_first if a <= b) + "]")


_ANY_CONTROL = _any_of(_REMOVED)
# Everything any cleaning step looks for: controls, line and odd space characters, and the lead
# characters of mojibake. Most texts have none of it, and then one scan replaces four.
_UNUSUAL = _any_of(
    (
        (0x00, 0x09), (0x0B, 0x1F), (0x7F, 0xA0), (0xAD, 0xAD), (0xC2, 0xF4), (0x1680, 0x1680),
        (0x2000, 0x200B), (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x2060), (0x3000, 0x3000),
        (0xD800, 0xDFFF), (0xFEFF, 0xFEFF), (0xFFFE, 0xFFFF),
    )
)  # fmt: skip
_NEWLINE_CHARS = ("\r", "\u2028", "\u2029", "\x85")
# Whitespace other than the plain space and the newline (tabs, no-break and thin spaces, ...):
# what `str.split()` splits on, spelled out, which the regex engine scans twice as fast as the
# equivalent `[^\S \n]`.
_ODD_SPACE = re.compile(r"[\t\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")

# UTF-8 read as Latin-1 or Windows-1252 leaves a lead byte (Â..ô) followed by a continuation
# byte shown as a Latin-1 symbol or a Windows-1252 punctuation mark. Clean text almost never has
# such a pair, so this is the cheap check that decides whether the repair library runs at all.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_MAX_REPAIRS = 3


def clean_lines(raw: str) -> list[str]:
    """The non-empty lines of `raw`, cleaned: see `clean_unicode` and `split_lines`.

    Mojibake is repaired line by line, and each damaged line is repaired to a fixed point of
    the whole cleaning (a repair can uncover more damage, or meet damage that shows only once
    spaces are normalised), so cleaning the joined result again changes nothing. The bound
    guards against a line built to make the repair cycle.
    """
    text, suspect = _clean(raw)
    if suspect is not None:  # only a text with unusual characters (few are) can hold odd spaces
        text = _ODD_SPACE.sub(" ", text)
    lines = _split(text)
    # Normalising spaces cannot create damage; only a text that showed some, or lost control
    # characters that may have stood between two halves of it, needs the search.
    if suspect and _MOJIBAKE.search(text) is not None:
        lines = [fixed for line in lines for fixed in _repair_to_fixed_point(line)]
    return lines


def clean_unicode(raw: str) -> str:
    """NFC, mojibake repair where it looks needed, no stray control characters, `\\n` line ends."""
    return _clean(raw)[0]


def _clean(raw: str) -> tuple[str, bool | None]:
    """The cleaned text, and whether it showed mojibake or lost control characters (None when
    it had no unusual character at all)."""
    # Composed first, so that what the checks below see is what a second cleaning would see.
    text = raw if unicodedata.is_normalized("NFC", raw) else unicodedata.normalize("NFC", raw)
    unusual = _UNUSUAL.search(text)
    if unusual is None:
        return text, None
    # Everything the steps below look for is unusual: they start where the first such character is.
    at = unusual.start()
    # Repair next: mis-decoded text carries its damage in the C1 range that the next step drops.
    suspect = _MOJIBAKE.search(text, at) is not None
    changed = suspect
    if suspect:
        text, at = _repair_lines(text), 0
    if any(c in text for c in _NEWLINE_CHARS):
        text = text.replace("\r\n", "\n")
        for c in _NEWLINE_CHARS:
            text = text.replace(c, "\n")
        changed = True
    if _ANY_CONTROL.search(text, at) is not None:
        text = _CONTROL.sub("", text)
        suspect = changed = True
    if changed and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text, suspect


def split_lines(text: str) -> list[str]:
    """Non-empty lines with inner whitespace runs collapsed to one space."""
    if _UNUSUAL.search(text) is not None and _ODD_SPACE.search(text) is not None:
        text = _ODD_SPACE.sub(" ", text)
    return _split(text)


def _split(text: str) -> list[str]:
    lines = list(filter(None, map(str.strip, text.split("\n"))))
    if "  " not in text:  # (most texts) no line to look at one by one
        return lines
    return [" ".join(line.split()) if "  " in line else line for line in lines]


def _repair_lines(text: str) -> str:
    return "\n".join(_repair(line) if _MOJIBAKE.search(line) is not None else line for line in text.split("\n"))


def _repair_to_fixed_point(line: str) -> list[str]:
    lines = [line]
    for _ in range(_MAX_REPAIRS):
        if len(lines) != 1 or _MOJIBAKE.search(lines[0]) is None:
            break
        again = split_lines(clean_unicode(lines[0]))
        if again == lines:
            break
        lines = again
    return lines


def _repair(text: str) -> str:
    import ftfy  # imported here: most texts never need it

    # Only the encoding fix: ftfy's other fixes (quotes, ligatures, widths) would rewrite clean text.
    return ftfy.fix_encoding(text)


# Scripts written without spaces between words, where each character counts as a word: Han
# ideographs (Chinese, Japanese kanji), Hiragana and Katakana (with half-width Katakana). Korean
# Hangul is written with spaces and counts by words.
_UNSPACED_RANGES = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED_RANGES}]")
_SPACED_WORD = re.compile(f"[^\\W{_UNSPACED_RANGES}]+")


def count_words(text: str) -> int:
    """Words of `text`: runs of letters and digits, except that in Chinese and Japanese, written
    without spaces, each character counts as one word ("東京都は3日" is 6: 東, 京, 都, は, 3, 日)."""
    words = len(_SPACED_WORD.findall(text))
    if text.isascii():  # (a constant-time test) no character of those scripts
        return words
    return words + len(_UNSPACED_CHAR.findall(text))
