"""Helpers for the wire quirks both platforms have: numbers as strings, JSON inside
strings, dates as text, empty strings for "none". Adapters use these so nothing above
them ever sees a quirk. Each raises ValueError on data it cannot make sense of."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson

from app.domain.money import to_money

DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


def as_int(value: Any, default: int | None = None) -> int:
    if type(value) is int:  # the common case, first: this runs a million times in a sync
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None:
            raise ValueError("missing integer")
        return default
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"not an integer: {value!r}")
        return int(value)
    return int(str(value).strip())


def as_str(value: Any) -> str:
    if type(value) is str:
        return value
    return "" if value is None else str(value)


def as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def as_money(value: Any, default: Decimal | None = None) -> Decimal:
    if (value is None or value == "") and default is not None:
        return default
    return to_money(value)


def as_dt(value: Any) -> datetime:
    """A platform time: 'YYYY-MM-DD HH:MM:SS' text or epoch milliseconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000)
    text = as_str(value).strip()
    try:
        # fromisoformat reads 'YYYY-MM-DD HH:MM:SS' ten times faster than strptime, which
        # matters when a sync maps a million orders with several dates each.
        parsed = datetime.fromisoformat(text)
        return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r}")


def as_opt_dt(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    return as_dt(value)


def fmt_dt(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def parse_json(content: bytes | str) -> Any:
    """A platform answer's JSON. orjson reads a 200-order page twice as fast as json; what
    it refuses (integers beyond 64 bits) json still reads, and what neither can read raises
    ValueError."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content)


def json_in_string(value: Any, default: Any) -> Any:
    """Some fields are JSON text inside the JSON ("traces": "[{...}]")."""
    if value is None or value == "":
        return default
    if isinstance(value, list | dict):
        return value
    return json.loads(value)
