"""Broker faults on a three-node cluster under load, after Kafka's own replication and
rolling-bounce system tests: 20,000 articles, two workers, topics replicated three times with
min.insync.replicas 2. Every input must end in the topic the pure handler says (records in
articles.enriched, dead letters in articles.dlq); duplicates are counted once the workers have
stopped, and the time each partition could not take a write is reported."""

from __future__ import annotations

import asyncio
import random
import subprocess
import time
from collections.abc import Awaitable, Callable

import pytest
from aiokafka.errors import KafkaError

from tests.chaos.traffic import OutputLog, articles, longest_gaps
from tests.cluster.faults import (
    AvailabilityProbe,
    PacedPublisher,
    differing_outputs,
    expected_topics,
    input_copies,
    leading_most,
    pipeline_duplicates,
    wait_in_sync,
)
from tests.cluster.ledger import collect
from tests.integration.kafka_support import Deployment, WorkerProcess

pytestmark = pytest.mark.cluster

PARTITIONS = 6
ARTICLES = 20_000
OFFSETS = "__consumer_offsets"

Fault = Callable[[OutputLog], Awaitable[dict[str, object]]]


@pytest.fixture(scope="module")
def traffic() -> tuple[int, list, dict[bytes, str]]:
    """One seeded traffic for the module (each scenario has its own topics), and where each
    input must end."""
    seed = random.randrange(1_000_000)
    messages = articles(ARTICLES, seed=seed, prefix="cl")
    return seed, messages, expected_topics(messages)


@pytest.fixture
def chaos(cluster, tmp_path) -> Deployment:
    deployment = Deployment(
        bootstrap=cluster.bootstrap,
        workdir=tmp_path,
        partitions=PARTITIONS,
        extra_env={"WIRESTREAM_TOPIC_REPLICATION_FACTOR": str(cluster.replication)},
    )
    created = deployment.cli("topics", "create", timeout=120)
    assert created.returncode == 0, created.stderr
    return deployment


def topics_of(chaos: Deployment) -> list[str]:
    return [chaos.raw, chaos.enriched, chaos.dlq]


async def outputs_reach(counter: OutputLog, n: int, *, timeout: float = 900) -> int:
    """Wait (bounded) until the output topics hold `n` messages; a metadata error while leaders
    move is retried."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            count = await counter.count()
        except KafkaError:
            count = -1
        if count >= n:
            return count
        if time.monotonic() > deadline:
            raise AssertionError(f"outputs stuck at {count} below {n} after {timeout:.0f} s")
        await asyncio.sleep(0.5)


def stop_cleanly(worker: WorkerProcess) -> int:
    """SIGTERM, and the worker's exit code; its last log lines if it does not exit (bounded)."""
    try:
        return worker.terminate(timeout=120)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"worker did not exit on SIGTERM within 120 s:\n{worker.logs[-4000:]}") from None


async def run_scenario(cluster, chaos: Deployment, traffic, fault: Fault, capsys, name: str) -> None:
    seed, messages, expected = traffic
    keys = set(expected)
    topics = topics_of(chaos)
    started = time.monotonic()
    await wait_in_sync(cluster, [*topics, OFFSETS])
    workers = [chaos.worker(), chaos.worker()]
    probe = AvailabilityProbe(cluster, topics)
    publisher = PacedPublisher(chaos.bootstrap, chaos.raw)
    stop_probe = asyncio.Event()
    probing = publishing = None
    try:
        for worker in workers:
            await asyncio.to_thread(worker.wait_ready, 180)
        probing = asyncio.create_task(probe.run(stop_probe))
        publishing = asyncio.create_task(publisher.run(messages))
        async with OutputLog(chaos.bootstrap, chaos.enriched, chaos.dlq, PARTITIONS) as counter:
            figures = await fault(counter)
        await publishing
        await wait_in_sync(cluster, [*topics, OFFSETS], timeout=600)
        # Every input accounted for while the workers still run (bounded), then stop them cleanly.
        seen = await collect(chaos.bootstrap, chaos.enriched, chaos.dlq, keys, timeout=900)
        alive = [worker.proc.poll() is None for worker in workers]
        exit_codes = [await asyncio.to_thread(stop_cleanly, worker) for worker in workers]
    finally:
        stop_probe.set()
        for task in (publishing, probing):
            if task is not None and not task.done():
                task.cancel()
        if probing is not None:
            await asyncio.gather(probing, return_exceptions=True)
        for worker in workers:
            worker.stop()
    ledger = await collect(chaos.bootstrap, chaos.enriched, chaos.dlq, keys, timeout=120)
    copies = await input_copies(chaos.bootstrap, chaos.raw, PARTITIONS, len(keys))
    wrong = sorted(
        key
        for key, where in expected.items()
        if (key in ledger.enriched, key in ledger.dead) != (where == "enriched", where == "dlq")
    )
    unavailable = probe.by_topic(PARTITIONS)
    gaps = longest_gaps(ledger.output_times)
    with capsys.disabled():
        print(
            f"\n[cluster] {name}: seed={seed} inputs={len(keys)} lost={len(ledger.missing(keys))} "
            f"wrong_topic={len(wrong)} duplicates={ledger.duplicates()} "
            f"(pipeline {pipeline_duplicates(ledger, copies)}, inputs published twice {copies.total() - len(keys)}) "
            f"dead_letters={len(ledger.dead)} publisher_resends={publisher.resent} "
            f"seconds={round(time.monotonic() - started, 1)}\n"
            f"[cluster] {name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()) + "\n"
            f"[cluster] {name}: unavailable_s per partition {unavailable} "
            f"(probe samples {probe.samples}, failed {probe.failed_samples}); "
            f"longest gap between outputs per input partition { ({p: round(g, 1) for p, g in sorted(gaps.items())}) }"
        )
    assert not ledger.missing(keys), f"lost {len(ledger.missing(keys))}, e.g. {sorted(ledger.missing(keys))[:5]}"
    assert not wrong, f"{len(wrong)} inputs not (only) in their expected topic, e.g. {wrong[:5]}"
    assert not differing_outputs(ledger, copies), "duplicates must be identical apart from processing timestamps"
    assert seen.missing(keys) == set()
    assert all(alive), "workers ride out broker faults; none may exit"
    assert exit_codes == [0, 0]


async def test_leader_of_most_partitions_killed_and_restarted(cluster, chaos, traffic, capsys):
    """(a) kill -9 of the broker leading most partitions (ties: the group coordinator), restart."""

    async def fault(counter: OutputLog) -> dict[str, object]:
        await outputs_reach(counter, 4_000)
        victim, led, coordinator = await leading_most(cluster, topics_of(chaos), chaos.env()["WIRESTREAM_APP_ID"])
        node = cluster.node(victim)
        node.kill()
        await asyncio.sleep(5)
        restart_s = await asyncio.to_thread(node.start, timeout=300)
        return {"killed": victim, "leaders_before": led, "coordinator": coordinator, "restart_s": round(restart_s, 1)}

    await run_scenario(cluster, chaos, traffic, fault, capsys, "(a) kill -9 leader of most partitions")


async def test_rolling_restart_of_all_three(cluster, chaos, traffic, capsys):
    """(b) each broker stopped (SIGTERM: controlled shutdown) and started again, one at a time,
    the next only when every replica is back in sync, as an upgrade would."""

    async def fault(counter: OutputLog) -> dict[str, object]:
        await outputs_reach(counter, 3_000)
        rounds = []
        for node in cluster.nodes:
            began = time.monotonic()
            await asyncio.to_thread(node.stop, timeout=120)
            await asyncio.to_thread(node.start, timeout=300)
            await wait_in_sync(cluster, [*topics_of(chaos), OFFSETS], timeout=600)
            rounds.append(round(time.monotonic() - began, 1))
        return {"restart_to_in_sync_s": rounds}

    await run_scenario(cluster, chaos, traffic, fault, capsys, "(b) rolling restart")


async def test_one_broker_down_for_a_minute(cluster, chaos, traffic, capsys):
    """(c) one broker killed and kept down for a minute: writes go on with two in-sync replicas."""
    seed = traffic[0]

    async def fault(counter: OutputLog) -> dict[str, object]:
        await outputs_reach(counter, 3_000)
        node = cluster.node(random.Random(seed).randrange(1, cluster.size + 1))
        node.kill()
        before = await outputs_reach(counter, 0)
        await asyncio.sleep(60)
        during = await outputs_reach(counter, 0) - before
        restart_s = await asyncio.to_thread(node.start, timeout=300)
        assert during > 0, "no output was written while one broker of three was down"
        return {"down": node.node_id, "outputs_while_down": during, "restart_s": round(restart_s, 1)}

    await run_scenario(cluster, chaos, traffic, fault, capsys, "(c) one broker down for 60 s")
