"""Helpers for tests against the real local broker: worker processes and plain Kafka clients."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import ConsumerRecord, TopicPartition

from wirestream.localbroker import LocalBroker, free_port

READY_LINE = "Worker ready"
JAR_CACHE = Path(__file__).resolve().parents[2] / ".kafka"


@contextlib.contextmanager
def running_broker(home: Path, **options: object) -> Iterator[LocalBroker]:
    """A real single-node broker on a free port, for as long as the block runs."""
    broker = LocalBroker(home=home, port=free_port(), cache=JAR_CACHE, **options)  # type: ignore[arg-type]
    broker.start(timeout=180)
    try:
        yield broker
    finally:
        broker.stop()
        shutil.rmtree(home, ignore_errors=True)


@dataclass
class Deployment:
    """One isolated wirestream deployment on the shared broker: its own topics and group."""

    bootstrap: str
    workdir: Path
    name: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    partitions: int = 6
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def raw(self) -> str:
        return f"raw-{self.name}"

    @property
    def enriched(self) -> str:
        return f"enriched-{self.name}"

    @property
    def dlq(self) -> str:
        return f"dlq-{self.name}"

    def env(self, **overrides: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "WIRESTREAM_"))}
        env.update(
            KAFKA_BOOTSTRAP_SERVERS=self.bootstrap,
            WIRESTREAM_TOPIC_RAW=self.raw,
            WIRESTREAM_TOPIC_ENRICHED=self.enriched,
            WIRESTREAM_TOPIC_DLQ=self.dlq,
            WIRESTREAM_TOPIC_PARTITIONS=str(self.partitions),
            WIRESTREAM_APP_ID=f"ws-{self.name}",
            WIRESTREAM_DATA_DIR=str(self.workdir / "data"),
            WIRESTREAM_LOG_FORMAT="json",
        )
        env.update(self.extra_env)
        env.update(overrides)
        return env

    def cli(
        self, *args: str, input: bytes | None = None, timeout: float = 60, **env: str
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "wirestream", *args],
            input=input,
            capture_output=True,
            env=self.env(**env),
            timeout=timeout,
            check=False,
        )

    def worker(self, **env: str) -> WorkerProcess:
        return WorkerProcess(self, env)


class WorkerProcess:
    def __init__(self, deployment: Deployment, env: dict[str, str]) -> None:
        self.port = free_port()
        self.log_path = deployment.workdir / f"worker-{self.port}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wirestream", "worker"],
            env=deployment.env(WIRESTREAM_WEB_PORT=str(self.port), **env),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60.0) -> WorkerProcess:
        wait_for(lambda: READY_LINE in self.logs or self.proc.poll() is not None, timeout, "worker ready")
        if self.proc.poll() is not None:
            raise AssertionError(f"worker exited with {self.proc.returncode}:\n{self.logs[-3000:]}")
        return self

    def terminate(self, timeout: float = 20.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        finally:
            self._log.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._log.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


async def produce(
    bootstrap: str,
    topic: str,
    messages: Iterable[tuple[bytes | None, bytes | None, list[tuple[str, bytes]]]],
    *,
    timestamp_ms: int | None = None,
) -> None:
    """Publish (key, value, headers) triples with a plain aiokafka producer; with `timestamp_ms`,
    every message carries that time (the broker's append time otherwise)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", max_request_size=8 * 1024 * 1024)
    await producer.start()
    try:
        futures = [
            await producer.send(topic, value, key=key, headers=headers, timestamp_ms=timestamp_ms)
            for key, value, headers in messages
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def consume(
    bootstrap: str, topic: str, *, until: Callable[[list[ConsumerRecord]], bool], timeout: float = 60.0
) -> list[ConsumerRecord]:
    """Read `topic` from the beginning with a plain consumer until `until(records)` holds."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=8 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    await consumer.start()
    records: list[ConsumerRecord] = []
    deadline = time.monotonic() + timeout
    try:
        while not until(records):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f} s reading {topic}: have {len(records)} records")
            batch = await consumer.getmany(timeout_ms=200)
            for tp_records in batch.values():
                records.extend(tp_records)
    finally:
        await consumer.stop()
    return records


async def read_to_end(bootstrap: str, topic: str, *, partitions: int) -> list[ConsumerRecord]:
    """Every record of `topic`, from the beginning to the end it has when called. Call it once
    nothing writes to the topic any more (the worker has stopped), so that a late duplicate is
    counted too, unlike `consume`, which stops as soon as its condition holds."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        max_partition_fetch_bytes=8 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    tps = [TopicPartition(topic, p) for p in range(partitions)]
    await consumer.start()
    records: list[ConsumerRecord] = []
    try:
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
            batch = await consumer.getmany(timeout_ms=200)
            for tp_records in batch.values():
                records.extend(tp_records)
    finally:
        await consumer.stop()
    return records
