"""Errors, grouped by what the caller does next.

WirestreamError
├── InvalidArticleError        the input is bad: dead-letter it, commit, go on
│   ├── OversizeError          value over the configured limit
│   ├── NotUtf8Error           value or key is not UTF-8 text
│   ├── BinaryContentError     value is mostly control characters
│   ├── MalformedJsonError     value looks like JSON but does not parse
│   ├── EnvelopeError          JSON that does not match the RawArticle schema
│   ├── EmptyArticleError      no article text, before or after cleaning
│   └── OutputTooLargeError    the enriched record would exceed the output limit
├── EnrichmentError            the core failed on this input: dead-letter it, go on
├── ConfigError                bad settings: fix the environment
└── BrokerError                Kafka trouble: retry, then fail loudly
    ├── BrokerUnavailableError
    ├── AuthenticationError
    └── TopicMissingError
"""

from __future__ import annotations

from typing import ClassVar

from wirestream.schemas.deadletter import Stage


class WirestreamError(Exception):
    """Root of every error wirestream raises on purpose."""


class InvalidArticleError(WirestreamError):
    """An input message that cannot become an enriched record."""

    stage: ClassVar[Stage] = "validate"


class OversizeError(InvalidArticleError):
    stage = "decode"


class NotUtf8Error(InvalidArticleError):
    stage = "decode"


class BinaryContentError(InvalidArticleError):
    stage = "decode"


class MalformedJsonError(InvalidArticleError):
    stage = "parse"


class EnvelopeError(InvalidArticleError):
    stage = "validate"


class EmptyArticleError(InvalidArticleError):
    stage = "validate"


class OutputTooLargeError(InvalidArticleError):
    stage = "encode"


class EnrichmentError(WirestreamError):
    """An unexpected failure inside the core; the message names the original exception."""

    stage: ClassVar[Stage] = "enrich"


class ConfigError(WirestreamError):
    pass


class BrokerError(WirestreamError):
    pass


class BrokerUnavailableError(BrokerError):
    pass


class AuthenticationError(BrokerError):
    pass


class TopicMissingError(BrokerError):
    pass
