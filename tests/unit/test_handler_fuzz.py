"""Fuzzing the worker's per-message handler: whatever arrives, one well-formed outcome."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from wirestream.enrich import InputMessage
from wirestream.handler import MessageHandler
from wirestream.schemas.article import EnrichedArticle
from wirestream.schemas.deadletter import DeadLetterError
from wirestream.settings import Settings

HANDLER = MessageHandler(Settings(topic_raw="in", topic_enriched="out", topic_dlq="dlq", max_message_bytes=64 * 1024))
NOW = datetime(2024, 1, 1, tzinfo=UTC)
FIXTURE = (FIXTURES / "rferl-us-iraq-withdrawal.txt").read_text()

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=30),
        "text": st.text(max_size=2000) | st.just(FIXTURE),
        "html": st.text(max_size=500).map(lambda t: f"<html><body><p>{t}</p></body></html>"),
        "url": st.text(max_size=50) | st.integers(-1000, 1000),
        "title": st.text(max_size=80),
        "language": st.sampled_from(["en", "de", "", "xx-YY"]) | st.integers(-1000, 1000),
        "published_at": st.sampled_from(["2024-06-11T10:00:00Z", "yesterday", ""]) | st.integers(-1000, 1000),
        "metadata": json_values,
        "schema_version": st.integers(0, 3),
    },
).map(orjson.dumps)


def _mutate(data: tuple[int, int, bytes]) -> bytes:
    start, length, insert = data
    raw = FIXTURE.encode()
    start %= len(raw)
    return raw[:start] + insert + raw[start + length :]


values = st.one_of(
    st.none(),
    st.binary(max_size=3000),
    st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    envelopes,
    json_values.map(orjson.dumps),
    st.tuples(st.integers(0, 10_000), st.integers(0, 200), st.binary(max_size=50)).map(_mutate),
    st.text(max_size=500).map(
        lambda t: f"<!DOCTYPE html><html><script>{t}</script><p>{t}</p></html>".encode("utf-8", "surrogatepass")
    ),
)
headers = st.lists(
    st.tuples(
        st.sampled_from(["content-type", "trace", "Content-Type"]),
        st.sampled_from([b"text/html", b"application/json", b"text/plain", b"\xff", b""]),
    ),
    max_size=3,
)


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(value=values, key=st.none() | st.binary(max_size=40), hdrs=headers)
def test_every_message_becomes_one_record_or_one_dead_letter(value, key, hdrs):
    msg = InputMessage(value=value, key=key, headers=hdrs, topic="in", partition=0, offset=7, timestamp_ms=1)
    out = HANDLER.handle(msg, now=NOW)
    if out.topic == "out":
        record = EnrichedArticle.model_validate_json(out.value)
        assert out.key == record.id.encode()
        assert record.body.strip() or record.title
        if key:
            assert out.key == key
    else:
        assert out.topic == "dlq"
        assert (out.key, out.value) == (key, value)
        assert out.headers[: len(hdrs)] == hdrs
        error = DeadLetterError.from_headers(out.headers)
        assert error.message and error.error_class != "Exception"
        assert error.offset == 7
