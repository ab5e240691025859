"""Fault injection on the real broker: every input ends on the topic the pure handler sends it to,
as the record or dead letter the handler makes of it, through worker crashes, a broker crash,
scaling, and shutdown; nothing else comes out; duplicates appear only after a crash and are
identical apart from processing timestamps.

Each input's expected output is computed offline from the seeded traffic. Outputs are counted
only once every worker has stopped (after the group committed every input), then read to the
end, so a late duplicate cannot go unseen."""

from __future__ import annotations

import asyncio
import itertools
import random
import signal
import time

import pytest

from tests.chaos.fleet import Group, freeze_with_work_in_flight, stop_all, wait_group_ready
from tests.chaos.traffic import (
    TRAFFIC_TIME_MS,
    Figures,
    Message,
    OutputLog,
    articles,
    collect,
    expected_outputs,
    longest_gaps,
)
from tests.integration.kafka_support import Deployment, produce
from wirestream.settings import Settings

PARTITIONS = 6
SESSION_TIMEOUT_S = Settings().session_timeout_s


@pytest.fixture
def chaos(chaos_broker, tmp_path) -> Deployment:
    deployment = Deployment(bootstrap=chaos_broker.bootstrap, workdir=tmp_path, partitions=PARTITIONS)
    assert deployment.cli("topics", "create").returncode == 0
    return deployment


def report(capsys, scenario: str, figures: Figures, **more) -> None:
    with capsys.disabled():
        print(f"\n[chaos] {scenario}: {figures}, " + ", ".join(f"{k}={v}" for k, v in more.items()))


def check(figures: Figures, *, duplicates_allowed: bool) -> None:
    problems = [
        name
        for name, bad in (
            ("lost inputs", figures.lost),
            ("inputs on the wrong topic", figures.wrongly_routed),
            ("outputs unlike the handler's", figures.wrong_content),
            ("outputs for keys never published", figures.stray),
            ("inputs both enriched and dead-lettered", figures.both),
            ("enriched + dead-lettered != published", figures.enriched + figures.dead_lettered - figures.published),
            ("duplicates that differ", figures.differing_duplicates),
            ("duplicates", 0 if duplicates_allowed else figures.duplicates),
        )
        if bad
    ]
    assert not problems, f"{', '.join(problems)}: {figures}"


async def test_kill_9_random_workers_five_times(chaos, capsys):
    seed = random.randrange(1_000_000)
    rnd = random.Random(seed)
    chunk, backlog = 1_000, 4_000

    def traffic(n: int) -> list[Message]:
        return articles(chunk, seed=seed * 1_000 + n, prefix=f"k9-{n:03d}")

    chunks = 0
    stop_publishing = asyncio.Event()

    async def keep_a_backlog(counter: OutputLog) -> None:
        """Publish until the last kill, keeping some thousands of inputs waiting."""
        nonlocal chunks
        while not stop_publishing.is_set():
            if chunks * chunk - await counter.count() < backlog:
                await produce(chaos.bootstrap, chaos.raw, traffic(chunks), timestamp_ms=TRAFFIC_TIME_MS)
                chunks += 1
            else:
                await asyncio.sleep(0.5)

    started = time.monotonic()
    workers = [chaos.worker().wait_ready(), chaos.worker().wait_ready()]
    kills: list[dict[tuple[int, int], bytes]] = []
    try:
        async with (
            OutputLog(chaos.bootstrap, chaos.enriched, chaos.dlq, PARTITIONS) as log,
            OutputLog(chaos.bootstrap, chaos.enriched, chaos.dlq, PARTITIONS) as counter,
            Group(chaos) as group,
        ):
            publishing = asyncio.create_task(keep_a_backlog(counter))
            try:
                for _ in range(5):
                    ready_at, owned = await wait_group_ready(workers, PARTITIONS)
                    await log.wait_for(await log.count() + rnd.randrange(200, 2_000))
                    victim = rnd.randrange(len(workers))
                    in_flight = await freeze_with_work_in_flight(workers[victim], owned[victim], ready_at, group, log)
                    workers[victim].kill()
                    kills.append(in_flight)
                    workers[victim] = chaos.worker()
            finally:
                stop_publishing.set()
                await publishing
            await wait_group_ready(workers, PARTITIONS)
            await group.wait_all_committed()
    finally:
        codes = stop_all(workers)
    ledger = await collect(chaos.bootstrap, chaos.enriched, chaos.dlq, PARTITIONS)
    expected = expected_outputs(itertools.chain.from_iterable(traffic(n) for n in range(chunks)))
    figures = ledger.figures(expected)
    not_redone = sum(ledger.copies(key) < 2 for in_flight in kills for key in in_flight.values())
    report(capsys, "kill -9 x5, 2 workers", figures, seed=seed, in_flight_at_each_kill=[len(k) for k in kills],
           seconds=round(time.monotonic() - started, 1))  # fmt: skip
    check(figures, duplicates_allowed=True)
    assert codes == [0, 0], "the workers left at the end stop cleanly"
    assert figures.duplicates > 0, "every kill landed with delivered, uncommitted work: it is done again"
    assert not_redone == 0, "an input in flight at a kill was not done again"


async def test_broker_killed_and_restarted_mid_stream(chaos, chaos_broker, capsys):
    traffic = articles(6_000, seed=11, prefix="bk")
    started = time.monotonic()
    await produce(chaos.bootstrap, chaos.raw, traffic, timestamp_ms=TRAFFIC_TIME_MS)
    workers = [chaos.worker().wait_ready(), chaos.worker().wait_ready()]
    try:
        await wait_group_ready(workers, PARTITIONS)
        async with OutputLog(chaos.bootstrap, chaos.enriched, chaos.dlq, PARTITIONS) as log:
            await log.wait_for(1_500)
            outputs_at_kill = await log.count()
        chaos_broker.kill()
        down = time.monotonic()
        await asyncio.sleep(3)
        restart_s = await asyncio.to_thread(chaos_broker.start, timeout=180)
        async with Group(chaos) as group:
            await group.wait_all_committed()
        down_s = time.monotonic() - down
        alive = [w.proc.poll() is None for w in workers]
    finally:
        codes = stop_all(workers)
    ledger = await collect(chaos.bootstrap, chaos.enriched, chaos.dlq, PARTITIONS)
    figures = ledger.figures(expected_outputs(traffic))
    report(capsys, "broker kill -9 and restart", figures, outputs_at_kill=outputs_at_kill,
           broker_restart_s=round(restart_s, 1), until_all_committed_s=round(down_s, 1),
           seconds=round(time.monotonic() - started, 1))  # fmt: skip
    assert all(alive), "workers reconnect by themselves; none may exit"
    check(figures, duplicates_allowed=True)
    assert codes == [0, 0]


async def test_scale_from_one_to_three_workers_and_back_while_publishing(chaos, capsys):
    traffic = articles(9_000, seed=23, prefix="sc")
    started = time.monotonic()
    workers = [chaos.worker().wait_ready()]

    async def publish_steadily() -> None:
        for i in range(0, len(traffic), 300):
            await produce(chaos.bootstrap, chaos.raw, traffic[i : i + 300], timestamp_ms=TRAFFIC_TIME_MS)
            await asyncio.sleep(1.0)

    publishing = asyncio.create_task(publish_steadily())
    try:
        await wait_group_ready(workers, PARTITIONS)
        await asyncio.sleep(6)
        workers += [chaos.worker(), chaos.worker()]
        _, owned = await wait_group_ready(workers, PARTITIONS)
        assert all(owned), owned
        await asyncio.sleep(8)
        for worker in workers[1:]:
            assert await asyncio.to_thread(worker.terminate) == 0
        await wait_group_ready(workers[:1], PARTITIONS)
        await publishing
        async with Group(chaos) as group:
            await group.wait_all_committed()
    finally:
        publishing.cancel()
        codes = stop_all(workers)
    ledger = await collect(chaos.bootstrap, chaos.enriched, chaos.dlq, PARTITIONS)
    figures = ledger.figures(expected_outputs(traffic))
    gaps = longest_gaps(ledger.times_by_partition())
    report(capsys, "scale 1 -> 3 -> 1 while publishing", figures,
           longest_partition_gap_s=round(max(gaps.values()), 1), seconds=round(time.monotonic() - started, 1))  # fmt: skip
    check(figures, duplicates_allowed=False)
    assert codes[0] == 0
    assert set(gaps) == set(range(PARTITIONS))
    assert max(gaps.values()) < SESSION_TIMEOUT_S, gaps


async def test_sigterm_finishes_the_batch_commits_and_exits_fast(chaos, capsys):
    traffic = articles(8_000, seed=5, prefix="st")
    started = time.monotonic()
    await produce(chaos.bootstrap, chaos.raw, traffic, timestamp_ms=TRAFFIC_TIME_MS)
    worker = chaos.worker().wait_ready()
    exit_times, in_flight_at_sigterm = [], []
    try:
        async with (
            OutputLog(chaos.bootstrap, chaos.enriched, chaos.dlq, PARTITIONS) as log,
            Group(chaos) as group,
        ):
            for at in (1_500, 4_000):
                ready_at, _ = await wait_group_ready([worker], PARTITIONS)
                await log.wait_for(at)
                in_flight = await freeze_with_work_in_flight(worker, range(PARTITIONS), ready_at, group, log)
                worker.proc.send_signal(signal.SIGTERM)
                worker.proc.send_signal(signal.SIGCONT)
                began = time.monotonic()
                code = await asyncio.to_thread(worker.proc.wait, 30)
                exit_times.append(round(time.monotonic() - began, 1))
                assert code == 0, worker.logs[-2000:]
                committed = await group.committed()
                uncommitted = [(p, o) for p, o in in_flight if committed.get(p, 0) <= o]
                assert not uncommitted, f"delivered before SIGTERM but not committed: {uncommitted[:5]}"
                in_flight_at_sigterm.append(len(in_flight))
                worker.stop()
                worker = chaos.worker().wait_ready()
            await group.wait_all_committed()
    finally:
        codes = stop_all([worker])
    ledger = await collect(chaos.bootstrap, chaos.enriched, chaos.dlq, PARTITIONS)
    figures = ledger.figures(expected_outputs(traffic))
    report(capsys, "SIGTERM twice, restart", figures, in_flight_at_each_sigterm=in_flight_at_sigterm,
           exit_seconds=exit_times, seconds=round(time.monotonic() - started, 1))  # fmt: skip
    assert max(exit_times) <= 10
    check(figures, duplicates_allowed=False)
    assert codes == [0]
