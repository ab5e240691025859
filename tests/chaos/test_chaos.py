"""Fault injection on the real broker: every input ends as one record or one dead letter
through worker crashes, a broker crash, scaling, and shutdown; duplicates appear only after a
crash and are identical apart from processing timestamps."""

from __future__ import annotations

import asyncio
import random
import signal
import time

import pytest

from tests.chaos.traffic import OutputCounter, articles, collect, longest_gaps
from tests.integration.kafka_support import Deployment, produce
from wirestream.settings import Settings

PARTITIONS = 6
SESSION_TIMEOUT_S = Settings().session_timeout_s


@pytest.fixture
def chaos(chaos_broker, tmp_path) -> Deployment:
    deployment = Deployment(bootstrap=chaos_broker.bootstrap, workdir=tmp_path, partitions=PARTITIONS)
    assert deployment.cli("topics", "create").returncode == 0
    return deployment


def report(capsys, scenario: str, **figures) -> None:
    with capsys.disabled():
        print(f"\n[chaos] {scenario}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))


def check(ledger, keys, *, duplicates_allowed: bool) -> None:
    missing = ledger.missing(keys)
    assert not missing, f"lost {len(missing)} inputs, e.g. {sorted(missing)[:5]}"
    assert not ledger.both(), "an input was both enriched and dead-lettered"
    assert not ledger.differing_duplicates(), "duplicates must be identical apart from processing timestamps"
    if not duplicates_allowed:
        assert ledger.duplicates() == 0


async def test_kill_9_random_workers_five_times(chaos, capsys):
    seed = random.randrange(1_000_000)
    rnd = random.Random(seed)
    traffic = articles(20_000, seed=seed, prefix="k9")
    keys = {k for k, _, _ in traffic}
    started = time.monotonic()
    await produce(chaos.bootstrap, chaos.raw, traffic)
    workers = [chaos.worker().wait_ready(), chaos.worker().wait_ready()]
    kills = sorted(rnd.sample(range(1_000, 19_000), 5))
    try:
        async with OutputCounter(chaos.bootstrap, [chaos.enriched, chaos.dlq], PARTITIONS) as counter:
            for at in kills:
                await counter.wait_for(at)
                await asyncio.sleep(rnd.random())
                victim = rnd.randrange(len(workers))
                workers[victim].kill()
                workers[victim] = chaos.worker()
            for worker in workers:
                worker.wait_ready(timeout=120)
            ledger = await collect(chaos.bootstrap, chaos.enriched, chaos.dlq, keys, timeout=600)
    finally:
        for worker in workers:
            worker.stop()
    elapsed = time.monotonic() - started
    report(capsys, "kill -9 x5, 2 workers", seed=seed, inputs=len(keys), lost=len(ledger.missing(keys)),
           duplicates=ledger.duplicates(), dead_letters=len(ledger.dead), seconds=round(elapsed, 1))  # fmt: skip
    check(ledger, keys, duplicates_allowed=True)


async def test_broker_killed_and_restarted_mid_stream(chaos, chaos_broker, capsys):
    traffic = articles(6_000, seed=11, prefix="bk")
    keys = {k for k, _, _ in traffic}
    started = time.monotonic()
    await produce(chaos.bootstrap, chaos.raw, traffic)
    workers = [chaos.worker().wait_ready(), chaos.worker().wait_ready()]
    try:
        async with OutputCounter(chaos.bootstrap, [chaos.enriched, chaos.dlq], PARTITIONS) as counter:
            await counter.wait_for(1_500)
        chaos_broker.kill()
        down = time.monotonic()
        await asyncio.sleep(3)
        restart_s = await asyncio.to_thread(chaos_broker.start, timeout=180)
        ledger = await collect(chaos.bootstrap, chaos.enriched, chaos.dlq, keys, timeout=600)
        alive = [w.proc.poll() is None for w in workers]
    finally:
        for worker in workers:
            worker.stop()
    report(capsys, "broker kill -9 and restart", inputs=len(keys), lost=len(ledger.missing(keys)),
           duplicates=ledger.duplicates(), broker_down_s=round(time.monotonic() - down, 1),
           broker_restart_s=round(restart_s, 1), seconds=round(time.monotonic() - started, 1))  # fmt: skip
    assert all(alive), "workers reconnect by themselves; none may exit"
    check(ledger, keys, duplicates_allowed=True)


async def test_scale_from_one_to_three_workers_and_back_while_publishing(chaos, capsys):
    traffic = articles(9_000, seed=23, prefix="sc")
    keys = {k for k, _, _ in traffic}
    started = time.monotonic()
    workers = [chaos.worker().wait_ready()]

    async def publish_steadily() -> None:
        for i in range(0, len(traffic), 300):
            await produce(chaos.bootstrap, chaos.raw, traffic[i : i + 300])
            await asyncio.sleep(1.0)

    publishing = asyncio.create_task(publish_steadily())
    try:
        await asyncio.sleep(6)
        workers += [chaos.worker(), chaos.worker()]
        for worker in workers:
            await asyncio.to_thread(worker.wait_ready, 120)
        await asyncio.sleep(8)
        for worker in workers[1:]:
            assert await asyncio.to_thread(worker.terminate) == 0
        await publishing
        ledger = await collect(chaos.bootstrap, chaos.enriched, chaos.dlq, keys, timeout=600)
    finally:
        publishing.cancel()
        for worker in workers:
            worker.stop()
    gaps = longest_gaps(ledger.output_times)
    report(capsys, "scale 1 -> 3 -> 1 while publishing", inputs=len(keys), lost=len(ledger.missing(keys)),
           duplicates=ledger.duplicates(), longest_partition_gap_s=round(max(gaps.values()), 1),
           seconds=round(time.monotonic() - started, 1))  # fmt: skip
    check(ledger, keys, duplicates_allowed=False)
    assert set(gaps) == set(range(PARTITIONS))
    assert max(gaps.values()) < SESSION_TIMEOUT_S, gaps


async def test_sigterm_finishes_the_batch_commits_and_exits_fast(chaos, capsys):
    traffic = articles(8_000, seed=5, prefix="st")
    keys = {k for k, _, _ in traffic}
    await produce(chaos.bootstrap, chaos.raw, traffic)
    worker = chaos.worker().wait_ready()
    exit_times = []
    try:
        async with OutputCounter(chaos.bootstrap, [chaos.enriched, chaos.dlq], PARTITIONS) as counter:
            for at in (1_500, 4_000):
                await counter.wait_for(at)
                began = time.monotonic()
                worker.proc.send_signal(signal.SIGTERM)
                code = await asyncio.to_thread(worker.proc.wait, 30)
                exit_times.append(round(time.monotonic() - began, 1))
                assert code == 0, worker.logs[-2000:]
                worker.stop()
                worker = chaos.worker().wait_ready()
            ledger = await collect(chaos.bootstrap, chaos.enriched, chaos.dlq, keys, timeout=600)
    finally:
        worker.stop()
    report(capsys, "SIGTERM twice, restart", inputs=len(keys), lost=len(ledger.missing(keys)),
           duplicates=ledger.duplicates(), exit_seconds=exit_times)  # fmt: skip
    assert max(exit_times) <= 10
    check(ledger, keys, duplicates_allowed=False)
