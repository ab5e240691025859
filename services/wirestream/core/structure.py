"""Line shapes of article structure: bylines, datelines, captions, credit and trailer lines.

Each test looks at one line alone, so the same line gets the same answer on raw page text and
on already-normalised text, which keeps `normalise` idempotent. Every pattern has bounded
repetitions and no nested quantifiers: its cost per line is linear in the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from wirestream.core.agencies import REGISTRY
from wirestream.core.lexicon import LEXICON

_BYLINE_MAX_CHARS = 160
SIGN_OFF_MAX_CHARS = 30  # "(dpa/lno)", "— AFP": longer lines skip the sign-off tests
_CAPTION_MAX_CHARS = 700
_NAME_MAX_CHARS = 60
_NAME_MAX_WORDS = 6
_CREDIT_MAX_CHARS = 400

# "By JANE DOE Associated Press", "Von Max Mustermann, dpa", "Par Jean Dupont", "Por ...", "Di ...".
_BY_WORDS = LEXICON.pattern("by_words")
# ... also after an opinion label: "Ein Kommentar von ...", "Opinion by ...".
_BYLINE = re.compile(
    rf"(?:(?:ein |eine |an |a )?{LEXICON.pattern('commentary_words')}:? )?(?:{_BY_WORDS}|text|texto|texte)\s?:?\s\S"
)
_BYLINE_BARE = re.compile(rf"{_BY_WORDS}\s?:?")
# "Tom Krisher, Ap Auto Writer", "Jane Doe, Staff Reporter", "Jane Doe | Correspondent".
_BYLINE_ROLE = re.compile(
    r"[A-Z][\w.'\-]+(?: [A-Z][\w.'\-]+){0,4}\s?[,|]\s?[\w .'\-]{0,40}?\b(?:writer|correspondent|reporter|"
    r"editor|columnist|contributor|staff|redakteur(?:in)?|korrespondent(?:in)?|autor(?:in)?|journaliste|"
    r"correspondant|envoyée?|periodista|corresponsal|redacción|giornalista|inviat[oa]|jornalista|"
    r"repórter|associated press|press association|news agency|nachrichtenagentur)\b",
    re.IGNORECASE,
)

# A byline naming a wire agency, without "By": "Tom Davies Associated Press", "Reuters, Washington,",
# "Associated Press November 19, 2019, 9:02 AM", "AP-Korrespondentin Jane Doe", "The Associated Press".
# The registry finds the agency; these say what may stand around it: authors' names before it (capitalised
# words, so "Trump slams AP" is no byline), a role, names or a place after it, and a date.
_AGENCY_BYLINE_MAX_CHARS = 100
_NAME_WORD = r"[A-ZÀ-Þ][\w.'’-]*"
_NAMES = rf"{_NAME_WORD}(?:(?: | ?, | (?:and|und|et|y|e|&) ){_NAME_WORD}){{0,9}}"
_BEFORE_AGENCY = re.compile(
    rf"(?:(?i:{_BY_WORDS}) ?:? )?"
    rf"(?P<names>{_NAMES}(?: ?[,|/–—-]? | (?:and|und|et|y|e|&|mit|with|avec) ))?"
)
_THE = ("the ", "der ", "die ")
_AFTER_AGENCY = re.compile(
    r"(?:[- ](?:[A-Z]\w* ){0,2}(?i:writers?|correspondents?|reporter(?:in)?|editor|staff|korrespondent(?:in)?|"
    rf"redakteur(?:in)?|journalist(?:in)?)\b(?: {_NAMES})?)?"
)
_PLACE_AFTER = re.compile(rf"(?: ?[,|–—-] ?| (?:in|aus|à|en|em) ){_NAME_WORD}(?: {_NAME_WORD}){{0,3}},?")
# "Redacción / EFE", "Newsroom / AFP": the paper's newsroom and the agency.
_NEWSROOM = re.compile(rf"(?i:{LEXICON.pattern('newsroom_words')}) ?[,/|:–—-]? ?")
_JOINED = re.compile(r" (?:and|und|et|y|e|&|mit|with|avec) $")
_DATE_WORD = re.compile(rf"(?i:{LEXICON.pattern('timestamp_words')})\b")
_SEPARATORS = " ,|/–—-•·"

# A wire agency's name closing a caption: "... in New York. Reuters" or "... 2019. (AP)" after a sentence
# (or, where the text ends, a sign-off), "WikiLeaks founder Julian Assange (AFP)" in brackets after a
# description, "... his colleague Timothy Weeks AP" after the name of the person pictured.
_CAPTION_CREDIT_MAX_CHARS = 300
_BEFORE_CREDIT = re.compile(r"(?P<sentence>[.!?][\"'”’]? \(?)$|(?P<bracket> \()$|(?P<name>[A-ZÀ-Þ][\w.'’-]*[\w'’-] )$")

# A round-up item's link to its source: "Why Can't Taylor Swift Perform Her Own Songs? [ Bloomberg ]".
_SOURCE_LINK = re.compile(r"\S+(?: \S+){2,40} \[ ?[A-ZÀ-Þ][\w.&'’-]*(?: [A-ZÀ-Þ][\w.&'’-]*){0,3} ?\]")
_SOURCE_LINK_MAX_CHARS = 300

# A dateline opening the first paragraph: "BERLIN (Reuters) - ", "WASHINGTON, Nov 19 (Reuters) -",
# "Hamburg (dpa) - ", "(AP) — ", "PARIS (AFP) -", "SIOUX FALLS, S.D. – ", "NEW YORK —".
# Place names are capitalised words, with the small words of "Frankfurt am Main" or
# "Stratford-upon-Avon" between them: "The minister (left) - who ..." is no dateline.
_PLACE_WORD = r"(?:[A-ZÀ-Þ][\w.'’/\-]{0,30}|am|an|der|de|del|la|le|sur|upon|im|bei|di|do|da)"
_PLACE = rf"(?P<place>[A-ZÀ-Þ][\w.'’/\-]{{0,30}}(?: {_PLACE_WORD}){{0,3}}?)"
_DATE = r"(?P<date>[\w.]{2,12}(?: [\w.,]{1,12}){0,3}?)"
_DASH = r"\s?[-–—]{1,2}\s"
_DATELINE = re.compile(
    rf"(?:{_PLACE}(?:, {_DATE})?\s?\((?P<agency>[^()\n]{{2,40}})\)|\((?P<agency2>[^()\n]{{2,40}})\)){_DASH}"
)
_CAPS_PLACE = r"(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ.'’\-]{1,30}(?: [A-ZÀ-Þ.'’\-]{1,30}){0,3}?)"
_CAPS_DATELINE = re.compile(rf"{_CAPS_PLACE}(?:, (?P<state>[A-Z][\w.]{{1,12}}(?: [\w.]{{1,12}})?))?{_DASH}")

# The patterns below run on the line in lower case: the regex engine matches literals without
# case folding much faster.

# Photo and video credits and captions: "(AP Photo/Jane Doe)", "Photo: X", "Foto: dpa",
# "Image copyright Reuters", "Credit... Doug Mills/The New York Times", "REUTERS/Jane Doe".
# Each pattern runs only on lines holding the character it needs, so running text without
# ":" or "/" costs a few substring tests.
# A label ends right before a ":", "..." or "…": "Photo: ", "Image copyright: ", and a position
# ("Above: ") opens the line.
_SEPARATOR = r"\s?(?::|\.\.\.|…)"
_PHOTO_LABEL = re.compile(
    rf"\b{LEXICON.pattern('photo_words')}[^\W\d_]{{0,6}}(?: credit| copyright| courtesy| by| source| via)?{_SEPARATOR}"
)
_POSITION_LABEL = re.compile(
    r"(?:above|below|top|left|right|pictured|main image|oben|unten|im bild|ci-dessus|en haut|arriba|sopra|acima)"
    + _SEPARATOR
)
# "AP Photo/Jane Doe", "REUTERS/Jane Doe", "Getty Images/", "Foto/": a picture source or a photo word,
# or a wire agency (found by the registry), before a slash.
_PHOTO_SLASH = re.compile(rf"\b(?:{LEXICON.pattern('picture_sources')}|photo|foto)(?: ?(?:photo|images|foto|bild))? ?/")
_AFTER_AGENCY_SLASH = re.compile(r"(?: ?(?:[Pp]hoto|PHOTO|[Ii]mages|IMAGES|[Ff]oto|FOTO|[Bb]ild|BILD))? ?/")
# "Reuters/Ipsos poll", "Ipsos/Reuters poll", "dpa/YouGov-Umfrage": a poll the agency commissioned;
# there is no picture. POLL_AFTER_SLASH matches what follows the slash.
POLL_WORD = r"(?:poll|survey|umfrage|sondage|encuesta)"
POLL_AFTER_SLASH = re.compile(rf"\s?[\w-]+(?:\s+[\w-]+)?[\s-]{POLL_WORD}", re.IGNORECASE)
# A credit alone in brackets, the photographer's name and the source: "(Reed Saxon / Associated Press)".
# Words are separated by one space each, so a run of letters splits into words one way only.
_BRACKETED_CREDIT = re.compile(
    r"\([A-ZÀ-Þ][\w.'’-]*(?: [A-ZÀ-Þ][\w.'’-]*){0,3}"
    r" ?/ ?[A-ZÀ-Þ][\w.'’&-]*(?: [A-ZÀ-Þ][\w.'’&-]*){0,4}(?:, ?[Ff]ile)?\)"
)
_PHOTO_WORDS = re.compile(
    rf"{LEXICON.pattern('picture_sources')}\b|photo (?:by |courtesy)|file photo|image (?:copyright|caption)|"
    r"bildunterschrift"
)
# A caption often ends with the date the picture was taken and no full stop:
# "US troops stand to attention in front of American and Iraqi flags. May 15, 2020".
_MONTH = rf"{LEXICON.pattern('months')}[^\W\d_]*"
_ENDS_WITH_DATE = re.compile(rf"(?:\b{_MONTH}\.? \d{{1,2}},? (?:19|20)\d\d|\b\d{{1,2}}\.? {_MONTH}\.? (?:19|20)\d\d)$")

# Credit and trailer lines: who wrote, reported, edited or supplied the article.
_CREDIT = re.compile(
    r"\(?(?:(?:with |additional |further |contributing )?(?:reporting|writing|editing|research|"
    r"compiled|translated|produced|graphics)(?: and \w+)? by\b"
    r"|mit material (?:von|der|des)|material von|mit informationen (?:von|der|des)|quellen?\s?:|source\s?:|"
    r"sources\s?:|fuentes?\s?:|fontes?\s?:|avec (?:l'|l’)?agences?\b|"
    r"con informaci[oó]n de|com informa[cç][oõ]es d|includes information from|includes reporting from|"
    r"contains information from|this (?:story|article|report) (?:includes|contains|was (?:written|produced|"
    r"compiled))|copyright\s?(?:\d{4}|©|\(c\))|©|\(c\) \d{4}"
    # "Le Monde avec agences": a French byline for agency copy ("... avec AFP": `_WITH_CREDIT`).
    r"|(?:[\w'’.-]+ ){1,4}avec (?:l'|l’)?agences?$"
    # "dpa-infocom, dpa:231127-99-123456/3": an agency's story number closing the text.
    r"|(?:[\w-]+, ?)?[a-z]{2,8}:\d{6}-\d{2}-\d{3,}(?:/\d+)?$"
    # The shared credit phrases and source labels: "Additional reporting from PA", "Bron: BELGA".
    rf"|{LEXICON.pattern('credit_phrases')}(?!\w)|{LEXICON.pattern('source_labels')} ?[:•|])"
)
# "mit dpa", "(XY mit dpa)", "Le Monde avec AFP": a paper or an editor and the agencies it used.
_WITH_CREDIT_MAX_CHARS = 80
_WITH_CREDIT = re.compile(rf"(?:[-–—] ?)?\(?(?:[\w'’.-]+ ){{0,4}}{LEXICON.pattern('with_words')} ")
_CREDIT_WORDS = re.compile(
    r"contribut(?:ed|ing) (?:reporting|to (?:this|the) (?:report|story|article))|"
    r"may not be (?:published|reproduced|redistributed)"
)
# A bare agency sign-off after the text: "(dpa/lno)", "PTI", "(AFP)", "— AFP", "dpa/tmn".
# ... "sak/Reuters": an editor's initials before the agency's name.
_TRAILER = re.compile(
    r"[-–—]?\s?(?:\([\w/ ,.&-]{2,24}\)|[A-Z]{2,6}(?:/[A-Za-z]{2,6}){0,2}|[a-z]{2,4}(?:/[a-z]{2,4}){1,3}"
    r"|[a-z]{2,4}(?:/[a-z]{2,4}){0,2}/[A-Z][A-Za-z]{1,9})"
)
# The forms that are a sign-off wherever they stand: "(dpa/lno)", "(AFP)", "— AFP", "dpa/tmn". A
# bare "PTI" or "NASA" line is one only right after the text.
_SIGN_OFF = re.compile(
    r"[-–—]\s?[A-Za-z]{2,6}|[-–—]?\s?(?:\([\w/ ,.&-]{2,24}\)|[A-Za-z]{2,6}(?:/[A-Za-z]{2,6}){1,3}"
    r"|[a-z]{2,4}(?:/[a-z]{2,4}){0,2}/[A-Z][A-Za-z]{1,9})"
)
# "— The Associated Press", "- Reuters": a dash, then only the agency's name.
_DASH_THEN = re.compile(r"[-–—]{1,2} ?(?:[Tt]he )?")


# A line that only dates the page: "Nov. 19, 2019 8:03 am ET", "Updated 10:07 AM / CBS News",
# "19.11.2019, 14:30 Uhr", "Published 1 day ago".
_TIMESTAMP = re.compile(
    rf"\b(?:\d{{1,2}}:\d{{2}}|{_MONTH}\.? \d{{1,2}}\b|\d{{1,2}}\.? {_MONTH}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}"
    r"|\d{4}-\d{2}-\d{2}|\d+ (?:min|mins|minutes|hours?|days?|weeks?|months?) ago|(?:vor|il y a|hace|há) \d+)"
)
_TIMESTAMP_MAX_CHARS = 90
_DIGIT = re.compile(r"\d")
# Letters left once the dates and times are taken out: "Updated", "AM EST", a source name.
_TIMESTAMP_MAX_LETTERS = 24


@dataclass(frozen=True, slots=True)
class Dateline:
    start: int
    end: int
    place: str | None
    date: str | None


def is_byline(line: str) -> bool:
    if len(line) > _BYLINE_MAX_CHARS:
        return False
    if _BYLINE.match(line.lower()) is not None and _looks_like_names(line):
        return True
    # The role follows a comma or a bar: a line without either is let go before the regex.
    return ("," in line or "|" in line) and _BYLINE_ROLE.match(line) is not None


def agency_byline(line: str) -> Literal["alone", "named"] | None:
    """A byline that names a wire agency without a "By" (see `is_byline` for those): "alone" when the
    line is only the agency's name ("The Associated Press", "Reuters"), "named" when names, a role, a
    place or a date go with it ("Tom Davies Associated Press", "Reuters, Berlin,")."""
    if len(line) > _AGENCY_BYLINE_MAX_CHARS or line[-1] in '.!?:;"”)' or not REGISTRY.names_any(line):
        return None
    mentions = REGISTRY.scan(line).mentions
    if len(mentions) != 1 or mentions[0].strength == "titlecase":
        return None
    agency = mentions[0]
    before = line[: agency.start]
    if before[-4:].lower() in _THE:
        before = before[:-4]
    start = _BEFORE_AGENCY.fullmatch(before)
    # "Jane Doe, AP" under a picture credits the photographer: a bare code after names is no byline,
    # unless the names and the agency are joined as co-authors ("Adam Vidler and AP") or the names
    # are the paper's newsroom ("La rédaction / AFP").
    newsroom = _NEWSROOM.fullmatch(before) is not None
    if not newsroom and (
        start is None or (start.group("names") and agency.strength != "strong" and not _JOINED.search(before))
    ):
        return None
    after = line[agency.end :]
    role = _AFTER_AGENCY.match(after)
    rest = after[role.end() :] if role is not None else after
    place = _PLACE_AFTER.match(rest)
    if place is not None:
        rest = rest[place.end() :]
    rest = rest.strip(_SEPARATORS)
    if rest and not (_DATE_WORD.match(rest) or is_timestamp(rest)):
        return None
    return "alone" if not before and len(after) == 0 else "named"


def caption_credit(line: str) -> Literal["caption", "sentence"] | None:
    """A caption that ends with its picture's wire credit: "sentence" when the credit follows a full
    stop, which is also how a short text is signed off, "caption" otherwise."""
    if len(line) > _CAPTION_CREDIT_MAX_CHARS or line.count(" ") < 3 or not (line[-1] == ")" or line[-1].isalpha()):
        return None
    if not REGISTRY.names_any(line[-60:]):  # the longest alias is shorter
        return None
    mentions = REGISTRY.scan(line).mentions
    if not mentions:
        return None
    credit = mentions[-1]
    tail, before = line[credit.end :], line[: credit.start]
    if tail not in ("", ")") or (tail == ")") != before.endswith("("):
        return None
    if before[-4:].lower() == "the " and not before.endswith("(the "):
        before = before[:-4]  # "... told The Associated Press": the agency as a source, not a credit
        if not before.endswith(("(", ". ")):
            return None
    m = _BEFORE_CREDIT.search(before)
    # A caption describes: some of its words are in lower case. A brief opens with its dateline.
    if m is None or not any(word[0].islower() for word in before.split()) or find_dateline(line) is not None:
        return None
    return "sentence" if m.group("sentence") else "caption"


def is_source_link(line: str) -> bool:
    """A headline with its source in brackets, as round-ups list what they drew on."""
    return len(line) <= _SOURCE_LINK_MAX_CHARS and line[-1] == "]" and _SOURCE_LINK.fullmatch(line) is not None


def is_timestamp(line: str) -> bool:
    """A short line that dates the page rather than saying anything."""
    if len(line) > _TIMESTAMP_MAX_CHARS or line[-1] == "." or _DIGIT.search(line) is None:
        return False
    rest, found = _TIMESTAMP.subn("", line.lower())
    # "June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL" is a list item that holds a date.
    return found > 0 and sum(map(str.isalpha, rest)) <= _TIMESTAMP_MAX_LETTERS


def is_name(line: str) -> bool:
    """Could be the author's name under a lone "By": short, and not a sentence."""
    return len(line) <= _NAME_MAX_CHARS and line.count(" ") < _NAME_MAX_WORDS and line[-1] not in ".!?:;,"


def is_bare_byline_word(line: str) -> bool:
    """A lone "By" / "Von" that page text puts on its own line before the author's name."""
    return len(line) <= 4 and _BYLINE_BARE.fullmatch(line.lower()) is not None


def is_credit(line: str) -> bool:
    if len(line) > _CREDIT_MAX_CHARS:
        return False
    lowered = line.lower()
    if _CREDIT.match(lowered) is not None:
        return True
    if len(line) <= _WITH_CREDIT_MAX_CHARS and _WITH_CREDIT.match(lowered) and _with_credit(line):
        return True
    return ("contribut" in lowered or "may not be" in lowered) and _CREDIT_WORDS.search(lowered) is not None


def _with_credit(line: str) -> bool:
    """The agencies close the line: "mit dpa", "(abc mit dpa)", "Le Monde avec AFP et Reuters"."""
    mentions = REGISTRY.scan(line).mentions
    return bool(mentions) and not line[mentions[-1].end :].strip(" )")


def is_wire_credit(line: str) -> bool:
    """A credit line or sign-off that names a wire agency: "SDA/sep", "sak/Reuters", "(dpa/lno)",
    "With files from The Associated Press", "© 2026 The Canadian Press", "mit dpa"."""
    if len(line) > _CREDIT_MAX_CHARS or not REGISTRY.names_any(line):
        return False
    return is_credit(line) or is_trailer(line) or is_sign_off(line) or _dash_sign_off(line)


def _dash_sign_off(line: str) -> bool:
    dash = _DASH_THEN.match(line)
    if dash is None or len(line) > _AGENCY_BYLINE_MAX_CHARS:
        return False
    mentions = REGISTRY.scan(line).mentions
    return len(mentions) == 1 and mentions[0].start == dash.end() and not line[mentions[0].end :].strip(" .")


def is_trailer(line: str) -> bool:
    """A bare agency sign-off; only meaningful right after the article text. ("BY" is a byline's.)"""
    return len(line) <= SIGN_OFF_MAX_CHARS and _TRAILER.fullmatch(line) is not None and not is_bare_byline_word(line)


def is_sign_off(line: str) -> bool:
    """A sign-off of a shape that says so wherever it stands: "(dpa/lno)", "— AFP"."""
    return len(line) <= SIGN_OFF_MAX_CHARS and _SIGN_OFF.fullmatch(line) is not None


def is_caption(line: str) -> bool:
    """A photo caption or credit recognisable from the line alone."""
    if len(line) > _CAPTION_MAX_CHARS:
        return False  # a paragraph that mentions a photo
    if len(line) <= SIGN_OFF_MAX_CHARS and is_trailer(line):
        return False  # "(dpa/lno)" signs off the text; "dpa/Jane Doe" credits a photo
    if "©" in line:
        return True
    if "/" in line:
        lowered = line.lower()
        slash = _PHOTO_SLASH.search(lowered)
        if slash is not None and POLL_AFTER_SLASH.match(lowered, slash.end()) is None:
            return True
        if _agency_before_slash(line):
            return True
        if line[0] == "(" and _BRACKETED_CREDIT.fullmatch(line) is not None:
            return True
    if (":" in line or "…" in line or "..." in line) and _has_photo_label(line.lower()):
        return True
    # The word stems without their first letter match either case, so most lines are let go
    # without being lowered: "Photo", "photo", "Getty", "iStock" ... ("tock" finds Shutterstock too)
    if (
        "hoto" in line
        or "mage" in line
        or "etty" in line
        or "icture" in line
        or "tock" in line
        or "mago" in line
        or "ildunter" in line
    ) and _PHOTO_WORDS.search(line.lower()) is not None:
        return True
    # "Wednesday November 20, 2019" alone dates the page; a caption says something before the date.
    return line[-1].isdigit() and _ENDS_WITH_DATE.search(line[-40:].lower()) is not None and not is_timestamp(line)


def _agency_before_slash(line: str) -> bool:
    """A wire agency's name before a slash, not a poll's: "AP Photo/Jane Doe", "REUTERS/Jane Doe"."""
    if not REGISTRY.names_any(line):
        return False
    for mention in REGISTRY.scan(line).mentions:
        slash = _AFTER_AGENCY_SLASH.match(line, mention.end)
        if slash is not None and POLL_AFTER_SLASH.match(line.lower(), slash.end()) is None:
            return True
    return False


def _has_photo_label(lowered: str) -> bool:
    return _PHOTO_LABEL.search(lowered) is not None or _POSITION_LABEL.match(lowered) is not None


def find_dateline(paragraph: str) -> Dateline | None:
    """A dateline at the start of the article's first paragraph."""
    head = paragraph[:160]
    m = _DATELINE.match(head)
    if m is not None and (m.group("agency") or m.group("agency2") or "").strip():
        return Dateline(0, m.end() - 1, m.group("place"), m.group("date"))
    m = _CAPS_DATELINE.match(head)
    if m is not None and len(m.group("place")) >= 3:
        place = m.group("place") + (f", {m.group('state')}" if m.group("state") else "")
        return Dateline(0, m.end() - 1, place, None)
    return None


def _looks_like_names(line: str) -> bool:
    # "By the way, ..." or "Von der Leyen sagte ..." open sentences, not bylines: a byline is short
    # and does not end like a sentence.
    return len(line.split()) <= 14 and line[-1] not in ".!?:"
