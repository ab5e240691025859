"""Probes and metrics of a running worker."""

import time
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from tests.integration.kafka_support import produce, wait_for


def get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:  # not listening (yet)
        return 0, b""


def samples(port: int) -> dict[tuple[str, tuple], float]:
    status, body = get(port, "/metrics")
    assert status == 200
    found = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def test_metrics_count_outcomes_and_agencies(deployment, fixture_article):
    worker = deployment.worker().wait_ready()
    try:
        assert get(worker.port, "/health") == (200, b'{"status":"ok"}')
        await produce(
            deployment.bootstrap,
            deployment.raw,
            [(f"f{i}".encode(), fixture_article, []) for i in range(3)]
            + [(b"b1", b"\xff\xfe", []), (b"b2", b"\xc3\x28 bad", []), (b"j1", b'{"text": ', [])],
        )
        wait_for(lambda: samples(worker.port).get(("wirestream_consumed_total", ())) == 6, 30, "6 consumed")
        found = samples(worker.port)
    finally:
        worker.terminate()

    assert found[("wirestream_enriched_total", ())] == 3
    assert found[("wirestream_dead_lettered_total", (("error_class", "NotUtf8Error"),))] == 2
    assert found[("wirestream_dead_lettered_total", (("error_class", "MalformedJsonError"),))] == 1
    for agency in ("AFP", "dpa", "Reuters"):
        assert found[("wirestream_credited_total", (("agency", agency),))] == 3
    assert ("wirestream_credited_total", (("agency", "AP"),)) not in found
    assert found[("wirestream_processing_seconds_count", ())] == 6
    assert found[("wirestream_end_to_end_seconds_count", ())] == 6
    lag = {labels: v for (name, labels), v in found.items() if name == "wirestream_consumer_lag"}
    assert len(lag) == 6 and set(lag.values()) == {0}


def test_ready_follows_partition_assignment(deployment):
    deployment.partitions = 1
    first = deployment.worker().wait_ready()
    second = deployment.worker()
    try:
        assert get(first.port, "/ready")[0] == 200
        wait_for(lambda: get(second.port, "/health")[0] == 200, 60, "second worker's web server")
        time.sleep(2)  # let the group settle: one partition, two members
        assert {get(first.port, "/ready")[0], get(second.port, "/ready")[0]} == {200, 503}
        idle = first if get(first.port, "/ready")[0] == 503 else second
        busy = second if idle is first else first
        status, body = get(idle.port, "/ready")
        assert b'"partitions":[]' in body
        busy.terminate()
        wait_for(lambda: get(idle.port, "/ready")[0] == 200, 60, "the idle worker to take the partition")
    finally:
        first.stop()
        second.stop()
