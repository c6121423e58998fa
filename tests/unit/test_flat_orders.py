"""The first sync's direct path (wire row -> FlatOrder -> cache rows) against the object
path (wire row -> OrderBundle -> cache rows), on the same pages, odd and bad rows included."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from app.domain.flat import FlatOrder, of_bundle
from app.platform.apifm import bulk, mapping
from app.platform.apifm.client import Client
from app.platform.apifm.orders import ApifmOrders
from app.store import orders as store_orders
from tests.unit.test_apifm_mapping import GOODS, LOGISTICS, ORDER

SHIPPED = {**LOGISTICS, "trackingNumber": "SF1234567890", "shipperName": "顺丰速运", "expressCompanyId": 1,
           "dateShip": "2024-05-18 17:00:00"}

# (field, value) changes to an order row, each read by both paths. Some make the row
# unreadable (skipped by both); the rest must read the same.
ORDER_CHANGES: list[tuple[str, Any]] = [
    ("status", "3"), ("status", " 4 "), ("status", 99), ("status", True), ("status", None), ("status", -1),
    ("refundStatus", None), ("refundStatus", "2"), ("refundStatus", 7), ("refundStatus", ""),
    ("amount", "99.5"), ("amount", 99.555), ("amount", 99.565), ("amount", 0.1 + 0.2), ("amount", 1e300),
    ("amount", float("nan")), ("amount", float("inf")), ("amount", None), ("amount", ""), ("amount", "12,345.6"),
    ("amount", True), ("amount", [1]), ("amountLogistics", None), ("amountLogistics", ""), ("amountLogistics", 3),
    ("amountCoupons", "x"), ("amountReal", -0.0), ("amountRefundTotal", 12),
    ("dateAdd", "2024-05-18T10:00:00"), ("dateAdd", "2024-05-18 10:00"), ("dateAdd", "2024-05-18"),
    ("dateAdd", "2024-02-30 10:00:00"), ("dateAdd", "2024-05-18 24:00:00"), ("dateAdd", "2024-05-18 10:00:00+08:00"),
    ("dateAdd", "2024-W20-1 10:00:00"), ("dateAdd", 1716000000000), ("dateAdd", " 2024-05-18 10:00:00 "),
    ("dateAdd", "not a date"), ("dateAdd", None), ("dateAdd", "２０２４-05-18 10:00:00"),
    ("dateUpdate", None), ("dateUpdate", ""), ("dateUpdate", "2024-05-19 08:00:00.123"), ("datePay", ""),
    ("datePay", None), ("datePay", "2024-13-01 00:00:00"), ("dateClose", "2024-05-20 09:30:00"),
    ("isNeedLogistics", "1"), ("isNeedLogistics", "false"), ("isNeedLogistics", 0), ("isNeedLogistics", None),
    ("isPay", "true"), ("isPay", 1), ("goodsNumber", "3"), ("goodsNumber", None), ("goodsNumber", 2.5),
    ("uid", "88"), ("uid", 88.0), ("uid", None), ("id", "1207"), ("orderNumber", 24051800001207),
    ("hxNumber", None), ("remark", None), ("remarkAdmin", 5),
]
GOODS_CHANGES: list[tuple[str, Any]] = [
    ("amountSingle", "33.17"), ("amountSingle", None), ("skuId", None), ("number", "x"), ("afterSale", ""),
    ("goodsName", None), ("pic", None),
]
LOGISTICS_CHANGES: list[tuple[str, Any]] = [
    ("linkMan", None), ("cityStr", "市辖区"), ("cityStr", "浙江省"), ("trackingNumber", ""), ("dateShip", ""),
    ("dateShip", "bad"), ("expressCompanyId", "2"), ("address", 12),
]


def order_row(order_id: int, **changes: Any) -> dict[str, Any]:
    row = {**ORDER, "id": order_id, "orderNumber": f"2405180000{order_id}"}
    row.update(changes)
    return row


def page(rows: list[dict[str, Any]], goods: dict[str, Any], logistics: dict[str, Any]) -> dict[str, Any]:
    return {"result": rows, "goodsMap": goods, "logisticsMap": logistics, "totalRow": len(rows), "totalPage": 1}


def both(data: dict[str, Any]) -> tuple[list[FlatOrder], int, list[FlatOrder], int]:
    """(flat via bundles, rows skipped; flat directly, rows skipped), on separate copies."""
    by_objects, direct = ApifmOrders(Client(None)), ApifmOrders(Client(None))  # type: ignore[arg-type]
    bundles = by_objects._page(copy.deepcopy(data), 1, 200).items
    flats = direct._read(copy.deepcopy(data), bulk.order, 1, 200).items
    return [of_bundle(b) for b in bundles], by_objects._c.rows.skipped, flats, direct._c.rows.skipped


def test_a_plain_page_reads_the_same_both_ways() -> None:
    rows = [order_row(1000 + i) for i in range(6)]
    goods = {str(r["id"]): [{**GOODS, "id": 5000 + k, "orderId": r["id"]} for k in range(i % 3)]
             for i, r in enumerate(rows)}
    logistics = {"1000": LOGISTICS, "1001": SHIPPED, "1003": {**SHIPPED, "dateShip": None}, "1004": {}}
    via_bundles, skipped_a, flats, skipped_b = both(page(rows, goods, logistics))
    assert flats == via_bundles and len(flats) == 6 and skipped_a == skipped_b == 0
    assert flats[1].parcels[0].tracking_number == "SF1234567890" and flats[2].receiver is None
    # The cache's rows, search text and grams are the same from either.
    assert store_orders.prepare_flat(flats) == store_orders.prepare(
        ApifmOrders(Client(None))._page(page(rows, goods, logistics), 1, 200).items)  # type: ignore[arg-type]


@pytest.mark.parametrize(("field", "value"), ORDER_CHANGES, ids=[f"{f}={v!r}" for f, v in ORDER_CHANGES])
def test_an_odd_or_bad_order_field_reads_or_is_skipped_the_same(field: str, value: Any) -> None:
    rows = [order_row(2000), order_row(2001, **{field: value}), order_row(2002)]
    goods = {str(r["id"]): [{**GOODS, "id": r["id"] * 10, "orderId": r["id"]}] for r in rows}
    via_bundles, skipped_a, flats, skipped_b = both(page(rows, goods, {"2001": SHIPPED, "2002": LOGISTICS}))
    assert flats == via_bundles and skipped_a == skipped_b


def test_a_missing_order_field_is_skipped_the_same() -> None:
    for field in ("id", "orderNumber", "uid", "status", "amount", "amountReal", "dateAdd"):
        row = order_row(3001)
        del row[field]
        via_bundles, skipped_a, flats, skipped_b = both(page([order_row(3000), row], {}, {}))
        assert flats == via_bundles and skipped_a == skipped_b == 1, field


@pytest.mark.parametrize(("where", "field", "value"),
                         [("goods", f, v) for f, v in GOODS_CHANGES] + [("logistics", f, v) for f, v in LOGISTICS_CHANGES])
def test_odd_or_bad_goods_and_logistics_read_the_same(where: str, field: str, value: Any) -> None:
    goods = {"4000": [GOODS, {**GOODS, "id": 3302}]}
    logistics = {"4000": dict(SHIPPED)}
    if where == "goods":
        goods["4000"][1] = {**GOODS, "id": 3302, field: value}
    else:
        logistics["4000"][field] = value
    via_bundles, skipped_a, flats, skipped_b = both(page([order_row(4000)], goods, logistics))
    assert flats == via_bundles and skipped_a == skipped_b


def test_unreadable_maps_skip_the_same() -> None:
    for goods, logistics in itertools.product(([], {"5000": "x"}, {"5000": [None]}), ([1], {"5000": [1]}, {"5000": "x"})):
        data = {"result": [order_row(5000)], "goodsMap": goods, "logisticsMap": logistics}
        via_bundles, skipped_a, flats, skipped_b = both(data)  # type: ignore[arg-type]
        assert flats == via_bundles and skipped_a == skipped_b, (goods, logistics)


def test_the_direct_path_is_the_one_the_objects_take() -> None:
    # Guard against both sides drifting together: the object path's rows for the sample order.
    (flat,) = both(page([order_row(1207)], {"1207": [GOODS]}, {"1207": SHIPPED}))[2]
    assert flat.order[:13] == (1207, "24051800001207", 88, 2, 0, 1, 1, 9950, 800, 0, 10750, 0, 3)
    assert flat.order[16:] == ("2024-05-18 10:00:00", "2024-05-19 08:00:00", "2024-05-18 10:05:00", None)
    assert flat.items == ((3301, 1207, 12, 40, "云南普洱茶饼", "http://x/1.svg", "357g 生茶", 3, 0, 3317, 9950, "0,1"),)
    assert flat.receiver == ("王芳", "13800138000", "浙江省", "杭州市", "西湖区", "文三路 90 号", "330000000000",
                             "330100000000", "330106000000", "310000")
    assert mapping.bundle(order_row(1207), {"1207": [GOODS]}, {"1207": SHIPPED}, mapping.Rows()).order.number == \
        flat.order[1]
