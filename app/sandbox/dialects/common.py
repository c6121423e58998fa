"""Parsing and rendering shared by the dialects: parameters, money, times, pictures."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from app.sandbox.ops import invalid


async def params(request: Request) -> dict[str, Any]:
    """Query string and body merged, the body winning.

    API工厂 clients send ``application/x-www-form-urlencoded`` and 软猫引擎 sends a JSON
    object; both are parsed here directly (Starlette's ``request.form()`` would need
    python-multipart, which nothing else uses).
    """
    merged: dict[str, Any] = dict(request.query_params)
    if request.method != "POST":
        return merged
    body = await request.body()
    if not body:
        return merged
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/"):
        raise invalid("不支持 multipart 请求体，请用 application/x-www-form-urlencoded 或 JSON")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise invalid("请求体不是 UTF-8 编码") from exc
    if ctype.startswith("application/json"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise invalid("请求体不是合法的 JSON") from exc
        if not isinstance(data, dict):
            raise invalid("请求体必须是 JSON 对象")
        merged.update(data)
    else:
        merged.update(dict(parse_qsl(text, keep_blank_values=True)))
    return merged


def req_int(p: dict[str, Any], key: str, label: str | None = None) -> int:
    value = p.get(key)
    if value is None or str(value).strip() == "":
        raise invalid(f"缺少参数 {key}" + (f"（{label}）" if label else ""))
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise invalid(f"参数 {key} 必须是整数") from exc


def opt_int(p: dict[str, Any], key: str) -> int | None:
    value = p.get(key)
    if value is None or str(value).strip() == "":
        return None
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise invalid(f"参数 {key} 必须是整数") from exc


def req_str(p: dict[str, Any], key: str) -> str:
    value = p.get(key)
    if value is None or str(value).strip() == "":
        raise invalid(f"缺少参数 {key}")
    return str(value)


def to_cents(value: Any, key: str = "amount") -> int:
    """'99.5' / 99.5 / '99.50' yuan -> 9950 cents."""
    if value is None or str(value).strip() == "":
        raise invalid(f"缺少参数 {key}")
    try:
        from decimal import Decimal, InvalidOperation

        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise invalid(f"参数 {key} 必须是金额") from exc
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise invalid(f"参数 {key} 最多两位小数")
    return int(amount * 100)


def yuan(cents: int | None) -> float:
    """API工厂 sends money as JSON numbers."""
    return round((cents or 0) / 100, 2)


def yuan_str(cents: int | None) -> str:
    """软猫引擎 sends money as strings with two decimals."""
    return f"{(cents or 0) / 100:.2f}"


def paging(p: dict[str, Any], default_size: int = 50, max_size: int = 200) -> tuple[int, int]:
    page_no = opt_int(p, "page") or 1
    size = opt_int(p, "pageSize") or default_size
    if page_no < 1:
        raise invalid("page 从 1 开始")
    if not 1 <= size <= max_size:
        raise invalid(f"pageSize 必须在 1 到 {max_size} 之间")
    return page_no, size


def absolute(request: Request, path: str) -> str:
    """Pictures are stored as paths; on the wire they are full URLs on this server."""
    return absolute_on(base_of(request), path)


def base_of(request: Request) -> str:
    """The server's URL without the trailing slash, for ``absolute_on``."""
    return str(request.base_url).rstrip("/")


def absolute_on(base: str, path: str) -> str:
    """``absolute`` with the base worked out once: a page renders hundreds of pictures."""
    if not path or path.startswith("http"):
        return path
    return base + path


def total_pages(total: int, size: int) -> int:
    return (total + size - 1) // size if size else 0
