"""Issue 14 against the real broker: a second worker on a busy web port (item 10), the worker's
log during a broker outage (item 11) and replaying dead letters that fail again (item 14)."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime

from tests.integration.kafka_support import Deployment, running_broker, wait_for


def test_a_second_worker_on_the_same_web_port_exits_with_one_line(deployment):
    first = deployment.worker().wait_ready()
    try:
        second = deployment.cli("worker", WIRESTREAM_WEB_PORT=str(first.port), timeout=120)
    finally:
        first.terminate()
    assert second.returncode == 1
    assert second.stdout == b""
    assert second.stderr.decode() == (
        f"error: port {first.port} on 127.0.0.1 is already in use, probably by another worker: "
        "give each worker on this host its own WIRESTREAM_WEB_PORT\n"
    )


def dead_letters(deployment: Deployment, count: int, timeout: float = 60) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        lines = deployment.cli("dlq", "list").stdout.decode().splitlines()
        if len(lines) >= count:
            return lines
        assert time.monotonic() < deadline, f"{len(lines)} of {count} dead letters after {timeout:.0f} s"
        time.sleep(0.5)


def test_replaying_letters_that_fail_again_does_not_double_the_next_replay(deployment, fixture_article):
    worker = deployment.worker(WIRESTREAM_MAX_MESSAGE_BYTES="2048").wait_ready()  # the fixture is over this
    try:
        assert deployment.cli("publish", "-", input=fixture_article).returncode == 0
        assert deployment.cli("publish", "-", input=b"\xff\xfe not text").returncode == 0
        dead_letters(deployment, 2)
        counts = []
        for round in range(1, 3):  # replay without fixing anything: each letter fails again
            dry = deployment.cli("dlq", "replay", "--dry-run").stdout.decode()
            counts.append(int(re.match(r"would replay (\d+) dead letters?", dry)[1]))
            replayed = deployment.cli("dlq", "replay")
            assert replayed.stdout.decode().startswith("replayed 2 of 2 dead letters"), replayed
            dead_letters(deployment, 2 + 2 * round)
        final = deployment.cli("dlq", "replay", "--dry-run").stdout.decode()
        again = deployment.cli("dlq", "replay", "--dry-run", "--again").stdout.decode()
    finally:
        worker.terminate()
    assert counts == [2, 2]
    assert (
        final
        == f"would replay 2 dead letters to {deployment.raw} (4 skipped: already replayed and dead-lettered again)\n"
    )
    assert again.startswith("would replay 6 dead letters"), again
    listed = deployment.cli("dlq", "list", "--json").stdout.decode().splitlines()
    assert len(listed) == 6


def test_a_broker_outage_is_one_line_down_and_one_line_back_in_the_worker_log(tmp_path):
    # A broker of this test's own: it is stopped for a while and started again.
    with running_broker(tmp_path / "kafka") as broker:
        deployment = Deployment(bootstrap=broker.bootstrap, workdir=tmp_path)
        worker = deployment.worker().wait_ready(timeout=120)
        try:
            stopped_at = datetime.now(UTC).isoformat()
            broker.stop()
            wait_for(lambda: "lost the connection to Kafka" in worker.logs, 60, "the line saying it is lost")
            time.sleep(20)  # aiokafka reports a failed attempt many times a second meanwhile
            broker.start(timeout=180)
            wait_for(lambda: "connection to Kafka is back" in worker.logs, 120, "the line saying Kafka is back")
            alive = worker.proc.poll() is None
        finally:
            worker.terminate()
    assert alive
    events = [json.loads(line) for line in worker.logs.splitlines() if line.startswith("{")]
    outage = [e for e in events if e["time"] >= stopped_at]
    client = [e for e in outage if e["logger"].startswith("aiokafka") and e["level"] in ("WARNING", "ERROR")]
    [lost] = [i for i, e in enumerate(client) if e["message"].startswith("lost the connection to Kafka")]
    assert client[lost + 1 :] == [], "nothing more from the client until the connection is back"
    assert lost <= 2, client[:5]  # at most the heartbeat's own warnings, logged before the first error
    [back] = [e for e in outage if e["message"].startswith("connection to Kafka is back")]
    held = int(re.search(r"(\d+) connection errors held back", back["message"])[1])
    assert held > 20, "the client kept trying all along; its errors were held back, not lost"
