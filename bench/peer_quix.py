"""The peer: the worker's enrichment as a quixstreams application.

    python bench/peer_quix.py

Configured from `Settings` like the worker. Each message goes through the same
`MessageHandler`; its record goes to the enriched topic, or the original message with error
headers to the dead-letter topic. quixstreams' at-least-once checkpoint flushes the producer
(waits for every delivery) before it commits, every `commit_interval_s`. Producer: acks=all and
the worker's linger, batch size and compression.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quixstreams import Application, message_context
from quixstreams.models.serializers import SerializationContext, Serializer

from wirestream.enrich import InputMessage, warm_up
from wirestream.handler import MessageHandler, Outgoing
from wirestream.settings import Settings


class _OutgoingValue(Serializer):
    """The handler has encoded the value already."""

    def __call__(self, value: Outgoing, ctx: SerializationContext) -> bytes | None:
        return value.value


def main() -> None:
    settings = Settings()
    warm_up()  # as the worker does before taking traffic
    handler = MessageHandler(settings)
    app = Application(
        broker_address=settings.kafka_bootstrap_servers,
        consumer_group=settings.app_id,
        auto_offset_reset="earliest",
        commit_interval=settings.commit_interval_s,
        processing_guarantee="at-least-once",
        auto_create_topics=False,
        use_changelog_topics=False,
        state_dir=Path(__file__).parent / "out" / "quix-state",  # no stateful steps; keep it out of the tree
        loglevel="WARNING",
        consumer_extra_config={"max.partition.fetch.bytes": settings.output_topic_max_bytes},
        producer_extra_config={
            "acks": "all",
            "linger.ms": settings.producer_linger_ms,
            "batch.size": settings.producer_batch_bytes,
            "message.max.bytes": settings.output_topic_max_bytes,
            "compression.type": settings.producer_compression,
        },
    )
    raw = app.topic(settings.topic_raw, key_deserializer="bytes", value_deserializer="bytes")
    targets = {
        name: app.topic(name, key_serializer="bytes", value_serializer=_OutgoingValue())
        for name in (settings.topic_enriched, settings.topic_dlq)
    }

    def handle(value: bytes, key: bytes | None, timestamp: int, headers: Any) -> Outgoing:
        ctx = message_context()
        msg = InputMessage(value, key, list(headers or ()), ctx.topic, ctx.partition, ctx.offset, timestamp)
        return handler.handle(msg, now=datetime.now(UTC))

    sdf = app.dataframe(raw)
    sdf = sdf.apply(handle, metadata=True)
    sdf = sdf.set_headers(lambda out, key, timestamp, headers: out.headers)
    sdf.to_topic(lambda out, key, timestamp, headers: targets[out.topic], key=lambda out: out.key)
    app.run()


if __name__ == "__main__":
    main()
