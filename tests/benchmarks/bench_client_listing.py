"""Client throughput listing 100,000 orders (every page, bounded concurrency), both adapters.

    .venv/bin/python tests/benchmarks/bench_client_listing.py --orders 100000
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.domain.models import OrderQuery
from app.platform.account import PlatformKind
from app.platform.connect import connect
from tests.benchmarks.common import machine, practice_platform


async def list_all(account, page_size: int) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    async with connect(account) as platform:
        first = await platform.orders.list(OrderQuery(page=1, page_size=page_size))
        pages = await asyncio.gather(*(platform.orders.list(OrderQuery(page=n, page_size=page_size))
                                       for n in range(2, first.total_pages + 1)))
    ids = {b.order.id for page in (first, *pages) for b in page.items}
    return len(ids), time.perf_counter() - started


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--orders", type=int, default=100_000)
    p.add_argument("--page-size", type=int, default=200)
    args = p.parse_args()
    with practice_platform(args.orders) as shop:
        print(f"machine: {machine()}")
        for name, kind in (("API工厂", PlatformKind.APIFM), ("软猫引擎", PlatformKind.RUANMAO)):
            count, elapsed = asyncio.run(list_all(shop.account_for(kind), args.page_size))
            print(f"{name}: listed {count:,} orders in {elapsed:.1f} s = {count / elapsed:,.0f} orders/s "
                  f"(pages of {args.page_size}, with line items, receivers and parcels mapped to domain objects)")


if __name__ == "__main__":
    main()
