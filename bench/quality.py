"""`make bench-quality`: cleaning and attribution quality on the extraction-benchmark corpus.

    python bench/quality.py [--corpus ../shared/corpus/aeb]

Prints, side by side: body F1 / precision / recall for the raw text, our text-only cleaning,
our HTML path and the published trafilatura output (the benchmark's own metric); attribution
precision and recall per role against the labels, with every miss and false credit; the core's
throughput in MB/s of raw text on one core; and the time of each 1 MB pathological input.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=quality_body.DEFAULT_CORPUS)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if not (args.corpus / "labels.jsonl").exists():
        raise SystemExit(f"no corpus at {args.corpus} (pass --corpus)")

    print(f"corpus: {args.corpus}\n\nBody extraction (AEB metric: 4-token shingles, per-document P/R averaged)")
    quality_body.print_table(quality_body.evaluate_body(args.corpus))

    print("\nAttribution")
    print(quality_attribution.format_report(quality_attribution.evaluate_attribution(args.corpus)))

    megabytes, seconds = core_throughput(args.corpus, args.repeats)
    print(f"\nCore throughput, one core (CPU time, best of {args.repeats}):")
    print(f"  normalise + tag on raw/   {megabytes:.2f} MB in {seconds:.3f} s = {megabytes / seconds:.1f} MB/s")
    for speed in quality_body.throughput(args.corpus, repeats=args.repeats):
        print(f"  {speed.path:<24}  {speed.megabytes:.2f} MB in {speed.seconds:.3f} s = {speed.mb_per_s:.1f} MB/s")

    print("\nPathological 1 MB inputs, normalise + tag (limit 1 s each):")
    for name, make in PATHOLOGICAL.items():
        text = make()
        started = time.process_time()
        tag(normalise(text))
        elapsed = time.process_time() - started
        print(f"  {name:<28} {elapsed:6.3f} s  {'ok' if elapsed < 1 else 'OVER'}")


if __name__ == "__main__":
    main()
