"""The worker's web pages: probes, Prometheus metrics and the live dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources import files
from typing import Any

import faust

from wirestream.monitoring import Monitor
from wirestream.settings import Settings

# aiohttp wants the charset apart from the content type
PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4"


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
