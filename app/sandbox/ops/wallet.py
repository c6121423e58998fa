"""Balances, frozen balance, points and tokens with their logs; withdrawals."""

from __future__ import annotations

import sqlite3
from typing import Any

from app.sandbox.db import now
from app.sandbox.ops import conflict, invalid, ledger_entry, not_found, one, page, tx, where_of
from app.sandbox.ops.users import get_user

KINDS = ("balance", "frozen", "points", "token")


LEDGER_FILTERS = {
    "uid": "uid = ?",
    "type": "type = ?",
    "behavior": "behavior = ?",
    "order_id": "order_id = ?",
    "date_add_begin": "date_add >= ?",
    "date_add_end": "date_add <= ?",
    "id_after": "id > ?",
}

WITHDRAWAL_FILTERS = {
    "status": "status = ?",
    "uid": "uid = ?",
    "channel": "channel = ?",
    "number": "number = ?",
    "date_update_begin": "date_update >= ?",
    "date_add_begin": "date_add >= ?",
    "date_add_end": "date_add <= ?",
}


def assets(conn: sqlite3.Connection, uid: int) -> dict[str, Any]:
    get_user(conn, uid)
    found = one(conn, "SELECT * FROM assets WHERE uid = ?", uid)
    return found or {"uid": uid, "balance": 0, "frozen": 0, "points": 0, "tokens": 0, "total_consumed": 0}


def list_assets(conn: sqlite3.Connection, filters: dict[str, Any], page_no: int, page_size: int,
                order: str = "uid DESC") -> tuple[list[dict[str, Any]], int]:
    where, args = [], []
    if filters.get("uid"):
        where.append("uid = ?")
        args.append(int(filters["uid"]))
    return page(conn, "assets", where, args, page_no, page_size, order)


def list_ledger(conn: sqlite3.Connection, kind: str, filters: dict[str, Any], page_no: int,
                page_size: int) -> tuple[list[dict[str, Any]], int]:
    if kind not in KINDS:
        raise invalid(f"未知的资产类型：{kind}")
    where, args = where_of(filters, LEDGER_FILTERS, ["kind = ?"], [kind])
    order = "id" if filters.get("id_after") is not None else "id DESC"
    return page(conn, "ledger", where, args, page_no, page_size, order)


def adjust(conn: sqlite3.Connection, uid: int, kind: str, delta: int, remark: str) -> int:
    """A staff adjustment: positive adds, negative deducts. Refuses to go below zero."""
    if kind not in ("balance", "points", "token"):
        raise invalid("只能调整余额、积分或代币")
    if delta == 0:
        raise invalid("调整数量不能为 0")
    if not remark.strip():
        raise invalid("请填写调整原因")
    with tx(conn):
        get_user(conn, uid)
        typ = {"balance": 150, "points": 4, "token": 4}[kind]
        return ledger_entry(conn, uid, kind, delta, typ, remark, now())


def list_withdrawals(conn: sqlite3.Connection, filters: dict[str, Any], page_no: int,
                     page_size: int) -> tuple[list[dict[str, Any]], int]:
    where, args = where_of(filters, WITHDRAWAL_FILTERS)
    order = "date_update, id" if filters.get("date_update_begin") else "id DESC"
    return page(conn, "withdrawals", where, args, page_no, page_size, order)


def get_withdrawal(conn: sqlite3.Connection, wid: int) -> dict[str, Any]:
    found = one(conn, "SELECT * FROM withdrawals WHERE id = ?", wid)
    if found is None:
        raise not_found("提现记录")
    return found


def request_withdrawal(conn: sqlite3.Connection, uid: int, amount: int, channel: str, name: str = "",
                       account: str = "", bank: str = "") -> int:
    if amount < 100:
        raise invalid("提现金额至少 1 元")
    if channel not in ("bank", "wechat"):
        raise invalid("提现方式只能是银行卡或微信零钱")
    with tx(conn):
        ts = now()
        ledger_entry(conn, uid, "balance", -amount, 11, "申请提现", ts)
        ledger_entry(conn, uid, "frozen", amount, 11, "提现冻结", ts)
        count = conn.execute("SELECT COUNT(*) FROM withdrawals").fetchone()[0]
        number = f"TX{ts[:10].replace('-', '')}{count + 1:06d}"
        cur = conn.execute(
            "INSERT INTO withdrawals (number, uid, channel, amount, fee, status, real_name, account_no, bank_name,"
            " date_add, date_update) VALUES (?,?,?,?,?,0,?,?,?,?,?)",
            (number, uid, channel, amount, amount // 100 if channel == "bank" else 0, name, account, bank, ts, ts))
        return int(cur.lastrowid or 0)


def approve_withdrawal(conn: sqlite3.Connection, wid: int) -> None:
    with tx(conn):
        found = get_withdrawal(conn, wid)
        if found["status"] not in (0, 3):
            raise conflict("该提现申请已处理")
        ts = now()
        ledger_entry(conn, found["uid"], "frozen", -found["amount"], 1, "提现成功", ts)
        conn.execute("UPDATE withdrawals SET status = 1, date_update = ? WHERE id = ?", (ts, wid))


def refuse_withdrawal(conn: sqlite3.Connection, wid: int, reason: str) -> None:
    if not reason.strip():
        raise invalid("拒绝提现必须填写原因")
    with tx(conn):
        found = get_withdrawal(conn, wid)
        if found["status"] not in (0, 3):
            raise conflict("该提现申请已处理")
        ts = now()
        ledger_entry(conn, found["uid"], "frozen", -found["amount"], 12, "提现失败，解冻", ts)
        ledger_entry(conn, found["uid"], "balance", found["amount"], 12, "提现失败退回", ts)
        conn.execute("UPDATE withdrawals SET status = 2, refuse_reason = ?, date_update = ? WHERE id = ?",
                     (reason, ts, wid))


def withdrawal_stats(conn: sqlite3.Connection, uid: int | None = None) -> dict[str, Any]:
    where, args = ("WHERE uid = ?", [uid]) if uid else ("", [])
    row = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 1 THEN amount END), 0),"
        " COALESCE(SUM(CASE WHEN status IN (0, 3) THEN amount END), 0),"
        f" COALESCE(SUM(CASE WHEN status = 2 THEN amount END), 0) FROM withdrawals {where}", args).fetchone()
    return {"uid": uid or 0, "count": row[0], "paid": row[1], "pending": row[2], "refused": row[3]}
