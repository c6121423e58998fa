"""The address change through the outbox: sent once, checked on the platform before a retry."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.sandbox.server import SandboxServer
from app.services.ship_one import check_receiver
from app.store import outbox as store
from tests.integration.test_outbox import ACCOUNTS, AccountFor, counting, desk, shippable_orders


@ACCOUNTS
@pytest.mark.asyncio
async def test_change_receiver_is_sent_once_and_found_applied_on_a_retry(
        fresh_sandbox: SandboxServer, tmp_path: Path, account_for: AccountFor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    conn = fresh_sandbox.state.conn
    (oid,) = shippable_orders(conn)
    params = {"order_id": oid, **check_receiver("周晓明", "13912345678", "330106000000", "文三路 90 号")}
    async with desk(fresh_sandbox, account_for, tmp_path / "cache.sqlite") as d:
        await d.sync.refresh_order(oid)
        calls = counting(monkeypatch, "order.change_receiver")
        entry = await d.outbox.submit("order.change_receiver", params)
        assert entry.state == "done" and len(calls) == 1
        row = conn.execute("SELECT link_man, mobile, district_id FROM orders WHERE id = ?", (oid,)).fetchone()
        assert tuple(row) == ("周晓明", "13912345678", "330106000000")
        cached = d.cache.read.execute("SELECT receiver_name, district FROM orders WHERE id = ?", (oid,)).fetchone()
        assert tuple(cached) == ("周晓明", "西湖区")
        # As if the answer had been lost: the retry reads the platform and sends nothing.
        await d.cache.writer.run(lambda c: store.requeue(c, entry.id, "lost"))
        await d.outbox.replay()
        assert len(calls) == 1 and store.get(d.cache.read, entry.id).state == "done"  # type: ignore[union-attr]
