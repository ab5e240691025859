"""Bare aiokafka loops for the benchmark: the ceiling (copy) and the same work as the worker (enrich).

    python bench/bare.py copy|enrich

Configured like the worker, from `Settings` (topics, group, batch size, producer knobs, event
loop). Each `getmany` batch is handled, all its sends are awaited, and only then are its offsets
marked for commit; offsets are committed every `commit_interval_s` and on SIGTERM:
at-least-once, as the worker. `copy` writes every input value, key and headers unchanged to the enriched topic.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import ConsumerRecord

from wirestream.enrich import InputMessage, warm_up
from wirestream.handler import MessageHandler, Outgoing
from wirestream.kafka import client_options
from wirestream.settings import Settings


def producer_options(settings: Settings) -> dict[str, object]:
    """The worker's producer settings, for any aiokafka producer that should match it."""
    return {
        "acks": "all",
        "linger_ms": settings.producer_linger_ms,
        "max_batch_size": settings.producer_batch_bytes,
        "max_request_size": settings.output_topic_max_bytes,
        "compression_type": None if settings.producer_compression == "none" else settings.producer_compression,
    }


async def main(mode: str) -> None:
    settings = Settings()
    warm_up()  # as the worker does before taking traffic
    handler = MessageHandler(settings)
    consumer = AIOKafkaConsumer(
        settings.topic_raw,
        **client_options(settings),
        group_id=settings.app_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=settings.output_topic_max_bytes,
    )
    producer = AIOKafkaProducer(**client_options(settings), **producer_options(settings))
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    await producer.start()
    await consumer.start()
    done: dict[TopicPartition, int] = {}
    last_commit = time.monotonic()
    try:
        while not stopping.is_set():
            batches = await consumer.getmany(timeout_ms=100, max_records=settings.batch_size)
            records = [r for part in batches.values() for r in part]
            if records:
                now = datetime.now(UTC)
                outgoing = [
                    _copy(r, settings) if mode == "copy" else handler.handle(_message(r), now=now) for r in records
                ]
                futures = [await producer.send(o.topic, o.value, key=o.key, headers=o.headers) for o in outgoing]
                await asyncio.gather(*futures)
                for tp, part in batches.items():
                    done[tp] = part[-1].offset + 1
            if done and time.monotonic() - last_commit >= settings.commit_interval_s:
                await consumer.commit(done)
                done, last_commit = {}, time.monotonic()
        if done:
            await consumer.commit(done)
    finally:
        await consumer.stop()
        await producer.stop()


def _message(r: ConsumerRecord) -> InputMessage:
    return InputMessage(r.value, r.key, list(r.headers), r.topic, r.partition, r.offset, r.timestamp)


def _copy(r: ConsumerRecord, settings: Settings) -> Outgoing:
    return Outgoing(settings.topic_enriched, r.key, r.value, list(r.headers))


if __name__ == "__main__":
    if Settings().event_loop == "uvloop":  # the worker's loop, for a like-for-like comparison
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    asyncio.run(main(sys.argv[1]))
