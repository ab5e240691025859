"""Properties of `tag` on any input: it never raises, is deterministic, its evidence indexes the text,
and its cost stays linear on pathological input."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirestream.core import normalise, tag
from wirestream.core.document import Block, NormalisedText
from wirestream.schemas.attribution import Attribution

# Pieces of credit shapes, so that random text reaches the interesting code paths.
FRAGMENTS = [
    "Reuters",
    "REUTERS",
    "AP",
    "Ap",
    "AFP",
    "dpa",
    "DPA",
    "PTI",
    "Associated Press",
    "Agence France-Presse",
    "Thomson Reuters",
    "Bloomberg",
    "Xinhua News Agency",
    "ТАСС",
    "新华社",
    "İ",
    "(",
    ")",
    "[",
    "]",
    "/",
    "|",
    " ",
    "  ",
    "\n",
    "\n\n",
    ".",
    ",",
    ":",
    ";",
    " - ",
    " — ",
    "--",
    "©",
    "By ",
    "Von ",
    "Photo: ",
    "Foto: ",
    "via ",
    "Getty Images",
    "With reporting by ",
    "Mit Material von ",
    "Editing by ",
    "Reporting by X; ",
    "told ",
    "according to ",
    " reported",
    "news agency ",
    "WASHINGTON ",
    "Berlin ",
    "Published 9:02 AM",
    "Nov. 19, 2019",
    "lno",
    "https://",
    "www.",
    "@",
    "*",
    "\u00a0",
    "a",
    "The",
    "said on Tuesday.",
]
agency_text = st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join)
any_text = st.one_of(st.text(max_size=400), agency_text)
kinds = st.sampled_from(["title", "standfirst", "byline", "dateline", "body", "caption", "credit"])


@st.composite
def documents(draw: st.DrawFn) -> NormalisedText:
    """Any NormalisedText, including blocks that do not fit the text."""
    text = draw(any_text)
    n = len(text)
    offsets = st.integers(min_value=-5, max_value=n + 5)
    blocks = draw(st.lists(st.builds(Block, kinds, offsets, offsets), max_size=12))
    return NormalisedText(text=text, blocks=tuple(blocks))


def assert_well_formed(doc: NormalisedText, result: Attribution) -> None:
    lists = (result.credited, result.cited, result.photo)
    for codes in lists:
        assert codes == sorted(set(codes))
    assert not (
        set(result.credited) & set(result.cited)
        or set(result.credited) & set(result.photo)
        or set(result.cited) & set(result.photo)
    )
    assert result.is_wire_copy == bool(result.credited)
    assert sorted(a.code for a in result.agencies) == sorted(result.credited + result.cited + result.photo)
    for agency in result.agencies:
        assert agency.code in getattr(result, agency.role)
        for e in agency.evidence:
            assert 0 <= e.start <= e.end <= len(doc.text)
            assert doc.text[e.start : e.end] == e.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_tag_never_raises_on_normalised_text_and_is_deterministic(raw):
    doc = normalise(raw)
    result = tag(doc)
    assert_well_formed(doc, result)
    assert tag(doc) == result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_tag_never_raises_on_any_document(doc):
    result = tag(doc)
    assert_well_formed(doc, result)
    assert tag(doc) == result


def test_json_round_trip():
    doc = normalise("BERLIN (dpa) - Die Regierung hat am Mittwoch den Haushalt beschlossen, sagte ein Sprecher.")
    result = tag(doc)
    assert result.credited == ["dpa"]
    assert Attribution.model_validate_json(result.model_dump_json()) == result


MB = 1_000_000
SENTENCE = "The minister told Reuters on Tuesday that the plan, according to AFP, will go ahead. "
PATHOLOGICAL = {
    "one character": "a" * MB,
    "capitals": "A" * MB,
    "open brackets": "(" * MB,
    "spaces": " " * MB,
    "full stops": "." * MB,
    "newlines": "\n" * MB,
    "agency name": "Reuters " * (MB // 8),
    "agency name lines": "Reuters\n" * (MB // 8),
    "abbreviation lines": "AP\n" * (MB // 3),
    "bracketed tags": "(AP) " * (MB // 5),
    "slashed tags": "AP/" * (MB // 3),
    "datelines": "WASHINGTON (AP) — " * (MB // 18),
    "bylines": "By Reuters\n" * (MB // 11),
    "place words": "ST. " * (MB // 4),
    "copyright signs": "© " * (MB // 2),
    "cues": "told the state news agency " * (MB // 27) + "INA",
    "one long line": SENTENCE * (MB // len(SENTENCE)),
    "a million short lines": "x\n" * (MB // 2),
}


def _by_lines(text: str) -> NormalisedText:
    blocks, pos = [], 0
    for part in text.split("\n"):
        if part:
            blocks.append(Block("body", pos, pos + len(part)))
        pos += len(part) + 1
    return NormalisedText(text=text, blocks=tuple(blocks))


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
@pytest.mark.parametrize("layout", ["one block", "a block per line"])
def test_pathological_megabyte_is_tagged_quickly(name, layout):
    text = PATHOLOGICAL[name]
    doc = NormalisedText(text=text, blocks=(Block("body", 0, len(text)),)) if layout == "one block" else _by_lines(text)
    started = time.perf_counter()
    result = tag(doc)
    elapsed = time.perf_counter() - started
    assert_well_formed(doc, result)
    # Linear work takes well under a second here; the bound is loose for a busy machine, and
    # catastrophic backtracking would take minutes.
    assert elapsed < 3.0, f"{name}: {elapsed:.2f}s"
