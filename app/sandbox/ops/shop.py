"""The buyer's side: goods, placing and paying orders (what the mini-program calls)."""

from __future__ import annotations

import random
import sqlite3
from typing import Any

from app.sandbox.db import now
from app.sandbox.ops import conflict, invalid, log_order, not_found, one, page, rows, tx


def list_goods(conn: sqlite3.Connection, filters: dict[str, Any], page_no: int,
               page_size: int) -> tuple[list[dict[str, Any]], int]:
    where, args = ["status = 0"], []
    if filters.get("category"):
        where.append("category = ?")
        args.append(filters["category"])
    if filters.get("name_like"):
        where.append("name LIKE '%' || ? || '%'")
        args.append(filters["name_like"])
    return page(conn, "goods", where, args, page_no, page_size, "id")


def goods_detail(conn: sqlite3.Connection, goods_id: int) -> dict[str, Any]:
    found = one(conn, "SELECT * FROM goods WHERE id = ?", goods_id)
    if found is None:
        raise not_found("商品")
    found["skus"] = rows(conn, "SELECT * FROM skus WHERE goods_id = ? ORDER BY id", goods_id)
    return found


def create_order(conn: sqlite3.Connection, uid: int, lines: list[dict[str, int]], address_id: int | None,
                 remark: str = "", pickup: bool = False, calculate: bool = False) -> dict[str, Any]:
    """Place an order. ``lines`` are {goodsId, number, skuId?}. ``calculate`` only prices it."""
    if not lines:
        raise invalid("请选择商品")
    with tx(conn):
        addr = None
        if not pickup:
            sql = "SELECT * FROM addresses WHERE uid = ? AND status = 0 "
            addr = (one(conn, sql + "AND id = ?", uid, address_id) if address_id
                    else one(conn, sql + "ORDER BY is_default DESC, id LIMIT 1", uid))
            if addr is None:
                raise invalid("请先填写收货地址")
        priced = []
        for line in lines:
            number = int(line.get("number") or 1)
            if number <= 0:
                raise invalid("购买数量必须大于 0")
            goods = one(conn, "SELECT * FROM goods WHERE id = ? AND status = 0", int(line["goodsId"]))
            if goods is None:
                raise not_found("商品")
            sku = (one(conn, "SELECT * FROM skus WHERE id = ? AND goods_id = ?", int(line["skuId"]), goods["id"])
                   if line.get("skuId") else one(conn, "SELECT * FROM skus WHERE goods_id = ? ORDER BY id", goods["id"]))
            if sku is None:
                raise not_found("商品规格")
            if sku["stock"] < number:
                raise conflict(f"{goods['name']} 库存不足")
            priced.append((goods, sku, number))
        amount = sum(sku["price"] * n for _, sku, n in priced)
        freight = 0 if pickup or amount >= 9900 else 800
        result = {"amountTotle": amount, "amountLogistics": freight, "amountReal": amount + freight,
                  "goodsNumber": sum(n for *_, n in priced)}
        if calculate:
            return result
        ts = now()
        for _, sku, n in priced:
            conn.execute("UPDATE skus SET stock = stock - ? WHERE id = ?", (n, sku["id"]))
        next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM orders").fetchone()[0]
        number = f"{ts[2:4]}{ts[5:7]}{ts[8:10]}{next_id:08d}"
        a = addr or {}
        cur = conn.execute(
            "INSERT INTO orders (order_number, uid, status, is_need_logistics, amount, amount_logistics,"
            " amount_coupons, amount_real, goods_number, hx_number, remark, link_man, mobile, province_id, city_id,"
            " district_id, address, postcode, date_add, date_update) VALUES (?,?,0,?,?,?,0,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (number, uid, 0 if pickup else 1, amount, freight, amount + freight, result["goodsNumber"],
             f"{random.randrange(10**9, 10**10)}" if pickup else "", remark, a.get("link_man", ""),
             a.get("mobile", ""), a.get("province_id", ""), a.get("city_id", ""), a.get("district_id", ""),
             a.get("address", ""), a.get("code", ""), ts, ts))
        order_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO order_goods (order_id, goods_id, sku_id, goods_name, pic, property, number, number_no_fahuo,"
            " amount_single, amount) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(order_id, g["id"], s["id"], g["name"], g["pic"], s["property"], n, n, s["price"], s["price"] * n)
             for g, s, n in priced])
        log_order(conn, order_id, 0, "下单", "", ts)
        return {**result, "id": order_id, "orderNumber": number}
