"""`make demo`: the whole loop on this machine, then tidy up.

Starts the local broker (unless one already runs) and a worker, publishes the sample
articles, prints their enriched records, and stops what it started.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import click

from wirestream import codec
from wirestream.cli.articles import pretty
from wirestream.cli.common import load_settings
from wirestream.localbroker import LocalBroker, free_port
from wirestream.publisher import Publisher, iter_outbound
from wirestream.settings import Settings
from wirestream.subscriber import follow
from wirestream.topics import ensure_topics

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PATTERNS = ("*.txt", "aeb/*.txt", "aeb/*.html.gz")


def main() -> None:
    settings = load_settings()
    cache = Path(settings.local_kafka_dir)
    broker = LocalBroker(home=cache / f"broker-{settings.kafka_port}", port=settings.kafka_port, cache=cache)
    started_broker = broker.pid() is None
    say(
        f"starting the local Kafka broker on {broker.bootstrap}" if started_broker else "using the running local broker"
    )
    seconds = broker.start()
    say(f"Kafka ready in {seconds:.1f} s")
    asyncio.run(ensure_topics(settings))
    worker, log_path = _start_worker(cache)
    try:
        files = [str(p) for pattern in PATTERNS for p in sorted(SAMPLES.glob(pattern))]
        messages = list(iter_outbound(files, stdin=sys.stdin.buffer))
        published_at_ms = int(time.time() * 1000) - 1000
        summary = asyncio.run(Publisher(settings).publish(messages))
        say(f"published {summary.sent} sample articles to {settings.topic_raw}")
        keys = {m.key for m in messages if m.key}
        records = asyncio.run(_collect(settings, keys, since_ms=published_at_ms))
        for key in sorted(records):
            click.echo(pretty(records[key]))
        missing = keys - records.keys()
        if missing:
            raise SystemExit(f"no enriched record for {sorted(k.decode() for k in missing)}; see {log_path}")
        for key in sorted(records):
            credited = records[key].get("attribution", {}).get("credited", [])
            say(f"{key.decode()}: credited {', '.join(credited) or 'none'}")
    finally:
        worker.terminate()
        worker.wait(30)
        if started_broker:
            broker.stop()
            say("stopped the worker and the local broker")
        else:
            say("stopped the worker (the broker was already running and stays up)")


def _start_worker(cache: Path) -> tuple[subprocess.Popen[bytes], Path]:
    port = free_port()
    log_path = cache / "demo-worker.log"
    cache.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "WIRESTREAM_WEB_PORT": str(port), "WIRESTREAM_LOG_FORMAT": "json"}
    with open(log_path, "wb") as log:
        worker = subprocess.Popen([sys.executable, "-m", "wirestream", "worker"], stdout=log, stderr=log, env=env)
    say(f"starting a worker (log: {log_path})")
    deadline = time.monotonic() + 90
    while not _ready(port):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not become ready; see {log_path}")
        time.sleep(0.2)
    return worker, log_path


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=1) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


async def _collect(settings: Settings, keys: set[bytes], *, since_ms: int, timeout: float = 60.0) -> dict[bytes, dict]:
    """The enriched record of each key published in this run (earlier runs left theirs too)."""
    found: dict[bytes, dict] = {}
    deadline = time.monotonic() + timeout
    async for received in follow(settings, settings.topic_enriched, from_beginning=True, idle_timeout=timeout):
        if received.key in keys and received.value and received.timestamp_ms >= since_ms:
            found[received.key] = codec.loads(received.value)
        if found.keys() >= keys or time.monotonic() > deadline:
            break
    return found


def say(message: str) -> None:
    click.echo(click.style(f"==> {message}", fg="blue", bold=True), err=True)


if __name__ == "__main__":
    main()
