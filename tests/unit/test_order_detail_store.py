"""Reading one order's whole story from the cache: buyer, log, refunds, audit entries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.enums import (
    GoodsReceived,
    OrderRefundState,
    OrderStatus,
    RefundStatus,
    RefundType,
    ReturnLeg,
    UserSource,
    UserStatus,
)
from app.domain.models import (
    Order,
    OrderBundle,
    OrderDetail,
    OrderItem,
    OrderLog,
    Parcel,
    ParcelItem,
    Receiver,
    Refund,
    Trace,
    User,
)
from app.store import audit, order_detail, resources
from app.store import orders as store_orders
from app.store.database import Cache

CREATED = datetime(2026, 11, 11, 9, 30)


def make_detail(order_id: int = 7, *, pickup: bool = False, admin_remark: str = "周末再发",
                pics: tuple[str, str] = ("", "")) -> OrderDetail:
    """A shipped order with two items, one parcel with traces, a refund and three log lines."""
    at = CREATED
    order = Order(id=order_id, number=f"2611110000{order_id:04d}", uid=42, status=OrderStatus.SHIPPED,
                  amount_goods=Decimal("1234.50"), amount_freight=Decimal("8.00"), amount_discount=Decimal("20.00"),
                  amount_paid=Decimal("1222.50"), amount_refunded=Decimal("99.90"), goods_count=3,
                  refund_state=OrderRefundState.PROCESSING, needs_delivery=not pickup, is_paid=True,
                  pickup_code="884213" if pickup else "", buyer_remark="易碎品请轻放，放门口就好不用打电话",
                  admin_remark=admin_remark, created_at=at, updated_at=at + timedelta(days=1),
                  paid_at=at + timedelta(minutes=2))
    items = (
        OrderItem(id=order_id * 10 + 1, order_id=order_id, goods_id=1, sku_id=11, name="赣南脐橙 5斤装 当季现摘",
                  pic=pics[0], property="规格:5斤;果径:75-80mm", quantity=2, quantity_unshipped=0,
                  unit_price=Decimal("567.30"), amount=Decimal("1134.60")),
        OrderItem(id=order_id * 10 + 2, order_id=order_id, goods_id=2, sku_id=0, name="西湖龙井 明前", pic=pics[1],
                  property="", quantity=1, quantity_unshipped=0, unit_price=Decimal("99.90"),
                  amount=Decimal("99.90")),
    )
    receiver = None if pickup else Receiver("王伟芳", "13800138000", "330000000000", "浙江省", "330100000000",
                                            "杭州市", "330106000000", "西湖区", "文三路 90 号 东部软件园 2 号楼 501 室",
                                            "310012")
    parcels = () if pickup else (Parcel(
        id=order_id * 100, order_id=order_id, courier_id=1, courier_name="顺丰速运", tracking_number="SF1234567890123",
        items=(ParcelItem(items[0].id, 2), ParcelItem(items[1].id, 1)), shipped_at=at + timedelta(hours=5),
        traces=(Trace(at + timedelta(hours=6), "【杭州市】已揽收"),
                Trace(at + timedelta(hours=20), "【上海市】到达上海转运中心，下一站 上海浦东新区"))),)
    logs = (OrderLog(order_id * 1000 + 1, order_id, 0, "下单", "", at),
            OrderLog(order_id * 1000 + 2, order_id, 1, "支付", "微信支付", at + timedelta(minutes=2)),
            OrderLog(order_id * 1000 + 3, order_id, 2, "发货", "顺丰速运", at + timedelta(hours=5)))
    refunds = (Refund(id=order_id * 10000, order_id=order_id, order_item_id=items[1].id, uid=42,
                      type=RefundType.REFUND_ONLY, goods_received=GoodsReceived.NOT_RECEIVED,
                      status=RefundStatus.APPLIED, return_leg=ReturnLeg.NONE, amount=Decimal("99.90"), quantity=1,
                      reason="不想要了", remark="茶叶包装破损", pics=(), return_courier="", return_tracking="",
                      refuse_reason="", created_at=at + timedelta(days=1), updated_at=at + timedelta(days=1)),)
    bundle = OrderBundle(order=order, items=items, receiver=receiver, parcels=parcels)
    return OrderDetail(bundle=bundle, logs=logs, refunds=refunds)


BUYER = User(id=42, nick="橙子爱好者", mobile="13900139000", avatar="", level=1, level_name="普通会员",
             source=UserSource.MINI_PROGRAM, status=UserStatus.NORMAL, referrer_id=0, remark="",
             created_at=CREATED - timedelta(days=90), last_login_at=None, updated_at=CREATED)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache.sqlite")
    yield c
    c.close()


def test_missing_order_reads_as_none(cache: Cache) -> None:
    assert order_detail.load(cache.read, 404) is None
    assert order_detail.logs(cache.read, 404) == [] and order_detail.refunds(cache.read, 404) == []


def test_view_holds_buyer_log_refunds_and_audit_newest_first(cache: Cache) -> None:
    detail = make_detail()
    refund_id = detail.refunds[0].id

    def write(conn: sqlite3.Connection) -> None:
        store_orders.write_detail(conn, detail)
        resources.write(conn, [BUYER])
        for target in ("order:7", f"refund:{refund_id}", "order:8"):
            audit.append(conn, operator="店长", account="practice:apifm", action="order.remark",
                         target=target, before=None, after={"params": {}}, result="done: ok")

    cache.writer.run_sync(write)
    view = order_detail.load(cache.read, 7)
    assert view is not None
    assert view.bundle == detail.bundle and view.buyer == BUYER
    assert [log.text for log in view.logs] == ["发货", "支付", "下单"]
    assert view.refunds == detail.refunds
    assert [(e.seq, e.target) for e in view.audit] == [(2, f"refund:{refund_id}"), (1, "order:7")]
    assert order_detail.load(cache.read, 7) == view  # a re-read of unchanged data compares equal


def test_order_without_detail_or_buyer_still_loads(cache: Cache) -> None:
    bundle = make_detail(pickup=True).bundle
    cache.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [bundle]))
    view = order_detail.load(cache.read, 7)
    assert view is not None
    assert view.buyer is None and view.logs == () and view.refunds == () and view.audit == ()
    assert view.bundle.receiver is None and view.bundle.parcels == ()
