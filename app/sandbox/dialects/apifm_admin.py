"""API工厂 merchant admin API (后台API, ``https://user.api.it120.cc``), served at the root.

Paths, parameters and payload shapes follow platform-api-research.md §2.8. What the
research leaves open is marked "sandbox choice" below; the adapter in app/platform/apifm
only relies on what is served here. Quirks kept on purpose because the real platform has
them: money as JSON numbers in yuan, ``statusStr`` next to ``status``, traces as a JSON
*string* inside the JSON, and an empty list answering code 700 rather than ``[]``.
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

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
from app.sandbox.dialects import common
from app.sandbox.dialects.common import (
    absolute,
    opt_int,
    paging,
    req_int,
    req_str,
    to_cents,
    total_pages,
    yuan,
)
from app.sandbox.ops import OpError, invalid, not_found, one, page, rows
from app.sandbox.ops import cms as cms_ops
from app.sandbox.ops import orders as order_ops
from app.sandbox.ops import refunds as refund_ops
from app.sandbox.ops import users as user_ops
from app.sandbox.ops import vouchers as voucher_ops
from app.sandbox.ops import wallet as wallet_ops

log = logging.getLogger(__name__)

# Codes (research §2.3, §2.8). The conflict code is a sandbox choice: the research has no
# code for "the order's state forbids this", only that the msg says why.
OK = 0
EMPTY = 700
NOT_LOGGED_IN = 2000
INVALID = 300
MISSING = 600
CONFLICT = 405
DUPLICATE_REFUND = 20000
INSUFFICIENT = 40000
ADMIN_EXPIRED = 100000
BAD_KEY = 10000
SERVER = -1

Handler = Callable[[Request, dict[str, Any]], Awaitable[Any]]


class Reply(Exception):
    """Raised by a handler to answer with a non-zero code that is not an OpError."""

    def __init__(self, code: int, msg: str, data: Any = None) -> None:
        super().__init__(msg)
        self.code, self.msg, self.data = code, msg, data


def envelope(code: int, msg: str, data: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "msg": msg}
    if data is not None:
        body["data"] = data
    return JSONResponse(body)


def op_error(exc: OpError) -> JSONResponse:
    if exc.kind == OpError.NOT_FOUND:
        return envelope(EMPTY, exc.msg)
    if exc.kind == OpError.INSUFFICIENT:
        return envelope(INSUFFICIENT, exc.msg, yuan(exc.data or 0))
    if exc.kind == OpError.DUPLICATE_REFUND:
        return envelope(DUPLICATE_REFUND, exc.msg)
    if exc.kind == OpError.CONFLICT:
        return envelope(CONFLICT, exc.msg)
    if exc.kind == OpError.AUTH:
        return envelope(BAD_KEY, exc.msg)
    return envelope(MISSING if exc.msg.startswith("缺少参数") else INVALID, exc.msg)


def wrap(handler: Handler, check: Callable[[Request, dict[str, Any]], None] | None) -> Callable[..., Any]:
    """Parse parameters, run the auth check, answer the envelope, map refusals to codes."""

    async def endpoint(request: Request) -> JSONResponse:
        try:
            p = await common.params(request)
            if check is not None:
                check(request, p)
            data = await handler(request, p)
        except Reply as exc:
            return envelope(exc.code, exc.msg, exc.data)
        except OpError as exc:
            return op_error(exc)
        except (ValueError, json.JSONDecodeError) as exc:
            return envelope(INVALID, f"参数错误：{exc}")
        except Exception:  # a sandbox bug must still answer in the envelope, like the platform does
            log.exception("apifm handler failed: %s", request.url.path)
            return envelope(SERVER, "系统繁忙")
        if isinstance(data, JSONResponse):
            return data
        return envelope(OK, "success", data)

    return endpoint


def listing(found: list[dict[str, Any]], total: int, size: int, render: Callable[[dict[str, Any]], Any],
            **extra: Any) -> dict[str, Any]:
    """The list payload; an empty page answers 700 like the platform."""
    if not found:
        raise Reply(EMPTY, "暂无数据")
    return {"result": [render(r) for r in found], "totalRow": total, "totalPage": total_pages(total, size), **extra}


def slice_page(items: list[dict[str, Any]], page_no: int, size: int) -> tuple[list[dict[str, Any]], int]:
    return items[(page_no - 1) * size: page_no * size], len(items)


def day_end(value: str | None) -> str | None:
    """A date-only upper bound means the whole day."""
    if value and len(value.strip()) == 10:
        return value.strip() + " 23:59:59"
    return value


def flag(p: dict[str, Any], key: str) -> int | None:
    value = p.get(key)
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip().lower()
    if text in ("true", "1"):
        return 1
    if text in ("false", "0"):
        return 0
    raise invalid(f"参数 {key} 只能是 0 或 1")


def label(enum: Any, value: int) -> str:
    try:
        return str(enum(value).zh)
    except ValueError:
        return str(value)


# Rendering ------------------------------------------------------------------------------

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


# Routes -------------------------------------------------------------------------------------

def routes(state: Any) -> list[Route]:
    conn: sqlite3.Connection = state.conn
    cfg = state.config

    def check_token(request: Request, p: dict[str, Any]) -> None:
        token = request.headers.get("x-token") or ""
        row = conn.execute("SELECT expires FROM admin_tokens WHERE token = ? AND dialect = 'apifm'",
                           (token,)).fetchone()
        if row is None or row[0] <= state.now():
            raise Reply(ADMIN_EXPIRED, "登录已过期，请重新登录")

    table: list[tuple[str, str, Handler, bool]] = []

    def at(path: str, method: str = "POST", auth: bool = True) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            table.append((path, method, fn, auth))
            return fn
        return register

    # Login ------------------------------------------------------------------------------
    @at("/login/key", auth=False)
    async def login_key(request: Request, p: dict[str, Any]) -> Any:
        number, key = str(p.get("merchantNo") or ""), str(p.get("merchantKey") or "")
        if not number or not key:
            raise Reply(MISSING, "缺少参数 merchantNo 或 merchantKey")
        if number != cfg.apifm_merchant_no or not secrets.compare_digest(key, cfg.apifm_merchant_key):
            raise Reply(BAD_KEY, "商户号或商户秘钥错误")
        token = secrets.token_hex(20)
        now = state.now()
        conn.execute("DELETE FROM admin_tokens WHERE dialect = 'apifm' AND expires <= ?", (now,))
        conn.execute("INSERT INTO admin_tokens VALUES (?, 'apifm', ?)", (token, now + cfg.token_ttl))
        return token

    @at("/user/checkToken", "GET")
    async def check(request: Request, p: dict[str, Any]) -> Any:
        return None

    @at("/user/info", "GET")
    async def merchant_info(request: Request, p: dict[str, Any]) -> Any:
        return {"merchantNo": cfg.apifm_merchant_no, "subDomain": cfg.apifm_sub_domain, "name": "练习小店"}

    @at("/login/exit", "GET")
    async def exit_(request: Request, p: dict[str, Any]) -> Any:
        conn.execute("DELETE FROM admin_tokens WHERE token = ?", (request.headers.get("x-token") or "",))
        return None

    # Orders -----------------------------------------------------------------------------
    def order_filters(p: dict[str, Any]) -> dict[str, Any]:
        return {
            "status": opt_int(p, "status"), "statuses": p.get("statusBatch") or None,
            "refund_status": opt_int(p, "refundStatus"), "is_need_logistics": flag(p, "isNeedLogistics"),
            "id": opt_int(p, "id"), "order_number": p.get("orderNumber"), "hx_number": p.get("hxNumber"),
            "uid": opt_int(p, "uid"), "mobile": p.get("mobile"), "goods_id": opt_int(p, "goodsId"),
            "goods_name": p.get("goodsName"), "date_add_begin": p.get("dateAddBegin"),
            "date_add_end": day_end(p.get("dateAddEnd")), "date_update_begin": p.get("dateUpdateBegin"),
            "date_update_end": day_end(p.get("dateUpdateEnd")),
        }

    @at("/user/apiExtOrder/list")
    async def order_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        filters = order_filters(p)
        # An incremental sync pages by dateUpdate; oldest first keeps its cursor monotonic.
        order = "date_update, id" if filters["date_update_begin"] else "id DESC"
        found, total = order_ops.list_orders(conn, filters, page_no, size, order)
        if not found:
            raise Reply(EMPTY, "暂无数据")
        payload = orders_payload(request, conn, found, total, size)
        agg = order_ops.aggregate_orders(conn, filters)
        payload["aggregate"] = {**agg, "sum_amount_real": yuan(agg["sum_amount_real"]),
                                "sum_money_refund": yuan(agg["sum_money_refund"])}
        return payload

    @at("/user/apiExtOrder/detail", "GET")
    async def order_get(request: Request, p: dict[str, Any]) -> Any:
        return order_detail(request, conn, req_int(p, "id"))

    @at("/user/apiExtOrder/expressCompanies", "GET")
    async def express(request: Request, p: dict[str, Any]) -> Any:
        return [{"id": c["id"], "code": c["code"], "name": c["name"], "type": c["type"],
                 "typeStr": "国内" if c["type"] == 0 else "国际"} for c in order_ops.couriers(conn)]

    @at("/user/apiExtOrder/traces", "GET")
    async def traces(request: Request, p: dict[str, Any]) -> Any:
        order_id = req_int(p, "id")
        order_ops.get_order(conn, order_id)
        parcels = order_ops.parcels_for(conn, [order_id])[order_id]
        if not parcels:
            raise Reply(EMPTY, "暂无物流信息")
        return [{**render_parcel(x), "tracesArray": json.loads(x["traces"])} for x in parcels]

    @at("/user/apiExtOrder/changePrice")
    async def change_price(request: Request, p: dict[str, Any]) -> Any:
        freight = p.get("amountLogistics")
        order_ops.change_price(conn, req_int(p, "id"), to_cents(p.get("price"), "price"),
                               None if freight in (None, "") else to_cents(freight, "amountLogistics"))

    # sandbox choice: the research lists no remark endpoint for API工厂; this path is ours.
    @at("/user/apiExtOrder/remark")
    async def remark(request: Request, p: dict[str, Any]) -> Any:
        order_ops.set_remark(conn, req_int(p, "id"), str(p.get("remark") or ""))

    @at("/user/apiExtOrder/pay")
    async def pay(request: Request, p: dict[str, Any]) -> Any:
        order_ops.pay_balance(conn, req_int(p, "id"))

    @at("/user/apiExtOrder/pay/offline")
    async def pay_offline(request: Request, p: dict[str, Any]) -> Any:
        order_ops.pay_offline(conn, req_int(p, "id"))

    @at("/user/apiExtOrder/close")
    async def close(request: Request, p: dict[str, Any]) -> Any:
        order_ops.close(conn, req_int(p, "id"))

    @at("/user/apiExtOrder/fahuo")
    async def fahuo(request: Request, p: dict[str, Any]) -> Any:
        goods = None
        raw = str(p.get("orderGoodsShipper") or "").strip()
        if raw:
            parsed = json.loads(raw)
            if not isinstance(parsed, list) or not parsed:
                raise invalid("orderGoodsShipper 必须是非空数组")
            goods = [(int(x["orderGoodsId"]), int(x["number"])) for x in parsed]
        company = opt_int(p, "expressCompanyId")
        if company is None:
            raise invalid("缺少参数 expressCompanyId")
        order_ops.ship(conn, req_int(p, "id"), company, str(p.get("number") or ""), goods)

    # sandbox choice: 对已发货的订单补充更多快递单号 — path and params are ours.
    @at("/user/apiExtOrder/fahuo/add")
    async def fahuo_add(request: Request, p: dict[str, Any]) -> Any:
        numbers = [n for n in str(p.get("numbers") or "").replace("，", ",").split(",")]
        ids = order_ops.add_tracking(conn, req_int(p, "id"), req_int(p, "expressCompanyId"), numbers)
        return ids

    @at("/user/apiExtOrder/hx")
    async def hx(request: Request, p: dict[str, Any]) -> Any:
        return render_order(order_ops.redeem_pickup(conn, req_str(p, "hxNumber")))

    # sandbox choice: 线下取货 (collected in person) — path is ours.
    @at("/user/apiExtOrder/offlinePickup")
    async def offline_pickup(request: Request, p: dict[str, Any]) -> Any:
        order_ops.pickup(conn, req_int(p, "id"))

    @at("/user/apiExtOrder/success")
    async def success(request: Request, p: dict[str, Any]) -> Any:
        order_ops.set_success(conn, req_int(p, "id"))

    @at("/user/apiExtOrder/refund")
    async def refund(request: Request, p: dict[str, Any]) -> Any:
        order_ops.refund(conn, req_int(p, "id"), to_cents(p.get("money"), "money"), opt_int(p, "toWhere") or 0,
                         opt_int(p, "orderStatus"), str(p.get("remark") or ""))

    @at("/user/apiExtOrder/refuseing")
    async def refuseing(request: Request, p: dict[str, Any]) -> Any:
        refund_ops.set_processing(conn, req_int(p, "id"), opt_int(p, "applyId"))

    @at("/user/apiExtOrder/refuse")
    async def refuse(request: Request, p: dict[str, Any]) -> Any:
        refund_ops.refuse(conn, req_int(p, "id"), opt_int(p, "applyId"), str(p.get("reason") or p.get("remark") or ""))

    @at("/user/apiExtOrder/refuseSuccess")
    async def refuse_success(request: Request, p: dict[str, Any]) -> Any:
        money, to_where = p.get("money"), opt_int(p, "toWhere")
        refund_ops.complete(conn, req_int(p, "id"), opt_int(p, "applyId"), 1 if to_where is None else to_where,
                            None if money in (None, "") else to_cents(money, "money"))

    # sandbox choice for the params: linkMan, mobile, provinceId, cityId, districtId, address, code.
    @at("/user/apiExtOrder/modifyLogistics")
    async def modify_logistics(request: Request, p: dict[str, Any]) -> Any:
        mapping = {"linkMan": "link_man", "mobile": "mobile", "provinceId": "province_id", "cityId": "city_id",
                   "districtId": "district_id", "address": "address", "code": "postcode"}
        fields = {col: str(p[key]) for key, col in mapping.items() if p.get(key) not in (None, "")}
        if not fields:
            raise invalid("没有要修改的收件信息")
        order_ops.update_receiver(conn, req_int(p, "id"), fields)

    @at("/user/order/refundApply/list")
    async def apply_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        filters = {"status": opt_int(p, "status"), "type": opt_int(p, "type"), "order_id": opt_int(p, "orderId"),
                   "uid": opt_int(p, "uid"), "date_update_begin": p.get("dateUpdateBegin"),
                   "date_add_begin": p.get("dateAddBegin"), "date_add_end": day_end(p.get("dateAddEnd"))}
        found, total = refund_ops.list_applies(conn, filters, page_no, size)
        return listing(found, total, size, lambda a: render_apply(request, a))

    @at("/user/order/refundApply/info", "GET")
    async def apply_info(request: Request, p: dict[str, Any]) -> Any:
        return render_apply(request, refund_ops.get_apply(conn, req_int(p, "id")))

    # Users --------------------------------------------------------------------------------
    @at("/user/apiExtUser/list")
    async def user_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        filters = {"id": opt_int(p, "id"), "mobile": p.get("mobile"), "nick_like": p.get("nickLike"),
                   "status": opt_int(p, "status"), "source": opt_int(p, "source"), "referrer": opt_int(p, "referrer"),
                   "province": p.get("province"), "city": p.get("city"), "level": opt_int(p, "levelId"),
                   "date_update_begin": p.get("dateUpdateBegin"), "date_add_begin": p.get("dateAddBegin"),
                   "date_add_end": day_end(p.get("dateAddEnd"))}
        found, total = user_ops.list_users(conn, filters, page_no, size)
        levels = {r["id"]: r["name"] for r in rows(conn, "SELECT * FROM user_levels")}
        return listing(found, total, size, lambda u: render_user(request, {**u, "level_name": levels.get(u["level"])}))

    @at("/user/apiExtUser/info", "GET")
    async def user_info(request: Request, p: dict[str, Any]) -> Any:
        return {"userBase": render_user(request, user_ops.get_user(conn, req_int(p, "id"))), "userBaseWx": None,
                "extJson": {}}

    @at("/user/apiExtUser/modify")
    async def user_modify(request: Request, p: dict[str, Any]) -> Any:
        fields = {"nick": p.get("nick"), "remark": p.get("remark"), "avatar": p.get("avatarUrl"),
                  "status": opt_int(p, "status"), "level": opt_int(p, "levelId")}
        user_ops.modify(conn, req_int(p, "id"), {k: v for k, v in fields.items() if v not in (None, "")
                                                 or (k == "remark" and v == "")})

    @at("/user/apiExtUserShippingAddress/list")
    async def address_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        uid = opt_int(p, "uid")
        if uid:
            found_all = user_ops.addresses(conn, uid)
        else:
            found_all = rows(conn, "SELECT * FROM addresses WHERE status = 0 ORDER BY id DESC")
        found, total = slice_page(found_all, page_no, size)
        names = address_names(conn, found)
        return listing(found, total, size, lambda a: render_address(a, names))

    # Wallet -------------------------------------------------------------------------------
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

    # Coupons ------------------------------------------------------------------------------
    @at("/user/extDiscountsCoupon/list")
    async def coupon_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = voucher_ops.list_coupons(conn, page_no, size)
        return listing(found, total, size, render_coupon)

    @at("/user/extDiscountsCoupon/info", "GET")
    async def coupon_info(request: Request, p: dict[str, Any]) -> Any:
        found = one(conn, "SELECT * FROM coupons WHERE id = ?", req_int(p, "id"))
        if found is None:
            raise not_found("优惠券")
        return render_coupon(found)

    @at("/user/extDiscountsCoupon/save")
    async def coupon_save(request: Request, p: dict[str, Any]) -> Any:
        fields = {"name": p.get("name"), "money": to_cents(p.get("money"), "money"),
                  "money_hreshold": to_cents(p.get("moneyHreshold") or 0, "moneyHreshold"),
                  "number_total": opt_int(p, "numberTotle"), "date_end_days": opt_int(p, "dateEndDays")}
        return voucher_ops.save_coupon(conn, fields, opt_int(p, "id"))

    @at("/user/extDiscountsCoupon/del")
    async def coupon_del(request: Request, p: dict[str, Any]) -> Any:
        voucher_ops.delete_coupon(conn, req_int(p, "id"))

    @at("/user/extDiscountsCoupon/sendUser")
    async def coupon_send(request: Request, p: dict[str, Any]) -> Any:
        return voucher_ops.send_coupon(conn, req_int(p, "id"), req_int(p, "uid"))

    @at("/user/extDiscountsCouponUser/list")
    async def user_coupon_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        if opt_int(p, "id"):  # a single row, for clients checking one coupon's state
            found = rows(conn, "SELECT * FROM user_coupons WHERE id = ?", opt_int(p, "id"))
            return listing(found, len(found), size, render_user_coupon)
        filters = {"uid": opt_int(p, "uid"), "coupon_id": opt_int(p, "refId") or opt_int(p, "pid"),
                   "order_id": opt_int(p, "orderId"), "status": p.get("status"),
                   "date_update_begin": p.get("dateUpdateBegin")}
        found, total = voucher_ops.list_user_coupons(conn, filters, page_no, size)
        return listing(found, total, size, render_user_coupon)

    @at("/user/extDiscountsCouponUser/invalid")
    async def user_coupon_invalid(request: Request, p: dict[str, Any]) -> Any:
        voucher_ops.invalidate_user_coupon(conn, req_int(p, "id"))

    # CMS --------------------------------------------------------------------------------
    def cms_filters(p: dict[str, Any]) -> dict[str, Any]:
        return {"title_like": p.get("titleLike"), "tags_like": p.get("tagsLike"),
                "category_id": opt_int(p, "categoryId"), "is_recommend": flag(p, "isRecommend"),
                "type": p.get("type"), "date_update_begin": p.get("dateUpdateBegin")}

    @at("/user/apiExtNews/list")
    async def news_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = cms_ops.list_items(conn, "cms_articles", cms_filters(p), page_no, size)
        return listing(found, total, size, lambda a: render_article(request, a))

    @at("/user/apiExtNews/info", "GET")
    async def news_info(request: Request, p: dict[str, Any]) -> Any:
        return render_article(request, cms_ops.get_item(conn, "cms_articles", req_int(p, "id")))

    @at("/user/apiExtNews/save")
    async def news_save(request: Request, p: dict[str, Any]) -> Any:
        fields = {"category_id": opt_int(p, "categoryId"), "title": p.get("title"), "descript": p.get("descript"),
                  "content": p.get("content"), "pic": p.get("pic"), "tags": p.get("tags"), "author": p.get("author"),
                  "is_recommend": flag(p, "isRecommend")}
        return cms_ops.save_item(conn, "cms_articles", fields, opt_int(p, "id"))

    @at("/user/apiExtNews/del")
    async def news_del(request: Request, p: dict[str, Any]) -> Any:
        cms_ops.delete_item(conn, "cms_articles", req_int(p, "id"))

    @at("/user/apiExtNewsCategory/list")
    async def category_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = page(conn, "cms_categories", [], [], page_no, size, "paixu, id")
        return listing(found, total, size, render_category)

    @at("/user/apiExtPage/list")
    async def page_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = slice_page(cms_ops.list_pages(conn), page_no, size)
        return listing(found, total, size, render_page)

    @at("/user/apiExtPage/info", "GET")
    async def page_info(request: Request, p: dict[str, Any]) -> Any:
        found = one(conn, "SELECT * FROM cms_pages WHERE id = ?", req_int(p, "id"))
        if found is None:
            raise not_found("单页")
        return render_page(found)

    @at("/user/apiExtPage/info/key", "GET")
    async def page_by_key(request: Request, p: dict[str, Any]) -> Any:
        return render_page(cms_ops.get_page(conn, req_str(p, "key")))

    @at("/user/apiExtPage/save")
    async def page_save(request: Request, p: dict[str, Any]) -> Any:
        cms_ops.set_page(conn, req_str(p, "key"), str(p.get("title") or ""), str(p.get("content") or ""))
        return render_page(cms_ops.get_page(conn, req_str(p, "key")))

    @at("/user/apiExtNotice/list")
    async def notice_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = cms_ops.list_items(conn, "notices", cms_filters(p), page_no, size)
        return listing(found, total, size, render_notice)

    @at("/user/apiExtNotice/info", "GET")
    async def notice_info(request: Request, p: dict[str, Any]) -> Any:
        return render_notice(cms_ops.get_item(conn, "notices", req_int(p, "id")))

    @at("/user/apiExtNotice/save")
    async def notice_save(request: Request, p: dict[str, Any]) -> Any:
        fields = {"type": p.get("type"), "title": p.get("title"), "content": p.get("content"),
                  "is_show": flag(p, "isShow")}
        return cms_ops.save_item(conn, "notices", fields, opt_int(p, "id"))

    @at("/user/apiExtNotice/del")
    async def notice_del(request: Request, p: dict[str, Any]) -> Any:
        cms_ops.delete_item(conn, "notices", req_int(p, "id"))

    @at("/user/apiExtBanner/list")
    async def banner_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = cms_ops.list_items(conn, "banners", {"type": p.get("type")}, page_no, size)
        return listing(found, total, size, lambda b: render_banner(request, b))

    return [Route(path, wrap(fn, check_token if auth else None), methods=[method] if method == "GET"
                  else ["POST"]) for path, method, fn, auth in table]
