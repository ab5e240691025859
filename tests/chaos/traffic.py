"""Varied traffic for fault injection, what each input should become, and the ledger of what
came out."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from tests.conftest import FIXTURES
from wirestream.enrich import InputMessage
from wirestream.handler import MessageHandler
from wirestream.schemas.deadletter import HEADER_PREFIX
from wirestream.settings import Settings

PAGES = sorted((FIXTURES / "aeb").glob("*.txt")) + [FIXTURES / "rferl-us-iraq-withdrawal.txt"]

Message = tuple[bytes, bytes, list]
Destination = Literal["enriched", "dlq"]


def articles(count: int, *, seed: int, prefix: str, bad_share: float = 0.03) -> list[Message]:
    """(key, value, headers) triples: real pages, cut and varied, plus some bad inputs."""
    rnd = random.Random(seed)
    texts = [p.read_text() for p in PAGES]
    out = []
    for n in range(count):
        key = f"{prefix}-{n:06d}".encode()
        roll = rnd.random()
        if roll < bad_share / 2:
            value = b"\xff\xfe" + rnd.randbytes(rnd.randrange(10, 400))
        elif roll < bad_share:
            value = b'{"id": "%s", "text": "cut off' % key
        else:
            paragraphs = rnd.choice(texts).split("\n\n")
            start = rnd.randrange(0, max(1, len(paragraphs) // 4))
            kept = paragraphs[start : start + rnd.randrange(5, 60)]
            value = ("\n\n".join(kept) + f"\n\nReference {key.decode()}.").encode()
            if rnd.random() < 0.2:
                value = orjson.dumps({"id": key.decode(), "text": value.decode(), "source": "chaos"})
        out.append((key, value, []))
    return out


@dataclass(frozen=True, slots=True)
class Expected:
    """What the pure handler makes of an input: where it goes, and a digest of what it says
    (the record without its `processing` block, or the dead letter's value and error class)."""

    destination: Destination
    content: bytes


class _WorkerDefaults(Settings):
    """The settings a chaos worker runs with: the deployment strips WIRESTREAM_* and KAFKA_*
    from its environment, so the offline handler must not read this process's either."""

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, **sources):  # type: ignore[no-untyped-def,override]
        return (init_settings,)


# Every input is published with this message time: a record's dates can depend on it ("Updated 2 hours
# ago" is read against the message's time), so the offline handler must see the same time.
TRAFFIC_TIME_MS = int(time.time() * 1000)


def expected_outputs(traffic: Iterable[Message]) -> dict[bytes, Expected]:
    """Each input's expected output, computed offline with the worker's own pure handler (as
    bench/run.py does): the traffic is seeded and the handler depends on nothing else."""
    handler = MessageHandler(_WorkerDefaults())
    now = datetime.now(UTC)
    expected = {}
    for key, value, headers in traffic:
        message = InputMessage(value, key, headers, topic="raw", partition=0, offset=0, timestamp_ms=TRAFFIC_TIME_MS)
        out = handler.handle(message, now=now)
        if out.error is None:
            assert out.value is not None
            expected[key] = Expected("enriched", _record_digest(orjson.loads(out.value)))
        else:
            expected[key] = Expected("dlq", _digest(value, out.error.error_class.encode()))
    return expected


@dataclass(frozen=True, slots=True)
class Output:
    """One message read from an output topic."""

    destination: Destination
    partition: int  # of the input
    offset: int  # of the input
    at: float  # when the worker took the input's batch (processed_at / failed_at), epoch seconds
    appended: float  # the output's Kafka timestamp, epoch seconds
    same: bytes  # digest of everything but processing timestamps: duplicates must agree on it
    content: bytes  # digest comparable with `Expected.content`


@dataclass(frozen=True, slots=True)
class Figures:
    published: int
    enriched: int  # distinct keys in the enriched topic
    dead_lettered: int  # distinct keys in the dead-letter topic
    lost: int
    wrongly_routed: int
    wrong_content: int
    stray: int
    both: int
    duplicates: int
    differing_duplicates: int

    def __str__(self) -> str:
        return ", ".join(f"{k}={getattr(self, k)}" for k in self.__dataclass_fields__)


@dataclass
class Ledger:
    """What came out, by input key."""

    outputs: dict[bytes, list[Output]] = field(default_factory=lambda: defaultdict(list))
    by_input: dict[int, dict[int, bytes]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, key: bytes, output: Output) -> None:
        self.outputs[key].append(output)
        self.by_input[output.partition][output.offset] = key

    def duplicates(self) -> int:
        return sum(len(v) - 1 for v in self.outputs.values())

    def copies(self, key: bytes) -> int:
        return len(self.outputs.get(key, ()))

    def figures(self, expected: dict[bytes, Expected]) -> Figures:
        keys = set(self.outputs)
        routed = {k: {o.destination for o in v} for k, v in self.outputs.items()}
        wrongly_routed = wrong_content = 0
        for key, want in expected.items():
            got = self.outputs.get(key)
            if not got:
                continue
            if routed[key] != {want.destination}:
                wrongly_routed += 1
            elif any(o.content != want.content for o in got):
                wrong_content += 1
        return Figures(
            published=len(expected),
            enriched=sum("enriched" in d for d in routed.values()),
            dead_lettered=sum("dlq" in d for d in routed.values()),
            lost=len(expected.keys() - keys),
            wrongly_routed=wrongly_routed,
            wrong_content=wrong_content,
            stray=len(keys - expected.keys()),
            both=sum(len(d) > 1 for d in routed.values()),
            duplicates=self.duplicates(),
            differing_duplicates=sum(len({o.same for o in v}) > 1 for v in self.outputs.values()),
        )

    def delivered_since(
        self, committed: dict[int, int], partitions: Iterable[int], since: float
    ) -> dict[tuple[int, int], bytes]:
        """Inputs on `partitions` at or past the group's committed offset whose output was made
        after `since` (by whoever owned the partition from then on): work delivered, not
        committed. Keyed by (partition, offset)."""
        found = {}
        for p in partitions:
            start = committed.get(p, 0)
            for offset, key in self.by_input[p].items():
                if offset >= start and any(o.at > since for o in self.outputs[key]):
                    found[p, offset] = key
        return found

    def times_by_partition(self) -> dict[int, list[float]]:
        times: dict[int, list[float]] = defaultdict(list)
        for outputs in self.outputs.values():
            for o in outputs:
                if o.destination == "enriched":
                    times[o.partition].append(o.appended)
        return times


def _digest(*parts: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.digest()


def _record_digest(record: dict) -> bytes:
    return _digest(orjson.dumps({k: v for k, v in record.items() if k != "processing"}, option=orjson.OPT_SORT_KEYS))


def _enriched_output(value: bytes, appended: float) -> Output:
    record = orjson.loads(value)
    processing = dict(record["processing"])
    at = datetime.fromisoformat(processing.pop("processed_at")).timestamp()
    same = _digest(orjson.dumps({**record, "processing": processing}, option=orjson.OPT_SORT_KEYS))
    return Output("enriched", processing["partition"], processing["offset"], at, appended, same,
                  _record_digest(record))  # fmt: skip


def _dead_letter_output(value: bytes, headers: Sequence[tuple[str, bytes]], appended: float) -> Output:
    error = {k[len(HEADER_PREFIX) :]: v for k, v in headers if k.startswith(HEADER_PREFIX)}
    kept = [(k, v) for k, v in headers if k != HEADER_PREFIX + "failed_at"]
    same = _digest(value, *(k.encode() + b"=" + v for k, v in kept))
    return Output("dlq", int(error["partition"]), int(error["offset"]), int(error["failed_at"]) / 1000, appended,
                  same, _digest(value, error["error_class"]))  # fmt: skip


class OutputLog:
    """Both output topics, read on demand from the start: `count` is cheap (end offsets, records
    plus dead letters, duplicates too), `catch_up` reads everything up to the current end."""

    def __init__(self, bootstrap: str, enriched: str, dlq: str, partitions: int) -> None:
        self.enriched, self.dlq = enriched, dlq
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest",
            max_partition_fetch_bytes=8 * 1024 * 1024,
        )  # fmt: skip
        self.tps = [TopicPartition(t, p) for t in (enriched, dlq) for p in range(partitions)]
        self.ledger = Ledger()

    async def __aenter__(self) -> OutputLog:
        await self.consumer.start()
        self.consumer.assign(self.tps)
        await self.consumer.seek_to_beginning(*self.tps)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.consumer.stop()

    async def count(self) -> int:
        return sum((await self.consumer.end_offsets(self.tps)).values())

    async def wait_for(self, n: int, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while await self.count() < n:
            if time.monotonic() > deadline:
                raise AssertionError(f"output stuck below {n}")
            await asyncio.sleep(0.1)

    async def catch_up(self) -> Ledger:
        ends = await self.consumer.end_offsets(self.tps)
        while [tp for tp, end in ends.items() if await self.consumer.position(tp) < end]:
            batch = await self.consumer.getmany(timeout_ms=300, max_records=2000)
            for tp, records in batch.items():
                for r in records:
                    appended = r.timestamp / 1000
                    if tp.topic == self.enriched:
                        self.ledger.add(r.key, _enriched_output(r.value, appended))
                    else:
                        self.ledger.add(r.key, _dead_letter_output(r.value, list(r.headers), appended))
        return self.ledger


async def collect(bootstrap: str, enriched: str, dlq: str, partitions: int) -> Ledger:
    """Everything in both output topics up to their end; call it once no worker runs, so that
    nothing can come after."""
    async with OutputLog(bootstrap, enriched, dlq, partitions) as log:
        return await log.catch_up()


def longest_gaps(times: dict[int, list[float]]) -> dict[int, float]:
    return {p: max((b - a for a, b in itertools.pairwise(sorted(t))), default=0.0) for p, t in times.items()}
