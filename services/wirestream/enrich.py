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
from typing import Literal, TypeVar

from pydantic import ValidationError

from wirestream import __version__, codec, formats
from wirestream.core import NormalisedText, normalise, tag
from wirestream.core.language import load_models
from wirestream.core.metadata import ArticleMetadata, from_page, from_text
from wirestream.core.text import count_words
from wirestream.core.webpage import WebPage, read_webpage
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
from wirestream.schemas.article import Dateline, EnrichedArticle, Processing, Provenance, RawArticle
from wirestream.schemas.attribution import Attribution

InputFormat = Literal["text", "json", "html"]
_T = TypeVar("_T")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Control characters, and U+FFFD: an HTML page decoded from a charset keeps unmappable bytes that way.
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_JSON_SCALAR = re.compile(r"\s*(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)\s*")
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


def parse_message(msg: InputMessage, *, max_bytes: int, max_html_bytes: int | None = None) -> ParsedInput:
    """Decode and validate a message; the article id is the key, else the envelope id, else a hash.

    The value's `content-type` header says what it is (`application/json`, `text/html`,
    `text/plain`); without one, a value that starts like an HTML document is HTML, one that
    is a JSON object is an envelope (and one that opens like JSON but does not parse is a
    malformed envelope), and anything else is plain text, even when it starts with a bracket
    (`[UPDATE] ...`). Text and JSON are UTF-8 and at most `max_bytes`; HTML, alone or in an
    envelope, may take `max_html_bytes` (default `max_bytes`) and is decoded from its charset.
    """
    value = msg.value or b""
    html_limit = max_html_bytes or max_bytes
    declared = formats.content_type(msg.headers)
    body = formats.strip_bom(value)
    undeclared = declared.media_type is None or not (declared.is_json or declared.is_html or declared.is_text)
    if declared.is_html or (undeclared and formats.looks_like_html(body)):
        _check_size(value, html_limit, _HTML_LIMIT)
        content = _checked_content(formats.decode_html(body, charset=declared.charset))
        return ParsedInput(_key_id(msg.key) or _hash_id(value), content, "html")

    limit, which = max_bytes, _TEXT_LIMIT
    if (declared.is_json or (undeclared and body.lstrip()[:1] == b"{")) and html_limit > max_bytes:
        limit, which = html_limit, _HTML_LIMIT  # until it is parsed, it may be an envelope holding a page
    _check_size(value, limit, which)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8Error(f"value is not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    key_id = _key_id(msg.key)
    _checked_content(text)

    data = _NOT_JSON
    if declared.is_json or (undeclared and text.lstrip()[:1] in ("{", "[")):
        data = _json_value(text, declared=declared.is_json)
    if data is not _NOT_JSON:
        envelope = _envelope(data)
        is_html = envelope.html is not None
        _check_size(value, html_limit if is_html else max_bytes, _HTML_LIMIT if is_html else _TEXT_LIMIT)
        content = (envelope.html if is_html else envelope.text) or ""
        if not content.strip():
            raise EmptyArticleError(f"envelope {'html' if is_html else 'text'} is empty or whitespace only")
        article_id = key_id or envelope.id or _hash_id(value)
        return ParsedInput(article_id, content, "json", envelope)
    if undeclared and _JSON_SCALAR.fullmatch(text):
        raise EnvelopeError("value is a bare JSON scalar, not article text or a JSON object")
    _check_size(value, max_bytes, _TEXT_LIMIT)
    return ParsedInput(key_id or _hash_id(value), text, "text")


def enrich_message(
    msg: InputMessage, *, max_bytes: int, max_html_bytes: int | None = None, processed_at: datetime
) -> EnrichedArticle:
    parsed = parse_message(msg, max_bytes=max_bytes, max_html_bytes=max_html_bytes)
    result = _run_core(parsed)
    doc = result.article
    # A headline alone is news (a wire flash); nothing at all is not.
    if not doc.body.strip() and not (doc.title or "").strip():
        raise EmptyArticleError("no article text left after cleaning")
    return _assemble(parsed, result, msg, processed_at)


def warm_up() -> None:
    """Load the models and run one small article through everything, so that lazy loads (the
    exact language model takes about a second) happen before the first real message, not on it."""
    load_models()
    sample = b"Warm-up\n\nBERLIN (dpa) - The worker is starting and checks its models before taking traffic."
    enrich_message(InputMessage(value=sample), max_bytes=len(sample), processed_at=datetime.now(UTC))
    page = b"<!doctype html><html><body><h1>Warm-up</h1><p>" + sample + b"</p></body></html>"
    enrich_message(InputMessage(value=page), max_bytes=len(page), processed_at=datetime.now(UTC))


def encode_record(record: EnrichedArticle, *, max_bytes: int) -> bytes:
    data = codec.dumps_model(record)
    if len(data) > max_bytes:
        raise OutputTooLargeError(f"enriched record is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
    return data


@dataclass(frozen=True, slots=True)
class CoreResult:
    """What the core made of the content: the article for the record, and the document that
    attribution read (the same for text; for HTML, the page's whole visible text)."""

    article: NormalisedText
    attributed: NormalisedText
    attribution: Attribution
    page: WebPage | None = None


def _run_core(parsed: ParsedInput) -> CoreResult:
    try:
        is_html = parsed.input_format == "html" or (parsed.envelope is not None and parsed.envelope.html is not None)
        if not is_html:
            doc = normalise(parsed.content)
            return CoreResult(doc, doc, tag(doc))
        page = read_webpage(parsed.content)
        return CoreResult(page.article, page.page, tag(page.page, metadata=page.metadata.credits), page)
    except WirestreamError:
        raise
    except Exception as exc:  # the core must never take the worker down; the input is dead-lettered
        raise EnrichmentError(f"{type(exc).__name__}: {exc}") from exc


def _assemble(
    parsed: ParsedInput,
    result: CoreResult,
    msg: InputMessage,
    processed_at: datetime,
) -> EnrichedArticle:
    envelope = parsed.envelope
    doc, attributed, attribution = result.article, result.attributed, result.attribution
    body = doc.body
    # The byline and dateline of an HTML page are in its visible text around the article, which
    # the extractor leaves out.
    dateline_text = attributed.dateline or doc.dateline
    dateline = None
    if dateline_text is not None:
        agency = next(
            (a.code for a in attribution.agencies for e in a.evidence if e.kind == "dateline"),
            None,
        )
        source = attributed if attributed.dateline else doc
        dateline = Dateline(text=dateline_text, place=source.dateline_place, date=source.dateline_date, agency=agency)
    received_at = datetime.fromtimestamp(msg.timestamp_ms / 1000, tz=UTC) if msg.timestamp_ms is not None else None
    meta = _article_metadata(parsed, doc, result.page, message_time=received_at or processed_at)
    # Values in the envelope win over what the page or text says; the provenance says which won.
    sources = dict(meta.sources)
    url = _pick(envelope.url if envelope else None, meta.canonical_url, "url", "canonical_url", sources)
    title = _pick(envelope.title if envelope else None, meta.title, "title", "title", sources)
    published_at = _pick(
        envelope.published_at if envelope else None, meta.published_at, "published_at", "published_at", sources
    )
    language = _pick(envelope.language if envelope else None, doc.language, "language", "language", sources)
    if language and not (envelope and envelope.language):
        sources["language"] = "detected"
    return EnrichedArticle(
        id=parsed.id,
        url=url,
        source=envelope.source if envelope else None,
        title=title,
        byline=attributed.byline or doc.byline,
        dateline=dateline,
        language=language,
        published_at=published_at,
        body=body,
        captions=doc.captions,
        word_count=count_words(body),
        content_hash="sha256:" + hashlib.sha256(body.encode()).hexdigest(),
        text=attributed.text,
        attribution=attribution,
        removed=dict(attributed.removed),
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
        modified_at=meta.modified_at,
        authors=list(meta.authors),
        canonical_url=meta.canonical_url,
        publisher=meta.publisher,
        section=meta.section,
        tags=list(meta.tags),
        provenance=Provenance(**{k: v for k, v in sources.items() if k in Provenance.model_fields}),
    )


def _article_metadata(
    parsed: ParsedInput, doc: NormalisedText, page: WebPage | None, *, message_time: datetime
) -> ArticleMetadata:
    envelope = parsed.envelope
    url = envelope.url if envelope else None
    if page is not None:  # an HTML page, read once by the core
        return from_page(page.metadata, doc, url=url, message_time=message_time, page_lines=page.visible_lines)
    return from_text(parsed.content.splitlines(), doc, url=url, message_time=message_time)


def _pick(
    envelope_value: _T | None, found: _T | None, name: str, found_name: str, sources: dict[str, str]
) -> _T | None:
    if envelope_value is not None and envelope_value != "":
        sources[name] = "envelope"
        return envelope_value
    if found is None or found == "":
        sources.pop(name, None)
        return None
    if found_name != name:
        sources[name] = sources.get(found_name, found_name)
    return found


_NOT_JSON = object()
_TEXT_LIMIT = "for text and JSON (WIRESTREAM_MAX_MESSAGE_BYTES)"
_HTML_LIMIT = "for HTML, alone or in an envelope (WIRESTREAM_MAX_HTML_BYTES)"


def _check_size(value: bytes, limit: int, which: str) -> None:
    if len(value) > limit:
        raise OversizeError(f"value is {len(value):,} bytes, over the {limit:,}-byte limit {which}")


def _checked_content(text: str) -> str:
    if not text.strip():
        raise EmptyArticleError("value is empty or whitespace only")
    if len(_UNREADABLE.findall(text)) > _BINARY_RATIO * len(text):
        raise BinaryContentError("value is binary: over 10% control characters or undecodable bytes")
    return text


def _json_value(text: str, *, declared: bool) -> object:
    """The parsed value; `_NOT_JSON` for text that is not declared JSON, does not parse and does
    not open like JSON (`[UPDATE] Police say ...`, `{Update} ...`): that is article text."""
    try:
        return codec.loads(text)
    except codec.JSONDecodeError as exc:
        if declared or formats.looks_like_json(text):
            raise MalformedJsonError(f"value is not valid JSON: {exc}") from None
        return _NOT_JSON


def _envelope(data: object) -> RawArticle:
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
