"""Page furniture recognised by its words: widgets, prompts, section headings, legal lines.

The words are data (`furniture.toml`), checked when loaded and compiled once, in English, German,
French, Spanish, Italian and Portuguese, and more where a convention is shared across sites:

* whole lines that are furniture wherever they stand ("Share", "Advertisement", "Artikel teilen");
* phrases that make a line furniture when the line is short enough to be nothing else
  ("We use cookies ...", "Sign up for our newsletter ...");
* the word families of a few shapes (inline teasers, teaser-list and comment headings, author
  boxes, share bars, comment signatures).

Section headings that open a list of *other* stories or the comments ("Most Read", "Mehr zum
Thema", "Leave a comment") are `Furniture(..., opens_section=True)`: what follows them is not the
article, which the region search and the teaser filter rely on.

Removed-line kinds (the keys of `NormalisedText.removed`):

    navigation  menus, breadcrumbs, section and tag lists, skip links, runs of short lines
    widget      text-size, print, gallery and player controls
    share       share / follow / social buttons
    cookie      cookie and consent prompts
    newsletter  newsletter, subscription, sign-in and paywall prompts
    advert      advertising labels
    related     related-story, most-read and read-more lists and their teasers
    comments    comment sections and their prompts
    footer      contact, about, site-map and other footer links
    legal       copyright, privacy and terms lines
    metadata    dates, times, reading times and counters outside the article text
    duplicate   a line repeated from earlier in the page
    boilerplate any other line outside the article region
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True, slots=True)
class Furniture:
    kind: str
    opens_section: bool = False


# The kinds a phrase of the data file may have (the rest are given by position, not by words).
KINDS = frozenset("navigation widget share cookie newsletter advert related comments footer legal boilerplate".split())
_WORD_FAMILIES = (
    "teaser_prefixes",
    "related_heading_starts",
    "related_heading_not",
    "author_box_words",
    "author_box_subjects",
    "prompt_words",
    "button_words",
    "comment_count_nouns",
    "comment_count_linkers",
    "comment_signature_verbs",
)

# A phrase makes a line furniture only in a line short enough to be a prompt, not a paragraph
# of an article that happens to be about cookies or newsletters.
PHRASE_MAX_CHARS = 220
# Counts and brackets go too: "[ 167 comments ]" and "34 Comments" are the comments heading.
TRIM = " :.»›→>|-–—·•*#▶►[]()0123456789"
_RELATED_HEADING_MAX_WORDS = 6
_PROMPT_MAX_CHARS = 80
# A share bar flattened into one line: "Facebook X LinkedIn Tumblr Pinterest WhatsApp Share via Email Print".
_BUTTON_BAR_MAX_CHARS = 120
_SENTENCE_CLOSE = frozenset('.!?…"”’»')  # a sentence, not a row of buttons


class FurnitureWords:
    """The furniture words of one data file, checked and compiled.

    Raises ValueError naming the entry when the data is malformed: a table or list of the wrong
    type, an empty or non-lower-case phrase, an unknown kind, or a phrase with more than one kind.
    """

    def __init__(self, data: Mapping[str, object]) -> None:
        lines = _kind_table(data, "lines")
        sections = _kind_table(data, "sections")
        phrases = _kind_table(data, "phrases")
        words = _table(data, "words")
        guess = _kind_table(data, "guess")
        line_kinds: dict[str, Furniture] = {}
        for table, opens_section in ((lines, False), (sections, True)):
            for kind, phrase in table:
                if phrase in line_kinds:
                    raise ValueError(f"furniture: line {phrase!r} has more than one kind")
                line_kinds[phrase] = Furniture(kind, opens_section)
        phrase_kind: dict[str, str] = {}
        for kind, phrase in phrases:
            if phrase in phrase_kind:
                raise ValueError(f"furniture: phrase {phrase!r} has more than one kind")
            as_line = line_kinds.get(phrase)
            if as_line is not None and as_line.kind != kind:
                raise ValueError(f"furniture: phrase {phrase!r} has more than one kind")
            phrase_kind[phrase] = kind
        family = {name: _strings(words, name) for name in _WORD_FAMILIES}
        self.line_kinds = line_kinds
        self.phrase_kind = phrase_kind
        self.guesses = tuple((word, kind) for kind, word in guess)
        self.button_words = frozenset(family["button_words"])
        # Phrases start at a word, so after a character that is not part of one (the line gets a
        # space in front). A pattern that opens with a set of characters lets the regex engine skip
        # to the next candidate in C; for ASCII text (most lines) the set is spelled out, which it
        # tests faster.
        trie = _trie_pattern(sorted(phrase_kind))
        self.phrase_ascii = re.compile(rf"[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]({trie})")
        self.phrase = re.compile(rf"\W({trie})")
        self.teaser_prefix = re.compile(rf"{_any(family['teaser_prefixes'])}\s?[:»›|>]")
        self.related_heading = re.compile(
            rf"(?!{_any(family['related_heading_not'])}\b){_any(family['related_heading_starts'])}\b[^.!?,;:]{{0,40}}"
        )
        self.author_box = re.compile(
            rf"{_any(family['author_box_words'])} (?:{_any(family['author_box_subjects'])}|\w+ \w+)"
        )
        self.prompt = re.compile(_any(family["prompt_words"]))
        self.comments_heading = re.compile(
            rf"\d{{1,6}} {_any(family['comment_count_nouns'])} {_any(family['comment_count_linkers'])}\b"
        )
        # Words cannot hold a space, so each repetition takes exactly one word: no backtracking.
        self.comment_signature = re.compile(
            rf"[^\s:]{{1,40}}(?: [^\s:]{{1,30}}){{0,8}} {_any(family['comment_signature_verbs'])}:"
        )


def _table(data: Mapping[str, object], key: str) -> Mapping[str, object]:
    table = data.get(key, {})
    if not isinstance(table, Mapping):
        raise ValueError(f"furniture: [{key}] must be a table")
    return table


def _strings(table: Mapping[str, object], key: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"furniture: {key!r} must be a list of non-empty strings")
    for v in value:
        if v != v.lower() or v != v.lstrip():
            raise ValueError(f"furniture: {v!r} in {key!r} must be lower case without a leading space")
    if len(set(value)) != len(value):
        raise ValueError(f"furniture: {key!r} lists a phrase twice")
    return value


def _kind_table(data: Mapping[str, object], key: str) -> list[tuple[str, str]]:
    """(kind, phrase) pairs of a table of kinds, in file order."""
    table = _table(data, key)
    pairs = []
    for kind in table:
        if kind not in KINDS:
            raise ValueError(f"furniture: unknown kind {kind!r} in [{key}]")
        pairs.extend((kind, phrase) for phrase in _strings(table, kind))
    return pairs


def _any(words: Iterable[str]) -> str:
    """A group matching any of `words` literally, longer words first."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"


_Trie = dict[str, "_Trie"]


def _trie_pattern(phrases: list[str]) -> str:
    """One alternation of literal phrases, factored by common prefixes.

    The regex engine tries alternatives one by one; sharing prefixes means a position that
    starts no phrase is left after one character comparison per distinct first letter instead
    of one per phrase. Literal branches only, so matching cannot backtrack beyond a phrase.
    """
    trie: _Trie = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else f"(?:{'|'.join(branches)})"
        return f"{body}?" if "" in node else body

    return build(trie)


def load_furniture() -> FurnitureWords:
    raw = resources.files("wirestream.core").joinpath("furniture.toml").read_text(encoding="utf-8")
    return FurnitureWords(tomllib.loads(raw))


WORDS = load_furniture()
# Module-level names for the hot paths: a global look-up is cheaper than an attribute.
LINE_KINDS: Mapping[str, Furniture] = WORDS.line_kinds
# Longer lines cannot be a key, even with counts and brackets around it ("[ 167 comments ]").
LONGEST_LINE = max(map(len, LINE_KINDS)) + 16
_PHRASE_KIND = WORDS.phrase_kind
_PHRASE_ASCII = WORDS.phrase_ascii
_PHRASE = WORDS.phrase
_TEASER_PREFIX = WORDS.teaser_prefix
_RELATED_HEADING = WORDS.related_heading
_AUTHOR_BOX = WORDS.author_box
_PROMPT = WORDS.prompt
_BUTTON_WORDS = WORDS.button_words
_COMMENTS_HEADING = WORDS.comments_heading
_COMMENT_SIGNATURE = WORDS.comment_signature
_GUESSES = WORDS.guesses


def line_key(line: str) -> str:
    """The form of a line that `LINE_KINDS` is keyed by."""
    return line.lower().strip(TRIM)


def classify(line: str) -> Furniture | None:
    """The furniture kind of a whole line, or None when its words do not give it away."""
    found = LINE_KINDS.get(line_key(line))
    return found if found is not None else classify_phrase(line.lower())


def prompt_kind(lowered: str) -> str:
    """A cheap guess at what a removed sentence away from the article was; "boilerplate" if none.

    Only for counting: lines far from the article are removed whatever they are, and the full
    phrase test costs too much to run on every line of a page.
    """
    for word, kind in _GUESSES:
        if word in lowered:
            return kind
    return "boilerplate"


def classify_phrase(lowered: str) -> Furniture | None:
    """Furniture given away by a phrase in a short line (`lowered` is the line in lower case)."""
    n = len(lowered)
    if n > PHRASE_MAX_CHARS or " " not in lowered:
        return None  # every phrase has two words or more; single words are in `LINE_KINDS`
    if lowered[0].isdigit() and _COMMENTS_HEADING.match(lowered) is not None:
        return Furniture("comments", opens_section=True)
    m = (_PHRASE_ASCII if lowered.isascii() else _PHRASE).search(" " + lowered)
    if m is not None:
        # The trie only stops where a phrase ends, so the match is one whole phrase.
        return Furniture(_PHRASE_KIND.get(m.group(1), "boilerplate"))
    if n <= _PROMPT_MAX_CHARS and _PROMPT.search(lowered) is not None:
        return Furniture("newsletter")
    if lowered.count(" ") < _RELATED_HEADING_MAX_WORDS:
        if _RELATED_HEADING.fullmatch(lowered) is not None:
            return Furniture("related", opens_section=True)
        if _AUTHOR_BOX.fullmatch(lowered) is not None:
            return Furniture("boilerplate", opens_section=True)
    if n <= _BUTTON_BAR_MAX_CHARS and lowered[-1] not in _SENTENCE_CLOSE:
        words = lowered.split()
        if len(_BUTTON_WORDS.intersection(words)) * 2 >= len(set(words)):
            return Furniture("share")
    if lowered[-1] == ":" and _COMMENT_SIGNATURE.fullmatch(lowered) is not None and any(map(str.isdigit, lowered)):
        return Furniture("comments")
    if _TEASER_PREFIX.match(lowered):
        return Furniture("related")
    return None
