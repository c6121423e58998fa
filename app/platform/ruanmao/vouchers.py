"""软猫引擎 核销券 (vouchers): list, issue, void, redeem. The platform has no coupons."""

from __future__ import annotations

from typing import Any

from app.domain.enums import VoucherStatus
from app.domain.models import Coupon, ListQuery, Page, UserCoupon, Voucher
from app.platform.api import VouchersApi
from app.platform.errors import NotFoundError, ProtocolError, UnsupportedError
from app.platform.ruanmao import mapping
from app.platform.ruanmao.base import Area, paging, when


class RuanmaoVouchers(Area, VouchersApi):
    async def list(self, query: ListQuery) -> Page[Voucher]:
        """By order (``order_id`` or ``extra["order_number"]``: 根据商品订单号获取), else by
        user (``uid``; all users when None), filtered by status or ``extra["code"]``."""
        params = paging(query)
        number = query.extra.get("order_number")
        if query.order_id and not number:
            detail = await self._calls.read("order.detail", orderId=query.order_id)
            number = detail.get("orderNumber") if isinstance(detail, dict) else None
            if not isinstance(number, str):
                raise ProtocolError("order detail without orderNumber")
        if number:
            found = self._rows(await self._calls.read("voucher.list_by_order", orderNumber=number), mapping.voucher,
                               "voucher")
            return Page(items=found, total_rows=len(found), total_pages=1 if found else 0, page=1,
                        page_size=max(len(found), 1))
        data = await self._calls.read("voucher.list_by_user", **params, uid=query.uid, status=query.status,
                                      code=query.extra.get("code"), id=query.extra.get("id"),
                                      dateUpdateBegin=when(query.updated_from))
        return self._page(data, mapping.voucher, params["page"], params["pageSize"], "voucher")

    async def _find(self, **filters: Any) -> Voucher | None:
        data = await self._calls.read("voucher.list_by_user", page=1, pageSize=1, **filters)
        found = self._page(data, mapping.voucher, 1, 1, "voucher").items
        return found[0] if found else None

    async def issue(self, uid: int, name: str, valid_days: int, order_id: int = 0) -> Voucher:
        # Issuing creates a record: note the newest id first, so that after a lost answer
        # the voucher can be found (and not issued twice).
        newest = await self._find(uid=uid)
        floor = newest.id if newest else 0

        async def issued() -> Voucher | None:
            data = await self._calls.read("voucher.list_by_user", page=1, pageSize=50, uid=uid)
            for v in self._page(data, mapping.voucher, 1, 50, "voucher").items:
                if v.id > floor and v.name == name and v.order_id == order_id:
                    return v
            return None

        async def applied() -> bool:
            return await issued() is not None

        data = await self._calls.write("voucher.issue", {"uid": uid, "name": name, "validDays": valid_days,
                                                         "orderId": order_id or None}, applied)
        if data is None:
            found = await issued()
            if found is None:
                raise NotFoundError("issued voucher not found again")
            return found
        return self._one(data, mapping.voucher, "voucher")

    async def void(self, voucher_id: int) -> None:
        async def applied() -> bool:
            found = await self._find(id=voucher_id)
            return found is not None and found.status is VoucherStatus.VOID

        await self._calls.write("voucher.void", {"id": voucher_id}, applied)

    async def redeem(self, code: str) -> Voucher:
        code = code.strip()

        async def applied() -> bool:
            found = await self._find(code=code)
            return found is not None and found.status is VoucherStatus.REDEEMED

        data = await self._calls.write("voucher.redeem", {"code": code}, applied)
        if data is None:
            found = await self._find(code=code)
            if found is None:
                raise NotFoundError(f"voucher {code}")
            return found
        return self._one(data, mapping.voucher, "voucher")

    async def coupons(self, query: ListQuery) -> Page[Coupon]:
        raise UnsupportedError("软猫引擎 has no coupons, only 核销券 vouchers")

    async def user_coupons(self, query: ListQuery) -> Page[UserCoupon]:
        raise UnsupportedError("软猫引擎 has no coupons, only 核销券 vouchers")

    async def send_coupon(self, coupon_id: int, uid: int) -> None:
        raise UnsupportedError("软猫引擎 has no coupons, only 核销券 vouchers")

    async def invalidate_user_coupon(self, user_coupon_id: int) -> None:
        raise UnsupportedError("软猫引擎 has no coupons, only 核销券 vouchers")
