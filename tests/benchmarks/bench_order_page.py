"""p50/p95 latency of a 200-row order page with goods and logistics, over HTTP, at 1M orders
(goal: p95 <= 30 ms), for both dialects' list routes through their adapters, and the raw
server time without client-side mapping.

    .venv/bin/python tests/benchmarks/bench_order_page.py --orders 1000000 --samples 200
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.domain.enums import OrderStatus
from app.domain.models import OrderQuery
from app.platform.account import PlatformKind
from app.platform.connect import connect
from tests.benchmarks.common import machine, percentiles, practice_platform


def queries(rng: random.Random, total_pages: int, n: int) -> list[OrderQuery]:
    """A mix of what staff and the sync ask for: newest pages, status tabs, pages deep in the list."""
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.4:
            out.append(OrderQuery(page=rng.randint(1, 5), page_size=200))
        elif kind < 0.7:
            out.append(OrderQuery(page=rng.randint(1, 20), page_size=200, status=rng.choice(list(OrderStatus))))
        else:
            out.append(OrderQuery(page=rng.randint(1, total_pages), page_size=200))
    return out


async def measure(account, samples: int) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    rng = random.Random(1)
    async with connect(account) as platform:
        first = await platform.orders.list(OrderQuery(page=1, page_size=200))
        for q in queries(rng, first.total_pages, 20):  # warm the server's page cache
            await platform.orders.list(q)
        times = []
        rows = 0
        for q in queries(rng, first.total_pages, samples):
            started = time.perf_counter()
            page = await platform.orders.list(q)
            times.append(time.perf_counter() - started)
            rows += len(page.items)
    p50, p95 = percentiles(times)
    return p50, p95, rows


async def measure_raw(account, samples: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """The same page over plain httpx, JSON decoded but not mapped: the server's share."""
    import httpx

    from app.platform import signing

    rng = random.Random(2)
    async with httpx.AsyncClient(base_url=account.base_url, timeout=30) as client:
        if account.kind is PlatformKind.APIFM:
            token = (await client.post("/login/key", data={"merchantNo": account.merchant_no,
                                                           "merchantKey": account.merchant_key})).json()["data"]

            async def page(n: int, status: int | None) -> None:
                form = {"page": n, "pageSize": 200, **({"status": status} if status is not None else {})}
                (await client.post("/user/apiExtOrder/list", data=form, headers={"X-Token": token})).json()
        else:
            def signed(business: dict) -> dict:  # type: ignore[type-arg]
                return signing.sign_request(business, app_id=account.app_id, secret=account.app_secret,
                                            timestamp_ms=int(time.time() * 1000))

            token = (await client.post("/open/auth/access-token", json=signed({}))).json()["data"]["accessToken"]

            async def page(n: int, status: int | None) -> None:
                body = {"accessToken": token, "page": n, "pageSize": 200, **({"status": status} if status is not None else {})}
                (await client.post("/open/order/list", json=signed(body))).json()

        times = []
        for q in queries(rng, 5000, samples):
            started = time.perf_counter()
            await page(q.page, int(q.status) if q.status is not None else None)
            times.append(time.perf_counter() - started)
    return percentiles(times)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--orders", type=int, default=1_000_000)
    p.add_argument("--samples", type=int, default=200)
    args = p.parse_args()
    with practice_platform(args.orders) as shop:
        print(f"machine: {machine()}")
        for name, kind in (("API工厂", PlatformKind.APIFM), ("软猫引擎", PlatformKind.RUANMAO)):
            raw50, raw95 = asyncio.run(measure_raw(shop.account_for(kind), args.samples))
            p50, p95, _rows = asyncio.run(measure(shop.account_for(kind), args.samples))
            print(f"{name}: 200-row order page with goods and logistics at {args.orders:,} orders, "
                  f"{args.samples} requests: HTTP round trip p50 {raw50:.1f} ms, p95 {raw95:.1f} ms; "
                  f"through the adapter (signed, verified, mapped) p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
