"""API工厂 shop-user API (what mini-programs call), under ``/{subDomain}/...``.

Research §2.5. The real platform splits these calls over two hosts (``api.it120.cc`` and
``common.apifm.com``) with the same ``/{subDomain}`` prefix; the sandbox serves both path
sets on one host, so a client points both base URLs here. The session is the ``token``
parameter (query or form), never a header; a missing or unknown token answers 2000.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from app.domain.enums import CouponStatus, WithdrawalStatus
from app.sandbox.dialects.apifm_admin import (
    EMPTY,
    NOT_LOGGED_IN,
    Handler,
    Reply,
    address_names,
    day_end,
    label,
    listing,
    order_detail,
    orders_payload,
    render_address,
    render_apply,
    render_article,
    render_banner,
    render_cash_log,
    render_category,
    render_notice,
    render_order,
    render_page,
    render_score_log,
    slice_page,
    wrap,
)
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
from app.sandbox.ops import cms as cms_ops
from app.sandbox.ops import invalid, not_found, one, rows
from app.sandbox.ops import orders as order_ops
from app.sandbox.ops import refunds as refund_ops
from app.sandbox.ops import shop as shop_ops
from app.sandbox.ops import users as user_ops
from app.sandbox.ops import vouchers as voucher_ops
from app.sandbox.ops import wallet as wallet_ops

WRONG_SUB_DOMAIN = 404  # sandbox choice: the research has no code for an unknown subDomain


def routes(state: Any) -> list[Route]:
    conn = state.conn
    cfg = state.config
    table: list[tuple[str, tuple[str, ...], Handler, bool]] = []

    def check_sub_domain(request: Request, p: dict[str, Any]) -> None:
        sub = request.path_params.get("sub")
        if sub != cfg.apifm_sub_domain:
            raise Reply(WRONG_SUB_DOMAIN, f"subDomain「{sub}」不存在，请检查商户的专属域名")

    def check_user(request: Request, p: dict[str, Any]) -> None:
        check_sub_domain(request, p)
        token = p.get("token")
        if not token and p.get("postJsonString"):  # order/reputation carries the token inside the JSON
            token = json.loads(p["postJsonString"]).get("token")
        uid = user_ops.uid_for_token(conn, str(token or ""))
        if uid is None:
            raise Reply(NOT_LOGGED_IN, "登录 token 无效，请重新登录")
        p["_uid"] = uid

    def at(path: str, methods: tuple[str, ...] = ("POST",), user: bool = True) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            table.append((path, methods, fn, user))
            return fn
        return register

    # Users ------------------------------------------------------------------------------
    @at("/user/username/register", user=False)
    async def register(request: Request, p: dict[str, Any]) -> Any:
        uid = user_ops.register(conn, req_str(p, "username"), str(p.get("pwd") or ""), str(p.get("nick") or ""),
                                str(p.get("mobile") or ""))
        if str(p.get("autoLogin") or "").lower() == "true":
            return {"token": user_ops.issue_token(conn, uid), "uid": uid}
        return None

    @at("/user/username/login", user=False)
    async def login(request: Request, p: dict[str, Any]) -> Any:
        token, uid = user_ops.login(conn, req_str(p, "username"), str(p.get("pwd") or ""))
        return {"token": token, "uid": uid}

    @at("/user/check-token", ("GET",))
    async def check_token(request: Request, p: dict[str, Any]) -> Any:
        return None

    @at("/user/loginout", ("GET",))
    async def logout(request: Request, p: dict[str, Any]) -> Any:
        user_ops.logout(conn, str(p.get("token")))

    @at("/user/detail", ("GET",))
    async def detail(request: Request, p: dict[str, Any]) -> Any:
        u = user_ops.get_user(conn, p["_uid"])
        base = {"id": u["id"], "nick": u["nick"], "avatarUrl": absolute(request, u["avatar"]),
                "mobile": u["mobile"], "gender": u["gender"], "province": u["province"], "city": u["city"],
                "source": u["source"], "status": u["status"], "username": u["username"] or "",
                "dateAdd": u["date_add"], "dateLogin": u["date_login"]}
        return {"base": base, "ext": {}, "referrer": None, "idcard": None,
                "userLevel": {"id": u["level"], "name": u["level_name"] or ""}}

    @at("/user/modify")
    async def modify(request: Request, p: dict[str, Any]) -> Any:
        fields = {"nick": p.get("nick") or None, "avatar": p.get("avatarUrl") or None,
                  "gender": opt_int(p, "gender"), "province": p.get("province") or None,
                  "city": p.get("city") or None}
        user_ops.modify(conn, p["_uid"], fields)

    @at("/user/amount", ("GET",))
    async def amount(request: Request, p: dict[str, Any]) -> Any:
        a = wallet_ops.assets(conn, p["_uid"])
        return {"balance": yuan(a["balance"]), "freeze": yuan(a["frozen"]), "score": a["points"], "growth": 0,
                "totleConsumed": yuan(a["total_consumed"])}

    # Addresses --------------------------------------------------------------------------
    def address_fields(p: dict[str, Any]) -> dict[str, Any]:
        return {"link_man": p.get("linkMan"), "mobile": p.get("mobile"), "district_id": p.get("districtId"),
                "address": p.get("address"), "code": p.get("code"),
                "is_default": str(p.get("isDefault") or "").lower() in ("true", "1")}

    def one_address(uid: int, address_id: int) -> dict[str, Any]:
        found = one(conn, "SELECT * FROM addresses WHERE id = ? AND uid = ? AND status = 0", address_id, uid)
        if found is None:
            raise not_found("收货地址")
        return render_address(found, address_names(conn, [found]))

    @at("/user/shipping-address/list", ("GET", "POST"))
    async def address_list(request: Request, p: dict[str, Any]) -> Any:
        found = user_ops.addresses(conn, p["_uid"])
        if not found:
            raise Reply(EMPTY, "暂无数据")
        names = address_names(conn, found)
        return [render_address(a, names) for a in found]

    @at("/user/shipping-address/list/v2", ("GET", "POST"))
    async def address_list_v2(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = slice_page(user_ops.addresses(conn, p["_uid"]), page_no, size)
        names = address_names(conn, found)
        return listing(found, total, size, lambda a: render_address(a, names))

    @at("/user/shipping-address/add")
    async def address_add(request: Request, p: dict[str, Any]) -> Any:
        return one_address(p["_uid"], user_ops.save_address(conn, p["_uid"], address_fields(p)))

    @at("/user/shipping-address/update")
    async def address_update(request: Request, p: dict[str, Any]) -> Any:
        address_id = req_int(p, "id")
        current = one(conn, "SELECT * FROM addresses WHERE id = ? AND uid = ?", address_id, p["_uid"])
        if current is None:
            raise not_found("收货地址")
        fields = {k: v for k, v in address_fields(p).items() if v not in (None, "")}
        merged = {"link_man": current["link_man"], "mobile": current["mobile"], "district_id": current["district_id"],
                  "address": current["address"], "code": current["code"], "is_default": current["is_default"],
                  **fields}
        if p.get("isDefault") in (None, ""):
            merged["is_default"] = current["is_default"]
        user_ops.save_address(conn, p["_uid"], merged, address_id)
        return one_address(p["_uid"], address_id)

    @at("/user/shipping-address/delete")
    async def address_delete(request: Request, p: dict[str, Any]) -> Any:
        user_ops.delete_address(conn, p["_uid"], req_int(p, "id"))

    @at("/user/shipping-address/default/v2", ("GET",))
    async def address_default(request: Request, p: dict[str, Any]) -> Any:
        found = user_ops.addresses(conn, p["_uid"])
        default = next((a for a in found if a["is_default"]), None)
        if default is None:
            raise Reply(EMPTY, "暂无默认地址")
        return {"info": render_address(default, address_names(conn, [default])), "extJson": {}}

    @at("/user/shipping-address/detail/v2", ("GET",))
    async def address_detail(request: Request, p: dict[str, Any]) -> Any:
        return {"info": one_address(p["_uid"], req_int(p, "id")), "extJson": {}}

    # Goods ------------------------------------------------------------------------------
    def render_goods_row(request: Request, g: dict[str, Any]) -> dict[str, Any]:
        return {"id": g["id"], "name": g["name"], "categoryName": g["category"], "pic": absolute(request, g["pic"]),
                "minPrice": yuan(g["price"]), "originalPrice": yuan(g["original_price"]), "stores": g["stock"],
                "unit": g["unit"], "weight": g["weight"] / 1000, "status": g["status"],
                "statusStr": "上架" if g["status"] == 0 else "下架", "dateAdd": g["date_add"],
                "dateUpdate": g["date_update"]}

    def goods_filters(p: dict[str, Any]) -> dict[str, Any]:
        return {"name_like": p.get("nameLike") or p.get("k"), "category": p.get("categoryName")}

    @at("/shop/goods/list", ("GET", "POST"), user=False)
    async def goods_list(request: Request, p: dict[str, Any]) -> Any:
        check_sub_domain(request, p)
        page_no, size = paging(p)
        found, _ = shop_ops.list_goods(conn, goods_filters(p), page_no, size)
        if not found:
            raise Reply(EMPTY, "暂无数据")
        return [render_goods_row(request, g) for g in found]

    @at("/shop/goods/list/v2", ("GET", "POST"), user=False)
    async def goods_list_v2(request: Request, p: dict[str, Any]) -> Any:
        check_sub_domain(request, p)
        page_no, size = paging(p)
        found, total = shop_ops.list_goods(conn, goods_filters(p), page_no, size)
        return listing(found, total, size, lambda g: render_goods_row(request, g))

    @at("/shop/goods/detail", ("GET",), user=False)
    async def goods_detail(request: Request, p: dict[str, Any]) -> Any:
        check_sub_domain(request, p)
        g = shop_ops.goods_detail(conn, req_int(p, "id"))
        # One property per goods whose children are the SKUs: propertyChildIds "goodsId:skuId".
        skus = [{"id": s["id"], "goodsId": g["id"], "propertyChildIds": f"{g['id']}:{s['id']},",
                 "propertyChildNames": f"规格:{s['property']}", "price": yuan(s["price"]), "stores": s["stock"],
                 "barCode": s["bar_code"]} for s in g["skus"]]
        return {"basicInfo": render_goods_row(request, g), "skuList": skus,
                "properties": [{"id": g["id"], "name": "规格",
                                "childsCurGoods": [{"id": s["id"], "name": s["property"]} for s in g["skus"]]}],
                "pics": [{"pic": absolute(request, g["pic"])}], "content": f"<p>{g['name']}</p>"}

    # Orders -----------------------------------------------------------------------------
    def parse_lines(raw: str) -> list[dict[str, int]]:
        items = json.loads(raw)
        if not isinstance(items, list):
            raise invalid("goodsJsonStr 必须是数组")
        lines = []
        for item in items:
            line = {"goodsId": int(item["goodsId"]), "number": int(item.get("number") or 1)}
            if item.get("skuId"):
                line["skuId"] = int(item["skuId"])
            elif item.get("propertyChildIds"):
                pairs = [x for x in str(item["propertyChildIds"]).split(",") if ":" in x]
                if pairs:
                    line["skuId"] = int(pairs[0].split(":", 1)[1])
            lines.append(line)
        return lines

    @at("/order/create")
    async def order_create(request: Request, p: dict[str, Any]) -> Any:
        calculate = str(p.get("calculate") or "").lower() == "true"
        result = shop_ops.create_order(conn, p["_uid"], parse_lines(req_str(p, "goodsJsonStr")),
                                       opt_int(p, "addressId"), str(p.get("remark") or ""),
                                       pickup=str(p.get("peisongType") or "kd") == "zq", calculate=calculate)
        money = {"amountTotle": yuan(result["amountTotle"]), "amountLogistics": yuan(result["amountLogistics"]),
                 "amountReal": yuan(result["amountReal"]), "goodsNumber": result["goodsNumber"],
                 "isNeedLogistics": str(p.get("peisongType") or "kd") != "zq"}
        if calculate:
            return money
        return {**render_order(order_ops.get_order(conn, result["id"])), **money}

    @at("/order/list")
    async def order_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        filters = {"uid": p["_uid"], "status": opt_int(p, "status"), "statuses": p.get("statusBatch") or None,
                   "order_number": p.get("orderNumber"), "goods_id": opt_int(p, "goodsId"),
                   "date_add_begin": p.get("dateAddBegin"), "date_add_end": day_end(p.get("dateAddEnd"))}
        found, total = order_ops.list_orders(conn, filters, page_no, size)
        if not found:
            raise Reply(EMPTY, "暂无数据")
        return orders_payload(request, conn, found, total, size, list_key="orderList")

    def own_order(p: dict[str, Any], key: str = "orderId") -> int:
        order_id = req_int(p, key)
        if order_ops.get_order(conn, order_id)["uid"] != p["_uid"]:
            raise not_found("订单")
        return order_id

    @at("/order/detail", ("GET",))
    async def order_get(request: Request, p: dict[str, Any]) -> Any:
        if p.get("id") in (None, "") and p.get("hxNumber"):
            p["id"] = order_ops.find_order(conn, hx_number=str(p["hxNumber"]))["id"]
        d = order_detail(request, conn, own_order(p, "id"))
        logistics = d["apiExtOrderLogistics"]
        return {"orderInfo": d["order"], "goods": d["goodsList"], "logistics": logistics,
                "logisticsTraces": d["tracesArray"],
                "orderLogisticsShippers": d["logisticsShippers"], "orderLogisticsShipperLogs": [],
                "logs": d["logs"], "extJson": {}, "goodsCoupons": [], "orderStores": [],
                "orderAdditionalPrices": []}

    @at("/order/pay")
    async def order_pay(request: Request, p: dict[str, Any]) -> Any:
        order_ops.pay_balance(conn, req_int(p, "orderId"), uid=p["_uid"])

    @at("/order/close")
    async def order_close(request: Request, p: dict[str, Any]) -> Any:
        order_ops.close(conn, req_int(p, "orderId"), uid=p["_uid"], reason="买家取消")

    @at("/order/delivery")
    async def order_delivery(request: Request, p: dict[str, Any]) -> Any:
        order_ops.confirm_receipt(conn, req_int(p, "orderId"), p["_uid"])

    @at("/order/reputation")
    async def order_reputation(request: Request, p: dict[str, Any]) -> Any:
        data = json.loads(req_str(p, "postJsonString")) if p.get("postJsonString") else p
        order_ops.review(conn, int(data["orderId"]), p["_uid"])

    @at("/order/statistics", ("GET",))
    async def order_statistics(request: Request, p: dict[str, Any]) -> Any:
        where, args = "uid = ?", [p["_uid"]]
        need = p.get("isNeedLogistics")
        if need not in (None, ""):
            where += " AND is_need_logistics = ?"
            args.append(1 if str(need).lower() in ("true", "1") else 0)
        counts = {r[0]: r[1] for r in conn.execute(
            f"SELECT status, COUNT(*) FROM orders WHERE {where} GROUP BY status", args)}
        return {"count_id_no_pay": counts.get(0, 0), "count_id_no_transfer": counts.get(1, 0),
                "count_id_no_confirm": counts.get(2, 0), "count_id_no_reputation": counts.get(3, 0),
                "count_id_success": counts.get(4, 0), "count_id_close": counts.get(-1, 0)}

    @at("/order/refund", ("GET",))
    async def order_refunds(request: Request, p: dict[str, Any]) -> Any:
        found = rows(conn, "SELECT * FROM refunds WHERE order_id = ? ORDER BY id", own_order(p))
        if not found:
            raise Reply(EMPTY, "暂无数据")
        return [{"id": r["id"], "money": yuan(r["amount"]), "status": r["status"], "dateAdd": r["date_add"]}
                for r in found]

    # After-sale --------------------------------------------------------------------------
    @at("/order/refundApply/apply")
    async def refund_apply(request: Request, p: dict[str, Any]) -> Any:
        rtype = opt_int(p, "type") or 0
        amount = 0 if rtype == 2 or p.get("amount") in (None, "") else to_cents(p.get("amount"), "amount")
        pics = [x for x in str(p.get("pic") or "").split(",") if x.strip()]
        return refund_ops.apply(conn, p["_uid"], req_int(p, "orderId"), opt_int(p, "orderGoodsId"), rtype,
                                opt_int(p, "logisticsStatus") or 0, str(p.get("reason") or ""), amount,
                                opt_int(p, "number"), str(p.get("remark") or ""), pics)

    @at("/order/refundApply/info", ("GET",))
    async def refund_info(request: Request, p: dict[str, Any]) -> Any:
        sql = "SELECT * FROM refund_applies WHERE order_id = ? AND uid = ?"
        args: list[Any] = [req_int(p, "orderId"), p["_uid"]]
        if opt_int(p, "orderGoodsId"):
            sql += " AND order_goods_id = ?"
            args.append(opt_int(p, "orderGoodsId"))
        found = rows(conn, sql + " ORDER BY id DESC", *args)
        if not found:
            raise Reply(EMPTY, "暂无数据")
        out = []
        for a in found:
            base = render_apply(request, a)
            out.append({"baseInfo": {k: v for k, v in base.items() if k != "pics"},
                        "pics": [{"pic": x} for x in base["pics"]]})
        return out

    @at("/order/refundApply/cancel")
    async def refund_cancel(request: Request, p: dict[str, Any]) -> Any:
        refund_ops.cancel(conn, p["_uid"], req_int(p, "orderId"), opt_int(p, "orderGoodsId"))

    @at("/order/refundApply/setBackLogistics")
    async def refund_back(request: Request, p: dict[str, Any]) -> Any:
        refund_ops.set_back_logistics(conn, p["_uid"], req_int(p, "orderId"), req_int(p, "applyId"),
                                      str(p.get("shipperName") or ""), str(p.get("trackingNumber") or ""))

    # Wallet ------------------------------------------------------------------------------
    def ledger_filters(p: dict[str, Any]) -> dict[str, Any]:
        return {"uid": p["_uid"], "type": opt_int(p, "type"), "behavior": opt_int(p, "behavior"),
                "order_id": opt_int(p, "orderId"), "date_add_begin": p.get("dateAddBegin"),
                "date_add_end": day_end(p.get("dateAddEnd"))}

    @at("/user/cashLog")
    async def cash_log(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, _ = wallet_ops.list_ledger(conn, "balance", ledger_filters(p), page_no, size)
        if not found:
            raise Reply(EMPTY, "暂无数据")
        return [render_cash_log(e) for e in found]

    @at("/user/cashLog/v2")
    async def cash_log_v2(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = wallet_ops.list_ledger(conn, "balance", ledger_filters(p), page_no, size)
        return listing(found, total, size, render_cash_log)

    @at("/score/logs")
    async def score_logs(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = wallet_ops.list_ledger(conn, "points", ledger_filters(p), page_no, size)
        return listing(found, total, size, render_score_log)

    @at("/user/withDraw/apply")
    async def withdraw_apply(request: Request, p: dict[str, Any]) -> Any:
        return wallet_ops.request_withdrawal(conn, p["_uid"], to_cents(p.get("money"), "money"), "wechat",
                                             str(p.get("name") or ""))

    @at("/user/withDraw/list")
    async def withdraw_list(request: Request, p: dict[str, Any]) -> Any:
        page_no, size = paging(p)
        found, total = wallet_ops.list_withdrawals(conn, {"uid": p["_uid"], "status": opt_int(p, "status")},
                                                   page_no, size)
        return listing(found, total, size, lambda w: {
            "id": w["id"], "number": w["number"], "money": yuan(w["amount"]), "status": w["status"],
            "statusStr": label(WithdrawalStatus, w["status"]), "rejectionReason": w["refuse_reason"],
            "packageInfo": "", "dateAdd": w["date_add"]})

    @at("/discounts/my", ("GET",))
    async def my_coupons(request: Request, p: dict[str, Any]) -> Any:
        status = str(p.get("status") if p.get("status") not in (None, "") else "0")
        found, _ = voucher_ops.list_user_coupons(conn, {"uid": p["_uid"], "status": status}, 1, 200)
        if not found:
            raise Reply(EMPTY, "暂无数据")
        return [{"id": c["id"], "pid": c["coupon_id"], "name": c["name"], "money": yuan(c["money"]),
                 "moneyHreshold": yuan(c["money_hreshold"]), "moneyMin": yuan(c["money"]), "moneyType": 0,
                 "dateAdd": c["date_add"], "dateEnd": c["date_end"], "status": c["status"],
                 "statusStr": label(CouponStatus, c["status"]), "pwd": ""} for c in found]

    # CMS ---------------------------------------------------------------------------------
    @at("/cms/page/info/v2", ("GET",), user=False)
    async def cms_page(request: Request, p: dict[str, Any]) -> Any:
        check_sub_domain(request, p)
        return {"info": render_page(cms_ops.get_page(conn, req_str(p, "key")))}

    def news_filters(p: dict[str, Any]) -> dict[str, Any]:
        return {"category_id": opt_int(p, "categoryId"), "title_like": p.get("titleLike"),
                "tags_like": p.get("tagsLike"), "date_update_begin": p.get("dateUpdateBegin")}

    @at("/cms/news/list", ("GET", "POST"), user=False)
    async def news_list(request: Request, p: dict[str, Any]) -> Any:
        check_sub_domain(request, p)
        page_no, size = paging(p)
        found, _ = cms_ops.list_items(conn, "cms_articles", news_filters(p), page_no, size)
        if not found:
            raise Reply(EMPTY, "暂无数据")
        return [render_article(request, a) for a in found]

    @at("/cms/news/list/v2", ("GET", "POST"), user=False)
    async def news_list_v2(request: Request, p: dict[str, Any]) -> Any:
        check_sub_domain(request, p)
        page_no, size = paging(p)
        found, total = cms_ops.list_items(conn, "cms_articles", news_filters(p), page_no, size)
        return listing(found, total, size, lambda a: render_article(request, a))

    @at("/cms/news/detail", ("GET",), user=False)
    async def news_detail(request: Request, p: dict[str, Any]) -> Any:
        check_sub_domain(request, p)
        return render_article(request, cms_ops.get_item(conn, "cms_articles", req_int(p, "id")))

    @at("/cms/category/list", ("GET",), user=False)
    async def category_list(request: Request, p: dict[str, Any]) -> Any:
        check_sub_domain(request, p)
        found = rows(conn, "SELECT * FROM cms_categories ORDER BY paixu, id")
        if not found:
            raise Reply(EMPTY, "暂无数据")
        return [render_category(c) for c in found]

    @at("/notice/list", ("GET", "POST"), user=False)
    async def notice_list(request: Request, p: dict[str, Any]) -> Any:
        check_sub_domain(request, p)
        page_no, size = paging(p)
        found, total = cms_ops.list_items(conn, "notices", {"type": p.get("type")}, page_no, size)
        found = [n for n in found if n["is_show"]]
        if not found:
            raise Reply(EMPTY, "暂无数据")
        return {"dataList": [render_notice(n) for n in found], "totalRow": total,
                "totalPage": total_pages(total, size)}

    @at("/notice/detail", ("GET",), user=False)
    async def notice_detail(request: Request, p: dict[str, Any]) -> Any:
        check_sub_domain(request, p)
        return render_notice(cms_ops.get_item(conn, "notices", req_int(p, "id")))

    @at("/notice/last-one", ("GET",), user=False)
    async def notice_last(request: Request, p: dict[str, Any]) -> Any:
        check_sub_domain(request, p)
        found, _ = cms_ops.list_items(conn, "notices", {"type": p.get("type")}, 1, 1)
        if not found:
            raise Reply(EMPTY, "暂无数据")
        return render_notice(found[0])

    @at("/banner/list", ("GET",), user=False)
    async def banner_list(request: Request, p: dict[str, Any]) -> Any:
        check_sub_domain(request, p)
        types = [t for t in str(p.get("type") or "").split(",") if t]
        found = [b for b in rows(conn, "SELECT * FROM banners WHERE status = 0 ORDER BY paixu, id")
                 if not types or b["type"] in types]
        if not found:
            raise Reply(EMPTY, "暂无数据")
        return [render_banner(request, b) for b in found]

    routes_out = []
    for path, methods, fn, user in table:
        check = check_user if user else None
        routes_out.append(Route("/{sub}" + path, wrap(fn, check), methods=list(methods)))
    return routes_out
