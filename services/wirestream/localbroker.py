"""The built-in local Kafka (KRaft), run from Maven jars: one node, or a cluster of several.

Used by `wirestream broker up|down|status` (and so `make kafka-up`) and by the
integration-test fixtures. The Kafka runtime is fetched once with Maven into a cache folder;
each node has a home folder with its config, data, log and pid file. A cluster's nodes are
all brokers and controllers (combined mode) on 127.0.0.1, with replicated topics.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirestream.errors import WirestreamError
from wirestream.topics import min_insync_replicas

log = logging.getLogger(__name__)

KAFKA_VERSION = "3.9.1"
SLF4J_BINDING = ("org.slf4j", "slf4j-reload4j", "1.7.36")
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
STARTED_LINE = "Kafka Server started"

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>wirestream.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>{kafka}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>{kafka}</version></dependency>
    <dependency><groupId>{b_group}</groupId><artifactId>{b_artifact}</artifactId><version>{b_version}</version></dependency>
  </dependencies>
</project>
"""

_LOG4J = """log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File={path}
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.apache.kafka.controller=INFO
log4j.logger.state.change.logger=WARN
"""


class LocalBrokerError(WirestreamError):
    """The local broker could not be fetched, started or stopped."""


def require_tools() -> None:
    for tool, purpose in (("java", "run"), ("mvn", "fetch")):
        if shutil.which(tool) is None:
            raise LocalBrokerError(
                f"`{tool}` not found: the local Kafka broker needs Java 17+ and Maven to {purpose} it "
                "(or point KAFKA_BOOTSTRAP_SERVERS at a broker of your own)"
            )


def fetch_runtime(cache: Path) -> Path:
    """The folder of Kafka runtime jars, fetched with Maven on first use."""
    lib = cache.resolve() / f"kafka-{KAFKA_VERSION}" / "lib"
    marker = lib / ".complete"
    if marker.exists():
        return lib
    require_tools()
    lib.parent.mkdir(parents=True, exist_ok=True)
    group, artifact, version = SLF4J_BINDING
    pom = lib.parent / "pom.xml"
    pom.write_text(_POM.format(kafka=KAFKA_VERSION, b_group=group, b_artifact=artifact, b_version=version))
    log.info("fetching Apache Kafka %s with Maven", KAFKA_VERSION)
    cmd = [
        "mvn", "-B", "-q", "-f", str(pom), f"{DEPENDENCY_PLUGIN}:copy-dependencies",
        "-DincludeScope=runtime", f"-DoutputDirectory={lib}",
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not any(lib.glob("kafka_2.13-*.jar")):
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise LocalBrokerError(f"Maven could not fetch Apache Kafka {KAFKA_VERSION}:\n{tail}")
    marker.touch()
    return lib


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class LocalBroker:
    """One KRaft node (broker and controller) listening on 127.0.0.1 only: a single-node
    Kafka by default, or one node of a `LocalCluster` (`node_id`, `voters`, `cluster_id`,
    `replication`).

    `scram_users` adds a SASL listener on `sasl_port` with SCRAM-SHA-512 credentials created
    at format time; with `tls_keystore` (a PEM file holding the key and certificate chain) that
    listener is SASL_SSL, else SASL_PLAINTEXT. The PLAINTEXT listener stays for inter-broker traffic.
    """

    home: Path
    port: int = 9092
    cache: Path = Path(".kafka")
    controller_port: int | None = None
    scram_users: Mapping[str, str] = field(default_factory=dict)
    sasl_port: int | None = None
    tls_keystore: Path | None = None
    heap: str = "768m"
    node_id: int = 1
    voters: str | None = None  # controller.quorum.voters; this node alone when None
    cluster_id: str | None = None  # shared by a cluster's nodes; random when None
    replication: int = 1  # replicas of new and internal topics (a cluster: 3)
    # How long the controller keeps a silent node's registration: after a kill -9 its partitions
    # move to other leaders (or, on one node, the restarted node is let in) only after this.
    session_timeout_ms: int = 3000
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def sasl_bootstrap(self) -> str:
        if self.sasl_port is None:
            raise LocalBrokerError("this broker has no SASL listener")
        return f"127.0.0.1:{self.sasl_port}"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "server.log"

    @property
    def _pid_file(self) -> Path:
        return self.home / "kafka.pid"

    def pid(self) -> int | None:
        """The broker's pid if it is running from this home, else None."""
        try:
            pid = int(self._pid_file.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (FileNotFoundError, ValueError, ProcessLookupError):
            return None
        # A stale pid file may name a recycled pid: only claim our own java process.
        if b"kafka.Kafka" in cmdline and str(self.home.resolve()).encode() in cmdline:
            return pid
        return None

    def start(self, *, timeout: float = 90.0) -> float:
        """Start (or find running) and wait until ready; returns the seconds it took."""
        began = time.monotonic()
        proc = self.launch()
        try:
            self.wait_ready(timeout=timeout, proc=proc)
        except LocalBrokerError:
            if proc is not None:
                self.stop()
            raise
        return time.monotonic() - began

    def launch(self) -> subprocess.Popen[bytes] | None:
        """Start the process without waiting; None when it is already running. A cluster's
        nodes are launched together: none is ready before a majority of controllers is up."""
        if self.pid() is not None:
            return None
        if _port_open(self.port):
            raise LocalBrokerError(f"port {self.port} is already in use by another process (set KAFKA_PORT)")
        lib = fetch_runtime(self.cache)
        require_tools()
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "logs").mkdir(exist_ok=True)
        if self.controller_port is None:
            self.controller_port = free_port()
        if self.scram_users and self.sasl_port is None:
            self.sasl_port = free_port()
        props = self.home / "server.properties"
        props.write_text(self._server_properties())
        log4j = self.home / "log4j.properties"
        log4j.write_text(_LOG4J.format(path=self.log_file.resolve()))
        classpath = f"{lib.resolve()}/*"
        if not (self.home / "data" / "meta.properties").exists():
            self._format(classpath, props)
        self.log_file.unlink(missing_ok=True)
        cmd = [
            "java", "-Xms256m", f"-Xmx{self.heap}", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1",
            "-Djava.awt.headless=true", f"-Dlog4j.configuration=file:{log4j.resolve()}",
            f"-Dwirestream.home={self.home.resolve()}", "-cp", classpath, "kafka.Kafka", str(props.resolve()),
        ]  # fmt: skip
        with open(self.home / "logs" / "stdout.log", "ab") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self._proc = proc
        self._pid_file.write_text(str(proc.pid))
        return proc

    def wait_ready(self, *, timeout: float = 90.0, proc: subprocess.Popen[bytes] | None = None) -> None:
        """Ready means: the log says it started and a metadata request succeeds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                raise LocalBrokerError(f"Kafka exited with code {proc.returncode}; see {self.home / 'logs'}")
            if self._log_says_started() and _metadata_ok(self.bootstrap):
                return
            time.sleep(0.2)
        raise LocalBrokerError(f"Kafka was not ready within {timeout:.0f} s; see {self.log_file}")

    def stop(self, *, timeout: float = 30.0) -> bool:
        """Stop by pid (SIGTERM, then SIGKILL); returns whether a broker was running."""
        pid = self.pid()
        if pid is None:
            self._pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            if self._proc is not None:
                self._proc.poll()
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        self._reap()
        self._pid_file.unlink(missing_ok=True)
        return True

    def kill(self) -> None:
        """SIGKILL, as a crash would; the data stays, so `start` recovers it."""
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.05)
            self._reap()

    def _reap(self) -> None:
        # Only a broker started by this object is our child; one found by pid file is not.
        if self._proc is not None:
            self._proc.wait()
            self._proc = None

    def _log_says_started(self) -> bool:
        try:
            return STARTED_LINE in self.log_file.read_text(errors="replace")
        except FileNotFoundError:
            return False

    def _format(self, classpath: str, props: Path) -> None:
        base = ["java", "-cp", classpath, "kafka.tools.StorageTool"]
        cluster_id = self.cluster_id or _run(base + ["random-uuid"]).strip().splitlines()[-1]
        cmd = base + ["format", "-t", cluster_id, "-c", str(props), "--ignore-formatted"]
        for user, password in self.scram_users.items():
            cmd += ["--add-scram", f"SCRAM-SHA-512=[name={user},password={password}]"]
        _run(cmd)

    def _server_properties(self) -> str:
        listeners = {"PLAINTEXT": self.port, "CONTROLLER": self.controller_port}
        sasl = "SASL_SSL" if self.tls_keystore else "SASL_PLAINTEXT"
        if self.scram_users:
            listeners[sasl] = self.sasl_port
        props = {
            "process.roles": "broker,controller",
            "node.id": str(self.node_id),
            "controller.quorum.voters": self.voters or f"{self.node_id}@127.0.0.1:{self.controller_port}",
            "listeners": ",".join(f"{name}://127.0.0.1:{port}" for name, port in listeners.items()),
            "advertised.listeners": ",".join(
                f"{name}://127.0.0.1:{port}" for name, port in listeners.items() if name != "CONTROLLER"
            ),
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": ",".join(f"{name}:{name}" for name in listeners).replace(
                "CONTROLLER:CONTROLLER", "CONTROLLER:PLAINTEXT"
            ),
            "log.dirs": str((self.home / "data").resolve()),
            "num.partitions": "1",
            "default.replication.factor": str(self.replication),
            "min.insync.replicas": str(min_insync_replicas(self.replication)),
            # A replica that fell out of sync never becomes leader: no acknowledged write is lost.
            "unclean.leader.election.enable": "false",
            "offsets.topic.replication.factor": str(self.replication),
            "offsets.topic.num.partitions": "10",
            "transaction.state.log.replication.factor": str(self.replication),
            "transaction.state.log.min.isr": str(min_insync_replicas(self.replication)),
            "group.initial.rebalance.delay.ms": "0",
            "broker.heartbeat.interval.ms": str(max(100, self.session_timeout_ms // 6)),
            "broker.session.timeout.ms": str(self.session_timeout_ms),
            "auto.create.topics.enable": "false",
            "num.network.threads": "2",
            "num.io.threads": "2",
            "num.recovery.threads.per.data.dir": "1",
            "log.flush.interval.messages": str(2**62),
            "log.retention.hours": "24",
            "log.segment.bytes": str(64 * 1024 * 1024),
        }
        if self.scram_users:
            props["sasl.enabled.mechanisms"] = "SCRAM-SHA-512"
            props[f"listener.name.{sasl.lower()}.scram-sha-512.sasl.jaas.config"] = (
                "org.apache.kafka.common.security.scram.ScramLoginModule required;"
            )
        if self.tls_keystore:
            props["ssl.keystore.type"] = "PEM"
            props["ssl.keystore.location"] = str(self.tls_keystore.resolve())
        return "".join(f"{key}={value}\n" for key, value in props.items())


@dataclass(frozen=True, slots=True, order=True)
class PartitionState:
    """Who leads a partition and which replicas are in sync (broker ids); leader -1: none."""

    topic: str
    partition: int
    leader: int
    replicas: tuple[int, ...]
    isr: tuple[int, ...]


class LocalCluster:
    """Several `LocalBroker` nodes forming one KRaft cluster on 127.0.0.1.

    Node 1 listens on `port`, the others on free ports chosen at the first start; ports and the
    cluster id are kept in `home/cluster.json`, so a node restarted later (or by another
    process: `broker down`) finds the same quorum. New topics get `min(3, size)` replicas,
    `min.insync.replicas` one less (at least 1), and unclean leader election stays off.
    """

    def __init__(
        self, home: Path, *, size: int = 3, port: int = 9092, cache: Path = Path(".kafka"), heap: str = "512m"
    ) -> None:
        self.home = home
        self.cache = cache
        plan = self._load_plan()
        if plan is not None and len(plan["nodes"]) != size:
            raise LocalBrokerError(
                f"{home} holds a cluster of {len(plan['nodes'])} nodes, not {size} "
                f"(stop it with `wirestream broker down` and remove {home} to change its size)"
            )
        self.size = size
        self.port = plan["nodes"][0]["port"] if plan else port
        self._plan = plan
        self.heap = heap
        self.nodes: list[LocalBroker] = self._make_nodes(plan) if plan else []

    @property
    def replication(self) -> int:
        return min(3, self.size)

    @property
    def bootstrap(self) -> str:
        return ",".join(node.bootstrap for node in self.nodes) or f"127.0.0.1:{self.port}"

    @property
    def plan_file(self) -> Path:
        return self.home / "cluster.json"

    def node(self, node_id: int) -> LocalBroker:
        return self.nodes[node_id - 1]

    def start(self, *, timeout: float = 180.0) -> float:
        """Start every node that is not running and wait until all are ready; returns seconds."""
        began = time.monotonic()
        if self._plan is None:
            self._plan = self._new_plan()
            self.nodes = self._make_nodes(self._plan)
        procs = [(node, node.launch()) for node in self.nodes]
        try:
            for node, proc in procs:
                node.wait_ready(timeout=max(1.0, timeout - (time.monotonic() - began)), proc=proc)
        except LocalBrokerError:
            for node, proc in procs:
                if proc is not None:
                    node.kill()
            raise
        return time.monotonic() - began

    def stop(self, *, timeout: float = 60.0) -> int:
        """SIGTERM every node at once (each hands its leaderships over), SIGKILL what is left
        after `timeout`; returns how many were running."""
        running = [(node, node.pid()) for node in self.nodes]
        running = [(node, pid) for node, pid in running if pid is not None]
        for _, pid in running:
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(_alive(pid) for _, pid in running):
            time.sleep(0.1)
        for node, _ in running:
            node.stop(timeout=0)
        return len(running)

    def kill(self) -> None:
        for node in self.nodes:
            node.kill()

    def pids(self) -> dict[int, int | None]:
        return {node.node_id: node.pid() for node in self.nodes}

    @staticmethod
    def read_plan(home: Path) -> dict[str, Any]:
        """The ports and cluster id kept in `home` by the first start."""
        try:
            return json.loads((home / "cluster.json").read_text())
        except (OSError, ValueError) as exc:
            raise LocalBrokerError(f"cannot read the local cluster's plan in {home}: {exc}") from None

    def _load_plan(self) -> dict[str, Any] | None:
        return self.read_plan(self.home) if self.plan_file.exists() else None

    def _new_plan(self) -> dict[str, Any]:
        if _port_open(self.port):
            raise LocalBrokerError(f"port {self.port} is already in use by another process (set KAFKA_PORT)")
        lib = fetch_runtime(self.cache)
        tool = ["java", "-cp", f"{lib}/*", "kafka.tools.StorageTool", "random-uuid"]
        cluster_id = _run(tool).strip().splitlines()[-1]
        ports = [self.port, *(free_port() for _ in range(self.size - 1))]
        plan = {
            "cluster_id": cluster_id,
            "nodes": [
                {"node_id": n, "port": port, "controller_port": free_port()} for n, port in enumerate(ports, start=1)
            ],
        }
        self.home.mkdir(parents=True, exist_ok=True)
        self.plan_file.write_text(json.dumps(plan, indent=2) + "\n")
        return plan

    def _make_nodes(self, plan: dict[str, Any]) -> list[LocalBroker]:
        voters = ",".join(f"{n['node_id']}@127.0.0.1:{n['controller_port']}" for n in plan["nodes"])
        return [
            LocalBroker(
                home=self.home / f"node-{n['node_id']}",
                port=n["port"],
                cache=self.cache,
                controller_port=n["controller_port"],
                heap=self.heap,
                node_id=n["node_id"],
                voters=voters,
                cluster_id=plan["cluster_id"],
                replication=min(3, len(plan["nodes"])),
                # Twice the single node's: three JVMs on a busy machine must not fence each other.
                session_timeout_ms=6000,
            )
            for n in plan["nodes"]
        ]


async def partition_states(bootstrap: str, topics: list[str] | None = None) -> list[PartitionState]:
    """Leader and in-sync replicas of every partition of `topics` (all non-internal topics
    when None), as the cluster's metadata says now."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap.split(","), request_timeout_ms=10_000)
    await admin.start()
    try:
        if topics is None:
            topics = sorted(t for t in await admin.list_topics() if not t.startswith("__"))
        described = await admin.describe_topics(topics) if topics else []
    finally:
        await admin.close()
    return sorted(
        PartitionState(topic["topic"], p["partition"], p["leader"], tuple(p["replicas"]), tuple(sorted(p["isr"])))
        for topic in described
        for p in topic["partitions"]
    )


def _run(cmd: list[str]) -> str:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise LocalBrokerError(f"{' '.join(cmd[:4])} … failed:\n{(result.stdout + result.stderr)[-2000:]}")
    return result.stdout


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    try:
        return state.read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _metadata_ok(bootstrap: str) -> bool:
    async def probe() -> bool:
        from aiokafka.admin import AIOKafkaAdminClient

        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
        try:
            await admin.start()
            await admin.describe_cluster()
            return True
        except Exception:  # not ready yet is the expected answer while it starts
            return False
        finally:
            await admin.close()

    return asyncio.run(probe())
