"""Merchant login for the admin API: ``POST /login/key`` → an X-Token for every call.

The token lives in memory only. When the platform answers 100000/100001 (login expired)
the flow logs in again once and repeats the call; the caller never sees the expiry.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncGenerator, Generator

import httpx

from app.platform.apifm.envelope import ADMIN_EXPIRED, OK, code_of
from app.platform.errors import AuthenticationError, ProtocolError, ServerError, with_detail

LOGIN_PATH = "/login/key"
_MAYBE_EXPIRED = re.compile(rb'"code"\s*:\s*"?(?:' + b"|".join(str(c).encode() for c in ADMIN_EXPIRED) + rb")\b")


class ApifmAuth(httpx.Auth):
    requires_response_body = True

    def __init__(self, base_url: str, merchant_no: str, merchant_key: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.merchant_no = merchant_no
        self._key = merchant_key
        self.token: str | None = None
        self.logins = 0
        self._lock: asyncio.Lock | None = None

    def _login_request(self, template: httpx.Request) -> httpx.Request:
        # The call's extensions carry its timeout: without them a silent server would hold the login forever.
        return httpx.Request("POST", self.base_url + LOGIN_PATH, extensions=template.extensions,
                             data={"merchantNo": self.merchant_no, "merchantKey": self._key})

    def _take_token(self, response: httpx.Response) -> str:
        if response.status_code >= 500:
            raise ServerError(f"login: HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise ServerError(f"login: unreadable answer ({len(response.content)} bytes)") from exc
        code = code_of(body)
        token = body.get("data")
        if code != OK or not isinstance(token, str) or not token:
            if code == OK:
                raise ProtocolError("login answered without a token")
            raise with_detail(AuthenticationError, str(body.get("msg") or ""), code)
        self.logins += 1
        return token

    @staticmethod
    def _expired(response: httpx.Response) -> bool:
        content = response.content
        # Every answer passes here: read the whole body only when an expired code could be
        # in it (a search of the bytes costs nothing next to parsing a 300 kB page).
        if not _MAYBE_EXPIRED.search(content):
            return False
        try:
            body = json.loads(content)
        except ValueError:
            return False
        return isinstance(body, dict) and body.get("code") in ADMIN_EXPIRED

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("ApifmAuth works with httpx.AsyncClient only")

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._lock is None:
            self._lock = asyncio.Lock()
        if self.token is None:
            # One login for all the calls waiting on it.
            async with self._lock:
                if self.token is None:
                    answer = yield self._login_request(request)
                    await answer.aread()
                    self.token = self._take_token(answer)
        used = self.token
        assert used is not None
        request.headers["X-Token"] = used
        response = yield request
        # Overriding async_auth_flow means reading bodies here (httpx only does it in its default).
        await response.aread()
        if not self._expired(response):
            return
        async with self._lock:
            if self.token == used:
                self.token = None
                answer = yield self._login_request(request)
                await answer.aread()
                self.token = self._take_token(answer)
        assert self.token is not None
        request.headers["X-Token"] = self.token
        response = yield request
        await response.aread()
