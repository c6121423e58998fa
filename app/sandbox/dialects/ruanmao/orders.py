"""软猫引擎 order calls: list, detail, receiving, address, payment, shipping, close and refund; plus couriers."""

from __future__ import annotations

import sqlite3

from starlette.requests import Request

from app.sandbox.dialects.common import opt_int, req_int, req_str, to_cents, total_pages, yuan_str
from app.sandbox.dialects.ruanmao.base import Ops, Params, flag, id_list, pages, text
from app.sandbox.dialects.ruanmao.render import apply_row, order_rows
from app.sandbox.ops import invalid, orders, rows


def register(ops: Ops, conn: sqlite3.Connection) -> None:
    """Register the order and courier operations."""
    op = ops.op

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
        return {"result": order_rows(conn, found, request), "totalRow": total,
                "totalPage": total_pages(total, size)}

    @op("order.detail")
    async def order_detail(p: Params, request: Request) -> Params:
        d = orders.detail(conn, req_int(p, "orderId"))
        row = order_rows(conn, [d["order"]], request, traces=True)[0]
        row["logs"] = [{"id": lg["id"], "orderId": lg["order_id"], "type": lg["type"], "typeStr": lg["type_str"],
                        "remark": lg["remark"], "dateAdd": lg["date_add"]} for lg in d["logs"]]
        row["refundApplies"] = [apply_row(a, request) for a in d["refund_applies"]]
        return row

    @op("order.receiving")
    async def order_receiving(p: Params, request: Request) -> Params:
        row = order_rows(conn, [orders.get_order(conn, req_int(p, "orderId"))], request, traces=True)[0]
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
