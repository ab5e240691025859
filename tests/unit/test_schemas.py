"""The JSON Schema files in schemas/ are the published contract: they must match the models."""

import json

import pytest

from wirestream.schemas import export


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


@pytest.mark.parametrize("name", sorted(export.MODELS))
def test_schema_declares_version(name):
    schema = json.loads((export.SCHEMA_DIR / name).read_text(encoding="utf-8"))
    assert schema["properties"]["schema_version"]["const"] == 1
