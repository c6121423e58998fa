"""Bad data from the platform is skipped row by row, counted, and never stops the sync or
harms the cache; a page cut short in transit is fetched again."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.platform.account import Account
from app.platform.connect import connect
from app.sandbox.db import now
from app.sandbox.server import SandboxServer
from app.services.sync import SyncService
from app.store import sync_state
from app.store.database import Cache
from tests.conftest import apifm_account, ruanmao_account

ACCOUNTS = pytest.mark.parametrize("account_for", [apifm_account, ruanmao_account], ids=["apifm", "ruanmao"])


def ids(conn: sqlite3.Connection, sql: str) -> set[int]:
    return {r[0] for r in conn.execute(sql)}


def corrupt(conn: sqlite3.Connection) -> dict[str, set[int]]:
    """Rows a careless platform might send, touched now so that every kind of sync sees them."""
    ts = now()
    bad_orders = sorted(ids(conn, "SELECT id FROM orders ORDER BY id LIMIT 2"))
    conn.execute("UPDATE orders SET status = 99, date_update = ? WHERE id = ?", (ts, bad_orders[0]))
    conn.execute("UPDATE orders SET date_add = 'not a date', date_update = ? WHERE id = ?", (ts, bad_orders[1]))
    (bad_refund,) = ids(conn, "SELECT id FROM refund_applies ORDER BY id LIMIT 1")
    conn.execute("UPDATE refund_applies SET type = '', date_update = ? WHERE id = ?", (ts, bad_refund))
    (bad_user,) = ids(conn, "SELECT id FROM users ORDER BY id LIMIT 1 OFFSET 2")
    conn.execute("UPDATE users SET date_add = '2026-13-45 99:99:99', date_update = ? WHERE id = ?", (ts, bad_user))
    conn.commit()
    return {"orders": set(bad_orders), "refunds": {bad_refund}, "users": {bad_user}}


def assert_intact(cache: Cache) -> None:
    assert cache.read.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert cache.read.execute("PRAGMA foreign_key_check").fetchall() == []
    # The search index still matches the orders table row for row.
    assert cache.read.execute("SELECT COUNT(*) FROM order_search_fts_docsize").fetchone()[0] == \
        cache.read.execute("SELECT COUNT(*) FROM orders").fetchone()[0]


@ACCOUNTS
@pytest.mark.asyncio
async def test_bad_rows_are_skipped_and_counted_and_the_rest_arrives(
        fresh_sandbox: SandboxServer, tmp_path: Path, account_for: Callable[[SandboxServer], Account]) -> None:
    conn = fresh_sandbox.state.conn
    bad = corrupt(conn)
    cache = Cache(tmp_path / "cache.sqlite")
    async with connect(account_for(fresh_sandbox)) as platform:
        sync = SyncService(platform, cache, page_size=50)
        results = {r.resource: r for r in await sync.sync_all()}
    assert all(r.full for r in results.values())  # nothing stopped the sync
    for resource, table, cached in (("orders", "orders", "orders"), ("refunds", "refund_applies", "refunds"),
                                    ("users", "users", "users")):
        good = ids(conn, f"SELECT id FROM {table}") - bad[resource]
        assert ids(cache.read, f"SELECT id FROM {cached}") == good, resource
        assert results[resource].skipped >= len(bad[resource]), resource
        assert sync_state.load(cache.read, resource).skipped == results[resource].skipped, resource
    assert results["withdrawals"].skipped == 0 and sync_state.load(cache.read, "withdrawals").skipped == 0
    assert_intact(cache)
    cache.close()


@ACCOUNTS
@pytest.mark.asyncio
async def test_a_page_with_skipped_rows_is_not_taken_for_the_last_page(
        fresh_sandbox: SandboxServer, tmp_path: Path, account_for: Callable[[SandboxServer], Account]) -> None:
    """Incremental sync: 120 orders changed, the first few of them unreadable. A page that
    comes back short because rows were dropped must not end the walk."""
    conn = fresh_sandbox.state.conn
    cache = Cache(tmp_path / "cache.sqlite")
    async with connect(account_for(fresh_sandbox)) as platform:
        sync = SyncService(platform, cache, page_size=40)
        await sync.sync("orders")
        changed = sorted(ids(conn, "SELECT id FROM orders ORDER BY id LIMIT 120"))
        ts = now()
        conn.executemany("UPDATE orders SET admin_remark = ?, date_update = ? WHERE id = ?",
                         [(f"批量备注{oid}", ts, oid) for oid in changed])
        conn.executemany("UPDATE orders SET status = 99 WHERE id = ?", [(oid,) for oid in changed[:3]])
        conn.commit()
        result = await sync.sync("orders")
    assert not result.full and result.skipped >= 3
    remarks = dict(cache.read.execute("SELECT id, admin_remark FROM orders").fetchall())
    missed = [oid for oid in changed[3:] if remarks[oid] != f"批量备注{oid}"]
    assert missed == [], f"{len(missed)} changed orders never arrived"
    assert_intact(cache)
    cache.close()


@ACCOUNTS
@pytest.mark.asyncio
async def test_truncated_pages_are_fetched_again(make_sandbox: Callable[..., SandboxServer], tmp_path: Path,
                                                 account_for: Callable[[SandboxServer], Account]) -> None:
    server = make_sandbox(orders=400, chaos="truncate=0.2")
    conn = server.state.conn
    cache = Cache(tmp_path / "cache.sqlite")
    async with connect(account_for(server), backoff=0.01) as platform:
        result = await SyncService(platform, cache, page_size=25, concurrency=3).sync("orders")
    assert server.state.chaos.counts["truncate"] > 0  # some answers really were cut short
    assert result.skipped == 0  # a cut-off page is retried, not counted as bad rows
    cached = {r[0]: (r[1], r[2]) for r in cache.read.execute("SELECT id, status, updated_at FROM orders")}
    want = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, status, date_update FROM orders")}
    assert cached == want
    assert sync_state.load(cache.read, "orders").full_done
    assert_intact(cache)
    cache.close()
