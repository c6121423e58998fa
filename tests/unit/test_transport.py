"""The transport's retry rules and the error taxonomy, against a scripted fake platform."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import httpx
import pytest

from app.platform import errors
from app.platform.transport import ServerClock, Transport


def scripted(*answers: Callable[[httpx.Request], httpx.Response] | httpx.Response | Exception) -> tuple[
        httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer(request) if callable(answer) else answer

    return httpx.MockTransport(handler), seen


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"code": 0, "data": "fine"})


def decode(response: httpx.Response) -> str:
    return response.json()["data"]


def make(mock: httpx.MockTransport) -> Transport:
    return Transport("http://platform.test", transport=mock, backoff=0.001, retries=4)


@pytest.mark.asyncio
async def test_reads_are_retried_through_5xx_drops_and_cut_bodies() -> None:
    mock, seen = scripted(httpx.Response(503), httpx.RemoteProtocolError("peer closed"),
                          httpx.Response(200, content=b'{"code":0,"da'), ok)
    t = make(mock)
    assert await t.call("GET", "/x", decode, idempotent=True) == "fine"
    assert len(seen) == 4 and t.stats["retries"] == 3
    await t.aclose()


@pytest.mark.asyncio
async def test_reads_give_up_after_the_retry_budget() -> None:
    mock, seen = scripted(httpx.Response(500))
    t = make(mock)
    with pytest.raises(errors.ServerError):
        await t.call("GET", "/x", decode, idempotent=True)
    assert len(seen) == 5
    await t.aclose()


@pytest.mark.asyncio
async def test_a_write_is_not_repeated_blindly() -> None:
    mock, seen = scripted(httpx.RemoteProtocolError("peer closed"), ok)
    t = make(mock)
    with pytest.raises(errors.ServerError):
        await t.call("POST", "/ship", decode, idempotent=False)
    assert len(seen) == 1
    await t.aclose()


@pytest.mark.asyncio
async def test_a_lost_answer_is_checked_before_any_retry() -> None:
    mock, seen = scripted(httpx.RemoteProtocolError("peer closed"), ok)
    t = make(mock)
    checks: list[bool] = []

    async def already_applied() -> bool:
        checks.append(True)
        return True

    assert await t.call("POST", "/ship", decode, idempotent=False, verify=already_applied) is None
    assert len(seen) == 1 and checks == [True] and t.stats["verified_writes"] == 1

    mock, seen = scripted(httpx.Response(502), ok)
    t2 = make(mock)

    async def not_applied() -> bool:
        return False

    assert await t2.call("POST", "/ship", decode, idempotent=False, verify=not_applied) == "fine"
    assert len(seen) == 2
    await t.aclose()
    await t2.aclose()


@pytest.mark.asyncio
async def test_a_refused_connection_is_retried_even_for_writes() -> None:
    mock, seen = scripted(httpx.ConnectError("refused"), ok)
    t = make(mock)
    assert await t.call("POST", "/ship", decode, idempotent=False) == "fine"
    assert len(seen) == 2
    await t.aclose()


@pytest.mark.asyncio
async def test_rate_limit_waits_and_retries() -> None:
    mock, seen = scripted(httpx.Response(429, headers={"retry-after": "0.01"}), ok)
    t = make(mock)
    assert await t.call("POST", "/w", decode, idempotent=False) == "fine"
    assert len(seen) == 2
    await t.aclose()


@pytest.mark.asyncio
async def test_offline_is_an_offline_error_with_advice() -> None:
    mock, _ = scripted(httpx.ConnectError("refused"))
    t = make(mock)
    with pytest.raises(errors.OfflineError) as err:
        await t.call("GET", "/x", decode, idempotent=True)
    assert "缓存" in err.value.message("zh") and "cached" in err.value.message("en")
    await t.aclose()


def test_server_clock_learns_offset() -> None:
    clock = ServerClock()
    clock.observe_ms(server_ms=2_000_000.0, sent_at=1000.0, received_at=1000.2)
    assert clock.offset_ms == pytest.approx(2_000_000 - 1_000_100, abs=1)
    clock.observe_date_header("Wed, 25 Nov 2026 01:00:00 GMT", 0)  # ignored once a precise offset is known
    assert clock.offset_ms == pytest.approx(999_900, abs=1)


def test_every_error_tells_staff_what_to_do_in_both_languages() -> None:
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, errors.PlatformError)]
    assert len(classes) >= 10
    for cls in classes:
        err = cls("detail") if cls is not errors.RateLimitedError else cls("detail", retry_after=2)
        assert err.message("zh") and err.message("en"), cls
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err.message("zh")), cls
        assert err.message("zh") != err.message("en")
    detailed = errors.with_detail(errors.ConflictError, "订单已关闭", code=40900)
    assert "订单已关闭" in detailed.message("zh") and detailed.code == 40900
    assert errors.OfflineError.retryable and not errors.AuthenticationError.retryable


def test_money_parsing_rejects_what_is_not_an_amount() -> None:
    from decimal import Decimal

    from app.domain.money import to_money

    assert to_money(99.5) == Decimal("99.50") and to_money(0.1 + 0.2) == Decimal("0.30")
    assert to_money("1,234.565") == Decimal("1234.57") and to_money(12) == Decimal("12.00")
    for bad in (float("nan"), float("inf"), "x", "", None, True):
        with pytest.raises(ValueError):
            to_money(bad)
