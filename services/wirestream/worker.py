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
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import faust
from aiokafka.errors import MessageSizeTooLargeError
from faust.exceptions import ProducerSendError

from wirestream.enrich import InputMessage
from wirestream.handler import MessageHandler, Outgoing
from wirestream.kafka import ssl_context
from wirestream.rebalance import App
from wirestream.settings import Settings

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_S = 8.0
RETRY_BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0)


def create_app(settings: Settings) -> faust.App:
    app = App(
        settings.app_id,
        broker=[f"kafka://{server}" for server in settings.bootstrap_servers],
        broker_credentials=_credentials(settings),
        store="memory://",
        datadir=settings.data_dir,
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication_factor,
        topic_disable_leader=True,
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.session_timeout_s / 10,
        broker_commit_interval=settings.commit_interval_s,
        producer_acks=-1,
        producer_linger=settings.producer_linger_ms / 1000,
        producer_max_batch_size=settings.producer_batch_bytes,
        producer_compression_type=None if settings.producer_compression == "none" else settings.producer_compression,
        producer_max_request_size=settings.topic_max_message_bytes,
        consumer_max_fetch_size=settings.topic_max_message_bytes,
        web_enabled=True,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        key_serializer="raw",
        value_serializer="raw",
    )
    raw = app.topic(
        settings.topic_raw,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        allow_empty=True,
    )
    pipeline = Pipeline(app, MessageHandler(settings))

    @app.agent(raw, name="enrich", concurrency=1)
    async def enrich(stream: faust.StreamT[bytes]) -> None:
        within = settings.batch_window_ms / 1000 or None
        async for events in stream.noack_take(settings.batch_size, within=within):
            await pipeline.process(events)
            for event in events:
                await stream.ack(event)

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        return web.json({"status": "ok"})

    @app.page("/ready")
    async def ready(web: Any, request: Any) -> Any:
        assigned = sorted(tp.partition for tp in app.consumer.assignment() if tp.topic == settings.topic_raw)
        consuming = bool(assigned) and not app.rebalancing and app.flow_control.is_active()
        return web.json({"ready": consuming, "partitions": assigned}, status=200 if consuming else 503)

    return app


class Pipeline:
    """Handle a batch of events and deliver every result before the caller acks them."""

    def __init__(self, app: faust.App, handler: MessageHandler) -> None:
        self.app = app
        self.handler = handler

    async def process(self, events: Sequence[faust.EventT]) -> None:
        delivery = asyncio.ensure_future(self._handle_and_deliver(events))
        try:
            await asyncio.shield(delivery)
        except asyncio.CancelledError:
            # Shutdown: finish the in-flight batch so that the events can be acked and committed.
            done, _ = await asyncio.wait({delivery}, timeout=SHUTDOWN_GRACE_S)
            if not done:
                delivery.cancel()
            raise

    async def _handle_and_deliver(self, events: Sequence[faust.EventT]) -> None:
        now = datetime.now(UTC)
        pending: list[tuple[InputMessage, Outgoing, asyncio.Future[Any]]] = []
        for event in events:
            msg = _input_message(event.message)
            out = self.handler.handle(msg, now=now)
            pending.append((msg, out, await self._send(out)))
            # The producer puts earlier results on the wire while later ones are handled.
            await asyncio.sleep(0)
        await self._settle(pending, now)

    async def _settle(self, pending: list[tuple[InputMessage, Outgoing, asyncio.Future[Any]]], now: datetime) -> None:
        """Wait for every delivery; send again what failed, after a pause, until all are written."""
        attempt = 0
        while pending:
            results = await asyncio.gather(*(future for _, _, future in pending), return_exceptions=True)
            retry: list[tuple[InputMessage, Outgoing]] = []
            for (msg, out, _), result in zip(pending, results, strict=True):
                if not isinstance(result, BaseException):
                    continue
                if _too_large(result) and out.error is None:
                    retry.append((msg, self.handler.too_large(msg, str(result), now=now)))
                else:
                    retry.append((msg, out))
                    log.warning(
                        "send to %s failed, will retry: %r",
                        out.topic,
                        result,
                        extra={"topic": msg.topic, "partition": msg.partition, "offset": msg.offset},
                    )
            if retry:
                await asyncio.sleep(RETRY_BACKOFF_S[min(attempt, len(RETRY_BACKOFF_S) - 1)])
                attempt += 1
            pending = [(msg, out, await self._send(out)) for msg, out in retry]

    async def _send(self, out: Outgoing) -> asyncio.Future[Any]:
        """The delivery future of one record; a record refused before it is queued (too large,
        say) gets a future that has already failed, so that it is settled with the rest."""
        try:
            return await self.app.producer.send(out.topic, out.key, out.value, None, None, out.headers)
        except Exception as exc:
            failed: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            failed.set_exception(exc)
            return failed


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
