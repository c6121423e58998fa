"""The sync schedule: quiet while offline, each resource at its own pace while online, and
a platform error only postpones the resource it hit."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from app.domain.models import OrderQuery
from app.platform.connect import connect
from app.platform.errors import ServerError
from app.sandbox.db import now
from app.sandbox.server import SandboxServer
from app.services import sync as sync_module
from app.services.sync import SyncService
from app.store import sync_state
from app.store.database import Cache
from tests.conftest import apifm_account

ORDERS_EVERY = 0.25  # seconds, instead of about 30
TICK = 0.02


async def until(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(TICK)


@pytest.mark.asyncio
async def test_schedule_follows_online_intervals_and_survives_errors(
        make_sandbox: Callable[..., SandboxServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Orders often, everything else once an hour (as couriers are): only orders come round again.
    fast = tuple(replace(r, interval=ORDERS_EVERY if r.name == "orders" else 3600) for r in sync_module.RESOURCES)
    monkeypatch.setattr(sync_module, "RESOURCES", fast)
    monkeypatch.setattr(sync_module, "BY_NAME", {r.name: r for r in fast})
    server = make_sandbox(orders=100)
    cache = Cache(tmp_path / "cache.sqlite")
    online = False
    runs: list[tuple[str, float]] = []

    async with connect(apifm_account(server)) as platform:
        service = SyncService(platform, cache, page_size=100)
        sync = service.sync

        async def counted(name: str) -> Any:
            runs.append((name, time.monotonic()))
            return await sync(name)

        monkeypatch.setattr(service, "sync", counted)
        listing = platform.orders.list
        failures = 0

        async def flaky(query: OrderQuery) -> Any:
            nonlocal failures
            if failing:
                failures += 1
                raise ServerError("HTTP 503")
            return await listing(query)

        failing = False
        monkeypatch.setattr(platform.orders, "list", flaky)
        names = {r.name for r in service.resources()}
        task = asyncio.create_task(service.run_forever(lambda: online, tick=TICK))
        try:
            await asyncio.sleep(0.3)
            assert runs == [] and platform.transport.stats["requests"] == 0  # offline: nothing is fetched
            assert sync_state.all_states(cache.read) == []

            online = True
            await until(lambda: {n for n, _ in runs} == names)
            assert all(s.full_done for s in sync_state.all_states(cache.read))
            assert cache.read.execute("SELECT COUNT(*) FROM orders").fetchone()[0] == 100
            settled = len(runs)
            await until(lambda: sum(n == "orders" for n, _ in runs[settled:]) >= 2)
            assert {n for n, _ in runs[settled:]} == {"orders"}  # the others are not due for an hour
            times = [t for n, t in runs if n == "orders"]
            assert all(b - a >= ORDERS_EVERY * 0.9 for a, b in itertools.pairwise(times))

            # The platform fails: orders are postponed, the schedule keeps going.
            failing = True
            await until(lambda: failures >= 2)
            assert not task.done()
            failing = False
            before = sync_state.load(cache.read, "orders").synced_at
            server.state.conn.execute("UPDATE orders SET admin_remark = '补发赠品', date_update = ? WHERE id = 7",
                                      (now(),))
            server.state.conn.commit()
            await until(lambda: cache.read.execute("SELECT admin_remark FROM orders WHERE id = 7").fetchone()[0]
                        == "补发赠品")
            assert sync_state.load(cache.read, "orders").synced_at >= before

            # Offline again: the schedule goes quiet.
            online = False
            await asyncio.sleep(ORDERS_EVERY)  # a sync under way may finish
            quiet = len(runs)
            await asyncio.sleep(ORDERS_EVERY * 2)
            assert len(runs) == quiet and not task.done()
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    cache.close()
