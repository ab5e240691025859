"""The worker's batch step against a fake producer: events are acked only once every result is
written, refused records are dead-lettered and failed ones sent again."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from aiokafka.errors import KafkaTimeoutError, MessageSizeTooLargeError

from wirestream import worker
from wirestream.handler import MessageHandler
from wirestream.monitoring import Monitor
from wirestream.settings import Settings
from wirestream.worker import Pipeline

ARTICLE = (
    b"Port traffic rises for third month\n\n"
    b"HAMBURG (Reuters) - Container traffic through the port rose for a third straight month in May, "
    b"the port authority said on Tuesday, as shipping lines added sailings to northern Europe.\n\n"
    b"Volumes were up 4.1 percent from a year earlier, helped by stronger trade with Scandinavia "
    b"and the Baltic states, while traffic with Asia was flat."
)


class FakeProducer:
    """Queues records like aiokafka: `send` returns a future that the 'broker' settles later."""

    def __init__(self, refuse: type[Exception] | None = None, fail_first: int = 0) -> None:
        self.refuse = refuse
        self.fail_first = fail_first
        self.calls: list[tuple[str, bytes | None]] = []
        self.written: list[tuple[str, bytes | None]] = []

    async def send(self, topic, key, value, partition, timestamp, headers):  # noqa: ANN001 - faust's signature
        self.calls.append((topic, key))
        if self.refuse is not None and topic == "out":
            raise self.refuse("too large")
        future = asyncio.get_running_loop().create_future()
        failing = len(self.calls) <= self.fail_first
        asyncio.get_running_loop().call_later(0.01, self._settle, future, topic, key, failing)
        return future

    def _settle(self, future: asyncio.Future, topic: str, key: bytes | None, failing: bool) -> None:
        if failing:
            future.set_exception(KafkaTimeoutError())
        else:
            self.written.append((topic, key))
            future.set_result(None)


def events(*values: bytes) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            message=SimpleNamespace(
                value=value, key=f"k{n}".encode(), headers=[], topic="in", partition=0, offset=n, timestamp=1.0
            )
        )
        for n, value in enumerate(values)
    ]


class FakeStream:
    def __init__(self, producer: FakeProducer) -> None:
        self.producer = producer
        self.acked_when_written: list[int] = []

    async def ack(self, event: SimpleNamespace) -> None:
        self.acked_when_written.append(len(self.producer.written))


async def process(handler: MessageHandler, producer: FakeProducer, batch: list[SimpleNamespace]) -> FakeStream:
    stream = FakeStream(producer)
    await Pipeline(SimpleNamespace(producer=producer), handler, Monitor()).process(stream, batch)
    return stream


@pytest.fixture
def handler() -> MessageHandler:
    return MessageHandler(Settings(topic_raw="in", topic_enriched="out", topic_dlq="dlq"))


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch) -> None:
    monkeypatch.setattr(worker, "RETRY_BACKOFF_S", (0.0,))


async def test_events_are_acked_only_when_every_result_is_written(handler):
    producer = FakeProducer()
    stream = await process(handler, producer, events(ARTICLE, b"\xff\xfe", ARTICLE))
    assert sorted(producer.written) == [("dlq", b"k1"), ("out", b"k0"), ("out", b"k2")]
    assert stream.acked_when_written == [3, 3, 3]


async def test_a_record_refused_as_too_large_is_dead_lettered(handler):
    producer = FakeProducer(refuse=MessageSizeTooLargeError)
    await process(handler, producer, events(ARTICLE))
    assert producer.written == [("dlq", b"k0")]


async def test_a_failed_delivery_is_sent_again(handler):
    producer = FakeProducer(fail_first=1)
    await process(handler, producer, events(ARTICLE, ARTICLE))
    assert sorted(producer.written) == [("out", b"k0"), ("out", b"k1")]
    assert producer.calls.count(("out", b"k0")) == 2
