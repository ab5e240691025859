"""Syndication records from enriched records: the library behind `wirestream syndicate` and the
syndication stage. Both decode an enriched record, let the pure core judge it against its
state, and encode the record; only where the state lives differs (dicts or Faust tables)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from wirestream import codec
from wirestream.core.agency_feed import reference_record
from wirestream.core.syndication import DAY_S, Article, Params, SyndicationIndex, SyndicationState
from wirestream.errors import EnvelopeError, MalformedJsonError
from wirestream.schemas.agency_feed import AgencyFeedItem
from wirestream.schemas.syndication import SyndicationRecord
from wirestream.settings import Settings


def params_from(settings: Settings) -> Params:
    return Params(window_s=settings.syndication_window_days * DAY_S, max_docs=settings.syndication_max_articles)


def decode_enriched(value: bytes | str | None) -> Article:
    """The parts of an enriched record that syndication reads; a typed error for anything else."""
    try:
        record = codec.loads(value or b"")
    except codec.JSONDecodeError as exc:
        raise MalformedJsonError(f"enriched record is not valid JSON: {exc}") from None
    return article_from(record)


def article_from(record: Any) -> Article:
    if not isinstance(record, dict):
        raise EnvelopeError("enriched record must be a JSON object")
    if not isinstance(record.get("id"), str) or not record["id"]:
        raise EnvelopeError("enriched record has no string 'id'")
    if not isinstance(record.get("body"), str):
        raise EnvelopeError("enriched record has no string 'body'")
    if not isinstance(record.get("attribution") or {}, dict):
        raise EnvelopeError("enriched record's 'attribution' is not an object")
    return Article.from_record(record)


def encode(record: SyndicationRecord) -> bytes:
    return codec.dumps_model(record)


class Syndicator:
    """One index and the decode/encode around it."""

    def __init__(self, params: Params, state: SyndicationState | None = None) -> None:
        self.index = SyndicationIndex(state, params)

    def record(self, value: bytes | str | None) -> SyndicationRecord:
        return self.index.observe(decode_enriched(value))


def syndicate_lines(lines: Iterable[bytes], params: Params) -> Iterator[SyndicationRecord | Exception]:
    """The offline twin: one result per non-blank JSON line, in order: a record, or the typed
    error the stage would dead-letter the line with."""
    syndicator = Syndicator(params)
    for line in lines:
        if not line.strip():
            continue
        try:
            yield syndicator.record(line)
        except (MalformedJsonError, EnvelopeError) as exc:
            yield exc


# -- the agency feed: reference copies without records of their own --


def decode_feed_item(value: bytes | str | None, *, received_at: datetime | None = None) -> dict[str, Any]:
    """An agency feed item (`AgencyFeedItem`) as the minimal enriched record that indexes it as
    a reference copy of its agency; a typed error (to dead-letter) for anything else."""
    try:
        item = AgencyFeedItem.model_validate_json(value or b"")
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise MalformedJsonError(f"agency feed item is not valid JSON: {exc.errors()[0]['msg']}") from None
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "item"
        raise EnvelopeError(f"agency feed item: {where}: {first['msg']}") from None
    try:
        return reference_record(item, received_at=received_at)
    except ValueError as exc:
        raise EnvelopeError(f"agency feed item: {exc}") from None


def syndicate_with_feed(
    lines: Iterable[bytes], feed: Iterable[bytes], params: Params
) -> Iterator[SyndicationRecord | Exception]:
    """`syndicate_lines` with an agency feed beside the enriched records: each feed item joins
    the index as a reference copy of its agency just before the first enriched record that is
    not earlier than it (by time, then id), as if it had arrived first on a live feed. Feed items
    get no record; a feed line the stage would dead-letter yields its typed error first."""
    syndicator = Syndicator(params)
    references: list[Article] = []
    for line in feed:
        if not line.strip():
            continue
        try:
            references.append(article_from(decode_feed_item(line)))
        except (MalformedJsonError, EnvelopeError) as exc:
            yield exc
    references.sort(key=lambda a: (a.at, a.id), reverse=True)  # popped from the end, earliest first
    for line in lines:
        if not line.strip():
            continue
        try:
            article = decode_enriched(line)
        except (MalformedJsonError, EnvelopeError) as exc:
            yield exc
            continue
        while references and (references[-1].at, references[-1].id) <= (article.at, article.id):
            syndicator.index.observe(references.pop())
        yield syndicator.index.observe(article)
