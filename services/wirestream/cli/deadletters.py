"""`wirestream dlq`: look at dead letters and replay them."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click

from wirestream import codec
from wirestream.cli.common import echo_err, load_settings, run, unsent_range
from wirestream.deadletters import DeadLetter, DeadLetterFilter, dead_letters, replay
from wirestream.kafka import silence_client_logs
from wirestream.publisher import PublishSummary

ERROR_CLASS = click.option(
    "--error-class",
    "error_classes",
    multiple=True,
    metavar="NAME",
    help="Only this error class (repeatable), e.g. NotUtf8Error.",
)
SINCE = click.option(
    "--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]),
    help="Only dead letters from this time on (UTC).",
)  # fmt: skip


def _filter(error_classes: tuple[str, ...], since: datetime | None) -> DeadLetterFilter:
    return DeadLetterFilter(frozenset(error_classes), since.replace(tzinfo=UTC) if since else None)


@click.group()
def dlq() -> None:
    """List dead letters with their reasons, or replay them to the input topic."""


@dlq.command("list")
@ERROR_CLASS
@SINCE
@click.option("--json", "as_json", is_flag=True, help="One JSON object per dead letter.")
def dlq_list(error_classes: tuple[str, ...], since: datetime | None, as_json: bool) -> None:
    """Show every dead letter in the dead-letter topic, with why it failed."""
    settings = load_settings()
    silence_client_logs()

    async def show() -> int:
        count = 0
        async for letter in dead_letters(settings, wanted=_filter(error_classes, since)):
            click.echo(_as_json(letter) if as_json else _as_line(letter))
            count += 1
        return count

    count = run(show())
    if not as_json:
        echo_err(f"{count} dead letter{'s' if count != 1 else ''} in {settings.topic_dlq}")


@dlq.command("replay")
@ERROR_CLASS
@SINCE
@click.option("--dry-run", is_flag=True, help="Count what would be replayed; send nothing.")
@click.option("--again", is_flag=True, help="Also replay dead letters already replayed and dead-lettered again.")
def dlq_replay(error_classes: tuple[str, ...], since: datetime | None, dry_run: bool, again: bool) -> None:
    """Republish dead letters (original key, bytes and headers) to the input topic.

    Run it after fixing what made them fail. Each replayed message is marked with the dead
    letter it came from (header wirestream.replayed_from); a dead letter whose replay failed
    again is skipped from then on, and its new dead letter is replayed instead. The dead
    letters stay where they are: a letter whose replay succeeded is sent again by the next
    replay, so narrow with --since or --error-class.
    """
    settings = load_settings()
    silence_client_logs()
    summary = PublishSummary()
    try:
        result = run(
            replay(settings, wanted=_filter(error_classes, since), dry_run=dry_run, again=again, summary=summary)
        )
    except KeyboardInterrupt:
        click.echo(
            f"interrupted: replayed {summary.sent} dead letters to {settings.topic_raw}, {summary.failed} failed"
        )
        sys.exit(130)
    skipped = f" ({result.skipped} skipped: already replayed and dead-lettered again)" if result.skipped else ""
    if dry_run:
        n = result.to_send
        click.echo(f"would replay {n} dead letter{'s' if n != 1 else ''} to {settings.topic_raw}{skipped}")
        return
    click.echo(
        f"replayed {summary.sent} of {result.to_send} dead letters to {settings.topic_raw}, "
        f"{summary.failed + len(summary.unsent)} failed{skipped}"
    )
    for failure in summary.failures:
        echo_err(f"failed: {failure}")
    if summary.unsent:
        echo_err(f"not sent: {unsent_range(summary.unsent)}")
    if summary.failed or summary.unsent:
        sys.exit(1)


def _as_line(letter: DeadLetter) -> str:
    r = letter.received
    key = r.key.decode("utf-8", "replace") if r.key else "-"
    where = f"{r.partition}:{r.offset}"
    if letter.error is None:
        return f"{where}\t{key}\t(no error headers)"
    e = letter.error
    origin = f"{len(r.value or b'')} bytes from {e.topic}[{e.partition}]@{e.offset}"
    return f"{where}\t{key}\t{e.error_class}\t{e.stage}\t{e.message}\t({origin})"


def _as_json(letter: DeadLetter) -> str:
    r = letter.received
    return codec.dumps(
        {
            "partition": r.partition,
            "offset": r.offset,
            "key": r.key.decode("utf-8", "replace") if r.key else None,
            "size": len(r.value or b""),
            "preview": (r.value or b"")[:120].decode("utf-8", "replace"),
            "error": letter.error.model_dump() if letter.error else None,
        }
    ).decode()


COMMANDS = (dlq,)
