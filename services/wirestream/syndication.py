"""Syndication records from enriched records: the library behind `wirestream syndicate` and the
syndication stage. Both decode an enriched record, let the pure core judge it against its
state, and encode the record; only where the state lives differs (dicts or Faust tables)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from wirestream import codec
from wirestream.core.syndication import DAY_S, Article, Params, SyndicationIndex, SyndicationState
from wirestream.errors import EnvelopeError, MalformedJsonError
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
