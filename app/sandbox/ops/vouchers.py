"""核销券 vouchers (软猫引擎) and coupons with user coupons (API工厂)."""

from __future__ import annotations

import random
import sqlite3
from typing import Any

from app.sandbox.db import now
from app.sandbox.ops import conflict, invalid, not_found, one, page, tx, where_of
from app.sandbox.ops.users import get_user

VOUCHER_FILTERS = {
    "uid": "uid = ?",
    "order_id": "order_id = ?",
    "status": "status = ?",
    "code": "code = ?",
    "date_update_begin": "date_update >= ?",
}

USER_COUPON_FILTERS = {
    "uid": "uid = ?",
    "coupon_id": "coupon_id = ?",
    "order_id": "order_id = ?",
    "date_update_begin": "date_update >= ?",
}


def _expire(conn: sqlite3.Connection, ts: str) -> None:
    conn.execute("UPDATE vouchers SET status = 3, date_update = ? WHERE status = 0 AND date_end < ?", (ts, ts))


def list_vouchers(conn: sqlite3.Connection, filters: dict[str, Any], page_no: int,
                  page_size: int) -> tuple[list[dict[str, Any]], int]:
    with tx(conn):
        _expire(conn, now())
    where, args = where_of(filters, VOUCHER_FILTERS)
    order = "date_update, id" if filters.get("date_update_begin") else "id DESC"
    return page(conn, "vouchers", where, args, page_no, page_size, order)


def get_voucher(conn: sqlite3.Connection, *, voucher_id: int | None = None, code: str | None = None) -> dict[str, Any]:
    if voucher_id:
        found = one(conn, "SELECT * FROM vouchers WHERE id = ?", voucher_id)
    else:
        found = one(conn, "SELECT * FROM vouchers WHERE code = ?", (code or "").strip())
    if found is None:
        raise not_found("核销券")
    return found


def issue_voucher(conn: sqlite3.Connection, uid: int, name: str, days: int, order_id: int = 0) -> dict[str, Any]:
    if not name.strip():
        raise invalid("请填写核销券名称")
    if not 1 <= days <= 3650:
        raise invalid("有效天数必须在 1 到 3650 之间")
    with tx(conn):
        get_user(conn, uid)
        ts = now()
        code = f"HX{random.randrange(10**11, 10**12)}"
        cur = conn.execute("INSERT INTO vouchers (code, uid, order_id, name, status, date_add, date_end, date_update)"
                           " VALUES (?,?,?,?,0,?,datetime(?, ?),?)", (code, uid, order_id, name, ts, ts, f"+{days} days", ts))
        return get_voucher(conn, voucher_id=int(cur.lastrowid or 0))


def void_voucher(conn: sqlite3.Connection, voucher_id: int) -> None:
    with tx(conn):
        found = get_voucher(conn, voucher_id=voucher_id)
        if found["status"] != 0:
            raise conflict("只有未核销的券可以作废")
        conn.execute("UPDATE vouchers SET status = 2, date_update = ? WHERE id = ?", (now(), voucher_id))


def redeem_voucher(conn: sqlite3.Connection, *, voucher_id: int | None = None, code: str | None = None) -> dict[str, Any]:
    with tx(conn):
        ts = now()
        _expire(conn, ts)
        found = get_voucher(conn, voucher_id=voucher_id, code=code)
        if found["status"] != 0:
            texts = {1: "该券已核销", 2: "该券已作废", 3: "该券已过期"}
            raise conflict(texts.get(found["status"], "该券不能核销"))
        conn.execute("UPDATE vouchers SET status = 1, date_use = ?, date_update = ? WHERE id = ?",
                     (ts, ts, found["id"]))
        return get_voucher(conn, voucher_id=found["id"])


def list_coupons(conn: sqlite3.Connection, page_no: int, page_size: int) -> tuple[list[dict[str, Any]], int]:
    return page(conn, "coupons", [], [], page_no, page_size)


def save_coupon(conn: sqlite3.Connection, fields: dict[str, Any], coupon_id: int | None = None) -> int:
    name = str(fields.get("name") or "").strip()
    money = int(fields.get("money") or 0)
    if not name or money <= 0:
        raise invalid("请填写优惠券名称和面额")
    threshold, total = int(fields.get("money_hreshold") or 0), int(fields.get("number_total") or 100)
    days = int(fields.get("date_end_days") or 30)
    with tx(conn):
        ts = now()
        if coupon_id:
            if one(conn, "SELECT id FROM coupons WHERE id = ?", coupon_id) is None:
                raise not_found("优惠券")
            conn.execute("UPDATE coupons SET name=?, money=?, money_hreshold=?, number_total=?, date_end_days=?,"
                         " date_update=? WHERE id = ?", (name, money, threshold, total, days, ts, coupon_id))
            return coupon_id
        cur = conn.execute("INSERT INTO coupons (name, money, money_hreshold, number_total, number_left, date_end_days,"
                           " status, date_add, date_update) VALUES (?,?,?,?,?,?,0,?,?)",
                           (name, money, threshold, total, total, days, ts, ts))
        return int(cur.lastrowid or 0)


def delete_coupon(conn: sqlite3.Connection, coupon_id: int) -> None:
    with tx(conn):
        if one(conn, "SELECT id FROM coupons WHERE id = ?", coupon_id) is None:
            raise not_found("优惠券")
        conn.execute("UPDATE coupons SET status = 1, date_update = ? WHERE id = ?", (now(), coupon_id))


def list_user_coupons(conn: sqlite3.Connection, filters: dict[str, Any], page_no: int,
                      page_size: int) -> tuple[list[dict[str, Any]], int]:
    ts = now()
    with tx(conn):
        conn.execute("UPDATE user_coupons SET status = 2, date_update = ? WHERE status = 0 AND date_end < ?", (ts, ts))
    where, args = where_of(filters, USER_COUPON_FILTERS)
    if filters.get("status") not in (None, ""):
        statuses = [int(s) for s in str(filters["status"]).split(",")]
        where.append(f"status IN ({','.join('?' * len(statuses))})")
        args.extend(statuses)
    order = "date_update, id" if filters.get("date_update_begin") else "id DESC"
    return page(conn, "user_coupons", where, args, page_no, page_size, order)


def send_coupon(conn: sqlite3.Connection, coupon_id: int, uid: int) -> int:
    with tx(conn):
        coupon = one(conn, "SELECT * FROM coupons WHERE id = ?", coupon_id)
        if coupon is None or coupon["status"] != 0:
            raise not_found("优惠券")
        if coupon["number_left"] <= 0:
            raise conflict("优惠券已发完")
        get_user(conn, uid)
        ts = now()
        conn.execute("UPDATE coupons SET number_left = number_left - 1, date_update = ? WHERE id = ?", (ts, coupon_id))
        cur = conn.execute(
            "INSERT INTO user_coupons (coupon_id, uid, name, money, money_hreshold, status, date_add, date_end,"
            " date_update) VALUES (?,?,?,?,?,0,?,datetime(?, ?),?)",
            (coupon_id, uid, coupon["name"], coupon["money"], coupon["money_hreshold"], ts, ts,
             f"+{coupon['date_end_days']} days", ts))
        return int(cur.lastrowid or 0)


def invalidate_user_coupon(conn: sqlite3.Connection, user_coupon_id: int) -> None:
    with tx(conn):
        found = one(conn, "SELECT * FROM user_coupons WHERE id = ?", user_coupon_id)
        if found is None:
            raise not_found("用户优惠券")
        if found["status"] != 0:
            raise conflict("只有可使用的优惠券可以作废")
        conn.execute("UPDATE user_coupons SET status = 1, date_update = ? WHERE id = ?", (now(), user_coupon_id))
