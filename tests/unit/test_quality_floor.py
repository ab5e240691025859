"""The quality floor: body F1 and credited precision and recall on both development corpora, on the
text path and on the HTML path, must not drop more than TOLERANCE below the floors recorded in
`tests/quality_floors.json`. The corpora are in-repo copies (`tests/fixtures/corpus/`), scored with
the same code as `make bench-quality`. Raise a floor when a change lifts a figure for good.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import metric  # noqa: E402
import quality_attribution  # noqa: E402
import quality_body  # noqa: E402

from wirestream.core import normalise  # noqa: E402
from wirestream.core.webpage import read_webpage  # noqa: E402

CORPORA = ROOT / "tests" / "fixtures" / "corpus"
FLOORS = json.loads((ROOT / "tests" / "quality_floors.json").read_text(encoding="utf-8"))
TOLERANCE = 0.005
CASES = [(corpus, path) for corpus in ("aeb", "fundus") for path in ("text", "html")]


def measure(corpus: str, path: str) -> dict[str, float]:
    root = CORPORA / corpus
    pages = quality_body.Corpus(root)
    if path == "text":
        body = {i: metric.match(pages.truth(i), normalise(pages.raw(i)).body) for i in pages.ids}
    else:
        body = {i: metric.match(pages.truth(i), read_webpage(pages.html(i)).article.body) for i in pages.ids}
    credited = quality_attribution.evaluate_attribution(root, path=path).scores["credited"]
    return {
        "body_f1": metric.score(body.values()).f1,
        "credited_precision": credited.precision,
        "credited_recall": credited.recall,
    }


@pytest.mark.parametrize(("corpus", "path"), CASES)
def test_quality_holds_its_floor(corpus, path):
    measured = measure(corpus, path)
    floors = FLOORS[corpus][path]
    below = {
        name: f"{measured[name]:.3f} < floor {floor:.3f}"
        for name, floor in floors.items()
        if measured[name] < floor - TOLERANCE
    }
    assert not below, f"{corpus}, {path} path: {below} (measured {measured})"


def test_every_case_has_a_floor_for_every_figure():
    for corpus, path in CASES:
        assert set(FLOORS[corpus][path]) == {"body_f1", "credited_precision", "credited_recall"}


if __name__ == "__main__":  # prints the figures to record as floors
    print(json.dumps({c: {p: measure(c, p) for p in ("text", "html")} for c in ("aeb", "fundus")}, indent=2))
