"""`make bench-quality`: cleaning and attribution quality on the development corpora.

    python bench/quality.py [--corpus ../shared/corpus/aeb --corpus ../shared/corpus/fundus]

For each corpus (by default both development corpora beside the repository): body F1 / precision /
recall for the raw text, our text-only cleaning, our HTML path and the published extractor outputs
where the corpus has them (the extraction benchmark's own metric); attribution precision and recall
per role on the text path and on the HTML path, credited per language, with every miss and false
credit; then the core's throughput in MB/s on one core and the time of each 1 MB pathological input.

These corpora are in-sample: the cleaning and attribution rules and their tests were written from
these pages, so their figures are not out-of-sample accuracy.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quality_attribution  # noqa: E402
import quality_body  # noqa: E402
import quality_metadata  # noqa: E402

from wirestream.core import normalise, tag  # noqa: E402

MB = 1_000_000
PATHOLOGICAL: dict[str, Callable[[], str]] = {
    "one character repeated": lambda: "a" * MB,
    "run of '('": lambda: "(" * MB,
    "run of spaces": lambda: "x" + " " * (MB - 2) + "x",
    "'Reuters Reuters ...'": lambda: ("Reuters " * (MB // 8 + 1))[:MB],
    "single 1 MB line of prose": lambda: ("The minister said the talks would resume. " * (MB // 42 + 1))[:MB],
    "a million empty lines": lambda: "\n" * MB,
    "'(AP) — ' repeated": lambda: ("(AP) — " * (MB // 7 + 1))[:MB],
    "'By ' lines": lambda: ("By\n" * (MB // 3 + 1))[:MB],
}


def core_throughput(corpus: Path, repeats: int) -> tuple[float, float]:
    """(MB, best seconds) of normalise + tag over the raw texts, on one core."""
    raws = [p.read_text(encoding="utf-8") for p in sorted((corpus / "raw").glob("*.txt"))]
    megabytes = sum(len(r.encode()) for r in raws) / MB
    for raw in raws[:5]:
        tag(normalise(raw))
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        for raw in raws:
            tag(normalise(raw))
        best = min(best, time.process_time() - started)
    return megabytes, best


IN_SAMPLE = (
    "In-sample: the aeb and fundus pages scored here are the pages the cleaning and attribution rules and their\n"
    "tests were written from, so these figures show how well the rules fit those pages, not their accuracy on\n"
    "pages they have not seen."
)
CORPORA = [quality_body.DEFAULT_CORPUS, quality_body.DEFAULT_CORPUS.parent / "fundus"]


def summary(reports: list[quality_attribution.AttributionReport]) -> str:
    lines = [f"{'corpus':<8}{'path':<6}{'credited P':>11}{'R':>7}{'cited P':>9}{'R':>7}{'photo P':>9}{'R':>7}"]
    for r in reports:
        c, ci, ph = (r.scores[role] for role in quality_attribution.ROLES)
        lines.append(
            f"{r.corpus:<8}{r.path:<6}{c.precision:>11.3f}{c.recall:>7.3f}{ci.precision:>9.3f}{ci.recall:>7.3f}"
            f"{ph.precision:>9.3f}{ph.recall:>7.3f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", help="a corpus folder (repeatable)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    corpora = args.corpus or CORPORA
    for corpus in corpora:
        if not (corpus / "labels.jsonl").exists():
            raise SystemExit(f"no corpus at {corpus} (pass --corpus)")
    print(IN_SAMPLE)

    reports = []
    for corpus in corpora:
        print(f"\n=== corpus: {corpus}\n\nBody extraction (AEB metric: 4-token shingles, per-document P/R averaged)")
        quality_body.print_table(quality_body.evaluate_body(corpus))
        for path in ("text", "html"):
            report = quality_attribution.evaluate_attribution(corpus, path=path)
            reports.append(report)
            print(f"\nAttribution, {path} path")
            print(quality_attribution.format_report(report))
        if (corpus / "docs.jsonl").exists():
            print()
            print(quality_metadata.format_rows(quality_metadata.evaluate_metadata(corpus)))

    print("\n=== Attribution summary (in-sample)\n" + summary(reports))

    corpus = corpora[0]
    megabytes, seconds = core_throughput(corpus, args.repeats)
    print(f"\nCore throughput on {corpus.name}, one core (CPU time, best of {args.repeats}):")
    print(f"  normalise + tag on raw/   {megabytes:.2f} MB in {seconds:.3f} s = {megabytes / seconds:.1f} MB/s")
    for corpus in corpora:
        print()
        quality_body.print_html_stages(corpus)
    print()
    for corpus in corpora:
        for speed in quality_body.throughput(corpus, repeats=args.repeats):
            print(
                f"  {corpus.name:<7} {speed.path:<24}  {speed.megabytes:.2f} MB in {speed.seconds:.3f} s = "
                f"{speed.mb_per_s:.1f} MB/s"
            )

    print("\nPathological 1 MB inputs, normalise + tag (limit 1 s each):")
    for name, make in PATHOLOGICAL.items():
        text = make()
        started = time.process_time()
        tag(normalise(text))
        elapsed = time.process_time() - started
        print(f"  {name:<28} {elapsed:6.3f} s  {'ok' if elapsed < 1 else 'OVER'}")


if __name__ == "__main__":
    main()
