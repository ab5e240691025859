"""Commands on articles: publish raw ones, tail enriched ones, enrich offline."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import click

from wirestream import codec
from wirestream.cli.common import echo_err, load_settings, run, unsent_range
from wirestream.enrich import InputMessage, encode_record, enrich_message
from wirestream.errors import EnrichmentError, InvalidArticleError
from wirestream.kafka import silence_client_logs
from wirestream.publisher import Outbound, Publisher, PublishSummary, iter_outbound
from wirestream.subscriber import follow

PATHS = click.argument("paths", nargs=-1, required=True, metavar="PATH...|-")
HTML = click.option(
    "--html", is_flag=True, help="Treat every input file as an HTML page (.html/.htm files always are)."
)


@click.command()
@PATHS
@click.option("--jsonl", is_flag=True, help="Each line is a JSON envelope (RawArticle), not a whole article.")
@HTML
@click.option("--topic", help="Publish to this topic instead of the input topic.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Give up when the broker has not acknowledged a message for this long "
    "(default WIRESTREAM_PUBLISH_TIMEOUT_S, 60).",
)
def publish(paths: tuple[str, ...], jsonl: bool, html: bool, topic: str | None, timeout: float | None) -> None:
    """Publish articles to the input topic.

    PATH is a file (one article), a folder (every article file in it, recursively), or - for
    stdin. A file's id, and so its key, is its path relative to the folder given (a/story.txt),
    or its name when the file itself is given; .gz files are read decompressed.

    Ends with a summary: what was sent, and each input that failed or was not sent (exit code
    1; 130 after Ctrl-C). When the broker stops answering, gives up after --timeout seconds.
    """
    settings = load_settings()
    silence_client_logs()
    messages = list(iter_outbound(paths, stdin=sys.stdin.buffer, jsonl=jsonl, html=html))
    publisher = Publisher(settings, topic=topic, timeout_s=timeout)
    summary = PublishSummary()
    try:
        if sys.stderr.isatty() and len(messages) > 1:
            with click.progressbar(length=len(messages), label="publishing", file=sys.stderr) as bar:
                run(publisher.publish(messages, progress=lambda _: bar.update(1), summary=summary))
        else:
            run(publisher.publish(messages, summary=summary))
    except KeyboardInterrupt:
        _report(summary, topic or settings.topic_raw, interrupted=True)
        sys.exit(130)
    _report(summary, topic or settings.topic_raw, interrupted=False)
    if summary.failed or summary.unsent:
        sys.exit(1)


def _report(summary: PublishSummary, topic: str, *, interrupted: bool) -> None:
    """Every input that did not arrive, by name (so it can be sent again), then one summary line."""
    for failure in summary.failures:
        echo_err(f"failed: {failure}")
    if summary.unsent:
        echo_err(f"not sent: {unsent_range(summary.unsent)}")
    line = (
        f"sent {summary.sent} to {topic}, {summary.failed} failed, "
        f"{_size(summary.bytes)} in {summary.seconds:.2f} s ({summary.rate:,.0f} articles/s)"
    )
    if summary.unsent:
        line += f", {len(summary.unsent)} not sent"
    if interrupted:
        line = f"interrupted: {line}"
    elif summary.gave_up:
        line = f"gave up ({summary.gave_up}): {line}"
    echo_err(line)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One enriched record per line, as JSON.")
@click.option("--from-beginning", is_flag=True, help="Start at the oldest record, not at the end.")
@click.option("--max", "max_records", type=click.IntRange(min=1), help="Stop after N records.")
@click.option("--timeout", type=click.FloatRange(min=0), help="Stop after S seconds without a new record.")
@click.option(
    "--agency", "agencies", multiple=True, metavar="CODE", help="Only records crediting this agency (repeatable)."
)
@click.option("--topic", help="Read this topic instead of the enriched topic.")
def tail(
    as_json: bool,
    from_beginning: bool,
    max_records: int | None,
    timeout: float | None,
    agencies: tuple[str, ...],
    topic: str | None,
) -> None:
    """Follow the enriched records as they arrive."""
    settings = load_settings()
    silence_client_logs()
    wanted = {code.lower() for code in agencies}

    async def consume() -> None:
        shown = 0
        async for received in follow(
            settings, topic or settings.topic_enriched, from_beginning=from_beginning, idle_timeout=timeout
        ):
            record = _decode(received.value)
            if record is None:
                continue
            if wanted and not wanted & {c.lower() for c in record.get("attribution", {}).get("credited", [])}:
                continue
            if as_json:
                click.echo(received.value.decode("utf-8", "replace") if received.value else "")
            else:
                click.echo(pretty(record))
            shown += 1
            if max_records is not None and shown >= max_records:
                return

    run(consume())


@click.command()
@PATHS
@HTML
@click.option("--jsonl", is_flag=True, help="Each line is a JSON envelope (RawArticle), not a whole article.")
def enrich(paths: tuple[str, ...], html: bool, jsonl: bool) -> None:
    """Enrich articles offline, without Kafka: one EnrichedArticle JSON per line per input.

    The same core as the worker runs; the id is the one `publish` would key it by (the path
    relative to the folder given, or the file name). Inputs that the worker would
    dead-letter are reported on stderr, and the exit code is 1.
    """
    settings = load_settings()
    failed = 0
    for message in iter_outbound(paths, stdin=sys.stdin.buffer, jsonl=jsonl, html=html):
        try:
            record = enrich_message(
                _offline(message),
                max_bytes=settings.max_message_bytes,
                max_html_bytes=settings.max_html_bytes,
                processed_at=datetime.now(UTC),
            )
            sys.stdout.buffer.write(encode_record(record, max_bytes=settings.input_topic_max_bytes) + b"\n")
        except (InvalidArticleError, EnrichmentError) as exc:
            failed += 1
            echo_err(f"{message.origin}: {type(exc).__name__}: {exc}")
    sys.stdout.flush()
    if failed:
        sys.exit(1)


def _offline(message: Outbound) -> InputMessage:
    return InputMessage(value=message.value, key=message.key, headers=list(message.headers))


def _decode(value: bytes | None) -> dict[str, Any] | None:
    try:
        record = codec.loads(value or b"")
    except codec.JSONDecodeError:
        return None
    return record if isinstance(record, dict) else None


def pretty(record: dict[str, Any], *, width: int = 100, body_lines: int = 3) -> str:
    """A record for people: title, id, credits with their roles, the start of the body."""
    attribution = record.get("attribution") or {}
    lines = [click.style(record.get("title") or "(no title)", bold=True)]
    meta = [f"id {record.get('id')}"]
    if record.get("language"):
        meta.append(str(record["language"]))
    meta.append(f"{record.get('word_count', 0)} words")
    lines.append(click.style(" · ".join(meta), dim=True))
    credits = list(_credit_lines(attribution))
    lines.extend(credits or [click.style("no agency credited", dim=True)])
    body = (record.get("body") or "").split("\n\n")
    shown = [textwrap.shorten(p, width=width, placeholder=" …") for p in body[:body_lines] if p.strip()]
    lines.extend("  " + p for p in shown)
    if len(body) > body_lines:
        more = len(body) - body_lines
        lines.append(click.style(f"  … {more} more paragraph{'s' if more != 1 else ''}", dim=True))
    return "\n".join(lines) + "\n"


def _credit_lines(attribution: dict[str, Any]) -> Iterator[str]:
    colours = {"credited": "green", "cited": "yellow", "photo": "cyan"}
    order = list(colours)
    agencies = attribution.get("agencies") or []
    for agency in sorted(agencies, key=lambda a: order.index(a.get("role")) if a.get("role") in order else len(order)):
        role = agency.get("role", "")
        kinds = sorted({e.get("kind", "") for e in agency.get("evidence") or []})
        label = click.style(f"{role:>8}", fg=colours.get(role))
        yield f"{label} {agency.get('code')} ({', '.join(kinds)})"


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return f"{n} B"


COMMANDS = (publish, tail, enrich)
