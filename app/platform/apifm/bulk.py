"""API工厂 order list rows straight to ``FlatOrder`` (app.domain.flat), for a first sync.

The same reading as ``mapping.bundle`` — the same fields, the same checks, the same rows
skipped as unreadable — without building the Order, OrderItem and Receiver objects that
the cache's rows would take apart again at once: money goes from the wire's number to
cents, a time already written as 'YYYY-MM-DD HH:MM:SS' stays that text once it is known
to be a real time. Anything off the common path goes through ``mapping``'s own helpers,
so an odd value is read (or refused) exactly as there; a test compares the two on the
same pages, bad rows included.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from app.domain.enums import OrderRefundState, OrderStatus
from app.domain.flat import FlatOrder, timestamp
from app.domain.models import Parcel
from app.domain.money import cents
from app.platform.apifm.mapping import Rows
from app.platform.wire import as_bool, as_dt, as_int, as_money, as_opt_dt, as_str

ZERO = Decimal("0.00")
_CENTS: dict[float, int] = {}  # prices repeat across a shop's orders: each float is read once
_STATUSES = frozenset(int(s) for s in OrderStatus)
_REFUND_STATES = frozenset(int(s) for s in OrderRefundState)
_fromisoformat = datetime.fromisoformat


def _cents(value: Any, default: Decimal | None = None) -> int:
    if type(value) is float:
        found = _CENTS.get(value)
        if found is not None:
            return found
        found = cents(as_money(value, default))  # refuses inf and nan as as_money does
        if len(_CENTS) < 1 << 16:
            _CENTS[value] = found
        return found
    return cents(as_money(value, default))


def _time(value: Any) -> str:
    """``timestamp(as_dt(value))``; a time the platform already wrote in the cache's own
    form is checked (fromisoformat refuses a 25th hour or a 30th of February) and kept."""
    if (type(value) is str and len(value) == 19 and value[4] == "-" and value[7] == "-" and value[10] == " "
            and value[13] == ":" and value[16] == ":"):
        try:
            _fromisoformat(value)
            return value
        except ValueError:
            pass  # as_dt tries other readings (strptime reads full-width digits, say) before it refuses
    return timestamp(as_dt(value))  # type: ignore[return-value]


def _opt_time(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return _time(value)


def _flag(value: Any) -> int:
    if value is True or value is False:
        return int(value)
    return int(as_bool(value))


def _opt_int(value: Any) -> int:
    return value if type(value) is int else as_int(value, 0)


def order(w: dict[str, Any], goods_map: dict[str, Any], logistics_map: dict[str, Any], rows: Rows) -> FlatOrder:
    """One order row with its goods and logistics, as ``mapping.bundle`` reads it."""
    order_id = as_int(w["id"])
    status = w["status"]
    if type(status) is not int or status not in _STATUSES:
        status = int(OrderStatus.parse(status))
    refund = w.get("refundStatus") or 0
    if type(refund) is not int or refund not in _REFUND_STATES:
        refund = int(OrderRefundState.parse(refund))
    created = _time(w["dateAdd"])
    updated_raw = w.get("dateUpdate") or w["dateAdd"]
    updated = _time(updated_raw)
    flat = (
        order_id, as_str(w["orderNumber"]), as_int(w["uid"]), status, refund, _flag(w.get("isNeedLogistics")),
        _flag(w.get("isPay")), _cents(w["amount"]), _cents(w.get("amountLogistics"), ZERO),
        _cents(w.get("amountCoupons"), ZERO), _cents(w["amountReal"]), _cents(w.get("amountRefundTotal"), ZERO),
        _opt_int(w.get("goodsNumber")), as_str(w.get("hxNumber")), as_str(w.get("remark")),
        as_str(w.get("remarkAdmin")), created, updated, _opt_time(w.get("datePay")), _opt_time(w.get("dateClose")),
    )
    key = str(order_id)  # JSON object keys are strings; the platform keys both maps by order id
    items = rows.map(goods_map.get(key), item, "order goods")
    logistics = logistics_map.get(key) or {}
    parcels: tuple[Parcel, ...] = ()
    if as_str(logistics.get("trackingNumber")):
        # The list names only the main parcel (no id, items or traces): a partial view.
        parcels = (Parcel(id=-order_id, order_id=order_id, courier_id=_opt_int(logistics.get("expressCompanyId")),
                          courier_name=as_str(logistics.get("shipperName")),
                          tracking_number=as_str(logistics["trackingNumber"]), items=(),
                          shipped_at=as_opt_dt(logistics.get("dateShip")) or as_dt(updated_raw)),)
    return FlatOrder(flat, receiver(logistics) if logistics else None, tuple(items), parcels, False)


def item(w: dict[str, Any]) -> tuple:
    return (as_int(w["id"]), as_int(w["orderId"]), as_int(w["goodsId"]), _opt_int(w.get("skuId")),
            as_str(w["goodsName"]), as_str(w.get("pic")), as_str(w.get("property")), as_int(w["number"]),
            _opt_int(w.get("numberNoFahuo")), _cents(w["amountSingle"]), _cents(w["amount"]),
            as_str(w.get("afterSale") or "0,1,2"))


def receiver(w: dict[str, Any]) -> tuple:
    return (as_str(w["linkMan"]), as_str(w["mobile"]), as_str(w.get("provinceStr")), as_str(w.get("cityStr")),
            as_str(w.get("areaStr")), as_str(w["address"]), as_str(w.get("provinceId")), as_str(w.get("cityId")),
            as_str(w.get("districtId")), as_str(w.get("code")))
