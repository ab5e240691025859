"""Article metadata a consumer can trust: dates, authors, title, canonical URL, publisher, section, tags.

From an HTML page, the values come from what the page states about itself (`pagemeta`), in an
order of trust per field (JSON-LD of the article, then the <meta> conventions, then the markup,
then the URL); from text, from the date lines and the byline near the headline. Every value
carries its source. Values are checked before they are kept:

* a date before 1990, or later than the message time plus a day, is not a publication date;
* an author is a person: agency names (attribution's business), the site's own name, newsroom
  boilerplate ("Redaktion", "Staff"), social handles, e-mail addresses and URLs are dropped,
  and "By Jane Doe and John Roe, Associated Press" gives Jane Doe and John Roe.

Pure: the message time comes in as an argument; there is no clock here.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urljoin, urlsplit

from wirestream.core import furniture
from wirestream.core.agencies import REGISTRY
from wirestream.core.document import NormalisedText
from wirestream.core.lexicon import LEXICON
from wirestream.core.pagemeta import MetaValue, PageMetadata

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# A page may carry tomorrow's date in a time zone ahead of the message clock, never more.
FUTURE_SLACK = timedelta(days=1)


def check_words(data: dict[str, Any], where: str = "metadata.toml") -> dict[str, Any]:
    """`data` if every word list in it (at any depth) is a list of distinct, non-empty, lower-case
    strings without surrounding spaces; raises ValueError naming the list and the word otherwise."""
    for key, value in data.items():
        name = f"{where}: {key}"
        if isinstance(value, dict):
            check_words(value, name)
            continue
        if not isinstance(value, list) or not value:
            raise ValueError(f"{name}: expected a non-empty list of words")
        seen: set[str] = set()
        for word in value:
            if not isinstance(word, str) or not word or word != word.strip() or word != word.lower():
                raise ValueError(f"{name}: {word!r} is not a lower-case word")
            if word in seen:
                raise ValueError(f"{name}: {word!r} is listed twice")
            seen.add(word)
    return data


_DATA = check_words(
    tomllib.loads(resources.files("wirestream.core").joinpath("metadata.toml").read_text(encoding="utf-8"))
)

_NON_WORD = re.compile(r"[\W_]+")


def _alternatives(words: Iterable[str], *, any_space: bool = False) -> str:
    """`words` as the branches of a regex alternation, each taken literally, in the order given;
    with `any_space`, a space in a word matches any run of whitespace."""
    escaped = (re.escape(word) for word in words)
    return "|".join(e.replace(r"\ ", r"\s+") for e in escaped) if any_space else "|".join(escaped)


# The pure per-line readers below are asked about the same lines many times per page (each
# field scans the lines around the article's start): they remember their recent answers.


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed: for comparing names."""
    if text.isascii():  # nothing to decompose (most lines: the same result, at a tenth of the cost)
        stripped = text.casefold()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NON_WORD.sub(" ", stripped).strip()


@dataclass(frozen=True, slots=True)
class ArticleMetadata:
    """What is known about an article besides its text. `sources` names, per field set, where its
    value came from: a `pagemeta` field (``json-ld:datePublished``, ``meta:og:title``,
    ``link:canonical``, ...), ``url`` (a date in the address), ``text:date-line``, ``text:byline``,
    ``text:relative-date`` or ``text:title``."""

    title: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    authors: tuple[str, ...] = ()
    canonical_url: str | None = None
    publisher: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)


# ---- dates -----------------------------------------------------------------------------------

_TZ_ABBREVIATIONS = {
    "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 60, "ist": 330, "cet": 60, "mez": 60, "cest": 120, "mesz": 120,
    "eet": 120, "eest": 180, "msk": 180, "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420,
    "mdt": -360, "pst": -480, "pdt": -420, "jst": 540, "kst": 540, "aest": 600, "aedt": 660, "sast": 120,
}  # fmt: skip


def _month_table(data: Mapping[str, Sequence[str]]) -> dict[str, int]:
    table: dict[str, int] = {}
    ambiguous: set[str] = set()
    for names in data.values():
        for number, name in enumerate(names, start=1):
            for end in range(3, len(name) + 1):
                prefix = name[:end]
                if table.get(prefix, number) != number:
                    ambiguous.add(prefix)
                table[prefix] = number
    return {k: v for k, v in table.items() if k not in ambiguous}


_MONTHS = _month_table(_DATA["months"])
_MONTH = r"(?P<month>[^\W\d_]{3,12})\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)"
_TIME = (
    r"(?P<hour>[0-2]?\d)[:.h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?\s*"
    r"(?P<ampm>[ap]\.?\s?m\.?)?(?:\s*(?:uhr|h|hs|horas|saat))?\s*(?:\(?(?P<tz>[a-z]{1,5})\)?(?![\w]))?"
)
_DATE_PATTERNS = [
    # 2024-05-03, 2024/05/03, 2024.05.03, 2024年5月3日
    re.compile(rf"(?<!\d){_YEAR}\s?(?:[-/.]|年)\s?(?P<mon>[01]?\d)\s?(?:[-/.]|月)\s?{_DAY}(?:日)?(?!\d)"),
    # 3.5.2024, 03/05/2024
    re.compile(rf"(?<![\d.]){_DAY}\s?[./]\s?(?P<mon>[01]?\d)\s?[./]\s?{_YEAR}(?!\d)"),
    # 25.4.24 (German pages write the year in two digits)
    re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<mon>[01]?\d)\.(?P<year2>\d\d)(?![\d.])"),
    # 3. Mai 2024, 3 de mayo de 2024, 3 May 2024, 03 Temmuz 2024
    re.compile(rf"(?<!\d){_DAY}(?:\.|st|nd|rd|th)?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}(?!\d)"),
    # May 3, 2024; Jan. 2 2024
    re.compile(rf"(?<![\w]){_MONTH}\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)"),
]
_TIME_PATTERN = re.compile(rf"(?<![\d:.]){_TIME}")
_DAY_MONTH = re.compile(r"(?<![\w.])[0-3]?\d\.?\s+(?P<month>[^\W\d_]{3,12})(?!\w)")
_RELATIVE = re.compile(
    r"(?:(?P<n1>\d{1,3})\s+(?P<unit1>sec|secs|second|seconds|min|minute|minutes|mins|hour|hours|hrs|day|days)\s+ago"
    r"|vor\s+(?P<n2>\d{1,3})\s+(?P<unit2>minute|minuten|min|stunde|stunden|std|tag|tagen)"
    r"|hace\s+(?P<n3>\d{1,3})\s+(?P<unit3>minuto|minutos|hora|horas|día|días)"
    r"|il y a\s+(?P<n4>\d{1,3})\s+(?P<unit4>minute|minutes|heure|heures|jour|jours))(?!\w)"
)
_RELATIVE_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "s": timedelta(seconds=1),
                   "std": timedelta(hours=1), "d": timedelta(days=1), "t": timedelta(days=1),
                   "j": timedelta(days=1)}  # fmt: skip
_DAY_WORDS = _alternatives(_DATA["date_words"]["today"] + _DATA["date_words"]["yesterday"])
_YESTERDAY = frozenset(_DATA["date_words"]["yesterday"])
# "Heute, 12:37 Uhr", "Publiziert heute um 12:19 Uhr", "Stand: 10:49 Uhr", "9:51": the message's day.
_TODAY_LINE = re.compile(
    rf"^(?:[^\W\d]+:?\s+){{0,2}}(?:(?P<word>{_DAY_WORDS})\b[,\s]*(?:um\s+|at\s+|a las\s+|à\s+)?)?"
    r"(?P<hour>[0-2]?\d)[:.](?P<minute>[0-5]\d)(?:\s*(?:uhr|h|am|pm))?$"
)
_URL_DATE = re.compile(r"(?<![\d])((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?![\d])")
_URL_DATE_SPACED = re.compile(r"/((?:19|20)\d\d)/([01]?\d)/([0-3]?\d)/")
_ISO_LIKE = re.compile(r"^\s*(?:19|20)\d\d-[01]\d-[0-3]\d")


def parse_datetime(value: str) -> datetime | None:
    """A date written as ISO 8601, RFC 2822 or one of the common page conventions, or None."""
    value = value.strip()
    if not value or len(value) > 100:
        return None
    if _ISO_LIKE.match(value):
        iso = value.replace(" ", "T", 1) if len(value) > 10 and value[10] == " " else value
        try:
            return datetime.fromisoformat(iso)
        except ValueError:
            pass
    if value.isdigit() and len(value) == 8:
        try:
            return datetime.strptime(value, "%Y%m%d")
        except ValueError:
            return None
    if value.isdigit() and len(value) in (10, 13):  # a Unix timestamp, in seconds or milliseconds
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, tz=UTC)
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        pass
    return date_in_text(value)


@lru_cache(maxsize=4096)
def date_in_text(line: str) -> datetime | None:
    """The first date written in a line of text, with its time where the line gives one."""
    lowered = line.lower()
    best: tuple[int, datetime, int] | None = None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(lowered):
            parsed = _date_from_match(match)
            if parsed is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), parsed, match.end())
                break
    if best is None:
        return None
    start, day, end = best
    time = _TIME_PATTERN.search(lowered, end) or _TIME_PATTERN.search(lowered[:start])
    return _with_time(day, time) if time else day


def _date_from_match(match: re.Match[str]) -> datetime | None:
    parts = match.groupdict()
    if parts.get("month"):
        month = _MONTHS.get(parts["month"].rstrip("."))
        if month is None:
            return None
    else:
        month = int(parts["mon"])
    year = int(parts["year"]) if parts.get("year") else 2000 + int(parts["year2"])
    try:
        return datetime(year, month, int(parts["day"]))
    except ValueError:
        return None


def _with_time(day: datetime, match: re.Match[str]) -> datetime:
    hour, minute = int(match["hour"]), int(match["minute"])
    ampm = (match["ampm"] or "").replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23:
        return day
    tz = None
    offset = _TZ_ABBREVIATIONS.get(match["tz"] or "")
    if offset is not None:
        tz = timezone(timedelta(minutes=offset))
    return day.replace(hour=hour, minute=minute, second=int(match["second"] or 0), tzinfo=tz)


def relative_date(line: str, reference: datetime) -> datetime | None:
    """ "Updated 2 hours ago", "vor 3 Stunden": the reference time minus that much."""
    lowered = line.lower().strip()
    match = _RELATIVE.search(lowered)
    if match is None:
        today = _TODAY_LINE.match(lowered)
        if today is None:
            return None
        day = reference - timedelta(days=1) if today["word"] in _YESTERDAY else reference
        try:
            # The clock time is the page's own, in a zone it does not name.
            return day.replace(
                hour=int(today["hour"]), minute=int(today["minute"]), second=0, microsecond=0, tzinfo=None
            )
        except ValueError:
            return None
    number = next(int(n) for n in match.group("n1", "n2", "n3", "n4") if n)
    unit = next(u for u in match.group("unit1", "unit2", "unit3", "unit4") if u)
    key = "m" if unit.startswith("min") else "std" if unit.startswith("st") else unit[0]
    return reference - number * _RELATIVE_UNITS[key]


def plausible(value: datetime, latest: datetime | None) -> bool:
    """Not before 1990 and not after `latest` (the message time plus a day). A date without a time
    zone is read as UTC."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if aware < EARLIEST:
        return False
    return latest is None or aware <= latest


def latest_date(message_time: datetime | None) -> datetime | None:
    if message_time is None:
        return None
    aware = message_time if message_time.tzinfo is not None else message_time.replace(tzinfo=UTC)
    return aware + FUTURE_SLACK


def url_date(url: str | None) -> datetime | None:
    """A date in a page address: /2024/05/03/, /2024-05-03-, /20240503/."""
    if not url:
        return None
    path = urlsplit(url).path
    for pattern in (_URL_DATE_SPACED, _URL_DATE):
        match = pattern.search(path)
        if match:
            try:
                return datetime(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
    return None


# ---- people ----------------------------------------------------------------------------------

_BOILERPLATE = frozenset(fold(w) for w in _DATA["boilerplate"])
_BOILERPLATE_STARTS = tuple(fold(w) + " " for w in _DATA["boilerplate_starts"])
_OPENERS = sorted((fold(w) for w in _DATA["byline_openers"]), key=len, reverse=True)
_OPENER = re.compile(
    r"^\s*(?:" + _alternatives(_OPENERS, any_space=True) + r")\b\s*:?\s*",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*[^\W\d_]{2,12}\s*:\s*")
# The kind of piece before its byline: "Kommentar von Nicole Opitz", "Ein Kommentar von ...",
# "Opinion by ...", "Kolumne von ...": the genre goes, the opener after it is cut as usual.
_GENRE = re.compile(
    r"^\s*(?:[^\W\d_]+\s+)?"
    + LEXICON.pattern("commentary_words")
    + r"[^\W\d_]*\s*:?\s+(?="
    + _alternatives(_OPENERS, any_space=True)
    + r")\b",
    re.IGNORECASE,
)
_JOINER = re.compile(
    r"\s*(?:[,;/|•·]|\s[-–—]\s|\s(?:" + _alternatives(_DATA["name_joiners"]) + r")\s)\s*",
    re.IGNORECASE,
)
_ENDER = re.compile(
    r"\s(?:" + _alternatives(w for w in _DATA["name_enders"] if w.isalpha()) + r")\s.*$|\s*[@|(\[].*$",
    re.IGNORECASE,
)
# A full stop after a word of three letters or more ends a name (an initial's, "Amy K. Dragoo", does not).
_SENTENCE_END = re.compile(r"(?<=[^\W\d_]{3})\.\s.*$")
# A role after a dash, which runs to the next name: "Jane Doe – Journalist in Paris, John Roe".
_DASH_ROLE = re.compile(r"\s[-–—]\s+(?:" + _alternatives(_DATA["roles"]) + r")(?!\w)[^,;/|]*", re.IGNORECASE)
# A newsroom's credit run on after the names: "Scott Gilbertson Gear Team".
_NEWSROOM_TAIL = re.compile(r"\s+[^\W\d_][\w-]*\s+(?:" + _alternatives(_DATA["newsroom_tails"]) + r")$", re.IGNORECASE)
_AGENCY_LEFTOVERS = frozenset(fold(w) for w in _DATA["name_joiners"] + _DATA["agency_words"])
_NEWSROOM_WORDS = frozenset(fold(w) for w in _DATA["newsroom_words"])
_SECTION_WORDS = frozenset(fold(w) for w in _DATA["section_words"])
_ROLES = frozenset(w.lower() for w in _DATA["roles"])
_ROLE_MODIFIERS = frozenset(_DATA["role_modifiers"])
_ARTICLES = frozenset(w.lower() for w in _DATA["articles"])
_URL = re.compile(r"^(?:https?://|www\.|//)", re.IGNORECASE)
# "Dan Jervis-Bardy The West Australian": "The" does not occur inside a person's name.
_HANDLE_WORD = re.compile(r"\s@\w+")
_THE = re.compile(r"\s+The\s.*$")
_HANDLE = re.compile(r"^@\w|^(?:https?:|www\.)|\.(?:com|org|net|de|at|ch|uk|fr|es|it)\b|@\w+\.\w", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_MAX_NAME_WORDS = 6
_MAX_NAME_CHARS = 80
_ACCOUNT_MIN = 4
_ACRONYM_MAX = 4
_BRACKETED = re.compile(r"\s*\([^()]*\)")
_DOMAIN_NAME = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.IGNORECASE)


def is_agency_name(name: str) -> bool:
    """Whether `name` names wire agencies only ("dpa", "Associated Press", "AFP/dpa")."""
    mentions = REGISTRY.scan(name).mentions
    if not mentions:
        return False
    rest, at = [], 0
    for mention in mentions:
        rest.append(name[at : mention.start])
        at = mention.end
    rest.append(name[at:])
    return all(word in _AGENCY_LEFTOVERS for word in fold(" ".join(rest)).split())


def split_people(value: str) -> list[str]:
    """The names a credit gives, in order: "By Jane Doe and John Roe, Associated Press" ->
    ["Jane Doe", "John Roe"]: openers, job titles, employers and agencies cut off. Whether each
    is a person's name is `is_person`'s question."""
    value = value.strip()
    if _URL.match(value):
        return []
    value = _EMAIL.sub(" ", value)
    value = _GENRE.sub("", value, count=1)
    value = _OPENER.sub("", value, count=1)
    value = _DASH_ROLE.sub("", value)  # "Anders Skjerdingstad – Journalist i Paris"
    people = []
    for part in _JOINER.split(value):
        part = _OPENER.sub("", part, count=1)
        part = _ENDER.sub("", part)
        part = _SENTENCE_END.sub("", part)  # "Finian Cunningham. Sputnik": the name ends at its full stop
        part = _THE.sub("", part)
        part = _strip_agencies(part).strip(" \t-–—:.,'\"“”‘’«»*/")
        words = part.split()
        if any(word in _NEWSROOM_WORDS for word in fold(part).split()):
            continue  # "MND Staff", "Guardian staff reporter": a newsroom, not a person
        if words and words[0].lower() == "the":
            words.pop(0)
        words = _without_title(words)
        half = len(words) // 2
        if half and len(words) % 2 == 0 and words[:half] == words[half:]:
            words = words[:half]  # "Martin Gramnæs Martin Gramnæs": a link's text and its title
        part = " ".join(words)
        if part and not _in_title(part) and not is_agency_name(part):
            people.append(part)
    return _without_place(people, value)


def _without_place(people: list[str], credit: str) -> list[str]:
    """The names of "Monika Bolliger und Anna Trechsel, Sweidah" without the place the writers
    report from: one word after a comma, last, where every name before it is a full name."""
    separators = _JOINER.findall(credit)
    if len(people) < 2 or not separators or separators[-1].strip() not in (",", ";"):
        return people
    last = people[-1].split()
    if len(last) != 1 or _uncased_word(last[0]) or any(len(p.split()) < _NAME_MIN for p in people[:-1]):
        return people
    return people[:-1]


def _without_title(words: list[str]) -> list[str]:
    """A name's words without the job title after them: "Ulrich Exner Korrespondent", and
    "Steffan Rhys Deputy Content Hub Director" (a title that ends in a role word runs from its
    first role word on)."""
    if len(words) < 2 or not _is_role(words[-1]):
        return words  # "Debbie White": a title ends in a role word, not in a word before one
    words = list(words)
    while len(words) > 1 and _in_title(words[-1]):
        words.pop()
    cut = next((k for k in range(2, len(words)) if _in_title(words[k])), None)
    return words[:cut] if cut else words


def _in_title(word: str) -> bool:
    return _is_role(word) or word.lower() in _ROLE_MODIFIERS


def _is_role(word: str) -> bool:
    """ "Korrespondent", "Online-Redakteurin", "(Sport)": a job title, not part of a name."""
    lowered = word.lower().strip("()")
    return lowered in _ROLES or lowered.rsplit("-", 1)[-1] in _ROLES


def _strip_agencies(part: str) -> str:
    mentions = [m for m in REGISTRY.scan(part).mentions if m.strength == "strong"]
    for mention in reversed(mentions):
        part = part[: mention.start] + " " + part[mention.end :]
    return part


def is_person(name: str, *, site_names: Iterable[str] = ()) -> bool:
    """Whether a name can be a person's: not the site, boilerplate, a handle, a URL or an agency."""
    if not _HAS_LETTER.search(name) or _DIGIT.search(name) or len(name) > _MAX_NAME_CHARS:
        return False
    if _HANDLE.search(name) or is_agency_name(name):
        return False
    folded = fold(name)
    if not folded or len(folded.split()) > _MAX_NAME_WORDS:
        return False
    if name == name.lower() and name != name.upper():
        return False  # "israel news", "jdadmin": names are written with capitals in scripts that have them
    if " " not in name.strip() and name.isupper() and len(name.strip()) <= _ACRONYM_MAX:
        return False  # "MS", "RDN", "CNN": initials, a degree or an acronym, not a name
    if _BUTTON.search(name.lower()):
        return False  # "Twitter Facebook": the byline's links, not a name
    if folded in _BOILERPLATE or folded.startswith(_BOILERPLATE_STARTS):
        return False
    words = name.split()
    if len(words) == 2 and words[0].lower() in _ARTICLES:
        return False  # "Le Figaro", "Der Spiegel", "El País": a paper's name, where the site's is not known
    if any(word in _NEWSROOM_WORDS or word in _SECTION_WORDS for word in folded.split()):
        return False
    squeezed = folded.replace(" ", "")
    # The site's account: its name's first word and an initial ("Ilanga D" on Ilanga News).
    named = "".join(word for word in folded.split() if len(word) > 1)
    account = len(named) >= _ACCOUNT_MIN and named != squeezed
    return all(
        squeezed != site and not (len(site) >= 4 and site in squeezed) and not (account and site.startswith(named))
        for site in site_names
    )


def _site_keys(names: Iterable[str], urls: Iterable[str | None]) -> set[str]:
    """The site's names, folded and without spaces, as `is_person` compares them: each name as
    written, without an address in brackets ("Deutsche Welle (www.dw.com)") or a leading article
    ("The Telegraph"), and a name that is the site's address without its domain ending ("Golem.de"
    -> "golem")."""
    keys = set()
    for name in names:
        keys.add(fold(name).replace(" ", ""))
        bare = _BRACKETED.sub("", name).strip()
        keys.add(fold(bare).replace(" ", ""))
        first, _, rest = bare.partition(" ")
        if rest and first.lower() in _ARTICLES:
            keys.add(fold(rest).replace(" ", ""))  # "The Telegraph" names itself "Telegraph" too
        if _DOMAIN_NAME.match(bare):
            keys.add(fold(bare.removeprefix("www.").rsplit(".", 1)[0]).replace(" ", ""))
    for url in urls:
        host = urlsplit(url).hostname if url else None
        if host:
            labels = [label for label in host.split(".") if label not in ("www", "m", "amp", "edition")]
            if len(labels) >= 2:
                keys.add(fold(labels[-2]).replace(" ", ""))
    return {k for k in keys if len(k) >= 2}


def _people(values: Iterable[str], site_keys: set[str]) -> list[str]:
    found: dict[str, str] = {}
    for value in values:
        names = split_people(value)
        # A credit that opens with the site or a newsroom ("hessenschau.de, Frankfurt, Germany")
        # goes on with its address, not with people.
        if names and not is_agency_name(names[0]) and not is_person(names[0], site_names=site_keys):
            continue
        for person in names:
            if is_person(person, site_names=site_keys):
                found.setdefault(fold(person), person)
    return list(found.values())


# ---- titles ----------------------------------------------------------------------------------

_TITLE_SPLIT = re.compile(r"\s+[|\-–—:·•*»«/]\s+|\s*[|｜ㅣ•·*»«]\s*|(?<=\S)-(?=\S*\s*[|｜ㅣ])")
TITLE_FIELDS = ("json-ld:headline", "html:h1", "meta:og:title", "meta:twitter:title", "html:title")
_TITLE_RANK = {f: i for i, f in enumerate(TITLE_FIELDS)}
# Between a headline and the site's name in a page title (a colon belongs to headlines).
_SITE_SEPARATOR = re.compile(r"\s+[|\-–—·•»]\s+|\s*[|｜]\s*")
_MAX_SUFFIX_SHARE = 0.45


def strip_site_suffix(title: str, site_keys: set[str]) -> str:
    """ "Headline - National | Globalnews.ca" -> "Headline": a short tail that names the site goes."""
    for match in _TITLE_SPLIT.finditer(title):
        head, tail = title[: match.start()].strip(), title[match.end() :]
        squeezed = fold(tail).replace(" ", "")
        if head and squeezed in site_keys:
            return head  # the whole tail is the site's name, however long
        if not head or len(tail) > _MAX_SUFFIX_SHARE * len(title):
            continue
        if any(key in squeezed for key in site_keys):
            return head
    return title


def _choose_title(titles: Sequence[MetaValue], site_keys: set[str]) -> MetaValue | None:
    """The title most sources agree on, once the site's name is cut off; ties go to the headline,
    then the page's <h1>, then og:title."""
    votes: dict[str, list[MetaValue]] = {}
    seen: set[str] = set()
    for value in titles:
        if value.field in seen or len(value.value) > 500:
            continue
        seen.add(value.field)
        cleaned = MetaValue(value.field, strip_site_suffix(value.value, site_keys))
        key = fold(cleaned.value)
        if key:
            votes.setdefault(key, []).append(cleaned)
    if not votes:
        return None

    def rank(group: list[MetaValue]) -> tuple[int, int]:
        return (len(group), -min(_TITLE_RANK.get(v.field, len(_TITLE_RANK)) for v in group))

    group = max(votes.values(), key=rank)
    return min(group, key=lambda v: _TITLE_RANK.get(v.field, len(_TITLE_RANK)))


# ---- the HTML path ---------------------------------------------------------------------------

_AUTHOR_FIELDS = (
    ("json-ld:author",),
    ("json-ld:creator",),
    ("meta:author", "meta:article:author", "meta:parsely-author", "meta:sailthru.author", "meta:dc.creator"),
    ("meta:byline",),
    ("itemprop:author",),
    ("html:rel-author",),
    ("html:byline",),
    ("html:author-link",),
)
# A byline box that credits the article's editor, not its writer: "Editor : Heryadi".
_EDITOR_LABEL = re.compile(
    r"^\s*(?:" + _alternatives(_DATA["editor_labels"], any_space=True) + r")\s*:\s*(?=\S)",
    re.IGNORECASE,
)
# Inside a byline box, the names follow the opener: "capital von Jemima Kelly 05. November 2024".
_INNER_OPENER = re.compile(r"(?<!\w)(?:by|von|por|par|door|av|af)\s*:?\s+(?=[^\W\d_])", re.IGNORECASE)
_PUBLISHED_RANK = (
    "json-ld:datePublished",
    "meta:article:published_time",
    "meta:og:article:published_time",
    "meta:og:published_time",
    "meta:parsely-pub-date",
    "meta:sailthru.date",
    "meta:datepublished",
    "itemprop:datePublished",
    "meta:pubdate",
    "meta:publishdate",
    "meta:publish-date",
    "meta:publish_date",
    "meta:dc.date.issued",
    "meta:dcterms.issued",
    "meta:citation_publication_date",
    "meta:dc.date",
    "meta:dcterms.date",
    "meta:date",
    "json-ld:dateCreated",
    "meta:dc.date.created",
    "meta:dcterms.created",
    "json-ld:uploadDate",
)
_PUBLISHER_FIELDS = ("meta:og:site_name", "json-ld:publisher", "json-ld:website", "meta:application-name")
_CANONICAL_FIELDS = ("link:canonical", "meta:og:url", "json-ld:mainEntityOfPage", "json-ld:url")


def from_page(
    page: PageMetadata,
    doc: NormalisedText | None = None,
    *,
    url: str | None = None,
    message_time: datetime | None = None,
    page_lines: Callable[[], Sequence[str]] | None = None,
) -> ArticleMetadata:
    """Article metadata from what an HTML page states, checked; `doc` (the extracted article)
    gives a byline, date line and title where the page's markup has none, and `page_lines` (the
    page's visible lines, asked for only then) a date line where nothing else gives a date."""
    latest = latest_date(message_time)
    sources: dict[str, str] = {}
    publisher = _first(page.site_names + page.credits, _PUBLISHER_FIELDS)
    canonical = _canonical(page.urls, url)
    site_keys = _site_keys(
        [v.value for v in page.site_names if not v.value.startswith("@")]
        + [v.value for v in page.credits if v.field == "json-ld:publisher"],
        [url, canonical.value if canonical else None],
    )

    published = _first_date(page.published, _PUBLISHED_RANK, latest)
    if published is None:
        published = _first_date(page.published, ("html:time",), latest)
    if published is None:
        from_url = url_date(url) or url_date(canonical.value if canonical else None)
        if from_url is not None and plausible(from_url, latest):
            published = MetaValue("url", ""), from_url
    if published is None and doc is not None:
        doc_lines = doc.text.splitlines()
        found = _text_dates(doc_lines, _window(doc_lines, doc), doc, message_time, latest)
        if found is None and page_lines is not None:
            shown = page_lines()
            found = _text_dates(shown, _window(shown, doc), doc, message_time, latest)
        if found:
            published = MetaValue(found[1], ""), found[0]
    modified = _first_date(page.modified, None, latest)
    if modified is not None and published is not None and _utc(modified[1]) < _utc(published[1]):
        modified = None

    editors = {
        fold(name)
        for v in page.authors
        if v.field == "html:byline" and (label := _EDITOR_LABEL.match(v.value))
        for name in split_people(v.value[label.end() :])
    }
    authors: list[str] = []
    for fields in _AUTHOR_FIELDS:
        values = [v.value for v in page.credits + page.authors if v.field in fields]
        if fields[0] in ("html:byline", "html:author-link"):
            values = [_cut_date(_after_opener(v)) for v in values]
            # The first box that names someone: later ones are often other articles' bylines.
            authors = next((p for v in values if (p := _people([v], site_keys)) and _all_names(p)), [])
        else:
            authors = _people(values, site_keys)
        authors = [a for a in authors if fold(a) not in editors]
        if authors:
            sources["authors"] = fields[0] if len(fields) == 1 else "meta:author"
            break
    if not authors and doc is not None:
        doc_lines = [line for line in doc.text.splitlines() if line.strip()]
        authors = _text_authors(doc_lines, _window(doc_lines, doc, under_headline=True), doc, site_keys)
        if not authors and page_lines is not None:
            # The byline may stand outside what the extractor kept as the article, and the page's
            # markup may name only the site or an agency: the page's visible lines hold it.
            shown = page_lines()
            authors = _text_authors(shown, _window(shown, doc, under_headline=True), doc, site_keys, whole_page=True)
        authors = authors or _sign_off(doc, site_keys)
        if authors:
            sources["authors"] = "text:byline"

    title = _choose_title(page.titles, site_keys)
    title_value = title.value if title else (doc.title if doc is not None else None)
    if title is not None:
        sources["title"] = title.field
    elif title_value:
        sources["title"] = "text:title"

    section = _first(page.sections, None)
    tags = _tags(page.tags)
    _note(sources, "published_at", published[0].field if published else None)
    _note(sources, "modified_at", modified[0].field if modified else None)
    _note(sources, "canonical_url", canonical.field if canonical else None)
    _note(sources, "publisher", publisher.field if publisher else None)
    _note(sources, "section", section.field if section else None)
    _note(sources, "tags", tags[0].field if tags else None)
    return ArticleMetadata(
        title=title_value,
        published_at=published[1] if published else None,
        modified_at=modified[1] if modified else None,
        authors=tuple(authors),
        canonical_url=canonical.value if canonical else None,
        publisher=publisher.value if publisher else None,
        section=section.value if section else None,
        tags=tuple(dict.fromkeys(t.value for t in tags)),
        sources=sources,
    )


def _after_opener(text: str) -> str:
    match = _INNER_OPENER.search(text)
    return text[match.end() :] if match else text


def _note(sources: dict[str, str], name: str, source: str | None) -> None:
    if source:
        sources[name] = source


def _first(values: Sequence[MetaValue], fields: Sequence[str] | None) -> MetaValue | None:
    if fields is None:
        return values[0] if values else None
    for name in fields:
        for value in values:
            if value.field == name and not value.value.startswith(("@", "http://", "https://")):
                return value
    return None


def _first_date(
    values: Sequence[MetaValue], fields: Sequence[str] | None, latest: datetime | None
) -> tuple[MetaValue, datetime] | None:
    ordered = values if fields is None else [v for name in fields for v in values if v.field == name]
    for value in ordered:
        parsed = parse_datetime(value.value)
        if parsed is not None and plausible(parsed, latest):
            return value, parsed
    return None


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _canonical(urls: Sequence[MetaValue], base: str | None) -> MetaValue | None:
    for name in _CANONICAL_FIELDS:
        for value in urls:
            if value.field != name:
                continue
            absolute = urljoin(base, value.value) if base else value.value
            parts = urlsplit(absolute)
            if parts.scheme in ("http", "https") and parts.hostname and " " not in absolute:
                return MetaValue(value.field, absolute)
    return None


def _tags(values: Sequence[MetaValue]) -> list[MetaValue]:
    for name in ("meta:article:tag", "json-ld:keywords", "meta:news_keywords", "meta:parsely-tags", "meta:keywords"):
        found = [v for v in values if v.field == name and len(v.value) <= 100]
        if found:
            return found
    return []


# ---- the text path ---------------------------------------------------------------------------

_PUBLISHED_WORDS = tuple(w.lower() for w in _DATA["date_words"]["published"])
_UPDATED_WORDS = tuple(w.lower() for w in _DATA["date_words"]["updated"])
_PUBLISHED = re.compile(r"(?<!\w)(?:" + _alternatives(_PUBLISHED_WORDS) + r")(?!\w)")
# Update words are common words too ("troops stand to attention"): they count at the start of a
# line or of one of its parts only.
_UPDATED = re.compile(r"(?:^|[|·•—–,(]\s*|\s(?=last\s))(?:" + _alternatives(_UPDATED_WORDS) + r")(?!\w)")
_DATE_LINE_MAX = 160
_BARE_DATE_LINE_MAX = 70
# Date lines and bylines sit between the headline and the first paragraph, or just under it.
_BEFORE_BODY = 25
_AFTER_BODY = 20
_BYLINE_MAX = 160
_UNCASED_NAME_MAX = 8
_SITE_NAME_MAX = 40
# A reading time after the name: "2 minutes read", "Lesezeit 5 Min."
_READING = re.compile(r"\s\d+\s*(?:min\w*|minutes?)\.?\s+(?:read|lesezeit|de lectura|lecture|lettura)|\slesezeit\b")
_WEEKDAY = re.compile(
    r"(?<!\w)(?:"
    + _alternatives(d for d in _DATA["weekdays"] if len(d) > 3)
    + r")\b|(?<!\w)(?:"
    + _alternatives(d for d in _DATA["weekdays"] if len(d) <= 3)
    + r")[.,]"
)
_NEAR_DATE = 2
_TRAILING_UPDATE = re.compile(r"\s+(?:" + _alternatives(_UPDATED_WORDS + _PUBLISHED_WORDS) + r")\s*:?$", re.IGNORECASE)
_BUTTON = re.compile(r"(?<!\w)(?:" + _alternatives(_DATA["byline_buttons"]) + r")(?!\w)")
# The parts of a meta line are short ("Posted: Aug 08, 2024 4:00 PM EDT"); a sentence makes a caption.
_META_PART_WORDS = 10
_HEADLINE_MIN = 20
# A line of names alone is a byline where it stands a few lines under the headline: right under
# it, under its standfirst, or above one of the first paragraphs with at most one short line
# between ("BBC", "Share").
_OPENING_PARAGRAPHS = 3
_OPENING_CHARS = 40
_BETWEEN_MAX = 25
_BYLINE_UNDER_HEADLINE = 5
# Names run together without separators: how many words such a run has, and each name in it.
_RUN_MIN = 4
_RUN_MAX = 12
_NAME_MIN = 2
_NAME_MAX_WORDS = 3
# A paragraph of prose, which a sign-off stands under.
_PARAGRAPH_MIN = 80
_PARENTHESES = re.compile(r"\s*\([^()\d]*\)")
# A picture's credit, which names its photographer or agency, not the article's writer.
_PICTURE_CREDIT = re.compile(
    r"(?<!\w)(?:"
    + LEXICON.pattern("picture_sources")
    + "|"
    + _alternatives(_DATA["picture_credit_words"])
    + r")(?!\w)",
    re.IGNORECASE,
)
_PHOTO_CREDIT = re.compile(r"^\s*" + LEXICON.pattern("photo_words") + r"[^\W\d_]*\s*(?:\[[^\]]*\]\s*)?[:©]", re.I)
_MAX_ANCHORS = 3
# The parts of a meta line: "Yasmine Hassan · CBC News · Posted: Aug 08, 2024", "Do 25.04.24 | 14:07 Uhr | Von X".
_LINE_PARTS = re.compile(r"\s+[|·•/]\s+|\s*[|·•]\s*")
_AUTHOR_LABEL = re.compile(
    r"^(?:author|authors|author of the article|autor|autorin|autoren|text|texte|von|by|por|par|written by)\s*:?$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁІЇЄҐ][\w'’.-]*|(?:de|da|del|della|der|den|van|von|le|la|di|du|dos|al|bin|el|y|zu)\.?)$"
)


def from_text(
    raw_lines: Sequence[str],
    doc: NormalisedText,
    *,
    url: str | None = None,
    message_time: datetime | None = None,
) -> ArticleMetadata:
    """Article metadata from visible text: the headline, the date lines and the byline near the
    start of the article."""
    latest = latest_date(message_time)
    sources: dict[str, str] = {}
    lines = [line.strip() for line in raw_lines if line.strip()]
    window = _window(lines, doc)
    found = _text_dates(lines, window, doc, message_time, latest)
    published = found[0] if found else None
    if found is not None:
        sources["published_at"] = found[1]
    elif (from_url := url_date(url)) is not None and plausible(from_url, latest):
        published = from_url
        sources["published_at"] = "url"
    site_keys = _site_keys(_title_line_site(lines), [url])
    authors = _text_authors(lines, _window(lines, doc, under_headline=True), doc, site_keys)
    authors = authors or _sign_off(doc, site_keys)
    if authors:
        sources["authors"] = "text:byline"
    title = _headline_of(doc.title, lines) if doc.title else None
    if title:
        sources["title"] = "text:title"
    return ArticleMetadata(title=title, published_at=published, authors=tuple(authors), sources=sources)


def _headline_of(title: str, lines: Sequence[str]) -> str:
    """ "Headline | Section | Site" -> "Headline" when the page also shows the headline alone."""
    shown = set(lines)
    for match in _SITE_SEPARATOR.finditer(title):
        head = title[: match.start()].strip()
        if head in shown and head != title:
            return head
    return title


def _title_line_site(lines: Sequence[str]) -> list[str]:
    """The site's name as the page's <title> gives it, which visible text usually opens with:
    "Headline | Fox News" -> ["Fox News"]."""
    if not lines:
        return []
    parts = _TITLE_SPLIT.split(lines[0])
    tail = parts[-1].strip() if len(parts) > 1 else ""
    return [tail] if 0 < len(tail) <= _SITE_NAME_MAX else []


def _window(lines: Sequence[str], doc: NormalisedText, *, under_headline: bool = False) -> list[int]:
    """Line numbers to look at, nearest to the article's start first: up from its first paragraph,
    then down into it; then the same around the other places the article may start; with
    `under_headline`, last the lines under the headline (a byline stands there when teasers, a
    picture or a newsletter box come between it and the first paragraph)."""
    window: dict[int, None] = {}
    anchors = _anchors(lines, doc)
    if under_headline:
        anchors += [h + 1 for h in _headline_lines(lines, doc) if h < anchors[0] and h + 1 not in anchors]
    for anchor in anchors:
        window.update(dict.fromkeys(range(anchor - 1, max(-1, anchor - 1 - _BEFORE_BODY), -1)))
        window.update(dict.fromkeys(range(anchor, min(len(lines), anchor + _AFTER_BODY))))
    return list(window)


def _headline_lines(lines: Sequence[str], doc: NormalisedText) -> list[int]:
    """The lines that show the headline, past the first (a page's text opens with its <title>,
    "Headline | Site", with menus under it): those that hold the title's head and little more
    ("'Kicker': headline"), the first few (menus and teasers may repeat the headline, so callers
    look at those above the article's start)."""
    if not doc.title:
        return []
    head = fold(_SITE_SEPARATOR.split(doc.title, maxsplit=1)[0])
    if len(head) < _HEADLINE_MIN:
        return []
    shown = [i for i, line in enumerate(lines) if i and len(line) <= 2 * len(head) and head in fold(line)]
    return shown[:_MAX_ANCHORS]


def _anchors(lines: Sequence[str], doc: NormalisedText) -> list[int]:
    """Where the article may start in `lines`, likeliest first: its first paragraph where the
    second follows it (a teaser of the same article has no second paragraph under it)."""
    body = doc.texts("body")
    if body:
        first = body[0][:60]
        second = body[1][:40] if len(body) > 1 else None
        hits = [i for i, line in enumerate(lines) if first in line][:_MAX_ANCHORS]
        followed = [i for i in hits if second is None or any(second in line for line in lines[i + 1 : i + 6])]
        if hits:
            return followed + [i for i in reversed(hits) if i not in followed]
    if doc.title:
        title = doc.title[:60]
        hits = [i for i, line in enumerate(lines) if title in line]
        if hits:
            return [(hits[1] if len(hits) > 1 and hits[0] == 0 else hits[0]) + 1]
    return [0]


def _text_dates(
    lines: Sequence[str],
    window: Sequence[int],
    doc: NormalisedText,
    message_time: datetime | None,
    latest: datetime | None,
) -> tuple[datetime, str] | None:
    """The publication date from the date lines nearest the article's start: a line marked as
    published wins over an unmarked one, which wins over an update."""
    candidates: list[tuple[int, datetime, str]] = []
    for rank, i in enumerate(window):
        line = lines[i]
        if len(line) > _DATE_LINE_MAX:
            continue
        lowered = line.lower()
        parsed = date_in_text(line)
        source = "text:date-line"
        if parsed is None and message_time is not None:
            parsed = relative_date(line, message_time)
            source = "text:relative-date"
        if parsed is None or not plausible(parsed, latest):
            continue
        published = _PUBLISHED.search(lowered)
        updated = _UPDATED.search(lowered)
        if len(line) > _BARE_DATE_LINE_MAX and not (published or updated):
            continue  # a sentence or a caption that mentions a date, not a date line
        if published and not (updated and updated.start() < published.start()):
            weight = 0
        elif updated:
            weight = 2
        else:
            weight = 1
        candidates.append((weight * 1000 + rank, parsed, source))
    if not candidates:
        if doc.dateline_date:
            parsed = date_in_text(doc.dateline_date)
            if parsed is not None and plausible(parsed, latest):
                return parsed, "text:dateline"
        return None
    _, parsed, source = min(candidates, key=lambda c: c[0])
    return parsed, source


def _text_authors(
    lines: Sequence[str],
    window: Sequence[int],
    doc: NormalisedText,
    site_keys: set[str],
    *,
    whole_page: bool = False,
) -> list[str]:
    """People from the byline: the normaliser's, else the nearest line that reads as one: a line
    opened by "By"/"Von"/... or under "Author:", else a line of names only next to a date line or
    a few lines under the headline. In the `whole_page`'s lines (menus, teasers and picture
    credits around the article) a line of names must stand under the headline."""
    if doc.byline and not _AUTHOR_LABEL.match(doc.byline.strip()):
        people = _people([_cut_date(doc.byline)], site_keys)
        if people and _all_names(people):
            return people
    names_only: list[str] = []
    dated: list[str] = []
    openings = _openings(doc)
    # The headline the article stands under: the last shown above its first paragraph.
    start = _anchors(lines, doc)[0]
    shown_headlines = _headline_lines(lines, doc)
    headlines = [h for h in shown_headlines if h < start][-1:]
    for i in window:
        line = lines[i]
        if len(line) > _BYLINE_MAX or i in shown_headlines:
            continue
        if _AUTHOR_LABEL.match(line) and i + 1 < len(lines):
            candidate = lines[i + 1]
        elif _OPENER.match(line) and _OPENER.sub("", line, count=1)[:1].isupper():
            candidate = line
        elif (inner := _INNER_OPENER.search(line)) and len(line[: inner.start()].split()) <= 2:
            candidate = line[inner.end() :]  # "Kommentar von Nicole Opitz", "Eine Analyse von ..."
        elif not whole_page and (named := _named_part(line)) is not None:
            candidate = named
        elif (after := _after_date(line)) is not None:
            candidate = after  # "Artikel veröffentlicht am 28. April 2024, 14:26 Uhr, Tobias Költzsch"
        else:
            # "Chus del Pino (Enviado especial)", "Dan Jervis-Bardy The West Australian"
            bare = _THE.sub("", _PARENTHESES.sub("", _cut_date(_HANDLE_WORD.sub("", line)))).strip()
            bare = " ".join(_without_title(_DASH_ROLE.sub("", bare).split()))
            if not dated and (apart := _run_together(bare, lines)):
                bare = apart  # "Ярослав Кузишин Антон Зелинский 8 января" and, elsewhere, "Ярослав Кузишин, ..."
            elif not dated and (described := _described_name(bare)):
                bare = described  # "Jane Doe, professor of law at the University of X"
            elif (tail := _NEWSROOM_TAIL.search(bare)) and len(bare[: tail.start()].split()) >= _NAME_MIN:
                bare = bare[: tail.start()]  # "Scott Gilbertson Gear Team": the newsroom's credit goes
            # Names in capitals ("MTHOBISI SITHOLE") are read where a byline stands under the headline.
            capitals = bare.isupper() and _heads_article(lines, i, headlines, openings)
            near_date = not whole_page and _next_to_date(lines, i)
            if (
                not dated
                and _bare_names(bare.title() if capitals else bare)
                and not _captioned(lines, i)
                and not _PICTURE_CREDIT.search(line)
                and not any(word in _NEWSROOM_WORDS for word in fold(bare).split())  # "New Delhi, News Bureau"
                and (
                    near_date
                    or _heads_article(lines, i, headlines, openings)
                    or _under_lead_picture(lines, i, openings)
                )
            ):
                people = _people([_role_stack(lines, i) or bare], site_keys)
                if near_date and _all_names(people):
                    dated = people
                elif not names_only:
                    names_only = people
            continue
        people = _people([_cut_date(candidate)], site_keys)
        if people and _all_names(people):
            return people
    # A line of names next to a date line wins over one that only stands under the headline (a
    # topic line, "Tribunal Supremo", stands there too).
    return next((found for found in (dated, names_only) if _all_names(found)), [])


def _sign_off(doc: NormalisedText, site_keys: set[str]) -> list[str]:
    """People from a sign-off, the byline some papers write under the article's last paragraph
    ("... hoặc xạ trị.\nLê Phương"): the article's last paragraph when it is a line of names
    alone under a paragraph of prose. Only where the article ends there: in a page's text the
    lines after the last paragraph are its footer and teasers, whose names are not the writer's."""
    body = doc.texts("body")
    if len(body) < 2 or len(body[-2]) < _PARAGRAPH_MIN:
        return []
    line = body[-1]
    if not _bare_names(line) or _PICTURE_CREDIT.search(line):
        return []
    people = _people([line], site_keys)
    return people if _all_names(people) else []


def _openings(doc: NormalisedText) -> tuple[str, ...]:
    """The starts of the article's first paragraphs, which a byline stands right above."""
    paragraphs = [p for p in doc.texts("body") if len(p) >= _OPENING_CHARS]
    return tuple(p[:_OPENING_CHARS] for p in paragraphs[:_OPENING_PARAGRAPHS])


def _opens_article(lines: Sequence[str], i: int, openings: Sequence[str]) -> bool:
    """Whether line `i` stands right above one of the article's first paragraphs, or a short line
    (the writer's paper, "Share") above it."""
    if i > 0 and _bare_names(lines[i - 1]):
        return False  # a stack of lines of names is a list of tags, not a byline
    for j in (i + 1, i + 2):
        if j >= len(lines):
            return False
        if lines[j].startswith(openings):
            return True
        if len(lines[j]) > _BETWEEN_MAX or _bare_names(lines[j]):
            return False
    return False


def _heads_article(lines: Sequence[str], i: int, headlines: Sequence[int], openings: Sequence[str]) -> bool:
    """Whether line `i` stands where a byline does, a few lines under the headline: right under
    it, under its standfirst, or right above the first paragraph."""
    if not headlines or not 0 < i - headlines[0] <= _BYLINE_UNDER_HEADLINE:
        return False
    return i - 1 == headlines[0] or len(lines[i - 1]) >= _OPENING_CHARS or _opens_article(lines, i, openings)


def _run_together(line: str, lines: Sequence[str]) -> str | None:
    """Names a page shows without separators ("Ярослав Кузишин Антон Зелинский Карина Гасимова",
    each a link of its own in the markup), split where the page writes the same names apart
    elsewhere ("Ярослав Кузишин, Антон Зелинский, Карина Гасимова" under the article): the names
    joined by commas, or None when the line is not such a run or the page does not tell."""
    words = line.split()
    if not _RUN_MIN <= len(words) <= _RUN_MAX or not all(_NAME_WORD.match(w) for w in words):
        return None
    written = {
        part
        for other in lines
        if other != line and len(other) <= _BYLINE_MAX
        for part in _JOINER.split(_cut_date(other))
        if _NAME_MIN <= len(part.split()) <= _NAME_MAX_WORDS
    }
    names: list[str] = []
    at = 0
    while at < len(words):
        sizes = range(_NAME_MAX_WORDS, _NAME_MIN - 1, -1)
        size = next((n for n in sizes if " ".join(words[at : at + n]) in written), 0)
        if not size:
            return None
        names.append(" ".join(words[at : at + size]))
        at += size
    return ", ".join(names)


def _described_name(line: str) -> str | None:
    """The name of a credit that says who the writer is after it, as comment pieces do: "Povilas
    Aleksandravičius, Mykolo Romerio universiteto ... fakulteto profesorius, Lrt.lt": a full name,
    then, after a comma, a description that ends in a job title. None for any other line."""
    name, comma, rest = line.partition(",")
    if not comma or len(name.split()) < _NAME_MIN or not _bare_names(name):
        return None
    described = any(
        (words := part.split()) and len(words) > 1 and _is_role(words[-1].strip(".")) for part in rest.split(",")
    )
    return name.strip() if described else None


def _role_stack(lines: Sequence[str], i: int) -> str | None:
    """The names of a stack of lines that each give a name and, after a dash, a role
    ("Mathias Hagen – Journalist", "Anders Skjerdingstad – Journalist i Paris"), around line `i`,
    as one credit; None when line `i` is not such a line."""

    def named(j: int) -> str | None:
        if not 0 <= j < len(lines) or not _DASH_ROLE.search(lines[j]):
            return None
        name = _DASH_ROLE.sub("", lines[j]).strip()
        return name if _bare_names(name) else None

    if named(i) is None:
        return None
    first, last = i, i
    while named(first - 1) is not None:
        first -= 1
    while named(last + 1) is not None:
        last += 1
    return ", ".join(name for j in range(first, last + 1) if (name := named(j)))


def _under_lead_picture(lines: Sequence[str], i: int, openings: Sequence[str]) -> bool:
    """Whether line `i` stands between the lead picture's credit ("Foto: REUTERS/Nathan Howard")
    and one of the article's first paragraphs, where a byline stands under the picture."""
    if i == 0 or not openings:
        return False
    credit = _PHOTO_CREDIT.match(lines[i - 1])
    return credit is not None and bool(lines[i - 1][credit.end() :].strip()) and _opens_article(lines, i, openings)


def _captioned(lines: Sequence[str], i: int) -> bool:
    """Whether line `i` belongs to a picture: its caption, which the picture's credit follows
    ("Foto: REUTERS/..."), or the credit itself, under a label of its own ("Foto:")."""
    if i + 1 < len(lines) and _PHOTO_CREDIT.match(lines[i + 1]):
        return True
    label = _PHOTO_CREDIT.match(lines[i - 1]) if i > 0 else None
    return label is not None and not lines[i - 1][label.end() :].strip()


def _named_part(line: str) -> str | None:
    """In a line of parts with a date among them, the part that names people."""
    parts = [p.strip() for p in _LINE_PARTS.split(line) if p.strip()]
    if len(parts) < 2 or not any(date_in_text(p) or _PUBLISHED.search(p.lower()) for p in parts):
        return None
    if any(len(p.split()) > _META_PART_WORDS for p in parts):
        return None  # a caption ("Crowds in Madrid on 15 May 2025. Jane Doe / Europa Press"), not a meta line
    for part in parts:
        bare = _OPENER.sub("", part, count=1)
        if bare and bare != part and bare[:1].isupper():
            return part
        if _names_only(part) and not _is_furniture(part):
            return part
    return None


def _after_date(line: str) -> str | None:
    """The names after the date of a publication line, "Veröffentlicht am 28. April 2024, 14:26
    Uhr, Tobias Költzsch" -> "Tobias Költzsch"; None for a line that is not one."""
    lowered = line.lower()
    if not _PUBLISHED.search(lowered) or date_in_text(line) is None:
        return None
    ends = [m.end() for p in (*_DATE_PATTERNS, _TIME_PATTERN) for m in p.finditer(lowered)]
    rest = line[max(ends) :] if ends else ""
    if not rest.startswith((",", " |", " ·", " -", " –", " —")):
        return None
    rest = rest.strip(" ,|·-–—")
    return rest if _bare_names(rest) else None


@lru_cache(maxsize=4096)
def _cut_date(line: str) -> str:
    """ "Von Jane Doe 06.11.2025, 21:00 Uhr" -> "Von Jane Doe": a byline ends where its date begins."""
    lowered = line.lower()
    starts = [m.start() for p in _DATE_PATTERNS if (m := p.search(lowered))]
    # ... or a day and month without the year ("Jane Doe 8 января, 17:46").
    starts += [m.start() for m in _DAY_MONTH.finditer(lowered) if m.start() > 0 and _MONTHS.get(m["month"])][:1]
    # ... or its time, a day name, "published", "5 hours ago", a reading time ("2 minutes read").
    # ... or a button after the name ("Jane Doe Follow", "Tuva Mathilde Løland Tips meg").
    patterns = (_TIME_PATTERN, _RELATIVE, _PUBLISHED, _UPDATED, _READING, _WEEKDAY, _BUTTON)
    starts += [m.start() for m in (p.search(lowered) for p in patterns) if m and m.start() > 0]
    cut = min(starts, default=len(line))
    # ... and an update word left before the date it opened ("Jane Doe Updated", "MDR THÜRINGEN Stand:").
    return _TRAILING_UPDATE.sub("", line[:cut].rstrip(" ,-–—|·•/")).rstrip(" ,-–—|·•/")


def _all_names(people: Sequence[str]) -> bool:
    """Every entry reads as a name; one word alone ("Sweidah", a place after the names) only in a
    list that has a full name."""
    if not people:
        return False
    full = [p for p in people if _names_only(p)]
    return bool(full) and all(p in full or _names_only(f"{p} {p}") for p in people)


def _bare_names(line: str) -> bool:
    """A line that is names and nothing else, with no opener to say so: held to more than
    `_names_only` (capitalised words in a cased script, not in capitals throughout, not furniture)."""
    if not _names_only(line) or _is_furniture(line) or line.isupper():
        return False
    words = line.split()
    if words[0].lower() in _ARTICLES:
        return False
    return not any(_uncased_word(w) for w in words) and not any(len(w) > 2 and _is_furniture(w) for w in words)


def _uncased_word(word: str) -> bool:
    return word.isalpha() and word.lower() == word.upper() and len(word) <= _UNCASED_NAME_MAX


def _is_furniture(line: str) -> bool:
    lowered = line.lower()
    if lowered.startswith(_PUBLISHED_WORDS + _UPDATED_WORDS):
        return True
    return len(line) <= furniture.LONGEST_LINE and furniture.LINE_KINDS.get(lowered.strip(furniture.TRIM)) is not None


def _names_only(line: str) -> bool:
    """A line of one to a few names and nothing else: capitalised words, joined by commas or "and"."""
    parts = [p for p in _JOINER.split(line) if p]
    if not parts or len(parts) > 6:
        return False
    for part in parts:
        words = part.split()
        if not 1 <= len(words) <= 4 or not all(_NAME_WORD.match(w) or _uncased_word(w) for w in words):
            return False
        if all(_uncased_word(w) for w in words):
            continue  # "松岡大地", "대 미사": scripts without capitals, one word can be a full name
        if any(len(w) == 1 for w in words):  # "F T W M": initials are written with a full stop
            return False
        if len(words) == 1 and len(parts) == 1:
            return False
    return True


def _next_to_date(lines: Sequence[str], i: int) -> bool:
    """Whether a line has a date, or a date line a line or two away."""
    near = [lines[j] for j in range(i - _NEAR_DATE, i + _NEAR_DATE + 1) if 0 <= j < len(lines)]
    return any(
        len(line) <= _DATE_LINE_MAX
        and (date_in_text(line) is not None or _TIME_PATTERN.search(line.lower()) or _RELATIVE.search(line.lower()))
        for line in near
    )
