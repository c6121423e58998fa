"""软猫引擎 voucher (核销券) calls: issue, void, redeem and list."""

from __future__ import annotations

import sqlite3

from starlette.requests import Request

from app.sandbox.dialects.common import opt_int, req_int, req_str
from app.sandbox.dialects.ruanmao.base import Ops, Params, pages, text
from app.sandbox.dialects.ruanmao.render import listing, voucher_row
from app.sandbox.ops import OpError, invalid, orders, vouchers


def register(ops: Ops, conn: sqlite3.Connection) -> None:
    """Register the voucher operations."""
    op = ops.op

    @op("voucher.issue")
    async def voucher_issue(p: Params, request: Request) -> Params:
        return voucher_row(vouchers.issue_voucher(conn, req_int(p, "uid"), req_str(p, "name"),
                                                  req_int(p, "validDays"), opt_int(p, "orderId") or 0))

    @op("voucher.void")
    async def voucher_void(p: Params, request: Request) -> None:
        vouchers.void_voucher(conn, req_int(p, "id"))

    @op("voucher.redeem")
    async def voucher_redeem(p: Params, request: Request) -> Params:
        voucher_id = opt_int(p, "id")
        code = text(p, "code").strip()
        if not voucher_id and not code:
            raise invalid("缺少参数 code")
        return voucher_row(vouchers.redeem_voucher(conn, voucher_id=voucher_id, code=code or None))

    @op("voucher.list_by_user")
    async def voucher_list(p: Params, request: Request) -> Params:
        page_no, size = pages(p)
        voucher_id = opt_int(p, "id")
        if voucher_id:  # one voucher by id, as a list of at most one
            try:
                found, total = [vouchers.get_voucher(conn, voucher_id=voucher_id)], 1
            except OpError:
                found, total = [], 0
            return listing(found, total, size, voucher_row)
        filters = {"uid": opt_int(p, "uid"), "status": opt_int(p, "status"), "code": text(p, "code"),
                   "date_update_begin": text(p, "dateUpdateBegin")}
        found, total = vouchers.list_vouchers(conn, filters, page_no, size)
        return listing(found, total, size, voucher_row)

    @op("voucher.list_by_order")
    async def voucher_list_by_order(p: Params, request: Request) -> list[Params]:
        order = orders.find_order(conn, number=req_str(p, "orderNumber").strip())
        found, _ = vouchers.list_vouchers(conn, {"order_id": order["id"]}, 1, 1000)
        return [voucher_row(v) for v in found]
