"""Orders on the API工厂 admin API (/user/apiExtOrder/...)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from app.domain.enums import OrderStatus, RefundDestination
from app.domain.flat import FlatOrder
from app.domain.models import OrderBundle, OrderDetail, OrderQuery, Page, Parcel, Receiver
from app.domain.money import money_str
from app.platform.api import OrdersApi, ShipRequest
from app.platform.apifm import bulk, mapping
from app.platform.apifm.client import Client
from app.platform.apifm.mapping import fmt_time
from app.platform.errors import NotFoundError, ProtocolError

BASE = "/user/apiExtOrder"
T = TypeVar("T")


class ApifmOrders(OrdersApi):
    def __init__(self, client: Client) -> None:
        self._c = client

    async def list(self, query: OrderQuery) -> Page[OrderBundle]:
        return self._page(await self._list(query), query.page, query.page_size)

    async def list_flat(self, query: OrderQuery) -> Page[FlatOrder]:
        return self._read(await self._list(query), bulk.order, query.page, query.page_size)

    async def _list(self, query: OrderQuery) -> object:
        return await self._c.query(f"{BASE}/list", {
            "page": query.page, "pageSize": query.page_size,
            "status": None if query.status is None else int(query.status),
            "statusBatch": ",".join(str(int(s)) for s in query.statuses) or None,
            "refundStatus": None if query.refund_state is None else int(query.refund_state),
            "isNeedLogistics": None if query.needs_delivery is None else int(query.needs_delivery),
            "uid": query.uid, "orderNumber": query.number,
            "dateAddBegin": fmt_time(query.created_from), "dateAddEnd": fmt_time(query.created_to),
            "dateUpdateBegin": fmt_time(query.updated_from), "dateUpdateEnd": fmt_time(query.updated_to),
        })

    def _page(self, data: object, page: int, size: int) -> Page[OrderBundle]:
        return self._read(data, mapping.bundle, page, size)

    def _read(self, data: object, read: Callable[[dict, dict, dict, mapping.Rows], T], page: int,
              size: int) -> Page[T]:
        """A list page's orders, each read with its goods and logistics by ``read``
        (``mapping.bundle`` or, for a first sync, ``bulk.order``)."""
        if data is None:
            return Page([], 0, 0, page, size)
        if not isinstance(data, dict):
            raise ProtocolError("order list: data is not an object")
        goods = data.get("goodsMap") or {}
        logistics = data.get("logisticsMap") or {}
        rows = self._c.rows
        return rows.page(data, lambda w: read(w, goods, logistics, rows), "order", page, size)

    async def get(self, order_id: int) -> OrderDetail:
        data = await self._c.get(f"{BASE}/detail", {"id": order_id})
        try:
            return mapping.detail(data, self._c.rows)
        except mapping.ROW_ERRORS as exc:
            raise ProtocolError(f"order {order_id}: {type(exc).__name__}: {exc}") from exc

    async def traces(self, order_id: int) -> list[Parcel]:
        data = await self._c.get(f"{BASE}/traces", {"id": order_id}, empty_ok=True)
        rows = self._c.rows
        return rows.map(data, lambda p: mapping.parcel({**p, "traces": p.get("tracesArray", p.get("traces"))}, rows),
                        "parcel")

    async def _order(self, order_id: int) -> OrderDetail:
        return await self.get(order_id)

    async def change_price(self, order_id: int, total: Decimal, freight: Decimal | None = None) -> None:
        async def verify() -> bool:
            o = (await self._order(order_id)).order
            return o.amount_paid == total and (freight is None or o.amount_freight == freight)

        await self._c.write(f"{BASE}/changePrice", {
            "id": order_id, "price": money_str(total), "amountLogistics": None if freight is None else money_str(freight),
        }, verify)

    async def set_remark(self, order_id: int, remark: str) -> None:
        async def verify() -> bool:
            return (await self._order(order_id)).order.admin_remark == remark

        await self._c.write(f"{BASE}/remark", {"id": order_id, "remark": remark}, verify)

    async def _paid(self, order_id: int) -> bool:
        return (await self._order(order_id)).order.is_paid

    async def mark_paid(self, order_id: int) -> None:
        await self._c.write(f"{BASE}/pay/offline", {"id": order_id}, lambda: self._paid(order_id))

    async def pay_from_balance(self, order_id: int) -> None:
        await self._c.write(f"{BASE}/pay", {"id": order_id}, lambda: self._paid(order_id))

    async def _status_in(self, order_id: int, *statuses: OrderStatus) -> bool:
        return (await self._order(order_id)).order.status in statuses

    async def close(self, order_id: int) -> None:
        await self._c.write(f"{BASE}/close", {"id": order_id},
                            lambda: self._status_in(order_id, OrderStatus.CLOSED))

    async def ship(self, request: ShipRequest) -> None:
        tracking = (request.tracking_number or "").strip()
        wanted = tuple(sorted((i.order_item_id, i.quantity) for i in request.items))

        async def verify() -> bool:
            detail = await self._order(request.order_id)
            for p in detail.bundle.parcels:
                same_items = not wanted or tuple(sorted((i.order_item_id, i.quantity) for i in p.items)) == wanted
                if p.tracking_number == tracking and p.courier_id == request.courier_id and same_items:
                    return True
            return False

        shipper = json.dumps([{"orderGoodsId": i.order_item_id, "number": i.quantity} for i in request.items]) \
            if request.items else None
        await self._c.write(f"{BASE}/fahuo", {
            "id": request.order_id, "expressCompanyId": request.courier_id, "number": tracking,
            "orderGoodsShipper": shipper,
        }, verify)

    async def add_tracking(self, order_id: int, courier_id: int, numbers: list[str]) -> None:
        wanted = {n.strip() for n in numbers if n.strip()}

        async def verify() -> bool:
            have = {p.tracking_number for p in (await self._order(order_id)).bundle.parcels}
            return wanted <= have

        await self._c.write(f"{BASE}/fahuo/add", {"id": order_id, "expressCompanyId": courier_id,
                                                  "numbers": ",".join(sorted(wanted))}, verify)

    async def pickup(self, order_id: int) -> None:
        async def verify() -> bool:
            o = (await self._order(order_id)).order
            return o.status in (OrderStatus.TO_REVIEW, OrderStatus.DONE) and not o.needs_delivery

        await self._c.write(f"{BASE}/offlinePickup", {"id": order_id}, verify)

    async def _by_pickup_code(self, code: str) -> int | None:
        data = await self._c.query(f"{BASE}/list", {"hxNumber": code, "page": 1, "pageSize": 1})
        page = self._page(data, 1, 1)
        return page.items[0].order.id if page.items else None

    async def redeem_pickup(self, code: str) -> int:
        code = code.strip()

        async def verify() -> bool:
            order_id = await self._by_pickup_code(code)
            return order_id is not None and await self._status_in(order_id, OrderStatus.TO_REVIEW, OrderStatus.DONE)

        data = await self._c.write(f"{BASE}/hx", {"hxNumber": code}, verify)
        if isinstance(data, dict) and data.get("id") is not None:
            return int(data["id"])
        order_id = await self._by_pickup_code(code)  # the answer was lost but the redemption happened
        if order_id is None:
            raise NotFoundError(code)
        return order_id

    async def set_success(self, order_id: int) -> None:
        await self._c.write(f"{BASE}/success", {"id": order_id}, lambda: self._status_in(order_id, OrderStatus.DONE))

    async def refund(self, order_id: int, amount: Decimal, to: RefundDestination, close: bool, remark: str) -> None:
        # A refund is not repeatable, so what was refunded before is read first: after a lost
        # answer the total tells whether this refund went through.
        before = (await self._order(order_id)).order.amount_refunded

        async def verify() -> bool:
            return (await self._order(order_id)).order.amount_refunded >= before + amount

        await self._c.write(f"{BASE}/refund", {
            "id": order_id, "money": money_str(amount), "toWhere": int(to), "orderStatus": -1 if close else "",
            "remark": remark,
        }, verify)

    async def change_receiver(self, order_id: int, receiver: Receiver) -> None:
        async def verify() -> bool:
            got = (await self._order(order_id)).bundle.receiver
            return got is not None and (got.name, got.mobile, got.district_id, got.address) == \
                (receiver.name, receiver.mobile, receiver.district_id, receiver.address)

        await self._c.write(f"{BASE}/modifyLogistics", {
            "id": order_id, "linkMan": receiver.name, "mobile": receiver.mobile,
            "provinceId": receiver.province_id or None, "cityId": receiver.city_id or None,
            "districtId": receiver.district_id or None, "address": receiver.address,
            "code": receiver.postcode or None,
        }, verify)
