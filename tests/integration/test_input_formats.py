"""HTML pages of several MB, and text that starts with a bracket, through `publish`, the real
worker and the real broker (issue 10 item 5, issue 14 item 4)."""

import base64
import random

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from tests.integration.kafka_support import consume
from wirestream.schemas.article import EnrichedArticle
from wirestream.schemas.deadletter import DeadLetterError
from wirestream.settings import MIB

ARTICLE = (
    "<p>PARIS (AFP) - France was bracing on Tuesday for the first heatwave of the summer, with temperatures "
    "expected to pass 38 degrees in the Rhone valley, the weather service said.</p>"
    "<p>Schools in eleven departments will close early on Thursday and Friday, and the health ministry "
    "asked town halls to open cool rooms for older residents who live alone.</p>"
)


def big_page(size: int, *, seed: int) -> bytes:
    """A modern page: a short article inside megabytes of inline state that compresses poorly."""
    noise = base64.b64encode(random.Random(seed).randbytes(size * 3 // 4)).decode()
    return (
        "<!DOCTYPE html><html><head><title>France braces for first heatwave</title>"
        f'<script type="application/json">{{"state": "{noise}"}}</script></head>'
        f"<body><article><h1>France braces for first heatwave</h1>{ARTICLE}</article></body></html>"
    ).encode()


async def test_pages_of_several_megabytes_and_bracketed_text_go_through_the_worker(deployment, tmp_path):
    pages = tmp_path / "inputs"
    pages.mkdir()
    page = big_page(3 * MIB, seed=1)
    (pages / "heatwave.html").write_bytes(page)
    (pages / "update.txt").write_text(
        "[UPDATE] Heatwave: schools to close early\n\n"
        "PARIS (AFP) - Schools in eleven departments will close early on Thursday and Friday, the "
        "education ministry said on Tuesday, as the first heatwave of the summer reached the south.\n"
    )
    oversize = tmp_path / "oversize.html"
    oversize.write_bytes(big_page(10 * MIB + 64 * 1024, seed=2))

    assert deployment.cli("topics", "create").returncode == 0
    worker = deployment.worker().wait_ready()
    try:
        sent = deployment.cli("publish", str(pages))
        assert sent.returncode == 0, sent.stderr
        sent = deployment.cli("publish", str(oversize))
        assert sent.returncode == 0, sent.stderr  # the broker takes it; the worker dead-letters it
        enriched = await consume(deployment.bootstrap, deployment.enriched, until=lambda r: len(r) >= 2, timeout=90)
        dead = await consume(deployment.bootstrap, deployment.dlq, until=lambda r: len(r) >= 1, timeout=90)
        assert worker.proc.poll() is None
    finally:
        worker.terminate()

    records = {r.key: EnrichedArticle.model_validate_json(r.value) for r in enriched}
    assert set(records) == {b"heatwave.html", b"update.txt"}
    html = records[b"heatwave.html"]
    assert len(page) > 3 * MIB and html.processing.input_format == "html"
    assert "France was bracing on Tuesday" in html.body and html.attribution.credited == ["AFP"]
    text = records[b"update.txt"]
    assert text.processing.input_format == "text" and text.title == "[UPDATE] Heatwave: schools to close early"
    assert text.attribution.credited == ["AFP"]

    [letter] = dead
    assert letter.key == b"oversize.html" and letter.value == oversize.read_bytes(), "the dead letter keeps the page"
    error = DeadLetterError.from_headers(letter.headers)
    assert error.error_class == "OversizeError" and "WIRESTREAM_MAX_HTML_BYTES" in error.message
    assert html.processing.topic == deployment.raw


async def test_topics_too_small_for_the_limits_are_named_with_the_size_to_set(deployment):
    admin = AIOKafkaAdminClient(bootstrap_servers=deployment.bootstrap)
    await admin.start()
    try:  # as an older wirestream created it: four times a 1 MiB limit
        await admin.create_topics([NewTopic(deployment.raw, 1, 1, topic_configs={"max.message.bytes": str(4 * MIB)})])
    finally:
        await admin.close()

    created = deployment.cli("topics", "create")
    assert created.returncode == 0, created.stderr
    assert f"{deployment.raw}: exists" in created.stdout.decode()
    warning = created.stderr.decode()
    assert f"topic {deployment.raw} has max.message.bytes={4 * MIB}, below the {20 * MIB}" in warning, warning
    assert f"--entity-name {deployment.raw} --add-config max.message.bytes={20 * MIB}" in warning
    assert deployment.enriched not in warning and deployment.dlq not in warning, "topics it created are big enough"
