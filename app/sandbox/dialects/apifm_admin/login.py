"""API工厂 admin session: the merchant-key login that issues an ``X-Token`` and the check on it.

Tokens are rows of ``admin_tokens`` with dialect ``apifm``; the 软猫引擎 AccessTokens share
that table under their own dialect.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.requests import Request

from app.sandbox.dialects.apifm_admin.envelope import (
    ADMIN_EXPIRED,
    BAD_KEY,
    MISSING,
    Check,
    Reply,
    RouteTable,
)


def token_check(state: Any) -> Check:
    """The auth check for every call but the login: a live ``X-Token`` header or code 100000."""
    conn = state.conn

    def check_token(request: Request, p: dict[str, Any]) -> None:
        token = request.headers.get("x-token") or ""
        row = conn.execute("SELECT expires FROM admin_tokens WHERE token = ? AND dialect = 'apifm'",
                           (token,)).fetchone()
        if row is None or row[0] <= state.now():
            raise Reply(ADMIN_EXPIRED, "登录已过期，请重新登录")

    return check_token


def register(table: RouteTable, state: Any) -> None:
    """Register the login, token check, merchant info and logout routes."""
    conn, cfg = state.conn, state.config
    at = table.at

    @at("/login/key", auth=False)
    async def login_key(request: Request, p: dict[str, Any]) -> Any:
        number, key = str(p.get("merchantNo") or ""), str(p.get("merchantKey") or "")
        if not number or not key:
            raise Reply(MISSING, "缺少参数 merchantNo 或 merchantKey")
        if number != cfg.apifm_merchant_no or not secrets.compare_digest(key, cfg.apifm_merchant_key):
            raise Reply(BAD_KEY, "商户号或商户秘钥错误")
        token = secrets.token_hex(20)
        now = state.now()
        conn.execute("DELETE FROM admin_tokens WHERE dialect = 'apifm' AND expires <= ?", (now,))
        conn.execute("INSERT INTO admin_tokens VALUES (?, 'apifm', ?)", (token, now + cfg.token_ttl))
        return token

    @at("/user/checkToken", "GET")
    async def check(request: Request, p: dict[str, Any]) -> Any:
        return None

    @at("/user/info", "GET")
    async def merchant_info(request: Request, p: dict[str, Any]) -> Any:
        return {"merchantNo": cfg.apifm_merchant_no, "subDomain": cfg.apifm_sub_domain, "name": "练习小店"}

    @at("/login/exit", "GET")
    async def exit_(request: Request, p: dict[str, Any]) -> Any:
        conn.execute("DELETE FROM admin_tokens WHERE token = ?", (request.headers.get("x-token") or "",))
        return None
