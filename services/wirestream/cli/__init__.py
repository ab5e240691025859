"""The `wirestream` command: a thin layer over the library.

Errors a user can fix end as one line on stderr with a hint and a non-zero exit code,
never as a traceback.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from wirestream import __version__
from wirestream.cli import articles, deadletters, operations
from wirestream.errors import WirestreamError


class _Cli(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WirestreamError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            sys.exit(130)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if ctx.params.get("traceback"):
                raise
            click.echo(f"error: unexpected {type(exc).__name__}: {exc} (rerun with --traceback for details)", err=True)
            sys.exit(1)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="wirestream")
@click.option("--traceback", is_flag=True, help="Show the full traceback of an unexpected error.")
def cli(traceback: bool) -> None:
    """Clean raw news text and tag its wire-agency attribution, on Kafka.

    Configuration comes from the environment (KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL,
    WIRESTREAM_TOPIC_RAW, ...): `wirestream config` shows it.
    """


for command in (*articles.COMMANDS, *deadletters.COMMANDS, *operations.COMMANDS):
    cli.add_command(command)

# Syndication: the offline twin and the stage.
from wirestream.cli import syndication as _syndication  # noqa: E402

for command in _syndication.COMMANDS:
    cli.add_command(command)


def _quiet_broken_pipe() -> None:
    # The reader of our output went away (`wirestream config | head -1`): that is its choice,
    # not an error. Point stdout at /dev/null so that the flush at exit does not fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


def main() -> None:
    cli(prog_name="wirestream")
