"""Signing as an ``httpx.Auth``: the AccessToken, the common keys and the sign.

Every request the adapter sends carries only its business parameters as JSON; this flow
turns it into the signed body (``appId``, ``timestamp`` from the server clock, a new
``nonceStr`` on every attempt, ``accessToken``, ``signType``, ``sign``). It fetches the
AccessToken itself (the token request is yielded from the flow), refreshes it before it
expires, refreshes once on 40001, and retries once on a 40003 caused by a stale clock after
learning the offset from the signed refusal. Every answer's sign is checked before any of
it, the clock included, is believed.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncGenerator, Generator
from typing import Any

import httpx

from app.platform import signing
from app.platform.errors import ProtocolError
from app.platform.ruanmao import envelope
from app.platform.ruanmao.routes import ACCESS_TOKEN
from app.platform.transport import ServerClock

JSON = "application/json; charset=utf-8"


class RuanmaoAuth(httpx.Auth):
    # The flow reads every answer itself (await response.aread()) to check its sign.
    requires_response_body = True

    def __init__(self, app_id: str, app_secret: str, base_url: str, clock: ServerClock | None = None,
                 sign_type: str = signing.HMAC_SHA256) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.sign_type = sign_type
        self.clock = clock or ServerClock()
        self.token_url = httpx.URL(base_url.rstrip("/") + ACCESS_TOKEN)
        self._token: str | None = None
        self._renew_at = 0.0  # time.monotonic() after which the token is renewed first
        self._lock = asyncio.Lock()
        self.stats = {"token_requests": 0, "token_refused": 0, "stale_retries": 0}

    # --- token state ---------------------------------------------------------------------

    @property
    def token(self) -> str | None:
        return self._token

    def forget_token(self) -> None:
        self._token = None

    def _needs_token(self) -> bool:
        return self._token is None or time.monotonic() >= self._renew_at

    def _accept_token(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise ProtocolError("token answer without data")
        token, ttl = data.get("accessToken"), data.get("expiresIn")
        if not isinstance(token, str) or not token or not isinstance(ttl, int) or isinstance(ttl, bool) or ttl <= 0:
            raise ProtocolError(f"token answer not understood: {sorted(data)}")
        # Renew a little early so that a token never expires while a request is on the way.
        margin = min(300.0, ttl * 0.1)
        self._token = token
        self._renew_at = time.monotonic() + ttl - margin

    # --- building requests -----------------------------------------------------------------

    def _signed(self, template: httpx.Request, url: httpx.URL, business: dict[str, Any],
                token: str | None) -> tuple[httpx.Request, int]:
        timestamp = self.clock.now_ms()
        body = signing.sign_request(business, app_id=self.app_id, secret=self.app_secret, timestamp_ms=timestamp,
                                    access_token=token, sign_type=self.sign_type)
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {k: v for k, v in template.headers.items() if k.lower() not in ("content-length", "content-type")}
        headers["Content-Type"] = JSON
        return httpx.Request("POST", url, headers=headers, content=content, extensions=template.extensions), timestamp

    def _observe(self, response: httpx.Response, sent: float, received: float) -> dict[str, Any] | None:
        """The verified envelope, having learned the server clock from it; None when it is not
        one we can trust (the decoder then raises the precise error)."""
        try:
            env = envelope.parse(response)
        except Exception:  # the decoder reports it
            return None
        if not envelope.is_signed(env, self.app_secret):
            return None
        if isinstance(env.get("timestamp"), int):
            self.clock.observe_ms(env["timestamp"], sent, received)
        return env

    # --- the flow ----------------------------------------------------------------------------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("the 软猫引擎 client is async only")
        yield request  # pragma: no cover

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        try:
            business = json.loads(request.content or b"{}")
        except ValueError as exc:
            raise ProtocolError("a 软猫引擎 call must carry a JSON object") from exc
        if not isinstance(business, dict):
            raise ProtocolError("a 软猫引擎 call must carry a JSON object")
        login = request.url.path.endswith(ACCESS_TOKEN)
        refreshed = stale_retried = False
        failed_token: str | None = None
        while True:
            if login or self._needs_token() or failed_token is not None:
                async with self._lock:
                    # Another request may have renewed the token while this one waited.
                    if login or self._needs_token() or self._token == failed_token:
                        token_stale_retried = False
                        while True:
                            token_request, sent_ms = self._signed(request, self.token_url, {}, None)
                            self.stats["token_requests"] += 1
                            sent = time.time()
                            response = yield token_request
                            await response.aread()
                            env = self._observe(response, sent, time.time())
                            if (env is not None and not token_stale_retried
                                    and envelope.is_stale(env, sent_ms)):
                                token_stale_retried = True
                                self.stats["stale_retries"] += 1
                                continue
                            break
                        # The decoder's rules, so that a refusal is the same error everywhere.
                        try:
                            data = envelope.decode(response, self.app_secret)
                        except Exception:
                            self.stats["token_refused"] += 1
                            raise
                        self._accept_token(data)
                        if login:
                            return
                failed_token = None
            used = self._token
            signed, sent_ms = self._signed(request, request.url, business, used)
            sent = time.time()
            response = yield signed
            await response.aread()
            env = self._observe(response, sent, time.time())
            if env is None:
                return
            if env["code"] == envelope.TOKEN_INVALID and not refreshed:
                refreshed = True
                failed_token = used
                continue
            if not stale_retried and envelope.is_stale(env, sent_ms):
                stale_retried = True
                self.stats["stale_retries"] += 1
                continue
            return
