"""Commands that run and look after the service: worker, topics, local broker, config."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import click
from aiokafka.errors import KafkaError

from wirestream.cli.common import load_settings, run
from wirestream.errors import BrokerUnavailableError
from wirestream.kafka import silence_client_logs
from wirestream.localbroker import LocalBroker, LocalCluster, partition_states
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
    """Run the built-in local Kafka: one broker, or a cluster (needs Java 17+ and Maven; no Docker)."""


def _local_broker(settings: Settings) -> LocalBroker:
    cache = Path(settings.local_kafka_dir)
    return LocalBroker(home=cache / f"broker-{settings.kafka_port}", port=settings.kafka_port, cache=cache)


def _cluster_home(settings: Settings) -> Path:
    return Path(settings.local_kafka_dir) / f"cluster-{settings.kafka_port}"


def _cluster(settings: Settings, size: int) -> LocalCluster:
    cache = Path(settings.local_kafka_dir)
    return LocalCluster(_cluster_home(settings), size=size, port=settings.kafka_port, cache=cache)


def _existing_cluster(settings: Settings) -> LocalCluster | None:
    """The cluster kept under the local Kafka folder for this port, if one was ever started."""
    home = _cluster_home(settings)
    if not (home / "cluster.json").exists():
        return None
    return _cluster(settings, len(LocalCluster.read_plan(home)["nodes"]))


@broker.command("up")
@click.option(
    "--brokers",
    type=click.IntRange(1, 5),
    default=1,
    show_default=True,
    help="Nodes: 1 is a single broker; 3 is a cluster with topics replicated three times.",
)
def broker_up(brokers: int) -> None:
    """Start the local Kafka on 127.0.0.1:$KAFKA_PORT (default 9092) and wait until it is ready.

    With --brokers 3, three KRaft nodes (node 1 on $KAFKA_PORT, the others on free ports) with
    replication factor 3, min.insync.replicas 2 and unclean leader election off.
    """
    settings = load_settings()
    if brokers == 1:
        local = _local_broker(settings)
        if local.pid() is not None:
            click.echo(f"Kafka is already running at {local.bootstrap} (pid {local.pid()})")
            return
        seconds = local.start()
        click.echo(f"Kafka is ready at {local.bootstrap} (pid {local.pid()}, started in {seconds:.1f} s)")
        return
    cluster = _cluster(settings, brokers)
    seconds = cluster.start()
    click.echo(f"Kafka cluster of {cluster.size} is ready at {cluster.bootstrap} (started in {seconds:.1f} s)")
    click.echo("Point wirestream at it with:")
    click.echo(f"  export KAFKA_BOOTSTRAP_SERVERS={cluster.bootstrap}")
    click.echo(f"  export WIRESTREAM_TOPIC_REPLICATION_FACTOR={cluster.replication}")


@broker.command("down")
def broker_down() -> None:
    """Stop the local broker, every node of a local cluster too. Their data stays in
    WIRESTREAM_LOCAL_KAFKA_DIR for the next `broker up`; delete that folder to start afresh."""
    settings = load_settings()
    stopped = _local_broker(settings).stop()
    cluster = _existing_cluster(settings)
    nodes = cluster.stop() if cluster is not None else 0
    if nodes:
        click.echo(f"Kafka cluster stopped ({nodes} nodes)")
    if stopped:
        click.echo("Kafka stopped")
    if not (stopped or nodes):
        click.echo("Kafka was not running")


@broker.command("status")
def broker_status() -> None:
    """Say whether the local Kafka runs (for a cluster: each node, and each partition's leader
    and in-sync replicas); exit code 1 when nothing runs."""
    settings = load_settings()
    cluster = _existing_cluster(settings)
    if cluster is not None and any(pid is not None for pid in cluster.pids().values()):
        _cluster_status(cluster)
        return
    local = _local_broker(settings)
    pid = local.pid()
    if pid is None:
        click.echo(f"Kafka is not running (port {local.port})")
        raise SystemExit(1)
    click.echo(f"Kafka is running at {local.bootstrap} (pid {pid}, log {local.log_file})")


def _cluster_status(cluster: LocalCluster) -> None:
    running = {node.node_id: node.pid() for node in cluster.nodes}
    up = [node for node in cluster.nodes if running[node.node_id] is not None]
    click.echo(f"Kafka cluster of {cluster.size} at {cluster.bootstrap}: {len(up)} of {cluster.size} nodes running")
    for node in cluster.nodes:
        pid = running[node.node_id]
        state = f"running (pid {pid})" if pid is not None else "stopped"
        click.echo(f"  node {node.node_id}  {node.bootstrap:<16} {state}, log {node.log_file}")
    silence_client_logs()
    try:
        states = run(partition_states(",".join(node.bootstrap for node in up)))
    except (KafkaError, OSError) as exc:  # a node that is starting or stopping answers nothing useful
        click.echo(f"partitions: not available now ({type(exc).__name__})")
        return
    if not states:
        click.echo("no topics yet")
        return
    width = max(len(s.topic) for s in states)
    click.echo(f"{'topic':<{width}}  partition  leader  replicas  in-sync")
    for s in states:
        leader = str(s.leader) if s.leader >= 0 else "none"
        flag = "" if len(s.isr) == len(s.replicas) else "  under-replicated"
        replicas, isr = ",".join(map(str, s.replicas)), ",".join(map(str, s.isr))
        click.echo(f"{s.topic:<{width}}  {s.partition:>9}  {leader:>6}  {replicas:<8}  {isr}{flag}")


@click.command()
def config() -> None:
    """Print the effective configuration, secrets masked."""
    settings = load_settings()
    for name, value in settings.masked().items():
        shown = "" if value is None else value
        source = "env" if name in os.environ else "default"
        click.echo(f"{name}={shown}\t# {source}")


COMMANDS = (worker, topics, broker, config)
