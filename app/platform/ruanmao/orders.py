"""软猫引擎 orders: the platform-wide list, detail, and every merchant action on an order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.domain.enums import OrderStatus, RefundDestination
from app.domain.models import OrderBundle, OrderDetail, OrderQuery, Page, Parcel, Receiver
from app.domain.money import money_str
from app.platform.api import OrdersApi, ShipRequest
from app.platform.errors import InvalidInputError, ProtocolError, UnsupportedError
from app.platform.ruanmao import mapping
from app.platform.ruanmao.base import Area, when
from app.platform.ruanmao.routes import MAX_PAGE_SIZE


class RuanmaoOrders(Area, OrdersApi):
    async def list(self, query: OrderQuery) -> Page[OrderBundle]:
        size = min(max(query.page_size, 1), MAX_PAGE_SIZE)
        params: dict[str, Any] = {
            "page": max(query.page, 1), "pageSize": size,
            "status": None if query.status is None else int(query.status),
            "statuses": [int(s) for s in query.statuses] or None,
            "refundStatus": None if query.refund_state is None else int(query.refund_state),
            "needLogistics": query.needs_delivery, "uid": query.uid, "orderNumber": query.number or None,
            "dateAddBegin": when(query.created_from), "dateAddEnd": when(query.created_to),
            "dateUpdateBegin": when(query.updated_from), "dateUpdateEnd": when(query.updated_to),
        }
        data = await self._calls.read("order.list", **params)
        return self._page(data, mapping.order_bundle, params["page"], size, "order")

    async def get(self, order_id: int) -> OrderDetail:
        data = await self._calls.read("order.detail", orderId=order_id)
        return self._one(data, mapping.order_detail, "order detail")

    async def traces(self, order_id: int) -> list[Parcel]:
        data = await self._calls.read("order.receiving", orderId=order_id)
        if not isinstance(data, dict):
            raise ProtocolError("receiving info not understood")
        return self._rows(data.get("parcels"), mapping.parcel, "parcel")

    async def receiver(self, order_id: int) -> Receiver | None:
        """读取订单收件信息: the order's receiver as the platform holds it now."""
        data = await self._calls.read("order.receiving", orderId=order_id)
        return self._one(data.get("receiving") if isinstance(data, dict) else data, mapping.receiver, "receiver")

    async def change_price(self, order_id: int, total: Decimal, freight: Decimal | None = None) -> None:
        async def applied() -> bool:
            order = (await self.get(order_id)).order
            return order.amount_paid == total and (freight is None or order.amount_freight == freight)

        await self._calls.write("order.change_price", {
            "orderId": order_id, "amount": money_str(total),
            "amountLogistics": None if freight is None else money_str(freight)}, applied)

    async def set_remark(self, order_id: int, remark: str) -> None:
        async def applied() -> bool:
            return (await self.get(order_id)).order.admin_remark == remark

        await self._calls.write("order.remark", {"orderId": order_id, "remark": remark}, applied)

    async def _paid(self, order_id: int) -> bool:
        return (await self.get(order_id)).order.is_paid

    async def mark_paid(self, order_id: int) -> None:
        await self._calls.write("order.pay_backend", {"orderId": order_id}, lambda: self._paid(order_id))

    async def pay_from_balance(self, order_id: int) -> None:
        await self._calls.write("order.pay_balance", {"orderId": order_id}, lambda: self._paid(order_id))

    async def close(self, order_id: int) -> None:
        async def applied() -> bool:
            return (await self.get(order_id)).order.status is OrderStatus.CLOSED

        await self._calls.write("order.close", {"orderId": order_id}, applied)

    async def ship(self, request: ShipRequest) -> None:
        items = [{"orderGoodsId": i.order_item_id, "number": i.quantity} for i in request.items] or None
        tracking = (request.tracking_number or "").strip()
        wanted = {(i.order_item_id, i.quantity) for i in request.items}

        async def applied() -> bool:
            bundle = (await self.get(request.order_id)).bundle
            if tracking:
                return any(p.tracking_number == tracking for p in bundle.parcels)
            if wanted:
                # A parcel without a number holding exactly these items. (Two identical
                # untracked partial parcels cannot be told apart; staff rarely make them.)
                return any(not p.tracking_number and {(i.order_item_id, i.quantity) for i in p.items} == wanted
                           for p in bundle.parcels)
            return all(item.quantity_unshipped == 0 for item in bundle.items)

        if tracking:
            parcel: dict[str, Any] = {"trackingNumber": tracking}
            if items:
                parcel["items"] = items
            await self._calls.write("order.ship", {"orderId": request.order_id,
                                                   "expressCompanyId": request.courier_id, "parcels": [parcel]}, applied)
        else:
            await self._calls.write("order.ship_no_tracking", {
                "orderId": request.order_id, "expressCompanyId": request.courier_id if request.courier_id > 0 else None,
                "items": items}, applied)

    async def ship_parcels(self, order_id: int, courier_id: int, parcels: list[tuple[str, list[int]]]) -> None:
        """One call for several parcels, each (tracking number, order item ids), all or none."""
        if not parcels or any(not number.strip() or not ids for number, ids in parcels):
            raise InvalidInputError("every parcel needs a tracking number and its items")
        numbers = {number.strip() for number, _ in parcels}

        async def applied() -> bool:
            shipped = {p.tracking_number for p in (await self.get(order_id)).bundle.parcels}
            return numbers <= shipped

        await self._calls.write("order.ship", {
            "orderId": order_id, "expressCompanyId": courier_id,
            "parcels": [{"trackingNumber": n.strip(), "orderGoodsIds": list(ids)} for n, ids in parcels]}, applied)

    async def add_tracking(self, order_id: int, courier_id: int, numbers: list[str]) -> None:
        wanted = {n.strip() for n in numbers if n.strip()}

        async def applied() -> bool:
            shipped = {p.tracking_number for p in (await self.get(order_id)).bundle.parcels}
            return bool(wanted) and wanted <= shipped

        await self._calls.write("order.tracking_add", {"orderId": order_id, "expressCompanyId": courier_id,
                                                       "trackingNumbers": [n.strip() for n in numbers]}, applied)

    async def pickup(self, order_id: int) -> None:
        async def applied() -> bool:
            order = (await self.get(order_id)).order
            return not order.needs_delivery and order.status in (OrderStatus.TO_REVIEW, OrderStatus.DONE)

        await self._calls.write("order.pickup_offline", {"orderId": order_id}, applied)

    async def redeem_pickup(self, code: str) -> int:
        raise UnsupportedError("软猫引擎 has no pickup-code redemption; use pickup(order_id)")

    async def set_success(self, order_id: int) -> None:
        async def applied() -> bool:
            return (await self.get(order_id)).order.status is OrderStatus.DONE

        await self._calls.write("order.success", {"orderId": order_id}, applied)

    async def refund(self, order_id: int, amount: Decimal, to: RefundDestination, close: bool,
                     remark: str) -> None:
        # Money moves: read what was refunded before, so that a lost answer can be told
        # from a refund that never happened (a second identical refund is a real loss).
        before = (await self.get(order_id)).order.amount_refunded

        async def applied() -> bool:
            return (await self.get(order_id)).order.amount_refunded >= before + amount

        await self._calls.write("order.refund", {
            "orderId": order_id, "amount": money_str(amount), "refundTo": int(to), "closeOrder": close or None,
            "remark": remark or None}, applied)

    async def change_receiver(self, order_id: int, receiver: Receiver) -> None:
        async def applied() -> bool:
            now = (await self.get(order_id)).bundle.receiver
            return now is not None and (now.name, now.mobile, now.district_id, now.address) == (
                receiver.name, receiver.mobile, receiver.district_id, receiver.address)

        await self._calls.write("order.modify_address", {
            "orderId": order_id, "linkMan": receiver.name, "mobile": receiver.mobile,
            "provinceId": receiver.province_id or None, "cityId": receiver.city_id or None,
            "districtId": receiver.district_id, "address": receiver.address, "postcode": receiver.postcode or None,
        }, applied)

