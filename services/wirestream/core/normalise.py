"""Text normalisation: from the visible text of a page to a clean, structured article.

The steps, each linear in the input:

1. Unicode and lines (`text.py`): NFC, mojibake repair when a cheap check says so, no control
   characters, collapsed whitespace, non-empty lines.
2. Each line gets a score from its own shape: sentences of running text score their length,
   short lines without sentence punctuation (menus, teasers, labels) score below zero, and lines
   whose words give them away as furniture (`furniture.py`) score far below zero.
3. The article is the run of lines with the highest total score (a maximum-sum subarray), so
   menus and link lists around it drop out while subheadings inside it are kept.
4. Lines are labelled by their shape (`structure.py`): title before the article, bylines and
   captions around its start, credit and trailer lines in it and right after it; repeated
   lines, furniture and teasers for other stories inside it are removed.

Every label comes from the line itself or from its position relative to the article, never from
lines that were removed, so normalising the output again gives the same text and block kinds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from wirestream.core import furniture, structure
from wirestream.core.document import Block, BlockKind, NormalisedText
from wirestream.core.language import detect_language
from wirestream.core.text import clean_unicode, split_lines

_SENTENCE_END = frozenset(".!?…。！？")
_QUOTE_END = frozenset("\"”’»)'")
_HEADING_BAD_END = frozenset(".,;:")

_FURNITURE_SCORE = -60.0
_SECTION_SCORE = -2000.0
_SHORT_SCORE = -30.0
_HEADING_SCORE = -30.0
_DUPLICATE_SCORE = -30.0
_MIN_SENTENCE_CHARS = 25
_MIN_LONG_CHARS = 150
_TITLE_MAX_CHARS = 250
_TITLE_MAX_WORDS = 30
_TITLE_MIN_MATCH = 15
_TAIL_LINES = 12
_NAV_MAX_WORDS = 6


@dataclass(slots=True)
class _Line:
    text: str
    furniture: furniture.Furniture | None
    duplicate: bool
    score: float = 0.0


def normalise(raw: str) -> NormalisedText:
    """Clean visible page text and extract its structure. Never raises on any `str`."""
    return normalise_lines(split_lines(clean_unicode(raw)))


def normalise_html(html: str) -> NormalisedText:
    """Extract the article from an HTML page, then clean it like text."""
    from wirestream.core.html import html_to_text  # the HTML extractor is only loaded when needed

    return normalise(html_to_text(html))


def normalise_lines(texts: Sequence[str]) -> NormalisedText:
    counts = Counter(texts)
    lines = [_Line(t, furniture.classify(t), counts[t] > 1) for t in texts]
    for line in lines:
        line.score = _score(line)

    first = next((i for i, line in enumerate(lines) if line.furniture is None), None)
    candidates = _title_candidates(lines, first)
    if first is not None and _is_heading(lines[first].text):
        lines[first].score = min(lines[first].score, _HEADING_SCORE)
    for i in candidates:
        lines[i].score = min(lines[i].score, _HEADING_SCORE)

    start, end = _best_run([line.score for line in lines])
    title = _pick_title(lines, first, candidates, start)
    return _Assembler(lines).build(title, start, end)


def _score(line: _Line) -> float:
    if line.furniture is not None:
        return _SECTION_SCORE if line.furniture.opens_section else _FURNITURE_SCORE
    if line.duplicate:
        return _DUPLICATE_SCORE
    text = line.text
    n = len(text)
    if n >= _MIN_SENTENCE_CHARS and _ends_sentence(text):
        return float(n)
    if n >= _MIN_LONG_CHARS:
        return n / 2
    return _SHORT_SCORE


def _ends_sentence(text: str) -> bool:
    last = text[-1]
    if last in _SENTENCE_END:
        return True
    return last in _QUOTE_END and len(text) > 1 and (text[-2] in _SENTENCE_END or text[-2] == ",")


def _is_heading(text: str) -> bool:
    return (
        len(text) <= _TITLE_MAX_CHARS
        and text[-1] not in _HEADING_BAD_END
        and text.count(" ") < _TITLE_MAX_WORDS
        and any(c.isalnum() for c in text)
        and not structure.is_byline(text)
        and not structure.is_caption(text)
        and not structure.is_credit(text)
    )


def _title_candidates(lines: list[_Line], first: int | None) -> list[int]:
    """Later lines that repeat the first line, or a part of it: the page title shown as a heading."""
    if first is None:
        return []
    page_title = lines[first].text
    shortest = max(_TITLE_MIN_MATCH, int(0.4 * len(page_title)))
    found = []
    for i in range(first + 1, len(lines)):
        text = lines[i].text
        if shortest <= len(text) <= len(page_title) and text in page_title and _is_heading(text):
            found.append(i)
    return found


def _best_run(scores: Sequence[float]) -> tuple[int, int]:
    """The [start, end) run with the highest total; empty when no score is positive."""
    best, best_start, best_end = 0.0, 0, 0
    total, run_start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, run_start = score, i
        else:
            total += score
        if total > best:
            best, best_start, best_end = total, run_start, i + 1
    return best_start, best_end


def _pick_title(lines: list[_Line], first: int | None, candidates: list[int], start: int) -> int | None:
    before = [i for i in candidates if i < start]
    if before:
        return before[-1]
    if first is not None and first < start and _is_heading(lines[first].text):
        return first
    return None


class _Assembler:
    """Walks the lines once and decides, for each, its block kind or why it was removed."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.kept: list[tuple[BlockKind, str]] = []
        self.removed: Counter[str] = Counter()
        self.emitted: set[str] = set()
        self.section: str | None = None
        self.body_seen = False
        self.tail_open = True

    def build(self, title: int | None, start: int, end: int) -> NormalisedText:
        lines = self.lines
        if title is not None:
            self._keep("title", lines[title].text)
        header_from = title + 1 if title is not None else start
        for i in range(len(lines)):
            if i == title:
                continue
            if header_from <= i < start:
                self._header(i)
            elif start <= i < end:
                self._article(i)
            elif i >= end and self.tail_open and i < end + _TAIL_LINES and end > start and self._tail(i):
                continue
            else:
                if i >= end:
                    self.tail_open = False
                self._remove(i, after=i >= end)
        return _document(self.kept, self.removed)

    def _header(self, i: int) -> None:
        text = self.lines[i].text
        kind = self._intrinsic_kind(i, lead=True)
        if kind is not None and text not in self.emitted:
            self._keep(kind, text)
        else:
            self._remove(i, after=False)

    def _article(self, i: int) -> None:
        line = self.lines[i]
        text = line.text
        if line.furniture is not None:
            if line.furniture.opens_section:
                self.section = line.furniture.kind
            self._remove(i, after=False)
            return
        if text in self.emitted:
            self.removed["duplicate"] += 1
            return
        kind = self._intrinsic_kind(i, lead=not self.body_seen)
        if kind is not None:
            self._keep(kind, text)
            return
        if self.section is not None:
            if line.score > 0:
                self.section = None  # running text again: the teaser list is over
            else:
                self.removed[self.section] += 1
                return
        self._keep("body", text)

    def _tail(self, i: int) -> bool:
        """Credit and trailer lines right after the article; False ends the tail."""
        line = self.lines[i]
        if line.furniture is not None:
            if line.furniture.opens_section:
                return False
            self._remove(i, after=True)
            return True
        if line.text in self.emitted:
            self.removed["duplicate"] += 1
            return True
        if structure.is_credit(line.text) or structure.is_trailer(line.text):
            self._keep("credit", line.text)
            return True
        return False

    def _intrinsic_kind(self, i: int, *, lead: bool) -> BlockKind | None:
        text = self.lines[i].text
        if structure.is_credit(text):
            return "credit"
        if structure.is_caption(text):
            return "caption"
        if lead:
            if structure.is_byline(text):
                return "byline"
            if structure.is_bare_byline_word(text) and i + 1 < len(self.lines):
                return "byline"
            if self.kept and self.kept[-1][0] == "byline" and structure.is_bare_byline_word(self.kept[-1][1]):
                return "byline"
        return None

    def _keep(self, kind: BlockKind, text: str) -> None:
        if kind == "body":
            self.body_seen = True
        self.kept.append((kind, text))
        self.emitted.add(text)

    def _remove(self, i: int, *, after: bool) -> None:
        line = self.lines[i]
        if line.furniture is not None:
            if line.furniture.opens_section:
                self.section = line.furniture.kind
            self.removed[line.furniture.kind] += 1
        elif line.duplicate and line.text in self.emitted:
            self.removed["duplicate"] += 1
        elif self.section is not None and after:
            self.removed[self.section] += 1
        elif line.text.count(" ") < _NAV_MAX_WORDS:
            self.removed["navigation"] += 1
        else:
            self.removed["boilerplate"] += 1


def _document(kept: list[tuple[BlockKind, str]], removed: Counter[str]) -> NormalisedText:
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    dateline = None
    for kind, text in kept:
        if kind == "body" and dateline is None and not any(b.kind == "body" for b in blocks):
            dateline = structure.find_dateline(text)
            if dateline is not None:
                blocks.append(Block("dateline", offset + dateline.start, offset + dateline.end))
        blocks.append(Block(kind, offset, offset + len(text)))
        parts.append(text)
        offset += len(text) + 2
    text = "\n\n".join(parts)
    body = "\n\n".join(t for k, t in kept if k == "body")
    return NormalisedText(
        text=text,
        blocks=tuple(_reading_order(blocks)),
        language=detect_language(body),
        removed=dict(sorted(removed.items())),
        dateline_place=dateline.place if dateline else None,
        dateline_date=dateline.date if dateline else None,
    )


def _reading_order(blocks: list[Block]) -> list[Block]:
    # A dateline shares its start with the body block it opens; the body block comes first.
    return sorted(blocks, key=lambda b: (b.start, b.kind == "dateline"))
