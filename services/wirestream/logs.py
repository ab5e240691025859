"""Logging for the entry points: JSON lines, or readable text on a terminal."""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Callable
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

from wirestream.settings import Settings

# Third-party loggers that narrate every reconnect at INFO.
_CHATTY = ("aiokafka", "kafka", "aiohttp.access", "mode.timers")

# What aiokafka logs, at ERROR, many times a second while the broker is unreachable; not what it
# logs once in a while when all is well (the group coordinator "dead" while a worker starts).
_CONNECTION_TROUBLE = re.compile(
    r"Unable connect to node|Unable to update metadata|NodeNotReadyError|KafkaConnectionError|"
    r"Connect call failed|Connection refused|RequestTimedOutError"
)
# What it adds a few times during an outage: held back with the rest while the connection is down.
_DURING_OUTAGE = re.compile(r"coordinator dead|Heartbeat failed|Heartbeat session expired")

log = logging.getLogger(__name__)


class KafkaOutage(logging.Filter):
    """Turns aiokafka's stream of connection errors during a broker outage (about 70 lines a
    second) into one line when the connection is lost, a summary every `summary_every_s` while
    it stays down, and one line when it is back: no connection error for `quiet_s`.

    A handler filter; `tick()` must be called every few seconds (the worker's timer does) to
    write the summary and the line saying the connection is back."""

    def __init__(
        self, *, summary_every_s: float = 60.0, quiet_s: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.summary_every_s = summary_every_s
        self.quiet_s = quiet_s
        self._clock = clock
        self._down_since: float | None = None
        self._last_error = self._last_summary = 0.0
        self._held = self._held_total = 0
        self._latest = ""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _is_connection_trouble(record, during_outage=self._down_since is not None):
            return True
        now = self._clock()
        self._last_error = now
        message = record.getMessage()
        if self._down_since is None:
            self._down_since = self._last_summary = now
            self._held = self._held_total = 0
            record.msg = "lost the connection to Kafka: %s (repeats are summarised every %.0f s)"
            record.args = (message, self.summary_every_s)
            record.levelno, record.levelname = logging.ERROR, "ERROR"
            return True
        self._held += 1
        self._held_total += 1
        self._latest = message
        return False

    def tick(self) -> None:
        """Write the summary or the line saying the connection is back, when one is due."""
        if self._down_since is None:
            return
        now = self._clock()
        if now - self._last_error >= self.quiet_s:
            log.info(
                "connection to Kafka is back: down for %.0f s, %d connection errors held back",
                self._last_error - self._down_since,
                self._held_total,
                extra={"kafka_down_s": round(self._last_error - self._down_since, 1)},
            )
            self._down_since = None
        elif now - self._last_summary >= self.summary_every_s:
            log.error(
                "Kafka still unreachable after %.0f s: %d connection errors in the last %.0f s (latest: %s)",
                now - self._down_since,
                self._held,
                now - self._last_summary,
                self._latest,
                extra={"kafka_down_s": round(now - self._down_since, 1), "connection_errors": self._held},
            )
            self._last_summary = now
            self._held = 0


def _is_connection_trouble(record: logging.LogRecord, *, during_outage: bool) -> bool:
    if not record.name.startswith("aiokafka") or record.levelno < logging.WARNING:
        return False
    message = record.getMessage()
    return _CONNECTION_TROUBLE.search(message) is not None or (
        during_outage and _DURING_OUTAGE.search(message) is not None
    )


kafka_outage = KafkaOutage()


def configure_logging(settings: Settings, *, stream: TextIO | None = None, level: str | None = None) -> None:
    stream = stream or sys.stderr
    use_json = settings.log_format == "json" or (settings.log_format == "auto" and not stream.isatty())
    handler = logging.StreamHandler(stream)
    if use_json:
        handler.setFormatter(
            JsonFormatter(
                "{levelname}{name}{message}",
                style="{",
                rename_fields={"levelname": "level", "name": "logger"},
                timestamp="time",
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(kafka_outage)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level or settings.log_level)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
