"""The three topics: create them when missing, list them, and translate broker errors."""

from __future__ import annotations

import contextlib
import logging
import ssl
from collections.abc import AsyncIterator

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaConnectionError, KafkaError, TopicAlreadyExistsError, UnknownTopicOrPartitionError

from wirestream.errors import AuthenticationError, BrokerError, BrokerUnavailableError, TopicMissingError
from wirestream.kafka import auth_failed_recently, client_options, tls_failed_recently
from wirestream.settings import Settings

log = logging.getLogger(__name__)


def broker_error(exc: BaseException, settings: Settings, *, topic: str | None = None) -> BrokerError:
    """One clear error for what a user can fix, from whatever the client raised."""
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, UnknownTopicOrPartitionError):
        return TopicMissingError(
            f"topic {topic or '(unknown)'} does not exist on {settings.kafka_bootstrap_servers} "
            "(create the topics with `wirestream topics create`)"
        )
    if auth_failed_recently() or "authentic" in text.lower():
        return AuthenticationError(
            f"authentication with {settings.kafka_bootstrap_servers} failed "
            "(check KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD / KAFKA_SASL_MECHANISM)"
        )
    if tls_failed_recently() or isinstance(exc, ssl.SSLError):
        return BrokerUnavailableError(
            f"TLS handshake with {settings.kafka_bootstrap_servers} failed "
            "(check KAFKA_SSL_CAFILE, KAFKA_SSL_CHECK_HOSTNAME and KAFKA_SECURITY_PROTOCOL)"
        )
    if isinstance(exc, KafkaConnectionError | ConnectionError | OSError) or "connect" in text.lower():
        return BrokerUnavailableError(
            f"cannot reach Kafka at {settings.kafka_bootstrap_servers} "
            "(is it running? `make kafka-up` starts a local one; KAFKA_BOOTSTRAP_SERVERS sets the address)"
        )
    return BrokerError(f"Kafka request failed: {text}")


@contextlib.asynccontextmanager
async def admin_client(settings: Settings, *, timeout_ms: int = 10_000) -> AsyncIterator[AIOKafkaAdminClient]:
    admin = AIOKafkaAdminClient(**client_options(settings), request_timeout_ms=timeout_ms)
    try:
        await admin.start()
    except (KafkaError, OSError) as exc:
        await admin.close()
        raise broker_error(exc, settings) from None
    try:
        yield admin
    finally:
        await admin.close()


def wanted_topics(settings: Settings) -> list[NewTopic]:
    sizes = {
        settings.topic_raw: settings.input_topic_max_bytes,
        settings.topic_enriched: settings.output_topic_max_bytes,
        settings.topic_dlq: settings.output_topic_max_bytes,
        # Syndication stage output.
        settings.topic_syndication: settings.output_topic_max_bytes,
    }
    return [
        NewTopic(
            name,
            settings.topic_partitions,
            settings.topic_replication_factor,
            topic_configs={"max.message.bytes": str(size), **replication_configs(settings.topic_replication_factor)},
        )
        for name, size in sizes.items()
    ]


def min_insync_replicas(replication: int) -> int:
    """How many replicas must have a write before it is acknowledged (acks=all): with three,
    one broker may be lost without stopping writes and every acknowledged write is on two.
    Two stays enough at higher replication factors (Kafka's usual choice)."""
    return max(1, min(2, replication - 1))


def replication_configs(replication: int) -> dict[str, str]:
    """Topic settings that keep an acknowledged write (acks=all) through the loss of a broker,
    set on the topic so that they hold whatever the brokers' defaults are."""
    if replication == 1:
        return {}
    return {
        "min.insync.replicas": str(min_insync_replicas(replication)),
        "unclean.leader.election.enable": "false",
    }


async def ensure_topics(settings: Settings) -> list[str]:
    """Create whichever of the three topics are missing; returns the names created.

    A topic that exists with a smaller `max.message.bytes` than wirestream's limits need (one
    created by an older version, or by hand) is left as it is, with a warning naming the size
    to set: the broker would refuse the largest inputs, records and dead letters."""
    async with admin_client(settings) as admin:
        try:
            existing = set(await admin.list_topics())
            missing = [t for t in wanted_topics(settings) if t.name not in existing]
            if missing:
                response = await admin.create_topics(missing)
                _raise_for_create_errors(response)
        except KafkaError as exc:
            raise broker_error(exc, settings) from None
        present = [t for t in wanted_topics(settings) if t.name in existing]
        for name, (size, needed) in (await _undersized(admin, present)).items():
            log.warning(
                "topic %s has max.message.bytes=%d, below the %d that wirestream's limits need "
                "(WIRESTREAM_MAX_MESSAGE_BYTES, WIRESTREAM_MAX_HTML_BYTES): raise it with "
                "`kafka-configs --alter --entity-type topics --entity-name %s --add-config max.message.bytes=%d`",
                name,
                size,
                needed,
                name,
                needed,
                extra={"topic": name},
            )
    return [t.name for t in missing]


async def _undersized(admin: AIOKafkaAdminClient, topics: list[NewTopic]) -> dict[str, tuple[int, int]]:
    """Topics whose `max.message.bytes` is below what we would create them with: (have, need)."""
    if not topics:
        return {}
    needed = {t.name: int(t.topic_configs["max.message.bytes"]) for t in topics}
    resources = [ConfigResource(ConfigResourceType.TOPIC, name, {"max.message.bytes": None}) for name in needed]
    try:
        responses = await admin.describe_configs(resources)
    except KafkaError:  # no right to describe configs: nothing to say
        log.debug("cannot describe topic configs", exc_info=True)
        return {}
    found: dict[str, tuple[int, int]] = {}
    for response in responses:
        for error_code, _message, _type, name, entries, *_ in response.resources:
            if error_code:
                continue
            for config_name, value, *_ in entries:
                if config_name == "max.message.bytes" and value and int(value) < needed.get(name, 0):
                    found[name] = (int(value), needed[name])
    return found


async def describe_topics(settings: Settings) -> dict[str, int]:
    """Partition counts of all non-internal topics, by name."""
    async with admin_client(settings) as admin:
        try:
            names = [n for n in await admin.list_topics() if not n.startswith("__")]
            described = await admin.describe_topics(names) if names else []
        except KafkaError as exc:
            raise broker_error(exc, settings) from None
    return {d["topic"]: len(d["partitions"]) for d in described}


def _raise_for_create_errors(response: object) -> None:
    for entry in getattr(response, "topic_errors", None) or []:
        topic, code = entry[0], entry[1]
        if code and code != TopicAlreadyExistsError.errno:
            detail = entry[2] if len(entry) > 2 and isinstance(entry[2], str) else ""
            raise BrokerError(f"cannot create topic {topic}: error {code} {detail}".strip())
