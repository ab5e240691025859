"""Issue 14's CLI and configuration defects, each as a user meets it: ids of files with the same
name (item 2), a busy web port (10), the log during a broker outage (11), configuration
messages (12) and help text (13)."""

from __future__ import annotations

import io
import json
import logging
import re
import socket
import subprocess
import sys

import orjson
import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES, REPO
from tests.unit.test_cli import all_commands
from wirestream import logs
from wirestream.cli import cli
from wirestream.localbroker import free_port
from wirestream.publisher import iter_outbound
from wirestream.settings import Settings

ARTICLE = (FIXTURES / "rferl-us-iraq-withdrawal.txt").read_bytes()


def invoke(*args: str, input: bytes | None = None):
    result = CliRunner().invoke(cli, list(args), input=input)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# 2. Inputs with the same file name get distinct, stable ids


@pytest.fixture
def same_names(tmp_path):
    folder = tmp_path / "inbox"
    for sub in ("a", "b"):
        (folder / sub).mkdir(parents=True)
        (folder / sub / "story.txt").write_bytes(ARTICLE.replace(b"Iraq", f"Iraq ({sub})".encode(), 1))
    (folder / "story.html").write_bytes(b"<html><body><h1>Page</h1><p>" + ARTICLE[:2000] + b"</p></body></html>")
    return folder


def test_files_with_the_same_name_in_a_folder_are_published_under_distinct_ids(same_names):
    keys = [m.key for m in iter_outbound([str(same_names)], stdin=io.BytesIO())]
    assert keys == [b"a/story.txt", b"b/story.txt", b"story.html"]
    again = [m.key for m in iter_outbound([str(same_names)], stdin=io.BytesIO())]
    assert again == keys, "the same folder gives the same ids on every run"


def test_enrich_gives_the_ids_publish_would(same_names):
    result = invoke("enrich", str(same_names))
    assert result.exit_code == 0, result.output
    ids = [orjson.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == ["a/story.txt", "b/story.txt", "story.html"]


def test_a_file_named_itself_is_known_by_its_name(same_names):
    result = invoke("enrich", str(same_names / "a" / "story.txt"))
    assert orjson.loads(result.stdout)["id"] == "story.txt"


def test_two_inputs_that_would_share_an_id_are_refused_before_anything_is_sent(same_names):
    a, b = same_names / "a" / "story.txt", same_names / "b" / "story.txt"
    result = invoke("enrich", str(a), str(b))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {a} and {b} would both have the id 'story.txt' "
        "(ids are paths relative to the folder given: give their common folder instead)\n"
    )


# 10. A second worker on a busy web port


def test_a_worker_whose_web_port_is_taken_says_so_in_one_line(monkeypatch):
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{free_port()}")
    monkeypatch.setenv("WIRESTREAM_BROKER_WAIT_S", "0")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv("WIRESTREAM_WEB_PORT", str(port))
        result = invoke("worker")
    assert result.exit_code == 1
    assert result.output == (
        f"error: port {port} on 127.0.0.1 is already in use, probably by another worker: "
        "give each worker on this host its own WIRESTREAM_WEB_PORT\n"
    )


# 11. A broker outage in the worker's log


# What aiokafka logged in a second while the broker was down (a real worker's log, grouped).
OUTAGE_SECOND = (
    [("aiokafka", "Unable connect to node with id 1: [Errno 111] Connection refused")] * 38
    + [("aiokafka", "Unable to update metadata from [1]")] * 17
    + [("aiokafka.consumer.fetcher", "Failed fetch messages from 1: NodeNotReadyError: Attempt to send a request")] * 11
    + [("aiokafka.consumer.group_coordinator", "Group Coordinator Request failed: NodeNotReadyError: Attempt")] * 11
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def worker_logging(monkeypatch):
    """The worker's logging set-up, to a string, with a clock the test moves."""
    clock = Clock()
    monkeypatch.setattr(logs, "kafka_outage", logs.KafkaOutage(clock=clock))
    root, client = logging.getLogger(), logging.getLogger("aiokafka")
    saved = root.handlers[:], root.level, client.propagate, client.handlers[:]
    client.propagate, client.handlers[:] = True, []  # CLI commands silence it
    stream = io.StringIO()
    logs.configure_logging(Settings(log_format="json"), stream=stream)
    yield clock, stream
    root.handlers[:], root.level, client.propagate, client.handlers[:] = saved


def test_an_eleven_minute_outage_logs_one_line_down_a_summary_a_minute_and_one_line_back(worker_logging):
    clock, stream = worker_logging
    for _ in range(11 * 60):  # eleven minutes down
        for name, message in OUTAGE_SECOND:
            logging.getLogger(name).error(message)
        logging.getLogger("aiokafka.consumer.group_coordinator").warning(
            "Heartbeat failed for group ws: coordinator (node 1) is either not started or not valid"
        )
        clock.now += 1
        if clock.now % 5 == 0:  # the worker's timer
            logs.kafka_outage.tick()
    for _ in range(4):  # back: nothing more from the client
        clock.now += 5
        logs.kafka_outage.tick()
    logging.getLogger("aiokafka").error("Unable connect to node with id 1: [Errno 111] Connection refused")

    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    messages = [e["message"] for e in events]
    assert len(events) == 1 + 11 + 1 + 1, messages  # summaries at 1, 2, ... 11 minutes
    assert messages[0].startswith("lost the connection to Kafka: Unable connect to node with id 1")
    summaries = messages[1:12]
    assert all(
        re.match(r"Kafka still unreachable after \d+ s: \d+ connection errors in the last 60 s", m) for m in summaries
    )
    held = sum(int(re.search(r": (\d+) connection errors", m)[1]) for m in summaries)
    errors = (len(OUTAGE_SECOND) + 1) * 660 - 1  # every line of the outage but the first
    assert messages[12] == f"connection to Kafka is back: down for 659 s, {errors} connection errors held back"
    assert held == errors, "every error after the first is in a summary"
    assert messages[13].startswith("lost the connection to Kafka"), "a new outage is reported again"


def test_other_client_errors_still_pass_during_an_outage(worker_logging):
    clock, stream = worker_logging
    # A worker starting: the group coordinator is "dead" until the broker has made one.
    logging.getLogger("aiokafka.consumer.group_coordinator").warning(
        "Marking the coordinator dead (node 1)for group ws"
    )
    logging.getLogger("aiokafka").error("Unable connect to node with id 1: [Errno 111] Connection refused")
    logging.getLogger("aiokafka").error("Unable connect to node with id 1: [Errno 111] Connection refused")
    logging.getLogger("aiokafka.producer").error("Unexpected error in sender routine")
    logging.getLogger("wirestream.worker").warning("send to articles.enriched failed, will retry")
    messages = [json.loads(line)["message"] for line in stream.getvalue().splitlines()]
    assert messages[0] == "Marking the coordinator dead (node 1)for group ws", "not an outage"
    assert messages[1].startswith("lost the connection to Kafka")
    assert messages[2:] == ["Unexpected error in sender routine", "send to articles.enriched failed, will retry"]


# 12. Configuration messages


def test_a_bad_value_names_the_environment_variable(monkeypatch):
    monkeypatch.setenv("WIRESTREAM_BATCH_SIZE", "-1")
    result = invoke("config")
    assert result.exit_code == 1
    assert result.output == (
        "error: invalid configuration: WIRESTREAM_BATCH_SIZE: Input should be greater than or equal to 1 (got '-1')\n"
    )


def test_a_value_of_the_wrong_type_names_the_variable(monkeypatch):
    monkeypatch.setenv("WIRESTREAM_WEB_PORT", "http")
    result = invoke("config")
    assert result.output.startswith(
        "error: invalid configuration: WIRESTREAM_WEB_PORT: Input should be a valid integer"
    )


def test_an_unknown_variable_is_reported_with_the_closest_name(monkeypatch):
    monkeypatch.setenv("WIRESTREAM_BATCHSIZE", "500")
    monkeypatch.setenv("WIRESTREAM_NOTHING_LIKE_IT", "1")
    result = invoke("config")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "warning: WIRESTREAM_BATCHSIZE is not a wirestream setting and is ignored "
        "(did you mean WIRESTREAM_BATCH_SIZE?)",
        "warning: WIRESTREAM_NOTHING_LIKE_IT is not a wirestream setting and is ignored",
    ]
    assert "WIRESTREAM_BATCH_SIZE=200\t# default" in result.stdout


def test_config_piped_into_a_reader_that_stops_early_ends_quietly():
    # `wirestream config | head -1`: the reader is gone before the command writes.
    proc = subprocess.Popen(
        [sys.executable, "-m", "wirestream", "config"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0
    assert stderr == b""


# 13. Help names only make targets that exist


@pytest.mark.parametrize("command", [c for c in all_commands() if c], ids=" ".join)
def test_help_names_only_make_targets_that_exist(command):
    makefile = (REPO / "Makefile").read_text()
    text = invoke(*command, "--help").output
    for target in re.findall(r"make ([a-z][a-z-]*)", text):
        assert re.search(rf"^{target}:", makefile, re.M), f"`make {target}` in `wirestream {' '.join(command)} --help`"
