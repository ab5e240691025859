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
    stage: bool = False  # the syndication stage runs too, on the enriched records


WORKER = (sys.executable, "-m", "wirestream", "worker")
STAGE = (sys.executable, "-m", "wirestream", "syndication", "worker")


VARIANTS = (
    Variant("a", "aiokafka copy (ceiling)", (sys.executable, str(BENCH / "bare.py"), "copy"), copies=True, scale=4),
    Variant("b", "aiokafka batch + core", (sys.executable, str(BENCH / "bare.py"), "enrich")),
    Variant("c", "wirestream Faust x1", WORKER),
    Variant("d", "wirestream Faust x2", WORKER, processes=2),
    Variant("e", "quixstreams + core", (sys.executable, str(BENCH / "peer_quix.py"))),
    Variant("g", "worker x1 + syndication x1", WORKER, stage=True),
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
    # g: `latencies_ms` are from the enriched record to the syndication record (both broker
    # times); these from the raw input's send to the syndication record.
    end_to_end_ms: list[float] = field(default_factory=list)
    state: StageState | None = None

    @property
    def state_articles(self) -> int:
        return self.state.articles if self.state else 0

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
        return quantile(self.latencies_ms, q)


def quantile(values: Sequence[float], q: float) -> float:
    if len(values) < 2:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


@dataclass(frozen=True, slots=True)
class TopicState:
    """One of the stage's topics after a run: every record (uncompressed key + value bytes),
    what compaction keeps of it (latest value per key, no tombstones), and its log segments on
    the broker's disk (compressed as the stage's producer sent them, not yet compacted)."""

    name: str
    records: int
    bytes: int
    live_keys: int
    live_bytes: int
    disk_bytes: int


@dataclass(frozen=True, slots=True)
class StageState:
    articles: int  # syndication records written over the run (warm-up, backlog, paced)
    changelogs: list[TopicState]
    internal: list[TopicState]

    def per_100k(self, attr: str, topics: str = "changelogs") -> float:
        """Bytes per 100,000 articles: the run's total / its articles x 100,000."""
        return sum(getattr(t, attr) for t in getattr(self, topics)) / self.articles * 100_000


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
    data_dir: Path | None = None,
) -> Result:
    tag = f"{variant.key}-{uuid.uuid4().hex[:8]}"
    topics = Topics(f"raw-{tag}", f"enriched-{tag}", f"dlq-{tag}", f"syndication-{tag}" if variant.stage else None)
    settings = Settings()
    await cluster.create_topics(
        topics, raw_max_bytes=settings.input_topic_max_bytes, max_bytes=settings.output_topic_max_bytes
    )
    group, stage_group = f"bench-{tag}", f"syn-{tag}"
    envs = [_env(cluster, topics, group, stage_group, workdir / f"{tag}-{n}") for n in range(variant.processes)]
    argvs = [variant.argv] * variant.processes
    if variant.stage:
        envs.append(_env(cluster, topics, group, stage_group, workdir / f"{tag}-stage"))
        argvs.append(STAGE)
    if profile is not None:  # the whole run, start-up and idle time included
        profiler = "cProfile" if profile.suffix == ".prof" else "pyinstrument"
        argvs = [
            (sys.executable, "-m", profiler, "-o", str(_profile_of(profile, n, variant)), *argv[1:])
            for n, argv in enumerate(argvs)
        ]
    procs = Processes(argvs, envs, workdir, tag)
    try:
        await _wait_ready(cluster, procs, group, variant.processes)
        if variant.stage:
            await _wait_ready(cluster, procs, stage_group, 1)
        planned: dict[bytes, Article] = {}

        def expected() -> int:  # outputs of the planned inputs: one each, and a syndication record each
            return len(planned) + (sum(not a.dead for a in planned.values()) if variant.stage else 0)

        warm = _messages(articles, "w", cluster.partitions, planned)
        await cluster.publish(topics.raw, warm)
        await _wait_outputs(cluster, procs, topics, expected())

        count *= variant.scale
        backlog = _messages(articles, "t", count, planned)
        procs.freeze()
        await cluster.publish(topics.raw, backlog)
        meter = _Meter(procs, broker)
        began = time.time()
        procs.thaw()
        await _wait_outputs(cluster, procs, topics, expected())
        cpu, broker_cpu, others = meter.read()
        seconds = await cluster.last_timestamp(topics.outputs) / 1000 - began
        megabytes = sum(len(v) for _, v in backlog) / 1e6
        result = Result(variant.key, count, megabytes, seconds, cpu, broker_cpu, others)

        result.paced_rate = result.articles_per_s / 2
        since = await cluster.ends(topics.outputs)
        paced = _messages(articles, "p", min(latency_max, round(result.paced_rate * latency_s)), planned)
        meter, began = _Meter(procs, broker), time.monotonic()
        sent = await cluster.publish_paced(topics.raw, paced, rate=result.paced_rate)
        await _wait_outputs(cluster, procs, topics, expected())
        result.paced_other_cores = meter.read()[2] / (time.monotonic() - began)
        outputs = await cluster.read(topics.outputs, since=since)
        if variant.stage:
            enriched = {o.key: o.timestamp_ms for o in outputs if o.topic == topics.enriched}
            synd = [o for o in outputs if o.topic == topics.syndication and o.key in sent]
            result.latencies_ms = [o.timestamp_ms - enriched[o.key] for o in synd if o.key in enriched]
            result.end_to_end_ms = [o.timestamp_ms - sent[o.key] for o in synd]
        else:
            result.latencies_ms = [o.timestamp_ms - sent[o.key] for o in outputs if o.key in sent]
    finally:
        procs.stop()  # SIGTERM: the stage flushes what it has buffered before it exits
    result.problems = _check(await cluster.read(topics.outputs), topics, planned, copies=variant.copies)
    stage_topics = await cluster.topic_names(f"{stage_group}-") if variant.stage else []
    if variant.stage:
        result.state = await _stage_state(cluster, stage_topics, data_dir, sum(not a.dead for a in planned.values()))
    await cluster.delete_topics(topics, *stage_topics)
    return result


def _profile_of(profile: Path, n: int, variant: Variant) -> Path:
    """profile-g-1.pyisession for the worker, profile-g-1-stage.pyisession for the stage."""
    return profile.with_stem(profile.stem + "-stage") if n >= variant.processes else profile


async def _stage_state(cluster: Cluster, names: list[str], data_dir: Path | None, articles: int) -> StageState:
    """The stage's changelogs (its tables) and internal topics (messages between its steps)."""
    sizes = await cluster.sizes(names)
    out = []
    for name in names:
        size = sizes[name]
        disk = 0
        if data_dir is not None:
            disk = sum(f.stat().st_size for d in data_dir.glob(f"{name}-*") for f in d.glob("*.log"))
        out.append(TopicState(name, size.records, size.bytes, size.live_keys, size.live_bytes, disk))
    return StageState(
        articles,
        changelogs=[t for t in out if t.name.endswith("-changelog")],
        internal=[t for t in out if not t.name.endswith("-changelog")],
    )


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


def _env(cluster: Cluster, topics: Topics, group: str, stage_group: str, home: Path) -> dict[str, str]:
    """The caller's environment (so WIRESTREAM_* knobs reach every variant) plus this run's names."""
    env = dict(os.environ)
    if topics.syndication:
        env.update(WIRESTREAM_TOPIC_SYNDICATION=topics.syndication, WIRESTREAM_SYNDICATION_APP_ID=stage_group)
        # The corpus's pages carry publication dates from 2014 to now: a window of a century keeps
        # every one in the index, as articles of a live feed would be (a 7-day window would judge
        # the older ones as late arrivals, which are neither stored nor indexed).
        env.setdefault("WIRESTREAM_SYNDICATION_WINDOW_DAYS", "36500")
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
    """Every input came out exactly once, on the topic it belongs to (and, with the stage, every
    enriched record once more as a syndication record)."""
    problems = []
    seen = Counter((o.topic, o.key) for o in outputs)
    for key, article in planned.items():
        wants = [topics.enriched if copies or not article.dead else topics.dlq]
        if topics.syndication and not article.dead:
            wants.append(topics.syndication)
        for want in wants:
            n = seen.pop((want, key), 0)
            if n != 1:
                problems.append(f"{key.decode()} ({article.name}) on {want}: {n} times")
    problems.extend(f"unexpected {key!r} on {topic} x{n}" for (topic, key), n in seen.items())
    return problems[:10]
