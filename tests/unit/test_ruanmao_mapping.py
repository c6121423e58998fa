"""软猫引擎 wire -> domain mapping and answer decoding, on hand-written samples."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from app.domain.enums import (
    Behavior,
    LedgerKind,
    OrderRefundState,
    OrderStatus,
    RefundStatus,
    RefundType,
    ReturnLeg,
    VoucherStatus,
    WithdrawalChannel,
)
from app.platform import signing
from app.platform.errors import (
    AuthenticationError,
    ClockSkewError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    TamperedResponseError,
)
from app.platform.ruanmao import envelope, mapping
from app.platform.ruanmao.base import Area

SECRET = "unit-test-secret"

ORDER: dict[str, Any] = {
    "id": 880012, "orderNumber": "26010100880012", "uid": 42, "status": 1, "statusStr": "待发货",
    "amount": "120.00", "amountLogistics": "8.00", "amountCoupons": "10.00", "amountReal": "118.00",
    "amountRefundTotal": "0.00", "goodsNumber": 3, "hasRefund": False, "refundStatus": 0, "isPay": True,
    "needLogistics": True, "payGate": "WXPAY", "hxNumber": "", "remark": "易碎品，轻放", "adminRemark": "",
    "dateAdd": "2026-01-01 10:00:00", "datePay": "2026-01-01 10:05:00", "dateShip": None, "dateClose": None,
    "dateSuccess": None, "dateUpdate": "2026-01-01 10:05:00",
    "goods": [
        {"id": 5001, "orderId": 880012, "goodsId": 7, "skuId": 70, "goodsName": "阳澄湖大闸蟹", "pic": "http://x/img/1.svg",
         "property": "4两/只", "number": 2, "numberUnshipped": 1, "amountSingle": "50.00", "amount": "100.00",
         "afterSale": "0,1,2"},
        {"id": 5002, "orderId": 880012, "goodsId": 8, "skuId": 80, "goodsName": "姜茶", "pic": "", "property": "",
         "number": 1, "numberUnshipped": 1, "amountSingle": "20.00", "amount": "20.00"},
    ],
    "receiving": {"linkMan": "张三", "mobile": "13800138000", "provinceId": "330000000000", "province": "浙江省",
                  "cityId": "330100000000", "city": "杭州市", "districtId": "330106000000", "district": "西湖区",
                  "address": "文三路 90 号", "postcode": "310000"},
    "parcels": [
        {"id": 9, "orderId": 880012, "expressCompanyId": 12, "expressCompanyName": "顺丰速运",
         "trackingNumber": "SF1234567890123", "items": [{"orderGoodsId": 5001, "number": 1}],
         "dateAdd": "2026-01-02 09:00:00",
         "traces": [{"acceptTime": "2026-01-02 12:00:00", "acceptStation": "已揽收"}]},
    ],
}


def signed_response(code: int, msg: str, data: Any, *, status: int = 200, secret: str = SECRET,
                    timestamp: int = 1795000000000, request_ts: int | None = None) -> httpx.Response:
    body = signing.sign_response(code, msg, data, secret=secret, timestamp_ms=timestamp)
    return _response(body, status, request_ts)


def _response(body: Any, status: int = 200, request_ts: int | None = None) -> httpx.Response:
    sent = {"timestamp": request_ts} if request_ts is not None else {}
    request = httpx.Request("POST", "http://rm.test/open/order/list", json=sent)
    return httpx.Response(status, content=json.dumps(body, ensure_ascii=False).encode(), request=request)


# --- mapping -------------------------------------------------------------------------------

def test_order_bundle_maps_every_field() -> None:
    bundle = mapping.order_bundle(ORDER)
    o = bundle.order
    assert (o.id, o.number, o.uid, o.status) == (880012, "26010100880012", 42, OrderStatus.TO_SHIP)
    assert o.amount_goods == Decimal("120.00") and o.amount_freight == Decimal("8.00")
    assert o.amount_discount == Decimal("10.00") and o.amount_paid == Decimal("118.00")
    assert o.refund_state is OrderRefundState.NONE and o.needs_delivery and o.is_paid
    assert o.buyer_remark == "易碎品，轻放" and o.paid_at == datetime(2026, 1, 1, 10, 5) and o.closed_at is None
    assert [i.id for i in bundle.items] == [5001, 5002]
    assert bundle.items[0].quantity_unshipped == 1 and bundle.items[0].unit_price == Decimal("50.00")
    assert bundle.items[1].after_sale == "0,1,2"
    assert bundle.receiver is not None and bundle.receiver.full_address == "浙江省杭州市西湖区文三路 90 号"
    parcel = bundle.parcels[0]
    assert parcel.tracking_number == "SF1234567890123" and parcel.courier_name == "顺丰速运"
    assert parcel.items[0].order_item_id == 5001 and parcel.items[0].quantity == 1
    assert parcel.traces[0].text == "已揽收" and parcel.traces[0].time == datetime(2026, 1, 2, 12)


def test_order_detail_with_logs_and_refunds() -> None:
    row = copy.deepcopy(ORDER)
    row["logs"] = [{"id": 1, "orderId": 880012, "type": 0, "typeStr": "下单", "remark": "", "dateAdd": "2026-01-01 10:00:00"}]
    row["refundApplies"] = [{
        "id": 3, "orderId": 880012, "orderGoodsId": 5001, "uid": 42, "type": 1, "logisticsStatus": 1, "status": 3,
        "status2": 2, "amount": "50.00", "number": 1, "reason": "不想要了", "remark": "", "pics": ["http://x/p.svg"],
        "backShipper": "中通快递", "backTracking": "ZT1", "refuseReason": "", "dateAdd": "2026-01-03 10:00:00",
        "dateUpdate": "2026-01-03 11:00:00"}]
    detail = mapping.order_detail(row)
    assert detail.order.id == 880012 and detail.logs[0].text == "下单"
    refund = detail.refunds[0]
    assert refund.type is RefundType.RETURN_REFUND and refund.status is RefundStatus.PROCESSING
    assert refund.return_leg is ReturnLeg.TRACKING_FILLED and refund.amount == Decimal("50.00")
    assert refund.pics == ("http://x/p.svg",)


def test_pickup_order_without_receiver() -> None:
    row = {**ORDER, "receiving": None, "parcels": [], "needLogistics": False, "hxNumber": "1234567890"}
    bundle = mapping.order_bundle(row)
    assert bundle.receiver is None and bundle.order.is_pickup and bundle.order.pickup_code == "1234567890"


def test_points_are_integers_and_money_is_decimal_in_ledgers() -> None:
    points = mapping.ledger_entry(LedgerKind.POINTS)({"id": 1, "uid": 2, "behavior": 0, "type": 6, "typeStr": "购物返积分",
                                                      "amount": 35, "balance": 135, "orderId": 9, "remark": "",
                                                      "dateAdd": "2026-01-01 00:00:00"})
    assert points.amount == Decimal(35) and points.balance_after == Decimal(135) and points.behavior is Behavior.INCOME
    cash = mapping.ledger_entry(LedgerKind.BALANCE)({"id": 1, "uid": 2, "behavior": 1, "type": 2, "amount": "9.90",
                                                     "balance": "0.10", "dateAdd": "2026-01-01 00:00:00"})
    assert cash.amount == Decimal("9.90") and cash.behavior is Behavior.EXPENSE and cash.kind is LedgerKind.BALANCE
    with pytest.raises(ValueError):  # a fractional point is a broken row, not rounded away
        mapping.ledger_entry(LedgerKind.POINTS)({"id": 1, "uid": 2, "behavior": 0, "type": 6, "amount": "1.5",
                                                 "balance": 1, "dateAdd": "2026-01-01 00:00:00"})


def test_assets_withdrawal_voucher_courier_rule_page_post_stats() -> None:
    assets = mapping.assets({"uid": 1, "balance": "10.50", "freeze": "2.00", "score": 300, "token": 7,
                             "totalConsumed": "99.00"})
    assert (assets.balance, assets.frozen, assets.points, assets.tokens) == (Decimal("10.50"), Decimal("2.00"), 300, 7)
    w = mapping.withdrawal({"id": 1, "number": "TX1", "uid": 1, "channel": "wechat", "amount": "100.00", "fee": "0.00",
                            "status": 0, "dateAdd": "2026-01-01 00:00:00", "dateUpdate": "2026-01-01 00:00:00"})
    assert w.channel is WithdrawalChannel.WECHAT and w.amount == Decimal("100.00")
    v = mapping.voucher({"id": 3, "code": "HX1", "uid": 1, "orderId": 0, "name": "洗车券", "status": 2,
                         "dateAdd": "2026-01-01 00:00:00", "dateEnd": None, "dateUse": None,
                         "dateUpdate": "2026-01-01 00:00:00"})
    assert v.status is VoucherStatus.VOID and v.expires_at is None
    assert mapping.courier({"id": 1, "code": "SF", "name": "顺丰速运", "type": 0}).name == "顺丰速运"
    rule = mapping.freight_rule({"id": 1, "name": "默认", "firstPieces": 1, "firstFee": "8.00", "extraPieces": 1,
                                 "extraFee": "2.00", "freeOver": "99.00", "excludedRegions": ["650000000000"]})
    assert rule.free_over == Decimal("99.00") and rule.excluded_regions == ("650000000000",)
    page = mapping.cms_page("about", {"title": "关于我们", "content": "<p>x</p>", "dateUpdate": "2026-01-01 00:00:00"})
    assert page.key == "about" and page.content == "<p>x</p>"
    post = mapping.info_post({"id": 1, "category": "资质", "title": "营业执照", "content": "", "views": 5,
                              "dateAdd": "2026-01-01 00:00:00", "dateUpdate": "2026-01-01 00:00:00"})
    assert post.views == 5
    stats = mapping.user_stats({"uid": 1, "orderCount": 3, "orderAmount": "300.00", "refundCount": 1,
                                "lastOrderDate": "2026-01-01 00:00:00"})
    assert stats.order_amount == Decimal("300.00") and stats.last_order_at == datetime(2026, 1, 1)


@pytest.mark.parametrize("change", [
    {"status": 9},  # unknown status
    {"amountReal": 118.0},  # money as a float: cents may already be lost
    {"amountReal": "lots"},
    {"uid": {"id": 42}},  # wrong type
    {"dateAdd": "yesterday"},
    {"goods": "not a list"},
])
def test_bad_order_rows_raise(change: dict[str, Any]) -> None:
    with pytest.raises(mapping.BAD_ROW):
        mapping.order_bundle({**ORDER, **change})


def test_missing_field_raises() -> None:
    row = {k: v for k, v in ORDER.items() if k != "orderNumber"}
    with pytest.raises(KeyError):
        mapping.order_bundle(row)


def test_bad_rows_are_skipped_counted_and_the_page_survives(caplog: pytest.LogCaptureFixture) -> None:
    area = Area(calls=None)  # type: ignore[arg-type]
    data = {"result": [ORDER, {**ORDER, "id": 2, "status": 77}, "garbage", {**ORDER, "id": 3}], "totalRow": 4,
            "totalPage": 1}
    page = area._page(data, mapping.order_bundle, 1, 50, "order")
    assert [b.order.id for b in page.items] == [880012, 3]
    assert area.skipped == 2 and page.total_rows == 4 and page.total_pages == 1
    assert "skipped" in caplog.text


def test_a_broken_list_envelope_is_a_protocol_error() -> None:
    area = Area(calls=None)  # type: ignore[arg-type]
    with pytest.raises(ProtocolError):
        area._page(["not", "an", "object"], mapping.order_bundle, 1, 50, "order")
    with pytest.raises(ProtocolError):
        area._one({"id": 1}, mapping.order_bundle, "order")


# --- envelope decoding -----------------------------------------------------------------

def test_decode_returns_data_of_a_signed_success() -> None:
    assert envelope.decode(signed_response(0, "success", {"a": "1.00"}), SECRET) == {"a": "1.00"}


def test_decode_rejects_unsigned_and_wrongly_signed_answers() -> None:
    body = signing.sign_response(0, "success", {"amountReal": "99.00"}, secret=SECRET, timestamp_ms=1)
    forged = {**body, "data": {"amountReal": "0.01"}}
    with pytest.raises(TamperedResponseError):
        envelope.decode(_response(forged), SECRET)
    with pytest.raises(TamperedResponseError):
        envelope.decode(_response({k: v for k, v in body.items() if k != "sign"}), SECRET)
    with pytest.raises(TamperedResponseError):
        envelope.decode(signed_response(0, "success", {"a": 1}, secret="someone-else"), SECRET)


@pytest.mark.parametrize(("code", "error"), [
    (40004, InvalidInputError), (40400, NotFoundError), (40900, ConflictError), (50000, ServerError),
    (40001, AuthenticationError), (40002, AuthenticationError), (12345, ProtocolError),
])
def test_error_codes_map_to_errors_with_the_platform_text(code: int, error: type) -> None:
    with pytest.raises(error) as info:
        envelope.decode(signed_response(code, "订单状态已变化，不能发货", None), SECRET)
    assert info.value.code == code
    if code not in (12345,):
        assert "订单状态已变化，不能发货" in info.value.message("zh")


def test_rate_limit_carries_retry_after() -> None:
    with pytest.raises(RateLimitedError) as info:
        envelope.decode(signed_response(40029, "请求过于频繁", {"retryAfter": 3}), SECRET)
    assert info.value.retry_after == 3


def test_unknown_app_may_come_unsigned() -> None:
    unsigned = _response({"code": 40010, "msg": "appId 不存在", "data": None, "timestamp": 1})
    with pytest.raises(AuthenticationError) as info:
        envelope.decode(unsigned, SECRET)
    assert "AppSecret" in info.value.message("zh")


def test_stale_timestamp_and_replay_are_told_apart() -> None:
    server = 1795000000000
    with pytest.raises(ClockSkewError):
        envelope.decode(signed_response(40003, "请求已过期", None, timestamp=server, request_ts=server - 3_600_000), SECRET)
    with pytest.raises(ServerError) as info:
        envelope.decode(signed_response(40003, "nonceStr 已使用过", None, timestamp=server, request_ts=server - 20), SECRET)
    assert not isinstance(info.value, ClockSkewError) and info.value.retryable


def test_cut_short_and_foreign_bodies() -> None:
    request = httpx.Request("POST", "http://rm.test/open/order/list")
    with pytest.raises(ServerError):
        envelope.decode(httpx.Response(200, content=b'{"code":0,"da', request=request), SECRET)
    with pytest.raises(ProtocolError):
        envelope.decode(httpx.Response(200, json={"hello": "world"}, request=request), SECRET)
    with pytest.raises(ProtocolError):
        envelope.decode(httpx.Response(404, content=b"<html>not found</html>", request=request), SECRET)
