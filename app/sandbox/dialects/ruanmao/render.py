"""Wire rendering of 软猫引擎 rows: database rows in, camelCase objects with money as "0.00" strings out."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from app.domain.enums import CashLogType, ScoreLogType
from app.sandbox.dialects.common import absolute, absolute_on, base_of, total_pages, yuan_str
from app.sandbox.dialects.ruanmao.base import Params
from app.sandbox.ops import orders

STATUS_TEXT = {-1: "已关闭", 0: "待付款", 1: "待发货", 2: "已发货", 3: "待评价", 4: "已完成"}


def listing(found: list[dict[str, Any]], total: int, size: int, render: Callable[[dict[str, Any]], Any]) -> Params:
    return {"result": [render(r) for r in found], "totalRow": total, "totalPage": total_pages(total, size)}


def goods_row(g: dict[str, Any], base: str) -> Params:
    return {"id": g["id"], "orderId": g["order_id"], "goodsId": g["goods_id"], "skuId": g["sku_id"],
            "goodsName": g["goods_name"], "pic": absolute_on(base, g["pic"]), "property": g["property"],
            "number": g["number"], "numberUnshipped": g["number_no_fahuo"],
            "amountSingle": yuan_str(g["amount_single"]), "amount": yuan_str(g["amount"]),
            "afterSale": g["after_sale"]}


def receiving_of(o: dict[str, Any], names: dict[str, str]) -> Params | None:
    if not o["link_man"] and not o["address"]:
        return None
    return {"linkMan": o["link_man"], "mobile": o["mobile"], "provinceId": o["province_id"],
            "province": names.get(o["province_id"], ""), "cityId": o["city_id"],
            "city": names.get(o["city_id"], ""), "districtId": o["district_id"],
            "district": names.get(o["district_id"], ""), "address": o["address"], "postcode": o["postcode"]}


def parcel_row(p: dict[str, Any], traces: bool) -> Params:
    out = {"id": p["id"], "orderId": p["order_id"], "expressCompanyId": p["courier_id"],
           "expressCompanyName": p["courier_name"], "trackingNumber": p["tracking_number"],
           "items": [{"orderGoodsId": g["orderGoodsId"], "number": g["number"]} for g in json.loads(p["goods"])],
           "dateAdd": p["date_add"]}
    if traces:
        out["traces"] = [{"acceptTime": t.get("AcceptTime", ""), "acceptStation": t.get("AcceptStation", "")}
                         for t in json.loads(p["traces"] or "[]")]
    return out


def order_rows(conn: sqlite3.Connection, found: list[dict[str, Any]], request: Request,
               traces: bool = False) -> list[Params]:
    """Orders with their goods, receiving address and parcels; ``traces`` adds each parcel's events."""
    ids = [o["id"] for o in found]
    goods, parcels = orders.goods_for(conn, ids), orders.parcels_for(conn, ids)
    names = orders.region_names(conn, [c for o in found for c in (o["province_id"], o["city_id"], o["district_id"])])
    base = base_of(request)
    out = []
    for o in found:
        out.append({
            "id": o["id"], "orderNumber": o["order_number"], "uid": o["uid"], "status": o["status"],
            "statusStr": STATUS_TEXT.get(o["status"], ""), "amount": yuan_str(o["amount"]),
            "amountLogistics": yuan_str(o["amount_logistics"]), "amountCoupons": yuan_str(o["amount_coupons"]),
            "amountReal": yuan_str(o["amount_real"]), "amountRefundTotal": yuan_str(o["amount_refund_total"]),
            "goodsNumber": o["goods_number"], "hasRefund": bool(o["has_refund"]),
            "refundStatus": o["refund_status"], "isPay": bool(o["is_pay"]),
            "needLogistics": bool(o["is_need_logistics"]), "payGate": o["pay_gate"], "hxNumber": o["hx_number"],
            "remark": o["remark"], "adminRemark": o["admin_remark"], "dateAdd": o["date_add"],
            "datePay": o["date_pay"], "dateShip": o["date_ship"], "dateClose": o["date_close"],
            "dateSuccess": o["date_success"], "dateUpdate": o["date_update"],
            "goods": [goods_row(g, base) for g in goods[o["id"]]],
            "receiving": receiving_of(o, names),
            "parcels": [parcel_row(p, traces) for p in parcels[o["id"]]],
        })
    return out


def apply_row(a: dict[str, Any], request: Request) -> Params:
    return {"id": a["id"], "orderId": a["order_id"], "orderGoodsId": a["order_goods_id"], "uid": a["uid"],
            "type": a["type"], "logisticsStatus": a["logistics_status"], "status": a["status"],
            "status2": a["status2"], "amount": yuan_str(a["amount"]), "number": a["number"],
            "reason": a["reason"], "remark": a["remark"],
            "pics": [absolute(request, pic) for pic in json.loads(a["pics"] or "[]")],
            "backShipper": a["back_shipper"], "backTracking": a["back_tracking"],
            "refuseReason": a["refuse_reason"], "dateAdd": a["date_add"], "dateUpdate": a["date_update"]}


def user_row(u: dict[str, Any], request: Request) -> Params:
    return {"id": u["id"], "nick": u["nick"], "mobile": u["mobile"], "avatar": absolute(request, u["avatar"]),
            "gender": u["gender"], "province": u["province"], "city": u["city"], "level": u["level"],
            "source": u["source"], "status": u["status"], "referrerId": u["referrer_id"], "remark": u["remark"],
            "dateAdd": u["date_add"], "dateLogin": u["date_login"], "dateUpdate": u["date_update"]}


def ledger_row(e: dict[str, Any]) -> Params:
    money = e["kind"] in ("balance", "frozen")
    types = CashLogType if money else ScoreLogType
    try:
        type_str = types(e["type"]).zh
    except ValueError:
        type_str = ""
    return {"id": e["id"], "uid": e["uid"], "behavior": e["behavior"], "type": e["type"], "typeStr": type_str,
            "amount": yuan_str(e["amount"]) if money else e["amount"],
            "balance": yuan_str(e["balance_after"]) if money else e["balance_after"],
            "orderId": e["order_id"], "remark": e["remark"], "dateAdd": e["date_add"]}


def withdrawal_row(w: dict[str, Any]) -> Params:
    return {"id": w["id"], "number": w["number"], "uid": w["uid"], "channel": w["channel"],
            "amount": yuan_str(w["amount"]), "fee": yuan_str(w["fee"]), "status": w["status"],
            "realName": w["real_name"], "accountNo": w["account_no"], "bankName": w["bank_name"],
            "refuseReason": w["refuse_reason"], "dateAdd": w["date_add"], "dateUpdate": w["date_update"]}


def voucher_row(v: dict[str, Any]) -> Params:
    return {"id": v["id"], "code": v["code"], "uid": v["uid"], "orderId": v["order_id"], "name": v["name"],
            "status": v["status"], "dateAdd": v["date_add"], "dateEnd": v["date_end"], "dateUse": v["date_use"],
            "dateUpdate": v["date_update"]}


def info_row(i: dict[str, Any]) -> Params:
    return {"id": i["id"], "category": i["category"], "title": i["title"], "content": i["content"],
            "views": i["views"], "dateAdd": i["date_add"], "dateUpdate": i["date_update"]}


def stats_row(s: dict[str, Any]) -> Params:
    return {"uid": s["uid"], "orderCount": s["orders"], "orderAmount": yuan_str(s["amount"]),
            "refundCount": s["refunds"], "lastOrderDate": s["last_order"]}
