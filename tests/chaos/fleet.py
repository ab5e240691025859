"""The workers of a chaos deployment seen from outside: which partitions each one owns, what
their group has committed, and catching one of them with work in flight before it is killed."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from tests.chaos.traffic import OutputLog
from tests.integration.kafka_support import Deployment, WorkerProcess

SETTLE_S = 0.5  # for requests a frozen worker had already sent (outputs, a commit) to reach the broker


def _ready(port: int) -> list[int] | None:
    """The partitions a worker consumes, or None while it has none or is rebalancing."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5) as response:
            return orjson.loads(response.read())["partitions"]
    except (urllib.error.URLError, OSError):  # 503 (not ready) or not listening yet
        return None


async def wait_group_ready(
    workers: Sequence[WorkerProcess], partitions: int, timeout: float = 180
) -> tuple[float, list[list[int]]]:
    """Until every worker consumes and together they own each partition exactly once (a kill
    then hits a worker at work, not one still starting). Returns when (epoch seconds) and who owns what."""
    deadline = time.monotonic() + timeout
    while True:
        for worker in workers:
            if worker.proc.poll() is not None:
                raise AssertionError(f"worker exited with {worker.proc.returncode}:\n{worker.logs[-3000:]}")
        owned = [await asyncio.to_thread(_ready, w.port) for w in workers]
        if all(o is not None for o in owned):
            flat = sorted(p for o in owned for p in o)  # type: ignore[union-attr]
            if flat == list(range(partitions)):
                return time.time(), owned  # type: ignore[return-value]
        if time.monotonic() > deadline:
            raise AssertionError(f"the group was not ready within {timeout:.0f} s: {owned}")
        await asyncio.sleep(0.2)


class Group:
    """The deployment's consumer group, read with the admin API (it never joins the group)."""

    def __init__(self, deployment: Deployment) -> None:
        self.bootstrap = deployment.bootstrap
        self.group_id = deployment.env()["WIRESTREAM_APP_ID"]
        self.topic = deployment.raw
        self.partitions = deployment.partitions
        self.admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)

    async def __aenter__(self) -> Group:
        await self.admin.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.admin.close()

    async def committed(self) -> dict[int, int]:
        """The next input offset the group would consume, per partition it has committed."""
        offsets = await self.admin.list_consumer_group_offsets(self.group_id)
        return {
            tp.partition: meta.offset for tp, meta in offsets.items() if tp.topic == self.topic and meta.offset >= 0
        }

    async def input_ends(self) -> dict[int, int]:
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, group_id=None)
        await consumer.start()
        try:
            ends = await consumer.end_offsets([TopicPartition(self.topic, p) for p in range(self.partitions)])
        finally:
            await consumer.stop()
        return {tp.partition: end for tp, end in ends.items()}

    async def wait_all_committed(self, timeout: float = 600) -> None:
        """Until the group has committed every published input: nothing is left to (re)process."""
        ends = await self.input_ends()
        deadline = time.monotonic() + timeout
        while True:
            committed = await self.committed()
            if all(committed.get(p, 0) >= end for p, end in ends.items()):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the group committed {committed} of {ends} within {timeout:.0f} s")
            await asyncio.sleep(0.5)


async def freeze_with_work_in_flight(
    worker: WorkerProcess, partitions: Sequence[int], since: float, group: Group, log: OutputLog, *, tries: int = 60
) -> dict[tuple[int, int], bytes]:
    """Stop the worker (SIGSTOP) at a moment when it has delivered outputs for inputs its group
    has not committed: a kill then interrupts work in flight, which must be done again. Returns
    those inputs by (partition, offset); the caller kills or terminates the frozen worker (and sends SIGCONT)."""
    for _ in range(tries):
        await log.catch_up()  # most of the reading while the worker still runs
        worker.proc.send_signal(signal.SIGSTOP)
        await asyncio.sleep(SETTLE_S)
        committed = await group.committed()
        ledger = await log.catch_up()
        in_flight = ledger.delivered_since(committed, partitions, since)
        if in_flight:
            return in_flight
        worker.proc.send_signal(signal.SIGCONT)
        await asyncio.sleep(0.3)
    raise AssertionError(f"never caught the worker on {partitions} with delivered, uncommitted work")


def stop_all(workers: Sequence[WorkerProcess], timeout: float = 30) -> list[int | None]:
    """SIGTERM every worker, wait for each, kill one that hangs; the exit codes (None: killed)."""
    for worker in workers:
        if worker.proc.poll() is None:
            worker.proc.send_signal(signal.SIGTERM)
    codes: list[int | None] = []
    for worker in workers:
        try:
            codes.append(worker.proc.wait(timeout))
        except subprocess.TimeoutExpired:
            codes.append(None)
        worker.stop()
    return codes
