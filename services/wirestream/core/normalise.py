"""Text normalisation: from the visible text of a page to a clean, structured article.

The steps, each linear in the input:

1. Unicode and lines (`text.py`): NFC, mojibake repair when a cheap check says so, no control
   characters, collapsed whitespace, non-empty lines.
2. Scores and the article run (`page.py`): the run of lines that reads most like running text,
   anchored on the headline, with furniture (`furniture.py`) and comments outside it.
3. Labels (here): the title before the article, bylines, standfirst and captions just before it
   and at its start, credit and trailer lines in it and right after it (`structure.py` knows
   their shapes); repeated lines, furniture and teasers for other stories inside it go.

Every label comes from the line itself, from its position relative to the article, or from the
blocks kept around it (`_settle`), never from lines that were removed. So normalising the output
again gives the same text and block kinds; the property tests hold it to that.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from operator import attrgetter

from wirestream.core import furniture, structure
from wirestream.core.document import Block, BlockKind, NormalisedText
from wirestream.core.language import detect_language
from wirestream.core.page import SENTENCE_END, Page, is_heading, is_running
from wirestream.core.text import clean_lines

_SHORT_TEXT_LINES = 6
_TEASER_MAX_CHARS = 300
_LEAD_MAX_CHARS = 80
_REPEATABLE_MAX_CHARS = 40
# A short line shown this many times on a page, over paragraphs, and at least once for every
# this many paragraphs of the page, is a label of the layout.
_LABEL_REPEATS = 3
_LABEL_PARAGRAPHS = 3
_PROSE = frozenset({"body", "standfirst"})
_KIND_OF = attrgetter("kind")
# How far before the article bylines and captions are looked for, and after it credit lines.
_HEADER_LINES = 25
_MENU_ITEM_MAX_CHARS = 30
_TAIL_LINES = 12


def normalise(raw: str) -> NormalisedText:
    """Clean visible page text and extract its structure. Never raises on any `str`.

    Normalising `NormalisedText.text` again gives the same text and blocks. (The text of an
    HTML page's result is another matter: the text path looks for the article again and may
    trim what the HTML extractor kept.)
    """
    return normalise_lines(clean_lines(raw))


def normalise_html(html: str) -> NormalisedText:
    """Extract the article from an HTML page, then clean and label it like text.

    The extractor has already chosen the article from the page's markup, which knows more than
    line shapes do; so its text is taken whole, not searched for the article again. This is the
    record's article as the HTML path reads it (`webpage.read_webpage`).
    """
    from wirestream.core.webpage import read_webpage  # the HTML extractor is only loaded when needed

    return read_webpage(html).article


def normalise_lines(lines: Sequence[str], *, extracted: bool = False) -> NormalisedText:
    """`normalise` for text already split into clean, non-empty lines.

    `extracted=True` says the lines are an article chosen by an extractor, headline first:
    all of it is the article, save furniture, repeats and credit lines at its end.
    """
    page = Page(lines)
    if len(lines) <= _SHORT_TEXT_LINES:
        # A handful of lines is a brief item ("Fire in Berlin. Two hurt."), not a page with
        # menus around an article: it is taken whole.
        extracted = True
    if not extracted:
        start, end = page.article()
        # No line reads as running text, yet most lines are sentences ("Line 1.", "Two hurt."):
        # short paragraphs, not menus; the text is taken whole, as a brief is.
        extracted = start == end and _mostly_sentences(lines)
    if extracted:
        page.phrase_test_all()
        first = next((i for i, kind in enumerate(page.furniture) if kind is None), None)
        title = first if first is not None and is_heading(lines[first]) else None
        start, end = (title + 1 if title is not None else 0), len(lines)
    else:
        title = page.pick_title(start, end)
    return _Assembler(page, extracted=extracted).build(title, start, end)


def _mostly_sentences(lines: Sequence[str]) -> bool:
    ends = sum(1 for line in lines if line[-1] in SENTENCE_END)
    return ends * 2 > len(lines)


class _Assembler:
    """Decides, for each line, its block kind or why it was removed."""

    def __init__(self, page: Page, *, extracted: bool = False) -> None:
        self.page = page
        # An extractor's text has no page furniture between headline and text left to drop;
        # its short lines are the article's own (lists, line breaks inside paragraphs).
        self.trim_lead = not extracted
        self.extracted = extracted
        self.kept: list[tuple[BlockKind, str]] = []
        self.emitted: dict[str, BlockKind] = {}
        self.removed: Counter[str] = Counter()
        self.section: str | None = None
        self.paragraphs = 0

    def build(self, title: int | None, start: int, end: int) -> NormalisedText:
        page = self.page
        n = len(page.lines)
        if start == end and title is not None:
            start = end = title + 1  # no article text: credit lines may still follow the headline
        if title is not None:
            self._keep("title", page.lines[title])
        header_from = lowest = max(0, start - _HEADER_LINES)
        if title is not None:
            # A headline shown twice (over a picture gallery, then over the text) has the byline
            # under its first showing. (The page's first line is the document title, not a showing.)
            shown = (c for c in page.title_candidates if lowest <= c < title and c != page.first)
            header_from = max(lowest, 1 + min(shown, default=title))
        self._count_outside(0, header_from, skip=title)
        for i in range(header_from, start):
            if i != title:
                self._header(i)
        self.section = None  # sections opened in the page's navigation do not reach into the article
        for i in range(start, end):
            self._article(i, end)
        i = end
        if end > start or title is not None or self.extracted:
            while i < min(n, end + _TAIL_LINES) and self._tail(i):
                i += 1
            i = self._late_credits(i, min(n, end + _TAIL_LINES))
        self._count_outside(i, n, skip=title)
        return _document(self.kept, self.removed)

    def _header(self, i: int) -> None:
        page = self.page
        text = page.lines[i]
        kind = self._intrinsic_kind(i, lead=True) if page.furniture[i] is None else None
        if kind == "byline" and structure.agency_byline(text) == "alone" and self._in_menu(i):
            kind = None  # "Home", "World", "AP News", "Business": a menu item that names an agency
        if kind is not None:
            # A line that may be kept gets the phrase test, as it will when normalised again; the
            # others go whatever their words (they are counted as the lines away from the article).
            page.phrase_test(i)
            if page.furniture[i] is not None:
                kind = None
        if kind is not None and text not in self.emitted:
            self._keep(kind, text)
        elif page.furniture[i] is None and structure.is_timestamp(text):
            self.removed["metadata"] += 1
        else:
            self._count_removed(i)

    def _in_menu(self, i: int) -> bool:
        """Line i stands between two menu items: short lines that are no headline, byline or date."""
        return all(self._menu_item(j) for j in (i - 1, i + 1))

    def _menu_item(self, j: int) -> bool:
        page = self.page
        if not 0 <= j < len(page.lines) or j in page.title_candidates:
            return False
        if structure.is_bare_byline_word(page.lines[j]):
            return False  # "von" / "APA": the agency is the byline's name
        found, text = page.furniture[j], page.lines[j]
        if found is not None:
            return True  # any furniture line, a section heading too ("Most Read" among the links)
        return (
            len(text) < _MENU_ITEM_MAX_CHARS
            and page.scores[j] <= 0
            and not structure.is_timestamp(text)
            and (structure.agency_byline(text) == "alone" or not structure.is_byline(text))
        )

    def _article(self, i: int, end: int) -> None:
        page = self.page
        text = page.lines[i]
        found = page.furniture[i]
        if found is not None:
            if found.opens_section:
                self.section = found.kind
            self.removed[found.kind] += 1
            return
        running = page.scores[i] > 0 or text in page.repeated
        if self._drops_repeat(text):
            self.removed["duplicate"] += 1
            return
        # Until the second paragraph, short lines are the article's header: byline, date,
        # author links. A standfirst before them is the first paragraph.
        lead = self.paragraphs < 2
        kind = self._intrinsic_kind(i, lead=lead)
        if kind is not None:
            self._keep(kind, text)
            return
        if i in page.list_lines:
            self._keep("body", text)  # a list in the text, with its introducing line
            return
        if not running and ((lead and self._drops_short_lead(text)) or structure.is_timestamp(text)):
            self.removed["metadata"] += 1
            return
        if not running and not self.extracted and self._is_label(i, end):
            self.removed["boilerplate"] += 1
            return
        if all(map(_may_go, self.kept)) and is_heading(text):
            # No headline was found, and the text would open with a line that reads as one:
            # normalising the result again would take it for the headline, so it is the headline.
            self._keep("title", text)
            return
        if self.section is not None:
            # A teaser is a headline with one line of summary, often under its author and date;
            # the article goes on with paragraphs that follow each other.
            if running and not self._dated(i - 1) and self._next_is_running(i, end):
                self.section = None
            else:
                self.removed[self.section] += 1
                return
        if running:
            self.paragraphs += 1
        self._keep("body", text)

    def _is_label(self, i: int, end: int) -> bool:
        """A short line that the page shows again and again, each time over a paragraph
        ("Article content", "Story continues"): a label of the layout, not a subheading. (An
        extractor has taken such labels out; what repeats in its text is the article's own.)"""
        page = self.page
        text = page.lines[i]
        if len(text) > _REPEATABLE_MAX_CHARS:
            return False
        # Shown about as often as there are paragraphs: a heading repeated per item of a
        # shopping list ("See it now: Amazon") is shown far less often than that.
        shown = page.occurrences(text)
        if shown < _LABEL_REPEATS or shown * _LABEL_PARAGRAPHS < len(page.positive):
            return False
        after = i + 1
        return after >= end or page.scores[after] > 0 or page.lines[after] == text

    def _drops_short_lead(self, text: str) -> bool:
        """A short line before the second paragraph that is not byline, caption or credit goes:
        a date, an author's links, a counter. (In an extractor's text only dates go.)"""
        return (self.trim_lead and len(text) <= _LEAD_MAX_CHARS) or structure.is_timestamp(text)

    def _dated(self, i: int) -> bool:
        return i >= 0 and self.page.furniture[i] is None and structure.is_timestamp(self.page.lines[i])

    def _next_is_running(self, i: int, end: int) -> bool:
        """True when line i starts paragraphs again: one follows it, or it ends the article."""
        kinds, scores = self.page.furniture, self.page.scores
        if len(self.page.lines[i]) >= _TEASER_MAX_CHARS:
            return True
        for j in range(i + 1, end):
            if kinds[j] is None:
                return scores[j] > 0
        return True

    def _tail(self, i: int) -> bool:
        """Keeps credit, trailer and source-link lines right after the article; False where the
        tail ends."""
        page = self.page
        text = page.lines[i]
        page.phrase_test(i)
        found = page.furniture[i]
        if found is not None:
            if found.opens_section:
                return False
            self.removed[found.kind] += 1
            return True
        if text in self.emitted:
            self.removed["duplicate"] += 1
            return True
        if page.is_credit(i) or structure.is_trailer(text):
            self._keep("credit", text)
            return True
        if structure.is_source_link(text):
            self._keep("body", text)  # the last item of a round-up: a short headline and its source
            return True
        return False

    def _late_credits(self, i: int, limit: int) -> int:
        """Keeps a wire credit or sign-off that stands a few lines below the text, past an author's
        box, a newsletter prompt or a "report an error" link ("SDA/sep", "With files from The
        Associated Press", "© 2026 The Canadian Press"); the lines skipped go as removed. Stops at
        a section of other stories or comments. Returns where the lines away from the article begin."""
        page = self.page
        for j in range(i, limit):
            found = page.furniture[j]
            if found is not None and found.opens_section:
                break
            text = page.lines[j]
            if found is None and text not in self.emitted and structure.is_wire_credit(text):
                self._count_outside(i, j, skip=None)
                self._keep("credit", text)
                i = j + 1
        return i

    def _intrinsic_kind(self, i: int, *, lead: bool) -> BlockKind | None:
        text = self.page.lines[i]
        if self.page.is_credit(i):
            return "credit"
        if len(text) <= structure.SIGN_OFF_MAX_CHARS and structure.is_sign_off(text):
            return "credit"
        if structure.is_caption(text):
            return "caption"
        if lead:
            if structure.is_byline(text) or structure.agency_byline(text) is not None:
                return "byline"  # a wire agency's name alone is kept if it reads as one: see `_settle`
            if structure.is_timestamp(text) and self._after_agency_byline():
                return "byline"  # its date: it tells a wire byline from a photo credit under a picture
            if structure.caption_credit(text) is not None:
                return "caption"  # or a short text's sign-off: see `_settle`
            if structure.is_bare_byline_word(text):
                return "byline"  # kept if a name follows it: see `_settle`
            if self.kept and self.kept[-1][0] == "byline" and structure.is_bare_byline_word(self.kept[-1][1]):
                if structure.is_name(text):
                    return "byline"
        return None

    def _after_agency_byline(self) -> bool:
        if not self.kept:
            return False
        kind, text = self.kept[-1]
        return kind == "byline" and structure.agency_byline(text) is not None

    def _drops_repeat(self, text: str) -> bool:
        """A repeat of a kept line goes, unless it is a short line of the body: short lines may
        repeat in an article ("Eat every 2-3 hours" in a meal plan); repeated paragraphs,
        captions and credits are page furniture."""
        kind = self.emitted.get(text)
        return kind is not None and (kind not in _PROSE or len(text) >= _REPEATABLE_MAX_CHARS)

    def _keep(self, kind: BlockKind, text: str) -> None:
        self.kept.append((kind, text))
        self.emitted.setdefault(text, kind)

    def _count_outside(self, begin: int, end: int, *, skip: int | None) -> None:
        """Counts the lines of [begin, end) away from the article, by kind, in bulk: this is
        the one pass over every line of the page."""
        page = self.page
        openers = page.openers
        cuts = openers[bisect.bisect_left(openers, begin) : bisect.bisect_left(openers, end)]
        if skip is not None and begin <= skip < end:
            cuts = sorted({*cuts, skip, skip + 1})
        for a, b in zip([begin, *cuts], [*cuts, end], strict=True):
            if a < b and a != skip:
                self._count_segment(a, b)

    def _count_segment(self, begin: int, end: int) -> None:
        # No section heading inside [begin, end) but maybe at `begin`: one section throughout.
        # Counted with list and string methods, not line by line: most lines are menu items.
        page, removed = self.page, self.removed
        opener = page.furniture[begin]
        if opener is not None and opener.opens_section:
            self.section = opener.kind
        kinds = page.furniture[begin:end]
        removed.update(map(_KIND_OF, filter(None, kinds)))
        plain = kinds.count(None)
        if not plain:
            return
        lines = page.lines[begin:end]
        # A kept text is furniture nowhere (its kind follows from the text), so its repeats
        # are all among the plain lines.
        repeats = len(list(filter(self.emitted.__contains__, lines)))
        if repeats:
            removed["duplicate"] += repeats
            plain -= repeats
        if self.section is not None:
            if plain:
                removed[self.section] += plain
            return
        # Running text away from the article: few lines, known from the page's first scores.
        low, high = bisect.bisect_left(page.positive, begin), bisect.bisect_left(page.positive, end)
        running = [
            i
            for i in page.positive[low:high]
            if page.scores[i] > 0 and page.furniture[i] is None and page.lines[i] not in self.emitted
        ]
        removed.update(furniture.prompt_kind(page.lines[i].lower()) for i in running)
        if plain > len(running):
            removed["navigation"] += plain - len(running)

    def _count_removed(self, i: int) -> None:
        page, removed = self.page, self.removed
        found = page.furniture[i]
        if found is not None:
            if found.opens_section:
                self.section = found.kind
            removed[found.kind] += 1
        elif page.lines[i] in self.emitted:
            removed["duplicate"] += 1
        elif self.section is not None:
            removed[self.section] += 1
        elif page.scores[i] <= 0:
            removed["navigation"] += 1
        else:
            removed[furniture.prompt_kind(page.lines[i].lower())] += 1


def _may_go(block: tuple[BlockKind, str]) -> bool:
    """A block that `_settle` may still remove: a lone "By" or a wire agency's name alone."""
    kind, text = block
    return kind == "byline" and (structure.is_bare_byline_word(text) or structure.agency_byline(text) == "alone")


def _settle(kept: list[tuple[BlockKind, str]], removed: Counter[str]) -> list[tuple[BlockKind, str]]:
    """Labels that depend on the neighbouring blocks, decided on the kept blocks alone, so the
    same blocks decide them again when the result is normalised again.

    A lone "By" stays only with a name after it. A wire agency's name alone signs the text off
    where it ends, is a byline over its date or under the headline or another byline, credits the
    picture under a caption, and elsewhere may be a menu item. A caption closed by an agency's name
    after a full stop signs the text off if no text follows it. The first paragraph is a
    standfirst when a byline follows it. A bare sign-off ("PTI") is a credit where the text ends.
    """
    settled = _agency_names_settled(_bare_bylines_settled(kept, removed), removed)
    last_body = max((k for k, (kind, _) in enumerate(settled) if kind == "body"), default=-1)
    for k in range(last_body + 1, len(settled)):
        kind, text = settled[k]
        if kind == "caption" and structure.caption_credit(text) == "sentence" and not structure.is_caption(text):
            settled[k] = ("body", text)
    first = next((k for k, (kind, _) in enumerate(settled) if kind == "body"), None)
    if first is not None and first + 1 < len(settled) and settled[first + 1][0] == "byline":
        if is_running(settled[first][1]):
            settled[first] = ("standfirst", settled[first][1])
    for k in range(len(settled) - 1, -1, -1):
        kind, text = settled[k]
        if kind == "body" and structure.is_trailer(text):
            settled[k] = ("credit", text)
        elif kind != "credit":
            break
    return settled


def _bare_bylines_settled(kept: list[tuple[BlockKind, str]], removed: Counter[str]) -> list[tuple[BlockKind, str]]:
    settled = []
    for k, (kind, text) in enumerate(kept):
        if kind == "byline" and structure.is_bare_byline_word(text):
            after = kept[k + 1] if k + 1 < len(kept) else None
            if after is None or after[0] != "byline" or not structure.is_name(after[1]):
                removed["metadata"] += 1
                continue
        settled.append((kind, text))
    return settled


def _agency_names_settled(kept: list[tuple[BlockKind, str]], removed: Counter[str]) -> list[tuple[BlockKind, str]]:
    last = next((k for k in range(len(kept) - 1, -1, -1) if kept[k][0] != "credit"), -1)
    settled: list[tuple[BlockKind, str]] = []
    for k, (kind, text) in enumerate(kept):
        if kind == "byline" and structure.agency_byline(text) == "alone":
            if k == last and structure.is_trailer(text):
                settled.append(("credit", text))
                continue
            after = kept[k + 1] if k + 1 < len(kept) else None
            above = settled[-1][0] if settled else None
            if after is None or after[0] != "byline" or not structure.is_timestamp(after[1]):
                if above == "caption":
                    kind = "caption"
                elif above not in ("title", "byline"):
                    removed["metadata"] += 1
                    continue
        settled.append((kind, text))
    return settled


def _document(kept: list[tuple[BlockKind, str]], removed: Counter[str]) -> NormalisedText:
    kept = _settle(kept, removed)
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    dateline = None
    body_seen = False
    for kind, text in kept:
        if kind == "body" and not body_seen:
            body_seen = True
            dateline = structure.find_dateline(text)
            if dateline is not None:
                blocks.append(Block(kind, offset, offset + len(text)))
                blocks.append(Block("dateline", offset + dateline.start, offset + dateline.end))
                parts.append(text)
                offset += len(text) + 2
                continue
        blocks.append(Block(kind, offset, offset + len(text)))
        parts.append(text)
        offset += len(text) + 2
    body = "\n\n".join(t for k, t in kept if k == "body")
    return NormalisedText(
        text="\n\n".join(parts),
        blocks=tuple(blocks),
        language=detect_language(body),
        removed=dict(sorted(removed.items())),
        dateline_place=dateline.place if dateline else None,
        dateline_date=dateline.date if dateline else None,
    )
