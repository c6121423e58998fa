"""The outbox against the practice platform: recorded before sent, sent once, safe across
crashes, outages and conflicts, and every write in the audit log."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from app.platform.account import Account
from app.platform.api import Platform
from app.platform.connect import connect
from app.sandbox.ops import orders as O
from app.sandbox.server import SandboxServer
from app.services import outbox as outbox_service
from app.services.outbox import OutboxService
from app.services.sync import SyncService
from app.store import audit
from app.store import outbox as store
from app.store.database import Cache
from tests.conftest import apifm_account, ruanmao_account

ACCOUNTS = pytest.mark.parametrize("account_for", [apifm_account, ruanmao_account], ids=["apifm", "ruanmao"])
AccountFor = Callable[[SandboxServer], Account]


@dataclass
class Desk:
    """One desk's view: the platform client, its cache and the outbox service over them."""

    platform: Platform
    cache: Cache
    outbox: OutboxService
    sync: SyncService


@asynccontextmanager
async def desk(server: SandboxServer, account_for: AccountFor, cache_path: Path) -> AsyncIterator[Desk]:
    cache = Cache(cache_path)
    # Few, quick retries: an unreachable platform should show as offline at once.
    async with connect(account_for(server), retries=1, backoff=0.01) as platform:
        sync = SyncService(platform, cache)
        yield Desk(platform, cache, OutboxService(platform, cache, operator="小王", account="practice",
                                                  refresh_order=sync.refresh_order), sync)
    cache.close()


def shippable_orders(conn: sqlite3.Connection, n: int = 1) -> list[int]:
    """Paid orders waiting for delivery, nothing shipped yet and no after-sale."""
    return [r[0] for r in conn.execute(
        "SELECT id FROM orders o WHERE status = 1 AND is_need_logistics = 1 AND refund_status = 0"
        " AND NOT EXISTS (SELECT 1 FROM parcels p WHERE p.order_id = o.id)"
        " AND NOT EXISTS (SELECT 1 FROM refund_applies a WHERE a.order_id = o.id AND a.status IN (0, 3))"
        " ORDER BY id LIMIT ?", (n,))]


def courier(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT id FROM couriers WHERE name = '顺丰速运'").fetchone()[0])


def parcels_with(conn: sqlite3.Connection, tracking: str) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM parcels WHERE tracking_number = ?", (tracking,)).fetchone()[0])


def ship_logs(conn: sqlite3.Connection, order_id: int) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM order_logs WHERE order_id = ? AND type = 2",
                            (order_id,)).fetchone()[0])


def counting(monkeypatch: pytest.MonkeyPatch, action: str,
             check: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
    """Wrap an action's execute: every call is listed (and checked first, if asked)."""
    spec = outbox_service.ACTIONS[action]
    calls: list[dict[str, Any]] = []

    def execute(p: Platform, params: dict[str, Any]) -> Awaitable[Any]:
        if check is not None:
            check(params)
        calls.append(params)
        return spec.execute(p, params)

    monkeypatch.setitem(outbox_service.ACTIONS, action, replace(spec, execute=execute))
    return calls


def audit_fields(entry: audit.AuditEntry) -> tuple[Any, Any]:
    return json.loads(entry.before), json.loads(entry.after)


def restart(server: SandboxServer) -> None:
    """Bring a stopped practice platform back on the same address, with the same data."""
    server.config.port = server.port
    server.start()


@ACCOUNTS
@pytest.mark.asyncio
async def test_a_write_is_recorded_before_it_is_sent_sent_once_and_audited(
        fresh_sandbox: SandboxServer, tmp_path: Path, account_for: AccountFor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    conn = fresh_sandbox.state.conn
    (oid,) = shippable_orders(conn)
    tracking = f"SF{8100000000000 + oid}"
    async with desk(fresh_sandbox, account_for, tmp_path / "cache.sqlite") as d:
        await d.sync.refresh_order(oid)
        seen: list[store.OutboxEntry] = []

        def recorded_first(params: dict[str, Any]) -> None:
            # At the moment the platform is called, the intent is already in the cache file.
            rows = store.in_state(d.cache.read, "pending", "sending", "done", "failed", "conflict")
            assert len(rows) == 1 and rows[0].params == params
            assert rows[0].state == "sending" and rows[0].attempts == 1
            assert parcels_with(conn, tracking) == 0  # and nothing has reached the platform yet
            seen.append(rows[0])

        calls = counting(monkeypatch, "order.ship", recorded_first)
        entry = await d.outbox.submit("order.ship", {"order_id": oid, "courier_id": courier(conn),
                                                     "tracking_number": tracking})
        assert len(calls) == 1
        assert entry.id == seen[0].id and re.fullmatch(r"[0-9a-f]{32}", entry.id)  # made here, not by the platform
        assert (entry.state, entry.result, entry.error, entry.attempts) == ("done", "ok", "", 1)
        assert entry.target == f"order:{oid}" and entry.operator == "小王"
        assert parcels_with(conn, tracking) == 1 and ship_logs(conn, oid) == 1
        assert conn.execute("SELECT status FROM orders WHERE id = ?", (oid,)).fetchone()[0] == 2

        (logged,) = audit.entries(d.cache.read, f"order:{oid}")
        before, after = audit_fields(logged)
        assert before["status"] == 1 and after["state"]["status"] == 2
        assert after["params"]["tracking_number"] == tracking
        assert (logged.operator, logged.account, logged.action, logged.result) == (
            "小王", "practice", "order.ship", "done: ok")
        assert audit.verify(d.cache.read) == []
        assert d.outbox.waiting() == [] and d.outbox.problems() == []


@ACCOUNTS
@pytest.mark.parametrize("reached", [True, False], ids=["reached-platform", "never-arrived"])
@pytest.mark.asyncio
async def test_an_entry_caught_sending_by_a_crash_is_settled_by_the_platform_state(
        fresh_sandbox: SandboxServer, tmp_path: Path, account_for: AccountFor, reached: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    conn = fresh_sandbox.state.conn
    (oid,) = shippable_orders(conn)
    tracking = f"YT{8200000000000 + oid}"
    params = {"order_id": oid, "courier_id": courier(conn), "tracking_number": tracking}
    cache_path = tmp_path / "cache.sqlite"

    # The last run recorded the shipment, marked it sending, and died before it heard back.
    crashed = Cache(cache_path)
    entry = crashed.writer.run_sync(lambda c: store.record(c, "order.ship", f"order:{oid}", params, "小王"))
    crashed.writer.run_sync(lambda c: store.mark(c, entry.id, "sending"))
    crashed.close()
    if reached:
        O.ship(conn, oid, params["courier_id"], tracking)

    async with desk(fresh_sandbox, account_for, cache_path) as d:
        calls = counting(monkeypatch, "order.ship")
        assert [e.state for e in d.outbox.waiting()] == ["sending"]
        found = await d.outbox.reconcile()
        assert found == (1 if reached else 0)
        assert calls == []  # reconciling only reads the platform
        await d.outbox.replay()
        settled = store.get(d.cache.read, entry.id)
        assert settled is not None and settled.state == "done"
        assert len(calls) == (0 if reached else 1)
        if reached:
            assert "applied before" in settled.result
        # Exactly one shipment either way.
        assert parcels_with(conn, tracking) == 1 and ship_logs(conn, oid) == 1
        assert await d.outbox.replay() == 0  # nothing left to send
        assert parcels_with(conn, tracking) == 1
        assert [e.result for e in audit.entries(d.cache.read)] == [f"done: {settled.result}"]


@ACCOUNTS
@pytest.mark.asyncio
async def test_offline_writes_wait_in_order_and_replay_when_the_platform_is_back(
        fresh_sandbox: SandboxServer, tmp_path: Path, account_for: AccountFor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = shippable_orders(fresh_sandbox.state.conn, 2)
    sf = courier(fresh_sandbox.state.conn)
    order: list[str] = []
    for action in ("order.remark", "order.ship"):
        counting(monkeypatch, action, lambda params, a=action: order.append(f"{a}:{params['order_id']}"))
    async with desk(fresh_sandbox, account_for, tmp_path / "cache.sqlite") as d:
        assert d.outbox.online
        fresh_sandbox.stop()  # the network is down

        wanted = [("order.remark", {"order_id": first, "remark": "先发顺丰"}),
                  ("order.ship", {"order_id": first, "courier_id": sf, "tracking_number": "SF8300000000001"}),
                  ("order.remark", {"order_id": second, "remark": "客户要求周末送达"}),
                  ("order.ship", {"order_id": second, "courier_id": sf, "tracking_number": "SF8300000000002"})]
        entries = [await d.outbox.submit(action, params) for action, params in wanted]
        assert not d.outbox.online
        assert [e.state for e in entries] == ["pending"] * 4
        assert order == ["order.remark:" + str(first)]  # tried once, then nothing more while offline
        waiting = d.outbox.waiting()
        assert [e.id for e in waiting] == [e.id for e in entries]
        assert [e.seq for e in waiting] == sorted(e.seq for e in waiting)
        assert [(e.action, e.params) for e in waiting] == wanted  # nothing lost
        assert "无法连接" in waiting[0].error

        # Still down: replay stops at once and keeps everything.
        assert await d.outbox.replay() == 0
        assert len(d.outbox.waiting()) == 4 and not d.outbox.online

        restart(fresh_sandbox)
        conn = fresh_sandbox.state.conn
        order.clear()
        assert await d.outbox.replay() == 4
        assert d.outbox.online
        assert order == [f"{a}:{p['order_id']}" for a, p in wanted]  # in the order staff made them
        assert [store.get(d.cache.read, e.id).state for e in entries] == ["done"] * 4  # type: ignore[union-attr]
        assert d.outbox.waiting() == []
        assert conn.execute("SELECT admin_remark FROM orders WHERE id = ?", (second,)).fetchone()[0] == "客户要求周末送达"
        assert parcels_with(conn, "SF8300000000001") == 1 and parcels_with(conn, "SF8300000000002") == 1
        assert ship_logs(conn, first) == 1 and ship_logs(conn, second) == 1
        assert len(audit.entries(d.cache.read)) == 4 and audit.verify(d.cache.read) == []


@ACCOUNTS
@pytest.mark.parametrize("change", ["close", "refund"])
@pytest.mark.asyncio
async def test_a_shipment_queued_while_the_order_was_refunded_is_kept_as_a_conflict(
        fresh_sandbox: SandboxServer, tmp_path: Path, account_for: AccountFor, change: str) -> None:
    (oid,) = shippable_orders(fresh_sandbox.state.conn)
    params = {"order_id": oid, "courier_id": courier(fresh_sandbox.state.conn), "tracking_number": "SF8400000000001"}
    async with desk(fresh_sandbox, account_for, tmp_path / "cache.sqlite") as d:
        await d.sync.refresh_order(oid)
        fresh_sandbox.stop()
        queued = await d.outbox.submit("order.ship", params)
        assert queued.state == "pending"

        restart(fresh_sandbox)
        conn = fresh_sandbox.state.conn
        # Meanwhile, on the platform, the order was closed or refunded in full.
        if change == "close":
            O.close(conn, oid)
        else:
            paid = conn.execute("SELECT amount_real FROM orders WHERE id = ?", (oid,)).fetchone()[0]
            O.refund(conn, oid, paid, 1, None, "客户不要了")
        status = conn.execute("SELECT status FROM orders WHERE id = ?", (oid,)).fetchone()[0]

        assert await d.outbox.replay() == 1
        kept = store.get(d.cache.read, queued.id)
        assert kept is not None and kept.state == "conflict"
        assert "冲突" in kept.error and "不能发货" in kept.error  # the platform's own words too
        assert [e.id for e in d.outbox.problems()] == [queued.id]
        assert d.outbox.waiting() == []
        # Not shipped, not applied twice, and the cache shows the platform's state.
        assert conn.execute("SELECT COUNT(*) FROM parcels WHERE order_id = ?", (oid,)).fetchone()[0] == 0
        assert ship_logs(conn, oid) == 0
        assert conn.execute("SELECT status FROM orders WHERE id = ?", (oid,)).fetchone()[0] == status
        assert d.cache.read.execute("SELECT status FROM orders WHERE id = ?", (oid,)).fetchone()[0] == status
        assert await d.outbox.replay() == 0  # a conflict is not retried
        assert ship_logs(conn, oid) == 0
        (logged,) = audit.entries(d.cache.read)
        assert logged.result.startswith("conflict: ")

        assert await d.outbox.dismiss(queued.id)
        assert d.outbox.problems() == []
        aside = store.get(d.cache.read, queued.id)
        assert aside is not None and aside.state == "dismissed" and aside.error == kept.error  # still explained
        assert not await d.outbox.dismiss(queued.id)  # only a problem can be set aside


@ACCOUNTS
@pytest.mark.asyncio
async def test_a_refusal_that_is_not_a_conflict_fails_with_the_platforms_message(
        fresh_sandbox: SandboxServer, tmp_path: Path, account_for: AccountFor) -> None:
    conn = fresh_sandbox.state.conn
    (oid,) = shippable_orders(conn)
    async with desk(fresh_sandbox, account_for, tmp_path / "cache.sqlite") as d:
        entry = await d.outbox.submit("order.ship", {"order_id": oid, "courier_id": 99_999,
                                                     "tracking_number": "SF8500000000001"})
        assert entry.state == "failed" and entry.attempts == 1
        assert "快递公司不存在" in entry.error  # the platform's own words
        assert [e.id for e in d.outbox.problems()] == [entry.id]
        assert parcels_with(conn, "SF8500000000001") == 0 and ship_logs(conn, oid) == 0
        assert await d.outbox.replay() == 0  # a refusal is not sent again
        (logged,) = audit.entries(d.cache.read)
        assert logged.result.startswith("failed: ") and "快递公司不存在" in logged.result


@ACCOUNTS
@pytest.mark.asyncio
async def test_an_entry_the_platform_cannot_check_does_not_hold_up_the_queue(
        fresh_sandbox: SandboxServer, tmp_path: Path, account_for: AccountFor) -> None:
    conn = fresh_sandbox.state.conn
    (oid,) = shippable_orders(conn)
    cache_path = tmp_path / "cache.sqlite"
    crashed = Cache(cache_path)
    # In flight when the app died: a remark on an order that has since gone from the platform…
    gone = crashed.writer.run_sync(lambda c: store.record(c, "order.remark", "order:987654",
                                                          {"order_id": 987654, "remark": "加急"}, "小王"))
    crashed.writer.run_sync(lambda c: store.mark(c, gone.id, "sending", attempt=True))
    # …and, queued behind it, a remark on an order that is there.
    behind = crashed.writer.run_sync(lambda c: store.record(c, "order.remark", f"order:{oid}",
                                                            {"order_id": oid, "remark": "加急"}, "小王"))
    crashed.close()
    async with desk(fresh_sandbox, account_for, cache_path) as d:
        assert await d.outbox.reconcile() == 0
        failed = store.get(d.cache.read, gone.id)
        assert failed is not None and failed.state == "failed" and failed.error
        assert await d.outbox.replay() == 1
        sent = store.get(d.cache.read, behind.id)
        assert sent is not None and sent.state == "done"
        assert conn.execute("SELECT admin_remark FROM orders WHERE id = ?", (oid,)).fetchone()[0] == "加急"
        assert [e.id for e in d.outbox.problems()] == [gone.id]
