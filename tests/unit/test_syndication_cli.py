"""`wirestream syndicate`: the offline twin of the syndication stage."""

import json

from click.testing import CliRunner

from wirestream.cli import cli
from wirestream.enrich import InputMessage, enrich_message
from wirestream.schemas.syndication import SyndicationRecord

AGENCY = (
    "PARIS (AFP) - France was bracing on Tuesday for its first heatwave of the summer, with temperatures "
    "expected to climb above 38 degrees Celsius across much of the south and centre of the country.\n\n"
    "The national weather service Meteo-France placed fourteen departments on orange alert, the second "
    "highest level, and warned that nights would bring little relief to the cities.\n\n"
    "Schools in several regions said they would let pupils stay at home, and the health ministry opened "
    "a telephone line for elderly people living alone, recalling the deadly summer of 2003."
)
COPY = (
    "Heat: the south braces for a scorching week\n\n"
    "France was bracing on Tuesday for its first heatwave of the summer, with temperatures "
    "expected to climb above 38 degrees Celsius across much of the south and centre of the country.\n\n"
    "The national weather service Meteo-France placed fourteen departments on orange alert, the second "
    "highest level, and warned that nights would bring little relief to the cities."
)


def enriched_line(key: str, text: str, *, published: str) -> bytes:
    envelope = json.dumps({"text": text, "published_at": published}).encode()
    record = enrich_message(InputMessage(value=envelope, key=key.encode()), max_bytes=1 << 20, processed_at=_now())
    return record.model_dump_json().encode() + b"\n"


def _now():
    from datetime import UTC, datetime

    return datetime(2024, 6, 11, 12, 0, tzinfo=UTC)


def test_syndicate_prints_one_record_per_enriched_line():
    lines = enriched_line("afp-1", AGENCY, published="2024-06-11T10:00:00Z") + enriched_line(
        "paper-1", COPY, published="2024-06-11T11:00:00Z"
    )
    result = CliRunner().invoke(cli, ["syndicate", "-"], input=lines)
    assert result.exit_code == 0, result.output
    first, second = (SyndicationRecord.model_validate_json(line) for line in result.stdout.splitlines())
    assert first.id == "afp-1" and first.origin.basis == "credited" and first.copies == []
    assert second.id == "paper-1" and second.derivation == "wholly"
    assert [c.id for c in second.copies] == ["afp-1"]
    assert second.story == first.story
    assert [(u.agency, u.source_id) for u in second.uncredited_agency_copy] == [("AFP", "afp-1")]


def test_syndicate_reads_files_and_reports_bad_lines(tmp_path):
    path = tmp_path / "enriched.jsonl"
    path.write_bytes(enriched_line("afp-1", AGENCY, published="2024-06-11T10:00:00Z") + b"\n[1, 2]\n{not json\n")
    result = CliRunner().invoke(cli, ["syndicate", str(path)])
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    assert "EnvelopeError: enriched record must be a JSON object" in result.stderr
    assert "MalformedJsonError: enriched record is not valid JSON" in result.stderr


def test_syndicate_names_a_missing_file():
    result = CliRunner().invoke(cli, ["syndicate", "no/such/file.jsonl"])
    assert result.exit_code == 1
    assert result.stderr == "error: no/such/file.jsonl: no such file\n"
