"""软猫引擎 security: tampered answers, replay and stale timestamps, clock skew, token
expiry and wrong credentials, against the practice platform (and a scripted platform
where the practice one cannot misbehave in the needed way)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.domain.enums import LedgerKind
from app.domain.models import ListQuery, OrderQuery
from app.platform import signing
from app.platform.account import Account, PlatformKind
from app.platform.connect import connect
from app.platform.errors import (
    AuthenticationError,
    ClockSkewError,
    RateLimitedError,
    TamperedResponseError,
)
from app.platform.ruanmao import RuanmaoPlatform
from app.platform.ruanmao.routes import ACCESS_TOKEN, ROUTES
from app.sandbox import credentials
from app.sandbox.server import SandboxServer
from tests.conftest import ruanmao_account

APP_ID, SECRET = credentials.RUANMAO_APP_ID, credentials.RUANMAO_APP_SECRET


def platform(account: Account, **options: Any) -> RuanmaoPlatform:
    p = connect(account, backoff=0.01, **options)
    assert isinstance(p, RuanmaoPlatform)
    return p


async def raw_call(server: SandboxServer, path: str, body: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=server.base_url) as client:
        response = await client.post(path, content=json.dumps(body, ensure_ascii=False).encode(),
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    envelope = response.json()
    assert isinstance(envelope, dict)
    return envelope


def now_ms(server: SandboxServer) -> int:
    assert server.state is not None
    return int(server.state.now() * 1000)


class Tamper(httpx.AsyncBaseTransport):
    """A man in the middle: rewrites the data of answers on one path, keeps their sign."""

    def __init__(self, path: str, change: Callable[[Any], Any]) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.path, self.change = path, change
        self.tampered = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path != self.path:
            return response
        body = json.loads(await response.aread())
        body["data"] = self.change(body["data"])
        self.tampered += 1
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        return httpx.Response(response.status_code, headers=headers, content=json.dumps(body).encode())

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.asyncio
async def test_tampered_answer_is_rejected_and_its_data_not_returned(sandbox: SandboxServer) -> None:
    def cheaper(data: Any) -> Any:
        data["amountReal"] = "0.01"
        return data

    tamper = Tamper(ROUTES["order.detail"], cheaper)
    async with platform(ruanmao_account(sandbox), transport=tamper, retries=1) as p:
        listed = (await p.orders.list(OrderQuery(page_size=1))).items[0].order
        with pytest.raises(TamperedResponseError) as info:
            await p.orders.get(listed.id)
        assert "签名校验失败" in info.value.message("zh")
        assert tamper.tampered == 2  # the retry met the same forgery; nothing was returned


@pytest.mark.asyncio
async def test_chaos_badsign_answers_are_all_rejected(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(chaos="badsign=1.0", orders=50)
    async with platform(ruanmao_account(server), retries=0) as p:
        with pytest.raises(TamperedResponseError):
            await p.login()
        assert p.auth.token is None  # a token from a forged answer is never used


@pytest.mark.asyncio
async def test_chaos_ratelimit_is_rate_limited_with_retry_after(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(chaos="ratelimit=1.0", orders=50)
    async with platform(ruanmao_account(server), retries=0) as p:
        with pytest.raises(RateLimitedError) as info:
            await p.couriers.list()
        assert info.value.retry_after == 1 and info.value.code == 40029


@pytest.mark.asyncio
async def test_replayed_nonce_is_answered_40003(sandbox: SandboxServer) -> None:
    body = signing.sign_request({}, app_id=APP_ID, secret=SECRET, timestamp_ms=now_ms(sandbox))
    first = await raw_call(sandbox, ACCESS_TOKEN, body)
    assert first["code"] == 0 and signing.verify_response(first, SECRET)
    again = await raw_call(sandbox, ACCESS_TOKEN, body)
    assert again["code"] == 40003 and "nonceStr" in again["msg"]
    assert signing.verify_response(again, SECRET)
    token = first["data"]["accessToken"]
    call = signing.sign_request({}, app_id=APP_ID, secret=SECRET, timestamp_ms=now_ms(sandbox), access_token=token)
    assert (await raw_call(sandbox, ROUTES["courier.list"], call))["code"] == 0
    assert (await raw_call(sandbox, ROUTES["courier.list"], call))["code"] == 40003


@pytest.mark.asyncio
async def test_stale_timestamp_is_answered_40003(sandbox: SandboxServer) -> None:
    for skew in (-301_000, 301_000):
        body = signing.sign_request({}, app_id=APP_ID, secret=SECRET, timestamp_ms=now_ms(sandbox) + skew)
        answer = await raw_call(sandbox, ACCESS_TOKEN, body)
        assert answer["code"] == 40003 and "timestamp" in answer["msg"]
        assert signing.verify_response(answer, SECRET)
        assert abs(answer["timestamp"] - now_ms(sandbox)) < 5000  # the server's clock, to learn from
    fresh = signing.sign_request({}, app_id=APP_ID, secret=SECRET, timestamp_ms=now_ms(sandbox) - 200_000)
    assert (await raw_call(sandbox, ACCESS_TOKEN, fresh))["code"] == 0


@pytest.mark.asyncio
async def test_protocol_refusals(sandbox: SandboxServer) -> None:
    body = signing.sign_request({}, app_id=APP_ID, secret=SECRET, timestamp_ms=now_ms(sandbox))
    forged = {**body, "nonceStr": signing.new_nonce()}  # changed after signing
    answer = await raw_call(sandbox, ACCESS_TOKEN, forged)
    assert answer["code"] == 40002 and signing.verify_response(answer, SECRET)
    stranger = signing.sign_request({}, app_id="rm_nobody", secret=SECRET, timestamp_ms=now_ms(sandbox))
    answer = await raw_call(sandbox, ACCESS_TOKEN, stranger)
    assert answer["code"] == 40010 and "sign" not in answer
    no_token = signing.sign_request({"orderId": 1}, app_id=APP_ID, secret=SECRET, timestamp_ms=now_ms(sandbox),
                                    access_token="at_not_a_token")
    assert (await raw_call(sandbox, ROUTES["order.detail"], no_token))["code"] == 40001
    token = (await raw_call(sandbox, ACCESS_TOKEN, signing.sign_request(
        {}, app_id=APP_ID, secret=SECRET, timestamp_ms=now_ms(sandbox))))["data"]["accessToken"]
    missing = signing.sign_request({}, app_id=APP_ID, secret=SECRET, timestamp_ms=now_ms(sandbox), access_token=token)
    answer = await raw_call(sandbox, ROUTES["order.detail"], missing)
    assert answer["code"] == 40004 and "orderId" in answer["msg"]
    md5 = signing.sign_request({"orderId": 1}, app_id=APP_ID, secret=SECRET, timestamp_ms=now_ms(sandbox),
                               access_token=token, sign_type=signing.MD5)
    answer = await raw_call(sandbox, ROUTES["order.detail"], md5)
    assert answer["code"] == 0 and answer["data"]["id"] == 1 and isinstance(answer["data"]["amountReal"], str)


@pytest.mark.asyncio
async def test_skewed_desk_clock_works_through_the_learned_offset(fresh_sandbox: SandboxServer) -> None:
    assert fresh_sandbox.state is not None
    fresh_sandbox.state.clock_offset = 3600  # the platform is an hour ahead of this desk
    async with platform(ruanmao_account(fresh_sandbox)) as p:
        page = await p.orders.list(OrderQuery(page_size=5))
        assert page.total_rows == 400
        assert p.auth.stats["stale_retries"] == 1  # the first call learned the offset, once
        assert abs(p.transport.clock.offset_ms - 3_600_000) < 5000
        await p.couriers.list()
        await p.orders.set_remark(page.items[0].order.id, "时钟偏差也能写")
        assert p.auth.stats["stale_retries"] == 1
        assert (await p.orders.get(page.items[0].order.id)).order.admin_remark == "时钟偏差也能写"


@pytest.mark.asyncio
async def test_deleted_token_refreshes_once_and_the_call_succeeds(fresh_sandbox: SandboxServer) -> None:
    assert fresh_sandbox.state is not None
    async with platform(ruanmao_account(fresh_sandbox)) as p:
        await p.couriers.list()
        old = p.auth.token
        fresh_sandbox.state.conn.execute("DELETE FROM admin_tokens WHERE dialect = 'ruanmao'")
        couriers = await p.couriers.list()
        assert couriers and p.auth.token != old
        assert p.auth.stats["token_requests"] == 2
        assert p.transport.stats["retries"] == 0  # the auth flow repeated it, not the transport


@pytest.mark.asyncio
async def test_short_lived_token_is_renewed_before_expiry(make_sandbox: Callable[..., SandboxServer]) -> None:
    server = make_sandbox(token_ttl=1, orders=50)
    assert server.state is not None
    async with platform(ruanmao_account(server)) as p:
        await p.couriers.list()
        first = p.auth.token
        time.sleep(1.05)
        await p.couriers.list()
        assert p.auth.token != first and p.auth.stats["token_requests"] == 2
    # Renewed ahead of time: the platform never had to refuse an expired token.
    assert server.state.requests == 4


@pytest.mark.asyncio
async def test_wrong_app_secret_is_an_authentication_error_in_chinese(sandbox: SandboxServer) -> None:
    wrong = Account(kind=PlatformKind.RUANMAO, base_url=sandbox.base_url, app_id=APP_ID,
                    app_secret="not-the-secret-0000")
    async with platform(wrong) as p:
        with pytest.raises(AuthenticationError) as info:
            await p.login()
        assert info.value.code == 40002
        assert "登录平台失败" in info.value.message("zh") and "AppSecret" in info.value.message("zh")
        with pytest.raises(AuthenticationError):
            await p.orders.list(OrderQuery())
    stranger = Account(kind=PlatformKind.RUANMAO, base_url=sandbox.base_url, app_id="rm_nobody", app_secret=SECRET)
    async with platform(stranger) as p:
        with pytest.raises(AuthenticationError) as info:
            await p.login()
        assert info.value.code == 40010


class ScriptedPlatform:
    """A platform that signs correctly but misbehaves on purpose (as a MockTransport)."""

    def __init__(self, *, clock_jump_ms: int = 0, refuse_tokens: bool = False) -> None:
        self.clock_jump_ms = clock_jump_ms
        self.refuse_tokens = refuse_tokens
        self.calls: list[str] = []
        self.nonces: set[str] = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        assert signing.verify_request(body, SECRET)
        assert body["nonceStr"] not in self.nonces  # every attempt carries a new nonce
        self.nonces.add(body["nonceStr"])
        self.calls.append(request.url.path)
        server_ms = body["timestamp"] + self.clock_jump_ms  # always an hour from whatever we send
        if self.clock_jump_ms:
            return self._answer(40003, "请求已过期", None, server_ms)
        if request.url.path == ACCESS_TOKEN:
            return self._answer(0, "success", {"accessToken": f"at_{len(self.calls)}", "expiresIn": 7200}, server_ms)
        if self.refuse_tokens:
            return self._answer(40001, "accessToken 无效或已过期", None, server_ms)
        return self._answer(0, "success", [], server_ms)

    @staticmethod
    def _answer(code: int, msg: str, data: Any, server_ms: int) -> httpx.Response:
        return httpx.Response(200, json=signing.sign_response(code, msg, data, secret=SECRET, timestamp_ms=server_ms))


def scripted_account() -> Account:
    return Account(kind=PlatformKind.RUANMAO, base_url="http://ruanmao.test", app_id=APP_ID, app_secret=SECRET)


@pytest.mark.asyncio
async def test_clock_that_keeps_running_away_is_a_clock_skew_error() -> None:
    script = ScriptedPlatform(clock_jump_ms=3_600_000)
    async with platform(scripted_account(), transport=httpx.MockTransport(script)) as p:
        with pytest.raises(ClockSkewError) as info:
            await p.couriers.list()
        assert "时间" in info.value.message("zh")
    assert script.calls == [ACCESS_TOKEN, ACCESS_TOKEN]  # learned once, retried once, then gave up


@pytest.mark.asyncio
async def test_token_refused_after_refresh_is_an_authentication_error() -> None:
    script = ScriptedPlatform(refuse_tokens=True)
    async with platform(scripted_account(), transport=httpx.MockTransport(script)) as p:
        with pytest.raises(AuthenticationError):
            await p.wallet.ledger(LedgerKind.BALANCE, ListQuery())
    path = ROUTES["asset.balance_log"]
    assert script.calls == [ACCESS_TOKEN, path, ACCESS_TOKEN, path]  # refreshed exactly once
