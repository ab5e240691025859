"""The Faust worker: consume raw articles, enrich them, publish records or dead letters.

Delivery is at-least-once. The agent takes events without acking (`noack_take`), hands each
to the pure `MessageHandler`, sends the results, waits until the broker has them, and only
then acks; Faust commits acked offsets only (after flushing its producer). A send that fails
for a transient reason is retried; the events of a batch interrupted by shutdown are finished
first, or left unacked so that they are consumed again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import faust
from aiokafka.errors import MessageSizeTooLargeError
from faust.exceptions import ProducerSendError

from wirestream.enrich import InputMessage
from wirestream.handler import MessageHandler, Outgoing, where
from wirestream.kafka import ssl_context
from wirestream.logs import kafka_outage
from wirestream.monitoring import Monitor
from wirestream.settings import Settings
from wirestream.transport import App
from wirestream.web import add_pages

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_S = 8.0
RETRY_BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0)
OUTAGE_TICK_S = 5.0  # how often a broker outage's summary (or its end) is checked for


def app_options(settings: Settings) -> dict[str, Any]:
    """The Faust options the worker and the syndication stage share: brokers and credentials,
    in-memory stores, acks=all, sizes, session and commit timing, the web server."""
    return {
        "broker": [f"kafka://{server}" for server in settings.bootstrap_servers],
        "broker_credentials": _credentials(settings),
        "store": "memory://",
        "datadir": settings.data_dir,
        "topic_partitions": settings.topic_partitions,
        "topic_replication_factor": settings.topic_replication_factor,
        "topic_disable_leader": True,
        "consumer_auto_offset_reset": "earliest",
        "broker_session_timeout": settings.session_timeout_s,
        "broker_heartbeat_interval": settings.session_timeout_s / 10,
        "broker_commit_interval": settings.commit_interval_s,
        "producer_acks": -1,
        "producer_max_request_size": settings.output_topic_max_bytes,
        "consumer_max_fetch_size": settings.output_topic_max_bytes,
        "web_enabled": True,
        "web_bind": settings.web_host,
        "web_host": settings.web_host,
        "web_port": settings.web_port,
        "key_serializer": "raw",
        "value_serializer": "raw",
    }


def create_app(settings: Settings) -> faust.App:
    app = App(
        settings.app_id,
        **app_options(settings),
        producer_linger=settings.producer_linger_ms / 1000,
        producer_max_batch_size=settings.producer_batch_bytes,
        producer_compression_type=None if settings.producer_compression == "none" else settings.producer_compression,
    )
    raw = app.topic(
        settings.topic_raw,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        allow_empty=True,
    )
    monitor = Monitor()
    pipeline = Pipeline(app, MessageHandler(settings), monitor)

    @app.agent(raw, name="enrich", concurrency=1)
    async def enrich(stream: faust.StreamT[bytes]) -> None:
        within = settings.batch_window_ms / 1000 or None
        async for events in stream.noack_take(settings.batch_size, within=within):
            await pipeline.process(stream, events)

    @app.timer(OUTAGE_TICK_S)
    async def report_kafka_outage() -> None:
        kafka_outage.tick()

    add_pages(app, settings, monitor, pipeline.next_offsets)
    return app


class Pipeline:
    """Handle a batch of events, deliver every result, and only then ack the events."""

    def __init__(self, app: faust.App, handler: MessageHandler, monitor: Monitor) -> None:
        self.app = app
        self.handler = handler
        self.monitor = monitor
        self.next_offsets: dict[int, int] = {}

    async def process(self, stream: faust.StreamT[bytes], events: Sequence[faust.EventT]) -> None:
        started = time.perf_counter()
        now = datetime.now(UTC)
        messages = [_input_message(event.message) for event in events]
        outgoing = [self.handler.handle(msg, now=now) for msg in messages]
        delivery = asyncio.ensure_future(self._deliver(messages, outgoing, now))
        try:
            await asyncio.shield(delivery)
        except asyncio.CancelledError:
            # Shutdown: finish the batch in hand, so that its events are acked and committed.
            done, _ = await asyncio.wait({delivery}, timeout=SHUTDOWN_GRACE_S)
            if done and not delivery.exception():
                await self._ack(stream, events, messages, delivery.result(), started)
            else:
                delivery.cancel()
            raise
        await self._ack(stream, events, messages, delivery.result(), started)

    async def _ack(
        self,
        stream: faust.StreamT[bytes],
        events: Sequence[faust.EventT],
        messages: list[InputMessage],
        delivered: list[Outgoing],
        started: float,
    ) -> None:
        for event in events:
            await stream.ack(event)
        for msg in messages:
            if msg.partition is not None and msg.offset is not None:
                self.next_offsets[msg.partition] = msg.offset + 1
        self.monitor.record_batch(delivered, (m.timestamp_ms for m in messages), started)

    async def _deliver(self, messages: list[InputMessage], outgoing: list[Outgoing], now: datetime) -> list[Outgoing]:
        """Send until the broker has every output; returns what was finally delivered."""
        delivered = list(outgoing)
        pending = list(range(len(outgoing)))
        attempt = 0
        while pending:
            results = await asyncio.gather(*(self._send(delivered[i]) for i in pending), return_exceptions=True)
            retry: list[int] = []
            for i, result in zip(pending, results, strict=True):
                if not isinstance(result, BaseException):
                    continue
                msg = messages[i]
                if _too_large(result) and delivered[i].error is None:
                    delivered[i] = self.handler.too_large(msg, str(result), now=now)
                else:
                    log.warning(
                        "send to %s failed, will retry: %r",
                        delivered[i].topic,
                        result,
                        extra=where(msg),
                    )
                retry.append(i)
            pending = retry
            if pending:
                await asyncio.sleep(RETRY_BACKOFF_S[min(attempt, len(RETRY_BACKOFF_S) - 1)])
                attempt += 1
        return delivered

    async def _send(self, out: Outgoing) -> object:
        future = await self.app.producer.send(out.topic, out.key, out.value, None, None, out.headers)
        return await future


def _too_large(exc: BaseException) -> bool:
    return isinstance(exc, MessageSizeTooLargeError) or (
        isinstance(exc, ProducerSendError) and isinstance(exc.__cause__, MessageSizeTooLargeError)
    )


def _input_message(message: Any) -> InputMessage:
    headers = message.headers
    if isinstance(headers, dict):
        headers = list(headers.items())
    return InputMessage(
        value=message.value,
        key=message.key,
        headers=list(headers or ()),
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        timestamp_ms=int(message.timestamp * 1000) if message.timestamp else None,
    )


def _credentials(settings: Settings) -> faust.auth.Credentials | None:
    context = ssl_context(settings)
    if settings.kafka_security_protocol.startswith("SASL"):
        password = settings.kafka_sasl_password
        return faust.SASLCredentials(
            username=settings.kafka_sasl_username,
            password=password.get_secret_value() if password else None,
            mechanism=settings.kafka_sasl_mechanism,
            ssl_context=context,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None
