"""Commands that run and look after the service: worker, topics, local broker, config."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import click

from wirestream.cli.common import load_settings, run
from wirestream.errors import BrokerUnavailableError
from wirestream.kafka import silence_client_logs
from wirestream.localbroker import LocalBroker
from wirestream.logs import configure_logging
from wirestream.settings import Settings
from wirestream.topics import describe_topics, ensure_topics

log = logging.getLogger("wirestream.cli")


@click.command()
def worker() -> None:
    """Run a worker: consume the input topic, publish enriched records and dead letters.

    Start several (same WIRESTREAM_APP_ID, different WIRESTREAM_WEB_PORT) to share the
    partitions. SIGTERM or Ctrl-C finishes the batch in hand, commits, and exits.
    """
    settings = load_settings()
    from wirestream.web import require_free_port

    require_free_port(settings)
    configure_logging(settings)
    created = _ensure_topics_when_reachable(settings)
    if created:
        log.info("created topics %s", ", ".join(created))

    import faust
    import mode.loop

    from wirestream.enrich import warm_up
    from wirestream.worker import create_app

    if settings.event_loop == "uvloop":
        mode.loop.use("uvloop")  # before the worker makes its loop

    warm_up()
    app = create_app(settings)
    runner = faust.Worker(app, loglevel=settings.log_level, override_logging=False, redirect_stdouts=False, quiet=True)
    runner.spinner = None  # it writes terminal control codes into the log stream
    runner.execute_from_commandline()


def _ensure_topics_when_reachable(settings: Settings) -> list[str]:
    # A worker started beside its broker (compose, systemd) waits for it rather than failing.
    deadline = time.monotonic() + settings.broker_wait_s
    while True:
        try:
            return run(ensure_topics(settings))
        except BrokerUnavailableError:
            if time.monotonic() >= deadline:
                raise
            log.warning("waiting for Kafka at %s", settings.kafka_bootstrap_servers)
            time.sleep(2)


@click.group()
def topics() -> None:
    """Create or list the topics."""


@topics.command("create")
def topics_create() -> None:
    """Create the input, enriched and dead-letter topics if they are missing."""
    settings = load_settings()
    silence_client_logs()
    created = run(ensure_topics(settings))
    for name in (settings.topic_raw, settings.topic_enriched, settings.topic_dlq):
        click.echo(f"{name}: {'created' if name in created else 'exists'}")


@topics.command("list")
def topics_list() -> None:
    """List the topics on the broker with their partition counts."""
    settings = load_settings()
    silence_client_logs()
    for name, partitions in sorted(run(describe_topics(settings)).items()):
        click.echo(f"{name}\t{partitions} partitions")


@click.group()
def broker() -> None:
    """Run the built-in local Kafka broker (needs Java 17+ and Maven; no Docker)."""


def _local_broker(settings: Settings) -> LocalBroker:
    cache = Path(settings.local_kafka_dir)
    return LocalBroker(home=cache / f"broker-{settings.kafka_port}", port=settings.kafka_port, cache=cache)


@broker.command("up")
def broker_up() -> None:
    """Start the local broker on 127.0.0.1:$KAFKA_PORT (default 9092) and wait until it is ready."""
    settings = load_settings()
    local = _local_broker(settings)
    if local.pid() is not None:
        click.echo(f"Kafka is already running at {local.bootstrap} (pid {local.pid()})")
        return
    seconds = local.start()
    click.echo(f"Kafka is ready at {local.bootstrap} (pid {local.pid()}, started in {seconds:.1f} s)")


@broker.command("down")
def broker_down() -> None:
    """Stop the local broker. Its data stays in WIRESTREAM_LOCAL_KAFKA_DIR/broker-PORT for the
    next `broker up`; delete that folder to start afresh."""
    local = _local_broker(load_settings())
    click.echo("Kafka stopped" if local.stop() else "Kafka was not running")


@broker.command("status")
def broker_status() -> None:
    """Say whether the local broker runs; exit code 1 when it does not."""
    local = _local_broker(load_settings())
    pid = local.pid()
    if pid is None:
        click.echo(f"Kafka is not running (port {local.port})")
        raise SystemExit(1)
    click.echo(f"Kafka is running at {local.bootstrap} (pid {pid}, log {local.log_file})")


@click.command()
def config() -> None:
    """Print the effective configuration, secrets masked."""
    settings = load_settings()
    for name, value in settings.masked().items():
        shown = "" if value is None else value
        source = "env" if name in os.environ else "default"
        click.echo(f"{name}={shown}\t# {source}")


COMMANDS = (worker, topics, broker, config)
