"""The metadata quality floor: publication date, title and authors on the fundus pages that carry
the publishers' expected values, on the HTML path and on the text path, must not drop more than
TOLERANCE below `tests/quality_floors.json` ("metadata"). Scored with `bench/quality_metadata.py`
(the metric of `make bench-quality`) on the in-repo copy of the corpus. Raise a floor when a change
lifts a figure for good.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import quality_metadata  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "fundus"
FLOORS = json.loads((ROOT / "tests" / "quality_floors.json").read_text(encoding="utf-8"))["metadata"]["fundus"]
TOLERANCE = 0.005
PATHS = {"html": quality_metadata.wirestream_html, "text": quality_metadata.wirestream_text}


@pytest.fixture(scope="module")
def pages() -> list[quality_metadata.Page]:
    return [p for p in quality_metadata.load_pages(CORPUS) if p.title or p.date or p.authors is not None]


@pytest.mark.parametrize("path", sorted(PATHS))
def test_metadata_holds_its_floor(pages, path):
    row = quality_metadata.score("wirestream", path, pages, PATHS[path])
    measured = {
        "date": row.date,
        "title": row.title,
        "authors_f1": row.authors,
        "authors_people": row.people,
        "no_false_authors": row.no_false_authors,
    }
    assert set(measured) == set(FLOORS[path])
    below = {
        name: f"{measured[name]:.3f} < floor {floor:.3f}"
        for name, floor in FLOORS[path].items()
        if measured[name] is None or measured[name] < floor - TOLERANCE
    }
    assert not below, f"fundus, {path} path: {below} (measured {measured})"


def _page(authors: tuple[str, ...]) -> quality_metadata.Page:
    return quality_metadata.Page(
        id="x", publisher="DailyExample", url="https://www.dailyexample.com/a", crawled=None,  # type: ignore[arg-type]
        html="<html><head><meta property='og:site_name' content='Daily Example'></head></html>",
        text="", title=None, authors=authors, date=None,
    )  # fmt: skip


def test_authors_misses_are_grouped_by_what_went_wrong():
    cause = quality_metadata.cause
    assert cause(_page(("Daily Example",)), ()) == "site or newsroom expected, none found"
    assert cause(_page(("Daily Example",)), ("Jane Doe",)) == "site or newsroom expected, a person found"
    assert cause(_page(("Jane Doe", "Daily Example")), ("Jane Doe",)) == (
        "people right; the expected list also names the site or a newsroom"
    )
    assert cause(_page(("Jane Doe",)), ()) == "no byline found"
    assert cause(_page(("Jane Doe",)), ("John Roe",)) == "other names found"
    assert cause(_page(("Jane Doe", "John Roe")), ("Jane Doe",)) == "one or more names missing"
    assert cause(_page(("Jane Doe",)), ("Jane Doe", "John Roe")) == "one or more names too many"
    assert cause(_page(("박준석 기자 외 1명",)), ("박준석",)) == "same people written otherwise"
