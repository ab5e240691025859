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
    sent: int = 0
    failed: int = 0
    bytes: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds > 0 else 0.0


def iter_outbound(
    paths: Iterable[str], *, stdin: BinaryIO, jsonl: bool = False, html: bool = False
) -> Iterator[Outbound]:
    """Messages from files, folders (recursively, sorted; files with an article suffix such
    as .txt, .html or .jsonl, optionally gzipped) and `-` for stdin.

    A file is one article keyed by its stem, unless `jsonl` (or a .jsonl/.ndjson file): then
    each non-blank line is a JSON envelope, keyed by its `id` when it has one. `.gz` files are
    read decompressed. The `content-type` header says what each message is: `text/html` for
    .html/.htm files (or every file but JSON, with `html`), `application/json` for .json files
    and envelope lines, `text/plain; charset=utf-8` for .txt/.text/.md files; stdin is left
    for the worker to recognise unless `html` or `jsonl` is given.
    """
    for path in paths:
        if path == "-":
            header = HTML_HEADER if html else None
            yield from _messages(stdin.read(), origin="<stdin>", stem=None, jsonl=jsonl, header=header)
            continue
        for file in _files(Path(path)):
            suffix = _suffix(file)
            yield from _messages(
                _read(file),
                origin=str(file),
                stem=_stem(file),
                jsonl=jsonl or suffix in JSONL_SUFFIXES,
                header=_header(suffix, html=html),
            )


def _files(path: Path) -> Iterator[Path]:
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
        yield from found
    elif path.is_file():
        yield path
    else:
        raise InputFileError(f"{path}: no such file or folder")


def _read(file: Path) -> bytes:
    try:
        data = file.read_bytes()
        return gzip.decompress(data) if file.suffix == ".gz" else data
    except (OSError, EOFError) as exc:
        raise InputFileError(f"{file}: cannot read: {exc.strerror if isinstance(exc, OSError) else exc}") from None


def _stem(file: Path) -> str:
    name = file.name.removesuffix(".gz")
    return Path(name).stem


def _suffix(file: Path) -> str:
    return Path(file.name.removesuffix(".gz")).suffix.lower()


def _header(suffix: str, *, html: bool) -> tuple[str, bytes] | None:
    if suffix in JSON_SUFFIXES:
        return JSON_HEADER
    if html or suffix in HTML_SUFFIXES:
        return HTML_HEADER
    return TEXT_HEADER if suffix in TEXT_SUFFIXES else None


def _messages(
    data: bytes, *, origin: str, stem: str | None, jsonl: bool, header: tuple[str, bytes] | None
) -> Iterator[Outbound]:
    if not jsonl:
        yield Outbound(data, stem.encode() if stem else None, (header,) if header else (), origin)
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


@dataclass
class Publisher:
    settings: Settings
    topic: str | None = None
    linger_ms: int = 20

    async def publish(
        self, messages: Iterable[Outbound], *, progress: Callable[[Outbound], None] | None = None
    ) -> PublishSummary:
        summary = PublishSummary()
        started = time.perf_counter()
        topic = self.topic or self.settings.topic_raw
        async with self._producer() as producer:
            await _require_topic(producer, topic, self.settings)
            in_flight: list[tuple[Outbound, asyncio.Future[object]]] = []
            for message in messages:
                try:
                    future = await producer.send(topic, message.value, key=message.key, headers=list(message.headers))
                except KafkaError as exc:
                    _count_failure(summary, message, exc)
                    continue
                in_flight.append((message, future))
                if len(in_flight) >= 1000:
                    await _settle(in_flight, summary, progress)
            await _settle(in_flight, summary, progress)
        summary.seconds = time.perf_counter() - started
        return summary

    def _producer(self) -> _ProducerContext:
        return _ProducerContext(
            AIOKafkaProducer(
                **client_options(self.settings),
                acks="all",
                linger_ms=self.linger_ms,
                max_request_size=self.settings.output_topic_max_bytes,
                compression_type=_compression(self.settings),
                request_timeout_ms=30_000,
            ),
            self.settings,
        )


def _compression(settings: Settings) -> str | None:
    # HTML pages run to several MB and shrink about tenfold: compressed, they travel as well as text.
    return None if settings.producer_compression == "none" else settings.producer_compression


class _ProducerContext:
    def __init__(self, producer: AIOKafkaProducer, settings: Settings) -> None:
        self.producer = producer
        self.settings = settings

    async def __aenter__(self) -> AIOKafkaProducer:
        try:
            await self.producer.start()
        except (KafkaError, OSError) as exc:
            await self.producer.stop()
            raise broker_error(exc, self.settings) from None
        return self.producer

    async def __aexit__(self, *exc: object) -> None:
        await self.producer.stop()


async def _require_topic(producer: AIOKafkaProducer, topic: str, settings: Settings) -> None:
    try:
        cluster = await producer.client.fetch_all_metadata()
    except (KafkaError, OSError) as exc:
        raise broker_error(exc, settings, topic=topic) from None
    if topic not in cluster.topics():
        raise broker_error(UnknownTopicOrPartitionError(), settings, topic=topic)


async def _settle(
    in_flight: list[tuple[Outbound, asyncio.Future[object]]],
    summary: PublishSummary,
    progress: Callable[[Outbound], None] | None,
) -> None:
    for message, future in in_flight:
        try:
            await future
        except KafkaError as exc:
            _count_failure(summary, message, exc)
        else:
            summary.sent += 1
            summary.bytes += len(message.value)
        if progress:
            progress(message)
    in_flight.clear()


def _count_failure(summary: PublishSummary, message: Outbound, exc: BaseException) -> None:
    summary.failed += 1
    summary.failures.append(f"{message.origin}: {type(exc).__name__}: {exc}")
