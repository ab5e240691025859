"""What the cluster scenarios share: the expected outcome of every input, a paced publisher that
re-sends until acknowledged, a probe of partition availability, and waits on the cluster."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from tests.cluster.ledger import Ledger
from wirestream.enrich import InputMessage
from wirestream.handler import MessageHandler
from wirestream.localbroker import LocalCluster, PartitionState, partition_states
from wirestream.settings import Settings
from wirestream.topics import min_insync_replicas

Message = tuple[bytes, bytes, list]


def expected_topics(traffic: Iterable[Message]) -> dict[bytes, str]:
    """Where each input must end, "enriched" or "dlq", from the pure handler run offline."""
    handler = MessageHandler(Settings())
    now = datetime.now(UTC)
    quiet = logging.getLogger("wirestream.handler")
    level, quiet.level = quiet.level, logging.ERROR  # one warning per dead letter otherwise
    try:
        return {
            key: "dlq" if handler.handle(InputMessage(value, key, headers, topic="raw"), now=now).error else "enriched"
            for key, value, headers in traffic
        }
    finally:
        quiet.setLevel(level)


@dataclass
class PacedPublisher:
    """Publishes the traffic in chunks, one chunk a `pace_s`, so that the faults meet a stream
    rather than a backlog. A message whose send fails is sent again until the cluster
    acknowledges it: an input the test never got in is no loss of the pipeline's."""

    bootstrap: str
    topic: str
    chunk: int = 250
    pace_s: float = 1.0
    resent: int = 0
    acknowledged: int = 0

    async def run(self, traffic: Sequence[Message]) -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap.split(","),
            acks="all",
            request_timeout_ms=30_000,
            max_request_size=8 * 1024 * 1024,
        )
        await producer.start()
        try:
            for start in range(0, len(traffic), self.chunk):
                pending = list(traffic[start : start + self.chunk])
                while pending:
                    futures = [await producer.send(self.topic, v, key=k, headers=h) for k, v, h in pending]
                    results = await asyncio.gather(*futures, return_exceptions=True)
                    failed = [m for m, r in zip(pending, results, strict=True) if isinstance(r, BaseException)]
                    self.acknowledged += len(pending) - len(failed)
                    self.resent += len(failed)
                    pending = failed
                    if failed:
                        await asyncio.sleep(1.0)
                await asyncio.sleep(self.pace_s)
        finally:
            await producer.stop()


@dataclass
class AvailabilityProbe:
    """Samples each partition's leader and in-sync replicas about twice a second and adds up, per
    partition, the time it could not take a write with acks=all: no leader, a leader whose process
    is gone (the controller has not noticed yet), or fewer in-sync replicas than required."""

    cluster: LocalCluster
    topics: list[str]
    interval_s: float = 0.5
    unavailable_s: dict[tuple[str, int], float] = field(default_factory=lambda: defaultdict(float))
    samples: int = 0
    failed_samples: int = 0

    async def run(self, stop: asyncio.Event) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.cluster.bootstrap.split(","), request_timeout_ms=3000)
        await admin.start()
        last = time.monotonic()
        try:
            while not stop.is_set():
                try:
                    described = await asyncio.wait_for(admin.describe_topics(self.topics), timeout=5)
                except (KafkaError, OSError, TimeoutError):
                    self.failed_samples += 1
                else:
                    now = time.monotonic()
                    running = {n for n, pid in self.cluster.pids().items() if pid is not None}
                    for topic in described:
                        for p in topic["partitions"]:
                            ok = p["leader"] in running and len(set(p["isr"]) & running) >= min_insync_replicas(
                                self.cluster.replication
                            )
                            if not ok:
                                self.unavailable_s[(topic["topic"], p["partition"])] += now - last
                    last = now
                    self.samples += 1
                try:
                    await asyncio.wait_for(stop.wait(), timeout=self.interval_s)
                except TimeoutError:
                    pass
        finally:
            await admin.close()

    def by_topic(self, partitions: int) -> dict[str, list[float]]:
        return {t: [round(self.unavailable_s.get((t, p), 0.0), 1) for p in range(partitions)] for t in self.topics}


async def in_sync(cluster: LocalCluster, topics: list[str] | None = None) -> bool:
    """Every node runs and every partition has a live leader and all its replicas in sync."""
    if any(pid is None for pid in cluster.pids().values()):
        return False
    try:
        states = await partition_states(cluster.bootstrap, topics)
    except (KafkaError, OSError):
        return False
    return all(s.leader > 0 and len(s.isr) == len(s.replicas) for s in states)


async def wait_in_sync(cluster: LocalCluster, topics: list[str] | None = None, *, timeout: float = 300) -> float:
    """Wait (bounded) until `in_sync`; returns the seconds it took."""
    began = time.monotonic()
    while not await in_sync(cluster, topics):
        if time.monotonic() - began > timeout:
            states = await partition_states(cluster.bootstrap, topics)
            lagging = [s for s in states if len(s.isr) < len(s.replicas)]
            raise AssertionError(f"cluster not in sync after {timeout:.0f} s: {lagging[:6]}")
        await asyncio.sleep(1.0)
    return time.monotonic() - began


async def leading_most(cluster: LocalCluster, topics: list[str], group: str) -> tuple[int, dict[int, int], int]:
    """The node leading most partitions of `topics` (ties go to the group's coordinator), the
    count of partitions each node leads, and the coordinator."""
    states: list[PartitionState] = await partition_states(cluster.bootstrap, topics)
    led = Counter(s.leader for s in states)
    admin = AIOKafkaAdminClient(bootstrap_servers=cluster.bootstrap.split(","), request_timeout_ms=10_000)
    await admin.start()
    try:
        coordinator = await admin.find_coordinator(group)
    finally:
        await admin.close()
    victim = max(led, key=lambda node: (led[node], node == coordinator))
    return victim, dict(sorted(led.items())), coordinator


async def input_copies(bootstrap: str, topic: str, partitions: int, expected: int) -> Counter[bytes]:
    """How many times each key is in the input topic: more than once when the publisher re-sent
    a batch whose acknowledgement it lost (its producer is not idempotent)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap.split(","),
        group_id=None,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=8 * 1024 * 1024,
    )
    await consumer.start()
    keys: Counter[bytes] = Counter()
    try:
        tps = [TopicPartition(topic, p) for p in range(partitions)]
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            for records in batch.values():
                keys.update(r.key for r in records)
    finally:
        await consumer.stop()
    assert len(keys) == expected, f"the input topic holds {len(keys)} keys, not {expected}"
    return keys


# Where an input was read and when: two copies of one input differ here and nowhere else.
_PLACE_HEADERS = {f"wirestream.errors.{name}" for name in ("partition", "offset", "timestamp", "failed_at")}


def differing_outputs(ledger: Ledger, copies: Counter[bytes]) -> list[bytes]:
    """Keys whose outputs differ in more than processing timestamps or, for an input that is
    in the topic twice, more than where and when each copy was read."""
    bad = set(ledger.differing_duplicates())
    for key in [k for k in bad if copies[k] > 1]:
        records = {_without_processing(v) for v in ledger.enriched.get(key, [])}
        letters = {
            (v, tuple((h, x) for h, x in headers if h not in _PLACE_HEADERS)) for v, headers in ledger.dead.get(key, [])
        }
        if len(records) <= 1 and len(letters) <= 1:
            bad.discard(key)
    return sorted(bad)


def _without_processing(value: bytes) -> bytes:
    record = orjson.loads(value)
    record.pop("processing")
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def pipeline_duplicates(ledger: Ledger, copies: Counter[bytes]) -> int:
    """Outputs beyond one per input copy: the duplicates the pipeline itself made."""
    outputs = Counter({k: len(v) for k, v in ledger.enriched.items()}) + Counter(
        {k: len(v) for k, v in ledger.dead.items()}
    )
    return sum(max(0, n - copies[k]) for k, n in outputs.items())
