"""The agency feed on the real broker: items become reference copies and get no record."""

import asyncio
import json
import re
import urllib.request
from pathlib import Path

from tests.integration.kafka_support import consume, produce, wait_for
from tests.integration.test_syndication import StageProcess, _create_topics, _produce
from tests.unit.test_agency_feed import enriched, feed_line
from tests.unit.test_syndication_cli import AGENCY, COPY
from wirestream.settings import Settings
from wirestream.syndication import encode, params_from, syndicate_with_feed

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _dpa_body() -> str:
    page = enriched("dpa-page", (SAMPLES / "dpa-hamburg-hafen.txt").read_text(encoding="utf-8"), "2024-06-11T09:00Z")
    return json.loads(page)["body"]


def _metric(port: int, name: str, agency: str) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    found = re.search(rf'^{name}\{{agency="{agency}"\}} (\S+)$', text, re.M)
    return float(found.group(1)) if found else 0.0


def test_feed_items_are_reference_copies_on_the_stage_as_in_the_twin_and_survive_a_restart(deployment):
    syndication, feed_topic = f"syndication-{deployment.name}", f"feed-{deployment.name}"
    env = {
        "WIRESTREAM_TOPIC_SYNDICATION": syndication,
        "WIRESTREAM_SYNDICATION_APP_ID": f"syn-{deployment.name}",
        "WIRESTREAM_TOPIC_AGENCY_FEED": feed_topic,
    }
    dpa = _dpa_body()
    feed = [
        feed_line("urn:afp:heat-1", "afp", AGENCY, "2024-06-11T06:00:00+00:00", title="Heatwave"),
        feed_line("urn:dpa:hafen-1", "DPA", dpa, "2024-06-11T08:00:00+00:00"),
    ]
    bad = [b"{oops", feed_line("urn:x:1", "Daily Planet", AGENCY, "2024-06-11T06:00:00+00:00")]
    excerpt = "\n\n".join(dpa.split("\n\n")[:3]).replace("Hamburg (dpa) - ", "")
    waves = [
        [
            enriched("heat-copy", COPY, "2024-06-11T07:00:00+00:00"),
            enriched("dpa-page", (SAMPLES / "dpa-hamburg-hafen.txt").read_text(encoding="utf-8"), "2024-06-11T09:00Z"),
        ],
        [enriched("dpa-excerpt", excerpt, "2024-06-11T10:00:00+00:00")],
    ]
    expected = {
        r.id: json.loads(encode(r)) for r in syndicate_with_feed(waves[0] + waves[1], feed, params_from(Settings()))
    }
    assert set(expected) == {"heat-copy", "dpa-page", "dpa-excerpt"}
    assert expected["heat-copy"]["uncredited_agency_copy"][0]["source_id"] == "urn:afp:heat-1"
    assert expected["dpa-page"]["origin"] == {"agency": "dpa", "article_id": "urn:dpa:hafen-1", "basis": "credited"}
    assert [u["agency"] for u in expected["dpa-excerpt"]["uncredited_agency_copy"]] == ["dpa"]

    asyncio.run(
        _create_topics(deployment.bootstrap, {deployment.enriched: 3, syndication: 3, deployment.dlq: 1, feed_topic: 2})
    )
    stage = StageProcess(deployment, env)
    try:
        stage.wait_ready(timeout=120)
        asyncio.run(produce(deployment.bootstrap, feed_topic, [(None, value, []) for value in feed + bad]))
        wait_for(
            lambda: (
                _metric(stage.port, "wirestream_syndication_references_total", "AFP") == 1
                and _metric(stage.port, "wirestream_syndication_references_total", "dpa") == 1
            ),
            120,
            "both feed items indexed",
        )
        # The reference copies live in the stage's tables: a new worker restores them.
        assert stage.terminate() == 0
        stage = StageProcess(deployment, env)
        stage.wait_ready(timeout=120)
        published = 0
        for wave in waves:
            asyncio.run(_produce(deployment.bootstrap, deployment.enriched, wave))
            published += len(wave)
            records = asyncio.run(
                consume(deployment.bootstrap, syndication, until=lambda rs, n=published: len(rs) >= n, timeout=120)
            )
        dead = asyncio.run(consume(deployment.bootstrap, deployment.dlq, until=lambda rs: len(rs) >= 2))
        carried = _metric(stage.port, "wirestream_syndication_agency_copy_total", "dpa")
        uncredited = _metric(stage.port, "wirestream_syndication_uncredited_total", "dpa")
    finally:
        stage.terminate()
    got = {r.key.decode(): json.loads(r.value) for r in records}
    assert len(records) == published  # no record for a feed item
    assert got == expected
    assert sorted(d.value for d in dead) == sorted(bad)
    errors = sorted(dict(d.headers)["wirestream.errors.error_class"] for d in dead)
    assert errors == [b"EnvelopeError", b"MalformedJsonError"]
    assert (carried, uncredited) == (2, 1)  # the credited page and the uncredited excerpt


def test_a_missing_feed_topic_stops_the_stage_with_one_line(deployment):
    asyncio.run(_create_topics(deployment.bootstrap, {deployment.enriched: 2}))
    feed_topic = f"feed-{deployment.name}"
    result = deployment.cli(
        "syndication",
        "worker",
        timeout=120,
        WIRESTREAM_SYNDICATION_APP_ID=f"syn-{deployment.name}",
        WIRESTREAM_TOPIC_AGENCY_FEED=feed_topic,
        WIRESTREAM_WEB_PORT="0",
    )
    assert result.returncode != 0
    assert f"topic {feed_topic} (WIRESTREAM_TOPIC_AGENCY_FEED) does not exist" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()
