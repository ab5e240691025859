"""Article messages: the input envelope and the enriched output record.

Inbound models tolerate unknown fields (producers evolve on their own schedule);
outbound models forbid them, so a typo in the code is caught before it is on the wire.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator, model_validator

from wirestream.schemas.attribution import Attribution

SCHEMA_VERSION: Literal[1] = 1
# Version 2 of the enriched record adds article metadata (modified_at, authors, canonical_url,
# publisher, section, tags) and where each value came from (`provenance`); version 1 fields are
# unchanged, so a version 1 consumer that ignores unknown fields reads version 2 records.
ENRICHED_SCHEMA_VERSION: Literal[2] = 2
METADATA_MAX_DEPTH = 32

_ID_RULES = {"min_length": 1, "max_length": 512, "pattern": r"^[^\x00-\x1f\x7f]+$"}


class RawArticle(BaseModel):
    """The JSON envelope a producer may send instead of plain text.

    Exactly one of `text` (visible page text) or `html` (the page markup) is required.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, title="RawArticle")

    schema_version: Literal[1] = SCHEMA_VERSION
    id: str | None = Field(default=None, **_ID_RULES)
    text: str | None = None
    html: str | None = None
    url: str | None = Field(default=None, max_length=8192)
    source: str | None = Field(default=None, max_length=512)
    title: str | None = Field(default=None, max_length=4096)
    language: str | None = Field(default=None, max_length=35)
    published_at: datetime | None = None
    metadata: dict[str, JsonValue] | None = None

    @model_validator(mode="after")
    def _exactly_one_body(self) -> RawArticle:
        if (self.text is None) == (self.html is None):
            raise ValueError("exactly one of 'text' or 'html' is required")
        return self

    @field_validator("metadata")
    @classmethod
    def _shallow_metadata(cls, value: dict[str, JsonValue] | None) -> dict[str, JsonValue] | None:
        # Deeper values break common JSON parsers downstream (pydantic's stops near 200 levels).
        if value is not None and _depth(value) > METADATA_MAX_DEPTH:
            raise ValueError(f"metadata is nested deeper than {METADATA_MAX_DEPTH} levels")
        return value


def _depth(value: JsonValue) -> int:
    depth, level = 0, [value]
    while level:
        depth += 1
        nested: list[JsonValue] = []
        for item in level:
            if isinstance(item, dict):
                nested.extend(v for v in item.values() if isinstance(v, dict | list))
            elif isinstance(item, list):
                nested.extend(v for v in item if isinstance(v, dict | list))
        level = nested
    return depth


class Dateline(BaseModel):
    """The dateline that opens a wire story, e.g. ``BERLIN, June 11 (Reuters) -``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    place: str | None = None
    date: str | None = None
    agency: str | None = Field(default=None, description="Agency code credited in the dateline, if any.")


class Processing(BaseModel):
    """Where a record came from and when it was made. Only the timestamps differ on replay."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(description="wirestream version that produced the record.")
    input_format: Literal["text", "json", "html"]
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    received_at: datetime | None = Field(default=None, description="Timestamp of the input message.")
    processed_at: datetime


class Provenance(BaseModel):
    """Where each metadata value of the record came from, for the fields that have one.

    ``envelope`` (the producer's JSON envelope, which always wins), a page statement as
    ``json-ld:<property>`` (``json-ld:datePublished``, ``json-ld:author``), ``meta:<name>``
    (``meta:article:published_time``, ``meta:og:title``), ``link:canonical``, ``itemprop:<property>``,
    ``html:<element>`` (``html:h1``, ``html:time``); ``url`` (a date in the page address);
    ``text:date-line``, ``text:relative-date``, ``text:dateline``, ``text:byline``, ``text:title``
    (found in the visible text); ``detected`` (the language, from the body).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str | None = None
    title: str | None = None
    language: str | None = None
    published_at: str | None = None
    modified_at: str | None = None
    authors: str | None = None
    canonical_url: str | None = None
    publisher: str | None = None
    section: str | None = None
    tags: str | None = None


class EnrichedArticle(BaseModel):
    """One enriched record per input message, keyed by `id`.

    `text` is the whole normalised document (title, byline, dateline, body, captions and
    credit lines in reading order); attribution evidence spans index into it. `body` holds
    the article paragraphs only, separated by a blank line. For HTML input, `text` is the
    page's whole visible text as normalised for attribution (bylines, datelines and sign-offs
    included), while `body`, `title` and `captions` come from the HTML extractor's article.

    Dates are ISO 8601, with the offset the page gives; none is before 1990 or after the
    message time plus a day. `authors` are people, in order: agencies are in `attribution`, and
    the site's own name, newsroom boilerplate and social handles are left out.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, title="EnrichedArticle")

    schema_version: Literal[2] = ENRICHED_SCHEMA_VERSION
    id: str = Field(**_ID_RULES)
    url: str | None = None
    source: str | None = None
    title: str | None = None
    byline: str | None = None
    dateline: Dateline | None = None
    language: str | None = None
    published_at: datetime | None = None
    body: str
    captions: list[str] = Field(default_factory=list)
    word_count: int = Field(ge=0)
    content_hash: str = Field(pattern=r"^sha256:[0-9a-f]{64}$", description="SHA-256 of `body`.")
    text: str
    attribution: Attribution
    removed: dict[str, int] = Field(description="What the normaliser removed: line counts by kind.")
    metadata: dict[str, JsonValue] | None = None
    processing: Processing
    # Added in version 2.
    modified_at: datetime | None = None
    authors: list[str] = Field(default_factory=list, description="People credited as authors, in order.")
    canonical_url: str | None = None
    publisher: str | None = Field(default=None, description="The site's name as the page states it.")
    section: str | None = None
    tags: list[str] = Field(default_factory=list)
    provenance: Provenance = Field(default_factory=Provenance, description="Where each metadata value came from.")
