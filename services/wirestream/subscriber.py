"""Reading a topic from the outside: follow the enriched records, or scan the dead letters."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError, UnknownTopicOrPartitionError

from wirestream.errors import TopicMissingError
from wirestream.kafka import client_options
from wirestream.settings import Settings
from wirestream.topics import broker_error


@dataclass(frozen=True, slots=True)
class Received:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]


async def follow(
    settings: Settings,
    topic: str,
    *,
    from_beginning: bool = False,
    idle_timeout: float | None = None,
    until_end: bool = False,
) -> AsyncIterator[Received]:
    """Records of `topic` as they arrive, without joining a consumer group or committing.

    Stops after `idle_timeout` seconds without a record, or, with `until_end`, once every
    partition has been read up to where it ended when reading began.
    """
    consumer = AIOKafkaConsumer(
        **client_options(settings),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest",
        fetch_max_bytes=8 * settings.output_topic_max_bytes,
        max_partition_fetch_bytes=settings.output_topic_max_bytes,
    )
    try:
        await consumer.start()
        if topic not in await consumer.topics():
            raise UnknownTopicOrPartitionError()
        consumer.subscribe([topic])
        tps = await _assignment(consumer)
        if not from_beginning:
            # Pin the current end now, so that records published from here on are all seen.
            await consumer.seek_to_end(*tps)
        ends = await consumer.end_offsets(tps) if until_end else {}
        remaining = {tp for tp, end in ends.items() if end > await consumer.position(tp)}
        if until_end and not remaining:
            return
        last = time.monotonic()
        while True:
            batches = await consumer.getmany(timeout_ms=200, max_records=500)
            for tp, records in batches.items():
                for r in records:
                    yield Received(r.topic, r.partition, r.offset, r.timestamp, r.key, r.value, tuple(r.headers or ()))
                    if until_end and tp in remaining and r.offset + 1 >= ends[tp]:
                        remaining.discard(tp)
                last = time.monotonic()
            if until_end and not remaining:
                return
            if idle_timeout is not None and time.monotonic() - last >= idle_timeout:
                return
    except (KafkaError, OSError) as exc:
        raise broker_error(exc, settings, topic=topic) from None
    finally:
        await consumer.stop()


async def _assignment(consumer: AIOKafkaConsumer, timeout: float = 10.0) -> list[TopicPartition]:
    deadline = time.monotonic() + timeout
    while not consumer.assignment():
        if time.monotonic() > deadline:
            raise TopicMissingError("no partitions were assigned in time")
        await asyncio.sleep(0.05)
    return sorted(consumer.assignment())
