"""Dead letters: read them back with their reasons, and replay them to the input topic."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from wirestream.publisher import Outbound, Publisher, PublishSummary
from wirestream.schemas.deadletter import DeadLetterError, strip_error_headers
from wirestream.settings import Settings
from wirestream.subscriber import Received, follow


@dataclass(frozen=True, slots=True)
class DeadLetter:
    received: Received
    error: DeadLetterError | None  # None: the message lacks readable error headers

    @property
    def original(self) -> Outbound:
        """The message as it was first published: key, bytes and headers."""
        where = f"{self.received.topic}[{self.received.partition}]@{self.received.offset}"
        return Outbound(
            value=self.received.value or b"",
            key=self.received.key,
            headers=tuple(strip_error_headers(self.received.headers)),
            origin=where,
        )


@dataclass(frozen=True, slots=True)
class DeadLetterFilter:
    error_classes: frozenset[str] = frozenset()
    since: datetime | None = None

    def __call__(self, letter: DeadLetter) -> bool:
        if self.error_classes and (letter.error is None or letter.error.error_class not in self.error_classes):
            return False
        if self.since is not None and letter.error is not None:
            return letter.error.failed_at >= self.since.timestamp() * 1000
        return True


async def dead_letters(
    settings: Settings, *, wanted: Callable[[DeadLetter], bool] = lambda _: True
) -> AsyncIterator[DeadLetter]:
    """Every dead letter now in the topic, oldest first per partition."""
    async for received in follow(settings, settings.topic_dlq, from_beginning=True, until_end=True):
        try:
            error = DeadLetterError.from_headers(received.headers)
        except ValidationError:
            error = None
        letter = DeadLetter(received, error)
        if wanted(letter):
            yield letter


async def replay(
    settings: Settings, *, wanted: Callable[[DeadLetter], bool] = lambda _: True, dry_run: bool = False
) -> tuple[int, PublishSummary]:
    """Republish matching dead letters to the input topic, unchanged; returns (matched, summary)."""
    originals = [letter.original async for letter in dead_letters(settings, wanted=wanted)]
    if dry_run or not originals:
        return len(originals), PublishSummary()
    return len(originals), await Publisher(settings, topic=settings.topic_raw).publish(originals)
