"""Coupons (优惠券) and the coupons in customers' hands. API工厂 has no 核销券 vouchers."""

from __future__ import annotations

from app.domain.enums import CouponStatus
from app.domain.models import Coupon, ListQuery, Page, UserCoupon, Voucher
from app.platform.api import VouchersApi
from app.platform.apifm import mapping
from app.platform.apifm.client import Client, list_params
from app.platform.errors import UnsupportedError

NO_VOUCHERS = "API工厂 has no 核销券 vouchers; use coupons"


class ApifmVouchers(VouchersApi):
    def __init__(self, client: Client) -> None:
        self._c = client

    async def list(self, query: ListQuery) -> Page[Voucher]:
        raise UnsupportedError(NO_VOUCHERS)

    async def issue(self, uid: int, name: str, valid_days: int, order_id: int = 0) -> Voucher:
        raise UnsupportedError(NO_VOUCHERS)

    async def void(self, voucher_id: int) -> None:
        raise UnsupportedError(NO_VOUCHERS)

    async def redeem(self, code: str) -> Voucher:
        raise UnsupportedError(NO_VOUCHERS)

    async def coupons(self, query: ListQuery) -> Page[Coupon]:
        data = await self._c.query("/user/extDiscountsCoupon/list", list_params(query))
        return self._c.rows.page(data, mapping.coupon, "coupon", query.page, query.page_size)

    async def user_coupons(self, query: ListQuery) -> Page[UserCoupon]:
        data = await self._c.query("/user/extDiscountsCouponUser/list",
                                   list_params(query, uid="uid", status="status", order_id="orderId"))
        return self._c.rows.page(data, mapping.user_coupon, "user coupon", query.page, query.page_size)

    async def _count(self, coupon_id: int, uid: int) -> int:
        page = await self.user_coupons(ListQuery(page=1, page_size=1, uid=uid, extra={"refId": str(coupon_id)}))
        return page.total_rows

    async def send_coupon(self, coupon_id: int, uid: int) -> None:
        # Sending is not repeatable (each call hands out one more), so count what the
        # customer holds first; after a lost answer a higher count means it arrived.
        before = await self._count(coupon_id, uid)

        async def verify() -> bool:
            return await self._count(coupon_id, uid) > before

        await self._c.write("/user/extDiscountsCoupon/sendUser", {"id": coupon_id, "uid": uid}, verify)

    async def invalidate_user_coupon(self, user_coupon_id: int) -> None:
        async def verify() -> bool:
            page = await self.user_coupons(ListQuery(page=1, page_size=1, extra={"id": str(user_coupon_id)}))
            return bool(page.items) and page.items[0].status is CouponStatus.INVALID

        await self._c.write("/user/extDiscountsCouponUser/invalid", {"id": user_coupon_id}, verify)
