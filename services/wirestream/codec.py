"""JSON on the wire. The one module that touches orjson."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel

JSONDecodeError = orjson.JSONDecodeError


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


def dumps(obj: Any) -> bytes:
    return orjson.dumps(obj)


def dumps_model(model: BaseModel) -> bytes:
    """A model as compact JSON, None fields included so every record has the same shape."""
    return orjson.dumps(model.model_dump(mode="json"))
