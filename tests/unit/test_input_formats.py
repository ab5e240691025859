"""What a message is (text, JSON envelope, HTML), how its bytes are read, and how large it may be.

Issue 10 item 5 and issue 14 items 4, 5 and 9: text that starts with a bracket, a byte-order
mark or a leading comment, HTML in a declared charset, and HTML pages of several MB.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import orjson
import pytest

from wirestream import formats
from wirestream.enrich import InputMessage
from wirestream.handler import MessageHandler
from wirestream.publisher import iter_outbound
from wirestream.schemas.article import EnrichedArticle
from wirestream.schemas.deadletter import DeadLetterError
from wirestream.settings import MIB, Settings
from wirestream.topics import wanted_topics

NOW = datetime(2024, 6, 11, 12, 0, tzinfo=UTC)
BOM = b"\xef\xbb\xbf"
HTML = [("content-type", b"text/html")]

PARAGRAPHS = [
    "PARIS (AFP) - France was bracing on Tuesday for the first heatwave of the summer, with "
    "temperatures expected to pass 38 degrees in the Rhone valley, the weather service said.",
    "Schools in eleven departments will close early on Thursday and Friday, and the health ministry "
    "asked town halls to open cool rooms for older residents who live alone.",
    "Farmers' unions warned that the heat would cut the wheat harvest for a second year running.",
]
TEXT = "France braces for first heatwave of the summer\n\n" + "\n\n".join(PARAGRAPHS)


def page(*, head: str = "", before: str = "", padding: str = "", paragraphs=PARAGRAPHS) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"{before}<!DOCTYPE html><html><head>{head}<title>France braces for first heatwave</title></head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>France braces for first heatwave</h1>{body}"
        f"</article>{padding}</body></html>"
    )


@pytest.fixture(scope="module")
def handler() -> MessageHandler:
    return MessageHandler(Settings(topic_raw="in", topic_enriched="out", topic_dlq="dlq"))


def handle(handler: MessageHandler, value: bytes, *, headers=(), key: bytes | None = b"k1"):
    msg = InputMessage(value=value, key=key, headers=list(headers), topic="in", partition=0, offset=7, timestamp_ms=1)
    return handler.handle(msg, now=NOW)


def enriched(out) -> EnrichedArticle:
    assert out.topic == "out", f"expected a record, got a dead letter: {out.error}"
    return EnrichedArticle.model_validate_json(out.value)


def dead_letter(out, error_class: str) -> DeadLetterError:
    assert out.topic == "dlq", f"expected a dead letter, got a record: {out.record}"
    error = DeadLetterError.from_headers(out.headers)
    assert error.error_class == error_class, error.message
    return error


# --- text that starts with a bracket is text ---------------------------------------------------


@pytest.mark.parametrize(
    "opening",
    [
        "[UPDATE] Police say the road will stay closed",
        "[Video] Firefighters battle the blaze near Marseille",
        "[Breaking] Heatwave grips southern France",
        "{Update} Police say the road will stay closed",
        "{UPDATE: 3 p.m.} Police say the road will stay closed",
        "  [1/3] Thread: what we know about the storm",
    ],
)
def test_text_starting_with_a_bracket_is_text(handler, opening):
    value = f"{opening}\n\n{TEXT.split(chr(10) * 2, 1)[1]}".encode()
    record = enriched(handle(handler, value))
    assert record.processing.input_format == "text"
    assert record.title == opening.strip()
    assert record.attribution.credited == ["AFP"]


@pytest.mark.parametrize(
    "value",
    [
        b'{"id": "a1", "text": "unterminated',
        b"{'id': 'a1', 'text': 'a Python dict, not JSON'}",
        b'{id: "a1", text: "a JavaScript object literal"}',
        b'  {\n  "id": "a1",\n  "text": "trailing comma",\n}',
        b'[{"id": "a1", "text": "truncated array"',
        b'["Breaking", "not closed"',
    ],
)
def test_what_opens_like_json_and_does_not_parse_is_a_malformed_envelope(handler, value):
    error = dead_letter(handle(handler, value), "MalformedJsonError")
    assert error.stage == "parse" and "not valid JSON" in error.message


def test_a_json_array_that_parses_is_not_an_envelope(handler):
    error = dead_letter(handle(handler, b"[1, 2, 3]"), "EnvelopeError")
    assert "must be an object, got array" in error.message


def test_declared_json_that_does_not_parse_is_malformed_whatever_it_starts_with(handler):
    value = b"[UPDATE] Police say"
    dead_letter(
        handle(handler, value, headers=[("content-type", b"application/json; charset=utf-8")]), "MalformedJsonError"
    )


def test_declared_text_is_text_even_when_it_is_json(handler):
    value = orjson.dumps({"id": "a1", "text": TEXT})
    record = enriched(handle(handler, value, headers=[("Content-Type", b"text/plain; charset=utf-8")]))
    assert record.processing.input_format == "text" and record.id == "k1"


# --- a byte-order mark or a leading comment does not hide the format ---------------------------


def test_json_envelope_after_a_byte_order_mark_is_an_envelope(handler):
    value = BOM + orjson.dumps({"id": "env-9", "text": TEXT, "url": "https://example.org/heat", "source": "feed"})
    record = enriched(handle(handler, value, key=None))
    assert record.processing.input_format == "json"
    assert (record.id, record.url, record.source) == ("env-9", "https://example.org/heat", "feed")
    assert record.title == "France braces for first heatwave of the summer"
    assert "AFP" in record.attribution.credited


def test_text_after_a_byte_order_mark_has_no_mark_in_its_title(handler):
    record = enriched(handle(handler, BOM + TEXT.encode()))
    assert record.processing.input_format == "text"
    assert record.title == "France braces for first heatwave of the summer"


@pytest.mark.parametrize(
    "before",
    [
        "\ufeff",
        "<!-- saved from url=(0041)https://www.example.org/news/heatwave -->\n",
        "\ufeff<!-- saved from url=(0041)https://www.example.org/news/heatwave -->\r\n<!-- a second comment -->\n",
        '<?xml version="1.0" encoding="utf-8"?>\n<!-- generated -->\n',
    ],
)
def test_html_after_a_byte_order_mark_or_comment_is_html(handler, before):
    record = enriched(handle(handler, page(before=before).encode()))
    assert record.processing.input_format == "html"
    assert "<p>" not in record.text and "saved from" not in record.text
    assert "France was bracing on Tuesday" in record.body
    assert record.attribution.credited == ["AFP"]


def test_an_unclosed_comment_is_not_taken_for_html():
    assert not formats.looks_like_html(b"<!-- never closed <html><body>text</body></html>")


def test_html_with_a_utf16_byte_order_mark_is_read(handler):
    record = enriched(handle(handler, page().encode("utf-16")))
    assert record.processing.input_format == "html"
    assert "France was bracing on Tuesday" in record.body


# --- HTML in a declared charset ----------------------------------------------------------------

GERMAN = [
    "ZÜRICH (dpa) - Die Bürgerinnen und Bürger der Stadt Zürich haben am Sonntag über längere "
    "Öffnungszeiten abgestimmt. Größere Geschäfte dürfen künftig bis 22 Uhr öffnen.",
    "Die Gewerkschaften hatten vor „übermäßiger Belastung“ des Personals gewarnt, die Händler begrüßten das Ergebnis.",
]


def german_page(*, head: str = "") -> str:
    return page(head=head, paragraphs=GERMAN).replace("France braces for first heatwave", "Zürich stimmt ab")


def test_html_declared_iso_8859_1_in_the_header_is_decoded(handler):
    value = german_page().replace("„", '"').replace("“", '"').encode("iso-8859-1")
    record = enriched(handle(handler, value, headers=[("content-type", b"text/html; charset=iso-8859-1")]))
    assert "Die Bürgerinnen und Bürger der Stadt Zürich" in record.body
    assert record.title == "Zürich stimmt ab"
    assert record.attribution.credited == ["dpa"]


def test_iso_8859_1_is_read_as_windows_1252_like_a_browser(handler):
    value = german_page().encode("cp1252")  # „ and “ exist only in windows-1252
    record = enriched(handle(handler, value, headers=[("content-type", b'text/html; charset="ISO-8859-1"')]))
    assert "vor „übermäßiger Belastung“" in record.body


def test_html_declared_in_a_meta_tag_is_decoded(handler):
    value = german_page(head='<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
    record = enriched(handle(handler, value.encode("cp1252")))  # no header: recognised and decoded
    assert record.processing.input_format == "html"
    assert "Größere Geschäfte dürfen künftig" in record.body


def test_html5_meta_charset_after_a_long_head_is_decoded(handler):
    head = "<script>var config = {};</script>" * 200 + '<meta charset="iso-8859-15">'
    record = enriched(
        handle(handler, german_page(head=head).replace("„", '"').replace("“", '"').encode("iso-8859-15"), headers=HTML)
    )
    assert "Die Bürgerinnen und Bürger" in record.body


def test_valid_utf8_wins_over_a_stale_meta_charset(handler):
    # Crawlers re-encode pages to UTF-8 and keep the old meta tag; reading it as Latin-1 would garble it.
    value = german_page(head='<meta charset="iso-8859-1">').encode("utf-8")
    record = enriched(handle(handler, value, headers=HTML))
    assert "Die Bürgerinnen und Bürger der Stadt Zürich" in record.body


def test_a_byte_order_mark_wins_over_the_declared_charset():
    assert formats.decode_html(BOM + "Zürich".encode(), charset="iso-8859-1") == "Zürich"


def test_html_without_a_declaration_in_another_encoding_is_detected(handler):
    russian = [
        "МОСКВА (Рейтер) - Правительство России объявило в понедельник о новых мерах поддержки экономики, "
        "сообщили в министерстве финансов.",
        "Эксперты ожидают, что меры помогут стабилизировать рынок в ближайшие месяцы.",
    ]
    value = page(paragraphs=russian).encode("cp1251")
    record = enriched(handle(handler, value, headers=HTML))
    assert "Правительство России объявило в понедельник" in record.body


def test_plain_text_stays_utf8_only(handler):
    value = TEXT.replace("Rhone", "Rhône").encode("iso-8859-1")
    out = handle(handler, value, headers=[("content-type", b"text/plain; charset=iso-8859-1")])
    assert dead_letter(out, "NotUtf8Error").stage == "decode"


def test_binary_declared_as_html_is_dead_lettered_not_decoded(handler):
    value = bytes(range(256)) * 200
    dead_letter(handle(handler, value, headers=HTML), "BinaryContentError")


def test_unknown_or_unsafe_charsets_fall_back_to_the_content():
    assert formats.decode_html("Zürich".encode(), charset="no-such-charset") == "Zürich"
    assert formats.decode_html(b"+ADw-script+AD4-", charset="utf-7") == "+ADw-script+AD4-"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"text/html; charset=ISO-8859-1", formats.ContentType("text/html", "iso-8859-1")),
        (b'Text/HTML;charset="utf-8" ', formats.ContentType("text/html", "utf-8")),
        (b"application/json", formats.ContentType("application/json", None)),
        (b"text/plain; format=flowed; charset=utf-8", formats.ContentType("text/plain", "utf-8")),
    ],
)
def test_content_type_header(header, expected):
    assert formats.content_type([("trace", b"x"), ("CONTENT-TYPE", header)]) == expected


# --- size limits -------------------------------------------------------------------------------


def big_page(size: int) -> bytes:
    # A modern page: a short article inside megabytes of inline state and scripts.
    state = (
        '<script type="application/json">{"items": ['
        + ",".join(['{"id": 1, "title": "teaser"}'] * (size // 28))
        + "]}</script>"
    )
    value = page(padding=state).encode()
    assert len(value) >= size
    return value


def test_html_page_of_several_megabytes_is_enriched(handler):
    value = big_page(3 * MIB)
    record = enriched(handle(handler, value, headers=HTML))
    assert "France was bracing on Tuesday" in record.body
    assert record.attribution.credited == ["AFP"]


def test_html_envelope_of_several_megabytes_is_enriched(handler):
    value = orjson.dumps({"id": "big", "html": big_page(2 * MIB).decode()})
    assert len(value) > MIB
    record = enriched(handle(handler, value))
    assert record.processing.input_format == "json" and "France was bracing" in record.body


def test_text_keeps_its_own_limit(handler):
    value = (TEXT + "\n\n" + "More text. " * 100_000).encode()
    assert MIB < len(value) < 10 * MIB
    error = dead_letter(handle(handler, value), "OversizeError")
    assert "1,048,576-byte limit for text" in error.message and "WIRESTREAM_MAX_MESSAGE_BYTES" in error.message


def test_a_text_envelope_keeps_the_text_limit(handler):
    value = orjson.dumps({"id": "big", "text": TEXT + "\n\n" + "More text. " * 100_000})
    error = dead_letter(handle(handler, value), "OversizeError")
    assert "1,048,576-byte limit" in error.message


def test_html_over_its_limit_is_dead_lettered_with_the_setting_named(handler):
    value = big_page(10 * MIB + 1)
    error = dead_letter(handle(handler, value, headers=HTML), "OversizeError")
    assert "10,485,760-byte limit for HTML" in error.message and "WIRESTREAM_MAX_HTML_BYTES" in error.message


def test_an_envelope_over_every_limit_names_the_larger_one(handler):
    value = orjson.dumps({"id": "big", "html": big_page(10 * MIB).decode()})
    error = dead_letter(handle(handler, value), "OversizeError")
    assert "10,485,760-byte limit for HTML, alone or in an envelope (WIRESTREAM_MAX_HTML_BYTES)" in error.message


def test_the_html_limit_is_configurable():
    small = MessageHandler(Settings(topic_raw="in", topic_enriched="out", topic_dlq="dlq", max_html_bytes=2 * MIB))
    dead_letter(handle(small, big_page(3 * MIB), headers=HTML), "OversizeError")


def test_topics_take_a_page_at_the_limit_and_its_dead_letter():
    settings = Settings()
    configs = {t.name: int(t.topic_configs["max.message.bytes"]) for t in wanted_topics(settings)}
    handler = MessageHandler(settings)
    for size in (settings.max_html_bytes, 2 * settings.max_html_bytes - 1024):
        value = b"<html>" + b"x" * (size - 6)
        out = handle(handler, value, headers=HTML)
        letter = len(out.value) + sum(len(k) + len(v) for k, v in out.headers) + len(out.key or b"")
        assert len(value) + 1024 <= configs[settings.topic_raw], "the input topic takes the page"
        assert letter + 1024 <= configs[settings.topic_dlq], "the dead-letter topic takes its dead letter"
        assert letter + 1024 <= settings.output_topic_max_bytes, "the producer's request size takes it"


# --- publish marks what each file is -----------------------------------------------------------


def test_publish_marks_each_file_by_its_suffix(tmp_path):
    (tmp_path / "update.txt").write_text("[UPDATE] Police say the road will stay closed\n\nMore.")
    (tmp_path / "brace.md").write_text("{Update} The road is open again.")
    (tmp_path / "page.html").write_text(page())
    (tmp_path / "envelope.json").write_text('{"id": "e1", "text": "Text."}')
    (tmp_path / "feed.jsonl").write_text('{"id": "f1", "text": "One."}\n{"id": "f2", "text": "Two."}\n')
    sent = {
        m.origin.rsplit("/", 1)[-1]: dict(m.headers).get("content-type")
        for m in iter_outbound([str(tmp_path)], stdin=io.BytesIO())
    }
    assert sent == {
        "update.txt": b"text/plain; charset=utf-8",
        "brace.md": b"text/plain; charset=utf-8",
        "page.html": b"text/html",
        "envelope.json": b"application/json",
        "feed.jsonl:1": b"application/json",
        "feed.jsonl:2": b"application/json",
    }


def test_publish_html_flag_marks_text_files_but_not_json(tmp_path):
    (tmp_path / "page.bin.txt").write_text(page())
    (tmp_path / "envelope.json").write_text('{"id": "e1", "text": "Text."}')
    sent = {
        m.origin.rsplit("/", 1)[-1]: dict(m.headers).get("content-type")
        for m in iter_outbound([str(tmp_path)], stdin=io.BytesIO(), html=True)
    }
    assert sent == {"page.bin.txt": b"text/html", "envelope.json": b"application/json"}


def test_a_published_txt_file_starting_with_a_brace_is_enriched_as_text(tmp_path, handler):
    (tmp_path / "update.txt").write_text("{Update} " + TEXT)
    [message] = iter_outbound([str(tmp_path / "update.txt")], stdin=io.BytesIO())
    record = enriched(handle(handler, message.value, headers=message.headers, key=message.key))
    assert record.processing.input_format == "text" and record.id == "update.txt"
