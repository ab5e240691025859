"""The bad-input catalogue: each input is enriched or dead-lettered with a clear reason,
and the per-message handler never raises."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import orjson
import pytest

from wirestream.enrich import InputMessage
from wirestream.handler import MessageHandler
from wirestream.schemas.article import EnrichedArticle
from wirestream.schemas.deadletter import DeadLetterError
from wirestream.settings import MIB, Settings

NOW = datetime(2024, 6, 11, 12, 0, tzinfo=UTC)

ARTICLE = (
    "Port traffic rises for third month\n\n"
    "HAMBURG (Reuters) - Container traffic through the port rose for a third straight month in May, "
    "the port authority said on Tuesday, as shipping lines added sailings to northern Europe.\n\n"
    "Volumes were up 4.1 percent from a year earlier, helped by stronger trade with Scandinavia "
    "and the Baltic states, while traffic with Asia was flat.\n\n"
    "The authority said it expected the recovery to continue into the summer months."
)


@pytest.fixture(scope="module")
def handler() -> MessageHandler:
    return MessageHandler(Settings(topic_raw="in", topic_enriched="out", topic_dlq="dlq"))


def handle(handler: MessageHandler, value: bytes | None, *, key: bytes | None = None, headers=()):
    msg = InputMessage(value=value, key=key, headers=list(headers), topic="in", partition=2, offset=41, timestamp_ms=1)
    return handler.handle(msg, now=NOW)


def assert_dead_letter(out, value, error_class: str, stage: str, *phrases: str) -> DeadLetterError:
    assert out.topic == "dlq", f"expected a dead letter, got a record: {out.record}"
    assert out.value == value, "a dead letter keeps the original bytes"
    error = DeadLetterError.from_headers(out.headers)
    assert (error.error_class, error.stage) == (error_class, stage), error.message
    assert (error.topic, error.partition, error.offset) == ("in", 2, 41)
    for phrase in phrases:
        assert phrase in error.message, error.message
    return error


def assert_enriched(out) -> EnrichedArticle:
    assert out.topic == "out", f"expected a record, got a dead letter: {out.error}"
    record = EnrichedArticle.model_validate_json(out.value)
    assert out.key == record.id.encode()
    assert record.body.strip() or record.title
    return record


def envelope(**fields) -> bytes:
    return orjson.dumps(fields)


def test_empty_value(handler):
    assert_dead_letter(handle(handler, b""), b"", "EmptyArticleError", "validate", "empty")


def test_null_value(handler):
    assert_dead_letter(handle(handler, None), None, "EmptyArticleError", "validate", "empty")


def test_whitespace_only(handler):
    value = b" \n\t\r\n  \xc2\xa0\n"
    assert_dead_letter(handle(handler, value), value, "EmptyArticleError", "validate", "whitespace")


def test_not_utf8(handler):
    value = ARTICLE.encode("latin-1", "replace") + b"\xe9t\xe9"
    assert_dead_letter(handle(handler, value), value, "NotUtf8Error", "decode", "UTF-8")


def test_nul_bytes_inside_text_are_dropped_and_the_article_kept(handler):
    value = ARTICLE.replace("Volumes", "Vol\x00umes").encode()
    record = assert_enriched(handle(handler, value))
    assert "\x00" not in record.body and "Volumes were up" in record.body


def test_binary_that_happens_to_be_valid_utf8(handler):
    value = bytes(range(0, 32)) * 64
    assert_dead_letter(handle(handler, value), value, "BinaryContentError", "decode", "binary")


def test_binary_image(handler):
    value = b"\x89PNG\r\n\x1a\n" + gzip.compress(bytes(range(256)) * 40)
    assert_dead_letter(handle(handler, value), value, "NotUtf8Error", "decode")


def test_truncated_json(handler):
    value = envelope(id="a1", text=ARTICLE)[:-20]
    assert_dead_letter(handle(handler, value), value, "MalformedJsonError", "parse", "not valid JSON")


def test_malformed_json(handler):
    value = b'{"id": "a1", text: "unquoted key"}'
    assert_dead_letter(handle(handler, value), value, "MalformedJsonError", "parse")


def test_json_array(handler):
    value = orjson.dumps([{"text": ARTICLE}])
    assert_dead_letter(handle(handler, value), value, "EnvelopeError", "validate", "must be an object, got array")


def test_json_number_declared_as_json(handler):
    value = b"42"
    out = handle(handler, value, headers=[("content-type", b"application/json")])
    assert_dead_letter(out, value, "EnvelopeError", "validate", "got number")


def test_bare_json_number(handler):
    assert_dead_letter(handle(handler, b"3.14"), b"3.14", "EnvelopeError", "validate", "JSON scalar")


def test_envelope_without_text(handler):
    value = envelope(id="a1", title="Headline only")
    assert_dead_letter(handle(handler, value), value, "EnvelopeError", "validate", "exactly one of 'text' or 'html'")


def test_envelope_with_both_text_and_html(handler):
    value = envelope(id="a1", text=ARTICLE, html=f"<p>{ARTICLE}</p>")
    assert_dead_letter(handle(handler, value), value, "EnvelopeError", "validate", "exactly one of 'text' or 'html'")


@pytest.mark.parametrize(
    ("fields", "field_name"),
    [
        ({"text": 5}, "text"),
        ({"text": ARTICLE, "published_at": "last Tuesday"}, "published_at"),
        ({"text": ARTICLE, "metadata": ["not", "an", "object"]}, "metadata"),
        ({"text": ARTICLE, "id": ""}, "id"),
    ],
)
def test_envelope_with_wrong_field_types(handler, fields, field_name):
    value = envelope(**fields)
    assert_dead_letter(handle(handler, value), value, "EnvelopeError", "validate", field_name)


def test_envelope_keeps_its_fields(handler):
    value = envelope(
        id="env-1",
        text=ARTICLE,
        url="https://example.org/a",
        source="example",
        published_at="2024-06-11T10:00:00Z",
        metadata={"desk": "economy"},
        extra_field="ignored",
    )
    record = assert_enriched(handle(handler, value))
    assert (record.id, record.url, record.source) == ("env-1", "https://example.org/a", "example")
    assert record.metadata == {"desk": "economy"}
    assert record.processing.input_format == "json"


def test_message_key_wins_over_envelope_id(handler):
    record = assert_enriched(handle(handler, envelope(id="env-1", text=ARTICLE), key=b"key-1"))
    assert record.id == "key-1"


def test_value_over_the_limit(handler):
    value = b"a" * (MIB + 1)
    assert_dead_letter(handle(handler, value), value, "OversizeError", "decode", "1,048,577 bytes", "1,048,576-byte")


def test_value_just_under_the_limit_is_enriched(handler):
    paragraph = "The council approved budget line {} after a long debate on Tuesday evening, officials said."
    value = ("Budget approved\n\n" + "\n\n".join(paragraph.format(i) for i in range(20_000))).encode()[: MIB - 10]
    assert len(value) > MIB - 100
    record = assert_enriched(handle(handler, value))
    assert record.word_count > 100_000


def test_deeply_nested_json(handler):
    value = b"[" * 100_000 + b"]" * 100_000
    assert_dead_letter(handle(handler, value), value, "MalformedJsonError", "parse")


def nested_metadata(depth: int) -> dict:
    nested: dict = {"level": 1}
    for level in range(2, depth + 1):
        nested = {"level": level, "inner": nested}
    return nested


def test_nested_metadata_within_the_depth_limit_is_kept(handler):
    record = assert_enriched(handle(handler, envelope(text=ARTICLE, metadata=nested_metadata(32))))
    assert record.metadata["level"] == 32


def test_metadata_nested_beyond_the_depth_limit(handler):
    value = envelope(text=ARTICLE, metadata=nested_metadata(33))
    assert_dead_letter(handle(handler, value), value, "EnvelopeError", "validate", "metadata", "32 levels")


def test_a_million_lines(handler):
    big = MessageHandler(Settings(topic_raw="in", topic_enriched="out", topic_dlq="dlq", max_message_bytes=4 * MIB))
    sentence = b"Paragraph %d: the committee heard evidence from witnesses until late in the evening.\n"
    value = b"".join(sentence % i + b"\n" * 49 for i in range(20_000))
    assert value.count(b"\n") == 1_000_000
    assert_enriched(handle(big, value))


def test_a_single_one_megabyte_line(handler):
    value = (b"The quick brown fox jumps over the lazy dog. " * 23_000)[:1_000_000]
    assert b"\n" not in value
    record = assert_enriched(handle(handler, value))
    assert record.word_count > 150_000


def test_right_to_left_and_mixed_scripts(handler):
    arabic = "قالت وزارة الخارجية العراقية يوم الخميس إن الحوار الاستراتيجي مع الولايات المتحدة سيستمر."
    hebrew = "הממשלה אישרה את התקציב לאחר דיון ארוך בכנסת ביום שלישי בערב."
    mixed = "The statement, published in Arabic (بيان) and English, was read by Minister Hussein."
    value = f"Dialogue continues\n\n{arabic}\n\n{hebrew}\n\n{mixed}".encode()
    record = assert_enriched(handle(handler, value))
    for text in (arabic, hebrew, mixed):
        assert text in record.text


def test_emoji(handler):
    value = (ARTICLE + "\n\nFans celebrated outside the stadium 🎉🇩🇪 late into the night 👨‍👩‍👧.").encode()
    record = assert_enriched(handle(handler, value))
    assert "🎉🇩🇪" in record.text and "👨‍👩‍👧" in record.text


def test_html_full_of_scripts_and_styles(handler):
    scripts = "<script>var tracking = {id: 'UA-1'}; document.write('ad slot');</script>" * 50
    styles = "<style>.nav { color: red } body { margin: 0 }</style>" * 50
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:])
    page = f"<html><head>{styles}{scripts}</head><body>{scripts}<article><h1>Port traffic rises</h1>{paragraphs}</article>{scripts}</body></html>"
    record = assert_enriched(handle(handler, page.encode(), headers=[("content-type", b"text/html")]))
    assert record.processing.input_format == "html"
    assert "Container traffic through the port rose" in record.body
    for leaked in ("tracking", "document.write", "color: red", "margin"):
        assert leaked not in record.text


def test_html_is_recognised_without_a_header(handler):
    page = f"<!DOCTYPE html><html><body><p>{ARTICLE.split(chr(10) * 2)[1]}</p><p>{ARTICLE.split(chr(10) * 2)[2]}</p></body></html>"
    record = assert_enriched(handle(handler, page.encode()))
    assert record.processing.input_format == "html"
    assert "<p>" not in record.body


def test_key_that_is_not_utf8(handler):
    value = ARTICLE.encode()
    assert_dead_letter(handle(handler, value, key=b"\xff\xfe"), value, "NotUtf8Error", "decode", "key")


def test_dead_letters_keep_original_headers_first(handler):
    headers = [("trace", b"t-1"), ("content-type", b"application/json")]
    out = handle(handler, b"[1, 2", headers=headers)
    assert out.headers[:2] == headers


def test_replay_gives_the_same_record_apart_from_processing_time(handler):
    value = ARTICLE.encode()
    first = handle(handler, value)
    msg = InputMessage(value=value, headers=[], topic="in", partition=2, offset=41, timestamp_ms=1)
    second = handler.handle(msg, now=datetime(2030, 1, 1, tzinfo=UTC))
    a, b = orjson.loads(first.value), orjson.loads(second.value)
    assert a["processing"].pop("processed_at") != b["processing"].pop("processed_at")
    assert a == b and first.key == second.key


def test_a_headline_alone_is_a_flash_not_a_dead_letter(handler):
    record = assert_enriched(handle(handler, b"FLASH: Magnitude 7.1 earthquake strikes off northern Japan"))
    assert record.title == "FLASH: Magnitude 7.1 earthquake strikes off northern Japan"
    assert record.body == "" and record.word_count == 0


def test_nothing_but_page_furniture(handler):
    value = b"Accessibility links\n\nSkip to content\n\nShare\nPrint\n\nXS\nSM\nMD\nLG\n\nPrivacy Policy | Terms of Use"
    assert_dead_letter(handle(handler, value), value, "EmptyArticleError", "validate", "no article text left")


def test_warm_up_runs_the_whole_pipeline():
    from wirestream.enrich import warm_up

    warm_up()  # raises if the sample could not be enriched
