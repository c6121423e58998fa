"""API工厂's ``{code, msg, data}`` envelope and what each code means to ShopDesk.

Codes from platform-api-research.md §2.3 and §2.8. Codes the research does not pin down
(the platform's "state forbids this" answers) come back with a ``msg`` that names the
problem, so those errors carry the platform's own text (``errors.with_detail``).
"""

from __future__ import annotations

from typing import Any

from app.platform.errors import (
    AuthenticationError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PlatformError,
    ProtocolError,
    ServerError,
    UnsupportedError,
    with_detail,
)
from app.platform.wire import as_int, as_money

OK = 0
EMPTY = 700  # "暂无数据": an empty list, or a record that does not exist
NOT_LOGGED_IN = 2000
DUPLICATE_REFUND = 20000
INSUFFICIENT_BALANCE = 40000
ADMIN_EXPIRED = (100000, 100001)
NO_PERMISSION = 100002
PAID_PLAN_ONLY = 3000
INVALID = (300, 600)
CONFLICT = (405, 20000, 20001, 20002, 20003, 20004, 30001)
SERVER_FAULT = -1


def error_for(code: int, msg: str, data: Any = None) -> PlatformError:
    """The ShopDesk error for a non-zero code."""
    if code == EMPTY:
        return with_detail(NotFoundError, msg, code)
    if code == INSUFFICIENT_BALANCE:
        try:
            short = f"{as_money(data)}"
        except ValueError:
            short = ""
        zh = "用户余额不足" + (f"，还差 {short} 元" if short else "") + "。请先为用户充值或改用其他方式付款。"
        en = "The customer's balance is too low" + (f" ({short} yuan short)" if short else "") + \
            ". Top the balance up first or take another payment."
        return InvalidInputError(msg, code=code, zh=zh, en=en)
    if code in INVALID:
        return with_detail(InvalidInputError, msg, code)
    if code in CONFLICT:
        return with_detail(ConflictError, msg, code)
    if code in ADMIN_EXPIRED or code == NOT_LOGGED_IN:
        return with_detail(AuthenticationError, msg, code)
    if code == NO_PERMISSION:
        return PlatformError(msg, code=code, zh="当前账号没有该操作的权限。请用主账号登录或在平台后台授权。",
                             en="This account may not do that. Sign in with the owner account or grant the right "
                                "in the platform's back office.")
    if code == PAID_PLAN_ONLY:
        return with_detail(UnsupportedError, msg, code)
    if code == SERVER_FAULT:
        return with_detail(ServerError, msg, code)
    return with_detail(PlatformError, f"{msg} (code {code})" if msg else f"code {code}", code)


def code_of(body: Any) -> int:
    if not isinstance(body, dict) or "code" not in body:
        raise ProtocolError(f"not an API工厂 envelope: {str(body)[:200]}")
    try:
        return as_int(body["code"])
    except (TypeError, ValueError) as exc:
        raise ProtocolError(f"envelope code is not a number: {body['code']!r}") from exc


def unwrap(body: Any, *, empty_ok: bool = False) -> Any:
    """``data`` of a successful answer; None for 700 where empty is a normal answer (lists)."""
    code = code_of(body)
    if code == OK:
        return body.get("data")
    if code == EMPTY and empty_ok:
        return None
    raise error_for(code, str(body.get("msg") or ""), body.get("data"))
