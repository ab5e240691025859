"""Body-extraction quality and normaliser throughput on the AEB development corpus.

    python bench/quality_body.py [--corpus /work/shared/corpus/aeb] [--worst N] [--repeats N]

Scores each system's article body against `truth/` with the extraction benchmark's metric
(`bench/metric.py`): raw page text unchanged, our text-only cleaning of `raw/`, our HTML path on
`html/`, and the published trafilatura and rs-trafilatura outputs in `anchors/`. Then times the
normaliser on `raw/` (one core, best of several repeats).

`evaluate_body()` and `throughput()` return table rows for other reports to print.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import metric  # noqa: E402

from wirestream.core import normalise, normalise_html  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "aeb"


@dataclass(frozen=True, slots=True)
class Row:
    system: str
    f1: float
    precision: float
    recall: float
    documents: int


@dataclass(frozen=True, slots=True)
class Speed:
    path: str
    megabytes: float
    seconds: float

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds


class Corpus:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.ids = sorted(p.name.removesuffix(".txt") for p in (root / "truth").glob("*.txt"))
        if not self.ids:
            raise SystemExit(f"no truth/*.txt under {root}")

    def truth(self, doc_id: str) -> str:
        return (self.root / "truth" / f"{doc_id}.txt").read_text(encoding="utf-8")

    def raw(self, doc_id: str) -> str:
        return (self.root / "raw" / f"{doc_id}.txt").read_text(encoding="utf-8")

    def html(self, doc_id: str) -> str:
        with gzip.open(self.root / "html" / f"{doc_id}.html.gz", "rt", encoding="utf-8") as f:
            return f.read()

    def anchor(self, name: str) -> dict[str, str | None] | None:
        path = self.root / "anchors" / f"{name}.json"
        if not path.exists():
            return None
        output = json.loads(path.read_text(encoding="utf-8"))["output"]
        return {k: v.get("articleBody") for k, v in output.items()}


def systems(corpus: Corpus) -> Iterator[tuple[str, Callable[[str], str | None]]]:
    yield "raw text, unchanged", corpus.raw
    yield "wirestream text-only (raw/)", lambda i: normalise(corpus.raw(i)).body
    yield "wirestream HTML path (html/)", lambda i: normalise_html(corpus.html(i)).body
    for name in ("trafilatura", "rs_trafilatura"):
        anchor = corpus.anchor(name)
        if anchor is not None:
            yield f"{name} (published)", anchor.get


def per_document(corpus: Corpus, predict: Callable[[str], str | None]) -> dict[str, metric.Counts]:
    return {i: metric.match(corpus.truth(i), predict(i)) for i in corpus.ids}


def evaluate_body(root: Path = DEFAULT_CORPUS) -> list[Row]:
    corpus = Corpus(root)
    rows = []
    for name, predict in systems(corpus):
        s = metric.score(per_document(corpus, predict).values())
        rows.append(Row(name, s.f1, s.precision, s.recall, len(corpus.ids)))
    return rows


def throughput(root: Path = DEFAULT_CORPUS, *, repeats: int = 5, html: bool = True) -> list[Speed]:
    corpus = Corpus(root)
    raws = [corpus.raw(i) for i in corpus.ids]
    speeds = [_time("normalise(raw/)", raws, normalise, repeats)]
    if html:
        pages = [corpus.html(i) for i in corpus.ids]
        speeds.append(_time("normalise_html(html/)", pages, normalise_html, max(1, repeats // 2)))
    return speeds


def _time(label: str, inputs: list[str], fn: Callable[[str], object], repeats: int) -> Speed:
    megabytes = sum(len(x.encode("utf-8")) for x in inputs) / 1e6
    for x in inputs[:3]:
        fn(x)  # warm up: imports, language model, regex caches
    best = float("inf")
    for _ in range(repeats):
        # CPU time of this process: on a shared machine, wall time also counts the neighbours.
        t0 = time.process_time()
        for x in inputs:
            fn(x)
        best = min(best, time.process_time() - t0)
    return Speed(label, megabytes, best)


def print_table(rows: list[Row]) -> None:
    print(f"{'system':<32} {'F1':>6} {'precision':>10} {'recall':>7} {'docs':>5}")
    for r in rows:
        print(f"{r.system:<32} {r.f1:>6.3f} {r.precision:>10.3f} {r.recall:>7.3f} {r.documents:>5}")


def print_worst(root: Path, n: int) -> None:
    corpus = Corpus(root)
    for label, predict in (
        ("text-only", lambda i: normalise(corpus.raw(i)).body),
        ("html", lambda i: normalise_html(corpus.html(i)).body),
    ):
        counts = per_document(corpus, predict)
        worst = sorted(counts.items(), key=lambda kv: kv[1].tp)[:n]
        print(f"\nworst {n} documents, {label}:")
        for doc_id, c in worst:
            print(f"  {doc_id[:12]}  P={metric.precision(c):.2f} R={metric.recall(c):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeats", type=int, default=5, help="timing repeats; the best is reported")
    parser.add_argument("--worst", type=int, default=0, help="also list the N worst documents per path")
    args = parser.parse_args()
    print(f"corpus: {args.corpus}\n")
    print_table(evaluate_body(args.corpus))
    print("\nthroughput (one core, CPU time, best of repeats):")
    for s in throughput(args.corpus, repeats=args.repeats):
        print(f"  {s.path:<24} {s.megabytes:6.2f} MB in {s.seconds:6.3f} s = {s.mb_per_s:6.1f} MB/s")
    if args.worst:
        print_worst(args.corpus, args.worst)


def html_stages(root: Path = DEFAULT_CORPUS) -> tuple[int, dict[str, float], float]:
    """Pages, CPU seconds per stage of the HTML path as `read_webpage` runs it then `tag`, and the
    CPU seconds of the HTML path before it read the whole page (extractor + tag of its article)."""
    from wirestream.core import tag
    from wirestream.core.html import html_to_text, parse_html, visible_text
    from wirestream.core.normalise import normalise_lines
    from wirestream.core.pagemeta import read_page_metadata
    from wirestream.core.text import clean_lines
    from wirestream.core.webpage import headline

    corpus = Corpus(root)
    pages = [corpus.html(i) for i in sorted(p.name.removesuffix(".html.gz") for p in (root / "html").glob("*.gz"))]
    for html in pages[:3]:
        tag(normalise_html(html))  # warm up
    stages = dict.fromkeys(
        (
            "parse",
            "page metadata",
            "visible text",
            "normalise page text",
            "extract article",
            "normalise article",
            "tag",
        ),
        0.0,
    )
    clock = time.process_time
    for html in pages:
        t0 = clock()
        tree = parse_html(html)
        t1 = clock()
        metadata = read_page_metadata(tree)
        t2 = clock()
        text = visible_text(tree)
        t3 = clock()
        page = normalise(text)
        t4 = clock()
        extracted = html_to_text(html, tree=tree, title=headline(metadata))
        t5 = clock()
        normalise_lines(clean_lines(extracted), extracted=True)
        t6 = clock()
        tag(page, metadata=metadata.credits)
        t7 = clock()
        for name, (a, b) in zip(
            stages, ((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6), (t6, t7)), strict=True
        ):
            stages[name] += b - a
    t0 = clock()
    for html in pages:  # the HTML path before it read the whole page: extractor (with its own title pass) + tag
        tag(normalise_lines(clean_lines(html_to_text(html)), extracted=True))
    before = clock() - t0
    return len(pages), stages, before


def print_html_stages(root: Path) -> None:
    n, stages, before = html_stages(root)
    total = sum(stages.values())
    print(f"HTML path per stage on {root.name}, {n} pages, one core (CPU time):")
    for name, seconds in stages.items():
        print(f"  {name:<28} {1000 * seconds / n:7.2f} ms/page")
    print(f"  {'all (read_webpage + tag)':<28} {1000 * total / n:7.2f} ms/page = {n / total:5.1f} pages/s")
    print(
        f"  {'extractor + tag alone':<28} {1000 * before / n:7.2f} ms/page = {n / before:5.1f} pages/s "
        "(the HTML path's shape before it read the whole page, with today's extractor, same run)"
    )


if __name__ == "__main__":
    main()
