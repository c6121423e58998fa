"""Shipping's batch reads of the cache: orders by number, tracking owners, the outbox, couriers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.enums import OrderStatus
from app.domain.models import Courier
from app.store import orders as store_orders
from app.store import outbox, resources, shipping
from app.store.database import Cache
from tests.unit.test_store import make_bundle


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "c.sqlite")
    bundles = [make_bundle(i, status=OrderStatus.SHIPPED if i % 4 == 0 else OrderStatus.TO_SHIP)
               for i in range(1, 41)]
    lower = make_bundle(41, status=OrderStatus.SHIPPED)
    lower = replace(lower, parcels=(replace(lower.parcels[0], tracking_number="sf0000000000008"),))
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [*bundles, lower]))
    yield c
    c.close()


def test_orders_by_number_in_chunks(cache: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shipping, "CHUNK", 3)  # several chunks for ten numbers
    numbers = [f"2611{i:010d}" for i in range(1, 11)] + ["26119999999999", ""]
    found = shipping.orders_by_number(cache.read, numbers)
    assert sorted(found) == sorted(numbers[:10])
    four = found["26110000000004"]
    assert (four.id, four.status, four.needs_delivery) == (4, OrderStatus.SHIPPED, True)
    assert four.tracking_numbers == ("SF0000000000004",)
    assert found["26110000000003"].tracking_numbers == ()
    assert four.receiver == ("陈静", "13800130004", "浙江省杭州市西湖区文三路4号")


def test_orders_with_tracking_finds_every_owner_in_any_case(cache: Cache) -> None:
    found = shipping.orders_with_tracking(cache.read, ["SF0000000000008", "SF0000000000012", "SF0000000000001"])
    # order 41 stored SF…08 in lower case, as the platform kept what was typed
    assert found == {"SF0000000000008": [8, 41], "SF0000000000012": [12]}
    assert shipping.orders_with_tracking(cache.read, []) == {}


def test_receivers(cache: Cache) -> None:
    assert shipping.receivers(cache.read, [2, 3, 999]) == {
        2: ("张敏", "13800130002", "浙江省杭州市西湖区文三路2号"),
        3: ("刘洋芳", "13800130003", "浙江省杭州市西湖区文三路3号")}


def test_queued_shipments_from_the_outbox(cache: Cache) -> None:
    def queue(conn: object) -> None:
        outbox.record(conn, "order.ship", "order:5", {"order_id": 5, "courier_id": 1,  # type: ignore[arg-type]
                                                      "tracking_number": "sf1409876543210"}, "staff")
        entry = outbox.record(conn, "order.add_tracking", "order:6",  # type: ignore[arg-type]
                              {"order_id": 6, "courier_id": 2, "numbers": ["75312345678901"]}, "staff")
        outbox.mark(conn, entry.id, "done")  # type: ignore[arg-type]
        failed = outbox.record(conn, "order.ship", "order:7", {"order_id": 7, "courier_id": 1,  # type: ignore[arg-type]
                                                               "tracking_number": "SF1"}, "staff")
        outbox.mark(conn, failed.id, "failed")  # type: ignore[arg-type]
        outbox.record(conn, "order.remark", "order:5", {"order_id": 5, "remark": "x"}, "staff")  # type: ignore[arg-type]

    cache.writer.run_sync(queue)
    found = shipping.queued_shipments(cache.read, [5, 6, 7, 8])
    assert sorted(found) == [5, 6]  # a failed ship did not happen; a remark is no ship
    assert found[5][0].tracking_numbers == ("SF1409876543210",) and found[5][0].state == "pending"
    assert found[6][0].tracking_numbers == ("75312345678901",) and found[6][0].courier_id == 2
    assert shipping.queued_shipments(cache.read, [6]).keys() == {6}


def test_couriers_from_the_cache(cache: Cache) -> None:
    assert shipping.couriers(cache.read) == []
    listed = [Courier(102, "ZTO", "中通快递"), Courier(101, "SF", "顺丰速运")]
    cache.writer.run_sync(lambda conn: resources.write(conn, listed))
    assert [c.id for c in shipping.couriers(cache.read)] == [101, 102]
