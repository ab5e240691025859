"""Dead letters: read them back with their reasons, and replay them to the input topic.

A replayed message carries the header `wirestream.replayed_from` naming the dead letter it
came from (`articles.dlq[3]@17`). The worker keeps an input's headers on its dead letter, so
when a replayed message fails again, its new dead letter names the old one: replay skips every
dead letter so named, and the dead-letter topic does not double with each replay. (A dead
letter whose replay succeeded is named by nothing: replaying everything again sends it again.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError

from wirestream.publisher import Outbound, Publisher, PublishSummary
from wirestream.schemas.deadletter import DeadLetterError, strip_error_headers
from wirestream.settings import Settings
from wirestream.subscriber import Received, follow

REPLAYED_FROM = "wirestream.replayed_from"


@dataclass(frozen=True, slots=True)
class DeadLetter:
    received: Received
    error: DeadLetterError | None  # None: the message lacks readable error headers

    @property
    def where(self) -> str:
        """Where this dead letter is: `articles.dlq[3]@17`."""
        return f"{self.received.topic}[{self.received.partition}]@{self.received.offset}"

    @property
    def replayed_from(self) -> str | None:
        """The dead letter this one's input was replayed from, if it was a replay."""
        for name, value in self.received.headers:
            if name == REPLAYED_FROM:
                return value.decode("utf-8", "replace")
        return None

    @property
    def original(self) -> Outbound:
        """The message as it was first published (key, bytes and headers), marked as replayed
        from this dead letter."""
        headers = [(n, v) for n, v in strip_error_headers(self.received.headers) if n != REPLAYED_FROM]
        return Outbound(
            value=self.received.value or b"",
            key=self.received.key,
            headers=(*headers, (REPLAYED_FROM, self.where.encode())),
            origin=self.where,
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


@dataclass
class Replay:
    """What a replay matched, skipped as already replayed, and sent."""

    matched: int = 0
    skipped: int = 0
    summary: PublishSummary = field(default_factory=PublishSummary)

    @property
    def to_send(self) -> int:
        return self.matched - self.skipped


async def replay(
    settings: Settings,
    *,
    wanted: Callable[[DeadLetter], bool] = lambda _: True,
    dry_run: bool = False,
    again: bool = False,
    summary: PublishSummary | None = None,
) -> Replay:
    """Republish matching dead letters to the input topic, except those already replayed and
    dead-lettered again (all of them, with `again`). `summary` is filled in as it goes."""
    letters = [letter async for letter in dead_letters(settings)]
    replayed = {letter.replayed_from for letter in letters if letter.replayed_from}
    matching = [letter for letter in letters if wanted(letter)]
    fresh = [letter for letter in matching if again or letter.where not in replayed]
    result = Replay(len(matching), len(matching) - len(fresh), summary if summary is not None else PublishSummary())
    if dry_run or not fresh:
        return result
    publisher = Publisher(settings, topic=settings.topic_raw)
    await publisher.publish([letter.original for letter in fresh], summary=result.summary)
    return result
