"""Batch ship 1,000 orders from an XLSX against the practice platform with a bad network,
then the same orders one by one; every order must be shipped exactly once.

Ours: read_rows + dry_run + BatchRunner (start, run with bounded concurrency) through the
outbox, as the batch dialog does. One by one: the same 1,000 orders on a fresh practice
shop built from the same seed, each shipped with OutboxService.submit in sequence — the
same client, the same outbox, the same refresh of the order after each write. Both shops
run in their own process (as under the app) with ``--chaos latency=100ms,error=0.05``.
Goal: one-by-one time / ours >= 4.

    .venv/bin/python tests/benchmarks/bench_batch_ship.py [--orders 1000] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.platform.account import Account
from app.platform.connect import connect
from app.sandbox.db import connect as sandbox_connect
from app.sandbox.seed import SeedOptions, seed_shop
from app.services import batch_ship
from app.services.batch_apply import BatchRunner
from app.services.outbox import OutboxService
from app.services.practice import PracticeShop
from app.services.sync import SyncService
from app.store.database import Cache
from tests.benchmarks.common import machine
from tests.integration import batch_support as support

CHAOS = "latency=100ms,error=0.05"
BASE_ORDERS = 400  # the seeded shop around the orders to ship


def build_shop(path: Path, to_ship: int) -> tuple[list[int], dict[int, tuple[str, ...]]]:
    conn = sandbox_connect(path)
    seed_shop(conn, SeedOptions(seed=7, orders=BASE_ORDERS))
    order_ids = support.add_orders_to_ship(conn, to_ship, seed=11)
    numbers = support.numbers_for(conn, order_ids, base=6_100_000_000_000)
    conn.close()
    return order_ids, numbers


async def desk(account: Account, cache_path: Path) -> None:
    """Sync what a desk has before a batch (not timed)."""
    cache = Cache(cache_path)
    async with connect(account) as platform:
        sync = SyncService(platform, cache)
        await sync.sync("orders")
        await sync.sync("couriers")
    cache.close()


async def ours(account: Account, cache_path: Path, xlsx: Path, concurrency: int) -> tuple[float, dict[str, float]]:
    cache = Cache(cache_path)
    phases: dict[str, float] = {}
    async with connect(account) as platform:
        sync = SyncService(platform, cache)
        outbox = OutboxService(platform, cache, operator="基准", account="practice", refresh_order=sync.refresh_order)
        runner = BatchRunner(cache, outbox, concurrency=concurrency)
        started = time.perf_counter()
        read = batch_ship.read_rows(xlsx)
        phases["read_rows"] = time.perf_counter() - started
        verdicts = batch_ship.dry_run(cache.read, read.rows)
        phases["dry_run"] = time.perf_counter() - started - phases["read_rows"]
        kinds = batch_ship.summarize(verdicts)
        if kinds.ok != len(verdicts):
            raise SystemExit(f"dry run not all ok: {kinds.text('en')}")
        batch_id = await runner.start(verdicts, xlsx, read.header)
        batch = await runner.run(batch_id)
        rounds = 0
        while batch.state != "done" and rounds < 10:  # what staff do with the failures
            batch = await runner.retry_failed(batch_id)
            rounds += 1
        elapsed = time.perf_counter() - started
        phases["apply"] = elapsed - phases["read_rows"] - phases["dry_run"]
        phases["retry_rounds"] = rounds
        phases["transport_retries"] = platform.transport.stats["retries"]  # type: ignore[attr-defined]
        if batch.state != "done":
            raise SystemExit(f"batch ended {batch.state}: {batch.failed} failed")
    cache.close()
    return elapsed, phases


async def one_by_one(account: Account, cache_path: Path, numbers: dict[int, tuple[str, ...]],
                     courier_id: int) -> tuple[float, int]:
    cache = Cache(cache_path)
    async with connect(account) as platform:
        sync = SyncService(platform, cache)
        outbox = OutboxService(platform, cache, operator="基准", account="practice", refresh_order=sync.refresh_order)
        started = time.perf_counter()
        for order_id, tracking in numbers.items():
            entry = await outbox.submit("order.ship", {"order_id": order_id, "courier_id": courier_id,
                                                       "tracking_number": tracking[0]})
            if entry.state != "done":
                await outbox.replay()  # a send that gave up: sent again (checked first) before the next
        while outbox.waiting():
            await outbox.replay()
        elapsed = time.perf_counter() - started
        problems = len(outbox.problems())
    cache.close()
    return elapsed, problems


def check_once(path: Path, numbers: dict[int, tuple[str, ...]]) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return support.exactly_once(conn, numbers)
    finally:
        conn.close()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--orders", type=int, default=1000)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--chaos", default=CHAOS)
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        template = work / "shop.sqlite"
        _, numbers = build_shop(template, args.orders)
        shops = {name: work / f"{name}.sqlite" for name in ("batch", "sequence")}
        for target in shops.values():  # two fresh shops from the same seed
            shutil.copy2(template, target)
        conn = sqlite3.connect(template)
        courier_id = conn.execute("SELECT id FROM couriers WHERE name = ?", (support.COURIER,)).fetchone()[0]
        xlsx = support.write_xlsx(work / "发货.xlsx", conn, numbers)
        conn.close()
        print(f"machine: {machine()}")
        print(f"{args.orders:,} orders to ship, chaos {args.chaos!r}, concurrency {args.concurrency}")

        results: dict[str, float] = {}
        for name, path in shops.items():
            shop = PracticeShop(path, simulate=0, orders=BASE_ORDERS, chaos=args.chaos)
            account = shop.start(timeout=300)
            try:
                cache_path = work / f"{name}-cache.sqlite"
                asyncio.run(desk(account, cache_path))
                if name == "batch":
                    elapsed, phases = asyncio.run(ours(account, cache_path, xlsx, args.concurrency))
                    print(f"batch file: {elapsed:.1f} s ({args.orders / elapsed:.1f} orders/s): "
                          + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                                      for k, v in phases.items()))
                else:
                    elapsed, problems = asyncio.run(one_by_one(account, cache_path, numbers, courier_id))
                    print(f"one by one: {elapsed:.1f} s ({args.orders / elapsed:.1f} orders/s), "
                          f"{problems} left failed")
                results[name] = elapsed
            finally:
                shop.stop()
            wrong = check_once(path, numbers)
            print(f"  platform side: {len(numbers) - len(wrong):,} of {len(numbers):,} orders shipped exactly once"
                  + (f"; WRONG: {wrong[:5]}" if wrong else ""))
        print(f"ratio (one by one / batch): {results['sequence'] / results['batch']:.1f}x (goal >= 4x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
