"""`publish` when things go wrong half-way, against a real broker: the broker stops (issue 14,
item 1) or the user presses Ctrl-C (item 14). Every input must be accounted for: acknowledged,
or named on stderr as failed or not sent."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from tests.integration.kafka_support import Deployment, consume, running_broker

ARTICLES = 40_000
PARTITIONS = 6  # Deployment's default
UNSENT = re.compile(r"(\S+) and the ([\d,]+) inputs after it, through (\S+)")
SUMMARY = re.compile(r"sent (\d+) to (\S+), (\d+) failed, .*?(?:, (\d+) not sent)?$")


def write_feed(path: Path, count: int = ARTICLES) -> dict[str, str]:
    """A JSON-lines feed of `count` articles of about 2.5 kB (many small messages keep publish
    busy for seconds, long enough to be interrupted half-way on any machine); returns each
    article's id -> the input name publish reports for it."""
    body = "A sentence of a long wire story, repeated to fill the article. " * 40
    with open(path, "wb") as feed:
        for n in range(count):
            feed.write(orjson.dumps({"id": f"story-{n:05d}", "text": f"Story {n}\n\n{body}"}) + b"\n")
    return {f"story-{n:05d}": f"{path}:{n + 1}" for n in range(count)}


async def _end_offsets(consumer: AIOKafkaConsumer, topic: str) -> int:
    ends = await consumer.end_offsets([TopicPartition(topic, p) for p in range(PARTITIONS)])
    return sum(ends.values())


def records_in(bootstrap: str, topic: str) -> int:
    async def count() -> int:
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
        await consumer.start()
        try:
            return await _end_offsets(consumer, topic)
        finally:
            await consumer.stop()

    return asyncio.run(count())


async def _wait_for_records(bootstrap: str, topic: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        deadline = time.monotonic() + timeout
        while await _end_offsets(consumer, topic) == 0 and proc.poll() is None:
            assert time.monotonic() < deadline, f"no record reached {topic} within {timeout:.0f} s"
            await asyncio.sleep(0.02)
    finally:
        await consumer.stop()


def start_publish(deployment: Deployment, feed: Path, stderr: Path, **env: str) -> subprocess.Popen[bytes]:
    with open(stderr, "wb") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "wirestream", "publish", "--jsonl", str(feed)],
            env=deployment.env(**env),
            stdout=subprocess.DEVNULL,
            stderr=err,
        )


def pause_once_sending(proc: subprocess.Popen[bytes], deployment: Deployment) -> None:
    """Freeze the publisher as soon as its first records are on the broker, so that what
    follows happens mid-publish whatever the machine's speed."""
    asyncio.run(_wait_for_records(deployment.bootstrap, deployment.raw, proc, timeout=120))
    proc.send_signal(signal.SIGSTOP)
    assert proc.poll() is None, "publish finished before it could be interrupted: make the input larger"


def report(stderr: Path, inputs: dict[str, str]) -> tuple[str, dict[str, int], set[str]]:
    """(summary line, its figures, the inputs named as failed or not sent)."""
    lines = stderr.read_text().splitlines()
    assert lines, "publish printed nothing"
    last = lines[-1]
    match = SUMMARY.search(last)
    assert match, last
    figures = {"sent": int(match[1]), "failed": int(match[3]), "not_sent": int(match[4] or 0)}
    order = list(inputs.values())
    named = set()
    for line in lines[:-1]:
        kind, _, rest = line.partition(": ")
        if kind == "failed":
            named.add(rest.split(": ", 1)[0])
            continue
        assert kind == "not sent", line
        tail = UNSENT.fullmatch(rest)
        first, count = (tail[1], int(tail[2].replace(",", "")) + 1) if tail else (rest, 1)
        start = order.index(first)
        named.update(order[start : start + count])
        assert not tail or order[start + count - 1] == tail[3], line
    return last, figures, named


def arrived_ids(bootstrap: str, topic: str) -> set[str]:
    total = records_in(bootstrap, topic)
    records = asyncio.run(consume(bootstrap, topic, until=lambda r: len(r) >= total, timeout=120))
    return {r.key.decode() for r in records}


def check_accounted(inputs: dict[str, str], arrived: set[str], named: set[str], figures: dict[str, int]) -> None:
    assert figures["sent"] + figures["failed"] + figures["not_sent"] == len(inputs), figures
    assert len(named) == figures["failed"] + figures["not_sent"], (len(named), figures)
    assert len(arrived) >= figures["sent"], "every input counted as sent is on the broker"
    missing = {inputs[i] for i in inputs.keys() - arrived}
    assert missing <= named, f"{len(missing - named)} inputs neither on the broker nor named on stderr"


def test_publish_gives_up_and_names_what_failed_when_the_broker_stops_mid_publish(tmp_path):
    feed = tmp_path / "feed.jsonl"
    inputs = write_feed(feed)
    stderr = tmp_path / "publish.err"
    # A broker of this test's own: it is stopped half-way.
    with running_broker(tmp_path / "kafka") as broker:
        deployment = Deployment(bootstrap=broker.bootstrap, workdir=tmp_path)
        assert deployment.cli("topics", "create").returncode == 0
        proc = start_publish(deployment, feed, stderr, WIRESTREAM_PUBLISH_TIMEOUT_S="5")
        try:
            pause_once_sending(proc, deployment)
            broker.stop()
            proc.send_signal(signal.SIGCONT)
            returncode = proc.wait(timeout=180)
        finally:
            proc.kill()
            proc.wait()
        broker.start(timeout=180)  # the same data, to see what arrived
        arrived = arrived_ids(broker.bootstrap, deployment.raw)

    text = stderr.read_text()
    assert returncode == 1, text[-2000:]
    for noise in ("Traceback", "never retrieved", "Task was destroyed", "Unclosed"):
        assert noise not in text, text[-3000:]
    last, figures, named = report(stderr, inputs)
    assert last.startswith("gave up (a message was not acknowledged within 5 s): "), last
    assert figures["failed"] + figures["not_sent"] > 0, last
    assert "not acknowledged within 5 s" in text or figures["failed"] == 0
    check_accounted(inputs, arrived, named, figures)


def test_ctrl_c_during_publish_prints_the_summary_so_far(deployment, tmp_path):
    feed = tmp_path / "feed.jsonl"
    inputs = write_feed(feed)
    stderr = tmp_path / "publish.err"
    assert deployment.cli("topics", "create").returncode == 0
    proc = start_publish(deployment, feed, stderr)
    try:
        pause_once_sending(proc, deployment)
        proc.send_signal(signal.SIGINT)
        proc.send_signal(signal.SIGCONT)
        returncode = proc.wait(timeout=120)
    finally:
        proc.kill()
        proc.wait()
    text = stderr.read_text()
    assert returncode == 130, text[-2000:]
    for noise in ("Traceback", "never retrieved", "Task was destroyed", "Unclosed"):
        assert noise not in text, text[-3000:]
    last, figures, named = report(stderr, inputs)
    assert last.startswith(f"interrupted: sent {figures['sent']} to {deployment.raw}"), last
    assert figures["sent"] > 0, "records were on the broker before the interrupt"
    check_accounted(inputs, arrived_ids(deployment.bootstrap, deployment.raw), named, figures)
