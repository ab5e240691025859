"""Medians over repetitions, the table, the ratios and the chart."""

from __future__ import annotations

import statistics
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from run import VARIANTS, Result, StageState

NAMES = dict(sorted(({v.key: f"{v.key}  {v.name}" for v in VARIANTS} | {"f": "f  core alone, in-process"}).items()))
RATIOS = (("c/b", "c", "b"), ("c/a", "c", "a"), ("d/c", "d", "c"), ("c/e", "c", "e"), ("g/c", "g", "c"))


@dataclass(frozen=True, slots=True)
class Row:
    variant: str
    runs: int
    articles_per_s: float
    mb_per_s: float
    p50: float
    p95: float
    p99: float
    paced_rate: float
    cpu_per_1000: float
    broker_cpu_per_1000: float
    other_cores: float
    paced_other_cores: float
    problems: int


def summarise(results: Sequence[Result]) -> list[Row]:
    rows = []
    for key in NAMES:
        runs = [r for r in results if r.variant == key]
        if not runs:
            continue

        def med(values: list[float]) -> float:
            return statistics.median(values)

        rows.append(
            Row(
                key,
                len(runs),
                med([r.articles_per_s for r in runs]),
                med([r.mb_per_s for r in runs]),
                med([r.latency(0.50) for r in runs]),
                med([r.latency(0.95) for r in runs]),
                med([r.latency(0.99) for r in runs]),
                med([r.paced_rate for r in runs]),
                med([r.cpu_per_1000 for r in runs]),
                med([r.broker_cpu_per_1000 for r in runs]),
                med([r.other_cores for r in runs]),
                med([r.paced_other_cores for r in runs]),
                sum(len(r.problems) for r in runs),
            )
        )
    return rows


def ratios(rows: Sequence[Row]) -> dict[str, float]:
    """Of the medians."""
    speed = {r.variant: r.articles_per_s for r in rows}
    return {name: speed[top] / speed[bottom] for name, top, bottom in RATIOS if top in speed and bottom in speed}


def paired_ratios(results: Sequence[Result]) -> dict[str, float]:
    """Median over repetitions of each repetition's own ratio: variants of one repetition ran
    back to back, so they shared more of the machine's conditions."""
    speed = {(r.repetition, r.variant): r.articles_per_s for r in results}
    reps = sorted({r.repetition for r in results})
    out = {}
    for name, top, bottom in RATIOS:
        values = [speed[n, top] / speed[n, bottom] for n in reps if (n, top) in speed and (n, bottom) in speed]
        if values:
            out[name] = statistics.median(values)
    return out


def table(rows: Sequence[Row], results: Sequence[Result], header: str) -> str:
    lines = [
        header,
        f"{'variant':<28} {'art/s':>8} {'MB/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'paced/s':>8} {'CPU s/1k':>9} {'broker':>7} {'others':>9} {'checks':>7}",
    ]
    for r in rows:
        check = "ok" if r.problems == 0 else f"{r.problems} bad"
        lines.append(
            f"{NAMES[r.variant]:<28} {r.articles_per_s:>8.1f} {r.mb_per_s:>7.2f} {r.p50:>7.1f} {r.p95:>7.1f} "
            f"{r.p99:>7.1f} {r.paced_rate:>8.1f} {r.cpu_per_1000:>9.2f} {r.broker_cpu_per_1000:>7.2f} "
            f"{f'{r.other_cores:.2f}/{r.paced_other_cores:.2f}':>9} {check:>7}"
        )
    lines.append("ratios of the medians (articles/s): " + "  ".join(f"{k} = {v:.2f}" for k, v in ratios(rows).items()))
    lines.append(
        "medians of per-run ratios:          " + "  ".join(f"{k} = {v:.2f}" for k, v in paired_ratios(results).items())
    )
    return "\n".join(lines)


def state_table(results: Sequence[Result]) -> str:
    """The stage's state after each run, per 100,000 articles (the run's bytes / its articles x
    100,000), medians over the runs; per topic kind."""
    states: list[StageState] = [r.state for r in results if r.state]
    lines = [
        f"syndication stage state after each run ({', '.join(str(s.articles) for s in states)} articles), "
        "MB per 100,000 articles, median of runs:",
        f"{'topics':<28} {'records/art':>11} {'written':>9} {'on disk':>9} {'compacted':>10}",
    ]

    def med(kind: str, attr: str) -> float:
        return statistics.median(s.per_100k(attr, kind) for s in states) / 1e6

    for kind, name in (("changelogs", "changelogs ({} tables)"), ("internal", "internal topics ({})")):
        label = name.format(len(getattr(states[0], kind)))
        per_article = statistics.median(sum(t.records for t in getattr(s, kind)) / s.articles for s in states)
        compacted = f"{med(kind, 'live_bytes'):>10.1f}" if kind == "changelogs" else f"{'-':>10}"
        lines.append(
            f"{label:<28} {per_article:>11.1f} {med(kind, 'bytes'):>9.1f} {med(kind, 'disk_bytes'):>9.1f} {compacted}"
        )
    by_table: dict[str, list[float]] = {}
    for s in states:
        for t in s.changelogs:
            table_name = t.name.rsplit("-syndication-", 1)[-1].removesuffix("-changelog")
            by_table.setdefault(table_name, []).append(t.live_bytes / s.articles * 100_000 / 1e6)
    lines.append(
        "compacted, per table: " + "  ".join(f"{k} {statistics.median(v):.1f}" for k, v in sorted(by_table.items()))
    )
    lines.append(
        "written: every record's key + value, uncompressed; on disk: the broker's log segments (compressed as\n"
        "sent, before compaction); compacted: the latest value per key without tombstones, i.e. what a\n"
        "compacted changelog keeps and a restoring worker reads."
    )
    return "\n".join(lines)


def chart(rows: Sequence[Row], path: Path, title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (speed, latency) = plt.subplots(1, 2, figsize=(13, 5))
    labels = [NAMES[r.variant] for r in rows]
    speed.barh(labels, [r.articles_per_s for r in rows], color="tab:blue")
    speed.set_xscale("log")
    speed.set_xlim(left=10, right=6 * max(r.articles_per_s for r in rows))  # room for the labels
    speed.set_xlabel("articles/s (median, log scale)")
    speed.invert_yaxis()
    for n, r in enumerate(rows):
        speed.text(r.articles_per_s, n, f" {r.articles_per_s:,.0f}/s, {r.mb_per_s:.1f} MB/s", va="center", fontsize=8)
    timed = [r for r in rows if r.variant != "f"]
    width = 0.27
    for n, (q, colour) in enumerate((("p50", "tab:green"), ("p95", "tab:orange"), ("p99", "tab:red"))):
        latency.bar(
            [i + (n - 1) * width for i in range(len(timed))],
            [getattr(r, q) for r in timed],
            width,
            label=q,
            color=colour,
        )
    latency.set_xticks(range(len(timed)), [r.variant for r in timed])
    latency.set_ylabel("end-to-end latency, ms (median of runs)")
    latency.set_title("at half of each variant's max throughput", fontsize=9)
    latency.legend()
    fig.suptitle(textwrap.fill(title, 150), fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
