"""API工厂 admin coupon calls: coupon templates and the coupons users hold."""

from __future__ import annotations

import sqlite3
from typing import Any

from starlette.requests import Request

from app.sandbox.dialects.apifm_admin.envelope import RouteTable, listing
from app.sandbox.dialects.apifm_admin.render import render_coupon, render_user_coupon
from app.sandbox.dialects.common import opt_int, paging, req_int, to_cents
from app.sandbox.ops import not_found, one, rows
from app.sandbox.ops import vouchers as voucher_ops


def register(table: RouteTable, conn: sqlite3.Connection) -> None:
    """Register the coupon routes."""
    at = table.at

    @at("/user/extDiscountsCoupon/list")
    async def coupon_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = voucher_ops.list_coupons(conn, page_no, size)
        return listing(found, total, size, render_coupon)

    @at("/user/extDiscountsCoupon/info", "GET")
    async def coupon_info(request: Request, p: dict[str, Any]) -> Any:
        found = one(conn, "SELECT * FROM coupons WHERE id = ?", req_int(p, "id"))
        if found is None:
            raise not_found("优惠券")
        return render_coupon(found)

    @at("/user/extDiscountsCoupon/save")
    async def coupon_save(request: Request, p: dict[str, Any]) -> Any:
        fields = {"name": p.get("name"), "money": to_cents(p.get("money"), "money"),
                  "money_hreshold": to_cents(p.get("moneyHreshold") or 0, "moneyHreshold"),
                  "number_total": opt_int(p, "numberTotle"), "date_end_days": opt_int(p, "dateEndDays")}
        return voucher_ops.save_coupon(conn, fields, opt_int(p, "id"))

    @at("/user/extDiscountsCoupon/del")
    async def coupon_del(request: Request, p: dict[str, Any]) -> Any:
        voucher_ops.delete_coupon(conn, req_int(p, "id"))

    @at("/user/extDiscountsCoupon/sendUser")
    async def coupon_send(request: Request, p: dict[str, Any]) -> Any:
        return voucher_ops.send_coupon(conn, req_int(p, "id"), req_int(p, "uid"))

    @at("/user/extDiscountsCouponUser/list")
    async def user_coupon_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        if opt_int(p, "id"):  # a single row, for clients checking one coupon's state
            found = rows(conn, "SELECT * FROM user_coupons WHERE id = ?", opt_int(p, "id"))
            return listing(found, len(found), size, render_user_coupon)
        filters = {"uid": opt_int(p, "uid"), "coupon_id": opt_int(p, "refId") or opt_int(p, "pid"),
                   "order_id": opt_int(p, "orderId"), "status": p.get("status"),
                   "date_update_begin": p.get("dateUpdateBegin")}
        found, total = voucher_ops.list_user_coupons(conn, filters, page_no, size)
        return listing(found, total, size, render_user_coupon)

    @at("/user/extDiscountsCouponUser/invalid")
    async def user_coupon_invalid(request: Request, p: dict[str, Any]) -> Any:
        voucher_ops.invalidate_user_coupon(conn, req_int(p, "id"))
