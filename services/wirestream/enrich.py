"""One input message to one enriched record: decode, parse, normalise, tag, assemble.

Pure like the core: the adapters (worker, CLI, benchmarks) hand in the message bytes and a
clock reading, and get back a record or an `InvalidArticleError` / `EnrichmentError`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from pydantic import ValidationError

from wirestream import __version__, codec
from wirestream.core import NormalisedText, normalise, normalise_html, tag
from wirestream.core.language import load_models
from wirestream.core.text import count_words
from wirestream.errors import (
    BinaryContentError,
    EmptyArticleError,
    EnrichmentError,
    EnvelopeError,
    MalformedJsonError,
    NotUtf8Error,
    OutputTooLargeError,
    OversizeError,
    WirestreamError,
)
from wirestream.schemas.article import Dateline, EnrichedArticle, Processing, RawArticle
from wirestream.schemas.attribution import Attribution

InputFormat = Literal["text", "json", "html"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_SCALAR = re.compile(r"\s*(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)\s*")
_HTML_START = re.compile(r"\s*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_BINARY_RATIO = 0.1


@dataclass(frozen=True, slots=True)
class InputMessage:
    """A message as any Kafka client sees it, plus where it came from."""

    value: bytes | None
    key: bytes | None = None
    headers: Sequence[tuple[str, bytes]] = ()
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    timestamp_ms: int | None = None


@dataclass(frozen=True, slots=True)
class ParsedInput:
    id: str
    content: str
    input_format: InputFormat
    envelope: RawArticle | None = None


def parse_message(msg: InputMessage, *, max_bytes: int) -> ParsedInput:
    """Decode and validate a message; the article id is the key, else the envelope id, else a hash."""
    value = msg.value or b""
    if len(value) > max_bytes:
        raise OversizeError(f"value is {len(value):,} bytes, over the {max_bytes:,}-byte limit")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8Error(f"value is not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    key_id = _key_id(msg.key)
    if not text.strip():
        raise EmptyArticleError("value is empty or whitespace only")
    if len(_CONTROL.findall(text)) > _BINARY_RATIO * len(text):
        raise BinaryContentError("value is binary: over 10% control characters")

    content_type = _content_type(msg.headers)
    if content_type == "application/json" or (content_type is None and text.lstrip()[:1] in ("{", "[")):
        envelope = _parse_envelope(text)
        is_html = envelope.html is not None
        content = (envelope.html if is_html else envelope.text) or ""
        if not content.strip():
            raise EmptyArticleError(f"envelope {'html' if is_html else 'text'} is empty or whitespace only")
        article_id = key_id or envelope.id or _hash_id(value)
        return ParsedInput(article_id, content, "json", envelope)
    if content_type is None and _JSON_SCALAR.fullmatch(text):
        raise EnvelopeError("value is a bare JSON scalar, not article text or a JSON object")
    is_html = content_type == "text/html" or (content_type is None and _HTML_START.match(text) is not None)
    return ParsedInput(key_id or _hash_id(value), text, "html" if is_html else "text")


def enrich_message(msg: InputMessage, *, max_bytes: int, processed_at: datetime) -> EnrichedArticle:
    parsed = parse_message(msg, max_bytes=max_bytes)
    doc, attribution = _run_core(parsed)
    # A headline alone is news (a wire flash); nothing at all is not.
    if not doc.body.strip() and not (doc.title or "").strip():
        raise EmptyArticleError("no article text left after cleaning")
    return _assemble(parsed, doc, attribution, msg, processed_at)


def warm_up() -> None:
    """Load the models and run one small article through everything, so that lazy loads (the
    exact language model takes about a second) happen before the first real message, not on it."""
    load_models()
    sample = b"Warm-up\n\nBERLIN (dpa) - The worker is starting and checks its models before taking traffic."
    enrich_message(InputMessage(value=sample), max_bytes=len(sample), processed_at=datetime.now(UTC))


def encode_record(record: EnrichedArticle, *, max_bytes: int) -> bytes:
    data = codec.dumps_model(record)
    if len(data) > max_bytes:
        raise OutputTooLargeError(f"enriched record is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
    return data


def _run_core(parsed: ParsedInput) -> tuple[NormalisedText, Attribution]:
    try:
        is_html = parsed.input_format == "html" or (parsed.envelope is not None and parsed.envelope.html is not None)
        doc = normalise_html(parsed.content) if is_html else normalise(parsed.content)
        return doc, tag(doc)
    except WirestreamError:
        raise
    except Exception as exc:  # the core must never take the worker down; the input is dead-lettered
        raise EnrichmentError(f"{type(exc).__name__}: {exc}") from exc


def _assemble(
    parsed: ParsedInput,
    doc: NormalisedText,
    attribution: Attribution,
    msg: InputMessage,
    processed_at: datetime,
) -> EnrichedArticle:
    envelope = parsed.envelope
    body = doc.body
    dateline_text = doc.dateline
    dateline = None
    if dateline_text is not None:
        agency = next(
            (a.code for a in attribution.agencies for e in a.evidence if e.kind == "dateline"),
            None,
        )
        dateline = Dateline(text=dateline_text, place=doc.dateline_place, date=doc.dateline_date, agency=agency)
    received_at = datetime.fromtimestamp(msg.timestamp_ms / 1000, tz=UTC) if msg.timestamp_ms is not None else None
    return EnrichedArticle(
        id=parsed.id,
        url=envelope.url if envelope else None,
        source=envelope.source if envelope else None,
        title=(envelope.title if envelope and envelope.title else None) or doc.title,
        byline=doc.byline,
        dateline=dateline,
        language=(envelope.language if envelope and envelope.language else None) or doc.language,
        published_at=envelope.published_at if envelope else None,
        body=body,
        captions=doc.captions,
        word_count=count_words(body),
        content_hash="sha256:" + hashlib.sha256(body.encode()).hexdigest(),
        text=doc.text,
        attribution=attribution,
        removed=dict(doc.removed),
        metadata=envelope.metadata if envelope else None,
        processing=Processing(
            version=__version__,
            input_format=parsed.input_format,
            topic=msg.topic,
            partition=msg.partition,
            offset=msg.offset,
            received_at=received_at,
            processed_at=processed_at,
        ),
    )


def _parse_envelope(text: str) -> RawArticle:
    try:
        data = codec.loads(text)
    except codec.JSONDecodeError as exc:
        raise MalformedJsonError(f"value is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise EnvelopeError(f"JSON value must be an object, got {_json_type(data)}")
    try:
        return RawArticle.model_validate(data)
    except ValidationError as exc:
        raise EnvelopeError(f"envelope does not match RawArticle: {_summarise(exc)}") from None


def _summarise(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False, include_input=False)[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "envelope"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def _json_type(data: object) -> str:
    return {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}.get(type(data), "null")


def fallback_id(msg: InputMessage) -> str:
    """The id a message is known by before (or without) parsing it: its key, else a hash."""
    if msg.key:
        decoded = msg.key.decode("utf-8", "replace")
        if decoded.isprintable() and len(decoded) <= 512:
            return decoded
        return _hash_id(msg.key)
    return _hash_id(msg.value or b"")


def _key_id(key: bytes | None) -> str | None:
    if not key:
        return None
    try:
        decoded = key.decode("utf-8")
    except UnicodeDecodeError:
        raise NotUtf8Error("message key is not UTF-8 text") from None
    if _CONTROL.search(decoded) or "\n" in decoded or "\r" in decoded or "\t" in decoded:
        raise EnvelopeError("message key contains control characters")
    if len(decoded) > 512:
        raise EnvelopeError("message key is over 512 characters")
    return decoded


def _hash_id(value: bytes) -> str:
    return hashlib.sha256(value).hexdigest()[:32]


def _content_type(headers: Sequence[tuple[str, bytes]]) -> str | None:
    for name, raw in headers:
        if name.lower() == "content-type" and raw:
            return raw.decode("latin-1").split(";", 1)[0].strip().lower() or None
    return None
