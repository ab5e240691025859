"""Commands on syndication: the offline twin, the stage, and one story's copies."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from wirestream import codec
from wirestream.cli.common import echo_err, load_settings, run
from wirestream.errors import ConfigError
from wirestream.kafka import silence_client_logs
from wirestream.subscriber import follow
from wirestream.syndication import encode, params_from, syndicate_lines, syndicate_with_feed


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH...|-]")
@click.option(
    "--feed",
    "feed",
    multiple=True,
    metavar="PATH",
    help="Agency feed items (JSON lines, schemas/agency_feed_item.schema.json): reference copies of their "
    "agency, each taken in before the first record not earlier than it; no record of their own.",
)
def syndicate(paths: tuple[str, ...], feed: tuple[str, ...]) -> None:
    """Syndication records offline, without Kafka: what the stage would write.

    Reads enriched records as JSON lines (from `wirestream enrich` or `wirestream tail --json`),
    in order, from the files or stdin, and prints one syndication record per line. The same
    code as the stage; WIRESTREAM_SYNDICATION_WINDOW_DAYS sets the window. Lines the stage
    would dead-letter are reported on stderr, and the exit code is 1.
    """
    settings = load_settings()
    failed = 0
    lines = _lines(paths or ("-",))
    params = params_from(settings)
    results = syndicate_with_feed(lines, _lines(feed), params) if feed else syndicate_lines(lines, params)
    for result in results:
        if isinstance(result, Exception):
            failed += 1
            echo_err(f"{type(result).__name__}: {result}")
            continue
        sys.stdout.buffer.write(encode(result) + b"\n")
    sys.stdout.flush()
    if failed:
        sys.exit(1)


def _lines(paths: tuple[str, ...]) -> Iterator[bytes]:
    for path in paths:
        if path == "-":
            yield from sys.stdin.buffer
            continue
        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"{path}: no such file")
        with file.open("rb") as handle:
            yield from handle


@click.group()
def syndication() -> None:
    """Run the syndication stage, or show one story's copies."""


@syndication.command("worker")
def syndication_worker() -> None:
    """Run the syndication stage: articles.enriched in, articles.syndication out.

    Workers with the same WIRESTREAM_SYNDICATION_APP_ID share the work; give each its own
    WIRESTREAM_WEB_PORT.
    """
    from wirestream.syndication_stage import run_worker

    run_worker(load_settings())


@syndication.command("story")
@click.argument("story")
@click.option("--json", "as_json", is_flag=True, help="The records as JSON lines.")
def syndication_story(story: str, as_json: bool) -> None:
    """Every article of STORY (a story id, or the id of an article in it), read from the
    syndication topic: its latest record each, oldest first."""
    settings = load_settings()
    silence_client_logs()

    async def collect() -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        async for received in follow(settings, settings.topic_syndication, from_beginning=True, until_end=True):
            try:
                record = codec.loads(received.value or b"")
            except codec.JSONDecodeError:
                continue
            if isinstance(record, dict):
                records.append(record)
        return records

    records = run(collect())
    wanted = {story} | {r["story"] for r in records if r.get("id") == story}
    latest: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.get("story") in wanted:
            latest[record["id"]] = record
    if not latest:
        echo_err(f"no record of story {story} on {settings.topic_syndication}")
        sys.exit(1)
    for record in sorted(latest.values(), key=lambda r: (r.get("at") or "", r["id"])):
        click.echo(codec.dumps(record).decode() if as_json else _line(record))


def _line(record: dict[str, Any]) -> str:
    origin = record.get("origin") or {}
    parts = [f"{record.get('at', '')[:19]}  {record['id']}", record.get("derivation", "")]
    if origin:
        parts.append(f"origin {origin.get('agency')} ({origin.get('basis')}, {origin.get('article_id')})")
    for flag in record.get("uncredited_agency_copy") or ():
        parts.append(f"uncredited {flag['agency']} {flag['share']:.0%}")
    copies = record.get("copies") or []
    if copies:
        parts.append("copies " + ", ".join(f"{c['id']} {c['contained']:.0%}" for c in copies[:5]))
    return "  ".join(parts)


COMMANDS = (syndicate, syndication)
