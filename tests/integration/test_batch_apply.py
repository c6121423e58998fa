"""Applying a batch-ship file against the practice platform: concurrent, partial success,
retried, resumed after a real SIGKILL, and every order shipped exactly once as the
platform itself counts it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.platform.api import Platform
from app.platform.connect import connect
from app.platform.errors import ServerError
from app.sandbox.chaos import ChaosSpec
from app.sandbox.server import SandboxServer
from app.services import batch_ship
from app.services import outbox as outbox_service
from app.services.batch_apply import BatchRunner
from app.services.outbox import OutboxService
from app.services.sync import SyncService
from app.store import outbox as outbox_store
from app.store import ship_batches
from app.store.database import Cache
from tests.conftest import apifm_account
from tests.integration import batch_support as support

ROOT = Path(__file__).resolve().parents[2]
MakeSandbox = Callable[..., SandboxServer]


@dataclass
class Desk:
    platform: Platform
    cache: Cache
    outbox: OutboxService
    runner: BatchRunner


@asynccontextmanager
async def desk(server: SandboxServer, cache_path: Path, *, concurrency: int = 8,
               **options: float) -> AsyncIterator[Desk]:
    cache = Cache(cache_path)
    async with connect(apifm_account(server), **options) as platform:
        sync = SyncService(platform, cache)
        outbox = OutboxService(platform, cache, operator="小王", account="practice", refresh_order=sync.refresh_order)
        yield Desk(platform, cache, outbox, BatchRunner(cache, outbox, concurrency=concurrency))
    cache.close()


async def synced_cache(server: SandboxServer, cache_path: Path) -> None:
    """What a desk has before a batch: the orders and the courier list, synced."""
    cache = Cache(cache_path)
    async with connect(apifm_account(server)) as platform:
        sync = SyncService(platform, cache)
        await sync.sync("orders")
        await sync.sync("couriers")
    cache.close()


def counting(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Every call the outbox makes to the platform to ship or add numbers."""
    calls: list[tuple[str, dict[str, Any]]] = []
    for action in ("order.ship", "order.add_tracking"):
        spec = outbox_service.ACTIONS[action]

        def execute(p: Platform, params: dict[str, Any], spec: outbox_service.Action = spec) -> Awaitable[Any]:
            calls.append((spec.name, params))
            return spec.execute(p, params)

        monkeypatch.setitem(outbox_service.ACTIONS, action, replace(spec, execute=execute))
    return calls


def check(cache: Cache, path: Path) -> list[batch_ship.Verdict]:
    return batch_ship.dry_run(cache.read, batch_ship.read_rows(path).rows)


def prepare(server: SandboxServer, tmp_path: Path, n: int, base: int) -> tuple[dict[int, tuple[str, ...]], Path]:
    conn = server.state.conn
    order_ids = support.add_orders_to_ship(conn, n)
    numbers = support.numbers_for(conn, order_ids, base=base, two_every=7)
    return numbers, support.write_xlsx(tmp_path / "发货.xlsx", conn, numbers)


@pytest.mark.asyncio
async def test_a_file_is_applied_concurrently_once_and_a_second_run_ships_nothing(
        make_sandbox: MakeSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make_sandbox(orders=200, chaos="latency=20ms")
    numbers, path = prepare(server, tmp_path, 60, base=5_100_000_000_000)
    cache_path = tmp_path / "cache.sqlite"
    await synced_cache(server, cache_path)
    calls = counting(monkeypatch)
    async with desk(server, cache_path) as d:
        verdicts = check(d.cache, path)
        assert {v.kind for v in verdicts} == {"ok"}, [v.message("en") for v in verdicts if v.kind != "ok"]
        batch_id = await d.runner.start(verdicts, path, batch_ship.read_rows(path).header)
        recorded = ship_batches.get(d.cache.read, batch_id)
        assert recorded is not None and (recorded.state, recorded.rows, recorded.to_send) == ("dry_run", 60, 60)
        assert calls == []  # recording sends nothing

        # How many shipments are in flight at once, as the platform's transport sees them.
        in_flight, most = 0, 0
        ship = outbox_service.ACTIONS["order.ship"]

        async def timed(p: Platform, params: dict[str, Any]) -> Any:
            nonlocal in_flight, most
            in_flight += 1
            most = max(most, in_flight)
            try:
                return await ship.execute(p, params)
            finally:
                in_flight -= 1

        monkeypatch.setitem(outbox_service.ACTIONS, "order.ship", replace(ship, execute=timed))
        progress: list[tuple[int, int]] = []
        batch = await d.runner.run(batch_id, lambda done, total: progress.append((done, total)))

        assert (batch.state, batch.done, batch.failed) == ("done", 60, 0)
        assert 1 < most <= 8  # concurrent, and never more than asked
        assert progress[0] == (0, 60) and progress[-1] == (60, 60)
        assert [p[0] for p in progress] == sorted(p[0] for p in progress)
        assert support.exactly_once(server.state.conn, numbers) == []
        two = sum(len(n) > 1 for n in numbers.values())
        assert len([c for c in calls if c[0] == "order.add_tracking"]) == two
        assert len([c for c in calls if c[0] == "order.ship"]) == 60
        assert {r.state for r in ship_batches.rows(d.cache.read, batch_id)} == {"done"}

        # The results file: every row shipped, so importing it again would skip them all.
        results = batch_ship.write_results(tmp_path / "结果.xlsx", d.runner.results(batch_id),
                                           batch_ship.read_rows(path).header)
        sheet = load_workbook(results).active
        assert [row[3].value for row in sheet.iter_rows(min_row=2)] == ["跳过"] * 60

        # The same file again: the dry run finds everything done; applying it sends nothing.
        calls.clear()
        again = check(d.cache, path)
        assert {v.kind for v in again} == {"skip"}
        second = await d.runner.start(again, path)
        ended = await d.runner.run(second)
        assert (ended.state, ended.to_send, ended.skipped) == ("done", 0, 60)
        assert calls == []
        assert support.exactly_once(server.state.conn, numbers) == []
        # The first batch run again is a no-op too: its rows are done.
        assert (await d.runner.run(batch_id)).done == 60 and calls == []


@pytest.mark.asyncio
async def test_failures_are_kept_with_the_platforms_message_and_retried_once_each(
        make_sandbox: MakeSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make_sandbox(orders=200)
    numbers, path = prepare(server, tmp_path, 60, base=5_200_000_000_000)
    cache_path = tmp_path / "cache.sqlite"
    await synced_cache(server, cache_path)
    # A bad network from now on: 5xx before handling, and connections dropped, half of them
    # after the platform applied the write (the desk cannot know which).
    server.state.chaos.spec = ChaosSpec.parse("latency=5ms,error=0.2,reset=0.05")
    calls = counting(monkeypatch)
    # And, for certain, some answers lost after the platform applied the write: a blind
    # resend of these would ship twice (the platform would refuse it as already shipped).
    lost = set(list(numbers)[::10])
    lose_once = set(lost)
    lost_after: dict[int, int] = {}
    for action in ("order.ship", "order.add_tracking"):
        spec = outbox_service.ACTIONS[action]

        async def applied_then_lost(p: Platform, params: dict[str, Any], spec: outbox_service.Action = spec) -> Any:
            result = await spec.execute(p, params)
            if params["order_id"] in lose_once:
                lose_once.discard(params["order_id"])
                lost_after[params["order_id"]] = len(calls)  # every platform call up to this one
                raise ServerError("HTTP 502 (answer lost)")
            return result

        monkeypatch.setitem(outbox_service.ACTIONS, action, replace(spec, execute=applied_then_lost))
    # No retries in the transport: every fault reaches the batch.
    async with desk(server, cache_path, retries=0, backoff=0.01) as d:
        batch_id = await d.runner.start(check(d.cache, path), path)
        first = await d.runner.run(batch_id)
        assert first.state == "stopped" and first.failed > 0 and first.done > 0
        assert first.done + first.failed == 60
        failed = ship_batches.rows(d.cache.read, batch_id, "failed")
        assert all(r.message for r in failed)  # each one says why
        # Partial success in the results file: failures as errors with their message.
        verdicts = d.runner.results(batch_id)
        assert sum(v.kind == "error" for v in verdicts) == first.failed
        assert sum(v.kind == "skip" for v in verdicts) == first.done

        rounds = 0
        batch = first
        while batch.state != "done" and rounds < 15:
            batch = await d.runner.retry_failed(batch_id)
            rounds += 1
        assert batch.state == "done", [r.message for r in ship_batches.rows(d.cache.read, batch_id, "failed")]
        assert batch.done == 60
    # Whatever the faults did, each order was shipped once, with exactly its numbers.
    assert support.exactly_once(server.state.conn, numbers) == []
    # The lost answers were checked on the platform, not sent again. (An order whose write
    # the chaos had already settled otherwise, e.g. applied and then the connection cut,
    # never reached the injected loss: it was checked the same way.)
    assert lost_after and set(lost_after) <= lost
    for order_id, seen in lost_after.items():
        assert [p for name, p in calls[seen:] if name == "order.ship" and p["order_id"] == order_id] == []


def _rows_by_state(cache_path: Path) -> dict[str, int]:
    try:
        conn = sqlite3.connect(f"file:{cache_path}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return {}
    try:
        return dict(conn.execute("SELECT state, COUNT(*) FROM ship_batch_rows GROUP BY state").fetchall())
    except sqlite3.Error:
        return {}
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_batch_killed_in_the_middle_resumes_and_ships_each_order_once(
        make_sandbox: MakeSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = make_sandbox(orders=200, chaos="latency=100ms")
    numbers, path = prepare(server, tmp_path, 60, base=5_300_000_000_000)
    cache_path = tmp_path / "cache.sqlite"
    await synced_cache(server, cache_path)
    cache = Cache(cache_path)
    async with connect(apifm_account(server)) as platform:
        outbox = OutboxService(platform, cache, operator="小王", account="practice")
        batch_id = await BatchRunner(cache, outbox).start(check(cache, path), path)
    cache.close()

    child = subprocess.Popen([sys.executable, "-m", "tests.integration.batch_child", server.base_url,
                              str(cache_path), str(batch_id), "6"], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    states: dict[str, int] = {}
    while time.monotonic() < deadline and child.poll() is None:
        states = _rows_by_state(cache_path)
        if states.get("done", 0) >= 12:
            break
        time.sleep(0.01)
    assert child.poll() is None, f"the batch ended before it could be killed: {child.communicate()}"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL
    time.sleep(0.5)  # requests the child had sent are still answered by the platform

    killed = _rows_by_state(cache_path)
    assert 12 <= killed.get("done", 0) < 60, killed
    assert killed.get("sending", 0) > 0, killed  # caught with shipments in flight
    calls = counting(monkeypatch)
    async with desk(server, cache_path) as d:
        assert [b.id for b in ship_batches.unfinished(d.cache.read)] == [batch_id]
        in_flight = ship_batches.rows(d.cache.read, batch_id, "sending")
        entries = [outbox_store.get(d.cache.read, e) for r in in_flight for e in r.entry_ids]
        assert all(e is not None for e in entries)  # every row in flight knows its outbox entry
        batch = await d.runner.resume(batch_id)
        assert (batch.state, batch.done) == ("done", 60)
        assert ship_batches.unfinished(d.cache.read) == []
        # Only orders the killed run had not finished were sent, and none of those twice.
        resent = [p["order_id"] for name, p in calls if name == "order.ship"]
        assert len(resent) == len(set(resent)) <= 60 - killed["done"]
    assert support.exactly_once(server.state.conn, numbers) == []
