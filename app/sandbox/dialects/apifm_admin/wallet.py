"""API工厂 admin wallet calls: balances, the cash and points ledgers, adjustments and withdrawals."""

from __future__ import annotations

import sqlite3
from typing import Any

from starlette.requests import Request

from app.sandbox.dialects.apifm_admin.envelope import RouteTable, day_end, listing
from app.sandbox.dialects.apifm_admin.render import (
    render_cash,
    render_cash_log,
    render_score_log,
    render_withdrawal,
)
from app.sandbox.dialects.common import opt_int, paging, req_int, to_cents
from app.sandbox.ops import invalid, not_found, one
from app.sandbox.ops import wallet as wallet_ops


def register(table: RouteTable, conn: sqlite3.Connection) -> None:
    """Register the balance, ledger and withdrawal routes."""
    at = table.at

    @at("/user/apiExtUserCash/list")
    async def cash_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        uid = opt_int(p, "uid")
        if uid:
            found, total = [wallet_ops.assets(conn, uid)], 1
        else:
            orders = {"balanceUp": "balance", "balanceDown": "balance DESC", "freezeUp": "frozen",
                      "freezeDown": "frozen DESC", "scoreUp": "points", "scoreDown": "points DESC",
                      "totleConsumedUp": "total_consumed", "totleConsumedDown": "total_consumed DESC"}
            found, total = wallet_ops.list_assets(conn, {}, page_no, size,
                                                  orders.get(str(p.get("orderBy") or ""), "uid DESC"))
        return listing(found, total, size, render_cash)

    def ledger_filters(p: dict[str, Any]) -> dict[str, Any]:
        return {"uid": opt_int(p, "uid"), "type": opt_int(p, "type"), "behavior": opt_int(p, "behavior"),
                "order_id": opt_int(p, "orderId"), "date_add_begin": p.get("dateAddBegin"),
                "date_add_end": day_end(p.get("dateAddEnd")), "id_after": opt_int(p, "idAfter")}

    @at("/user/apiExtUserCashLog/list")
    async def cash_log(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = wallet_ops.list_ledger(conn, "balance", ledger_filters(p), page_no, size)
        return listing(found, total, size, render_cash_log)

    @at("/user/apiExtUserPay/save")
    async def pay_save(request: Request, p: dict[str, Any]) -> Any:
        wallet_ops.adjust(conn, uid_of(p), "balance", to_cents(p.get("money"), "money"), str(p.get("remark") or ""))

    @at("/user/apiExtUserScoreLog/list")
    async def score_log(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = wallet_ops.list_ledger(conn, "points", ledger_filters(p), page_no, size)
        return listing(found, total, size, render_score_log)

    @at("/user/apiExtUserScoreLog/save")
    async def score_save(request: Request, p: dict[str, Any]) -> Any:
        wallet_ops.adjust(conn, uid_of(p), "points", req_int(p, "score"), str(p.get("remark") or ""))

    def uid_of(p: dict[str, Any]) -> int:
        uid = opt_int(p, "uid")
        if uid:
            return uid
        mobile = str(p.get("mobile") or "").strip()
        if not mobile:
            raise invalid("缺少参数 uid 或 mobile")
        found = one(conn, "SELECT id FROM users WHERE mobile = ? ORDER BY id LIMIT 1", mobile)
        if found is None:
            raise not_found("用户")
        return int(found["id"])

    @at("/user/extUserWithdraw/list")
    async def withdraw_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        filters = {"status": opt_int(p, "status"), "uid": opt_int(p, "uid"), "number": p.get("number"),
                   "date_update_begin": p.get("dateUpdateBegin"), "date_add_begin": p.get("dateAddBegin"),
                   "date_add_end": day_end(p.get("dateAddEnd"))}
        found, total = wallet_ops.list_withdrawals(conn, filters, page_no, size)
        return listing(found, total, size, render_withdrawal)

    @at("/user/extUserWithdraw/info", "GET")
    async def withdraw_info(request: Request, p: dict[str, Any]) -> Any:
        return render_withdrawal(wallet_ops.get_withdrawal(conn, req_int(p, "id")))

    @at("/user/extUserWithdraw/success")
    async def withdraw_success(request: Request, p: dict[str, Any]) -> Any:
        wallet_ops.approve_withdrawal(conn, req_int(p, "id"))

    @at("/user/extUserWithdraw/refuse")
    async def withdraw_refuse(request: Request, p: dict[str, Any]) -> Any:
        wallet_ops.refuse_withdrawal(conn, req_int(p, "id"), str(p.get("remark") or p.get("reason") or ""))
