"""`make bench-syndication`'s run through the real stage: a local broker, the enriched stream
published in order, `wirestream syndication worker` in its own process, and its records read
back from the syndication topic, to be scored as the twin's are and compared with them.

One partition by default, so that the stage reads the stream in the twin's order and must write
exactly the twin's records. With more, the partitions deliver in an order of their own, and a
copy may be judged before the article it copies reaches the index (the integration test waits
between waves for that reason), so some records may differ; the count is reported.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from wirestream.localbroker import LocalBroker, free_port

REPO = Path(__file__).resolve().parents[1]
MAX_BYTES = 8 * 1024 * 1024
STAGE = (sys.executable, "-m", "wirestream", "syndication", "worker")


def run_stage(streams: dict[str, Sequence[bytes]], *, partitions: int = 1) -> dict[str, dict[str, dict[str, Any]]]:
    """Each stream's records as the stage wrote them: the latest per id."""
    home = Path(tempfile.mkdtemp(prefix="wirestream-bench-syndication-"))
    broker = LocalBroker(home=home / "kafka", port=free_port(), cache=REPO / ".kafka")
    try:
        broker.start(timeout=180)
        return asyncio.run(_run_all(broker.bootstrap, streams, partitions, home))
    finally:
        broker.stop()
        shutil.rmtree(home, ignore_errors=True)


async def _run_all(
    bootstrap: str, streams: dict[str, Sequence[bytes]], partitions: int, home: Path
) -> dict[str, dict[str, dict[str, Any]]]:
    return {name: await _run(bootstrap, name, lines, partitions, home) for name, lines in streams.items()}


async def _run(bootstrap: str, name: str, lines: Sequence[bytes], partitions: int, home: Path) -> dict[str, Any]:
    enriched, output, dlq = f"enriched-{name}", f"syndication-{name}", f"dlq-{name}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        options = {"max.message.bytes": str(MAX_BYTES)}
        await admin.create_topics([NewTopic(t, partitions, 1, topic_configs=options) for t in (enriched, output, dlq)])
    finally:
        await admin.close()
    env = dict(os.environ)
    env.update(
        KAFKA_BOOTSTRAP_SERVERS=bootstrap,
        WIRESTREAM_TOPIC_ENRICHED=enriched,
        WIRESTREAM_TOPIC_SYNDICATION=output,
        WIRESTREAM_TOPIC_DLQ=dlq,
        WIRESTREAM_SYNDICATION_APP_ID=f"syn-{name}",
        WIRESTREAM_DATA_DIR=str(home / name),
        WIRESTREAM_WEB_PORT=str(free_port()),
        WIRESTREAM_LOG_FORMAT="text",
        WIRESTREAM_LOG_LEVEL="WARNING",
    )
    log = home / f"stage-{name}.log"
    with open(log, "wb") as out:
        stage = subprocess.Popen(STAGE, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", max_request_size=MAX_BYTES, linger_ms=5)
        await producer.start()
        try:
            for line in lines:  # keyed by id, so each lands on its id's partition, in order
                await producer.send(enriched, line, key=json.loads(line)["id"].encode())
            await producer.flush()
        finally:
            await producer.stop()
        ids = {json.loads(line)["id"] for line in lines}  # a version's record replaces its predecessor's
        return await _read(bootstrap, output, len(ids), partitions, stage, log)
    finally:
        stage.terminate()
        try:
            stage.wait(30)
        except subprocess.TimeoutExpired:
            stage.kill()
            stage.wait()


async def _read(
    bootstrap: str, topic: str, expected: int, partitions: int, stage: subprocess.Popen[bytes], log: Path
) -> dict[str, Any]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, max_partition_fetch_bytes=MAX_BYTES
    )
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, p) for p in range(partitions)])
        await consumer.seek_to_beginning()
        latest: dict[str, Any] = {}
        deadline = time.monotonic() + 600
        while len(latest) < expected:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{topic}: {len(latest)} of {expected} records after 600 s")
            if stage.poll() is not None:
                raise RuntimeError(
                    f"the stage exited with {stage.returncode}:\n{log.read_text(errors='replace')[-3000:]}"
                )
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    latest[record.key.decode()] = json.loads(record.value)
        return latest
    finally:
        await consumer.stop()
