"""The furniture words as data (furniture.toml): checked on load, one kind per phrase."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from importlib import resources

import pytest

from wirestream.core import furniture
from wirestream.core.furniture import Furniture, FurnitureWords


def packaged_data() -> dict:
    return tomllib.loads(resources.files("wirestream.core").joinpath("furniture.toml").read_text(encoding="utf-8"))


def test_the_packaged_file_loads_and_is_what_the_module_uses() -> None:
    words = FurnitureWords(packaged_data())
    assert dict(words.line_kinds) == dict(furniture.LINE_KINDS)
    assert words.phrase_kind == furniture.WORDS.phrase_kind


def test_every_phrase_of_the_packaged_file_has_exactly_one_kind() -> None:
    data = packaged_data()
    kinds: dict[str, set[str]] = defaultdict(set)
    for table in ("lines", "sections", "phrases"):
        for kind, phrases in data[table].items():
            for phrase in phrases:
                kinds[phrase].add(kind)
    assert {phrase: found for phrase, found in kinds.items() if len(found) != 1} == {}


def _minimal(**tables: dict) -> dict:
    data: dict = {"lines": {}, "sections": {}, "phrases": {}, "words": {}, "guess": {}}
    data.update(tables)
    return data


@pytest.mark.parametrize(
    "data",
    [
        _minimal(lines={"share": ["comments"]}, sections={"comments": ["comments"]}),
        _minimal(lines={"widget": ["leer más"], "navigation": ["leer más"]}),
        _minimal(phrases={"cookie": ["we use cookies"], "legal": ["we use cookies"]}),
        _minimal(lines={"legal": ["privacy policy"]}, phrases={"newsletter": ["privacy policy"]}),
    ],
    ids=["line-and-section", "two-line-kinds", "two-phrase-kinds", "line-and-phrase"],
)
def test_a_phrase_with_two_kinds_is_refused_on_load(data: dict) -> None:
    with pytest.raises(ValueError, match="more than one kind"):
        FurnitureWords(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_minimal(lines={"menu": ["home"]}), "unknown kind 'menu'"),
        (_minimal(lines={"navigation": ["Home"]}), "lower case"),
        (_minimal(lines={"navigation": ["home", "home"]}), "twice"),
        (_minimal(lines={"navigation": "home"}), "list of non-empty strings"),
        (_minimal(lines={"navigation": [""]}), "list of non-empty strings"),
        (_minimal(lines=["home"]), r"\[lines\] must be a table"),
        (_minimal(words={"button_words": [3]}), "button_words"),
    ],
)
def test_malformed_data_is_refused_with_the_entry_named(data: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FurnitureWords(data)


def test_the_same_phrase_as_line_and_phrase_of_the_same_kind_is_allowed() -> None:
    words = FurnitureWords(_minimal(lines={"legal": ["privacy policy"]}, phrases={"legal": ["privacy policy"]}))
    assert words.line_kinds["privacy policy"] == Furniture("legal")
    assert words.phrase_kind["privacy policy"] == "legal"


def test_a_data_file_drives_the_patterns() -> None:
    words = FurnitureWords(
        _minimal(
            sections={"related": ["les også"]},
            phrases={"newsletter": ["meld deg på"]},
            words={"teaser_prefixes": ["les også"], "comment_count_nouns": ["kommentarer"]},
        )
    )
    assert words.line_kinds["les også"] == Furniture("related", opens_section=True)
    assert words.phrase.search(" meld deg på nyhetsbrevet") is not None
    assert words.teaser_prefix.match("les også: solskjær til united") is not None
    assert words.comments_heading.match("12 kommentarer") is None  # no linker word given


@pytest.mark.parametrize(
    ("line", "kind", "opens_section"),
    [
        ("Comments", "comments", True),  # a section heading wins over the share button of the same word
        ("Leer más", "related", True),
        ("Leia mais", "related", True),
        ("Read more", "widget", False),
    ],
)
def test_lines_listed_once_keep_the_kind_they_had(line: str, kind: str, opens_section: bool) -> None:
    assert furniture.classify(line) == Furniture(kind, opens_section)
