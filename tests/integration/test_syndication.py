"""The syndication stage on the real broker writes what the offline twin prints for the same input."""

import asyncio
import json
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from tests.integration.kafka_support import WorkerProcess, consume
from wirestream.enrich import InputMessage, enrich_message
from wirestream.localbroker import free_port
from wirestream.settings import Settings
from wirestream.syndication import encode, params_from, syndicate_lines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
T0 = datetime(2024, 6, 11, 6, 0, tzinfo=UTC)


def _enriched(article_id: str, text: str, minute: int, *, url: str | None = None) -> bytes:
    envelope = {"text": text, "published_at": (T0 + timedelta(minutes=minute)).isoformat()}
    if url:
        envelope["url"] = url
    record = enrich_message(
        InputMessage(value=json.dumps(envelope).encode(), key=article_id.encode()),
        max_bytes=1 << 22,
        processed_at=T0 + timedelta(minutes=minute, seconds=1),
    )
    return record.model_dump_json().encode()


def waves() -> list[list[bytes]]:
    """Agency stories and real pages; then one copy of each; then a version by id and one by URL.

    Within a wave no article shares text with another, so the order in which the partitions
    deliver a wave does not matter; each wave is published once the one before is judged."""
    rng = random.Random(5)
    originals = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((FIXTURES / "aeb").glob("*.txt"))]
    originals += [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt"))]
    first = [_enriched(name, text, i, url=f"https://example.org/{name}") for i, (name, text) in enumerate(originals)]
    bodies = [json.loads(line)["body"] for line in first]
    second = []
    minute = len(first) + 10
    for i, body in enumerate(bodies):
        paras = body.split("\n\n")
        if len(paras) < 3:
            continue
        kept = paras[: max(2, len(paras) * 2 // 3)]
        if i % 3 == 1:
            local = " ".join(
                rng.choice(["council", "harbour", "mayor", "street", "budget", "river"]) for _ in range(60)
            )
            kept = [*kept[:2], local, *kept[2:]]
        rng.shuffle(kept[1:])
        second.append(_enriched(f"copy-{i}", "Local headline\n\n" + "\n\n".join(kept), minute))
        minute += 1
    update = bodies[0] + (
        "\n\nThe ministry said on Wednesday that the inquiry into the accident would be completed by the"
        " end of the month, and that its findings would be published in full."
    )
    third = [
        _enriched(originals[0][0], update, minute),
        _enriched("moved-page", originals[1][1][:-200], minute + 1, url=f"https://example.org/{originals[1][0]}/"),
    ]
    return [first, second, third]


async def _create_topics(bootstrap: str, names: dict[str, int]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, 1) for name, partitions in names.items()])
    finally:
        await admin.close()


async def _produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    """Keyed by id, with Kafka's default partitioner (as the enrichment worker writes them)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", max_request_size=8 * 1024 * 1024)
    await producer.start()
    try:
        for value in values:
            key = json.loads(value)["id"].encode() if value.startswith(b"{") else b"bad"
            await (await producer.send(topic, value, key=key))
    finally:
        await producer.stop()


def test_stage_output_equals_the_offline_twin(deployment):
    syndication = f"syndication-{deployment.name}"
    env = {"WIRESTREAM_TOPIC_SYNDICATION": syndication, "WIRESTREAM_SYNDICATION_APP_ID": f"syn-{deployment.name}"}
    parts = waves()
    expected = {}
    for record in syndicate_lines([line for wave in parts for line in wave], params_from(Settings())):
        expected[record.id] = json.loads(encode(record))
    assert sum(1 for r in expected.values() if r["copies"]) >= 10
    assert any(r["version_of"] and r["version_of"]["match"] == "id" for r in expected.values())
    assert any(r["version_of"] and r["version_of"]["match"] == "url" for r in expected.values())
    assert any(r["uncredited_agency_copy"] for r in expected.values())

    asyncio.run(_create_topics(deployment.bootstrap, {deployment.enriched: 3, syndication: 3, deployment.dlq: 1}))
    stage = StageProcess(deployment, env)
    try:
        stage.wait_ready(timeout=120)
        records = []
        published = 0
        for wave in parts:
            asyncio.run(_produce(deployment.bootstrap, deployment.enriched, wave))
            published += len(wave)
            records = asyncio.run(
                consume(deployment.bootstrap, syndication, until=lambda rs, n=published: len(rs) >= n, timeout=120)
            )
        asyncio.run(_produce(deployment.bootstrap, deployment.enriched, [b"not json"]))
        dead = asyncio.run(consume(deployment.bootstrap, deployment.dlq, until=lambda rs: len(rs) >= 1))
    finally:
        stage.terminate()
    assert len(records) == published  # one record per article, none twice
    got = {}
    for r in sorted(records, key=lambda r: r.timestamp):
        got[r.key.decode()] = json.loads(r.value)  # a version's record replaces its predecessor's
    assert set(got) == set(expected)
    for article_id, record in expected.items():
        assert got[article_id] == record, article_id
    assert dead[0].value == b"not json"
    assert dict(dead[0].headers)["wirestream.errors.error_class"] == b"MalformedJsonError"

    shown = deployment.cli("syndication", "story", "copy-3", **env)
    assert shown.returncode == 0, shown.stderr
    story_ids = {r["id"] for r in expected.values() if r["story"] == expected["copy-3"]["story"]}
    assert {line.split()[1] for line in shown.stdout.decode().splitlines()} == story_ids


class StageProcess(WorkerProcess):
    """`wirestream syndication worker` in its own process, logging to a file."""

    def __init__(self, deployment, env):
        self.port = free_port()
        self.log_path = deployment.workdir / f"syndication-{self.port}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wirestream", "syndication", "worker"],
            env=deployment.env(WIRESTREAM_WEB_PORT=str(self.port), **env),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
