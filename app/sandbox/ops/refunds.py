"""After-sale applications (退款 / 退货退款 / 换货): the buyer's side and the merchant's."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from app.sandbox.db import now
from app.sandbox.ops import OpError, conflict, invalid, log_order, not_found, one, page, rows, tx, where_of
from app.sandbox.ops.orders import _refund_money, _touch, get_order

OPEN = (0, 3)


APPLY_FILTERS = {
    "status": "status = ?",
    "type": "type = ?",
    "order_id": "order_id = ?",
    "uid": "uid = ?",
    "date_update_begin": "date_update >= ?",
    "date_add_begin": "date_add >= ?",
    "date_add_end": "date_add <= ?",
}


def list_applies(conn: sqlite3.Connection, filters: dict[str, Any], page_no: int,
                 page_size: int) -> tuple[list[dict[str, Any]], int]:
    where, args = where_of(filters, APPLY_FILTERS)
    order = "date_update, id" if filters.get("date_update_begin") else "id DESC"
    return page(conn, "refund_applies", where, args, page_no, page_size, order)


def get_apply(conn: sqlite3.Connection, apply_id: int) -> dict[str, Any]:
    found = one(conn, "SELECT * FROM refund_applies WHERE id = ?", apply_id)
    if found is None:
        raise not_found("售后申请")
    return found


def _apply_for(conn: sqlite3.Connection, order_id: int, apply_id: int | None) -> dict[str, Any]:
    if apply_id:
        found = get_apply(conn, apply_id)
        if found["order_id"] != order_id:
            raise not_found("售后申请")
        return found
    found = one(conn, "SELECT * FROM refund_applies WHERE order_id = ? ORDER BY id DESC LIMIT 1", order_id)
    if found is None:
        raise not_found("售后申请")
    return found


def _sync_order_flag(conn: sqlite3.Connection, order_id: int, ts: str) -> None:
    """Recompute the order's refund flag from its applications and refunds."""
    order = get_order(conn, order_id)
    open_count = conn.execute("SELECT COUNT(*) FROM refund_applies WHERE order_id = ? AND status IN (0, 3)",
                              (order_id,)).fetchone()[0]
    if open_count:
        state = 2
    elif order["amount_refund_total"] > 0:
        state = 3
    else:
        any_apply = conn.execute("SELECT COUNT(*) FROM refund_applies WHERE order_id = ?", (order_id,)).fetchone()[0]
        state = 1 if any_apply else 0
    _touch(conn, order_id, ts, refund_status=state, has_refund=int(state > 0))


def apply(conn: sqlite3.Connection, uid: int, order_id: int, order_goods_id: int | None, rtype: int,
          goods_received: int, reason: str, amount: int, number: int | None, remark: str,
          pics: list[str]) -> int:
    if rtype not in (0, 1, 2):
        raise invalid("售后类型只能是 0 仅退款、1 退货退款、2 换货")
    if not reason.strip():
        raise invalid("请填写售后原因")
    with tx(conn):
        order = get_order(conn, order_id)
        if order["uid"] != uid:
            raise not_found("订单")
        if order["status"] not in (1, 2, 3):
            raise conflict("该订单状态不能申请售后")
        goods = rows(conn, "SELECT * FROM order_goods WHERE order_id = ? ORDER BY id", order_id)
        line = next((g for g in goods if g["id"] == order_goods_id), None) if order_goods_id else goods[0]
        if line is None:
            raise invalid("订单商品不存在")
        existing = one(conn, "SELECT id FROM refund_applies WHERE order_id = ? AND order_goods_id = ? "
                             "AND status IN (0, 3)", order_id, line["id"])
        if existing:
            raise OpError(OpError.DUPLICATE_REFUND, "该商品已有进行中的售后申请")
        left = order["amount_real"] - order["amount_refund_total"]
        if rtype == 2:
            amount = 0
        elif amount <= 0 or amount > left:
            raise invalid(f"退款金额必须大于0且不超过 {left / 100:.2f}")
        number = number or line["number"]
        ts = now()
        cur = conn.execute(
            "INSERT INTO refund_applies (order_id, order_goods_id, uid, type, logistics_status, reason, remark,"
            " amount, number, status, status2, pics, date_add, date_update) VALUES (?,?,?,?,?,?,?,?,?,0,?,?,?,?)",
            (order_id, line["id"], uid, rtype, goods_received, reason, remark, amount, number,
             1 if rtype in (1, 2) else 0, json.dumps(pics), ts, ts))
        conn.execute("UPDATE order_goods SET refund_status = 1 WHERE id = ?", (line["id"],))
        log_order(conn, order_id, 10, "申请售后", reason, ts)
        _sync_order_flag(conn, order_id, ts)
        return int(cur.lastrowid or 0)


def cancel(conn: sqlite3.Connection, uid: int, order_id: int, order_goods_id: int | None = None) -> None:
    with tx(conn):
        sql = "SELECT * FROM refund_applies WHERE order_id = ? AND uid = ? AND status IN (0, 3)"
        args: list[Any] = [order_id, uid]
        if order_goods_id:
            sql += " AND order_goods_id = ?"
            args.append(order_goods_id)
        found = one(conn, sql, *args)
        if found is None:
            raise not_found("进行中的售后申请")
        ts = now()
        conn.execute("UPDATE refund_applies SET status = 1, date_update = ? WHERE id = ?", (ts, found["id"]))
        log_order(conn, order_id, 12, "撤销售后", "", ts)
        _sync_order_flag(conn, order_id, ts)


def set_back_logistics(conn: sqlite3.Connection, uid: int, order_id: int, apply_id: int, shipper: str,
                       tracking: str) -> None:
    if not tracking.strip():
        raise invalid("请填写退货快递单号")
    with tx(conn):
        found = _apply_for(conn, order_id, apply_id)
        if found["uid"] != uid:
            raise not_found("售后申请")
        if found["type"] not in (1, 2) or found["status"] not in OPEN:
            raise conflict("该售后申请不需要寄回商品")
        ts = now()
        conn.execute("UPDATE refund_applies SET back_shipper = ?, back_tracking = ?, status2 = 2, date_update = ?"
                     " WHERE id = ?", (shipper, tracking.strip(), ts, found["id"]))
        _touch(conn, order_id, ts)
        log_order(conn, order_id, 13, "买家寄回商品", f"{shipper} {tracking}", ts)


def set_processing(conn: sqlite3.Connection, order_id: int, apply_id: int | None) -> None:
    with tx(conn):
        found = _apply_for(conn, order_id, apply_id)
        if found["status"] != 0:
            raise conflict("只有待处理的售后申请可以设为处理中")
        ts = now()
        conn.execute("UPDATE refund_applies SET status = 3, date_update = ? WHERE id = ?", (ts, found["id"]))
        log_order(conn, order_id, 14, "售后处理中", "商家同意", ts)
        _sync_order_flag(conn, order_id, ts)


def refuse(conn: sqlite3.Connection, order_id: int, apply_id: int | None, reason: str) -> None:
    if not reason.strip():
        raise invalid("拒绝售后必须填写原因")
    with tx(conn):
        found = _apply_for(conn, order_id, apply_id)
        if found["status"] not in OPEN:
            raise conflict("该售后申请已结束，不能拒绝")
        ts = now()
        conn.execute("UPDATE refund_applies SET status = 2, refuse_reason = ?, date_update = ? WHERE id = ?",
                     (reason, ts, found["id"]))
        conn.execute("UPDATE order_goods SET refund_status = 0 WHERE id = ?", (found["order_goods_id"],))
        log_order(conn, order_id, 15, "拒绝售后", reason, ts)
        _sync_order_flag(conn, order_id, ts)


def complete(conn: sqlite3.Connection, order_id: int, apply_id: int | None, to_where: int = 1,
             amount: int | None = None) -> None:
    """Finish an application: refund its amount (not for exchanges) and close it."""
    with tx(conn):
        found = _apply_for(conn, order_id, apply_id)
        if found["status"] not in OPEN:
            raise conflict("该售后申请已结束")
        if found["type"] in (1, 2) and found["status2"] == 1:
            raise conflict("买家还没有寄回商品，不能完成售后")
        ts = now()
        money = found["amount"] if amount is None else amount
        if found["type"] != 2 and money > 0:
            order = get_order(conn, order_id)
            _refund_money(conn, order, money, to_where, "售后退款", ts, apply_id=found["id"])
        conn.execute("UPDATE refund_applies SET status = 4, amount = ?, date_update = ? WHERE id = ?",
                     (money, ts, found["id"]))
        conn.execute("UPDATE order_goods SET refund_status = 2 WHERE id = ?", (found["order_goods_id"],))
        log_order(conn, order_id, 16, "售后完成", "", ts)
        _sync_order_flag(conn, order_id, ts)
