"""Logs: JSON lines that locate every dead letter, or readable text on a terminal."""

import io
import json
import logging
from datetime import UTC, datetime

import pytest

from wirestream.enrich import InputMessage
from wirestream.handler import MessageHandler
from wirestream.logs import configure_logging
from wirestream.settings import Settings


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def restore_root_logger():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def dead_letter(key: bytes | None) -> None:
    msg = InputMessage(value=b"\xff\xfe", key=key, topic="articles.raw", partition=4, offset=1207)
    MessageHandler(Settings()).handle(msg, now=datetime(2024, 1, 1, tzinfo=UTC))


def test_dead_letters_log_one_json_event_with_id_partition_and_offset():
    stream = io.StringIO()
    configure_logging(Settings(), stream=stream)
    dead_letter(b"story-17")
    [line] = stream.getvalue().splitlines()
    event = json.loads(line)
    assert event["level"] == "WARNING"
    assert event["logger"] == "wirestream.handler"
    assert (event["article_id"], event["partition"], event["offset"]) == ("story-17", 4, 1207)
    assert event["error_class"] == "NotUtf8Error" and event["stage"] == "decode"
    assert event["time"].startswith("20")


def test_keyless_dead_letters_are_known_by_the_hash_their_record_would_have_had():
    stream = io.StringIO()
    configure_logging(Settings(), stream=stream)
    dead_letter(None)
    event = json.loads(stream.getvalue())
    assert len(event["article_id"]) == 32 and int(event["article_id"], 16) >= 0


def test_text_on_a_terminal_and_json_when_forced():
    terminal = Terminal()
    configure_logging(Settings(), stream=terminal)
    dead_letter(b"story-17")
    assert terminal.getvalue().split(" ", 2)[2].startswith("WARNING wirestream.handler: dead-lettered: NotUtf8Error")

    forced = Terminal()
    configure_logging(Settings(log_format="json"), stream=forced)
    dead_letter(b"story-17")
    assert json.loads(forced.getvalue())["article_id"] == "story-17"
