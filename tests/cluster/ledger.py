"""The cluster suite's ledger: what came out of the output topics, by input id, read while brokers
come and go. (The chaos suite's `tests.chaos.traffic.OutputLog` compares contents with the offline
handler; here only each input's topic is checked, against `faults.expected_topics`.)"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field

import orjson
from aiokafka import AIOKafkaConsumer


@dataclass
class Ledger:
    """What came out, by input id."""

    enriched: dict[bytes, list[bytes]] = field(default_factory=lambda: defaultdict(list))
    dead: dict[bytes, list[tuple[bytes, list]]] = field(default_factory=lambda: defaultdict(list))
    output_times: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))

    def seen(self) -> set[bytes]:
        return set(self.enriched) | set(self.dead)

    def missing(self, keys: set[bytes]) -> set[bytes]:
        return keys - self.seen()

    def duplicates(self) -> int:
        return sum(len(v) - 1 for v in self.enriched.values()) + sum(len(v) - 1 for v in self.dead.values())

    def differing_duplicates(self) -> list[bytes]:
        """Ids whose repeated outputs differ in more than processing timestamps."""
        bad = []
        for key, values in self.enriched.items():
            if len(values) > 1 and len({_without_times(v) for v in values}) > 1:
                bad.append(key)
        for key, letters in self.dead.items():
            if len(letters) > 1 and len({(v, _headers_without_times(h)) for v, h in letters}) > 1:
                bad.append(key)
        return bad

    def both(self) -> set[bytes]:
        return set(self.enriched) & set(self.dead)


def _without_times(value: bytes) -> bytes:
    record = orjson.loads(value)
    record["processing"].pop("processed_at")
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS)


def _headers_without_times(headers: list) -> tuple:
    return tuple((k, v) for k, v in headers if k != "wirestream.errors.failed_at")


async def collect(bootstrap: str, enriched: str, dlq: str, keys: set[bytes], *, timeout: float) -> Ledger:
    """Read both output topics from the start until every key is accounted for (or time runs out),
    then read on to the end so that late duplicates are counted too."""
    ledger = Ledger()
    consumer = AIOKafkaConsumer(
        enriched, dlq, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest",
        max_partition_fetch_bytes=8 * 1024 * 1024,
    )  # fmt: skip
    await consumer.start()
    try:
        deadline = time.monotonic() + timeout
        while ledger.missing(keys) and time.monotonic() < deadline:
            await _drain(consumer, ledger, enriched)
        await asyncio.sleep(3)  # anything still in flight
        ends = await consumer.end_offsets(list(consumer.assignment()))
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            await _drain(consumer, ledger, enriched)
    finally:
        await consumer.stop()
    return ledger


async def _drain(consumer: AIOKafkaConsumer, ledger: Ledger, enriched: str) -> None:
    batch = await consumer.getmany(timeout_ms=300, max_records=2000)
    for tp, records in batch.items():
        for r in records:
            if tp.topic == enriched:
                ledger.enriched[r.key].append(r.value)
                ledger.output_times[orjson.loads(r.value)["processing"]["partition"]].append(r.timestamp / 1000)
            else:
                ledger.dead[r.key].append((r.value, list(r.headers)))
