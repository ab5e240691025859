"""The wire-agency registry (`agencies.toml`) and the one-pass scan for agency names in text.

The registry is data: codes, canonical names and aliases, false friends, the other meanings of
ambiguous abbreviations and house sign-offs. `scan()` finds all of them in one pass of a compiled
alias trie over the lower-cased text (plus a second, cheap one for scripts written without spaces),
so its cost is linear in the text plus work per hit.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from itertools import islice
from typing import Literal, TypeAlias

# `strong`: a name or unambiguous code; `weak`: needs a credit shape or a sourcing cue;
# `titlecase`: an upper-case code written in title case ("Ap Auto Writer"), good in bylines only.
Strength = Literal["strong", "weak", "titlecase"]
_AliasKind = Literal["name", "code", "weak", "false_friend", "other_meaning", "house_trailer"]

# Hits beyond this many are not looked at: no article has that many, and it bounds the work on
# pathological input ("Reuters Reuters Reuters ...").
MAX_HITS = 2000


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Mention:
    """An agency alias at `text[start:end]`."""

    code: str
    start: int
    end: int
    strength: Strength


@dataclass(frozen=True, slots=True)
class Scan:
    """What one pass over a text found: agency mentions and house sign-off phrases, in text order."""

    mentions: tuple[Mention, ...]
    house_trailers: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class _Alias:
    kind: _AliasKind
    code: str
    exact: str


@dataclass(frozen=True, slots=True)
class _Patterns:
    spaced: re.Pattern[str]
    unspaced: re.Pattern[str] | None


def _compiled(pattern: str | None, flags: int) -> re.Pattern[str] | None:
    return re.compile(pattern, flags) if pattern else None


class Registry:
    """Agencies by code, and a scanner for all their aliases."""

    def __init__(self, data: Mapping[str, object]) -> None:
        agencies: dict[str, Agency] = {}
        aliases: dict[str, list[_Alias]] = {}

        def add(kind: _AliasKind, code: str, words: Iterable[str]) -> None:
            for word in words:
                aliases.setdefault(word.lower(), []).append(_Alias(kind, code, word))

        add("false_friend", "", _strings(data, "false_friends"))
        table = data.get("agency", {})
        if not isinstance(table, dict):
            raise ValueError("agencies: [agency] must be a table")
        for code, entry in table.items():
            name = entry.get("name") if isinstance(entry, Mapping) else None
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"agencies: agency {code!r} needs a name")
            agencies[code] = Agency(code=code, name=name)
            add("name", code, _strings(entry, "names"))
            add("code", code, _strings(entry, "codes"))
            add("weak", code, _strings(entry, "weak"))
            add("other_meaning", code, _strings(entry, "other_meanings"))
            add("house_trailer", code, _strings(entry, "house_trailers"))
        self.agencies: Mapping[str, Agency] = agencies
        self._aliases = aliases
        spaced = [a for a in aliases if not _is_unspaced_script(a)]
        unspaced = [a for a in aliases if _is_unspaced_script(a)]
        # Chinese, Japanese and Korean words are not set off by spaces, so they get a pattern without
        # word boundaries of their own (one alternation of both measured several times slower).
        # An alias starts after a character that is not part of a word, and the pattern matches that
        # character too (the text gets one in front): a pattern that opens with a set of characters
        # lets the regex engine skip in C to the next place it may match, where `(?<!\w)` made it
        # try every position. (An alias that ends in a non-word character, "bloomberg l.p.", uses it
        # up, so a second alias glued to it is not seen: no text writes them so.)
        spaced_pattern = rf"\W(?:{_trie_pattern(spaced)})(?!\w)"
        unspaced_pattern = _trie_pattern(unspaced) if unspaced else None
        self._lower_patterns = _Patterns(re.compile(spaced_pattern), _compiled(unspaced_pattern, 0))
        self._ignorecase_patterns = _Patterns(
            re.compile(spaced_pattern, re.IGNORECASE), _compiled(unspaced_pattern, re.IGNORECASE)
        )

    def names_any(self, text: str) -> bool:
        """Whether any alias occurs in `text`: a quick test before `scan` for a short text."""
        patterns, source = self._patterns(text)
        if patterns.spaced.search(source) is not None:
            return True
        # Chinese, Japanese and Korean names are not ASCII (a constant-time test).
        return patterns.unspaced is not None and not source.isascii() and patterns.unspaced.search(source) is not None

    def scan(self, text: str) -> Scan:
        """Agency mentions and house sign-offs in `text`, in text order (the first MAX_HITS hits)."""
        patterns, source = self._patterns(text)
        # Offsets in `source` are one more than in `text`; a spaced match starts one early.
        spans = [(m.start(), m.end() - 1) for m in islice(patterns.spaced.finditer(source), MAX_HITS)]
        unspaced = patterns.unspaced
        if unspaced is not None and not source.isascii():
            extra = [(m.start() - 1, m.end() - 1) for m in islice(unspaced.finditer(source), MAX_HITS)]
            if extra:
                spans = sorted(spans + extra)[:MAX_HITS]
        hits: list[tuple[_Alias, Strength, int, int]] = []
        other_meaning: set[str] = set()
        for start, end in spans:
            found = text[start:end]
            for alias in self._aliases.get(found.lower().replace("\u00a0", " "), ()):
                strength = _strength(alias, found)
                if alias.kind == "other_meaning":
                    other_meaning.add(alias.code)
                elif strength is not None:
                    hits.append((alias, strength, start, end))
        return _collect(hits, other_meaning)

    def _patterns(self, text: str) -> tuple[_Patterns, str]:
        """The patterns to run and the text to run them on: `text` in lower case, after a newline."""
        lowered = text.lower()
        if len(lowered) == len(text):
            return self._lower_patterns, "\n" + lowered
        # A few characters (Turkish İ) grow when lower-cased; offsets must stay those of `text`.
        return self._ignorecase_patterns, "\n" + text


def _strength(alias: _Alias, found: str) -> Strength | None:
    if alias.kind in ("name", "false_friend", "house_trailer", "other_meaning"):
        return "strong"
    if found == alias.exact:
        return "strong" if alias.kind == "code" else "weak"
    if alias.exact.isupper() and len(alias.exact) > 1 and found == alias.exact.title():
        return "titlecase"
    return None


def _collect(hits: list[tuple[_Alias, Strength, int, int]], other_meaning: set[str]) -> Scan:
    mentions: list[Mention] = []
    trailers: list[Mention] = []
    covered_to = -1  # end of the last false friend or mention: aliases inside it are not separate mentions
    for alias, strength, start, end in hits:
        if alias.kind == "house_trailer":
            trailers.append(Mention(alias.code, start, end, strength))
            continue
        if start < covered_to:
            continue
        covered_to = end
        if alias.kind != "false_friend" and not (alias.kind == "weak" and alias.code in other_meaning):
            mentions.append(Mention(alias.code, start, end, strength))
    return Scan(tuple(mentions), tuple(trailers))


def _strings(entry: object, key: str) -> list[str]:
    if not isinstance(entry, Mapping):
        raise ValueError(f"agencies: expected a table holding {key!r}")
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"agencies: {key!r} must be a list of non-empty strings")
    return value


def _is_unspaced_script(word: str) -> bool:
    return any("\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in word)


_Trie: TypeAlias = "dict[str, _Trie]"


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of `words`, factored into a trie so that matching never backtracks
    further than the length of one alias. Longer aliases win over their prefixes."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: _Trie) -> str:
    branches = [_char(ch) + _emit(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _char(ch: str) -> str:
    # A space in an alias also matches a no-break space.
    return "[ \u00a0]" if ch == " " else re.escape(ch)


def load_registry() -> Registry:
    raw = resources.files("wirestream.core").joinpath("agencies.toml").read_text(encoding="utf-8")
    return Registry(tomllib.loads(raw))


REGISTRY = load_registry()
