"""A page as lines with scores, and the run of lines that is its article.

Each line gets a score from its own shape: sentences of running text score their length,
short lines without sentence punctuation (menus, teasers, labels) score below zero, lines whose
words give them away as furniture (`furniture.py`) score below zero too, and headings that open
a list of other stories or the comments score far below zero. The article is the run of lines
with the highest total (a maximum-sum subarray), so menus and link lists around it drop out
while subheadings inside it are kept. The headline anchors it: running text soon after the
headline is favoured, as a long list of teasers with summaries can outweigh a short article.

Every line costs a dictionary look-up and a few length tests; only the lines of the best run,
and those about to be kept, get the slower phrase test.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from itertools import compress
from operator import methodcaller

from wirestream.core import furniture, structure

# Full stops and question and exclamation marks of the scripts news is written in: Latin, CJK,
# Devanagari and Bengali (danda), Arabic and Urdu, Armenian, Ethiopic.
SENTENCE_END = frozenset(".!?…。！？।॥؟۔։።")
_QUOTE_END = frozenset("\"”’»)'")
_HEADING_BAD_END = frozenset(".,;:")
_TRUNCATED = ("...", "…", "[…]", "[...]")

_SHORT_SCORE = -30.0
_FURNITURE_SCORE = -60.0
# Comments follow the article; a box of related stories can sit inside it, between paragraphs.
_COMMENTS_SCORE = -2000.0
_SECTION_SCORE = -150.0
_MIN_SENTENCE_CHARS = 25
_MIN_LONG_CHARS = 150
_MIN_INTRO_CHARS = 60
_TITLE_MAX_CHARS = 250
_TITLE_MAX_WORDS = 30
_TITLE_MIN_MATCH = 15
_ANCHOR_LINES = 25
_ANCHOR_BONUS = 1000.0
_MIN_ARTICLE_SCORE = 300.0
_COMMENTS_RATIO = 0.2
# A comments heading ("34 responses to ...") sits right above the comments it opens.
_HEADING_LINES = 5
# A list introduced by a colon: at most this many items of at most this length.
_LIST_MAX_ITEMS = 30
_LIST_ITEM_MAX_CHARS = 80
_ENDS_WITH_COLON = methodcaller("endswith", ":")
_BAR_KINDS = frozenset({"share", "widget"})
_SHARE_BUTTON = furniture.Furniture("share")
# Between a document title and the site's name: "Headline | Site", "Headline - Site", "Headline « Site".
_SITE_SEPARATORS = frozenset("|-–—«»:·•/")


class Page:
    """The lines of a page with their furniture kinds and scores."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        kind_of, longest, trim = furniture.LINE_KINDS.get, furniture.LONGEST_LINE, furniture.TRIM
        self.furniture = [kind_of(line.lower().strip(trim)) if len(line) <= longest else None for line in lines]
        self._demote_share_bar_comments()
        short, shortest = _SHORT_SCORE, _MIN_SENTENCE_CHARS
        # Most lines of a page are short menu items: they skip the function call.
        self.scores = [
            (short if len(line) < shortest else _shape_score(line)) if kind is None else _furniture_score(kind)
            for line, kind in zip(lines, self.furniture, strict=True)
        ]
        self.phrase_checked = [False] * len(lines)
        self._credit: dict[int, bool] = {}
        self.list_lines: set[int] = set()
        self._occurrences: Counter[str] | None = None
        self._score_repeats()
        self._score_lists()
        self.first = next((i for i, f in enumerate(self.furniture) if f is None), None)
        self.title_candidates = self._title_candidates()
        self.headline: int | None = None
        for i in self.title_candidates:
            self.scores[i] = min(self.scores[i], _SHORT_SCORE)
        self._anchor_after_titles()

    def _demote_share_bar_comments(self) -> None:
        # "Comments" between "Twitter" and "Print" is a button of the share bar, not the heading
        # of the comment section.
        kinds = self.furniture
        self.openers = [i for i, kind in enumerate(kinds) if kind is not None and kind.opens_section]
        for i in self.openers:
            kind = kinds[i]
            if kind is not None and kind.kind == "comments":
                near = kinds[max(0, i - 1) : i + 2]
                if any(k is not None and k.kind in _BAR_KINDS for k in near):
                    kinds[i] = _SHARE_BUTTON

    def article(self) -> tuple[int, int]:
        """The [start, end) lines of the article: the best run, checked for prompts and comments.

        Prompts such as cookie banners read like running text; only their words give them away.
        The phrase test is the slowest per line, so it runs on the best run and the lines just
        before it only, and the run is searched again while the test turns lines into furniture.
        Each line is tested at most once, so this ends.

        Comments read like running text too and can outweigh a short article; when the best run
        follows a comments heading, the best run before that heading is the article unless it
        is negligible.
        """
        scores = self.scores
        while True:
            start, end, total = _best_run(scores)
            if not self._phrase_test(max(0, start - _HEADING_LINES), end):
                break
        headings = [i for i in self.openers if i < start and self._opens_comments(i)]
        if headings and not self._shown_again(headings[-1], end):
            heading = headings[-1]
            before_start, before_end, before_total = _best_run(scores[:heading])
            if before_total >= max(_MIN_ARTICLE_SCORE, _COMMENTS_RATIO * total):
                start, end = before_start, before_end
        # An article starts below its headline: teasers with summaries above it can join the run
        # by their length alone. Only a line that is the whole document title (site name aside)
        # is taken for the headline here; a shorter repeat can be a box or a recipe card inside.
        if self.headline is not None and start < self.headline < end:
            start = self.headline + 1
        return start, end

    def occurrences(self, text: str) -> int:
        """How many lines of the page are `text` (counted once, on first use)."""
        if self._occurrences is None:
            self._occurrences = Counter(self.lines)
        return self._occurrences[text]

    def is_credit(self, i: int) -> bool:
        # Asked of the same line by the phrase test and again when it is labelled.
        found = self._credit.get(i)
        if found is None:
            found = self._credit[i] = structure.is_credit(self.lines[i])
        return found

    def phrase_test_all(self) -> None:
        self._phrase_test(0, len(self.lines))

    def phrase_test(self, i: int) -> None:
        self._phrase_test(i, i + 1)

    def _phrase_test(self, begin: int, end: int) -> bool:
        scores, kinds, lines, checked = self.scores, self.furniture, self.lines, self.phrase_checked
        changed = False
        for i in range(begin, end):
            if not checked[i] and kinds[i] is None:
                checked[i] = True
                # A credit line wins over its words: "© 2019 The Associated Press. All rights
                # reserved." is kept for the tagger, who knows which copyrights are credits. It
                # counts as neither article nor furniture, so a footer's copyright line glues
                # no footer to the article.
                if self.is_credit(i):
                    if scores[i] > 0:
                        scores[i] = 0.0
                        changed = True
                    continue
                line = lines[i]
                kind = furniture.classify_phrase(line.lower()) if len(line) <= furniture.PHRASE_MAX_CHARS else None
                if kind is not None:
                    kinds[i] = kind
                    scores[i] = _furniture_score(kind)
                    if kind.opens_section:
                        bisect.insort(self.openers, i)
                    changed = True
        return changed

    def _shown_again(self, heading: int, after: int) -> bool:
        """The comments heading shows again after line `after`: the one above is a link to the
        comments below ("5 comments" under the byline, "Join the conversation"), not their start."""
        text = self.lines[heading].lower()
        return any(self._opens_comments(i) and self.lines[i].lower() == text for i in self.openers if i >= after)

    def _opens_comments(self, i: int) -> bool:
        kind = self.furniture[i]
        return kind is not None and kind.opens_section and kind.kind == "comments"

    def _score_lists(self) -> None:
        """A list inside the text costs nothing: after running text, a line ending in a colon
        ("The worst-hit towns:") and the short lines under it, with running text after them,
        are a list, so the text that goes on after it stays in the article."""
        scores, lines, kinds = self.scores, self.lines, self.furniture
        n = len(lines)
        # Few lines end in a colon: they are found without a Python loop over every line.
        for i in compress(range(n), map(_ENDS_WITH_COLON, lines)):
            if i == 0 or kinds[i] is not None or (scores[i] <= 0 and scores[i - 1] <= 0):
                continue
            j = i + 1
            while j < n and j - i <= _LIST_MAX_ITEMS and kinds[j] is None and scores[j] <= 0:
                item = lines[j]
                if len(item) > _LIST_ITEM_MAX_CHARS or item[-1] == ":":
                    break  # a label over a value ("Editor:", "Tips:") is a box of facts, not a list
                if structure.is_timestamp(item) or structure.is_byline(item):
                    break  # a teaser's date or author: a list of other stories
                j += 1
            # Only a list that running text follows: a colon line over the tags or the imprint
            # at the end of a page is no list inside the article.
            if j < n and kinds[j] is None and scores[j] > 0:
                for k in range(i, j):
                    scores[k] = max(scores[k], 0.0)
                    self.list_lines.add(k)

    def _score_repeats(self) -> None:
        # A paragraph-like line shown twice is a caption repeated by a gallery or a teaser
        # repeating the lead; either way it is no evidence of running text.
        scores, lines = self.scores, self.lines
        self.positive = positive = [i for i, s in enumerate(scores) if s > 0]  # ascending
        counts = Counter(lines[i] for i in positive)
        self.repeated = {text for text, n in counts.items() if n > 1}
        for i in positive:
            if lines[i] in self.repeated:
                scores[i] = _SHORT_SCORE

    def _title_candidates(self) -> list[int]:
        """Later lines that repeat the first line, or part of it: the page title as a heading.

        The first line itself is a candidate when it reads as a heading: in page text it is
        the document title, in article text the headline.
        """
        first = self.first
        if first is None:
            return []
        lines = self.lines
        page_title = _comparable(lines[first])
        low, high = max(_TITLE_MIN_MATCH, int(0.4 * len(page_title))), len(page_title) + 2
        # The comparable form of a line's first characters begins its comparable form: most lines
        # are let go on those.
        found = [
            i
            for i, line in enumerate(lines[first + 1 :], first + 1)
            if low <= len(line) <= high and _comparable(line[:4]) in page_title and _comparable(line) in page_title
        ]
        # The same headline often shows several times: it is judged once.
        heading = {text: is_heading(text) for text in {lines[i] for i in [first, *found]}}
        return [i for i in [first, *found] if heading[lines[i]]]

    def _anchor_after_titles(self) -> None:
        """The article starts soon after its headline: favour running text that does so.

        Without this, a long list of teasers with summaries can outweigh a short article. The
        page's first line is skipped when the headline shows again further down, as page text
        starts with the document title far above the article.
        """
        anchors = [i for i in self.title_candidates if i != self.first] or self.title_candidates
        if not anchors:
            return
        # The first repeat is the headline; later ones are the same title in teaser lists.
        anchor, scores, lines = anchors[0], self.scores, self.lines
        if self.first is not None and anchor != self.first and _is_whole_title(lines[anchor], lines[self.first]):
            self.headline = anchor
        for i in range(anchor + 1, min(len(scores), anchor + 1 + _ANCHOR_LINES)):
            if scores[i] > 0:
                scores[i] += _ANCHOR_BONUS
                break

    def pick_title(self, start: int, end: int) -> int | None:
        """The last headline candidate before the article, or the last of all when there is
        no article text (a page of headings still has its headline)."""
        for i in self.title_candidates:
            self.phrase_test(i)  # a prompt can read like a headline
        before = [i for i in self.title_candidates if (i < start or end <= start) and self.furniture[i] is None]
        return before[-1] if before else None


def _furniture_score(kind: furniture.Furniture) -> float:
    if not kind.opens_section:
        return _FURNITURE_SCORE
    return _COMMENTS_SCORE if kind.kind == "comments" else _SECTION_SCORE


def is_running(text: str) -> bool:
    """Reads as running text by its own shape."""
    return (_SHORT_SCORE if len(text) < _MIN_SENTENCE_CHARS else _shape_score(text)) > 0


def _shape_score(text: str) -> float:
    n = len(text)
    if n >= _MIN_SENTENCE_CHARS:
        last = text[-1]
        if text.endswith(_TRUNCATED):
            return _SHORT_SCORE  # a teaser cut short: "Microsoft removes the safeguard hold for..."
        if last in SENTENCE_END or (last in _QUOTE_END and (text[-2] in SENTENCE_END or text[-2] == ",")):
            return float(n)
        if last == ":" and n >= _MIN_INTRO_CHARS:
            return float(n)  # a sentence introducing a quote or a list
    if n >= _MIN_LONG_CHARS and (". " in text or ", " in text):
        # Long text without a closing full stop: running text if it has sentence punctuation
        # inside; a flattened menu or tag cloud has none.
        return n / 2
    return _SHORT_SCORE


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})


def _comparable(text: str) -> str:
    """A headline as compared with the document title: case, quote styles and end stops aside."""
    lowered = text.lower()
    if not lowered.isascii():  # (a constant-time test) only then can it hold curly quotes
        lowered = lowered.translate(_QUOTES)
    return lowered.rstrip(".!?… ")


def _is_whole_title(line: str, page_title: str) -> bool:
    """The line is the page title without the site's name: "Headline" of "Headline | Site"."""
    title, line = _comparable(page_title), _comparable(line)
    rest = title.removeprefix(line)
    return rest != title and (not rest or rest.lstrip()[:1] in _SITE_SEPARATORS)


def is_heading(text: str) -> bool:
    return (
        len(text) <= _TITLE_MAX_CHARS
        and text[-1] not in _HEADING_BAD_END
        and text.count(" ") < _TITLE_MAX_WORDS
        and any(c.isalnum() for c in text)
        and not structure.is_byline(text)
        and structure.agency_byline(text) is None
        and structure.caption_credit(text) is None
        and not structure.is_bare_byline_word(text)
        and not structure.is_caption(text)
        and not structure.is_credit(text)
        and not structure.is_sign_off(text)
    )


def _best_run(scores: Sequence[float]) -> tuple[int, int, float]:
    """The [start, end) run with the highest total, and the total; empty when none is positive."""
    best, best_start, best_end = 0.0, 0, 0
    total, run_start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, run_start = score, i
        else:
            total += score
        if total > best:
            best, best_start, best_end = total, run_start, i + 1
    return best_start, best_end, best
