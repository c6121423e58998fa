from __future__ import annotations

from app.domain.enums import OrderRefundState, OrderStatus
from app.services.order_columns import status_text


def test_status_text_in_both_languages() -> None:
    assert status_text(int(OrderStatus.SHIPPED), int(OrderRefundState.PROCESSING), True) == "已发货 · 退款中"
    assert status_text(int(OrderStatus.SHIPPED), int(OrderRefundState.PROCESSING), True, "en") == (
        f"{OrderStatus.SHIPPED.en} · {OrderRefundState.PROCESSING.en}")


def test_pickup_orders_waiting_and_unknown_statuses() -> None:
    assert status_text(int(OrderStatus.TO_SHIP), 0, False) == "待自提"
    assert status_text(int(OrderStatus.TO_SHIP), 0, False, "en") == "To pick up"
    assert status_text(77, 0, True) == "状态 77"
    assert status_text(77, 0, True, "en") == "Status 77"
