"""The whole loop on a real broker, with ordinary Kafka clients on both ends."""

import orjson

from tests.integration.kafka_support import consume, produce, read_to_end
from wirestream.schemas.article import EnrichedArticle
from wirestream.schemas.deadletter import DeadLetterError


async def test_fixture_published_as_plain_text_comes_back_enriched(deployment, fixture_article):
    assert deployment.cli("topics", "create").returncode == 0
    worker = deployment.worker().wait_ready()
    try:
        await produce(deployment.bootstrap, deployment.raw, [(b"rferl-1", fixture_article, [])])
        await consume(deployment.bootstrap, deployment.enriched, until=lambda r: len(r) >= 1)
    finally:
        code = worker.terminate()
    assert code == 0
    # Only now that nothing writes any more: a duplicate would be in there.
    records = await read_to_end(deployment.bootstrap, deployment.enriched, partitions=deployment.partitions)
    assert await read_to_end(deployment.bootstrap, deployment.dlq, partitions=deployment.partitions) == []

    assert len(records) == 1
    assert records[0].key == b"rferl-1"
    record = EnrichedArticle.model_validate_json(records[0].value)
    assert record.id == "rferl-1"
    assert record.title == "US, Iraq Announce Commitment To Continued Withdrawal Of U.S. Forces From Iraq"
    assert set(record.attribution.credited) == {"AFP", "dpa", "Reuters"}
    assert record.attribution.is_wire_copy
    assert "Accessibility links" not in record.body
    assert record.processing.topic == deployment.raw
    assert record.processing.offset == 0


async def test_bad_values_are_dead_lettered_unchanged_and_the_worker_goes_on(deployment, fixture_article):
    worker = deployment.worker().wait_ready()  # creates the topics itself
    not_utf8 = b"\xff\xfe\x00caf\xe9"
    bad_json = b'{"id": "x1", "text": "unterminated'
    headers = [("trace-id", b"abc123")]
    try:
        await produce(
            deployment.bootstrap,
            deployment.raw,
            [(b"bad-bytes", not_utf8, headers), (None, bad_json, []), (b"good", fixture_article, [])],
        )
        await consume(deployment.bootstrap, deployment.dlq, until=lambda r: len(r) >= 2)
        await consume(deployment.bootstrap, deployment.enriched, until=lambda r: len(r) >= 1)
        assert worker.proc.poll() is None, "the worker must survive bad input"
    finally:
        code = worker.terminate()
    assert code == 0
    dead = await read_to_end(deployment.bootstrap, deployment.dlq, partitions=deployment.partitions)
    enriched = await read_to_end(deployment.bootstrap, deployment.enriched, partitions=deployment.partitions)

    assert len(dead) == 2

    by_value = {r.value: r for r in dead}
    assert set(by_value) == {not_utf8, bad_json}

    first = by_value[not_utf8]
    assert first.key == b"bad-bytes"
    assert ("trace-id", b"abc123") in first.headers, "original headers travel with the dead letter"
    error = DeadLetterError.from_headers(first.headers)
    assert error.error_class == "NotUtf8Error"
    assert error.stage == "decode"
    assert error.topic == deployment.raw
    assert error.offset >= 0 and error.partition >= 0

    second = DeadLetterError.from_headers(by_value[bad_json].headers)
    assert second.error_class == "MalformedJsonError"
    assert second.stage == "parse"
    assert "JSON" in second.message

    assert [r.key for r in enriched] == [b"good"]
    assert orjson.loads(enriched[0].value)["attribution"]["is_wire_copy"] is True
