"""Where things sit in a normalised document: lines, block kinds and the article's prose paragraphs.

Every look-up is bounded (lines are cut at `MAX_LINE` characters either side of a position), so the
tagger's work per agency mention does not grow with the length of a line or of the document.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from operator import le

from wirestream.core.document import BlockKind, NormalisedText

MAX_LINE = 600
# A prose paragraph: a body block at least this long that contains a sentence end. Bylines, captions,
# navigation and headlines are shorter or have no sentence end.
PROSE_CHARS = 150
# It opens with the stop itself, which the regex engine finds in C; the letter before it is looked
# back at.
_SENTENCE_END = re.compile(r"[.!?](?<=[^\W_%][.!?])[\"'”’)]?(?:\s|$)")


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    text: str
    cut: bool  # longer than MAX_LINE either side of the position it was looked up from


class Layout:
    def __init__(self, doc: NormalisedText) -> None:
        self.text = doc.text
        self._doc_blocks = doc.blocks
        self._first: dict[re.Pattern[str], int | None] = {}

    @cached_property
    def _blocks(self) -> list[tuple[int, int, BlockKind]]:
        blocks = [(b.start, b.end, b.kind) for b in self._doc_blocks]
        starts = [b[0] for b in blocks]
        if not all(map(le, starts, islice(starts, 1, None))):  # the normaliser gives reading order
            blocks.sort(key=lambda b: (b[0], -b[1]))
        return blocks

    @cached_property
    def _starts(self) -> list[int]:
        return [b[0] for b in self._blocks]

    def block_at(self, pos: int) -> tuple[int, int, BlockKind] | None:
        """The innermost block holding `pos` (a dateline inside a body block wins)."""
        i = bisect_right(self._starts, pos) - 1
        # Blocks do not overlap except a dateline nested in the body block that starts at or before it.
        for j in range(i, max(i - 3, -1), -1):
            block = self._blocks[j]
            if block[0] <= pos < block[1]:
                return block
        return None

    def kind_at(self, pos: int) -> BlockKind | None:
        block = self.block_at(pos)
        return block[2] if block is not None else None

    def line_at(self, start: int, end: int | None = None) -> Line:
        """The line holding `text[start:end]`, cut at MAX_LINE characters either side."""
        end = start if end is None else end
        text = self.text
        lo = max(0, start - MAX_LINE)
        hi = min(len(text), end + MAX_LINE)
        before = text.rfind("\n", lo, start)
        after = text.find("\n", end, hi)
        line_start = before + 1 if before >= 0 else lo
        line_end = after if after >= 0 else hi
        cut = (before < 0 and lo > 0) or (after < 0 and hi < len(text))
        return Line(line_start, line_end, text[line_start:line_end], cut)

    def previous_line(self, line: Line) -> Line | None:
        """The nearest non-blank line before `line`, looking past a few blank lines at most."""
        pos = line.start - 1  # the newline that ends the line before
        for _ in range(4):
            if pos < 0:
                return None
            found = self.line_at(pos)
            if found.text.strip():
                return found
            pos = found.start - 1
        return None

    def next_line(self, line: Line) -> Line | None:
        pos = line.end + 1
        for _ in range(4):
            if pos >= len(self.text):
                return None
            found = self.line_at(pos)
            if found.text.strip():
                return found
            pos = found.end + 1
        return None

    def first_match(self, pattern: re.Pattern[str]) -> int | None:
        """Where `pattern` first matches in the text (searched once per document)."""
        if pattern not in self._first:
            m = pattern.search(self.text)
            self._first[pattern] = m.start() if m else None
        return self._first[pattern]

    def is_prose(self, line: Line) -> bool:
        """Reads as a paragraph of running text (not a heading, byline, caption or menu)."""
        return len(line.text) >= PROSE_CHARS and _SENTENCE_END.search(line.text) is not None

    def prose_spans(self, not_prose: set[int]) -> list[tuple[int, int]]:
        """(start, end) of the body blocks that read as article prose, in text order.

        Blocks holding one of the positions in `not_prose` (photo credits, so captions) are skipped.
        """
        text = self.text
        spans = [
            (start, end)
            for start, end, kind in self._blocks
            if kind == "body" and end - start >= PROSE_CHARS and _SENTENCE_END.search(text, max(0, start), end)
        ]
        if not not_prose:
            return spans
        marks = sorted(not_prose)
        return [(s, e) for s, e in spans if not _holds_any(marks, s, e)]


def _holds_any(sorted_positions: list[int], start: int, end: int) -> bool:
    i = bisect_right(sorted_positions, start - 1)
    return i < len(sorted_positions) and sorted_positions[i] < end
