"""Domain objects to JSON and back, for the cache's ``data`` columns.

Decimal travels as a string, datetime as ISO text, enums as their value; reading back
rebuilds the exact dataclass by following its type hints, so a cached order is the same
object the adapter produced.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

T = TypeVar("T")


_PRIMITIVE = (str, int, float, bool, type(None))


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    # Checked most common first: this runs for every field of every record a sync writes.
    if isinstance(value, _PRIMITIVE) and not isinstance(value, Enum):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(" ", "seconds")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    return value


def dumps(obj: Any) -> str:
    return json.dumps(_plain(obj), ensure_ascii=False, separators=(",", ":"))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        return _build(options[0], value)
    if origin is tuple:
        args = get_args(tp)
        inner = args[0] if args else Any
        return tuple(_build(inner, v) for v in value)
    if origin is list:
        (inner,) = get_args(tp) or (Any,)
        return [_build(inner, v) for v in value]
    if origin is dict:
        return dict(value)
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            hints = _hints(tp)
            return tp(**{f.name: _build(hints[f.name], value[f.name]) for f in dataclasses.fields(tp)
                         if f.name in value})
        if issubclass(tp, Enum):
            return tp(value)
        if tp is Decimal:
            return Decimal(value)
        if tp is datetime:
            return datetime.fromisoformat(value)
    return value


def loads(cls: type[T], text: str) -> T:
    return typing.cast(T, _build(cls, json.loads(text)))
