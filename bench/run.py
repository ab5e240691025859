"""One repetition of one variant: drain a published backlog, then a paced run for latency."""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil
from cluster import Cluster, Output, Topics
from procs import Processes

from wirestream.enrich import InputMessage
from wirestream.handler import MessageHandler
from wirestream.localbroker import free_port
from wirestream.settings import Settings

BENCH = Path(__file__).resolve().parent
DRIVER = psutil.Process()
READY_TIMEOUT_S = 120.0
DRAIN_TIMEOUT_S = 600.0


@dataclass(frozen=True, slots=True)
class Variant:
    key: str
    name: str
    argv: tuple[str, ...]
    processes: int = 1
    copies: bool = False  # writes every input unchanged to the enriched topic, no dead letters
    scale: int = 1  # backlog multiplier, so that fast variants are timed over a few seconds too


VARIANTS = (
    Variant("a", "aiokafka copy (ceiling)", (sys.executable, str(BENCH / "bare.py"), "copy"), copies=True, scale=4),
    Variant("b", "aiokafka batch + core", (sys.executable, str(BENCH / "bare.py"), "enrich")),
    Variant("c", "wirestream Faust x1", (sys.executable, "-m", "wirestream", "worker")),
    Variant("d", "wirestream Faust x2", (sys.executable, "-m", "wirestream", "worker"), processes=2),
    Variant("e", "quixstreams + core", (sys.executable, str(BENCH / "peer_quix.py"))),
)


@dataclass(frozen=True, slots=True)
class Article:
    name: str
    value: bytes
    dead: bool  # the handler dead-letters it


@dataclass
class Result:
    variant: str
    articles: int
    megabytes: float
    seconds: float
    cpu_seconds: float
    broker_cpu_seconds: float = 0.0
    other_cpu_seconds: float = 0.0  # used meanwhile by processes outside the benchmark
    latencies_ms: list[float] = field(default_factory=list)
    paced_rate: float = 0.0
    paced_other_cores: float = 0.0
    repetition: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds

    @property
    def cpu_per_1000(self) -> float:
        return self.cpu_seconds / self.articles * 1000

    @property
    def other_cores(self) -> float:
        return self.other_cpu_seconds / self.seconds

    @property
    def broker_cpu_per_1000(self) -> float:
        return self.broker_cpu_seconds / self.articles * 1000

    def latency(self, q: float) -> float:
        if len(self.latencies_ms) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[round(q * 100) - 1]


def load_articles(corpus: Path, settings: Settings) -> list[Article]:
    """The corpus pages in name order, each marked with whether the handler dead-letters it."""
    handler = MessageHandler(settings)
    now = datetime.now(UTC)
    articles = []
    for path in sorted(corpus.glob("*.txt")):
        value = path.read_bytes()
        out = handler.handle(InputMessage(value, b"probe", topic="raw", partition=0, offset=0), now=now)
        articles.append(Article(path.stem[:16], value, out.error is not None))
    return articles


def run_core(articles: Sequence[Article], count: int, settings: Settings) -> Result:
    """Variant f: the handler alone, in this process; latency is the time per article."""
    handler = MessageHandler(settings)
    batch = [articles[n % len(articles)] for n in range(count)]
    times: list[float] = []
    cpu, busy = time.process_time(), _busy()
    began = time.perf_counter()
    for n, article in enumerate(batch):
        start = time.perf_counter()
        msg = InputMessage(article.value, f"f-{n}".encode(), topic="raw", partition=n % 6, offset=n, timestamp_ms=0)
        handler.handle(msg, now=datetime.now(UTC))
        times.append((time.perf_counter() - start) * 1000)
    seconds = time.perf_counter() - began
    megabytes = sum(len(a.value) for a in batch) / 1e6
    cpu = time.process_time() - cpu
    others = max(0.0, _busy() - busy - cpu)
    return Result("f", count, megabytes, seconds, cpu, other_cpu_seconds=others, latencies_ms=times)


async def run_variant(
    cluster: Cluster,
    variant: Variant,
    articles: Sequence[Article],
    *,
    count: int,
    latency_s: float,
    latency_max: int,
    workdir: Path,
    broker: psutil.Process,
    profile: Path | None = None,
) -> Result:
    tag = f"{variant.key}-{uuid.uuid4().hex[:8]}"
    topics = Topics(f"raw-{tag}", f"enriched-{tag}", f"dlq-{tag}")
    settings = Settings()
    await cluster.create_topics(
        topics, raw_max_bytes=settings.input_topic_max_bytes, max_bytes=settings.output_topic_max_bytes
    )
    group = f"bench-{tag}"
    envs = [_env(cluster, topics, group, workdir / f"{tag}-{n}") for n in range(variant.processes)]
    argv = variant.argv
    if profile is not None:  # the whole run, start-up and idle time included
        profiler = "cProfile" if profile.suffix == ".prof" else "pyinstrument"
        argv = (sys.executable, "-m", profiler, "-o", str(profile), *argv[1:])
    procs = Processes(argv, envs, workdir, tag)
    try:
        await _wait_ready(cluster, procs, group, variant.processes)
        planned: dict[bytes, Article] = {}

        warm = _messages(articles, "w", cluster.partitions, planned)
        await cluster.publish(topics.raw, warm)
        await _wait_outputs(cluster, procs, topics, len(planned))

        count *= variant.scale
        backlog = _messages(articles, "t", count, planned)
        procs.freeze()
        await cluster.publish(topics.raw, backlog)
        meter = _Meter(procs, broker)
        began = time.time()
        procs.thaw()
        await _wait_outputs(cluster, procs, topics, len(planned))
        cpu, broker_cpu, others = meter.read()
        seconds = await cluster.last_timestamp(topics.outputs) / 1000 - began
        megabytes = sum(len(v) for _, v in backlog) / 1e6
        result = Result(variant.key, count, megabytes, seconds, cpu, broker_cpu, others)

        result.paced_rate = result.articles_per_s / 2
        since = await cluster.ends(topics.outputs)
        paced = _messages(articles, "p", min(latency_max, round(result.paced_rate * latency_s)), planned)
        meter, began = _Meter(procs, broker), time.monotonic()
        sent = await cluster.publish_paced(topics.raw, paced, rate=result.paced_rate)
        await _wait_outputs(cluster, procs, topics, len(planned))
        result.paced_other_cores = meter.read()[2] / (time.monotonic() - began)
        outputs = await cluster.read(topics.outputs, since=since)
        result.latencies_ms = [o.timestamp_ms - sent[o.key] for o in outputs if o.key in sent]
    finally:
        procs.stop()
    result.problems = _check(await cluster.read(topics.outputs), topics, planned, copies=variant.copies)
    await cluster.delete_topics(topics)
    return result


class _Meter:
    """CPU seconds from now on: the processes under test, the broker, and everything else on
    the machine except this driver (other tenants of a shared host show up there)."""

    def __init__(self, procs: Processes, broker: psutil.Process) -> None:
        self.procs, self.broker = procs, broker
        self.start = self._now()

    def _now(self) -> tuple[float, float, float, float]:
        return self.procs.cpu_seconds(), _cpu(self.broker), _cpu(DRIVER), _busy()

    def read(self) -> tuple[float, float, float]:
        procs, broker, driver, busy = (now - then for now, then in zip(self._now(), self.start, strict=True))
        return procs, broker, max(0.0, busy - procs - broker - driver)


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def _busy() -> float:
    """CPU seconds the whole machine has spent on anything but idling."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def _env(cluster: Cluster, topics: Topics, group: str, home: Path) -> dict[str, str]:
    """The caller's environment (so WIRESTREAM_* knobs reach every variant) plus this run's names."""
    env = dict(os.environ)
    env.update(
        KAFKA_BOOTSTRAP_SERVERS=cluster.bootstrap,
        WIRESTREAM_TOPIC_RAW=topics.raw,
        WIRESTREAM_TOPIC_ENRICHED=topics.enriched,
        WIRESTREAM_TOPIC_DLQ=topics.dlq,
        WIRESTREAM_TOPIC_PARTITIONS=str(cluster.partitions),
        WIRESTREAM_APP_ID=group,
        WIRESTREAM_DATA_DIR=str(home),
        WIRESTREAM_WEB_PORT=str(free_port()),
        WIRESTREAM_LOG_FORMAT="text",
        WIRESTREAM_LOG_LEVEL=env.get("WIRESTREAM_LOG_LEVEL", "ERROR"),
    )
    return env


def _messages(
    articles: Sequence[Article], prefix: str, count: int, planned: dict[bytes, Article]
) -> list[tuple[bytes, bytes]]:
    """`count` articles in corpus order (so every run gets the same mix), keyed uniquely."""
    out = []
    for n in range(count):
        article = articles[n % len(articles)]
        key = f"{prefix}-{n:06d}".encode()
        planned[key] = article
        out.append((key, article.value))
    return out


async def _wait_ready(cluster: Cluster, procs: Processes, group: str, members: int) -> None:
    """Every process has joined the group and the group is stable: all partitions are owned."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while await cluster.group_members(group) != members:
        procs.check_alive()
        if time.monotonic() > deadline:
            raise RuntimeError(f"group {group} did not reach {members} stable members")
        await asyncio.sleep(0.2)


async def _wait_outputs(cluster: Cluster, procs: Processes, topics: Topics, total: int) -> None:
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    while True:
        counts = await cluster.wait_for(topics.outputs, total, timeout=5.0)
        if sum(counts.values()) >= total:
            return
        procs.check_alive()
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {sum(counts.values())} of {total} outputs after {DRAIN_TIMEOUT_S:.0f} s")


def _check(outputs: list[Output], topics: Topics, planned: dict[bytes, Article], *, copies: bool) -> list[str]:
    """Every input came out exactly once, on the topic it belongs to."""
    problems = []
    seen = Counter((o.topic, o.key) for o in outputs)
    for key, article in planned.items():
        want = topics.enriched if copies or not article.dead else topics.dlq
        n = seen.pop((want, key), 0)
        if n != 1:
            problems.append(f"{key.decode()} ({article.name}) on {want}: {n} times")
    problems.extend(f"unexpected {key!r} on {topic} x{n}" for (topic, key), n in seen.items())
    return problems[:10]
