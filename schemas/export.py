"""Write the JSON Schema files for the wire models: ``python -m wirestream.schemas.export``."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from wirestream.schemas.agency_feed import AgencyFeedItem
from wirestream.schemas.article import EnrichedArticle, RawArticle
from wirestream.schemas.deadletter import DeadLetterError
from wirestream.schemas.syndication import SyndicationRecord

SCHEMA_DIR = Path(__file__).resolve().parent

MODELS: dict[str, type[BaseModel]] = {
    "raw_article.schema.json": RawArticle,
    "enriched_article.schema.json": EnrichedArticle,
    "dead_letter_error.schema.json": DeadLetterError,
    "syndication_record.schema.json": SyndicationRecord,
    "agency_feed_item.schema.json": AgencyFeedItem,
}


def render(model: type[BaseModel]) -> str:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    for name, model in MODELS.items():
        (SCHEMA_DIR / name).write_text(render(model), encoding="utf-8")
        print(f"wrote schemas/{name}")


if __name__ == "__main__":
    main()
