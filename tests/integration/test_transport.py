"""The transport, against the broker.

* The producer: when `flush()` returns, every message handed to the producer buffer (the path of
  table changelog writes) is on the broker, even when the buffer's sender is held up for longer
  than Faust's own flush waits (0.1 s).
* The consumer: records that the fetcher has while the group rebalances (after the recovery's
  seek, before the streams' queues are emptied) are all handed to the agent once it is over."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
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


BEFORE, DURING, AFTER = 5, 10, 5


async def _records_fetched_while_the_group_rebalances(bootstrap: str, topic: str) -> tuple[list[int], bool]:
    """An app with a table consumes a topic; its group rebalances (a rejoin); right after the
    recovery has sought the partition to its committed offset, records arrive, and the fetcher
    has them before the rebalance is over. Returns the offsets the agent handled, and whether
    the fetcher had the records during the rebalance (the case under test)."""
    await _create_topics(bootstrap, {topic: 1})
    app = App(f"transport-{topic}", broker=f"kafka://{bootstrap}", store="memory://", web_enabled=False)
    channel = app.topic(topic, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")
    # With a table, the rebalance ends with a recovery, during which the fetcher is running.
    app.Table(f"{topic}-table", default=int, partitions=1)
    tp = TopicPartition(topic, 0)
    handled: list[int] = []
    rebalanced = asyncio.Event()
    fetched_during = False

    @app.agent(channel)
    async def collect(stream):
        async for event in stream.events():
            if app.rebalancing:  # an event handed over during the rebalance waits for its end
                await rebalanced.wait()
            handled.append(event.message.offset)

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()

    async def publish(n: int) -> None:
        for _ in range(n):
            await producer.send(topic, b"v", partition=0)
        await producer.flush()

    async def until(condition) -> bool:
        """Whether the condition (a function, or a coroutine function) held within 30 s."""
        for _ in range(600):
            held = condition()
            if await held if asyncio.iscoroutine(held) else held:
                return True
            await asyncio.sleep(0.05)
        return False

    consumer = app.consumer
    perform_seek = consumer.perform_seek

    async def perform_seek_as_records_arrive() -> None:
        nonlocal fetched_during
        await perform_seek()
        if app.rebalancing and consumer.flow_active and not rebalanced.is_set():
            # The recovery's seek (the fetcher is running): records arrive, and the fetcher
            # has them before the rebalance ends.
            await publish(DURING)

            async def fetched() -> bool:
                return await consumer.position(tp) >= BEFORE + DURING

            fetched_during = await until(fetched)

    end_rebalance = app.on_rebalance_end

    def on_rebalance_end() -> None:
        end_rebalance()
        if consumer.perform_seek is perform_seek_as_records_arrive:
            rebalanced.set()

    def handled_up_to(n: int) -> bool:
        return bool(handled) and handled[-1] >= n - 1

    app.on_rebalance_end = on_rebalance_end
    await app.start()
    try:
        await publish(BEFORE)
        assert await until(lambda: len(handled) >= BEFORE and not app.rebalancing)
        await consumer.commit()
        consumer.perform_seek = perform_seek_as_records_arrive

        async def rejoin() -> None:  # in the consumer's thread, where its coordinator runs
            consumer._thread._ensure_consumer()._coordinator.request_rejoin()

        await consumer._thread.call_thread(rejoin)
        assert await until(rebalanced.is_set)
        await publish(AFTER)  # the agent has these once it is past the earlier ones
        await until(lambda: handled_up_to(BEFORE + DURING + AFTER))
        return handled, fetched_during
    finally:
        await app.stop()
        await producer.stop()


def test_records_fetched_during_a_rebalance_are_all_handled(deployment):
    handled, fetched_during = asyncio.run(
        _records_fetched_while_the_group_rebalances(deployment.bootstrap, f"seek-{deployment.name}")
    )
    assert fetched_during
    never = sorted(set(range(BEFORE + DURING + AFTER)) - set(handled))
    assert not never, f"offsets never handed to the agent: {never}"
