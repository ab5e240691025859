"""The benchmark driver's Kafka side: topics, consumer groups, publishing, and reading results."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Topics:
    raw: str
    enriched: str
    dlq: str
    syndication: str | None = None  # variants with the syndication stage

    @property
    def outputs(self) -> tuple[str, ...]:
        return (self.enriched, self.dlq) + ((self.syndication,) if self.syndication else ())


@dataclass(frozen=True, slots=True)
class Output:
    topic: str
    key: bytes | None
    timestamp_ms: int


@dataclass(frozen=True, slots=True)
class TopicSize:
    """What a topic holds: every record, and what a compacted changelog keeps (the latest value
    of each key, tombstones dropped), in uncompressed key + value bytes."""

    records: int
    bytes: int
    live_keys: int
    live_bytes: int


class Cluster:
    """Driver clients on one broker. Output topics stamp records with the broker's clock
    (LogAppendTime): a record's timestamp is when it became visible to consumers."""

    def __init__(self, bootstrap: str, partitions: int) -> None:
        self.bootstrap = bootstrap
        self.partitions = partitions
        self.admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        # Bulk loads batch and compress; the paced load sends each message at once.
        self.bulk = AIOKafkaProducer(
            bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_batch_size=1024 * 1024,
            max_request_size=MAX_BYTES, compression_type="lz4",
        )  # fmt: skip
        self.paced = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0, max_request_size=MAX_BYTES)
        self.reader = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
            max_partition_fetch_bytes=MAX_BYTES, fetch_max_bytes=64 * 1024 * 1024,
        )  # fmt: skip

    async def start(self) -> None:
        for client in (self.admin, self.bulk, self.paced, self.reader):
            await client.start()

    async def stop(self) -> None:
        for client in (self.reader, self.paced, self.bulk):
            await client.stop()
        await self.admin.close()

    async def create_topics(self, topics: Topics, *, raw_max_bytes: int, max_bytes: int) -> None:
        """Sized as the worker would create them."""
        stamped = {"max.message.bytes": str(max_bytes), "message.timestamp.type": "LogAppendTime"}
        await self.admin.create_topics(
            [NewTopic(topics.raw, self.partitions, 1, topic_configs={"max.message.bytes": str(raw_max_bytes)})]
            + [NewTopic(name, self.partitions, 1, topic_configs=stamped) for name in topics.outputs]
        )

    async def delete_topics(self, topics: Topics, *others: str) -> None:
        await self.admin.delete_topics([topics.raw, *topics.outputs, *others])

    async def topic_names(self, prefix: str) -> list[str]:
        return sorted(t for t in await self.admin.list_topics() if t.startswith(prefix))

    async def group_members(self, group: str) -> int:
        """Members of a consumer group once it is stable, else 0."""
        try:
            (response,) = await self.admin.describe_consumer_groups([group])
        except KafkaError:  # no coordinator yet: the offsets topic is still being created
            return 0
        _error, _group, state, _ptype, _protocol, members = response.groups[0][:6]
        return len(members) if state == "Stable" else 0

    async def publish(self, topic: str, messages: Sequence[tuple[bytes, bytes]], *, first: int = 0) -> None:
        """Bulk: (key, value) pairs, spread evenly over the partitions in order."""
        futures = [
            await self.bulk.send(topic, value, key=key, partition=(first + n) % self.partitions)
            for n, (key, value) in enumerate(messages)
        ]
        await asyncio.gather(*futures)

    async def publish_paced(
        self, topic: str, messages: Sequence[tuple[bytes, bytes]], *, rate: float, first: int = 0
    ) -> dict[bytes, int]:
        """Send at `rate` messages/s; returns each key's producer timestamp (ms)."""
        sent: dict[bytes, int] = {}
        futures = []
        began = time.monotonic()
        for n, (key, value) in enumerate(messages):
            delay = began + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            stamp = int(time.time() * 1000)
            sent[key] = stamp
            partition = (first + n) % self.partitions
            futures.append(await self.paced.send(topic, value, key=key, partition=partition, timestamp_ms=stamp))
        await asyncio.gather(*futures)
        return sent

    def _tps(self, topics: Sequence[str]) -> list[TopicPartition]:
        return [TopicPartition(t, p) for t in topics for p in range(self.partitions)]

    async def counts(self, topics: Sequence[str]) -> dict[str, int]:
        ends = await self.reader.end_offsets(self._tps(topics))
        return {t: sum(end for tp, end in ends.items() if tp.topic == t) for t in topics}

    async def wait_for(self, topics: Sequence[str], total: int, *, timeout: float) -> dict[str, int]:
        """Poll end offsets until the topics hold `total` messages together."""
        deadline = time.monotonic() + timeout
        while True:
            counts = await self.counts(topics)
            if sum(counts.values()) >= total or time.monotonic() > deadline:
                return counts
            await asyncio.sleep(0.05)

    async def read(self, topics: Sequence[str], *, since: dict[TopicPartition, int] | None = None) -> list[Output]:
        """Every message of the topics from `since` (default: the start) to their current end."""
        tps = self._tps(topics)
        ends = await self.reader.end_offsets(tps)
        self.reader.assign(tps)
        for tp in tps:
            self.reader.seek(tp, (since or {}).get(tp, 0))
        out: list[Output] = []
        while [tp for tp in tps if await self.reader.position(tp) < ends[tp]]:
            batch = await self.reader.getmany(timeout_ms=200)
            for tp, records in batch.items():
                out.extend(Output(tp.topic, r.key, r.timestamp) for r in records if r.offset < ends[tp])
        self.reader.unsubscribe()  # else it keeps asking for the topics after they are deleted
        return out

    async def sizes(self, topics: Sequence[str]) -> dict[str, TopicSize]:
        """Every record of the topics (each with the cluster's partition count), from the start to
        their current end, measured."""
        found = list(topics)
        tps = self._tps(found)
        ends = await self.reader.end_offsets(tps)
        self.reader.assign(tps)
        for tp in tps:
            self.reader.seek(tp, 0)
        records = dict.fromkeys(found, 0)
        total = dict.fromkeys(found, 0)
        latest: dict[str, dict[bytes | None, int]] = {t: {} for t in found}
        while [tp for tp in tps if await self.reader.position(tp) < ends[tp]]:
            batch = await self.reader.getmany(timeout_ms=200)
            for tp, batch_records in batch.items():
                for r in batch_records:
                    if r.offset >= ends[tp]:
                        continue
                    size = len(r.key or b"") + len(r.value or b"")
                    records[tp.topic] += 1
                    total[tp.topic] += size
                    latest[tp.topic][r.key] = size if r.value is not None else -1
        self.reader.unsubscribe()
        return {
            t: TopicSize(
                records[t],
                total[t],
                sum(1 for s in latest[t].values() if s >= 0),
                sum(s for s in latest[t].values() if s >= 0),
            )
            for t in found
        }

    async def ends(self, topics: Sequence[str]) -> dict[TopicPartition, int]:
        return await self.reader.end_offsets(self._tps(topics))

    async def last_timestamp(self, topics: Sequence[str]) -> int:
        """The newest timestamp among the last messages of the topics' partitions."""
        ends = await self.ends(topics)
        since = {tp: end - 1 for tp, end in ends.items() if end > 0}
        tails = await self.read(topics, since=since)
        return max(o.timestamp_ms for o in tails)
