"""Logging for the entry points: JSON lines, or readable text on a terminal."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

from wirestream.settings import Settings

# Third-party loggers that narrate every reconnect at INFO.
_CHATTY = ("aiokafka", "kafka", "aiohttp.access", "mode.timers")


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
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level or settings.log_level)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
