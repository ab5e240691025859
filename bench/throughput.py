"""Throughput and latency of the worker beside a bare client, the peer framework and the core.

    python bench/throughput.py [--articles N] [--repeats N] [--variants abcdefg] [--corpus DIR]

Starts its own Kafka broker (a temporary KRaft node on a free port, jars from `.kafka/`), then per
repetition and variant: fresh topics, the processes under test, a warm-up message per partition,
then the processes are frozen (SIGSTOP) while N articles are published, thawed, and timed until
the last output record is written (throughput, and CPU of the processes only). Then a paced run
at half that throughput measures latency: output record's broker timestamp (LogAppendTime) minus
the input's producer timestamp. Every run checks that each input came out exactly once, as a
record or a dead letter (and, with the syndication stage, as a syndication record). Medians are
printed as a table and drawn to `bench/out/throughput.png`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import psutil  # noqa: E402
from cluster import Cluster  # noqa: E402
from report import chart, state_table, summarise, table  # noqa: E402
from run import VARIANTS, Result, load_articles, quantile, run_core, run_variant  # noqa: E402

from wirestream import __version__  # noqa: E402
from wirestream.localbroker import LocalBroker, free_port  # noqa: E402
from wirestream.settings import Settings  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
_LEGEND = (
    "art/s, MB/s: draining the backlog (input bytes); p50-p99: end-to-end latency of the paced run at\n"
    "paced/s (half the variant's art/s); CPU s/1k: CPU seconds of the processes under test per 1,000\n"
    "articles while draining (f: of the core in-process, latency = time per article); broker: the\n"
    "broker's CPU s/1k; others: cores used meanwhile by processes outside the benchmark (drain/paced).\n"
    "g: art/s until the last syndication record; p50-p99 from the enriched record to the syndication\n"
    "record (broker times); CPU of the worker and the stage together."
)
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "aeb" / "raw"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of raw article .txt files")
    parser.add_argument("--articles", type=int, default=1448, help="backlog per run (default: 8 corpus passes)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--variants", default="abcdefg", help="which of a-g to run")
    parser.add_argument("--latency-seconds", type=float, default=10.0, help="length of each paced run")
    parser.add_argument("--latency-max", type=int, default=3000, help="cap on messages per paced run")
    parser.add_argument(
        "--profile",
        choices=("pyinstrument", "cprofile"),
        help="run the processes under a profiler (bench/out/profile-*)",
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    # The driver's producer outlives each variant's topics and keeps asking the broker for them
    # after they are deleted; that is expected here, not an error.
    logging.getLogger("aiokafka.cluster").setLevel(logging.CRITICAL)

    settings = Settings()
    articles = load_articles(args.corpus, settings)
    if not articles:
        parser.error(f"no .txt articles in {args.corpus}")
    sizes = sorted(len(a.value) for a in articles)
    print(
        f"{len(articles)} articles from {args.corpus} ({sum(sizes) / 1e6:.1f} MB, median {sizes[len(sizes) // 2]:,} B, "
        f"max {sizes[-1]:,} B, {sum(a.dead for a in articles)} dead-lettered by the handler)",
        flush=True,
    )
    results = _run_all(args, articles)
    rows = summarise(results)
    header = (
        f"wirestream {__version__}: {args.articles} articles/run, {args.partitions} partitions, "
        f"medians of {args.repeats} runs; {psutil.cpu_count()} cores shared by broker, processes and driver; "
        f"Python {platform.python_version()}; linger {settings.producer_linger_ms} ms, "
        f"batch {settings.producer_batch_bytes} B, compression {settings.producer_compression}"
        + (
            f"; syndication stage: batch {settings.syndication_batch_size}, linger {settings.syndication_linger_ms} ms"
            if "g" in args.variants
            else ""
        )
    )
    print()
    print(table(rows, results, header))
    print(_LEGEND)
    if any(r.state for r in results):
        print()
        print(state_table(results))
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (args.out / f"results-{stamp}.json").write_text(
        json.dumps(
            {"header": header, "runs": [asdict(r) for r in results], "rows": [asdict(r) for r in rows]}, indent=1
        )
    )
    path = chart(rows, args.out / "throughput.png", header)
    print(f"\nchart: {path}")
    if any(r.problems for r in rows):
        sys.exit(1)


def _run_all(args: argparse.Namespace, articles: list) -> list[Result]:
    home = Path(tempfile.mkdtemp(prefix="wirestream-bench-"))
    broker = LocalBroker(home=home / "kafka", port=free_port(), cache=REPO / ".kafka")
    try:
        broker.start(timeout=180)
        return asyncio.run(_repetitions(args, articles, broker, home, home / "kafka" / "data"))
    finally:
        broker.stop()
        if os.environ.get("WIRESTREAM_BENCH_KEEP"):
            print(f"kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


async def _repetitions(
    args: argparse.Namespace, articles: list, broker: LocalBroker, home: Path, data_dir: Path
) -> list[Result]:
    cluster = Cluster(broker.bootstrap, args.partitions)
    broker_process = psutil.Process(broker.pid())
    await cluster.start()
    results: list[Result] = []
    try:
        for rep in range(1, args.repeats + 1):
            for variant in VARIANTS:
                if variant.key not in args.variants:
                    continue
                result = await run_variant(
                    cluster, variant, articles, count=args.articles, latency_s=args.latency_seconds,
                    latency_max=args.latency_max, workdir=home, broker=broker_process,
                    profile=_profile_path(args, variant.key, rep), data_dir=data_dir,
                )  # fmt: skip
                result.repetition = rep
                _progress(rep, result)
                results.append(result)
            if "f" in args.variants:
                result = run_core(articles, args.articles, Settings())
                result.repetition = rep
                _progress(rep, result)
                results.append(result)
    finally:
        await cluster.stop()
    return results


def _profile_path(args: argparse.Namespace, variant: str, rep: int) -> Path | None:
    if args.profile is None:
        return None
    args.out.mkdir(parents=True, exist_ok=True)
    return args.out / f"profile-{variant}-{rep}.{'prof' if args.profile == 'cprofile' else 'pyisession'}"


def _progress(rep: int, r: Result) -> None:
    print(
        f"run {rep} {r.variant}: {r.articles_per_s:8.1f} art/s {r.mb_per_s:6.2f} MB/s  "
        f"p50/p95/p99 {r.latency(0.5):.1f}/{r.latency(0.95):.1f}/{r.latency(0.99):.1f} ms "
        f"at {r.paced_rate:.0f}/s  CPU {r.cpu_per_1000:.2f} s/1k (broker {r.broker_cpu_per_1000:.2f}), "
        f"others {r.other_cores:.2f}/{r.paced_other_cores:.2f} cores"
        + (
            f"  input->syndication p50/p99 {quantile(r.end_to_end_ms, 0.5):.0f}/"
            f"{quantile(r.end_to_end_ms, 0.99):.0f} ms; "
            f"state {r.state.per_100k('live_bytes') / 1e6:.1f} MB/100k articles (changelogs, compacted)"
            if r.state
            else ""
        )
        + (f"  PROBLEMS: {r.problems}" if r.problems else ""),
        flush=True,
    )


if __name__ == "__main__":
    main()
