"""The worker's web pages: probes, Prometheus metrics and the live dashboard."""

from __future__ import annotations

import errno
import socket
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

import faust

from wirestream.errors import ConfigError
from wirestream.monitoring import Monitor
from wirestream.settings import Settings

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
        return web.json({**monitor.snapshot(), "app": settings.app_id, "topic": settings.topic_raw})
