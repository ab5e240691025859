"""The CLI against the real broker: publish, tail, dead-letter listing and replay."""

import orjson

from tests.conftest import REPO

SAMPLES = REPO / "samples"


def test_publish_folder_then_tail_as_json_and_filtered(deployment):
    assert deployment.cli("topics", "create").returncode == 0
    listed = deployment.cli("topics", "list")
    assert f"{deployment.raw}\t6 partitions" in listed.stdout.decode()
    worker = deployment.worker().wait_ready()
    try:
        sent = deployment.cli("publish", str(SAMPLES / "rferl-us-iraq-withdrawal.txt"), str(SAMPLES / "aeb"))
        assert sent.returncode == 0, sent.stderr
        assert "sent 4 to" in sent.stderr.decode()  # the fixture and aeb/'s three pages, not its LICENSE
        tailed = deployment.cli("tail", "--json", "--from-beginning", "--max", "4", "--timeout", "30")
        assert tailed.returncode == 0, tailed.stderr
        records = [orjson.loads(line) for line in tailed.stdout.splitlines()]
        dpa = deployment.cli("tail", "--from-beginning", "--agency", "DPA", "--timeout", "3")
    finally:
        worker.terminate()

    ids = {r["id"] for r in records}
    # A file's id is its path relative to the folder given, or its name when given itself.
    assert "rferl-us-iraq-withdrawal.txt" in ids and "reuters-titan-map.html" in ids
    titan = next(r for r in records if r["id"] == "reuters-titan-map.html")
    assert titan["processing"]["input_format"] == "html", ".html.gz files go out as text/html"
    pretty = dpa.stdout.decode()
    assert "\x1b[" not in pretty, "colour only on a terminal"
    assert "US, Iraq Announce Commitment" in pretty
    assert "credited" in pretty and "dpa" in pretty
    assert "Sondland" not in pretty, "--agency keeps only records crediting the agency"


def test_dead_letters_are_listed_and_replayed_after_a_fix(deployment, fixture_article):
    small = {"WIRESTREAM_MAX_MESSAGE_BYTES": "2048"}
    worker = deployment.worker(**small).wait_ready()
    try:
        assert deployment.cli("publish", "-", input=fixture_article).returncode == 0
        assert deployment.cli("publish", "-", input=b"\xff\xfe not text").returncode == 0
        listed = _wait_for_dead_letters(deployment, 2)
    finally:
        worker.terminate()
    lines = listed.stdout.decode().splitlines()
    assert any("OversizeError" in line and "2,048-byte limit" in line for line in lines), lines
    assert any("NotUtf8Error" in line for line in lines), lines
    only = deployment.cli("dlq", "list", "--error-class", "NotUtf8Error", "--json")
    [entry] = [orjson.loads(line) for line in only.stdout.splitlines()]
    assert entry["error"]["error_class"] == "NotUtf8Error" and entry["error"]["stage"] == "decode"

    dry = deployment.cli("dlq", "replay", "--error-class", "OversizeError", "--dry-run")
    assert "would replay 1 dead letter" in dry.stdout.decode()

    worker = deployment.worker().wait_ready()  # the fix: the default 1 MiB limit
    try:
        replayed = deployment.cli("dlq", "replay", "--error-class", "OversizeError")
        assert "replayed 1 of 1" in replayed.stdout.decode(), replayed.stderr
        tailed = deployment.cli("tail", "--json", "--from-beginning", "--max", "1", "--timeout", "30")
    finally:
        worker.terminate()
    record = orjson.loads(tailed.stdout)
    assert record["title"].startswith("US, Iraq Announce Commitment")
    assert set(record["attribution"]["credited"]) == {"AFP", "dpa", "Reuters"}


def _wait_for_dead_letters(deployment, count):
    import time

    deadline = time.monotonic() + 30
    while True:
        listed = deployment.cli("dlq", "list")
        if len(listed.stdout.splitlines()) >= count or time.monotonic() > deadline:
            return listed
        time.sleep(0.5)


def test_missing_topics_give_one_clear_line(deployment, fixture_article):
    checks = [
        (deployment.cli("tail", "--timeout", "1"), deployment.enriched),
        (deployment.cli("publish", "-", input=fixture_article), deployment.raw),
        (deployment.cli("dlq", "list"), deployment.dlq),
    ]
    for result, topic in checks:
        stderr = result.stderr.decode()
        assert result.returncode == 1
        assert stderr == (
            f"error: topic {topic} does not exist on {deployment.bootstrap} "
            "(create the topics with `wirestream topics create`)\n"
        )
