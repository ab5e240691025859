"""Helpers shared by the commands."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import click
from pydantic import ValidationError

from wirestream.errors import ConfigError
from wirestream.settings import Settings

T = TypeVar("T")


def load_settings() -> Settings:
    """Read the environment once, turning a bad value into one clear line."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False)
        )
        raise ConfigError(f"invalid configuration: {problems}") from None


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def echo_err(message: str) -> None:
    click.echo(message, err=True)
