"""What an agency mention is evidence of, judged by the shape of the text around it.

Each mention found by the registry scan is looked at in its line, and is one of: a credit line
(`With reporting by AFP`), a byline (`By Jane Doe, Associated Press`), a dateline
(`BERLIN (Reuters) -`), a photo credit (`AP Photo/...`, `Foto: dpa`), a copyright line
(`© 2019 Associated Press`), a sign-off (`(dpa/lno)`, `... the US. PTI`, a lone `Reuters` after the
text), a source (`told Reuters`, `according to AFP`), or nothing (a name in navigation, an ambiguous
abbreviation without context). Shapes are tried in that order, from the most specific to the least:
a photo credit comes before the shapes it can look like (`Photo: Jane Doe, AP` is no byline).

Block kinds from the normaliser are hints, not facts: a caption block makes a photo credit, but a
byline-shaped line is judged by its text and its neighbours, because a photographer's line under the
lead picture reads the same as a byline.

Some shapes hold only in one part of the article (a byline before its text, a sign-off at its end).
A candidate says where it must stand (`place`) and what it is anywhere else (`fallback`); the caller
decides once it knows where the article's prose is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from wirestream.core.agencies import Mention
from wirestream.core.layout import Layout, Line
from wirestream.core.lexicon import LEXICON
from wirestream.core.structure import POLL_AFTER_SLASH, POLL_WORD
from wirestream.schemas.attribution import EvidenceKind

# lead: before most of the article's prose; body: after its lead; end: after most of it; any: anywhere.
Place = Literal["lead", "body", "end", "any"]

_WINDOW = 120  # characters of a line looked at on either side of a mention
_SHORT_LINE = 120  # bylines, credit lines and sign-offs are at most this long


@dataclass(frozen=True, slots=True)
class Candidate:
    code: str
    kind: EvidenceKind
    start: int
    end: int
    place: Place = "any"
    fallback: EvidenceKind | None = None


@dataclass(frozen=True, slots=True)
class _Context:
    mention: Mention
    layout: Layout
    line: Line
    kind: str | None  # the kind of block holding the mention
    before: str  # up to _WINDOW characters of the line before the mention
    after: str  # up to _WINDOW characters of the line after the mention
    head: str | None  # the whole line before the mention, if it is within the window
    tail: str | None  # the whole line after the mention, if it is within the window

    @property
    def short(self) -> bool:
        return not self.line.cut and len(self.line.text.strip()) <= _SHORT_LINE

    def candidate(
        self, kind: EvidenceKind, start: int, end: int, place: Place = "any", fallback: EvidenceKind | None = None
    ) -> Candidate:
        start, end = _strip_span(self.layout.text, start, end)
        return Candidate(self.mention.code, kind, start, end, place, fallback)

    def whole_line(self, kind: EvidenceKind, place: Place = "any", fallback: EvidenceKind | None = None) -> Candidate:
        return self.candidate(kind, self.line.start, self.line.end, place, fallback)


def classify(mention: Mention, layout: Layout) -> Candidate | None:
    text = layout.text
    line = layout.line_at(mention.start, mention.end)
    before = text[max(line.start, mention.start - _WINDOW) : mention.start]
    after = text[mention.end : min(line.end, mention.end + _WINDOW)]
    ctx = _Context(
        mention=mention,
        layout=layout,
        line=line,
        kind=layout.kind_at(mention.start),
        before=before,
        after=after,
        head=before if line.start >= mention.start - _WINDOW and not line.cut else None,
        tail=after if line.end <= mention.end + _WINDOW and not line.cut else None,
    )
    if _is_not_a_mention(ctx):
        return None
    if mention.strength == "titlecase":
        return _role_byline(ctx)
    for shape in _SHAPES:
        found = shape(ctx)
        if found is not None:
            return found
    return None


def house_trailer(mark: Mention, layout: Layout) -> Candidate | None:
    """A house sign-off ("Reporting by X; Editing by Y") that credits `mark.code` without naming it."""
    line = layout.line_at(mark.start, mark.end)
    if line.cut or len(line.text) > 4 * _SHORT_LINE:
        return None
    # The phrase opens the sign-off, or follows another credit in it: "Reporting by X; Editing by Y".
    head = layout.text[line.start : mark.start].strip()
    if head not in ("", "(") and not head.endswith(";"):
        return None
    start, end = _strip_span(layout.text, line.start, line.end)
    return Candidate(mark.code, "trailer", start, end, "end")


# --- not a mention at all -------------------------------------------------------------------------

_TEASER_LEAD = re.compile(rf"^\s*{LEXICON.pattern('teaser_prefixes')}\s*(?::|\||»|>|-|–)", re.IGNORECASE)
_TITLE_SUFFIX = re.compile(r"[^\W_]\s+[-–—|]\s*(?:the\s+)?$", re.IGNORECASE)


def _is_not_a_mention(ctx: _Context) -> bool:
    before, after = ctx.before, ctx.after
    # Inside a web address, an e-mail address, a handle or a hashtag.
    if before[-1:] in (".", "@", "#") or (after[:1] == "." and after[1:2].isalpha()):
        return True
    token = before.rsplit(None, 1)[-1] if before and not before[-1].isspace() else ""
    token += after.split(None, 1)[0] if after and not after[0].isspace() else ""
    lowered = token.lower()
    if "://" in lowered or "www." in lowered or "%2f" in lowered:
        return True
    # A product or brand ("AFP*", "AP®"), not the agency.
    if after[:1] in ("*", "®", "™"):
        return True
    # The site's name after the page title: "Oil drifts near highs - Reuters".
    is_title = ctx.kind == "title" or ctx.line.start == 0
    if is_title and ctx.tail is not None and not ctx.tail.strip() and _TITLE_SUFFIX.search(before):
        return True
    return bool(_TEASER_LEAD.match(ctx.line.text))


# --- tag groups: "(dpa/lno)", "(AP)", "... the US. PTI", "— AFP", "hba/dpa" --------------------------

# Next to the mention, a tag group holds other agency codes or an editor's initials, never a name:
# "(dpa/lno)", "(dpa-tmn)", "mrc/AFP/dpa", "PTI SKL RT".
_TAG = r"(?:[a-z]{2,6}|[A-Z]{2,6})(?:-[A-Za-z]{2,6})?"
_TAGS_AFTER = re.compile(
    rf"(?:-[A-Za-z]{{2,6}})?(?:\s*[/,&]\s*{_TAG})*(?P<initials>(?:\s+[A-Z]{{2,4}}){{1,4}})?\s*(?P<close>[)）])?\s*\.?\s*"
)
_TAGS_BEFORE = re.compile(
    r"(?:(?P<open>[(（])|(?P<dash>(?:^|[.!?\"”’])\s*[-–—]{1,2}\s*)|(?P<sentence>[.!?\"”’]\s+)|^)(?:[Tt]he\s+)?"
    rf"(?:{_TAG}\s*[/,&]\s*)*$"
)


@dataclass(frozen=True, slots=True)
class _TagGroup:
    start: int
    end: int
    slashed: bool  # joined with other tags or initials: "(dpa/lno)", "hba/dpa", "PTI SKL"
    bracketed: bool  # "(AFP)", "— AFP"
    alone: bool  # the bare name is the whole line


def _tag_group(ctx: _Context) -> _TagGroup | None:
    """The mention's tag group, if it closes its line."""
    if ctx.tail is None:
        return None
    after = _TAGS_AFTER.fullmatch(ctx.tail)
    before = _TAGS_BEFORE.search(ctx.before)
    if after is None or before is None or (before.group("open") is not None) != (after.group("close") is not None):
        return None
    at_line_start = before.start() == 0 and ctx.head is not None
    if before.start() == 0 and ctx.head is None:
        return None  # the window, not the line, starts there
    if not (at_line_start or before.group("open") or before.group("dash") or before.group("sentence")):
        return None
    dash = before.group("dash") or ""
    skip = len(before.group("sentence") or "") + (1 if dash[:1] in '.!?"”’' and dash else 0)
    start = ctx.mention.start - len(ctx.before) + before.start() + skip
    slashed = "/" in ctx.before[before.start() :] + ctx.tail or after.group("initials") is not None
    bracketed = before.group("open") is not None or bool(dash)
    return _TagGroup(start, ctx.mention.end + len(ctx.tail), slashed, bracketed, at_line_start and not dash)


def _tag(ctx: _Context) -> Candidate | None:
    group = _tag_group(ctx)
    if group is None or (group.alone and not group.slashed and not group.bracketed):
        return None  # a bare name alone on its line: see _name_line
    if ctx.kind == "caption":
        return ctx.candidate("photo_credit", group.start, group.end)
    # Closing a caption, "(AP)" credits the photograph; closing the article, it signs the text off.
    # An editor's initials ("(dpa/lno)", "hba/dpa") only ever sign off text.
    fallback: EvidenceKind | None = None if _has_initials(ctx, group) else "photo_credit"
    place = _sign_off_place(ctx, own_paragraph=not group.alone)
    return ctx.candidate("trailer", group.start, group.end, place, fallback)


def _sign_off_place(ctx: _Context, *, own_paragraph: bool) -> Place:
    """Where a sign-off must stand: after most of the prose, or, when it closes a paragraph that is
    followed by no more running text (page furniture that the normaliser kept), after the lead."""
    closes_text = not own_paragraph or ctx.layout.is_prose(ctx.line)
    # (A gallery's counter or next caption may follow a picture's credit before the text goes on.)
    if closes_text and _closes(ctx):
        return "body"
    return "end"


_CLOSING_LINES = 6


def _closes(ctx: _Context) -> bool:
    """No running text follows the line within the next few lines: it closes the text, rather than
    standing between a picture's caption and the paragraphs that go on after it."""
    layout, line = ctx.layout, ctx.line
    for _ in range(_CLOSING_LINES):
        line = layout.next_line(line)
        if line is None:
            return True
        if layout.is_prose(line):
            return False
    return True


def _has_initials(ctx: _Context, group: _TagGroup) -> bool:
    text = ctx.layout.text
    other = text[group.start : ctx.mention.start] + " " + text[ctx.mention.end : group.end]
    return _INITIALS.search(other) is not None


_INITIALS = re.compile(r"(?<![A-Za-z])[a-z]{2,4}(?![A-Za-z])|(?<=\s)[A-Z]{2,4}(?![A-Za-z])")


# --- photo credits ---------------------------------------------------------------------------------

_PHOTO_WORD = rf"{LEXICON.pattern('photo_words')}\w*"
_PHOTO_WORDS = re.compile(rf"\b(?:{_PHOTO_WORD})\b", re.IGNORECASE)
# "Photo: ", "Image copyright ", "Photograph by ", "Photo Credit : ", "[File: ", "Bildquelle: ".
_PHOTO_LABEL = re.compile(
    rf"\b(?:{_PHOTO_WORD})\s*(?:credit|copyright|courtesy|source)?\s*(?::|\bby\b|©|\||…|\.\.\.|copyright\s*$)",
    re.IGNORECASE,
)
# Picture agencies and pools: a line naming one is a picture credit.
_PICTURE_SOURCE = re.compile(rf"\b{LEXICON.pattern('picture_sources')}\b", re.IGNORECASE)
_PHOTO_AFTER = re.compile(
    r"\s*(?:(?:\d{4}\s*)?/|\bvia\b|(?:photo|foto|picture|image|video|tv)\w*\b|files?\b|-?bildfunk)", re.IGNORECASE
)
# "a Reuters photographer was injured": the agency's staff, not a picture's credit.
_STAFF_AFTER = re.compile(
    r"\s*(?:photographers?|photojournalists?|photo\s+editors?|videographers?|video\s+journalists?|"
    r"fotografe?n?|fotoreporter\w*|photographes?)\b",
    re.IGNORECASE,
)
_PHOTO_BEFORE = re.compile(r"(?:/|\bvia)\s*(?:the\s+)?$", re.IGNORECASE)
# "Ipsos/Reuters poll": the poll word after the agency's name.
_POLL_NEXT = re.compile(rf"[\s-](?:[\w-]+\s+)?{POLL_WORD}", re.IGNORECASE)
_LAST_BREAK = re.compile(r".*(?:[.!?;][\"'”’)]?\s|[(\[])", re.DOTALL)


def _segment(before: str) -> str:
    """The end of `before` since its last sentence break or opening bracket."""
    m = _LAST_BREAK.match(before)
    return before[m.end() :] if m else before


def _photo(ctx: _Context) -> Candidate | None:
    if ctx.kind != "caption" and (
        _tag_group(ctx) is not None
        or (ctx.after.startswith("/") and POLL_AFTER_SLASH.match(ctx.after, 1))
        or (ctx.before.endswith("/") and _POLL_NEXT.match(ctx.after))
    ):
        return None
    if ctx.kind != "caption" and _STAFF_AFTER.match(ctx.after):
        return None
    segment = _segment(ctx.before)
    photo = (
        ctx.kind == "caption"
        or _PHOTO_AFTER.match(ctx.after) is not None
        or _PHOTO_BEFORE.search(ctx.before) is not None
        or (len(segment.split()) <= 8 and _PHOTO_LABEL.search(segment) is not None)
        or (ctx.short and len(ctx.line.text.split()) <= 12 and _PICTURE_SOURCE.search(ctx.line.text) is not None)
    )
    if not photo:
        return None
    if ctx.short:
        return ctx.whole_line("photo_credit")
    return ctx.candidate("photo_credit", *_credit_span(ctx, segment))


def _credit_span(ctx: _Context, segment: str) -> tuple[int, int]:
    """The photo credit in a long line: from its photo word or bracket to its closing bracket."""
    start = ctx.mention.start - len(segment)
    words = list(_PHOTO_WORDS.finditer(segment))
    if words:
        start += words[0].start()
    elif len(segment) > 40:  # "Jane Doe / AFP": the photographer's name, not the caption before it
        start = ctx.mention.start - len(segment[-40:].split(" ", 1)[-1])
    text = ctx.layout.text
    opened = start > 0 and text[start - 1] in "(["
    if opened:
        start -= 1
    close = ctx.after.find(")" if not opened or text[start] == "(" else "]")
    if 0 <= close <= 60:
        return start, ctx.mention.end + close + 1
    if ctx.tail is not None and len(ctx.tail) <= 60:  # "REUTERS/Brendan McDermid" closing the line
        return start, ctx.line.end
    return start, ctx.mention.end


# --- datelines -------------------------------------------------------------------------------------

# A dateline's place and date: capitalised words, numbers, short lower-case particles ("a.M.", "de"),
# bracketed regions ("[India]"), separated by spaces, commas and slashes. Each token must end where
# a separator or the end follows, so that a long word cannot be split into tokens in many ways.
_MONTH = rf"{LEXICON.pattern('months')}[^\W\d_]*"
_PLACE_TOKEN = (
    r"(?:[A-Z\u00c0-\u00de\u0400-\u042f\u0590-\u05ff\u0600-\u06ff][\w.'’-]*|\d{1,4}(?:st|nd|rd|th)?\.?|[a-z]{1,3}\.(?:[A-Z]\.)?|"
    rf"{_MONTH}\.?|[a-z]{{1,3}}|\[[^\]\n]{{1,30}}\])(?![\w.'’-])"
)
_PLACE_WORDS = rf"{_PLACE_TOKEN}(?:[ ,/]+{_PLACE_TOKEN}){{0,7}}"
_PLACE = re.compile(_PLACE_WORDS)
# Any dateline opening a line, with or without an agency: "MADRID — ", "BERLIN (dpa) - ", "NEW DELHI: ".
_ANY_DATELINE = re.compile(
    rf"^(?:{_PLACE_WORDS})?[ ,]*(?:[(\[][^()\[\]\n]{{1,30}}[)\]]\s*)?(?:-{{1,3}}|[–—])\s+\S"
    r"|^[A-Z][A-Z .'’-]{2,30}:\s+\S",
    re.MULTILINE,
)
# Inside the brackets, other agencies or an editor's initials may share the tag: "(dpa/lno)", "(AFP/dpa)".
_TAGS_INSIDE_BEFORE = re.compile(rf"(?:\w+\s*=\s*)?(?:{_TAG}\s*[/,&]\s*)*")  # "(서울=연합뉴스)"
_TAGS_INSIDE_AFTER = re.compile(rf"(?:\s*[/,&]\s*{_TAG})*")
_OPENERS = {"(": ")", "[": "]", "/": "/"}
_KAKKO_PLACE_CHARS = 13  # "【" and a place name
# After the tag: a dash, colon or full stop ("(EFE).-", "/TASS/."), then the story's first word; with
# no separator, a capital letter ("Bonn (KNA) Die ...", not "Agence France-Presse (AFP) reported").
_DATELINE_REST = re.compile(
    r"(?P<sep>\s*(?:\.?\s*-{1,3}|\.?\s*[–—]|[:.]))\s*[\"“‘'(«]?\w|\s+[\"“‘'(«]?[^\W\d_](?<=[^\W\d_a-zß-ÿа-я])"
)


def _dateline(ctx: _Context) -> Candidate | None:
    span = _dateline_span(ctx)
    if span is None:
        return None
    # The article's dateline opens its first paragraph, so it stands before most of the prose; but when
    # teasers for other stories were left above the article, it is still the page's first dateline,
    # and a story follows it.
    # The same holds for the dateline that the normaliser found opening the text, however short the
    # text is (a one-line brief under a long headline).
    first = ctx.layout.first_match(_ANY_DATELINE)
    following = ctx.layout.next_line(ctx.line)
    if first == ctx.line.start and (
        ctx.kind == "dateline" or (following is not None and ctx.layout.is_prose(following))
    ):
        return ctx.candidate("dateline", *span)
    return ctx.candidate("dateline", *span, "lead")


_VIA_DATELINE = re.compile(rf"(?:{_PLACE_WORDS})\s+via\s+(?:the\s+)?")
_VIA_REST = re.compile(r"(?P<sep>\s*(?:-{1,3}|[–—]))\s+[\"“‘'(«]?\w")


def _dateline_span(ctx: _Context) -> tuple[int, int] | None:
    if ctx.kind == "dateline":  # the normaliser found it
        block = ctx.layout.block_at(ctx.mention.start)
        if block is not None:
            return block[0], block[1]
    head = ctx.head
    if head is None or len(head) > 90:
        return None
    via = _VIA_DATELINE.fullmatch(head)
    if via is not None:  # "KYIV, Ukraine via AP — ": the agency relays a partner's report
        rest = _VIA_REST.match(ctx.after)
        return (ctx.line.start, ctx.mention.end + rest.end("sep")) if rest is not None else None
    if head.startswith("【") and len(head) <= _KAKKO_PLACE_CHARS and ctx.after.startswith("】"):
        return ctx.line.start, ctx.mention.end + 1  # Japanese: "【パリ共同】", place and agency in lenticular brackets
    open_at = max(head.rfind(opener) for opener in _OPENERS)
    if open_at < 0 or not _TAGS_INSIDE_BEFORE.fullmatch(head[open_at + 1 :]):
        return None
    close_at = ctx.after.find(_OPENERS[head[open_at]])
    if close_at < 0 or not _TAGS_INSIDE_AFTER.fullmatch(ctx.after[:close_at]):
        return None
    place = head[:open_at].strip()
    if place and not _PLACE.fullmatch(place):
        return None
    rest = ctx.after[close_at + 1 :]
    sep = _DATELINE_REST.match(rest)
    if sep is None or len(rest.strip()) < 15:
        return None
    return ctx.line.start, ctx.mention.end + close_at + 1 + (sep.end("sep") if sep.group("sep") else 0)


# --- bylines ---------------------------------------------------------------------------------------

# "By Jane Doe", "By the Associated Press", "Von Max Mustermann" (not "By the time", "Von der Leyen").
_BY_WORDS = LEXICON.pattern("by_words")
_BY = re.compile(rf"\s*(?i:{_BY_WORDS})\s*:?\s+(?:[Tt]he\s+)?[^\W\d_a-zß-ÿ]")
# "Von dpa", "By AP", "Von: abc/dpa": the by-word right before the agency (or its desk's initials).
_BY_AGENCY = re.compile(rf"\s*(?i:{_BY_WORDS})\s*:?\s+(?:(?i:the|der|die|l['’])\s*)?(?:[a-z]{{2,4}}\s*/\s*)?")
_ROLE_AFTER = re.compile(
    r"(?:-|[\s,]*)(?:[A-Z][A-Za-z]+\s+){0,3}(?:Writer|Writers|Correspondent|Reporter|Editor|Columnist|Staff|"
    r"Bureau|Korrespondent\w*|Redakt\w*)\b"
)
_SENTENCE_CLOSE = re.compile(r"^['’]|[.!?:]\s*$")
_THE = re.compile(r"\s*(?:[-–—•|]\s*)?(?:the\s+)?", re.IGNORECASE)
_NOTHING = re.compile(r"[\s.,:;|·•]*")
# Capitalised names joined by commas or "and", then the agency: "Meg Kinnard and Errin Haines, ".
_NAMES = re.compile(r"\s*(?:[A-Z\u00c0-\u00de][\w.'’-]*(?:\s*,\s*|\s+(?:and|und|&)\s+|\s+)){1,8}(?:[|/–—-]\s*)?")
_DATE = re.compile(
    rf"\b{_MONTH}\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+{_MONTH}|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b|"
    r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b",
    re.IGNORECASE,
)
_TIMESTAMP = re.compile(rf"\s*{LEXICON.pattern('timestamp_words')}\b", re.IGNORECASE)
_PARAGRAPH_END = re.compile(r"[^\W\d_][.!?][\"'”’)]?$")
# "Reuters, Washington,", "Associated Press in Valencia", "AFP à Paris".
_PLACE_AFTER = re.compile(r"\s*(?:,|\s(?:in|aus|à|en|em|a)\s)\s*[A-Z][\w .'’-]{1,30},?\s*")


def _is_timestamp(line: Line | None) -> bool:
    if line is None or line.cut or len(line.text) > 80:
        return False
    return bool(_TIMESTAMP.match(line.text) or _DATE.search(line.text))


def _role_byline(ctx: _Context) -> Candidate | None:
    """An agency staff byline: "Tom Krisher, Ap Auto Writer"."""
    if ctx.short and _ROLE_AFTER.match(ctx.after):
        return ctx.whole_line("byline", "lead")
    return None


def _byline(ctx: _Context) -> Candidate | None:
    """Shapes that are bylines wherever they stand, even in a block taken for a caption."""
    if not ctx.short or ctx.head is None or ctx.tail is None:
        return None
    head, tail = ctx.head, ctx.tail
    # "By Reuters' count, 42 people died." and "AP Executive Editor Sally Buzbee said." are sentences:
    # bylines do not end like one.
    if _SENTENCE_CLOSE.search(tail):
        return None
    if _ROLE_AFTER.match(tail) or (_BY.match(ctx.line.text) and len(ctx.line.text.split()) <= 16):
        return ctx.whole_line("byline", "lead")
    if ctx.kind != "caption" and _NEWSROOM.fullmatch(head) and _NOTHING.fullmatch(tail):
        return ctx.whole_line("byline", "lead")  # "Redacción / EFE": the newsroom and the agency
    if _BY_AGENCY.fullmatch(head) and (not tail.strip() or _DATE.search(tail) or _PLACE_AFTER.fullmatch(tail)):
        return ctx.whole_line("byline", "lead")  # "Von dpa", "Von dpa 30.04.2024, 18:58"
    if _THE.fullmatch(head) and len(tail) <= 80 and (_DATE.search(tail) or _PLACE_AFTER.fullmatch(tail)):
        return ctx.whole_line("byline", "lead")  # "Associated Press November 19, 2019", "PTI, Washington,"
    return None


def _name_line(ctx: _Context) -> Candidate | None:
    """A line holding only the agency's name, or names and the agency: byline, sign-off or photo credit."""
    if not ctx.short or ctx.head is None or ctx.tail is None:
        return None
    alone = _THE.fullmatch(ctx.head) is not None
    if not (alone or _NAMES.fullmatch(ctx.head)) or not _NOTHING.fullmatch(ctx.tail):
        return None
    layout = ctx.layout
    previous = layout.previous_line(ctx.line)
    following = layout.next_line(ctx.line)
    # Not the block kind: a photographer's "Jane Doe, AP" under the lead picture reads the same. For
    # the same reason only the agency's name alone counts as a byline right under the headline.
    found = ctx.layout.text[ctx.mention.start : ctx.mention.end]
    if alone and ctx.mention.strength == "weak" and found in (_initials_of(previous), _initials_of(following)):
        return None  # "PA" by "Povilas Aleksandravičius": the author's initials (an avatar), not the agency
    if alone and previous is not None and len(previous.text) <= _SHORT_LINE and _COMMENTARY.search(previous.text):
        return ctx.whole_line("photo_credit")  # under an opinion piece's byline: the lead picture's credit
    if (
        _is_timestamp(following)
        or (previous is not None and len(previous.text) <= _SHORT_LINE and _BY.match(previous.text))
        or (alone and previous is not None and layout.kind_at(previous.start) in ("title", "byline"))
    ):
        return ctx.whole_line("byline", "lead")
    under_caption = previous is not None and layout.kind_at(previous.start) == "caption"
    if alone:
        if under_caption:
            return ctx.whole_line("photo_credit")
        # The agency's name on a line of its own right after the article's last paragraph signs it
        # off; after a headline it is the byline of a teaser for another story.
        if previous is not None and _PARAGRAPH_END.search(previous.text.rstrip()[-4:]):
            return ctx.whole_line("trailer", _sign_off_place(ctx, own_paragraph=False))
        return None
    # "Jane Doe, AP" or "Al Goldis, Associated Press" on its own line, not a byline: a photographer's
    # credit under the lead picture reads so.
    if ctx.mention.strength == "strong" or under_caption:
        return ctx.whole_line("photo_credit")
    return None


_NEWSROOM = re.compile(rf"\s*(?i:{LEXICON.pattern('newsroom_words')})\s*[,/|:–—-]?\s*$")
_COMMENTARY = re.compile(rf"\b{LEXICON.pattern('commentary_words')}\b", re.IGNORECASE)


def _initials_of(line: Line | None) -> str | None:
    """ "PA" for a line that is, or opens with, a person's name: "Povilas Aleksandravičius" alone, or
    followed by a full stop, comma or colon ("Povilas Aleksandravičius. Why Judas ...")."""
    if line is None or line.cut:
        return None
    m = _LEADING_NAME.match(line.text)
    return "".join(word[0] for word in m.group(1).split()) if m else None


_LEADING_NAME = re.compile(r"((?:[A-ZÀ-Þ][^\W\d_]+\s){1,3}[A-ZÀ-Þ][^\W\d_]+)(?:[.,:|]|\s*$)")


# --- credit lines and copyright --------------------------------------------------------------------

# A credit phrase or a source label, then only the list of agencies it credits ("With reporting by AFP,
# dpa, and", "Quelle: ntv.de, ino/dpa"): names and desk codes, with the dots of a site's name.
_CREDIT_PHRASES = LEXICON.pattern("credit_phrases")
_SOURCE_LABELS = LEXICON.pattern("source_labels")
_CREDIT_BEFORE = re.compile(
    rf"(?:\b{_CREDIT_PHRASES}(?!\w)|\b{_SOURCE_LABELS}\s*[:•|]|\(\s*avec)"
    r"\s*(?:the\s+|der\s+|die\s+|de\s+la\s+|la\s+|l['’])?(?:[^.;!?:()]|\.(?=\w))*$",
    re.IGNORECASE,
)
_SOURCE_LABEL = re.compile(rf"{_SOURCE_LABELS}\s*[:•|]", re.IGNORECASE)
_CREDIT_AFTER = re.compile(rf"\s*(?:staff\s+)?{LEXICON.pattern('credit_after')}", re.IGNORECASE)
_WRITERS_AFTER = re.compile(
    r"\s*(?:staff\s+)?(?:writers?|reporters?|correspondents?|journalists?)\b[^.]{0,300}?\bcontributed",
    re.IGNORECASE,
)
_COPYRIGHT_BEFORE = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?:the\s+)?$", re.IGNORECASE
)


# "Le Monde avec AFP", "mit dpa", "(XY mit dpa)", "Avec AFP et Reuters" on a line of their own; the words
# before "avec" name the paper (capitalised, or articles and "rédaction") or the editor (initials). In
# a sentence, "un entretien avec l'AFP" cites the agency.
_WITH_WORDS = LEXICON.pattern("with_words")
_WITH_HEAD = re.compile(
    r"\s*(?:[-–—]\s*)?\(?\s*(?:(?:[A-Z0-9À-Þ][\w'’.-]*|[a-z]{2,4}(?=\s+(?i:mit|avec|con|com|met|with)\b)|"
    r"(?:par|le|la|les|de|du|des|rédaction|redaktion|l['’]\w+|d['’]\w+))\s+){0,4}"
    rf"(?i:{_WITH_WORDS})\s+(?:(?i:der|the|l['’])\s*)?(?:[^.;!?:()]*?(?:,|\bet\b|\bund\b|\band\b|&|/)\s*)?"
)
_LIST_TAIL = re.compile(r"\s*(?:(?:,|\bet\b|\bund\b|\band\b|&|/)[^.;!?:()]*)?\)?\s*")
# "dpa:231127-99-123456/3": the agency's story number, which closes its copy on partner sites.
_STORY_NUMBER_AFTER = re.compile(r":\d{6}-\d{2}-\d{3,}(?:/\d+)?")


def _credit_line(ctx: _Context) -> Candidate | None:
    if ctx.short and ctx.head is not None and ctx.tail is not None:
        if _WITH_HEAD.fullmatch(ctx.head) and _LIST_TAIL.fullmatch(ctx.tail):
            return ctx.whole_line("credit_line")
        if _STORY_NUMBER_AFTER.match(ctx.tail):
            return ctx.whole_line("trailer", "end")
    credit = _CREDIT_BEFORE.search(_line_before(ctx))
    if credit is not None and _SOURCE_LABEL.match(credit.group()):
        # "Source: AFP" closing an article credits it; under a chart or map it credits the graphic. On
        # a line of its own under the lead paragraph ("Bron: BELGA" in the byline's place) it credits
        # the text too.
        previous = ctx.layout.previous_line(ctx.line)
        if ctx.kind == "caption" or (previous is not None and ctx.layout.kind_at(previous.start) == "caption"):
            return ctx.whole_line("photo_credit")
        place = _sign_off_place(ctx, own_paragraph=False)
        # A short line over it is a picture's caption (a source line under a caption credits the picture).
        if (
            ctx.kind == "credit"
            and ctx.short
            and ctx.head is not None
            and _SOURCE_LABEL.match(ctx.head.lstrip())
            and previous is not None
            and ctx.layout.is_prose(previous)
        ):
            place = "any"
        return ctx.whole_line("credit_line", place, "photo_credit")
    if credit is not None or _CREDIT_AFTER.match(ctx.after):
        kind: EvidenceKind = "credit_line"
    elif _WRITERS_AFTER.match(ctx.after):
        kind = "trailer"  # "Associated Press writers X and Y contributed to this report."
    else:
        return None
    if not ctx.line.cut and len(ctx.line.text) <= 2 * _SHORT_LINE:
        return ctx.whole_line(kind)
    return ctx.candidate(kind, *_clause_span(ctx))


def _line_before(ctx: _Context) -> str:
    """The line before the mention: all of it in a credit line of a few agencies ("Mit Informationen
    der Nachrichtenagenturen AFP, AP, dpa, KNA und Reuters"), else the window."""
    line = ctx.line
    if not line.cut and ctx.mention.start - line.start <= 3 * _WINDOW:
        return ctx.layout.text[line.start : ctx.mention.start]
    return ctx.before


def _copyright(ctx: _Context) -> Candidate | None:
    m = _COPYRIGHT_BEFORE.search(ctx.before)
    if m is None:
        return None
    start = ctx.mention.start - len(ctx.before) + m.start()
    # Elsewhere than after the article, "© AFP" credits a picture.
    return ctx.candidate("copyright", start, min(ctx.line.end, start + 200), "end", "photo_credit")


# --- sources ---------------------------------------------------------------------------------------

_DESCRIPTOR = (
    r"news\s+agency|press\s+agency|wire\s+service|news\s+service|newswire|nachrichtenagentur|presseagentur|"
    r"agentur|agencia(?:\s+de\s+noticias)?|agência(?:\s+de\s+notícias)?|agenzia(?:\s+di\s+stampa)?|"
    r"agence(?:\s+de\s+presse)?|kantor\s+berita|агентство|agency"
)
_CUE_BEFORE = re.compile(
    r"\b(?:told|tells|telling|tell|according\s+to|quoted\s+by|cited\s+by|citing|reported\s+by|seen\s+by|"
    r"obtained\s+by|reviewed\s+by|contacted\s+by|confirmed\s+to|said\s+to|spoke\s+to|speaking\s+to|"
    r"spoke\s+with|speaking\s+with|interview\s+with|(?:email|e-mail|statement|interview)\s+to|reports|"
    r"writes|wrote|per|laut|gegenüber|berichtet\w*|meldet\w*|sagte|erfuhr|según|segundo|secondo|selon|"
    r"d['’]après|cité\s+par|informou|informó|entretien\s+(?:avec|accordé\s+à)|interrogée?s?\s+par|auprès\s+de|"
    r"(?:déclaré|indiqué|affirmé|confié|expliqué|précisé|assuré|dit)(?=\s+à\b)|a\s+appris|a\s+constaté)"
    r"\s+(?:(?:the|der|die|dem|den|la|el|à|a)\s+)?(?:l['’]\s*)?"
    rf"(?P<filler>(?:[\w-]+\s+){{0,3}}?)(?:(?:{_DESCRIPTOR})\s+)?$",
    re.IGNORECASE,
)
_DESCRIPTOR_BEFORE = re.compile(rf"\b(?:{_DESCRIPTOR})\s+(?:\(\s*)?$", re.IGNORECASE)
_CUE_AFTER = re.compile(
    r"(?:['’]s)?\s*(?:news\s+)?(?:has\s+|have\s+|had\s+|was\s+|is\s+|also\s+)?(?:reported|reports|"
    r"reporting|said|says|wrote|writes|quoted|cited|learned|found|confirmed|published|revealed|obtained|"
    r"tally|count|poll|survey|analysis|investigation|journalists?|reporters?|correspondents?|"
    r"photographers?|berichtete\w*|berichtet|meldete|meldet|zufolge|erfuhr|schreibt|schrieb|informó|informou|"
    r"riferisce)\b"
    rf"|\s*\(?(?:{_DESCRIPTOR})\b|[/-]\w+(?:\s+\w+)?\s+(?:poll|survey)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_UNSPACED_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]{12}")


def _source(ctx: _Context) -> Candidate | None:
    before, after = ctx.before, ctx.after
    descriptor = _DESCRIPTOR_BEFORE.search(before) is not None
    cue = _CUE_BEFORE.search(before)
    # "told reporters on Friday AP ..." is no cue for an ambiguous abbreviation.
    if cue is not None and (ctx.mention.strength == "strong" or not cue.group("filler").strip() or descriptor):
        return ctx.candidate("source", ctx.mention.start - len(before) + cue.start(), ctx.mention.end)
    after_cue = _CUE_AFTER.match(after)
    if after_cue is not None:
        return ctx.candidate("source", ctx.mention.start, ctx.mention.end + after_cue.end())
    # "the state news agency INA"; "Headline [ Bloomberg ]" linking a source in a round-up.
    bracketed = before.rstrip().endswith("[") and after.lstrip().startswith("]")
    if descriptor or bracketed or (ctx.mention.strength == "strong" and _reads_as_prose(ctx)):
        return ctx.candidate("source", *_clause_span(ctx))
    return None


def _reads_as_prose(ctx: _Context) -> bool:
    """A sentence rather than navigation or a headline: enough words, many of them in lower case."""
    if ctx.kind not in ("body", "standfirst", "dateline", None):
        return False
    window = ctx.before + " " + ctx.after
    if _UNSPACED_RUN.search(window):  # Chinese or Japanese: no spaces to count words by
        return True
    words = _WORD.findall(window)
    lower = sum(1 for w in words if not w[0].isupper())  # lower case, or a script without case
    return len(words) >= 6 and lower * 3 >= len(words)


# --- spans -----------------------------------------------------------------------------------------


def _clause_span(ctx: _Context) -> tuple[int, int]:
    """About a clause around the mention: up to 60 characters either side, cut at word boundaries."""
    text = ctx.layout.text
    start = max(ctx.line.start, ctx.mention.start - 60)
    end = min(ctx.line.end, ctx.mention.end + 60)
    if start > ctx.line.start:
        space = text.find(" ", start, ctx.mention.start)
        start = space + 1 if space >= 0 else ctx.mention.start
    if end < ctx.line.end:
        space = text.rfind(" ", ctx.mention.end, end)
        end = space if space >= 0 else ctx.mention.end
    return start, end


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    start, end = max(0, start), min(len(text), end)  # blocks from a normaliser may overrun the text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_SHAPES = (_credit_line, _byline, _dateline, _photo, _copyright, _tag, _name_line, _source)
