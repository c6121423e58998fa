"""软猫引擎 asset calls: balances, ledgers and adjustments; withdrawals and their review."""

from __future__ import annotations

import sqlite3

from starlette.requests import Request

from app.sandbox.dialects.common import opt_int, req_int, req_str, to_cents, yuan_str
from app.sandbox.dialects.ruanmao.base import Handler, Ops, Params, pages, text
from app.sandbox.dialects.ruanmao.render import ledger_row, listing, withdrawal_row
from app.sandbox.ops import invalid, wallet


def register(ops: Ops, conn: sqlite3.Connection) -> None:
    """Register the asset and withdrawal operations."""
    op = ops.op

    @op("asset.get")
    async def asset_get(p: Params, request: Request) -> Params:
        a = wallet.assets(conn, req_int(p, "uid"))
        return {"uid": a["uid"], "balance": yuan_str(a["balance"]), "freeze": yuan_str(a["frozen"]),
                "score": a["points"], "token": a["tokens"], "totalConsumed": yuan_str(a["total_consumed"])}

    def ledger_lister(kind: str) -> Handler:
        async def list_log(p: Params, request: Request) -> Params:
            page_no, size = pages(p)
            filters = {"uid": opt_int(p, "uid"), "type": opt_int(p, "type"), "behavior": opt_int(p, "behavior"),
                       "order_id": opt_int(p, "orderId"), "date_add_begin": text(p, "dateAddBegin"),
                       "date_add_end": text(p, "dateAddEnd")}
            found, total = wallet.list_ledger(conn, kind, filters, page_no, size)
            return listing(found, total, size, ledger_row)

        return list_log

    def adjuster(kind: str) -> Handler:
        async def adjust(p: Params, request: Request) -> Params:
            raw = p.get("amount")
            if kind == "balance":
                delta = to_cents(raw, "amount")
            else:
                if isinstance(raw, bool) or not isinstance(raw, int | str):
                    raise invalid("参数 amount 必须是整数")
                delta = req_int(p, "amount")
            after = wallet.adjust(conn, req_int(p, "uid"), kind, delta, text(p, "remark"))
            return {"uid": req_int(p, "uid"), "balance": yuan_str(after) if kind == "balance" else after}

        return adjust

    for kind, name in (("balance", "balance"), ("points", "points"), ("token", "token"), ("frozen", "frozen")):
        ops[f"asset.{name}_log"] = ledger_lister(kind)
    ops["asset.adjust_balance"] = adjuster("balance")
    ops["asset.adjust_points"] = adjuster("points")
    ops["asset.adjust_tokens"] = adjuster("token")

    # --- withdrawals ----------------------------------------------------------------------

    def withdrawal_lister(channel: str) -> Handler:
        async def list_withdrawals(p: Params, request: Request) -> Params:
            page_no, size = pages(p)
            filters = {"channel": channel, "status": opt_int(p, "status"), "uid": opt_int(p, "uid"),
                       "number": text(p, "number"), "date_update_begin": text(p, "dateUpdateBegin"),
                       "date_add_begin": text(p, "dateAddBegin"), "date_add_end": text(p, "dateAddEnd")}
            found, total = wallet.list_withdrawals(conn, filters, page_no, size)
            return listing(found, total, size, withdrawal_row)

        return list_withdrawals

    ops["withdraw.bank_logs"] = withdrawal_lister("bank")
    ops["withdraw.wechat_logs"] = withdrawal_lister("wechat")

    @op("withdraw.detail")
    async def withdraw_detail(p: Params, request: Request) -> Params:
        return withdrawal_row(wallet.get_withdrawal(conn, req_int(p, "id")))

    @op("withdraw.approve")
    async def withdraw_approve(p: Params, request: Request) -> None:
        wallet.approve_withdrawal(conn, req_int(p, "id"))

    @op("withdraw.refuse")
    async def withdraw_refuse(p: Params, request: Request) -> None:
        wallet.refuse_withdrawal(conn, req_int(p, "id"), req_str(p, "reason"))

    @op("withdraw.stats")
    async def withdraw_stats(p: Params, request: Request) -> Params:
        s = wallet.withdrawal_stats(conn, opt_int(p, "uid"))
        return {"uid": s["uid"], "count": s["count"], "paid": yuan_str(s["paid"]),
                "pending": yuan_str(s["pending"]), "refused": yuan_str(s["refused"])}
