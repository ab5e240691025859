"""The transport's producer: when `flush()` returns, every message handed to the producer
buffer (the path of table changelog writes) is on the broker, even when the buffer's sender is
held up for longer than Faust's own flush waits (0.1 s)."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import TopicPartition

from tests.integration.test_syndication import _create_topics
from wirestream.transport import App


async def _end_offset(bootstrap: str, topic: str) -> int:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        return (await consumer.end_offsets([tp]))[tp]
    finally:
        await consumer.stop()


async def _buffered_writes_then_flush(bootstrap: str, topic: str) -> int:
    """Buffer writes to a topic that appears only a second later (the sender waits for its
    metadata meanwhile), flush, and count what the broker has the moment flush returns."""
    app = App(f"transport-{topic}", broker=f"kafka://{bootstrap}", store="memory://", web_enabled=False)
    channel = app.topic(topic, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")
    producer = app.producer
    await producer.start()
    try:
        for n in range(50):
            channel.send_soon(key=b"k", value=str(n).encode(), partition=0)

        async def create_later() -> None:
            await asyncio.sleep(1.0)
            await _create_topics(bootstrap, {topic: 1})

        creating = asyncio.create_task(create_later())
        await producer.flush()
        on_broker = await _end_offset(bootstrap, topic) if creating.done() else 0
        await creating
        return on_broker
    finally:
        await producer.stop()


def test_flush_returns_only_when_every_buffered_message_is_on_the_broker(deployment):
    assert asyncio.run(_buffered_writes_then_flush(deployment.bootstrap, f"buffered-{deployment.name}")) == 50
