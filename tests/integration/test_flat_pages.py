"""Every page of the practice shop reads the same through the first sync's direct path
(``list_flat``) as through the domain objects (``list``), on both platforms."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.domain.flat import of_bundle
from app.domain.models import OrderQuery
from app.platform.account import Account
from app.platform.connect import connect
from app.sandbox.server import SandboxServer
from app.store import orders as store_orders
from tests.conftest import apifm_account, ruanmao_account


@pytest.mark.parametrize("account_for", [apifm_account, ruanmao_account], ids=["apifm", "ruanmao"])
@pytest.mark.asyncio
async def test_every_page_reads_the_same_flat_and_as_objects(
        sandbox: SandboxServer, account_for: Callable[[SandboxServer], Account]) -> None:
    seen = 0
    async with connect(account_for(sandbox)) as platform:
        for page_no in range(1, 5):
            query = OrderQuery(page=page_no, page_size=100)
            bundles, flats = await platform.orders.list(query), await platform.orders.list_flat(query)
            assert (flats.total_rows, flats.total_pages) == (bundles.total_rows, bundles.total_pages) == (400, 4)
            assert flats.items == [of_bundle(b) for b in bundles.items]
            assert store_orders.prepare_flat(flats.items) == store_orders.prepare(bundles.items)
            seen += len(flats.items)
            shipped = sum(bool(f.parcels) for f in flats.items)
            pickups = sum(f.receiver is None for f in flats.items)
            assert 0 < shipped < len(flats.items) and pickups < len(flats.items)
    assert seen == 400
