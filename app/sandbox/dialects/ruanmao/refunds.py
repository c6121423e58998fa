"""软猫引擎 refund-application calls: list, detail, agree, refuse, complete."""

from __future__ import annotations

import sqlite3

from starlette.requests import Request

from app.sandbox.dialects.common import opt_int, req_int, req_str, to_cents
from app.sandbox.dialects.ruanmao.base import Ops, Params, pages, text
from app.sandbox.dialects.ruanmao.render import apply_row, listing
from app.sandbox.ops import refunds


def register(ops: Ops, conn: sqlite3.Connection) -> None:
    """Register the refund-application operations."""
    op = ops.op

    @op("refund.list")
    async def refund_list(p: Params, request: Request) -> Params:
        page_no, size = pages(p)
        filters = {"status": opt_int(p, "status"), "type": opt_int(p, "type"), "order_id": opt_int(p, "orderId"),
                   "uid": opt_int(p, "uid"), "date_update_begin": text(p, "dateUpdateBegin"),
                   "date_add_begin": text(p, "dateAddBegin"), "date_add_end": text(p, "dateAddEnd")}
        found, total = refunds.list_applies(conn, filters, page_no, size)
        return listing(found, total, size, lambda a: apply_row(a, request))

    @op("refund.detail")
    async def refund_detail(p: Params, request: Request) -> Params:
        return apply_row(refunds.get_apply(conn, req_int(p, "id")), request)

    def apply_target(p: Params) -> tuple[int, int]:
        found = refunds.get_apply(conn, req_int(p, "id"))
        return found["order_id"], found["id"]

    @op("refund.agree")
    async def refund_agree(p: Params, request: Request) -> None:
        refunds.set_processing(conn, *apply_target(p))

    @op("refund.refuse")
    async def refund_refuse(p: Params, request: Request) -> None:
        order_id, apply_id = apply_target(p)
        refunds.refuse(conn, order_id, apply_id, req_str(p, "reason"))

    @op("refund.complete")
    async def refund_complete(p: Params, request: Request) -> None:
        order_id, apply_id = apply_target(p)
        to_where = opt_int(p, "refundTo")
        amount = p.get("amount")
        refunds.complete(conn, order_id, apply_id, 1 if to_where is None else to_where,
                         None if amount in (None, "") else to_cents(amount, "amount"))
