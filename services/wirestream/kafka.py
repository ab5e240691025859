"""Kafka connection options, derived from `Settings` for every client we make."""

from __future__ import annotations

import logging
import ssl
import time
from typing import Any

from wirestream.errors import ConfigError
from wirestream.settings import Settings


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """A TLS context when the protocol asks for TLS; the CA file, if given, is the trust root."""
    if settings.kafka_security_protocol not in ("SSL", "SASL_SSL"):
        return None
    try:
        context = ssl.create_default_context(cafile=settings.kafka_ssl_cafile)
        if settings.kafka_ssl_certfile:
            context.load_cert_chain(settings.kafka_ssl_certfile, settings.kafka_ssl_keyfile)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot load TLS files (KAFKA_SSL_CAFILE / KAFKA_SSL_CERTFILE): {exc}") from None
    context.check_hostname = settings.kafka_ssl_check_hostname
    return context


def client_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments shared by aiokafka producers, consumers and admin clients."""
    options: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "security_protocol": settings.kafka_security_protocol,
        "ssl_context": ssl_context(settings),
    }
    if settings.kafka_security_protocol.startswith("SASL"):
        if not settings.kafka_sasl_username or settings.kafka_sasl_password is None:
            raise ConfigError(
                f"KAFKA_SECURITY_PROTOCOL={settings.kafka_security_protocol} needs "
                "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"
            )
        options.update(
            sasl_mechanism=settings.kafka_sasl_mechanism,
            sasl_plain_username=settings.kafka_sasl_username,
            sasl_plain_password=settings.kafka_sasl_password.get_secret_value(),
        )
    return options


class _ConnectFailureWatch(logging.Filter):
    """aiokafka reports refused credentials and failed TLS handshakes only in its log, then
    raises a generic bootstrap error; this remembers when it last did, so the error can be
    told apart from an unreachable broker."""

    def __init__(self) -> None:
        super().__init__()
        self.last_auth = self.last_tls = float("-inf")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            message = record.getMessage()
            if "Authentication" in message:
                self.last_auth = time.monotonic()
            elif "SSL" in message or "certificate" in message:
                self.last_tls = time.monotonic()
        return True


_connect_failures = _ConnectFailureWatch()
logging.getLogger("aiokafka").addFilter(_connect_failures)


def auth_failed_recently(window_s: float = 120.0) -> bool:
    return time.monotonic() - _connect_failures.last_auth < window_s


def tls_failed_recently(window_s: float = 120.0) -> bool:
    return time.monotonic() - _connect_failures.last_tls < window_s


def silence_client_logs() -> None:
    """For commands that report errors themselves: no client log lines on the terminal."""
    client = logging.getLogger("aiokafka")
    client.propagate = False
    if not any(isinstance(h, logging.NullHandler) for h in client.handlers):
        client.addHandler(logging.NullHandler())
