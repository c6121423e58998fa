"""Orders: listing, detail and every merchant action on an order."""

from __future__ import annotations

import json
import random
import sqlite3
from typing import Any

from app.sandbox.db import now
from app.sandbox.ops import (
    conflict,
    count,
    invalid,
    ledger_entry,
    log_order,
    not_found,
    one,
    rows,
    totals,
    tx,
    window,
)

# The newest order placed by a time (the argument).
_LAST_ADDED_BY = "COALESCE((SELECT id FROM orders WHERE date_add <= ? ORDER BY date_add DESC, id DESC LIMIT 1), 0)"
ORDER_FILTERS = {
    # filter name -> (SQL, how to turn the wire value into the argument)
    "status": ("status = ?", int),
    "refund_status": ("refund_status = ?", int),
    "is_need_logistics": ("is_need_logistics = ?", int),
    "id": ("id = ?", int),
    "uid": ("uid = ?", int),
    "order_number": ("order_number = ?", str),
    "hx_number": ("hx_number = ?", str),
    # Orders are numbered in the order they are placed, so a creation-time bound is an id
    # bound: the list can then walk the id index instead of sorting a date range.
    "date_add_begin": ("id >= COALESCE((SELECT id FROM orders WHERE date_add >= ? ORDER BY date_add, id LIMIT 1),"
                       " 1 << 62)", str),
    "date_add_end": (f"id <= {_LAST_ADDED_BY}", str),
    "date_update_begin": ("date_update >= ?", str),
    "date_update_end": ("date_update <= ?", str),
    "goods_id": ("id IN (SELECT order_id FROM order_goods WHERE goods_id = ?)", int),
    "goods_name": ("id IN (SELECT order_id FROM order_goods WHERE goods_name LIKE '%' || ? || '%')", str),
    "mobile": ("mobile = ?", str),
}


def order_where(filters: dict[str, Any]) -> tuple[str, list[Any]]:
    """The WHERE clause for a list filter (the names in ORDER_FILTERS, plus ``statuses``)."""
    where, args = [], []
    for key, value in filters.items():
        if value is None or value == "":
            continue
        if key == "statuses":
            statuses = [int(s) for s in str(value).split(",") if s.strip() != ""]
            where.append(f"status IN ({','.join('?' * len(statuses))})")
            args.extend(statuses)
            continue
        sql, cast = ORDER_FILTERS[key]
        where.append(sql)
        args.append(cast(value))
    return (f" WHERE {' AND '.join(where)}" if where else ""), args


def list_orders(conn: sqlite3.Connection, filters: dict[str, Any], page_no: int, page_size: int,
                order: str = "id DESC") -> tuple[list[dict[str, Any]], int]:
    clause, args = order_where(filters)
    if order == "id DESC" and filters.get("date_update_begin"):
        order = "date_update, id"  # an incremental sync walks forward through changes
    total = count(conn, f"SELECT COUNT(*) FROM orders{clause}", args)
    if order == "id DESC" and [k for k, v in filters.items() if v not in (None, "")] == ["date_add_end"]:
        # What existed at a moment, newest first (a client's first sync lists a snapshot):
        # OFFSET steps through a bounded range of the id index ~3x slower than through the
        # whole of it, so the page is read from the whole index, past the orders placed since.
        since = conn.execute(f"SELECT COUNT(*) FROM orders WHERE id > {_LAST_ADDED_BY}",
                             (str(filters["date_add_end"]),)).fetchone()[0]
        return window(conn, "orders", "", [], order, page_no, page_size, skip=since), total
    return window(conn, "orders", clause, args, order, page_no, page_size), total


def goods_for(conn: sqlite3.Connection, order_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in order_ids}
    if order_ids:
        marks = ",".join("?" * len(order_ids))
        for r in rows(conn, f"SELECT * FROM order_goods WHERE order_id IN ({marks}) ORDER BY id", *order_ids):
            out[r["order_id"]].append(r)
    return out


def parcels_for(conn: sqlite3.Connection, order_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in order_ids}
    if order_ids:
        marks = ",".join("?" * len(order_ids))
        sql = (f"SELECT p.*, c.name AS courier_name, c.code AS courier_code FROM parcels p "
               f"LEFT JOIN couriers c ON c.id = p.courier_id WHERE p.order_id IN ({marks}) ORDER BY p.id")
        for r in rows(conn, sql, *order_ids):
            if r["courier_name"] is None:
                r["courier_name"], r["courier_code"] = "其他快递", "OTHER"
            out[r["order_id"]].append(r)
    return out


def get_order(conn: sqlite3.Connection, order_id: int) -> dict[str, Any]:
    order = one(conn, "SELECT * FROM orders WHERE id = ?", order_id)
    if order is None:
        raise not_found("订单")
    return order


def find_order(conn: sqlite3.Connection, *, order_id: int | None = None, number: str | None = None,
               hx_number: str | None = None) -> dict[str, Any]:
    if order_id:
        return get_order(conn, order_id)
    if number:
        found = one(conn, "SELECT * FROM orders WHERE order_number = ?", number)
    elif hx_number:
        found = one(conn, "SELECT * FROM orders WHERE hx_number = ?", hx_number)
    else:
        raise invalid("缺少订单编号")
    if found is None:
        raise not_found("订单")
    return found


def detail(conn: sqlite3.Connection, order_id: int) -> dict[str, Any]:
    order = get_order(conn, order_id)
    return {
        "order": order,
        "goods": goods_for(conn, [order_id])[order_id],
        "parcels": parcels_for(conn, [order_id])[order_id],
        "logs": rows(conn, "SELECT * FROM order_logs WHERE order_id = ? ORDER BY id", order_id),
        "refund_applies": rows(conn, "SELECT * FROM refund_applies WHERE order_id = ? ORDER BY id", order_id),
        "refunds": rows(conn, "SELECT * FROM refunds WHERE order_id = ? ORDER BY id", order_id),
        "user": one(conn, "SELECT * FROM users WHERE id = ?", order["uid"]),
    }


def _touch(conn: sqlite3.Connection, order_id: int, ts: str, **changes: Any) -> None:
    sets = ", ".join(f"{k} = ?" for k in changes)
    conn.execute(f"UPDATE orders SET {sets}{', ' if sets else ''}date_update = ? WHERE id = ?",
                 (*changes.values(), ts, order_id))


def _require(order: dict[str, Any], allowed: tuple[int, ...], action: str) -> None:
    if order["status"] not in allowed:
        names = {-1: "已关闭", 0: "待付款", 1: "待发货", 2: "已发货", 3: "待评价", 4: "已完成"}
        raise conflict(f"订单{names.get(order['status'], order['status'])}，不能{action}")


def change_price(conn: sqlite3.Connection, order_id: int, payable: int, freight: int | None = None) -> None:
    if payable < 0 or (freight is not None and freight < 0):
        raise invalid("金额不能为负数")
    with tx(conn):
        order = get_order(conn, order_id)
        _require(order, (0,), "改价")
        ts = now()
        changes: dict[str, Any] = {"amount_real": payable}
        if freight is not None:
            changes["amount_logistics"] = freight
        _touch(conn, order_id, ts, **changes)
        log_order(conn, order_id, 5, "改价", f"{order['amount_real'] / 100:.2f} → {payable / 100:.2f}", ts)


def set_remark(conn: sqlite3.Connection, order_id: int, remark: str) -> None:
    if len(remark) > 500:
        raise invalid("备注不能超过500个字")
    with tx(conn):
        get_order(conn, order_id)
        ts = now()
        _touch(conn, order_id, ts, admin_remark=remark)
        log_order(conn, order_id, 6, "修改备注", remark, ts)


def _mark_paid(conn: sqlite3.Connection, order: dict[str, Any], gate: str, ts: str) -> None:
    _touch(conn, order["id"], ts, status=1, is_pay=1, pay_gate=gate, date_pay=ts)
    conn.execute("UPDATE assets SET total_consumed = total_consumed + ?, date_update = ? WHERE uid = ?",
                 (order["amount_real"], ts, order["uid"]))
    log_order(conn, order["id"], 1, "支付", {"OFFLINE": "线下支付", "BALANCE": "余额支付"}.get(gate, gate), ts)


def pay_offline(conn: sqlite3.Connection, order_id: int) -> None:
    with tx(conn):
        order = get_order(conn, order_id)
        _require(order, (0,), "设为已付款")
        _mark_paid(conn, order, "OFFLINE", now())


def pay_balance(conn: sqlite3.Connection, order_id: int, uid: int | None = None) -> None:
    with tx(conn):
        order = get_order(conn, order_id)
        if uid is not None and order["uid"] != uid:
            raise not_found("订单")
        _require(order, (0,), "支付")
        ts = now()
        ledger_entry(conn, order["uid"], "balance", -order["amount_real"], 2, "订单支付", ts, order_id)
        _mark_paid(conn, order, "BALANCE", ts)


def _refund_money(conn: sqlite3.Connection, order: dict[str, Any], amount: int, to_where: int, remark: str,
                  ts: str, apply_id: int = 0) -> None:
    left = order["amount_real"] - order["amount_refund_total"]
    if amount <= 0 or amount > left:
        raise invalid(f"退款金额必须大于0且不超过可退金额 {left / 100:.2f}")
    conn.execute("INSERT INTO refunds (order_id, apply_id, amount, to_where, status, remark, date_add)"
                 " VALUES (?,?,?,?,3,?,?)", (order["id"], apply_id, amount, to_where, remark, ts))
    if to_where == 0:
        ledger_entry(conn, order["uid"], "balance", amount, 3, "订单退款", ts, order["id"])
    _touch(conn, order["id"], ts, amount_refund_total=order["amount_refund_total"] + amount,
           has_refund=1, refund_status=3)
    order["amount_refund_total"] += amount
    log_order(conn, order["id"], 11, "退款", f"{amount / 100:.2f} 元{'退到余额' if to_where == 0 else '原路退回'}", ts)


def close(conn: sqlite3.Connection, order_id: int, uid: int | None = None, reason: str = "商家关闭") -> None:
    with tx(conn):
        order = get_order(conn, order_id)
        if uid is not None and order["uid"] != uid:
            raise not_found("订单")
        _require(order, (0,) if uid is not None else (0, 1), "关闭")
        ts = now()
        if order["is_pay"] and order["amount_real"] > order["amount_refund_total"]:
            _refund_money(conn, order, order["amount_real"] - order["amount_refund_total"],
                          0 if order["pay_gate"] == "BALANCE" else 1, "关闭订单全额退款", ts)
        _touch(conn, order_id, ts, status=-1, date_close=ts)
        log_order(conn, order_id, -1, "关闭", reason, ts)


def _open_apply(conn: sqlite3.Connection, order_id: int) -> dict[str, Any] | None:
    return one(conn, "SELECT * FROM refund_applies WHERE order_id = ? AND status IN (0, 3)", order_id)


def ship(conn: sqlite3.Connection, order_id: int, courier_id: int, tracking: str,
         goods: list[tuple[int, int]] | None = None) -> int:
    """Ship all unshipped goods, or the given (order goods id, number) pairs. Returns the parcel id."""
    tracking = tracking.strip()
    with tx(conn):
        order = get_order(conn, order_id)
        if not order["is_need_logistics"]:
            raise conflict("自提订单不需要发货")
        if order["refund_status"] == 3 and order["amount_refund_total"] >= order["amount_real"]:
            raise conflict("订单已全额退款，不能发货")
        _require(order, (1, 2), "发货")
        if _open_apply(conn, order_id) is not None:
            raise conflict("订单有未处理的售后申请，请先处理售后再发货")
        if courier_id != -1 and one(conn, "SELECT id FROM couriers WHERE id = ?", courier_id) is None:
            raise invalid("快递公司不存在")
        lines = {r["id"]: r for r in rows(conn, "SELECT * FROM order_goods WHERE order_id = ?", order_id)}
        if goods is None:
            goods = [(gid, r["number_no_fahuo"]) for gid, r in lines.items() if r["number_no_fahuo"] > 0]
            if not goods:
                raise conflict("订单商品已全部发货")
        for gid, number in goods:
            line = lines.get(gid)
            if line is None:
                raise invalid(f"订单商品 {gid} 不属于该订单")
            if number <= 0 or number > line["number_no_fahuo"]:
                raise invalid(f"订单商品 {gid} 的发货数量必须在 1 到 {line['number_no_fahuo']} 之间")
        ts = now()
        for gid, number in goods:
            conn.execute("UPDATE order_goods SET number_no_fahuo = number_no_fahuo - ? WHERE id = ?", (number, gid))
        cur = conn.execute(
            "INSERT INTO parcels (order_id, courier_id, tracking_number, goods, traces, date_add) VALUES (?,?,?,?,?,?)",
            (order_id, courier_id, tracking,
             json.dumps([{"orderGoodsId": g, "number": n} for g, n in goods]), "[]", ts))
        left = conn.execute("SELECT COALESCE(SUM(number_no_fahuo), 0) FROM order_goods WHERE order_id = ?",
                            (order_id,)).fetchone()[0]
        changes: dict[str, Any] = {}
        if left == 0 and order["status"] == 1:
            changes = {"status": 2, "date_ship": ts}
        _touch(conn, order_id, ts, **changes)
        courier = one(conn, "SELECT name FROM couriers WHERE id = ?", courier_id)
        name = courier["name"] if courier else "其他快递"
        log_order(conn, order_id, 2, "发货" if left == 0 else "部分发货",
                  f"{name} {tracking}".strip() if tracking else f"{name}（无需单号）", ts)
        return int(cur.lastrowid or 0)


def add_tracking(conn: sqlite3.Connection, order_id: int, courier_id: int, numbers: list[str]) -> list[int]:
    numbers = [n.strip() for n in numbers if n and n.strip()]
    if not numbers:
        raise invalid("请填写快递单号")
    with tx(conn):
        order = get_order(conn, order_id)
        if not order["is_need_logistics"]:
            raise conflict("自提订单没有快递单号")
        _require(order, (2, 3), "补充快递单号")
        if courier_id != -1 and one(conn, "SELECT id FROM couriers WHERE id = ?", courier_id) is None:
            raise invalid("快递公司不存在")
        ts = now()
        ids = []
        for number in numbers:
            cur = conn.execute("INSERT INTO parcels (order_id, courier_id, tracking_number, goods, traces, date_add)"
                               " VALUES (?,?,?,'[]','[]',?)", (order_id, courier_id, number, ts))
            ids.append(int(cur.lastrowid or 0))
        _touch(conn, order_id, ts)
        log_order(conn, order_id, 7, "补充快递单号", ", ".join(numbers), ts)
        return ids


def pickup(conn: sqlite3.Connection, order_id: int) -> None:
    """线下取货: the buyer collected the goods in person; nothing is shipped."""
    with tx(conn):
        order = get_order(conn, order_id)
        _require(order, (1,), "设为线下取货")
        if _open_apply(conn, order_id) is not None:
            raise conflict("订单有未处理的售后申请，请先处理售后")
        ts = now()
        conn.execute("UPDATE order_goods SET number_no_fahuo = 0 WHERE order_id = ?", (order_id,))
        hx = order["hx_number"] or f"{random.randrange(10**9, 10**10)}"
        _touch(conn, order_id, ts, status=3, is_need_logistics=0, hx_number=hx, date_success=ts)
        log_order(conn, order_id, 3, "线下取货", "", ts)


def redeem_pickup(conn: sqlite3.Connection, hx_number: str) -> dict[str, Any]:
    """核销 a pickup order by its code: the buyer shows the code at the counter."""
    with tx(conn):
        order = find_order(conn, hx_number=hx_number.strip())
        _require(order, (1,), "核销")
        ts = now()
        conn.execute("UPDATE order_goods SET number_no_fahuo = 0 WHERE order_id = ?", (order["id"],))
        _touch(conn, order["id"], ts, status=3, date_success=ts)
        log_order(conn, order["id"], 3, "核销", hx_number, ts)
        return get_order(conn, order["id"])


def set_success(conn: sqlite3.Connection, order_id: int) -> None:
    with tx(conn):
        order = get_order(conn, order_id)
        _require(order, (1, 2, 3), "设为交易成功")
        ts = now()
        conn.execute("UPDATE order_goods SET number_no_fahuo = 0 WHERE order_id = ?", (order_id,))
        _touch(conn, order_id, ts, status=4, date_success=order["date_success"] or ts)
        log_order(conn, order_id, 4, "交易成功", "商家操作", ts)


def refund(conn: sqlite3.Connection, order_id: int, amount: int, to_where: int, order_status: int | None,
           remark: str) -> None:
    """Refund money on an order (API工厂 /refund), optionally closing or completing it."""
    if to_where not in (0, 1):
        raise invalid("退款去向只能是余额(0)或原路退回(1)")
    with tx(conn):
        order = get_order(conn, order_id)
        _require(order, (1, 2, 3, 4), "退款")
        ts = now()
        _refund_money(conn, order, amount, to_where, remark or "商家退款", ts)
        if order_status is not None:
            if order_status not in (-1, 3):
                raise invalid("退款后的订单状态只能是 -1（关闭）或 3（交易成功）")
            changes: dict[str, Any] = {"status": order_status}
            changes["date_close" if order_status == -1 else "date_success"] = ts
            _touch(conn, order_id, ts, **changes)
            log_order(conn, order_id, order_status, "关闭" if order_status == -1 else "交易成功", "退款后", ts)


def confirm_receipt(conn: sqlite3.Connection, order_id: int, uid: int) -> None:
    with tx(conn):
        order = get_order(conn, order_id)
        if order["uid"] != uid:
            raise not_found("订单")
        _require(order, (2,), "确认收货")
        ts = now()
        _touch(conn, order_id, ts, status=3, date_success=ts)
        log_order(conn, order_id, 3, "确认收货", "", ts)


def review(conn: sqlite3.Connection, order_id: int, uid: int) -> None:
    with tx(conn):
        order = get_order(conn, order_id)
        if order["uid"] != uid:
            raise not_found("订单")
        _require(order, (3,), "评价")
        ts = now()
        _touch(conn, order_id, ts, status=4)
        log_order(conn, order_id, 4, "评价", "", ts)


def update_receiver(conn: sqlite3.Connection, order_id: int, fields: dict[str, str]) -> None:
    allowed = {"link_man", "mobile", "province_id", "city_id", "district_id", "address", "postcode"}
    bad = set(fields) - allowed
    if bad:
        raise invalid(f"未知字段：{', '.join(sorted(bad))}")
    with tx(conn):
        order = get_order(conn, order_id)
        _require(order, (0, 1), "修改收件地址")
        if "district_id" in fields:
            d = one(conn, "SELECT * FROM regions WHERE code = ?", fields["district_id"])
            if d is None:
                raise invalid("区县代码不存在")
            c = one(conn, "SELECT * FROM regions WHERE code = ?", d["parent"])
            fields.setdefault("city_id", d["parent"])
            fields.setdefault("province_id", c["parent"] if c else "")
        ts = now()
        _touch(conn, order_id, ts, **fields)
        log_order(conn, order_id, 8, "修改收件地址", "", ts)


def couriers(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return rows(conn, "SELECT * FROM couriers ORDER BY id")


def region_names(conn: sqlite3.Connection, codes: list[str]) -> dict[str, str]:
    codes = [c for c in set(codes) if c]
    if not codes:
        return {}
    marks = ",".join("?" * len(codes))
    out = {}
    for r in rows(conn, f"SELECT r.code, r.name, p.name AS pname FROM regions r LEFT JOIN regions p "
                        f"ON p.code = r.parent WHERE r.code IN ({marks})", *codes):
        out[r["code"]] = r["pname"] if r["name"] == "市辖区" and r["pname"] else r["name"]
    return out



def pay_online(conn: sqlite3.Connection, order_id: int, uid: int) -> None:
    """The buyer paid with WeChat Pay (what the simulator does when the balance is short)."""
    with tx(conn):
        order = get_order(conn, order_id)
        if order["uid"] != uid:
            raise not_found("订单")
        _require(order, (0,), "支付")
        _mark_paid(conn, order, "WXPAY", now())


def ship_parcels(conn: sqlite3.Connection, order_id: int, courier_id: int,
                 parcels: list[tuple[str, list[tuple[int, int | None]] | None]]) -> list[int]:
    """Ship several parcels in one go, all or none; returns the parcel ids.

    Each parcel is (tracking number, goods). A goods entry's number None ships what is
    left of that line; goods None ships every unshipped item (only as the one parcel).
    """
    if not parcels:
        raise invalid("缺少包裹")
    if len(parcels) > 1 and any(goods is None for _, goods in parcels):
        raise invalid("多个包裹时每个包裹都要指定商品")
    with tx(conn):
        ids = []
        for tracking, goods in parcels:
            resolved = None
            if goods is not None:
                if not goods:
                    raise invalid("包裹里没有商品")
                left = {r["id"]: r["number_no_fahuo"]
                        for r in rows(conn, "SELECT id, number_no_fahuo FROM order_goods WHERE order_id = ?", order_id)}
                resolved = [(gid, left.get(gid, 0) if number is None else number) for gid, number in goods]
            ids.append(ship(conn, order_id, courier_id, tracking, resolved))
        return ids


def aggregate_orders(conn: sqlite3.Connection, filters: dict[str, Any]) -> dict[str, Any]:
    """Totals over every order a list filter matches (API工厂's ``aggregate``), amounts in cents.

    Takes the same filters as ``list_orders``; cached like the count until the next write.
    """
    clause, args = order_where(filters)
    row = totals(conn, f"SELECT COUNT(*), COALESCE(SUM(goods_number), 0), COALESCE(SUM(amount_real), 0),"
                       f" COALESCE(SUM(amount_refund_total), 0) FROM orders{clause}", args)
    return {"count_id": row[0], "sum_goods_number": row[1], "sum_amount_real": row[2], "sum_money_refund": row[3]}
