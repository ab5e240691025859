"""Publishing articles to the input topic: what to send (files, folders, stdin, JSON lines)
and a batched producer that reports what it sent."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError, UnknownTopicOrPartitionError

from wirestream import codec
from wirestream.errors import WirestreamError
from wirestream.kafka import client_options
from wirestream.settings import Settings
from wirestream.topics import broker_error

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
# In a folder, only these are articles (a LICENSE or .DS_Store beside them is not).
ARTICLE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
# What a file is follows from its suffix, so that the worker never has to guess
# (a .txt file starting with `[UPDATE]` or `{Update}` is text, not broken JSON).
HTML_HEADER = ("content-type", b"text/html")
TEXT_HEADER = ("content-type", b"text/plain; charset=utf-8")
JSON_HEADER = ("content-type", b"application/json")


class InputFileError(WirestreamError):
    """An input path that cannot be read."""


@dataclass(frozen=True, slots=True)
class Outbound:
    """One message to publish, and where it came from (for error reports)."""

    value: bytes
    key: bytes | None = None
    headers: tuple[tuple[str, bytes], ...] = ()
    origin: str = ""


@dataclass
class PublishSummary:
    """What a publish run did so far. Filled in as it goes, so that an interrupted run can
    still say what reached the broker: `sent` were acknowledged, `failures` were refused or
    not acknowledged in time, `unsent` (their origins) were never handed to the producer."""

    sent: int = 0
    failed: int = 0
    bytes: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    unsent: list[str] = field(default_factory=list)
    gave_up: str | None = None  # why the run stopped early (a message not acknowledged in time)

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds > 0 else 0.0


def iter_outbound(
    paths: Iterable[str], *, stdin: BinaryIO, jsonl: bool = False, html: bool = False
) -> Iterator[Outbound]:
    """Messages from files, folders (recursively, sorted; files with an article suffix such
    as .txt, .html or .jsonl, optionally gzipped) and `-` for stdin.

    A file is one article keyed by its id (`article_id`): its path relative to the folder
    given, or its name when the file itself is given. Two inputs that would share an id are
    refused before anything is read. With `jsonl` (or a .jsonl/.ndjson file), each non-blank line
    is a JSON envelope, keyed by its `id` when it has one. `.gz` files are read decompressed. The
    `content-type` header says what each message is: `text/html` for .html/.htm files (or every
    file but JSON, with `html`), `application/json` for .json files and envelope lines,
    `text/plain; charset=utf-8` for .txt/.text/.md files; stdin is left for the worker to
    recognise unless `html` or `jsonl` is given.
    """
    inputs = [(path, list(_files(Path(path))) if path != "-" else []) for path in paths]
    if not jsonl:
        _refuse_shared_ids(file for _, files in inputs for file in files)
    for path, files in inputs:
        if path == "-":
            header = HTML_HEADER if html else None
            yield from _messages(stdin.read(), origin="<stdin>", file_id=None, jsonl=jsonl, header=header)
            continue
        for file in files:
            suffix = _suffix(file.path)
            yield from _messages(
                _read(file.path),
                origin=str(file.path),
                file_id=file.id,
                jsonl=jsonl or suffix in JSONL_SUFFIXES,
                header=_header(suffix, html=html),
            )


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    id: str


def article_id(file: Path, root: Path) -> str:
    """A file's article id: its path relative to `root` (the folder given on the command
    line, or the file's own folder), `/`-separated, with a `.gz` suffix dropped. Stable
    from run to run and distinct within a folder: `a/story.txt`, `b/story.txt`, `story.html`."""
    return file.relative_to(root).as_posix().removesuffix(".gz")


def _refuse_shared_ids(files: Iterable[InputFile]) -> None:
    seen: dict[str, Path] = {}
    for file in files:
        if file.id in seen:
            raise InputFileError(
                f"{seen[file.id]} and {file.path} would both have the id {file.id!r} "
                "(ids are paths relative to the folder given: give their common folder instead)"
            )
        seen[file.id] = file.path


def _files(path: Path) -> Iterator[InputFile]:
    if path.is_dir():
        found = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and Path(p.name.removesuffix(".gz")).suffix.lower() in ARTICLE_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not found:
            raise InputFileError(f"{path}: folder has no article files ({', '.join(sorted(ARTICLE_SUFFIXES))})")
        yield from (InputFile(p, article_id(p, path)) for p in found)
    elif path.is_file():
        yield InputFile(path, article_id(path, path.parent))
    else:
        raise InputFileError(f"{path}: no such file or folder")


def _read(file: Path) -> bytes:
    try:
        data = file.read_bytes()
        return gzip.decompress(data) if file.suffix == ".gz" else data
    except (OSError, EOFError) as exc:
        raise InputFileError(f"{file}: cannot read: {exc.strerror if isinstance(exc, OSError) else exc}") from None


def _suffix(file: Path) -> str:
    return Path(file.name.removesuffix(".gz")).suffix.lower()


def _header(suffix: str, *, html: bool) -> tuple[str, bytes] | None:
    if suffix in JSON_SUFFIXES:
        return JSON_HEADER
    if html or suffix in HTML_SUFFIXES:
        return HTML_HEADER
    return TEXT_HEADER if suffix in TEXT_SUFFIXES else None


def _messages(
    data: bytes, *, origin: str, file_id: str | None, jsonl: bool, header: tuple[str, bytes] | None
) -> Iterator[Outbound]:
    if not jsonl:
        yield Outbound(data, file_id.encode() if file_id else None, (header,) if header else (), origin)
        return
    for number, line in enumerate(data.splitlines(), start=1):
        if line.strip():
            yield Outbound(line, _envelope_id(line), (JSON_HEADER,), f"{origin}:{number}")


def _envelope_id(line: bytes) -> bytes | None:
    # The key is the envelope's id, so records land on a stable partition; a line that does
    # not parse is sent anyway, keyless, and the worker dead-letters it with the reason.
    try:
        data = codec.loads(line)
    except codec.JSONDecodeError:
        return None
    article_id = data.get("id") if isinstance(data, dict) else None
    return article_id.encode() if isinstance(article_id, str) and article_id else None


class _DeliveryTimeout(Exception):
    """The broker did not take a message within the delivery timeout."""


@dataclass
class Publisher:
    """A batched producer to one topic. A message the broker has not acknowledged within
    `timeout_s` (default `WIRESTREAM_PUBLISH_TIMEOUT_S`) ends the run: the messages in flight
    count as failed, the rest as unsent, and the producer is closed without waiting for them."""

    settings: Settings
    topic: str | None = None
    linger_ms: int = 20
    timeout_s: float | None = None

    async def publish(
        self,
        messages: Iterable[Outbound],
        *,
        progress: Callable[[Outbound], None] | None = None,
        summary: PublishSummary | None = None,
    ) -> PublishSummary:
        """Send every message and wait for the broker to acknowledge it. `summary` (a new one
        by default) is updated as messages settle; if the run is cancelled (Ctrl-C), it holds
        what was done by then, and the messages not handed to the producer are in `unsent`."""
        summary = PublishSummary() if summary is None else summary
        started = time.perf_counter()
        topic = self.topic or self.settings.topic_raw
        timeout = self.settings.publish_timeout_s if self.timeout_s is None else self.timeout_s
        queue = iter(messages)
        in_flight: list[_InFlight] = []
        try:
            async with self._producer(timeout) as context:
                producer = context.producer
                await _require_topic(producer, topic, self.settings)
                try:
                    for message in queue:
                        # Until the producer has it, a message interrupted or timed out is unsent.
                        summary.unsent.append(message.origin)
                        _count_settled(in_flight, summary, progress)
                        # The oldest message in flight bounds how long this one may wait for room.
                        limit = in_flight[0].deadline - time.monotonic() if in_flight else timeout
                        if limit <= 0:
                            raise _DeliveryTimeout
                        try:
                            # asyncio.timeout, not wait_for: wait_for (3.11) can swallow a Ctrl-C
                            # that arrives just as the send completes.
                            async with asyncio.timeout(limit):
                                future = await producer.send(
                                    topic, message.value, key=message.key, headers=list(message.headers)
                                )
                        except KafkaError as exc:
                            summary.unsent.pop()
                            _count_failure(summary, message, exc)
                            continue
                        except TimeoutError:
                            raise _DeliveryTimeout from None
                        summary.unsent.pop()
                        in_flight.append(_InFlight(message, future, time.monotonic() + timeout))
                        if len(in_flight) >= 1000:
                            await _settle(in_flight, summary, progress)
                    await _settle(in_flight, summary, progress)
                except _DeliveryTimeout:
                    summary.gave_up = f"a message was not acknowledged within {timeout:g} s"
                    _fail_in_flight(in_flight, summary, f"not acknowledged within {timeout:g} s")
                    context.abandon()
                except asyncio.CancelledError:
                    # Interrupted: count what the broker confirms within a short grace, then stop.
                    try:
                        await _settle(in_flight, summary, progress, grace=min(timeout, 5.0))
                    except _DeliveryTimeout:
                        _fail_in_flight(in_flight, summary, "not acknowledged before the interrupt")
                        context.abandon()
                    raise
        finally:
            summary.unsent.extend(message.origin for message in queue)
            summary.seconds = time.perf_counter() - started
        return summary

    def _producer(self, timeout: float) -> _ProducerContext:
        return _ProducerContext(
            AIOKafkaProducer(
                **client_options(self.settings),
                acks="all",
                linger_ms=self.linger_ms,
                max_request_size=self.settings.output_topic_max_bytes,
                compression_type=_compression(self.settings),
                request_timeout_ms=int(min(30.0, timeout) * 1000),
            ),
            self.settings,
        )


def _compression(settings: Settings) -> str | None:
    # HTML pages run to several MB and shrink about tenfold: compressed, they travel as well as text.
    return None if settings.producer_compression == "none" else settings.producer_compression


@dataclass
class _InFlight:
    message: Outbound
    future: asyncio.Future[object]
    deadline: float  # time.monotonic() by which the broker must have acknowledged it


class _ProducerContext:
    def __init__(self, producer: AIOKafkaProducer, settings: Settings) -> None:
        self.producer = producer
        self.settings = settings
        self._abandoned = False

    def abandon(self) -> None:
        """Close without delivering what is still queued (the broker is gone)."""
        self._abandoned = True

    async def __aenter__(self) -> _ProducerContext:
        try:
            await self.producer.start()
        except (KafkaError, OSError) as exc:
            await self.producer.stop()
            raise broker_error(exc, self.settings) from None
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._abandoned:
            # aiokafka retries a batch for as long as its partition's leader is known, even when
            # that broker is gone, and stop() waits for every batch: stop its sender first, so
            # that stop() returns at once and the batches still queued are dropped.
            await self.producer._sender.close()
        await self.producer.stop()


async def _require_topic(producer: AIOKafkaProducer, topic: str, settings: Settings) -> None:
    try:
        cluster = await producer.client.fetch_all_metadata()
    except (KafkaError, OSError) as exc:
        raise broker_error(exc, settings, topic=topic) from None
    if topic not in cluster.topics():
        raise broker_error(UnknownTopicOrPartitionError(), settings, topic=topic)


async def _settle(
    in_flight: list[_InFlight],
    summary: PublishSummary,
    progress: Callable[[Outbound], None] | None,
    *,
    grace: float | None = None,
) -> None:
    """Wait for each message's acknowledgement, in order, and count it; raise `_DeliveryTimeout`
    when one is not acknowledged by its deadline (or within `grace`), leaving it and the rest
    in `in_flight`."""
    if grace is not None:
        for entry in in_flight:
            entry.deadline = min(entry.deadline, time.monotonic() + grace)
    while in_flight:
        entry = in_flight[0]
        # asyncio.wait, not await: a cancelled caller must not cancel the producer's future.
        done, _ = await asyncio.wait({entry.future}, timeout=max(0.0, entry.deadline - time.monotonic()))
        if not done:
            raise _DeliveryTimeout
        in_flight.pop(0)
        _count(summary, entry)
        if progress:
            progress(entry.message)


def _count_settled(
    in_flight: list[_InFlight], summary: PublishSummary, progress: Callable[[Outbound], None] | None
) -> None:
    """Count the messages at the head of `in_flight` that the broker has answered, in order."""
    settled = 0
    while settled < len(in_flight) and in_flight[settled].future.done():
        _count(summary, in_flight[settled])
        if progress:
            progress(in_flight[settled].message)
        settled += 1
    del in_flight[:settled]


def _count(summary: PublishSummary, entry: _InFlight) -> None:
    future = entry.future
    exc = asyncio.CancelledError() if future.cancelled() else future.exception()
    if exc is None:
        summary.sent += 1
        summary.bytes += len(entry.message.value)
    else:
        _count_failure(summary, entry.message, exc)


def _fail_in_flight(in_flight: list[_InFlight], summary: PublishSummary, reason: str) -> None:
    for entry in in_flight:
        if entry.future.done():
            _count(summary, entry)
        else:
            # Whatever the producer later sets on it is read, not left "never retrieved".
            entry.future.add_done_callback(_retrieve)
            summary.failed += 1
            summary.failures.append(f"{entry.message.origin}: {reason}")
    in_flight.clear()


def _retrieve(future: asyncio.Future[object]) -> None:
    if not future.cancelled():
        future.exception()


def _count_failure(summary: PublishSummary, message: Outbound, exc: BaseException) -> None:
    summary.failed += 1
    reason = str(exc) if str(exc).startswith(type(exc).__name__) else f"{type(exc).__name__}: {exc}"
    summary.failures.append(f"{message.origin}: {reason}")
