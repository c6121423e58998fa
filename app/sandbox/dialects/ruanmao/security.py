"""软猫引擎 call security: appId, sign, timestamp window, replayed nonce and AccessToken checks.

Every answer is signed with the app secret and carries the server's clock (see
shared/platform/ruanmao-signing.md). A wrong appId is answered unsigned: there is no app
whose secret could sign it. The chaos
middleware's ``chaos_ratelimit`` and ``chaos_badsign`` flags are honoured here.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.platform import signing
from app.sandbox.dialects.ruanmao.base import Handler, Params
from app.sandbox.ops import OpError, bookkeeping

log = logging.getLogger(__name__)

OK, TOKEN_INVALID, BAD_SIGN, REPLAY, BAD_PARAM, BAD_APP = 0, 40001, 40002, 40003, 40004, 40010
RATE_LIMITED, NOT_FOUND, CONFLICT, PLATFORM_ERROR = 40029, 40400, 40900, 50000
WINDOW_S = 300  # a request's timestamp may be this far from the server clock
NONCE_TTL_S = 15 * 60
OP_CODES = {OpError.NOT_FOUND: NOT_FOUND, OpError.CONFLICT: CONFLICT, OpError.INVALID: BAD_PARAM,
            OpError.INSUFFICIENT: CONFLICT, OpError.DUPLICATE_REFUND: CONFLICT, OpError.AUTH: BAD_PARAM}

Endpoint = Callable[[Request], Awaitable[Response]]


class Refusal(Exception):
    """A protocol-level refusal (sign, token, replay) with its code."""

    def __init__(self, code: int, msg: str, *, signed: bool = True) -> None:
        super().__init__(msg)
        self.code, self.msg, self.signed = code, msg, signed


class Endpoints(Protocol):
    """Makes a handler an endpoint; ``token=False`` only for the AccessToken call itself."""

    def __call__(self, handler: Handler, *, token: bool = True) -> Endpoint: ...


def endpoints(state: Any) -> Endpoints:
    """The endpoint factory of one practice platform: it checks each call and signs each answer."""
    config = state.config
    counter = {"n": 0}  # checks so far: every 50th sweeps expired nonces

    def now_ms() -> int:
        return int(state.now() * 1000)

    def answer(request: Request, code: int, msg: str, data: Any = None, *, signed: bool = True) -> Response:
        if not signed:
            return JSONResponse({"code": code, "msg": msg, "data": data, "timestamp": now_ms()})
        secret, ts, nonce = config.ruanmao_app_secret, now_ms(), signing.new_nonce()
        forged = None
        if request.scope.get("state", {}).get("chaos_badsign"):
            # A tampered answer: the body says one thing, the sign was made for another.
            forged = signing.sign_response(code, msg, {"tampered": True}, secret=secret, timestamp_ms=ts,
                                           nonce=nonce)["sign"]
        # The body is built as text so that a page's data is serialised once, not twice.
        body = signing.response_json(code, msg, data, secret=secret, timestamp_ms=ts, nonce=nonce,
                                     sign_override=forged)
        return Response(body.encode("utf-8"), media_type="application/json")

    async def body_of(request: Request) -> Params:
        raw = await request.body()
        try:
            body = json.loads(raw or b"{}")
        except ValueError as exc:
            raise Refusal(BAD_PARAM, "请求体不是合法的 JSON") from exc
        if not isinstance(body, dict):
            raise Refusal(BAD_PARAM, "请求体必须是 JSON 对象")
        return body

    def check(body: Params, *, token: bool) -> None:
        if body.get("appId") != config.ruanmao_app_id:
            raise Refusal(BAD_APP, "appId 不存在", signed=False)
        if body.get("signType", signing.HMAC_SHA256) not in signing.SIGN_TYPES:
            raise Refusal(BAD_PARAM, "参数 signType 只能是 HMAC-SHA256 或 MD5")
        if not signing.verify_request(body, config.ruanmao_app_secret):
            raise Refusal(BAD_SIGN, "签名错误")
        ts = body.get("timestamp")
        if not isinstance(ts, int) or isinstance(ts, bool):
            raise Refusal(BAD_PARAM, "参数 timestamp 必须是毫秒整数")
        now = state.now()
        if abs(ts / 1000 - now) > WINDOW_S:
            raise Refusal(REPLAY, "请求已过期：timestamp 与服务器时间相差超过 300 秒")
        nonce = body.get("nonceStr")
        if not signing.is_valid_nonce(nonce):
            raise Refusal(BAD_PARAM, "参数 nonceStr 必须是 16 到 32 位字母或数字")
        conn = state.conn
        counter["n"] += 1
        with bookkeeping(conn):  # a nonce is no change to the shop: cached order counts stay valid
            if counter["n"] % 50 == 1:
                conn.execute("DELETE FROM nonces WHERE seen < ?", (now - NONCE_TTL_S,))
            seen = conn.execute("SELECT seen FROM nonces WHERE nonce = ?", (nonce,)).fetchone()
            if seen is not None and seen[0] >= now - NONCE_TTL_S:
                raise Refusal(REPLAY, "nonceStr 已使用过（重放请求）")
            conn.execute("INSERT OR REPLACE INTO nonces (nonce, seen) VALUES (?, ?)", (nonce, now))
        if token:
            found = conn.execute("SELECT expires FROM admin_tokens WHERE token = ? AND dialect = 'ruanmao'",
                                 (str(body.get("accessToken") or ""),)).fetchone()
            if found is None or found[0] <= now:
                raise Refusal(TOKEN_INVALID, "accessToken 无效或已过期")

    def endpoint(handler: Handler, *, token: bool = True) -> Endpoint:
        async def handle(request: Request) -> Response:
            state.requests += 1
            if request.scope.get("state", {}).get("chaos_ratelimit"):
                return answer(request, RATE_LIMITED, "请求过于频繁，请稍后再试", {"retryAfter": 1})
            try:
                body = await body_of(request)
                check(body, token=token)
                data = await handler(body, request)
            except Refusal as exc:
                return answer(request, exc.code, exc.msg, signed=exc.signed)
            except OpError as exc:
                return answer(request, OP_CODES.get(exc.kind, PLATFORM_ERROR), exc.msg)
            except Exception:  # a bug here must still answer in the dialect
                log.exception("ruanmao handler failed: %s", request.url.path)
                return answer(request, PLATFORM_ERROR, "平台内部错误")
            return answer(request, OK, "success", data)

        return handle

    return endpoint


def access_token_handler(state: Any) -> Handler:
    """The AccessToken call: a fresh token for ``token_ttl`` seconds, expired ones swept."""
    config, conn = state.config, state.conn

    async def access_token(p: Params, request: Request) -> Params:
        token = "at_" + secrets.token_hex(16)
        ttl = int(config.token_ttl)
        now = state.now()
        with bookkeeping(conn):
            conn.execute("DELETE FROM admin_tokens WHERE dialect = 'ruanmao' AND expires < ?", (now,))
            conn.execute("INSERT INTO admin_tokens (token, dialect, expires) VALUES (?, 'ruanmao', ?)",
                         (token, now + ttl))
        return {"accessToken": token, "expiresIn": ttl}

    return access_token
