"""Fault injection on the syndication stage: a worker killed with -9 mid-stream, and a 1 -> 2 -> 1
rescale between waves, lose no syndication record, restore the tables from their changelogs, and end with every
article's latest record equal to the offline twin's (one uninterrupted process)."""

from __future__ import annotations

import asyncio
import json
import random
import signal
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaProducer

from tests.integration.kafka_support import Deployment, consume
from tests.integration.test_syndication import StageProcess, _create_topics
from wirestream.settings import Settings
from wirestream.syndication import encode, params_from, syndicate_lines

SOURCES = 60
T0 = datetime(2024, 6, 11, 6, 0, tzinfo=UTC)
_VOCAB = [f"w{i}" for i in range(20_000)]


def _record(article_id: str, body: str, minute: int, credited: list[str]) -> bytes:
    return json.dumps(
        {
            "id": article_id,
            "body": body,
            "title": article_id,
            "url": None,
            "published_at": (T0 + timedelta(minutes=minute)).isoformat(),
            "content_hash": f"h-{article_id}-{len(body)}",
            "attribution": {"credited": credited},
        }
    ).encode()


def waves(seed: int) -> list[list[bytes]]:
    """Agency stories; then one copy of each; then a second copy of each. Within a wave no two
    articles share text, so the partitions' delivery order within a wave does not matter."""
    rng = random.Random(seed)

    def paragraph() -> str:
        return " ".join(rng.choice(_VOCAB) for _ in range(60))

    sources = [[paragraph() for _ in range(6)] for _ in range(SOURCES)]
    out: list[list[bytes]] = [[], [], []]
    for i, paras in enumerate(sources):
        out[0].append(_record(f"wire-{i}", "\n\n".join(paras), i, [rng.choice(["AFP", "dpa", "AP"])]))
    for wave in (1, 2):
        for i, paras in enumerate(sources):
            kept = paras[: rng.randint(2, 6)]
            if rng.random() < 0.5:
                kept.insert(1, paragraph())
            credited = [] if rng.random() < 0.7 else ["dpa"]
            out[wave].append(_record(f"paper{wave}-{i}", "\n\n".join(kept), wave * 100 + i, credited))
    return out


async def _produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for value in values:
            await producer.send(topic, value, key=json.loads(value)["id"].encode())
        await producer.flush()
    finally:
        await producer.stop()


def _expected(parts: list[list[bytes]]) -> dict[str, dict]:
    return {
        r.id: json.loads(encode(r))
        for r in syndicate_lines([line for wave in parts for line in wave], params_from(Settings()))
    }


def _latest(records) -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for r in sorted(records, key=lambda r: (r.timestamp, r.partition, r.offset)):
        latest[r.key.decode()] = json.loads(r.value)
    return latest


def _ids(records) -> set[str]:
    return {r.key.decode() for r in records}


def _setup(chaos_broker, tmp_path) -> tuple[Deployment, dict[str, str], str]:
    deployment = Deployment(bootstrap=chaos_broker.bootstrap, workdir=tmp_path, partitions=3)
    syndication = f"syndication-{deployment.name}"
    asyncio.run(_create_topics(deployment.bootstrap, {deployment.enriched: 3, syndication: 3, deployment.dlq: 1}))
    env = {"WIRESTREAM_TOPIC_SYNDICATION": syndication, "WIRESTREAM_SYNDICATION_APP_ID": f"syn-{deployment.name}"}
    return deployment, env, syndication


def _read(deployment: Deployment, topic: str, wanted: set[str]):
    return asyncio.run(consume(deployment.bootstrap, topic, until=lambda rs: wanted <= _ids(rs), timeout=180))


def _check(records, expected) -> None:
    latest = _latest(records)
    assert set(latest) == set(expected), f"lost {sorted(set(expected) - set(latest))[:5]}"
    differing = [i for i in expected if latest[i] != expected[i]]
    assert not differing, f"{len(differing)} records differ from the twin's, e.g. {differing[:3]}"


def test_kill_9_mid_stream_loses_nothing_and_matches_the_twin(chaos_broker, tmp_path, capsys):
    """The replacement worker restores the tables and takes the second wave over from the killed
    worker's committed offsets, mid-stream: no article is left without its record."""
    deployment, env, syndication = _setup(chaos_broker, tmp_path)
    parts = waves(seed=3)
    expected = _expected(parts)
    assert sum(1 for r in expected.values() if r["copies"]) == 2 * SOURCES
    first = StageProcess(deployment, env).wait_ready(timeout=120)
    second = None
    try:
        asyncio.run(_produce(deployment.bootstrap, deployment.enriched, parts[0]))
        _read(deployment, syndication, {json.loads(v)["id"] for v in parts[0]})
        asyncio.run(_produce(deployment.bootstrap, deployment.enriched, parts[1]))
        # Kill as soon as the second wave is under way.
        asyncio.run(
            consume(deployment.bootstrap, syndication, until=lambda rs: len(_ids(rs)) >= SOURCES + 5, timeout=120)
        )
        first.proc.send_signal(signal.SIGKILL)
        first.proc.wait()
        second = StageProcess(deployment, env).wait_ready(timeout=180)
        _read(deployment, syndication, {json.loads(v)["id"] for v in parts[1]})
        asyncio.run(_produce(deployment.bootstrap, deployment.enriched, parts[2]))
        records = _read(deployment, syndication, set(expected))
    finally:
        for worker in (first, second):
            if worker is not None:
                worker.stop()
    _check(records, expected)
    with capsys.disabled():
        print(f"\n[chaos] syndication kill -9: articles={len(expected)}, records={len(records)}, lost=0")


def test_rescale_one_two_one_loses_nothing_and_matches_the_twin(chaos_broker, tmp_path, capsys):
    """A second worker joins, and later the first leaves, each time just before a wave: the records
    that reach `articles.enriched` around those rebalances are all handed to the stage."""
    deployment, env, syndication = _setup(chaos_broker, tmp_path)
    parts = waves(seed=4)
    expected = _expected(parts)
    a = StageProcess(deployment, env).wait_ready(timeout=120)
    b = None
    try:
        asyncio.run(_produce(deployment.bootstrap, deployment.enriched, parts[0]))
        _read(deployment, syndication, {json.loads(v)["id"] for v in parts[0]})
        # Workers join and leave between waves.
        b = StageProcess(deployment, env).wait_ready(timeout=180)
        asyncio.run(_produce(deployment.bootstrap, deployment.enriched, parts[1]))
        _read(deployment, syndication, {json.loads(v)["id"] for v in parts[0] + parts[1]})
        a.proc.send_signal(signal.SIGTERM)  # leaves between two waves too
        assert a.proc.wait(60) == 0
        asyncio.run(_produce(deployment.bootstrap, deployment.enriched, parts[2]))
        records = _read(deployment, syndication, set(expected))
    finally:
        for worker in (a, b):
            if worker is not None:
                worker.stop()
    _check(records, expected)
    with capsys.disabled():
        print(f"\n[chaos] syndication 1->2->1: articles={len(expected)}, records={len(records)}, lost=0")
