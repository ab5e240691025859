"""Agency feed items as reference copies for the syndication index.

Pure: an item (`wirestream.schemas.agency_feed.AgencyFeedItem`) becomes the minimal enriched
record that syndication reads (`Article.from_record`), crediting the item's agency, with its
body normalised as the enrichment worker normalises an article's text, so that an article
carrying the same text has the same shingles.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from wirestream.core.agencies import REGISTRY
from wirestream.core.normalise import normalise
from wirestream.schemas.agency_feed import AgencyFeedItem

_CODES = {code.casefold(): code for code in REGISTRY.agencies}


def agency_code(agency: str) -> str | None:
    """The registry's code for `agency`, in any case (`afp` -> `AFP`), or None for no known agency."""
    return _CODES.get(agency.strip().casefold())


def reference_record(item: AgencyFeedItem, *, received_at: datetime | None = None) -> dict[str, Any]:
    """The enriched-record fields syndication reads, for a feed item: its agency is credited.

    `received_at` is when the message reached the broker (its timestamp), which bounds
    `published_at` as it does for articles. Raises ValueError when the agency is not known
    (an unknown code would never match an article's credit, so every copy would look uncredited).
    """
    code = agency_code(item.agency)
    if code is None:
        raise ValueError(f"unknown agency {item.agency!r}: expected a code such as AFP, Reuters or dpa")
    body = normalise(item.body).body or item.body.strip()
    return {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "published_at": item.published_at.isoformat(),
        "body": body,
        "content_hash": "sha256:" + hashlib.sha256(body.encode()).hexdigest(),
        "attribution": {"credited": [code]},
        "processing": {"received_at": received_at.isoformat() if received_at is not None else None},
    }
