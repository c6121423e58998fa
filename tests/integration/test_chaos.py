"""Faults on the wire: listings stay complete and exact, writes are never applied twice."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from app.domain.models import OrderQuery
from app.platform.account import Account
from app.platform.api import ShipRequest
from app.platform.connect import connect
from app.sandbox.server import SandboxServer
from tests.conftest import apifm_account, ruanmao_account

ACCOUNTS = pytest.mark.parametrize("account_for", [apifm_account, ruanmao_account], ids=["apifm", "ruanmao"])


async def _list_all(account: Account, page_size: int = 100) -> list[int]:
    async with connect(account, backoff=0.01) as platform:
        first = await platform.orders.list(OrderQuery(page=1, page_size=page_size))
        rest = await asyncio.gather(*(platform.orders.list(OrderQuery(page=p, page_size=page_size))
                                      for p in range(2, first.total_pages + 1)))
        return [b.order.id for page in (first, *rest) for b in page.items]


@ACCOUNTS
@pytest.mark.slow
@pytest.mark.asyncio
async def test_full_listing_under_faults_has_every_order_once(make_sandbox: Callable[..., SandboxServer],
                                                               account_for: Callable[[SandboxServer], Account]) -> None:
    server = make_sandbox(orders=2000, chaos="error=0.2,reset=0.05")
    ids = await _list_all(account_for(server), page_size=20)  # ~100 requests: enough for 5% faults to occur
    expected = [r[0] for r in server.state.conn.execute("SELECT id FROM orders")]
    assert len(ids) == len(set(ids)), "an order was listed twice"
    assert sorted(ids) == sorted(expected)
    counts = server.state.chaos.counts
    assert counts["error"] > 0 and counts["reset"] > 0, counts  # the faults really happened


@ACCOUNTS
@pytest.mark.slow
@pytest.mark.asyncio
async def test_shipping_under_dropped_connections_ships_exactly_once(
        make_sandbox: Callable[..., SandboxServer], account_for: Callable[[SandboxServer], Account]) -> None:
    server = make_sandbox(orders=2500, chaos="reset=0.3,error=0.1")
    conn = server.state.conn
    targets = [r[0] for r in conn.execute(
        "SELECT id FROM orders WHERE status = 1 AND is_need_logistics = 1 AND refund_status = 0 "
        "AND id NOT IN (SELECT order_id FROM refund_applies WHERE status IN (0, 3)) LIMIT 12")]
    assert len(targets) >= 10
    async with connect(account_for(server), backoff=0.01) as platform:
        await asyncio.gather(*(platform.orders.ship(ShipRequest(order_id=oid, courier_id=1,
                                                                tracking_number=f"SF{9000000000000 + oid}"))
                               for oid in targets))
    for oid in targets:
        parcels = conn.execute("SELECT tracking_number FROM parcels WHERE order_id = ?", (oid,)).fetchall()
        assert [p[0] for p in parcels] == [f"SF{9000000000000 + oid}"], oid
        shipped_logs = conn.execute("SELECT COUNT(*) FROM order_logs WHERE order_id = ? AND type = 2", (oid,))
        assert shipped_logs.fetchone()[0] == 1
    assert server.state.chaos.counts["reset"] > 0
