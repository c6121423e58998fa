"""Sync from the practice platform into the cache, through both adapters."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.domain.money import from_cents
from app.platform.account import Account
from app.platform.connect import connect
from app.sandbox.ops import orders as O
from app.sandbox.ops import shop as S
from app.sandbox.server import SandboxServer
from app.sandbox.simulate import step
from app.services.sync import SyncService
from app.store.database import Cache
from tests.conftest import apifm_account, ruanmao_account

ACCOUNTS = pytest.mark.parametrize("account_for", [apifm_account, ruanmao_account], ids=["apifm", "ruanmao"])


def platform_orders(conn: sqlite3.Connection) -> dict[int, tuple]:
    return {r[0]: (r[1], r[2], str(from_cents(r[3])), r[4]) for r in conn.execute(
        "SELECT id, status, refund_status, amount_real, admin_remark FROM orders")}


def cached_orders(cache: Cache) -> dict[int, tuple]:
    return {r[0]: (r[1], r[2], str(from_cents(r[3])), r[4]) for r in cache.read.execute(
        "SELECT id, status, refund_state, amount_paid, admin_remark FROM orders")}


def same_ids(platform: sqlite3.Connection, cache: Cache, table: str, cached: str | None = None, where: str = "") -> None:
    want = {r[0] for r in platform.execute(f"SELECT id FROM {table}{where}")}
    have = {r[0] for r in cache.read.execute(f"SELECT id FROM {cached or table}")}
    assert have == want, f"{table}: missing {sorted(want - have)[:5]}, extra {sorted(have - want)[:5]}"


@ACCOUNTS
@pytest.mark.asyncio
async def test_first_sync_then_incremental_matches_the_platform(
        fresh_sandbox: SandboxServer, tmp_path: Path, account_for: Callable[[SandboxServer], Account]) -> None:
    conn = fresh_sandbox.state.conn
    cache = Cache(tmp_path / "cache.sqlite")
    progress: list[tuple[str, int, int]] = []
    async with connect(account_for(fresh_sandbox)) as platform:
        sync = SyncService(platform, cache, page_size=50, on_progress=lambda *p: progress.append(p))
        await sync.sync_all()
        assert cached_orders(cache) == platform_orders(conn)
        same_ids(conn, cache, "refund_applies", "refunds")
        same_ids(conn, cache, "users")
        same_ids(conn, cache, "withdrawals")
        same_ids(conn, cache, "ledger", "ledger", " WHERE kind IN ('balance', 'points')" if account_for is apifm_account
                 else "")
        assert ("orders", 8, 8) in progress  # 400 orders in pages of 50

        # Changes on the platform: staff elsewhere ship and remark, customers act.
        shippable = [r[0] for r in conn.execute(
            "SELECT id FROM orders WHERE status = 1 AND is_need_logistics = 1 AND refund_status = 0 LIMIT 3")]
        for oid in shippable:
            O.ship(conn, oid, 1, f"SF{7000000000000 + oid}")
        O.set_remark(conn, 5, "电话确认过地址")
        rng = random.Random(5)
        for _ in range(60):
            step(fresh_sandbox.state, rng)  # type: ignore[arg-type]
        before = platform.orders  # the same client keeps working
        result = await sync.sync("orders")
        assert before is platform.orders and not result.full
        assert result.written < 400  # only what changed (plus the overlap), not everything again
        assert cached_orders(cache) == platform_orders(conn)
        for oid in shippable:
            assert cache.read.execute("SELECT tracking_numbers FROM orders WHERE id = ?", (oid,)).fetchone()[0] == \
                f"SF{7000000000000 + oid}"
    cache.close()


@pytest.mark.asyncio
async def test_changes_during_the_first_sync_are_not_lost(make_sandbox: Callable[..., SandboxServer],
                                                           tmp_path: Path) -> None:
    server = make_sandbox(orders=1200, chaos="latency=5ms")
    conn = server.state.conn
    cache = Cache(tmp_path / "cache.sqlite")
    rng = random.Random(9)

    async def customers() -> None:
        while True:
            step(server.state, rng)  # type: ignore[arg-type]
            await asyncio.sleep(0.005)

    async with connect(apifm_account(server)) as platform:
        sync = SyncService(platform, cache, page_size=50, concurrency=3)
        busy = asyncio.ensure_future(customers())
        await sync.sync("orders")
        busy.cancel()
        await asyncio.gather(busy, return_exceptions=True)
        await sync.sync("orders")
    assert cached_orders(cache) == platform_orders(conn)
    cache.close()


@pytest.mark.asyncio
async def test_refresh_one_order_brings_its_log_and_refunds(sandbox: SandboxServer, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite")
    order_id = sandbox.state.conn.execute("SELECT order_id FROM refund_applies LIMIT 1").fetchone()[0]
    async with connect(ruanmao_account(sandbox)) as platform:
        await SyncService(platform, cache).refresh_order(order_id)
    logs = cache.read.execute("SELECT COUNT(*) FROM order_logs WHERE order_id = ?", (order_id,)).fetchone()[0]
    want = sandbox.state.conn.execute("SELECT COUNT(*) FROM order_logs WHERE order_id = ?", (order_id,)).fetchone()[0]
    assert logs == want > 0
    assert cache.read.execute("SELECT COUNT(*) FROM refunds WHERE order_id = ?", (order_id,)).fetchone()[0] >= 1
    cache.close()


@pytest.mark.asyncio
async def test_a_future_timestamp_does_not_hide_later_changes(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    conn = fresh_sandbox.state.conn
    cache = Cache(tmp_path / "cache.sqlite")
    async with connect(apifm_account(fresh_sandbox)) as platform:
        sync = SyncService(platform, cache, page_size=100)
        await sync.sync("orders")
        # A record the platform stamped an hour ahead (bad data or a skewed server clock).
        conn.execute("UPDATE orders SET date_update = datetime(date_update, '+1 day') WHERE id = 7")
        O.set_remark(conn, 9, "放前台")  # a change made after it
        await sync.sync("orders")
        cursor = cache.read.execute("SELECT cursor FROM sync_state WHERE resource = 'orders'").fetchone()[0]
        assert cursor <= platform.server_now().isoformat(" ")
        O.set_remark(conn, 11, "周六再送")
        await sync.sync("orders")
    remarks = dict(cache.read.execute("SELECT id, admin_remark FROM orders WHERE id IN (9, 11)").fetchall())
    assert remarks == {9: "放前台", 11: "周六再送"}
    cache.close()


@pytest.mark.asyncio
async def test_the_platform_clock_is_china_time_whatever_the_desk_says(sandbox: SandboxServer) -> None:
    from datetime import datetime, timedelta, timezone

    async with connect(ruanmao_account(sandbox)) as platform:
        await platform.couriers.list()  # one signed answer teaches the client the server's clock
        china = datetime.now(timezone(timedelta(hours=8))).replace(tzinfo=None)
        assert abs((platform.server_now() - china).total_seconds()) < 5


@pytest.mark.asyncio
async def test_deletions_and_closures_on_the_platform_show_in_the_cache(fresh_sandbox: SandboxServer,
                                                                         tmp_path: Path) -> None:
    from app.sandbox.ops import cms as C
    from app.sandbox.ops import vouchers as V

    conn = fresh_sandbox.state.conn
    cache = Cache(tmp_path / "cache.sqlite")
    async with connect(apifm_account(fresh_sandbox)) as platform:
        sync = SyncService(platform, cache)
        await sync.sync_all()
        assert cache.read.execute("SELECT COUNT(*) FROM articles WHERE id = 3").fetchone()[0] == 1
        C.delete_item(conn, "cms_articles", 3)
        C.delete_item(conn, "notices", 2)
        V.delete_coupon(conn, 1)
        unpaid = S.create_order(conn, 8, [{"goodsId": 4, "number": 1}], None)["id"]
        await sync.sync("orders")
        O.close(conn, unpaid)
        for name in ("articles", "notices", "coupons", "orders"):
            await sync.sync(name)
    read = cache.read
    assert read.execute("SELECT COUNT(*) FROM articles WHERE id = 3").fetchone()[0] == 0
    assert read.execute("SELECT COUNT(*) FROM notices WHERE id = 2").fetchone()[0] == 0
    assert read.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == \
        conn.execute("SELECT COUNT(*) FROM cms_articles WHERE status = 0").fetchone()[0]
    assert read.execute("SELECT status FROM orders WHERE id = ?", (unpaid,)).fetchone()[0] == -1
    coupon = read.execute("SELECT data FROM coupons WHERE id = 1").fetchone()[0]
    assert '"status":1' in coupon  # a deleted coupon template stays listed, marked off
    cache.close()
