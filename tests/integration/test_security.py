"""SASL/SCRAM-SHA-512 on the real broker: right credentials work, wrong ones fail fast and
clearly, and the password never shows up in logs, errors or help."""

import subprocess
import sys
import time

import orjson
import pytest

from tests.integration.kafka_support import Deployment, running_broker

PASSWORD = "Tr0ub4dor-and-3-horses"
WRONG = "not-the-Password-42"


@pytest.fixture(scope="module")
def scram_broker(tmp_path_factory):
    with running_broker(tmp_path_factory.mktemp("kafka-scram"), scram_users={"wire": PASSWORD}) as broker:
        yield broker


@pytest.fixture
def secured(scram_broker, tmp_path) -> Deployment:
    return Deployment(
        bootstrap=scram_broker.sasl_bootstrap,
        workdir=tmp_path,
        extra_env={
            "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "KAFKA_SASL_USERNAME": "wire",
            "KAFKA_SASL_PASSWORD": PASSWORD,
        },
    )


def test_worker_and_cli_work_with_the_right_credentials(secured, fixture_article):
    outputs = []
    created = secured.cli("topics", "create")
    assert created.returncode == 0, created.stderr
    worker = secured.worker(WIRESTREAM_LOG_LEVEL="DEBUG").wait_ready()
    try:
        published = secured.cli("publish", "-", input=fixture_article)
        assert published.returncode == 0, published.stderr
        tailed = secured.cli("tail", "--json", "--from-beginning", "--max", "1", "--timeout", "30")
        assert tailed.returncode == 0, tailed.stderr
        outputs += [created, published, tailed, secured.cli("dlq", "list"), secured.cli("topics", "list")]
    finally:
        worker.terminate()
    record = orjson.loads(tailed.stdout)
    assert set(record["attribution"]["credited"]) == {"AFP", "dpa", "Reuters"}

    config = secured.cli("config")
    assert "KAFKA_SASL_PASSWORD=**********" in config.stdout.decode()
    captured = worker.logs + "".join(o.stdout.decode() + o.stderr.decode() for o in [*outputs, config])
    assert "Worker ready" in captured, "the captured log is the real worker log"
    assert PASSWORD not in captured


@pytest.mark.parametrize(
    "command",
    [["topics", "create"], ["topics", "list"], ["tail", "--timeout", "5"], ["dlq", "list"], ["worker"]],
    ids=" ".join,
)
def test_wrong_credentials_fail_fast_with_one_clear_line(secured, command):
    started = time.monotonic()
    result = secured.cli(*command, KAFKA_SASL_PASSWORD=WRONG, WIRESTREAM_LOG_FORMAT="json", timeout=60)
    elapsed = time.monotonic() - started
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert elapsed < 20, f"took {elapsed:.1f} s"
    assert stderr.strip().splitlines()[-1].startswith("error: authentication with ")
    assert "KAFKA_SASL_PASSWORD" in stderr, "the hint names the setting to check"
    assert "Traceback" not in stderr
    assert WRONG not in stderr + result.stdout.decode()


def test_publish_with_wrong_credentials(secured, fixture_article):
    result = secured.cli("publish", "-", input=fixture_article, KAFKA_SASL_PASSWORD=WRONG)
    assert result.returncode == 1
    assert result.stderr.decode().startswith("error: authentication with ")
    assert WRONG not in result.stderr.decode()


def test_help_never_shows_the_secret(secured):
    env = secured.env()
    commands = [
        [],
        ["worker"],
        ["publish"],
        ["tail"],
        ["enrich"],
        ["topics"],
        ["dlq"],
        ["dlq", "replay"],
        ["config"],
        ["broker"],
    ]
    for command in commands:
        out = subprocess.run(
            [sys.executable, "-m", "wirestream", *command, "--help"], env=env, capture_output=True, check=True
        )
        assert PASSWORD not in (out.stdout + out.stderr).decode()
