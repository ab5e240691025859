"""Configuration: one frozen object, read from the environment once per entry point."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
Compression = Literal["none", "gzip", "lz4", "zstd"]

MIB = 1024 * 1024


class Settings(BaseSettings):
    """Everything configurable. Kafka connection settings use the usual `KAFKA_*` names;
    wirestream's own settings are prefixed `WIRESTREAM_`."""

    model_config = SettingsConfigDict(env_prefix="WIRESTREAM_", frozen=True, extra="ignore", populate_by_name=True)

    # Kafka connection
    kafka_bootstrap_servers: str = Field("127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    kafka_security_protocol: SecurityProtocol = Field("PLAINTEXT", validation_alias="KAFKA_SECURITY_PROTOCOL")
    kafka_sasl_mechanism: SaslMechanism = Field("SCRAM-SHA-512", validation_alias="KAFKA_SASL_MECHANISM")
    kafka_sasl_username: str | None = Field(None, validation_alias="KAFKA_SASL_USERNAME")
    kafka_sasl_password: SecretStr | None = Field(None, validation_alias="KAFKA_SASL_PASSWORD")
    kafka_ssl_cafile: str | None = Field(None, validation_alias="KAFKA_SSL_CAFILE")
    kafka_ssl_certfile: str | None = Field(None, validation_alias="KAFKA_SSL_CERTFILE")
    kafka_ssl_keyfile: str | None = Field(None, validation_alias="KAFKA_SSL_KEYFILE")
    kafka_ssl_check_hostname: bool = Field(True, validation_alias="KAFKA_SSL_CHECK_HOSTNAME")

    # The built-in local broker (`wirestream broker up`); its port also sets the default bootstrap address.
    kafka_port: int = Field(9092, ge=1, le=65535, validation_alias="KAFKA_PORT")
    local_kafka_dir: str = Field(".kafka", description="Kafka jars and local broker state.")

    # Topics
    topic_raw: str = "articles.raw"
    topic_enriched: str = "articles.enriched"
    topic_dlq: str = "articles.dlq"
    topic_partitions: int = Field(6, ge=1)
    topic_replication_factor: int = Field(1, ge=1)

    # Worker
    app_id: str = Field("wirestream", description="Faust app id; also the consumer group.")
    max_message_bytes: int = Field(
        MIB, ge=1024, description="Largest text or JSON input value accepted; larger ones are dead-lettered."
    )
    # Modern news pages run to several MB of markup (inline scripts, styles, state) around a short article.
    max_html_bytes: int = Field(
        10 * MIB, ge=1024, description="Largest HTML input value accepted; larger ones are dead-lettered."
    )
    batch_size: int = Field(200, ge=1)
    # Faust's take wakes every window while idle: 1 ms costs an idle worker 7% of a core, 5 ms 2%.
    batch_window_ms: int = Field(5, ge=0, description="How long a batch waits to fill; bounds latency at low load.")
    broker_wait_s: float = Field(60.0, ge=0, description="How long a starting worker waits for Kafka.")
    session_timeout_s: float = Field(10.0, ge=3, description="How soon the group notices a dead worker.")
    commit_interval_s: float = Field(1.0, gt=0, description="How often processed offsets are committed.")
    producer_linger_ms: int = Field(0, ge=0, description="How long the producer waits to fill a batch.")
    # aiokafka has one request in flight per broker: batches must hold many ~20 kB records.
    producer_batch_bytes: int = Field(MIB, ge=1024, description="Producer batch size per partition.")
    producer_compression: Compression = Field("zstd", description="Records shrink about 5x; no measurable CPU cost.")
    event_loop: Literal["asyncio", "uvloop"] = Field("uvloop", description="The worker's event loop.")
    web_host: str = "127.0.0.1"
    web_port: int = Field(6066, ge=0, le=65535)
    log_format: Literal["auto", "json", "text"] = "auto"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    data_dir: str = Field(
        ".wirestream", description="Faust's local state (tables are not used; offsets live in Kafka)."
    )

    # publish
    publish_timeout_s: float = Field(
        60.0, gt=0, description="How long `publish` waits for the broker to take a message before giving up."
    )
    # Syndication stage (`wirestream syndication worker`, `wirestream syndicate`)
    topic_syndication: str = "articles.syndication"
    syndication_app_id: str = Field("wirestream-syndication", description="Consumer group of the syndication stage.")
    syndication_window_days: float = Field(7.0, gt=0, description="How long an article stays in the index.")
    syndication_max_articles: int = Field(500_000, ge=1, description="Most articles in the index at once.")
    syndication_batch_size: int = Field(
        500, ge=1, description="Most events a syndication agent handles per batch (its messages are sent together)."
    )
    syndication_linger_ms: int = Field(
        0, ge=0, description="Producer linger of the syndication stage (with batches, its table writes share requests)."
    )

    # Syndication: a licensed agency feed, and the dashboard's syndication panels
    topic_agency_feed: str | None = Field(
        None, description="Topic of agency feed items, reference copies of their agency; unset: no feed."
    )
    dashboard_syndication_window_s: float = Field(
        3600.0, gt=0, description="How far back the dashboard's top stories and uncredited shares look."
    )

    @model_validator(mode="before")
    @classmethod
    def _bootstrap_follows_local_port(cls, data: Any) -> Any:
        if not isinstance(data, dict) or {"KAFKA_BOOTSTRAP_SERVERS", "kafka_bootstrap_servers"} & data.keys():
            return data
        port = data.get("KAFKA_PORT", data.get("kafka_port"))
        if port is not None:
            data = {**data, "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}"}
        return data

    @field_validator("kafka_bootstrap_servers")
    @classmethod
    def _servers_listed(cls, value: str) -> str:
        servers = [s.strip() for s in value.split(",") if s.strip()]
        if not servers or any(":" not in s for s in servers):
            raise ValueError("expected host:port[,host:port...]")
        return ",".join(servers)

    @property
    def bootstrap_servers(self) -> list[str]:
        return self.kafka_bootstrap_servers.split(",")

    @property
    def max_input_bytes(self) -> int:
        """The largest input value of any format that the worker accepts."""
        return max(self.max_message_bytes, self.max_html_bytes)

    @property
    def input_topic_max_bytes(self) -> int:
        """The input topic's `max.message.bytes`: a text input up to four times its limit, and an
        HTML page up to twice its limit, still reach the worker, to be dead-lettered with the
        reason rather than refused unseen. An enriched record (about twice its text, and a
        page's text is far smaller than its markup) must fit in this too."""
        return max(4 * self.max_message_bytes, 2 * self.max_html_bytes)

    @property
    def output_topic_max_bytes(self) -> int:
        """The output topics' `max.message.bytes`: a dead letter is an input plus error headers."""
        return self.input_topic_max_bytes + 64 * 1024

    @classmethod
    def env_name(cls, field_name: str) -> str:
        """The environment variable that sets a field (`batch_size` -> `WIRESTREAM_BATCH_SIZE`)."""
        field = cls.model_fields.get(field_name)
        alias = field.validation_alias if field is not None else None
        return str(alias) if alias else f"WIRESTREAM_{field_name.upper()}"

    def masked(self) -> dict[str, object]:
        """The effective settings by environment variable name, secrets masked."""
        shown: dict[str, object] = {}
        for name in type(self).model_fields:
            env = self.env_name(name)
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                value = "**********" if value.get_secret_value() else ""
            shown[env] = value
        return shown


def unknown_variables(environ: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """`WIRESTREAM_*` variables in the environment that no setting reads (a typo is otherwise
    silently ignored), each with the closest known name, or None."""
    environ = os.environ if environ is None else environ
    known = [Settings.env_name(name) for name in Settings.model_fields]
    # Compared without the prefix, which every name shares.
    ours = {name.removeprefix(_PREFIX): name for name in known if name.startswith(_PREFIX)}
    unknown = sorted(name for name in environ if name.upper().startswith(_PREFIX) and name.upper() not in known)
    return {
        name: next((ours[m] for m in difflib.get_close_matches(name.upper().removeprefix(_PREFIX), ours, n=1)), None)
        for name in unknown
    }


_PREFIX = "WIRESTREAM_"
