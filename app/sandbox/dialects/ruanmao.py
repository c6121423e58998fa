"""The 软猫引擎 open-platform dialect of the practice platform.

Serves app/platform/ruanmao/routes.py exactly as shared/platform/ruanmao-signing.md
says: signed JSON POSTs checked for appId, sign, timestamp window, replayed nonce and
AccessToken, and signed answers ``{code, msg, data, timestamp, nonceStr, sign}`` carrying
the server's clock. Business rules live in app/sandbox/ops; this module parses and renders.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.domain.enums import CashLogType, ScoreLogType
from app.platform import signing
from app.platform.ruanmao.routes import ACCESS_TOKEN, MAX_PAGE_SIZE, ROUTES
from app.sandbox.dialects.common import (
    absolute,
    opt_int,
    paging,
    req_int,
    req_str,
    to_cents,
    total_pages,
    yuan_str,
)
from app.sandbox.ops import OpError, cms, invalid, one, orders, refunds, rows, users, vouchers, wallet

log = logging.getLogger(__name__)

OK, TOKEN_INVALID, BAD_SIGN, REPLAY, BAD_PARAM, BAD_APP = 0, 40001, 40002, 40003, 40004, 40010
RATE_LIMITED, NOT_FOUND, CONFLICT, PLATFORM_ERROR = 40029, 40400, 40900, 50000
WINDOW_S = 300  # a request's timestamp may be this far from the server clock
NONCE_TTL_S = 15 * 60
OP_CODES = {OpError.NOT_FOUND: NOT_FOUND, OpError.CONFLICT: CONFLICT, OpError.INVALID: BAD_PARAM,
            OpError.INSUFFICIENT: CONFLICT, OpError.DUPLICATE_REFUND: CONFLICT, OpError.AUTH: BAD_PARAM}
STATUS_TEXT = {-1: "已关闭", 0: "待付款", 1: "待发货", 2: "已发货", 3: "待评价", 4: "已完成"}
CMS_KEYS = {"about": "aboutUs", "terms": "terms"}

Params = dict[str, Any]
Handler = Callable[[Params, Request], Awaitable[Any]]


class Refusal(Exception):
    """A protocol-level refusal (sign, token, replay) with its code."""

    def __init__(self, code: int, msg: str, *, signed: bool = True) -> None:
        super().__init__(msg)
        self.code, self.msg, self.signed = code, msg, signed


def routes(state: Any) -> list[Route]:
    config = state.config
    served: dict[str, Handler] = {}
    counter = {"n": 0}

    def now_ms() -> int:
        return int(state.now() * 1000)

    def answer(request: Request, code: int, msg: str, data: Any = None, *, signed: bool = True) -> JSONResponse:
        if not signed:
            return JSONResponse({"code": code, "msg": msg, "data": data, "timestamp": now_ms()})
        envelope = signing.sign_response(code, msg, data, secret=config.ruanmao_app_secret, timestamp_ms=now_ms())
        if request.scope.get("state", {}).get("chaos_badsign"):
            # A tampered answer: the body says one thing, the sign was made for another.
            envelope["sign"] = signing.sign_response(code, msg, {"tampered": True}, secret=config.ruanmao_app_secret,
                                                     timestamp_ms=envelope["timestamp"],
                                                     nonce=envelope["nonceStr"])["sign"]
        return JSONResponse(envelope)

    async def body_of(request: Request) -> Params:
        raw = await request.body()
        try:
            body = json.loads(raw or b"{}")
        except ValueError as exc:
            raise Refusal(BAD_PARAM, "请求体不是合法的 JSON") from exc
        if not isinstance(body, dict):
            raise Refusal(BAD_PARAM, "请求体必须是 JSON 对象")
        return body

    def check(body: Params, *, token: bool) -> None:
        if body.get("appId") != config.ruanmao_app_id:
            raise Refusal(BAD_APP, "appId 不存在", signed=False)
        if body.get("signType", signing.HMAC_SHA256) not in signing.SIGN_TYPES:
            raise Refusal(BAD_PARAM, "参数 signType 只能是 HMAC-SHA256 或 MD5")
        if not signing.verify_request(body, config.ruanmao_app_secret):
            raise Refusal(BAD_SIGN, "签名错误")
        ts = body.get("timestamp")
        if not isinstance(ts, int) or isinstance(ts, bool):
            raise Refusal(BAD_PARAM, "参数 timestamp 必须是毫秒整数")
        now = state.now()
        if abs(ts / 1000 - now) > WINDOW_S:
            raise Refusal(REPLAY, "请求已过期：timestamp 与服务器时间相差超过 300 秒")
        nonce = body.get("nonceStr")
        if not signing.is_valid_nonce(nonce):
            raise Refusal(BAD_PARAM, "参数 nonceStr 必须是 16 到 32 位字母或数字")
        conn = state.conn
        counter["n"] += 1
        if counter["n"] % 50 == 1:
            conn.execute("DELETE FROM nonces WHERE seen < ?", (now - NONCE_TTL_S,))
        seen = conn.execute("SELECT seen FROM nonces WHERE nonce = ?", (nonce,)).fetchone()
        if seen is not None and seen[0] >= now - NONCE_TTL_S:
            raise Refusal(REPLAY, "nonceStr 已使用过（重放请求）")
        conn.execute("INSERT OR REPLACE INTO nonces (nonce, seen) VALUES (?, ?)", (nonce, now))
        if token:
            found = conn.execute("SELECT expires FROM admin_tokens WHERE token = ? AND dialect = 'ruanmao'",
                                 (str(body.get("accessToken") or ""),)).fetchone()
            if found is None or found[0] <= now:
                raise Refusal(TOKEN_INVALID, "accessToken 无效或已过期")

    def endpoint(handler: Handler, *, token: bool = True) -> Callable[[Request], Awaitable[JSONResponse]]:
        async def handle(request: Request) -> JSONResponse:
            state.requests += 1
            if request.scope.get("state", {}).get("chaos_ratelimit"):
                return answer(request, RATE_LIMITED, "请求过于频繁，请稍后再试", {"retryAfter": 1})
            try:
                body = await body_of(request)
                check(body, token=token)
                data = await handler(body, request)
            except Refusal as exc:
                return answer(request, exc.code, exc.msg, signed=exc.signed)
            except OpError as exc:
                return answer(request, OP_CODES.get(exc.kind, PLATFORM_ERROR), exc.msg)
            except Exception:  # a bug here must still answer in the dialect
                log.exception("ruanmao handler failed: %s", request.url.path)
                return answer(request, PLATFORM_ERROR, "平台内部错误")
            return answer(request, OK, "success", data)

        return handle

    def op(name: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            served[name] = fn
            return fn

        return register

    conn = state.conn

    # --- rendering ------------------------------------------------------------------

    def listing(found: list[dict[str, Any]], total: int, size: int, render: Callable[[dict[str, Any]], Any]) -> Params:
        return {"result": [render(r) for r in found], "totalRow": total, "totalPage": total_pages(total, size)}

    def pages(p: Params) -> tuple[int, int]:
        return paging(p, default_size=50, max_size=MAX_PAGE_SIZE)

    def goods_row(g: dict[str, Any], request: Request) -> Params:
        return {"id": g["id"], "orderId": g["order_id"], "goodsId": g["goods_id"], "skuId": g["sku_id"],
                "goodsName": g["goods_name"], "pic": absolute(request, g["pic"]), "property": g["property"],
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

    def order_rows(found: list[dict[str, Any]], request: Request, traces: bool = False) -> list[Params]:
        ids = [o["id"] for o in found]
        goods, parcels = orders.goods_for(conn, ids), orders.parcels_for(conn, ids)
        names = orders.region_names(conn, [c for o in found for c in (o["province_id"], o["city_id"], o["district_id"])])
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
                "goods": [goods_row(g, request) for g in goods[o["id"]]],
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

    def flag(p: Params, key: str) -> bool | None:
        value = p.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("1", "true"):
            return True
        if str(value).lower() in ("0", "false"):
            return False
        raise invalid(f"参数 {key} 必须是 true 或 false")

    def text(p: Params, key: str, default: str = "") -> str:
        value = p.get(key)
        if value is None:
            return default
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise invalid(f"参数 {key} 必须是字符串")
        return str(value)

    def id_list(value: Any, key: str) -> list[int]:
        if isinstance(value, str):
            value = [v for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not value:
            raise invalid(f"参数 {key} 必须是非空的整数列表")
        try:
            return [int(v) for v in value if not isinstance(v, bool)]
        except (TypeError, ValueError) as exc:
            raise invalid(f"参数 {key} 必须是整数列表") from exc

    # --- access token -------------------------------------------------------------------

    async def access_token(p: Params, request: Request) -> Params:
        token = "at_" + secrets.token_hex(16)
        ttl = int(config.token_ttl)
        now = state.now()
        conn.execute("DELETE FROM admin_tokens WHERE dialect = 'ruanmao' AND expires < ?", (now,))
        conn.execute("INSERT INTO admin_tokens (token, dialect, expires) VALUES (?, 'ruanmao', ?)", (token, now + ttl))
        return {"accessToken": token, "expiresIn": ttl}

    # --- orders ---------------------------------------------------------------------------

    @op("order.list")
    async def order_list(p: Params, request: Request) -> Params:
        page_no, size = pages(p)
        statuses = p.get("statuses")
        if isinstance(statuses, list):
            statuses = ",".join(str(int(s)) for s in statuses)
        need = flag(p, "needLogistics")
        filters = {"status": opt_int(p, "status"), "statuses": statuses, "refund_status": opt_int(p, "refundStatus"),
                   "uid": opt_int(p, "uid"), "order_number": text(p, "orderNumber"),
                   "date_update_begin": text(p, "dateUpdateBegin"), "date_update_end": text(p, "dateUpdateEnd"),
                   "date_add_begin": text(p, "dateAddBegin"), "date_add_end": text(p, "dateAddEnd"),
                   "is_need_logistics": None if need is None else int(need)}
        order = "date_update, id" if filters["date_update_begin"] else "id DESC"
        found, total = orders.list_orders(conn, filters, page_no, size, order)
        return {"result": order_rows(found, request), "totalRow": total, "totalPage": total_pages(total, size)}

    @op("order.detail")
    async def order_detail(p: Params, request: Request) -> Params:
        d = orders.detail(conn, req_int(p, "orderId"))
        row = order_rows([d["order"]], request, traces=True)[0]
        row["logs"] = [{"id": lg["id"], "orderId": lg["order_id"], "type": lg["type"], "typeStr": lg["type_str"],
                        "remark": lg["remark"], "dateAdd": lg["date_add"]} for lg in d["logs"]]
        row["refundApplies"] = [apply_row(a, request) for a in d["refund_applies"]]
        return row

    @op("order.receiving")
    async def order_receiving(p: Params, request: Request) -> Params:
        row = order_rows([orders.get_order(conn, req_int(p, "orderId"))], request, traces=True)[0]
        return {"orderId": row["id"], "receiving": row["receiving"], "parcels": row["parcels"]}

    @op("order.modify_address")
    async def order_address(p: Params, request: Request) -> None:
        fields = {"link_man": req_str(p, "linkMan"), "mobile": req_str(p, "mobile"),
                  "district_id": req_str(p, "districtId"), "address": req_str(p, "address"),
                  "postcode": text(p, "postcode")}
        for wire, column in (("provinceId", "province_id"), ("cityId", "city_id")):
            if text(p, wire):
                fields[column] = text(p, wire)
        orders.update_receiver(conn, req_int(p, "orderId"), fields)

    @op("order.remark")
    async def order_remark(p: Params, request: Request) -> None:
        orders.set_remark(conn, req_int(p, "orderId"), text(p, "remark"))

    @op("order.pay_backend")
    async def order_pay_backend(p: Params, request: Request) -> None:
        orders.pay_offline(conn, req_int(p, "orderId"))

    @op("order.pay_balance")
    async def order_pay_balance(p: Params, request: Request) -> None:
        orders.pay_balance(conn, req_int(p, "orderId"))

    @op("order.change_price")
    async def order_change_price(p: Params, request: Request) -> None:
        freight = p.get("amountLogistics")
        orders.change_price(conn, req_int(p, "orderId"), to_cents(p.get("amount"), "amount"),
                            None if freight in (None, "") else to_cents(freight, "amountLogistics"))

    def courier_of(p: Params, required: bool) -> int:
        value = opt_int(p, "expressCompanyId")
        if value is None:
            if required:
                raise invalid("缺少参数 expressCompanyId")
            return -1
        return value

    @op("order.ship")
    async def order_ship(p: Params, request: Request) -> Params:
        raw = p.get("parcels")
        if not isinstance(raw, list) or not raw:
            raise invalid("缺少参数 parcels")
        parcels: list[tuple[str, list[tuple[int, int | None]] | None]] = []
        for i, parcel in enumerate(raw):
            if not isinstance(parcel, dict):
                raise invalid(f"参数 parcels[{i}] 必须是对象")
            number = parcel.get("trackingNumber")
            if not isinstance(number, str) or not number.strip():
                raise invalid(f"缺少参数 parcels[{i}].trackingNumber")
            goods: list[tuple[int, int | None]] | None = None
            if parcel.get("items") is not None:
                items = parcel["items"]
                if not isinstance(items, list):
                    raise invalid(f"参数 parcels[{i}].items 必须是列表")
                try:
                    goods = [(int(it["orderGoodsId"]), int(it["number"])) for it in items]
                except (TypeError, KeyError, ValueError) as exc:
                    raise invalid(f"参数 parcels[{i}].items 每项需要 orderGoodsId 和 number") from exc
            elif parcel.get("orderGoodsIds") is not None:
                goods = [(gid, None) for gid in id_list(parcel["orderGoodsIds"], f"parcels[{i}].orderGoodsIds")]
            parcels.append((number.strip(), goods))
        ids = orders.ship_parcels(conn, req_int(p, "orderId"), courier_of(p, True), parcels)
        return {"parcelIds": ids}

    @op("order.ship_no_tracking")
    async def order_ship_bare(p: Params, request: Request) -> Params:
        goods: list[tuple[int, int | None]] | None = None
        if p.get("items") is not None:
            items = p["items"]
            try:
                goods = [(int(it["orderGoodsId"]), int(it["number"])) for it in items]
            except (TypeError, KeyError, ValueError) as exc:
                raise invalid("参数 items 每项需要 orderGoodsId 和 number") from exc
        elif p.get("orderGoodsIds") is not None:
            goods = [(gid, None) for gid in id_list(p["orderGoodsIds"], "orderGoodsIds")]
        ids = orders.ship_parcels(conn, req_int(p, "orderId"), courier_of(p, False), [("", goods)])
        return {"parcelIds": ids}

    @op("order.pickup_offline")
    async def order_pickup(p: Params, request: Request) -> None:
        orders.pickup(conn, req_int(p, "orderId"))

    @op("order.tracking_add")
    async def order_tracking_add(p: Params, request: Request) -> Params:
        numbers = p.get("trackingNumbers")
        if isinstance(numbers, str):
            numbers = numbers.split(",")
        if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
            raise invalid("参数 trackingNumbers 必须是字符串列表")
        return {"parcelIds": orders.add_tracking(conn, req_int(p, "orderId"), courier_of(p, True), numbers)}

    @op("order.close")
    async def order_close(p: Params, request: Request) -> None:
        orders.close(conn, req_int(p, "orderId"), reason=text(p, "reason") or "商家关闭")

    @op("order.success")
    async def order_success(p: Params, request: Request) -> None:
        orders.set_success(conn, req_int(p, "orderId"))

    @op("order.refund")
    async def order_refund(p: Params, request: Request) -> None:
        to_where = opt_int(p, "refundTo")
        close = flag(p, "closeOrder")
        orders.refund(conn, req_int(p, "orderId"), to_cents(p.get("amount"), "amount"),
                      1 if to_where is None else to_where, -1 if close else None, text(p, "remark"))

    # --- refund applications ---------------------------------------------------------------

    @op("refund.list")
    async def refund_list(p: Params, request: Request) -> Params:
        page_no, size = pages(p)
        filters = {"status": opt_int(p, "status"), "type": opt_int(p, "type"), "order_id": opt_int(p, "orderId"),
                   "uid": opt_int(p, "uid"), "date_update_begin": text(p, "dateUpdateBegin"),
                   "date_add_begin": text(p, "dateAddBegin"), "date_add_end": text(p, "dateAddEnd")}
        found, total = refunds.list_applies(conn, filters, page_no, size)
        return listing(found, total, size, lambda a: apply_row(a, request))

    @op("refund.detail")
    async def refund_detail(p: Params, request: Request) -> Params:
        return apply_row(refunds.get_apply(conn, req_int(p, "id")), request)

    def apply_target(p: Params) -> tuple[int, int]:
        found = refunds.get_apply(conn, req_int(p, "id"))
        return found["order_id"], found["id"]

    @op("refund.agree")
    async def refund_agree(p: Params, request: Request) -> None:
        refunds.set_processing(conn, *apply_target(p))

    @op("refund.refuse")
    async def refund_refuse(p: Params, request: Request) -> None:
        order_id, apply_id = apply_target(p)
        refunds.refuse(conn, order_id, apply_id, req_str(p, "reason"))

    @op("refund.complete")
    async def refund_complete(p: Params, request: Request) -> None:
        order_id, apply_id = apply_target(p)
        to_where = opt_int(p, "refundTo")
        amount = p.get("amount")
        refunds.complete(conn, order_id, apply_id, 1 if to_where is None else to_where,
                         None if amount in (None, "") else to_cents(amount, "amount"))

    # --- couriers -------------------------------------------------------------------------

    @op("courier.list")
    async def courier_list(p: Params, request: Request) -> list[Params]:
        return [{"id": c["id"], "code": c["code"], "name": c["name"], "type": c["type"]}
                for c in orders.couriers(conn)]

    @op("courier.freight_rules")
    async def freight_rules(p: Params, request: Request) -> list[Params]:
        return [{"id": r["id"], "name": r["name"], "firstPieces": r["first_pieces"], "firstFee": yuan_str(r["first_fee"]),
                 "extraPieces": r["extra_pieces"], "extraFee": yuan_str(r["extra_fee"]),
                 "freeOver": yuan_str(r["free_over"]),
                 "excludedRegions": [c for c in r["excluded"].split(",") if c]}
                for r in rows(conn, "SELECT * FROM freight_rules ORDER BY id")]

    # --- vouchers -------------------------------------------------------------------------

    @op("voucher.issue")
    async def voucher_issue(p: Params, request: Request) -> Params:
        return voucher_row(vouchers.issue_voucher(conn, req_int(p, "uid"), req_str(p, "name"),
                                                  req_int(p, "validDays"), opt_int(p, "orderId") or 0))

    @op("voucher.void")
    async def voucher_void(p: Params, request: Request) -> None:
        vouchers.void_voucher(conn, req_int(p, "id"))

    @op("voucher.redeem")
    async def voucher_redeem(p: Params, request: Request) -> Params:
        voucher_id = opt_int(p, "id")
        code = text(p, "code").strip()
        if not voucher_id and not code:
            raise invalid("缺少参数 code")
        return voucher_row(vouchers.redeem_voucher(conn, voucher_id=voucher_id, code=code or None))

    @op("voucher.list_by_user")
    async def voucher_list(p: Params, request: Request) -> Params:
        page_no, size = pages(p)
        voucher_id = opt_int(p, "id")
        if voucher_id:  # one voucher by id, as a list of at most one
            try:
                found, total = [vouchers.get_voucher(conn, voucher_id=voucher_id)], 1
            except OpError:
                found, total = [], 0
            return listing(found, total, size, voucher_row)
        filters = {"uid": opt_int(p, "uid"), "status": opt_int(p, "status"), "code": text(p, "code"),
                   "date_update_begin": text(p, "dateUpdateBegin")}
        found, total = vouchers.list_vouchers(conn, filters, page_no, size)
        return listing(found, total, size, voucher_row)

    @op("voucher.list_by_order")
    async def voucher_list_by_order(p: Params, request: Request) -> list[Params]:
        order = orders.find_order(conn, number=req_str(p, "orderNumber").strip())
        found, _ = vouchers.list_vouchers(conn, {"order_id": order["id"]}, 1, 1000)
        return [voucher_row(v) for v in found]

    # --- cms ------------------------------------------------------------------------------

    def page_row(key: str) -> Params:
        found = cms.get_page(conn, CMS_KEYS[key])
        return {"title": found["title"], "content": found["content"], "dateUpdate": found["date_update"]}

    def page_setter(key: str) -> Handler:
        async def set_page(p: Params, request: Request) -> None:
            cms.set_page(conn, CMS_KEYS[key], text(p, "title"), req_str(p, "content"))

        return set_page

    def page_getter(key: str) -> Handler:
        async def get_page(p: Params, request: Request) -> Params:
            return page_row(key)

        return get_page

    served["cms.about_set"], served["cms.about_get"] = page_setter("about"), page_getter("about")
    served["cms.terms_set"], served["cms.terms_get"] = page_setter("terms"), page_getter("terms")

    # --- users ----------------------------------------------------------------------------

    @op("user.list")
    async def user_list(p: Params, request: Request) -> Params:
        page_no, size = pages(p)
        filters = {"mobile": text(p, "mobile"), "nick_like": text(p, "nick"), "status": opt_int(p, "status"),
                   "level": opt_int(p, "level"), "date_update_begin": text(p, "dateUpdateBegin"),
                   "date_add_begin": text(p, "dateAddBegin"), "date_add_end": text(p, "dateAddEnd")}
        found, total = users.list_users(conn, filters, page_no, size)
        return listing(found, total, size, lambda u: user_row(u, request))

    @op("user.profile")
    async def user_profile(p: Params, request: Request) -> Params:
        return user_row(users.get_user(conn, req_int(p, "uid")), request)

    @op("user.modify")
    async def user_modify(p: Params, request: Request) -> None:
        fields = {"nick": p.get("nick"), "remark": p.get("remark"), "status": opt_int(p, "status"),
                  "level": opt_int(p, "level")}
        if all(v is None for v in fields.values()):
            raise invalid("缺少要修改的字段（nick、remark、status、level）")
        if fields["level"] is not None and one(conn, "SELECT id FROM user_levels WHERE id = ?", fields["level"]) is None:
            raise invalid("参数 level 不是已有的会员等级")
        users.modify(conn, req_int(p, "uid"), fields)

    @op("user.level")
    async def user_level(p: Params, request: Request) -> Params:
        found = users.user_level(conn, req_int(p, "uid"))
        return {"uid": found["uid"], "level": found["level"], "levelName": found["name"],
                "nextUpgrade": yuan_str(found["next_upgrade"])}

    def stats_row(s: dict[str, Any]) -> Params:
        return {"uid": s["uid"], "orderCount": s["orders"], "orderAmount": yuan_str(s["amount"]),
                "refundCount": s["refunds"], "lastOrderDate": s["last_order"]}

    @op("user.stats_batch")
    async def user_stats_batch(p: Params, request: Request) -> list[Params]:
        uids = id_list(p.get("uids"), "uids")
        if len(uids) > MAX_PAGE_SIZE:
            raise invalid(f"参数 uids 最多 {MAX_PAGE_SIZE} 个")
        return [stats_row(users.stats(conn, uid)) for uid in uids]

    @op("user.stats_advanced")
    async def user_stats_advanced(p: Params, request: Request) -> Params:
        return stats_row(users.stats(conn, req_int(p, "uid"), text(p, "dateBegin") or None,
                                     text(p, "dateEnd") or None))

    @op("user.addresses")
    async def user_addresses(p: Params, request: Request) -> list[Params]:
        uid = req_int(p, "uid")
        users.get_user(conn, uid)
        return [{"id": a["id"], "uid": a["uid"], "linkMan": a["link_man"], "mobile": a["mobile"],
                 "provinceId": a["province_id"], "cityId": a["city_id"], "districtId": a["district_id"],
                 "address": a["address"], "code": a["code"], "isDefault": bool(a["is_default"]),
                 "dateUpdate": a["date_update"]} for a in users.addresses(conn, uid)]

    # --- assets ---------------------------------------------------------------------------

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
        served[f"asset.{name}_log"] = ledger_lister(kind)
    served["asset.adjust_balance"] = adjuster("balance")
    served["asset.adjust_points"] = adjuster("points")
    served["asset.adjust_tokens"] = adjuster("token")

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

    served["withdraw.bank_logs"] = withdrawal_lister("bank")
    served["withdraw.wechat_logs"] = withdrawal_lister("wechat")

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

    # --- info board -----------------------------------------------------------------------

    @op("info.list")
    async def info_list(p: Params, request: Request) -> Params:
        page_no, size = pages(p)
        found, total = cms.list_items(conn, "info_posts", {"category": text(p, "category"),
                                                            "title_like": text(p, "keyword"),
                                                            "date_update_begin": text(p, "dateUpdateBegin")},
                                      page_no, size)
        return listing(found, total, size, info_row)

    @op("info.detail")
    async def info_detail(p: Params, request: Request) -> Params:
        return info_row(cms.get_item(conn, "info_posts", req_int(p, "id")))

    missing = set(ROUTES) - set(served) - {"auth.access_token"}
    if missing:  # the table and the dialect must not drift
        raise RuntimeError(f"ruanmao dialect serves no handler for {sorted(missing)}")
    out = [Route(ACCESS_TOKEN, endpoint(access_token, token=False), methods=["POST"])]
    out += [Route(ROUTES[name], endpoint(fn), methods=["POST"]) for name, fn in served.items()]
    return out
