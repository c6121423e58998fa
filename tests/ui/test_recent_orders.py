"""The first window's table model."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import Qt

from app.domain.enums import OrderRefundState, OrderStatus
from app.domain.models import Order, OrderBundle, OrderItem, Parcel, Receiver
from app.ui.orders_table import COLUMNS, RecentOrdersModel


def bundle(i: int, *, pickup: bool = False) -> OrderBundle:
    now = datetime(2026, 11, 25, 9, 30)
    order = Order(id=i, number=f"2611250000{i:04d}", uid=1, status=OrderStatus.SHIPPED if not pickup else OrderStatus.TO_SHIP,
                  amount_goods=Decimal("99.00"), amount_freight=Decimal("8.00"), amount_discount=Decimal("0.00"),
                  amount_paid=Decimal("1107.00"), amount_refunded=Decimal("0.00"), goods_count=2,
                  refund_state=OrderRefundState.NONE, needs_delivery=not pickup, is_paid=True, pickup_code="",
                  buyer_remark="", admin_remark="", created_at=now, updated_at=now)
    items = (OrderItem(id=i * 10, order_id=i, goods_id=1, sku_id=1, name="赣南脐橙 5斤装", pic="", property="5斤装",
                       quantity=2, quantity_unshipped=0, unit_price=Decimal("49.50"), amount=Decimal("99.00")),)
    receiver = None if pickup else Receiver("王伟", "13800138000", "330000000000", "浙江省", "330100000000", "杭州市",
                                            "330106000000", "西湖区", "文三路 90 号")
    parcels = () if pickup else (Parcel(id=1, order_id=i, courier_id=1, courier_name="顺丰速运",
                                        tracking_number="SF1234567890123", items=(), shipped_at=now),)
    return OrderBundle(order=order, items=items, receiver=receiver, parcels=parcels)


def test_model_passes_qtmodeltester_and_shows_orders(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = RecentOrdersModel()
    qtmodeltester.check(model)
    model.set_orders([bundle(1), bundle(2, pickup=True)])
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.columnCount() == len(COLUMNS)
    row = {COLUMNS[c][0]: model.index(0, c).data() for c in range(len(COLUMNS))}
    assert row["status"] == "已发货" and row["receiver"] == "王伟" and row["paid"] == "1,107.00"
    assert row["goods"] == "赣南脐橙 5斤装 ×2" and row["tracking"] == "SF1234567890123"
    assert model.index(1, 2).data() == "待自提" and model.index(1, 3).data() == "到店自提"
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == 1
    assert model.headerData(0, Qt.Orientation.Horizontal) == "订单号"
