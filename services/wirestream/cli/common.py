"""Helpers shared by the commands."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import click
from pydantic import ValidationError

from wirestream.errors import ConfigError
from wirestream.settings import Settings, unknown_variables

T = TypeVar("T")


def load_settings() -> Settings:
    """Read the environment once, turning a bad value into one clear line that names the
    variable; warn about `WIRESTREAM_*` variables no setting reads (a typo, most likely)."""
    for name, closest in unknown_variables().items():
        hint = f" (did you mean {closest}?)" if closest else ""
        echo_err(f"warning: {name} is not a wirestream setting and is ignored{hint}")
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(_problem(e) for e in exc.errors(include_url=False))
        raise ConfigError(f"invalid configuration: {problems}") from None


def _problem(error: Any) -> str:
    loc = [str(p) for p in error["loc"]]
    if not loc:
        return f"settings: {error['msg']}"
    variable = Settings.env_name(loc[0]) if loc[0] in Settings.model_fields else loc[0]
    field = Settings.model_fields.get(loc[0])
    secret = field is not None and "Secret" in str(field.annotation)
    shown = "" if secret or "input" not in error else f" (got {error['input']!r})"
    return f"{variable}: {error['msg']}{shown}"


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def unsent_range(unsent: list[str]) -> str:
    """The inputs never handed to the producer: always the tail of the input order, so one line."""
    if len(unsent) == 1:
        return unsent[0]
    return f"{unsent[0]} and the {len(unsent) - 1} inputs after it, through {unsent[-1]}"


def echo_err(message: str) -> None:
    click.echo(message, err=True)
