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
from app.services.practice import PracticeShop
from tests.benchmarks.common import big_shop, machine, percentiles


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


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--orders", type=int, default=1_000_000)
    p.add_argument("--samples", type=int, default=200)
    args = p.parse_args()
    shop = PracticeShop(big_shop(args.orders), simulate=0)  # the platform in its own process, as in the app
    shop.start(timeout=600)
    try:
        print(f"machine: {machine()}")
        for name, kind in (("API工厂", PlatformKind.APIFM), ("软猫引擎", PlatformKind.RUANMAO)):
            p50, p95, rows = asyncio.run(measure(shop.account_for(kind), args.samples))
            print(f"{name}: 200-row order page with goods and logistics at {args.orders:,} orders, "
                  f"{args.samples} requests: p50 {p50:.1f} ms, p95 {p95:.1f} ms (client included; {rows:,} rows)")
    finally:
        shop.stop()


if __name__ == "__main__":
    main()
