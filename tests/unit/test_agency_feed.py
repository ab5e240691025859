"""The agency feed: items become reference copies of their agency, in the twin and its core."""

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from tests.unit.test_syndication_cli import AGENCY, COPY
from wirestream.cli import cli
from wirestream.core.agency_feed import agency_code, reference_record
from wirestream.core.syndication import Article, story_id
from wirestream.enrich import InputMessage, enrich_message
from wirestream.errors import EnvelopeError, MalformedJsonError
from wirestream.schemas import export
from wirestream.schemas.agency_feed import AgencyFeedItem
from wirestream.settings import Settings
from wirestream.syndication import decode_feed_item, params_from, syndicate_lines, syndicate_with_feed

NOW = datetime(2024, 6, 11, 12, 0, tzinfo=UTC)


def enriched(key: str, text: str, published: str) -> bytes:
    envelope = json.dumps({"text": text, "published_at": published}).encode()
    record = enrich_message(InputMessage(value=envelope, key=key.encode()), max_bytes=1 << 20, processed_at=NOW)
    return record.model_dump_json().encode()


def feed_line(item_id: str, agency: str, body: str, published: str, **extra: str) -> bytes:
    return json.dumps({"id": item_id, "agency": agency, "body": body, "published_at": published, **extra}).encode()


def records(results):
    out = list(results)
    assert not [r for r in out if isinstance(r, Exception)], out
    return {r.id: r for r in out}


def test_agency_codes_are_matched_without_case_and_unknown_ones_refused():
    assert agency_code("afp") == "AFP"
    assert agency_code(" Reuters ") == "Reuters"
    assert agency_code("DPA") == "dpa"
    assert agency_code("Agence France-Presse") is None  # a name, not a code
    item = AgencyFeedItem(id="x", agency="Daily Planet", body="Text.", published_at=NOW)
    with pytest.raises(ValueError, match="unknown agency 'Daily Planet'"):
        reference_record(item)


def test_a_feed_item_reads_as_an_article_crediting_its_agency_with_the_enriched_body():
    page = json.loads(enriched("page", AGENCY, "2024-06-11T06:00:00+00:00"))
    item = AgencyFeedItem(
        id="urn:afp:1", agency="afp", body=AGENCY, title="Heatwave", url="https://afp.example/1",
        published_at=datetime(2024, 6, 11, 6, 0, tzinfo=UTC),
    )  # fmt: skip
    article = Article.from_record(reference_record(item, received_at=datetime(2024, 6, 11, 7, 0, tzinfo=UTC)))
    assert article.credited == ("AFP",)
    assert article.body == page["body"]  # the same shingles as an article with this text
    assert article.content_hash == page["content_hash"]
    assert article.at == datetime(2024, 6, 11, 6, 0, tzinfo=UTC).timestamp()
    assert (article.title, article.url) == ("Heatwave", "https://afp.example/1")


def test_a_feed_item_dated_after_its_message_takes_the_message_time():
    item = AgencyFeedItem(id="f", agency="AFP", body=AGENCY, published_at=datetime(2030, 1, 1, tzinfo=UTC))
    article = Article.from_record(reference_record(item, received_at=NOW))
    assert article.at == NOW.timestamp()


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (b"{not json", MalformedJsonError, "not valid JSON"),
        (b"[1, 2]", EnvelopeError, "agency feed item"),
        (b'{"id": "f", "body": "Text.", "published_at": "2024-06-11T06:00:00Z"}', EnvelopeError, "agency"),
        (b'{"id": "f", "agency": "AFP", "body": "", "published_at": "2024-06-11T06:00:00Z"}', EnvelopeError, "body"),
        (b'{"id": "f", "agency": "AFP", "body": "Text."}', EnvelopeError, "published_at"),
        (b'{"id": "f", "agency": "XYZ", "body": "Text.", "published_at": "2024-06-11T06:00:00Z"}', EnvelopeError,
         "unknown agency 'XYZ'"),
    ],
)  # fmt: skip
def test_bad_feed_items_raise_the_typed_error_they_are_dead_lettered_with(value, error, message):
    with pytest.raises(error, match=message):
        decode_feed_item(value)


def test_unknown_fields_of_a_feed_item_are_ignored():
    value = feed_line("f", "AFP", "Text.", "2024-06-11T06:00:00Z", priority="urgent", slug="heatwave")
    assert decode_feed_item(value)["attribution"] == {"credited": ["AFP"]}


def test_an_uncredited_copy_of_a_feed_item_gets_its_agency_and_the_item_no_record():
    params = params_from(Settings())
    page = enriched("page", COPY, "2024-06-11T07:00:00+00:00")
    assert json.loads(page)["attribution"]["credited"] == []

    alone = records(syndicate_lines([page], params))
    assert alone["page"].origin is None and alone["page"].uncredited_agency_copy == []

    feed = [feed_line("urn:afp:1", "afp", AGENCY, "2024-06-11T06:00:00+00:00")]
    got = records(syndicate_with_feed([page], feed, params))
    assert set(got) == {"page"}  # the feed item is indexed, not written
    record = got["page"]
    assert [c.id for c in record.copies] == ["urn:afp:1"] and record.copies[0].agencies == ["AFP"]
    assert record.origin is not None
    assert (record.origin.agency, record.origin.article_id, record.origin.basis) == ("AFP", "urn:afp:1", "inferred")
    assert [(u.agency, u.source_id) for u in record.uncredited_agency_copy] == [("AFP", "urn:afp:1")]
    assert record.story == story_id("urn:afp:1")  # the item is the story's first article


def test_a_feed_item_later_than_an_article_is_no_source_of_it():
    params = params_from(Settings())
    page = enriched("page", COPY, "2024-06-11T07:00:00+00:00")
    feed = [feed_line("urn:afp:1", "AFP", AGENCY, "2024-06-11T08:00:00+00:00")]
    got = records(syndicate_with_feed([page], feed, params))
    assert got["page"].copies == [] and got["page"].uncredited_agency_copy == []


def test_a_credited_copy_of_a_feed_item_takes_it_as_its_reference_copy():
    params = params_from(Settings())
    page = enriched("page", AGENCY.replace("PARIS (AFP) -", "PARIS, June 11 (AFP) -"), "2024-06-11T07:00:00+00:00")
    assert json.loads(page)["attribution"]["credited"] == ["AFP"]
    feed = [feed_line("urn:afp:1", "AFP", AGENCY, "2024-06-11T06:00:00+00:00")]
    record = records(syndicate_with_feed([page], feed, params))["page"]
    assert record.origin is not None
    assert (record.origin.agency, record.origin.article_id, record.origin.basis) == ("AFP", "urn:afp:1", "credited")
    assert record.uncredited_agency_copy == []


def test_syndicate_reads_a_feed_file_and_reports_its_bad_lines(tmp_path):
    (tmp_path / "enriched.jsonl").write_bytes(enriched("page", COPY, "2024-06-11T07:00:00+00:00") + b"\n")
    feed = feed_line("urn:afp:1", "AFP", AGENCY, "2024-06-11T06:00:00+00:00") + b"\n" + b"{oops\n"
    (tmp_path / "feed.jsonl").write_bytes(feed)
    result = CliRunner().invoke(
        cli, ["syndicate", "--feed", str(tmp_path / "feed.jsonl"), str(tmp_path / "enriched.jsonl")]
    )
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in lines] == ["page"]
    assert lines[0]["uncredited_agency_copy"][0]["source_id"] == "urn:afp:1"
    assert "MalformedJsonError: agency feed item is not valid JSON" in result.stderr


def test_the_feed_item_schema_is_published_versioned_and_open_to_more_fields():
    schema = json.loads((export.SCHEMA_DIR / "agency_feed_item.schema.json").read_text(encoding="utf-8"))
    assert export.MODELS["agency_feed_item.schema.json"] is AgencyFeedItem
    assert schema["properties"]["schema_version"]["const"] == 1
    assert sorted(schema["required"]) == ["agency", "body", "id", "published_at"]
    assert schema.get("additionalProperties") is not False
