"""What every 软猫引擎 handler module shares: the handler type, the registry and parameter readers.

The body is JSON, so parameters arrive typed: ``text`` refuses a list or an object where a
string belongs, ``flag`` takes a boolean or its text spelling, ``id_list`` a list or a
comma-separated string. The common readers (``req_int`` and friends) are in ../common.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request

from app.platform.ruanmao.routes import MAX_PAGE_SIZE
from app.sandbox.dialects.common import paging
from app.sandbox.ops import invalid

Params = dict[str, Any]
Handler = Callable[[Params, Request], Awaitable[Any]]


class Ops:
    """Handlers by operation name (the keys of app/platform/ruanmao/routes.py), in registration order."""

    def __init__(self) -> None:
        self.served: dict[str, Handler] = {}

    def op(self, name: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.served[name] = fn
            return fn

        return register

    def __setitem__(self, name: str, fn: Handler) -> None:
        self.served[name] = fn


def pages(p: Params) -> tuple[int, int]:
    return paging(p, default_size=50, max_size=MAX_PAGE_SIZE)


def flag(p: Params, key: str) -> bool | None:
    value = p.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("1", "true"):
        return True
    if str(value).lower() in ("0", "false"):
        return False
    raise invalid(f"参数 {key} 必须是 true 或 false")


def text(p: Params, key: str, default: str = "") -> str:
    value = p.get(key)
    if value is None:
        return default
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise invalid(f"参数 {key} 必须是字符串")
    return str(value)


def id_list(value: Any, key: str) -> list[int]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not value:
        raise invalid(f"参数 {key} 必须是非空的整数列表")
    try:
        return [int(v) for v in value if not isinstance(v, bool)]
    except (TypeError, ValueError) as exc:
        raise invalid(f"参数 {key} 必须是整数列表") from exc
