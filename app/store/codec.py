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


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _default(value: Any) -> Any:
    """What json's C encoder cannot write itself. IntEnum and StrEnum it writes as their
    values already (they are ints and strs), tuples as arrays; this runs only for the rest,
    which keeps a sync's thousands of records a second off a Python walk of every field."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(" ", "seconds")
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: getattr(value, name) for name in _field_names(type(value))}
    raise TypeError(f"cannot store a {type(value).__name__} in the cache")


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default).encode


def dumps(obj: Any) -> str:
    return _encode(obj)


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
