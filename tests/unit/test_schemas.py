"""The JSON Schema files in schemas/ are the published contract: they must match the models."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict

from wirestream import codec
from wirestream.enrich import InputMessage, enrich_message
from wirestream.schemas import export

NOW = datetime(2024, 5, 4, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", sorted(export.MODELS))
def test_schema_file_matches_model(name):
    path = export.SCHEMA_DIR / name
    assert path.exists(), f"schemas/{name} is missing: run `python -m wirestream.schemas.export`"
    assert path.read_text(encoding="utf-8") == export.render(export.MODELS[name]), (
        f"schemas/{name} drifted from its model: run `python -m wirestream.schemas.export` and review the diff"
    )


def test_every_schema_file_has_a_model():
    files = {p.name for p in export.SCHEMA_DIR.glob("*.schema.json")}
    assert files == set(export.MODELS)


@pytest.mark.parametrize(
    ("name", "version"),
    [("raw_article.schema.json", 1), ("enriched_article.schema.json", 2), ("dead_letter_error.schema.json", 1)],
)
def test_schema_declares_version(name, version):
    schema = json.loads((export.SCHEMA_DIR / name).read_text(encoding="utf-8"))
    assert schema["properties"]["schema_version"]["const"] == version


# The published version 1 contract of the enriched record, as it was released.
V1_SCHEMA = Path(__file__).parent.parent / "fixtures" / "schemas" / "enriched_article.v1.schema.json"


def _contract(definition: object) -> object:
    """A schema fragment without its descriptions and titles: what a consumer's parser checks."""
    if isinstance(definition, dict):
        return {k: _contract(v) for k, v in definition.items() if k not in ("description", "title")}
    if isinstance(definition, list):
        return [_contract(v) for v in definition]
    return definition


def _only_adds(v1: dict, v2: dict, where: str) -> None:
    for name, definition in v1["properties"].items():
        if name != "schema_version":
            assert _contract(v2["properties"][name]) == _contract(definition), f"{where}.{name}"
    assert set(v2.get("required", [])) == set(v1.get("required", [])), where


def test_version_2_only_adds_to_version_1():
    """Every version 1 field (of the record and of each nested model) is still there with the same
    type, and nothing new is required."""
    v1 = json.loads(V1_SCHEMA.read_text(encoding="utf-8"))
    v2 = json.loads((export.SCHEMA_DIR / "enriched_article.schema.json").read_text(encoding="utf-8"))
    _only_adds(v1, v2, "EnrichedArticle")
    for name, definition in v1["$defs"].items():
        if "properties" in definition:
            _only_adds(definition, v2["$defs"][name], name)
        else:  # a type alias (JsonValue): unchanged
            assert _contract(v2["$defs"][name]) == _contract(definition), name


class _V1Dateline(BaseModel):
    model_config = ConfigDict(extra="ignore")
    text: str
    place: str | None = None
    date: str | None = None
    agency: str | None = None


class _V1Processing(BaseModel):
    model_config = ConfigDict(extra="ignore")
    version: str
    input_format: Literal["text", "json", "html"]
    received_at: datetime | None = None
    processed_at: datetime


class _V1Consumer(BaseModel):
    """A consumer written against version 1 that ignores fields it does not know (as the README
    asks consumers to), reading the version number as a number, not as a pin."""

    model_config = ConfigDict(extra="ignore")
    schema_version: int
    id: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    byline: str | None = None
    dateline: _V1Dateline | None = None
    language: str | None = None
    published_at: datetime | None = None
    body: str
    captions: list[str]
    word_count: int
    content_hash: str
    text: str
    attribution: dict[str, Any]
    removed: dict[str, int]
    metadata: dict[str, Any] | None = None
    processing: _V1Processing


def test_a_version_1_consumer_reads_version_2_records():
    page = (
        "<html><head><title>Floods in the north | Example</title>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Floods in the north",'
        ' "datePublished": "2024-05-03T15:47:42+02:00", "author": [{"name": "Jane Doe"}, {"name": "AP"}]}</script>'
        '<meta property="og:site_name" content="Example"><link rel="canonical" href="https://example.com/floods">'
        "</head><body><article><h1>Floods in the north</h1>"
        + "<p>Rivers burst their banks across the north on Friday, and hundreds of homes were evacuated.</p>" * 6
        + "</article></body></html>"
    )
    record = enrich_message(
        InputMessage(value=page.encode(), timestamp_ms=1_714_800_000_000), max_bytes=1 << 20, processed_at=NOW
    )
    wire = codec.dumps_model(record)
    assert record.schema_version == 2 and record.authors == ["Jane Doe"]
    consumed = _V1Consumer.model_validate_json(wire)
    assert consumed.title == "Floods in the north"
    assert consumed.published_at == datetime.fromisoformat("2024-05-03T15:47:42+02:00")
    assert consumed.url == "https://example.com/floods"
    assert consumed.body == record.body
