"""How an API工厂 admin call is read and answered: codes, the envelope, refusals, the route table.

Every handler returns plain data; ``wrap`` parses the parameters, runs the auth check and
puts the result in ``{code, msg, data}``. Refusals become codes here, in one place, so the
area modules never build an envelope themselves.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.sandbox.dialects import common
from app.sandbox.dialects.common import total_pages, yuan
from app.sandbox.ops import OpError, invalid

log = logging.getLogger(__name__)

# Codes (research §2.3, §2.8). The conflict code is a sandbox choice: the research has no
# code for "the order's state forbids this", only that the msg says why.
OK = 0
EMPTY = 700
NOT_LOGGED_IN = 2000
INVALID = 300
MISSING = 600
CONFLICT = 405
DUPLICATE_REFUND = 20000
INSUFFICIENT = 40000
ADMIN_EXPIRED = 100000
BAD_KEY = 10000
SERVER = -1

Handler = Callable[[Request, dict[str, Any]], Awaitable[Any]]
Check = Callable[[Request, dict[str, Any]], None]


class Reply(Exception):
    """Raised by a handler to answer with a non-zero code that is not an OpError."""

    def __init__(self, code: int, msg: str, data: Any = None) -> None:
        super().__init__(msg)
        self.code, self.msg, self.data = code, msg, data


def envelope(code: int, msg: str, data: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "msg": msg}
    if data is not None:
        body["data"] = data
    return JSONResponse(body)


def op_error(exc: OpError) -> JSONResponse:
    if exc.kind == OpError.NOT_FOUND:
        return envelope(EMPTY, exc.msg)
    if exc.kind == OpError.INSUFFICIENT:
        return envelope(INSUFFICIENT, exc.msg, yuan(exc.data or 0))
    if exc.kind == OpError.DUPLICATE_REFUND:
        return envelope(DUPLICATE_REFUND, exc.msg)
    if exc.kind == OpError.CONFLICT:
        return envelope(CONFLICT, exc.msg)
    if exc.kind == OpError.AUTH:
        return envelope(BAD_KEY, exc.msg)
    return envelope(MISSING if exc.msg.startswith("缺少参数") else INVALID, exc.msg)


def wrap(handler: Handler, check: Check | None) -> Callable[..., Any]:
    """Parse parameters, run the auth check, answer the envelope, map refusals to codes."""

    async def endpoint(request: Request) -> JSONResponse:
        try:
            p = await common.params(request)
            if check is not None:
                check(request, p)
            data = await handler(request, p)
        except Reply as exc:
            return envelope(exc.code, exc.msg, exc.data)
        except OpError as exc:
            return op_error(exc)
        except (ValueError, json.JSONDecodeError) as exc:
            return envelope(INVALID, f"参数错误：{exc}")
        except Exception:  # a sandbox bug must still answer in the envelope, like the platform does
            log.exception("apifm handler failed: %s", request.url.path)
            return envelope(SERVER, "系统繁忙")
        if isinstance(data, JSONResponse):
            return data
        return envelope(OK, "success", data)

    return endpoint


class RouteTable:
    """Handlers in registration order; each area module adds its own, ``routes`` wraps them all."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, Handler, bool]] = []

    def at(self, path: str, method: str = "POST", auth: bool = True) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.entries.append((path, method, fn, auth))
            return fn
        return register

    def routes(self, check: Check) -> list[Route]:
        return [Route(path, wrap(fn, check if auth else None), methods=[method] if method == "GET"
                      else ["POST"]) for path, method, fn, auth in self.entries]


# Parameters and lists shared by the admin and shop APIs ------------------------------------

def listing(found: list[dict[str, Any]], total: int, size: int, render: Callable[[dict[str, Any]], Any],
            **extra: Any) -> dict[str, Any]:
    """The list payload; an empty page answers 700 like the platform."""
    if not found:
        raise Reply(EMPTY, "暂无数据")
    return {"result": [render(r) for r in found], "totalRow": total, "totalPage": total_pages(total, size), **extra}


def slice_page(items: list[dict[str, Any]], page_no: int, size: int) -> tuple[list[dict[str, Any]], int]:
    return items[(page_no - 1) * size: page_no * size], len(items)


def day_end(value: str | None) -> str | None:
    """A date-only upper bound means the whole day."""
    if value and len(value.strip()) == 10:
        return value.strip() + " 23:59:59"
    return value


def flag(p: dict[str, Any], key: str) -> int | None:
    value = p.get(key)
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip().lower()
    if text in ("true", "1"):
        return 1
    if text in ("false", "0"):
        return 0
    raise invalid(f"参数 {key} 只能是 0 或 1")
