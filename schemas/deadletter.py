"""Dead-letter error metadata.

A dead letter is the original message (key, value and headers, unchanged) written to the
dead-letter topic with these fields added as headers, in the manner of Kafka Connect's
dead-letter queue: ``wirestream.errors.<field>``, values UTF-8 text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

HEADER_PREFIX = "wirestream.errors."

Stage = Literal["decode", "parse", "validate", "enrich", "encode"]


class DeadLetterError(BaseModel):
    """Why a message could not be enriched, and where it came from."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="DeadLetterError")

    schema_version: Literal[1] = 1
    error_class: str = Field(description="Exception class name, e.g. 'NotUtf8Error'.")
    message: str = Field(max_length=2000)
    stage: Stage
    topic: str
    partition: int
    offset: int
    timestamp: int | None = Field(default=None, description="Input message timestamp, ms since the epoch.")
    failed_at: int = Field(description="When the worker gave up, ms since the epoch.")
    version: str = Field(description="wirestream version of the worker.")

    def to_headers(self) -> list[tuple[str, bytes]]:
        return [
            (HEADER_PREFIX + name, str(value).encode())
            for name, value in self.model_dump().items()
            if value is not None
        ]

    @classmethod
    def from_headers(cls, headers: Iterable[tuple[str, bytes]]) -> DeadLetterError:
        fields = {
            name[len(HEADER_PREFIX) :]: value.decode("utf-8", "replace")
            for name, value in headers
            if name.startswith(HEADER_PREFIX)
        }
        # Literal versions do not coerce from text.
        if fields.get("schema_version", "").isdigit():
            fields["schema_version"] = int(fields["schema_version"])
        return cls.model_validate(fields)


def strip_error_headers(headers: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The original headers of a dead letter, for replaying it to the input topic."""
    return [(name, value) for name, value in headers if not name.startswith(HEADER_PREFIX)]
