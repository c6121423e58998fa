"""API工厂 admin order calls: list, detail, traces, payment, shipping, refunds and refund applications."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from starlette.requests import Request

from app.sandbox.dialects.apifm_admin.envelope import EMPTY, Reply, RouteTable, day_end, flag, listing
from app.sandbox.dialects.apifm_admin.render import (
    order_detail,
    orders_payload,
    render_apply,
    render_order,
    render_parcel,
)
from app.sandbox.dialects.common import opt_int, paging, req_int, req_str, to_cents, yuan
from app.sandbox.ops import invalid
from app.sandbox.ops import orders as order_ops
from app.sandbox.ops import refunds as refund_ops


def register(table: RouteTable, conn: sqlite3.Connection) -> None:
    """Register the order and refund-application routes."""
    at = table.at

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
        goods = shipper_goods(str(p.get("orderGoodsShipper") or "").strip())
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


SHIPPER_FORM = '[{"orderGoodsId": 订单商品ID, "number": 数量}, …]'


def shipper_goods(raw: str) -> list[tuple[int, int]] | None:
    """``orderGoodsShipper`` (partial shipment) as (order goods id, number) pairs; None: ship everything."""
    if not raw:
        return None
    try:
        parsed = json.loads(raw)
        if not isinstance(parsed, list) or not parsed:
            raise ValueError
        return [(int(x["orderGoodsId"]), int(x["number"])) for x in parsed]
    except (ValueError, TypeError, KeyError) as exc:
        raise invalid(f"orderGoodsShipper 必须是非空 JSON 数组，形如 {SHIPPER_FORM}") from exc

