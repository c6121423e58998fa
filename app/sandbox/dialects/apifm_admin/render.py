"""Wire rendering of API工厂 rows: database rows in, the platform's field names and quirks out.

Money goes out as JSON numbers in yuan, every status carries its ``statusStr`` and pictures
become absolute URLs. The shop-user API (apifm_shop) renders with these too, so a row looks
the same whichever API serves it.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from starlette.requests import Request

from app.domain.enums import (
    CashLogType,
    CouponStatus,
    GoodsReceived,
    OrderStatus,
    RefundStatus,
    RefundType,
    ScoreLogType,
    UserSource,
    UserStatus,
    WithdrawalStatus,
)
from app.sandbox.dialects.common import absolute, total_pages, yuan
from app.sandbox.ops import orders as order_ops
from app.sandbox.ops import users as user_ops


def label(enum: Any, value: int) -> str:
    """The ``...Str`` text of a status; a value the enum lacks shows as its number."""
    try:
        return str(enum(value).zh)
    except ValueError:
        return str(value)


def render_order(o: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": o["id"], "orderNumber": o["order_number"], "uid": o["uid"], "status": o["status"],
        "statusStr": label(OrderStatus, o["status"]), "amount": yuan(o["amount"]),
        "amountLogistics": yuan(o["amount_logistics"]), "amountCoupons": yuan(o["amount_coupons"]),
        "amountReal": yuan(o["amount_real"]), "amountRefundTotal": yuan(o["amount_refund_total"]),
        "amountCard": 0, "score": 0, "scoreDeduction": 0, "goodsNumber": o["goods_number"],
        "hasRefund": bool(o["has_refund"]), "refundStatus": o["refund_status"],
        "isNeedLogistics": bool(o["is_need_logistics"]), "isPay": bool(o["is_pay"]), "payGate": o["pay_gate"],
        "isCanHx": bool(not o["is_need_logistics"] and o["status"] == 1), "hxNumber": o["hx_number"],
        "remark": o["remark"], "remarkAdmin": o["admin_remark"], "type": 0, "orderType": 0, "shopId": 0,
        "couponId": o["coupon_id"], "dateAdd": o["date_add"], "datePay": o["date_pay"],
        "dateFahuo": o["date_ship"], "dateClose": o["date_close"], "dateSuccess": o["date_success"],
        "dateUpdate": o["date_update"],
    }


def render_goods(request: Request, g: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": g["id"], "orderId": g["order_id"], "goodsId": g["goods_id"], "skuId": g["sku_id"],
        "propertyChildIds": f"{g['goods_id']}:{g['sku_id']}", "goodsName": g["goods_name"],
        "pic": absolute(request, g["pic"]), "property": g["property"], "number": g["number"],
        "numberNoFahuo": g["number_no_fahuo"], "amountSingle": yuan(g["amount_single"]),
        "amountSingleBase": yuan(g["amount_single"]), "amount": yuan(g["amount"]), "afterSale": g["after_sale"],
        "refundStatus": g["refund_status"], "status": 0, "unit": "件",
    }


def render_logistics(o: dict[str, Any], names: dict[str, str], first: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": o["id"], "orderId": o["id"], "linkMan": o["link_man"], "mobile": o["mobile"],
        "provinceId": o["province_id"], "provinceStr": names.get(o["province_id"], ""),
        "cityId": o["city_id"], "cityStr": names.get(o["city_id"], ""),
        "districtId": o["district_id"], "areaStr": names.get(o["district_id"], ""),
        "streetId": "", "streetStr": "", "address": o["address"], "code": o["postcode"],
        "trackingNumber": first["tracking_number"] if first else "",
        "shipperName": first["courier_name"] if first else "", "shipperCode": first["courier_code"] if first else "",
        "expressCompanyId": first["courier_id"] if first else 0, "dateShip": o["date_ship"] or "",
        "status": 1 if first else 0, "type": 0,
    }


def render_parcel(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": p["id"], "orderId": p["order_id"], "expressCompanyId": p["courier_id"],
        "shipperCode": p["courier_code"], "shipperName": p["courier_name"], "trackingNumber": p["tracking_number"],
        # The platform nests these as JSON text; clients must parse them a second time.
        "orderGoodsShipper": p["goods"], "traces": p["traces"], "dateAdd": p["date_add"],
    }


def render_apply(request: Request, a: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": a["id"], "orderId": a["order_id"], "orderGoodsId": a["order_goods_id"], "uid": a["uid"],
        "number": a["number"], "amount": yuan(a["amount"]), "type": a["type"], "typeStr": label(RefundType, a["type"]),
        "logisticsStatus": a["logistics_status"], "logisticsStatusStr": label(GoodsReceived, a["logistics_status"]),
        "reason": a["reason"], "remark": a["remark"], "status": a["status"],
        "statusStr": label(RefundStatus, a["status"]), "status2": a["status2"],
        "logisticsContent": json.dumps({"shipperName": a["back_shipper"], "trackingNumber": a["back_tracking"]},
                                       ensure_ascii=False) if a["back_tracking"] else "",
        "refuseReason": a["refuse_reason"], "pics": [absolute(request, x) for x in json.loads(a["pics"] or "[]")],
        "outerOrderId": "", "dateAdd": a["date_add"], "dateUpdate": a["date_update"],
    }


def render_refund(r: dict[str, Any]) -> dict[str, Any]:
    texts = {1: "待提交", 2: "银行处理中", 3: "退款成功", 4: "退款失败"}
    return {"id": r["id"], "orderId": r["order_id"], "applyId": r["apply_id"], "money": yuan(r["amount"]),
            "toWhere": r["to_where"], "status": r["status"], "statusStr": texts.get(r["status"], ""),
            "remark": r["remark"], "dateAdd": r["date_add"]}


def render_log(lg: dict[str, Any]) -> dict[str, Any]:
    return {"id": lg["id"], "orderId": lg["order_id"], "type": lg["type"], "typeStr": lg["type_str"],
            "remark": lg["remark"], "dateAdd": lg["date_add"]}


def render_user(request: Request, u: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": u["id"], "nick": u["nick"], "mobile": u["mobile"], "avatarUrl": absolute(request, u["avatar"]),
        "gender": u["gender"], "province": u["province"], "city": u["city"], "levelId": u["level"],
        "levelName": u.get("level_name") or "", "source": u["source"], "sourceStr": label(UserSource, u["source"]),
        "status": u["status"], "statusStr": label(UserStatus, u["status"]), "referrer": u["referrer_id"],
        "username": u["username"] or "", "remark": u["remark"], "dateAdd": u["date_add"],
        "dateLogin": u["date_login"], "dateUpdate": u["date_update"],
    }


def render_address(a: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": a["id"], "uid": a["uid"], "linkMan": a["link_man"], "mobile": a["mobile"],
        "provinceId": a["province_id"], "provinceStr": names.get(a["province_id"], ""),
        "cityId": a["city_id"], "cityStr": names.get(a["city_id"], ""), "districtId": a["district_id"],
        "areaStr": names.get(a["district_id"], ""), "address": a["address"], "code": a["code"],
        "isDefault": bool(a["is_default"]), "status": a["status"], "dateAdd": a["date_add"],
        "dateUpdate": a["date_update"],
    }


def address_names(conn: sqlite3.Connection, found: list[dict[str, Any]]) -> dict[str, str]:
    return order_ops.region_names(conn, [a[k] for a in found for k in ("province_id", "city_id", "district_id")])


def render_cash(a: dict[str, Any]) -> dict[str, Any]:
    return {"uid": a["uid"], "balance": yuan(a["balance"]), "freeze": yuan(a["frozen"]), "score": a["points"],
            "growth": 0, "totleConsumed": yuan(a["total_consumed"]), "dateUpdate": a.get("date_update")}


def render_cash_log(e: dict[str, Any]) -> dict[str, Any]:
    return {"id": e["id"], "uid": e["uid"], "amount": yuan(e["amount"]), "balance": yuan(e["balance_after"]),
            "behavior": e["behavior"], "behaviorStr": "收入" if e["behavior"] == 0 else "支出", "type": e["type"],
            "typeStr": label(CashLogType, e["type"]), "orderId": e["order_id"], "remark": e["remark"],
            "dateAdd": e["date_add"]}


def render_score_log(e: dict[str, Any]) -> dict[str, Any]:
    return {"id": e["id"], "uid": e["uid"], "score": e["amount"], "scoreLeft": e["balance_after"],
            "behavior": e["behavior"], "type": e["type"], "typeStr": label(ScoreLogType, e["type"]),
            "status": 1, "statusStr": "已到账", "orderId": e["order_id"], "remark": e["remark"],
            "dateAdd": e["date_add"]}


def render_withdrawal(w: dict[str, Any]) -> dict[str, Any]:
    return {"id": w["id"], "number": w["number"], "uid": w["uid"], "money": yuan(w["amount"]),
            "moneyFee": yuan(w["fee"]), "status": w["status"], "statusStr": label(WithdrawalStatus, w["status"]),
            "name": w["real_name"], "bankName": w["bank_name"], "bankCardNumber": w["account_no"],
            "rejectionReason": w["refuse_reason"], "dateAdd": w["date_add"], "dateUpdate": w["date_update"]}


def render_coupon(c: dict[str, Any]) -> dict[str, Any]:
    return {"id": c["id"], "name": c["name"], "money": yuan(c["money"]), "moneyHreshold": yuan(c["money_hreshold"]),
            "numberTotle": c["number_total"], "numberLeft": c["number_left"], "dateEndDays": c["date_end_days"],
            "status": c["status"], "statusStr": "正常" if c["status"] == 0 else "已删除",
            "dateAdd": c["date_add"], "dateUpdate": c["date_update"]}


def render_user_coupon(c: dict[str, Any]) -> dict[str, Any]:
    return {"id": c["id"], "pid": c["coupon_id"], "uid": c["uid"], "name": c["name"], "money": yuan(c["money"]),
            "moneyHreshold": yuan(c["money_hreshold"]), "moneyMin": yuan(c["money"]), "moneyType": 0,
            "status": c["status"], "statusStr": label(CouponStatus, c["status"]), "orderId": c["order_id"],
            "dateAdd": c["date_add"], "dateEnd": c["date_end"], "dateUpdate": c["date_update"]}


def render_article(request: Request, a: dict[str, Any]) -> dict[str, Any]:
    return {"id": a["id"], "categoryId": a["category_id"], "title": a["title"], "descript": a["descript"],
            "content": a["content"], "pic": absolute(request, a["pic"]), "tags": a["tags"], "author": a["author"],
            "isRecommend": bool(a["is_recommend"]), "status": a["status"], "numberRead": a["views"],
            "dateAdd": a["date_add"], "dateUpdate": a["date_update"]}


def render_category(c: dict[str, Any]) -> dict[str, Any]:
    return {"id": c["id"], "name": c["name"], "key": c["key"], "pid": c["pid"], "paixu": c["paixu"],
            "dateAdd": c["date_add"], "dateUpdate": c["date_update"]}


def render_page(pg: dict[str, Any]) -> dict[str, Any]:
    return {"id": pg["id"], "key": pg["key"], "title": pg["title"], "content": pg["content"],
            "dateAdd": pg["date_add"], "dateUpdate": pg["date_update"]}


def render_notice(n: dict[str, Any]) -> dict[str, Any]:
    return {"id": n["id"], "type": n["type"], "title": n["title"], "content": n["content"],
            "isShow": bool(n["is_show"]), "dateAdd": n["date_add"], "dateUpdate": n["date_update"]}


def render_banner(request: Request, b: dict[str, Any]) -> dict[str, Any]:
    return {"id": b["id"], "type": b["type"], "title": b["title"], "picUrl": absolute(request, b["pic"]),
            "linkUrl": b["link_url"], "paixu": b["paixu"], "status": b["status"],
            "statusStr": "显示" if b["status"] == 0 else "隐藏", "dateAdd": b["date_add"],
            "dateUpdate": b["date_update"]}


def orders_payload(request: Request, conn: sqlite3.Connection, found: list[dict[str, Any]],
                   total: int, size: int, list_key: str = "result") -> dict[str, Any]:
    """orderList/result plus goodsMap and logisticsMap keyed by order id (as the platform does)."""
    ids = [o["id"] for o in found]
    goods = order_ops.goods_for(conn, ids)
    parcels = order_ops.parcels_for(conn, ids)
    names = order_ops.region_names(conn, [o[k] for o in found for k in ("province_id", "city_id", "district_id")])
    return {
        list_key: [render_order(o) for o in found],
        "goodsMap": {str(i): [render_goods(request, g) for g in goods[i]] for i in ids},
        "logisticsMap": {str(o["id"]): render_logistics(o, names, (parcels[o["id"]] or [None])[0])
                         for o in found if o["is_need_logistics"]},
        "totalRow": total, "totalPage": total_pages(total, size),
    }


def order_detail(request: Request, conn: sqlite3.Connection, order_id: int) -> dict[str, Any]:
    d = order_ops.detail(conn, order_id)
    o = d["order"]
    names = order_ops.region_names(conn, [o["province_id"], o["city_id"], o["district_id"]])
    first = d["parcels"][0] if d["parcels"] else None
    return {
        "order": render_order(o),
        "goodsList": [render_goods(request, g) for g in d["goods"]],
        "apiExtOrderLogistics": render_logistics(o, names, first) if o["is_need_logistics"] else None,
        "logisticsShippers": [render_parcel(p) for p in d["parcels"]],
        "tracesArray": json.loads(first["traces"]) if first else [],
        "refunds": [render_refund(r) for r in d["refunds"]],
        "refundApplies": [render_apply(request, a) for a in d["refund_applies"]],
        "logs": [render_log(lg) for lg in d["logs"]],
        "userBean": render_user(request, user_ops.get_user(conn, o["uid"])) if d["user"] else None,
        "extJson": {}, "goodsCoupons": [], "orderStores": [], "reputationPics": [],
    }
