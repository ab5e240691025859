"""Agency feed items: a licensed agency's own copy, on the optional `WIRESTREAM_TOPIC_AGENCY_FEED`.

Each item becomes a reference copy for its agency in the syndication index (as if an article had
credited that agency), so that later articles carrying its text without a credit are flagged.
An item gets no syndication record of its own: `articles.syndication` stays one record per
enriched article.

Inbound, like the raw envelope: unknown fields are ignored (feeds carry much more).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal[1] = 1


class AgencyFeedItem(BaseModel):
    """One item of an agency feed, as a JSON object (one per message, or one per line offline)."""

    model_config = ConfigDict(extra="ignore", frozen=True, title="AgencyFeedItem")

    schema_version: Literal[1] = SCHEMA_VERSION
    id: str = Field(
        min_length=1,
        max_length=512,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        description="The item's id. It shares the index with article ids: use one that no article has "
        "(the agency's own URN, say).",
    )
    agency: str = Field(
        min_length=1,
        max_length=64,
        description="The agency's code as the attribution tagger writes it (`AFP`, `Reuters`, `dpa`, ...); "
        "matched without regard to case.",
    )
    body: str = Field(min_length=1, description="The item's text; paragraphs on lines of their own.")
    title: str | None = Field(default=None, max_length=4096)
    url: str | None = Field(default=None, max_length=8192)
    published_at: datetime = Field(
        description="When the agency sent it; no later than the message's timestamp is used (as for articles)."
    )
