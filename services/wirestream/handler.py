"""The worker's per-message step: one input message in, one outgoing message out.

Every input becomes either an enriched record for the output topic or a dead letter (the
original key, value and headers, plus error headers) for the dead-letter topic. Nothing here
raises for any input, so no message can take the worker down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from wirestream import __version__
from wirestream.enrich import InputMessage, encode_record, enrich_message, fallback_id
from wirestream.errors import EnrichmentError, InvalidArticleError, OutputTooLargeError
from wirestream.schemas.article import EnrichedArticle
from wirestream.schemas.deadletter import DeadLetterError, Stage
from wirestream.settings import Settings

log = logging.getLogger(__name__)

Headers = list[tuple[str, bytes]]


@dataclass(frozen=True, slots=True)
class Outgoing:
    topic: str
    key: bytes | None
    value: bytes | None
    headers: Headers = field(default_factory=list)
    record: EnrichedArticle | None = None
    error: DeadLetterError | None = None


class MessageHandler:
    def __init__(self, settings: Settings) -> None:
        self.enriched_topic = settings.topic_enriched
        self.dlq_topic = settings.topic_dlq
        self.max_input_bytes = settings.max_message_bytes
        self.max_html_bytes = settings.max_html_bytes
        # A record beyond this is dead-lettered rather than refused by the broker again and again.
        self.max_output_bytes = settings.input_topic_max_bytes

    def handle(self, msg: InputMessage, *, now: datetime) -> Outgoing:
        try:
            record = enrich_message(
                msg, max_bytes=self.max_input_bytes, max_html_bytes=self.max_html_bytes, processed_at=now
            )
            value = encode_record(record, max_bytes=self.max_output_bytes)
        except (InvalidArticleError, EnrichmentError) as exc:
            return self.dead_letter(msg, exc, now=now)
        except Exception as exc:  # a bug outside the core must not stop the stream either
            log.exception("unexpected error enriching a message", extra=where(msg))
            return self.dead_letter(msg, exc, now=now, stage="enrich")
        return Outgoing(self.enriched_topic, record.id.encode(), value, record=record)

    def too_large(self, msg: InputMessage, detail: str, *, now: datetime) -> Outgoing:
        """The broker refused the enriched record as too large: dead-letter the input instead."""
        return self.dead_letter(msg, OutputTooLargeError(detail), now=now)

    def dead_letter(
        self, msg: InputMessage, exc: BaseException, *, now: datetime, stage: Stage | None = None
    ) -> Outgoing:
        error = DeadLetterError(
            error_class=type(exc).__name__,
            message=(str(exc) or type(exc).__name__)[:2000],
            stage=stage or getattr(exc, "stage", "enrich"),
            topic=msg.topic or "",
            partition=msg.partition if msg.partition is not None else -1,
            offset=msg.offset if msg.offset is not None else -1,
            timestamp=msg.timestamp_ms,
            failed_at=int(now.timestamp() * 1000),
            version=__version__,
        )
        log.warning(
            "dead-lettered: %s: %s",
            error.error_class,
            error.message,
            extra={**where(msg), "error_class": error.error_class, "stage": error.stage},
        )
        headers = list(msg.headers) + error.to_headers()
        return Outgoing(self.dlq_topic, msg.key, msg.value, headers, error=error)


def where(msg: InputMessage) -> dict[str, object]:
    """Log fields that locate a message."""
    return {"article_id": fallback_id(msg), "topic": msg.topic, "partition": msg.partition, "offset": msg.offset}
