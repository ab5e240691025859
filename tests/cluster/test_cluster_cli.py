"""`wirestream broker up --brokers 3`, `status` and `down` as a user runs them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest

from tests.integration.kafka_support import JAR_CACHE, wait_for
from wirestream.localbroker import KAFKA_VERSION, free_port

pytestmark = pytest.mark.cluster

ROW = re.compile(r"^(\S+)\s+(\d+)\s+(\d+|none)\s+([\d,]+)\s+([\d,]*)(\s+under-replicated)?$")


@pytest.fixture
def local_dir(tmp_path):
    (tmp_path / f"kafka-{KAFKA_VERSION}").symlink_to(JAR_CACHE / f"kafka-{KAFKA_VERSION}")
    return tmp_path


def wirestream(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wirestream", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def partition_rows(output: str) -> list[tuple[str, int, str, list[int], list[int], bool]]:
    rows = []
    for line in output.splitlines():
        if m := ROW.match(line):
            topic, partition, leader, replicas, isr, under = m.groups()
            rows.append((topic, int(partition), leader, [int(r) for r in replicas.split(",")],
                         [int(r) for r in isr.split(",") if r], bool(under)))  # fmt: skip
    return rows


def test_up_status_and_down_of_a_three_broker_cluster(local_dir):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "WIRESTREAM_"))}
    env.update(KAFKA_PORT=str(port), WIRESTREAM_LOCAL_KAFKA_DIR=str(local_dir))
    try:
        up = wirestream("broker", "up", "--brokers", "3", env=env)
        assert up.returncode == 0, up.stderr
        bootstrap = re.search(r"export KAFKA_BOOTSTRAP_SERVERS=(\S+)", up.stdout).group(1)
        assert bootstrap.startswith(f"127.0.0.1:{port},") and bootstrap.count(",") == 2
        assert "export WIRESTREAM_TOPIC_REPLICATION_FACTOR=3" in up.stdout

        cluster_env = {**env, "KAFKA_BOOTSTRAP_SERVERS": bootstrap, "WIRESTREAM_TOPIC_REPLICATION_FACTOR": "3"}
        created = wirestream("topics", "create", env=cluster_env)
        assert created.returncode == 0, created.stderr

        status = wirestream("broker", "status", env=env)
        assert status.returncode == 0, status.stderr
        assert "3 of 3 nodes running" in status.stdout
        rows = partition_rows(status.stdout)
        topics = {"articles.raw", "articles.enriched", "articles.dlq", "articles.syndication"}
        assert {r[0] for r in rows} == topics
        assert len(rows) == 6 * len(topics)
        for _, _, leader, replicas, isr, under in rows:
            assert sorted(replicas) == [1, 2, 3] and sorted(isr) == [1, 2, 3] and not under
            assert int(leader) in replicas

        pid = int((local_dir / f"cluster-{port}" / "node-2" / "kafka.pid").read_text())
        os.kill(pid, signal.SIGKILL)

        def node_2_out_of_sync() -> bool:
            shown = wirestream("broker", "status", env=env)
            rows = partition_rows(shown.stdout)
            return (
                "2 of 3 nodes running" in shown.stdout
                and len(rows) == 6 * len(topics)
                and all(2 not in isr and under and leader != "2" for _, _, leader, _, isr, under in rows)
            )

        wait_for(node_2_out_of_sync, 120, "node 2 fenced and out of every in-sync set", interval=2)
    finally:
        down = wirestream("broker", "down", env=env)
    assert down.returncode == 0, down.stderr
    assert "Kafka cluster stopped (2 nodes)" in down.stdout
    after = wirestream("broker", "status", env=env)
    assert after.returncode == 1 and "not running" in after.stdout
