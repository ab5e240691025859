"""The worker's web pages: probes, Prometheus metrics and the live dashboard."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import time
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

import faust
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaError

from wirestream import codec
from wirestream.errors import ConfigError, TopicMissingError
from wirestream.kafka import client_options
from wirestream.monitoring import Monitor, SyndicationBoard
from wirestream.settings import Settings
from wirestream.subscriber import _assignment

log = logging.getLogger(__name__)

# aiohttp wants the charset apart from the content type
PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4"


def require_free_port(settings: Settings) -> None:
    """Refuse to start a worker whose web port is taken (another worker on this host, most
    likely) with one line naming the setting, rather than Faust's traceback once it is up."""
    if settings.web_port == 0:
        return
    with socket.socket(socket.AF_INET6 if ":" in settings.web_host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp does
        try:
            sock.bind((settings.web_host, settings.web_port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise ConfigError(
                    f"cannot serve the worker's web pages on {settings.web_host}:{settings.web_port}: "
                    f"{exc.strerror} (check WIRESTREAM_WEB_HOST)"
                ) from None
            raise ConfigError(
                f"port {settings.web_port} on {settings.web_host} is already in use, probably by another "
                "worker: give each worker on this host its own WIRESTREAM_WEB_PORT"
            ) from None


def add_pages(app: faust.App, settings: Settings, monitor: Monitor, next_offsets: Mapping[int, int]) -> None:
    """`next_offsets`: the next offset to process per input partition, as the pipeline sees it."""
    dashboard_html = (files("wirestream") / "dashboard.html").read_text(encoding="utf-8")
    syndication = SyndicationFollower(settings)

    @app.on_before_shutdown.connect
    async def stop_following(app: Any, **kwargs: Any) -> None:
        await syndication.stop()

    def assigned() -> list[Any]:
        return [tp for tp in app.consumer.assignment() if tp.topic == settings.topic_raw]

    async def refresh_lag() -> None:
        lag = {}
        for tp in assigned():
            position = next_offsets.get(tp.partition)
            if position is None:
                position = await app.consumer.position(tp) or 0
            lag[tp.partition] = max(0, (app.consumer.highwater(tp) or 0) - position)
        monitor.set_lag(lag)

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        return web.json({"status": "ok"})

    @app.page("/ready")
    async def ready(web: Any, request: Any) -> Any:
        partitions = sorted(tp.partition for tp in assigned())
        consuming = bool(partitions) and not app.rebalancing and app.flow_control.is_active()
        return web.json({"ready": consuming, "partitions": partitions}, status=200 if consuming else 503)

    @app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        await refresh_lag()
        return web.text(monitor.prometheus().decode(), content_type=PROMETHEUS_CONTENT_TYPE)

    @app.page("/dashboard")
    async def dashboard(web: Any, request: Any) -> Any:
        return web.html(dashboard_html)

    @app.page("/dashboard/data")
    async def dashboard_data(web: Any, request: Any) -> Any:
        await refresh_lag()
        syndication.touch()
        return web.json(
            {
                **monitor.snapshot(),
                "app": settings.app_id,
                "topic": settings.topic_raw,
                "syndication": syndication.snapshot(),
            }
        )


IDLE_S = 60.0
RETRY_S = 30.0


class SyndicationFollower:
    """Reads the syndication topic into a `SyndicationBoard` while the dashboard is watched.

    The records on `articles.syndication` are those of every stage worker, so any number of
    them is shown whole. The first request for the dashboard's data starts it: it reads back
    the board's window (from the offsets at that time) and then follows; it stops, and forgets,
    once no request has come for `IDLE_S`, so an unwatched worker pays nothing for it.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.board = SyndicationBoard(settings.dashboard_syndication_window_s)
        self.status = "not started"
        self._task: asyncio.Task[None] | None = None
        self._asked = 0.0
        self._retry_at = 0.0

    def touch(self) -> None:
        self._asked = time.monotonic()
        if (self._task is None or self._task.done()) and self._asked >= self._retry_at:
            self.status = "starting"
            self._task = asyncio.ensure_future(self._follow())

    def snapshot(self) -> dict[str, Any]:
        return {"topic": self.settings.topic_syndication, "status": self.status, **self.board.snapshot(time.time())}

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _follow(self) -> None:
        topic = self.settings.topic_syndication
        consumer = AIOKafkaConsumer(
            **client_options(self.settings),
            group_id=None,
            enable_auto_commit=False,
            fetch_max_bytes=8 * self.settings.output_topic_max_bytes,
            max_partition_fetch_bytes=self.settings.output_topic_max_bytes,
        )
        self.board.clear()
        try:
            await consumer.start()
            while topic not in await consumer.topics():
                self.status = "no such topic"
                if time.monotonic() - self._asked > IDLE_S:
                    return
                await asyncio.sleep(2.0)
            consumer.subscribe([topic])  # without a group: every partition
            tps = await _assignment(consumer)
            since_ms = int((time.time() - self.board.window_s) * 1000)
            starts = await consumer.offsets_for_times(dict.fromkeys(tps, since_ms))
            for tp in tps:
                if starts.get(tp) is None:
                    await consumer.seek_to_end(tp)
                else:
                    consumer.seek(tp, starts[tp].offset)
            self.status = "following"
            while time.monotonic() - self._asked <= IDLE_S:
                batches = await consumer.getmany(timeout_ms=500, max_records=2000)
                for records in batches.values():
                    for r in records:
                        try:
                            record = codec.loads(r.value or b"")
                        except codec.JSONDecodeError:
                            continue
                        if isinstance(record, dict):
                            self.board.add(record, r.timestamp / 1000)
            self.status = "idle"
        except (KafkaError, OSError, TopicMissingError) as exc:
            self.status = "broker unavailable"
            self._retry_at = time.monotonic() + RETRY_S
            log.warning("dashboard: cannot read %s: %s", topic, exc)
        finally:
            await consumer.stop()
            if self.status == "idle":
                self.board.clear()
