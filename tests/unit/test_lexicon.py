"""Every word of the shared lexicon does its job in both readers: the normaliser keeps the line and the
tagger reads it the same way. One case per phrase, in the phrase's own words."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from wirestream.core import normalise, tag
from wirestream.core.lexicon import FAMILIES, LEXICON, parse_lexicon

from .test_attribution_conventions import EN, MENU_EN, page

RAW = tomllib.loads(resources.files("wirestream.core").joinpath("lexicon.toml").read_text(encoding="utf-8"))


def phrases(family: str) -> list[str]:
    return list(LEXICON.families[family])


def result_of(head: list[str], body: tuple[str, ...] = EN, tail: list[str] = ()):  # type: ignore[assignment]
    return tag(normalise(page("Grid expansion to speed up", head, body, list(tail), MENU_EN)))


def test_the_lexicon_file_loads_with_every_family():
    assert set(RAW) == set(FAMILIES)
    assert parse_lexicon(RAW).families == LEXICON.families


@pytest.mark.parametrize("phrase", phrases("credit_phrases"))
def test_a_credit_phrase_closing_the_text_credits_the_agency(phrase):
    line = f"{phrase.capitalize()} Agence France-Presse"
    assert result_of(["By Jane Roe"], tail=[line]).credited == ["AFP"]


@pytest.mark.parametrize("label", phrases("source_labels"))
def test_a_source_label_closing_the_text_credits_the_agency(label):
    line = f"{label.capitalize()}: Agence France-Presse"
    assert result_of(["By Jane Roe"], tail=[line]).credited == ["AFP"]


@pytest.mark.parametrize("phrase", phrases("credit_after"))
def test_a_phrase_after_the_agency_credits_it(phrase):
    line = f"Agence France-Presse {phrase} to this report." if phrase[0].isascii() else f"AFP {phrase}"
    assert result_of(["By Jane Roe"], tail=[line]).credited == ["AFP"]


@pytest.mark.parametrize("word", phrases("with_words"))
def test_a_paper_with_the_agency_on_its_own_line_credits_it(word):
    assert result_of(["By Jane Roe"], tail=[f"Redaktion {word} AFP"]).credited == ["AFP"]


@pytest.mark.parametrize("word", phrases("by_words"))
def test_a_by_word_before_the_agency_is_a_byline(word):
    assert result_of([f"{word.capitalize()} AFP"]).credited == ["AFP"]


@pytest.mark.parametrize("month", phrases("months"))
def test_an_agency_over_a_date_is_a_byline(month):
    assert result_of(["AFP", f"19 {month.capitalize()} 2024, 10:05"]).credited == ["AFP"]


@pytest.mark.parametrize("word", phrases("timestamp_words"))
def test_an_agency_over_a_timestamp_line_is_a_byline(word):
    assert result_of(["Agence France-Presse", f"{word.capitalize()} 10:05"]).credited == ["AFP"]


@pytest.mark.parametrize("word", phrases("photo_words"))
def test_a_photo_word_makes_a_picture_credit(word):
    caption = f"Ministers meet in the capital on Tuesday. {word.capitalize()}: AFP"
    result = result_of(["By Jane Roe"], body=(EN[0], caption, EN[1], EN[2]))
    assert result.credited == [] and result.photo == ["AFP"]


@pytest.mark.parametrize("source", phrases("picture_sources"))
def test_a_picture_source_makes_a_picture_credit(source):
    caption = f"Jane Doe / {source.title()} / AFP"
    result = result_of(["By Jane Roe"], body=(EN[0], caption, EN[1], EN[2]))
    assert result.credited == [] and result.photo == ["AFP"]


REPORTED = "Oil prices fall as demand slows, Reuters reported"


def test_a_sentence_naming_the_agency_as_its_source_cites_it():
    assert result_of(["By Jane Roe"], body=(EN[0], EN[1], REPORTED, EN[2])).cited == ["Reuters"]


@pytest.mark.parametrize("prefix", phrases("teaser_prefixes"))
def test_a_teaser_for_another_story_names_no_agency(prefix):
    teaser = f"{prefix.capitalize()}: {REPORTED}"
    assert result_of(["By Jane Roe"], body=(EN[0], EN[1], teaser, EN[2])).agencies == []


@pytest.mark.parametrize("word", phrases("commentary_words"))
def test_an_agency_under_an_opinion_byline_credits_the_picture(word):
    result = result_of([f"{word.capitalize()} by Jane Roe", "AFP", "Protesters outside parliament on Tuesday."])
    assert result.credited == [] and result.photo == ["AFP"]


@pytest.mark.parametrize("word", phrases("newsroom_words"))
def test_the_newsroom_and_an_agency_make_a_byline(word):
    assert result_of([f"{word.capitalize()} / AFP"]).credited == ["AFP"]
