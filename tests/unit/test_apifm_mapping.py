"""API工厂 wire → domain mapping and envelope decoding, on hand-written samples (no network)."""

from __future__ import annotations

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
    WithdrawalChannel,
)
from app.domain.models import ParcelItem
from app.platform.apifm import mapping
from app.platform.apifm.auth import ApifmAuth
from app.platform.apifm.envelope import unwrap
from app.platform.errors import (
    AuthenticationError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PlatformError,
    ProtocolError,
    ServerError,
    UnsupportedError,
)

ORDER = {
    "id": 1207, "orderNumber": "24051800001207", "uid": "88", "status": 2, "statusStr": "已发货",
    "amount": 99.5, "amountLogistics": "8", "amountCoupons": 0, "amountReal": "107.50", "amountRefundTotal": 0,
    "goodsNumber": 3, "hasRefund": False, "refundStatus": 0, "isNeedLogistics": True, "isPay": True,
    "hxNumber": "", "remark": "请发顺丰", "remarkAdmin": "老客户", "dateAdd": "2024-05-18 10:00:00",
    "datePay": "2024-05-18 10:05:00", "dateUpdate": "2024-05-19 08:00:00", "dateClose": None,
}
GOODS = {"id": 3301, "orderId": 1207, "goodsId": 12, "skuId": 40, "goodsName": "云南普洱茶饼", "pic": "http://x/1.svg",
         "property": "357g 生茶", "number": 3, "numberNoFahuo": 0, "amountSingle": 33.17, "amount": 99.5,
         "afterSale": "0,1"}
LOGISTICS = {"linkMan": "王芳", "mobile": "13800138000", "provinceId": "330000000000", "provinceStr": "浙江省",
             "cityId": "330100000000", "cityStr": "杭州市", "districtId": "330106000000", "areaStr": "西湖区",
             "address": "文三路 90 号", "code": "310000"}
TRACES = [{"AcceptTime": "2024-05-18 18:00:00", "AcceptStation": "【杭州市】快件已被 顺丰速运 揽收"},
          {"AcceptTime": "2024-05-19 06:00:00", "AcceptStation": "快件已到达【杭州转运中心】"}]
PARCEL = {"id": 5, "orderId": 1207, "expressCompanyId": 1, "shipperName": "顺丰速运", "trackingNumber": "SF1",
          "orderGoodsShipper": json.dumps([{"orderGoodsId": 3301, "number": 3}]),
          "traces": json.dumps(TRACES, ensure_ascii=False), "dateAdd": "2024-05-18 17:00:00"}
APPLY = {"id": 9, "orderId": 1207, "orderGoodsId": 3301, "uid": 88, "number": 1, "amount": "33.17", "type": 1,
         "typeStr": "退货退款", "logisticsStatus": 1, "reason": "质量问题", "remark": "", "status": 3, "status2": 2,
         "logisticsContent": json.dumps({"shipperName": "中通快递", "trackingNumber": "75123"}),
         "pics": [{"pic": "http://x/a.jpg"}, "http://x/b.jpg"], "dateAdd": "2024-05-20 09:00:00",
         "dateUpdate": "2024-05-20 10:00:00"}


def test_order_row_maps_money_statuses_and_dates() -> None:
    order = mapping.order(ORDER)
    assert order.uid == 88 and order.status is OrderStatus.SHIPPED
    assert (order.amount_goods, order.amount_freight, order.amount_paid) == \
        (Decimal("99.50"), Decimal("8.00"), Decimal("107.50"))
    assert order.refund_state is OrderRefundState.NONE and order.needs_delivery and order.is_paid
    assert order.admin_remark == "老客户" and order.closed_at is None
    assert order.paid_at == datetime(2024, 5, 18, 10, 5)


def test_bundle_takes_items_and_receiver_from_maps_keyed_by_string_ids() -> None:
    rows = mapping.Rows()
    bundle = mapping.bundle(ORDER, {"1207": [GOODS]}, {"1207": LOGISTICS}, rows)
    assert [i.id for i in bundle.items] == [3301] and bundle.items[0].unit_price == Decimal("33.17")
    assert bundle.receiver is not None and bundle.receiver.full_address == "浙江省杭州市西湖区文三路 90 号"
    pickup = mapping.bundle({**ORDER, "isNeedLogistics": False}, {}, {}, rows)
    assert pickup.receiver is None and pickup.items == () and pickup.order.is_pickup


def test_parcel_parses_json_inside_strings() -> None:
    parcel = mapping.parcel(PARCEL)
    assert parcel.items == (ParcelItem(3301, 3),)
    assert [t.text for t in parcel.traces] == [t["AcceptStation"] for t in TRACES]
    assert parcel.traces[1].time == datetime(2024, 5, 19, 6)
    already_list = mapping.parcel({**PARCEL, "traces": TRACES, "orderGoodsShipper": ""})
    assert already_list.traces == parcel.traces and already_list.items == ()


def test_refund_application() -> None:
    refund = mapping.refund(APPLY)
    assert refund.type is RefundType.RETURN_REFUND and refund.status is RefundStatus.PROCESSING
    assert refund.return_leg is ReturnLeg.TRACKING_FILLED and refund.amount == Decimal("33.17")
    assert (refund.return_courier, refund.return_tracking) == ("中通快递", "75123")
    assert refund.pics == ("http://x/a.jpg", "http://x/b.jpg")
    assert mapping.refund({**APPLY, "logisticsContent": ""}).return_tracking == ""


def test_order_detail() -> None:
    rows = mapping.Rows()
    detail = mapping.detail({"order": ORDER, "goodsList": [GOODS], "apiExtOrderLogistics": LOGISTICS,
                             "logisticsShippers": [PARCEL, {**PARCEL, "id": "x"}], "refundApplies": [APPLY],
                             "logs": [{"id": 1, "orderId": 1207, "type": 0, "typeStr": "下单", "remark": "",
                                       "dateAdd": "2024-05-18 10:00:00"}]}, rows)
    assert detail.order.id == 1207 and len(detail.bundle.parcels) == 1 and rows.skipped == 1
    assert detail.refunds[0].id == 9 and detail.logs[0].text == "下单"


def test_ledger_wallet_and_other_rows() -> None:
    cash = mapping.cash_entry({"id": 1, "uid": 8, "amount": -12.5, "balance": 87.5, "behavior": 1, "type": 2,
                               "typeStr": "whatever", "orderId": 7, "remark": "订单支付",
                               "dateAdd": "2024-05-18 10:00:00"})
    assert (cash.kind, cash.behavior, cash.amount, cash.balance_after, cash.type_text) == \
        (LedgerKind.BALANCE, Behavior.EXPENSE, Decimal("12.50"), Decimal("87.50"), "订单支付")
    unknown_type = mapping.cash_entry({"id": 2, "uid": 8, "amount": 1, "balance": 1, "behavior": 0, "type": 777,
                                       "typeStr": "新类型", "dateAdd": "2024-05-18 10:00:00"})
    assert unknown_type.type_text == "新类型"
    score = mapping.score_entry({"id": 3, "uid": 8, "score": -30, "scoreLeft": 70, "type": 4,
                                 "dateAdd": "2024-05-18 10:00:00"})
    assert (score.kind, score.behavior, score.amount, score.balance_after) == \
        (LedgerKind.POINTS, Behavior.EXPENSE, Decimal(30), Decimal(70))
    bank = mapping.withdrawal({"id": 1, "number": "TX1", "uid": 8, "money": "50", "moneyFee": 0.5, "status": 0,
                               "bankCardNumber": "6222", "dateAdd": "2024-05-18 10:00:00"})
    assert bank.channel is WithdrawalChannel.BANK and bank.fee == Decimal("0.50")
    assets = mapping.assets({"uid": 8, "balance": 10, "freeze": "2.5", "score": 100, "totleConsumed": 0})
    assert (assets.balance, assets.frozen, assets.points) == (Decimal("10.00"), Decimal("2.50"), 100)
    article = mapping.article({"id": 1, "title": "t", "tags": "活动，生鲜, ", "isRecommend": "true",
                               "dateAdd": "2024-05-18 10:00:00"})
    assert article.tags == ("活动", "生鲜") and article.is_recommended


def test_bad_rows_are_skipped_and_counted() -> None:
    rows = mapping.Rows()
    bad = [
        {**ORDER, "id": 1},
        {k: v for k, v in ORDER.items() if k != "orderNumber"},  # missing field
        {**ORDER, "id": 3, "status": 42},  # unknown status
        {**ORDER, "id": 4, "amountReal": "lots"},  # not money
        {**ORDER, "id": 5, "dateAdd": 3.5e99},  # not a date
        "not even an object",
        {**ORDER, "id": 7},
    ]
    page = rows.page({"result": bad, "totalRow": 7, "totalPage": 1}, mapping.order, "order", 1, 50)
    assert [o.id for o in page.items] == [1, 7] and page.total_rows == 7 and rows.skipped == 5


def test_code_700_on_a_list_is_an_empty_page() -> None:
    rows = mapping.Rows()
    data = unwrap({"code": 700, "msg": "暂无数据"}, empty_ok=True)
    page = rows.page(data, mapping.order, "order", 3, 20)
    assert (page.items, page.total_rows, page.total_pages, page.page, page.page_size) == ([], 0, 0, 3, 20)


@pytest.mark.parametrize(("body", "error", "code"), [
    ({"code": 700, "msg": "订单不存在"}, NotFoundError, 700),
    ({"code": 300, "msg": "参数 price 必须是金额"}, InvalidInputError, 300),
    ({"code": 600, "msg": "缺少参数 id"}, InvalidInputError, 600),
    ({"code": 405, "msg": "订单已关闭，不能发货"}, ConflictError, 405),
    ({"code": 20000, "msg": "该商品已有进行中的售后申请"}, ConflictError, 20000),
    ({"code": 2000, "msg": "登录 token 无效"}, AuthenticationError, 2000),
    ({"code": 100001, "msg": "登录已过期"}, AuthenticationError, 100001),
    ({"code": 3000, "msg": "专业版才可使用"}, UnsupportedError, 3000),
    ({"code": -1, "msg": "系统繁忙"}, ServerError, -1),
])
def test_error_codes(body: dict[str, Any], error: type[PlatformError], code: int) -> None:
    with pytest.raises(error) as err:
        unwrap(body)
    assert err.value.code == code and body["msg"] in err.value.message("zh")


def test_balance_too_low_names_the_shortfall() -> None:
    with pytest.raises(InvalidInputError) as err:
        unwrap({"code": 40000, "msg": "余额不足", "data": 23.6})
    assert "23.60" in err.value.message("zh") and "23.60" in err.value.message("en")


def test_unknown_code_keeps_the_platform_message_and_bad_envelopes_are_protocol_errors() -> None:
    with pytest.raises(PlatformError) as err:
        unwrap({"code": 12345, "msg": "活动已结束"})
    assert type(err.value) is PlatformError and "活动已结束" in err.value.message("zh") and err.value.code == 12345
    for body in ([], {"msg": "no code"}, {"code": "abc"}):
        with pytest.raises(ProtocolError):
            unwrap(body)
    assert unwrap({"code": 0, "msg": "success", "data": {"a": 1}}) == {"a": 1}
    assert unwrap({"code": "0", "msg": "success"}) is None


# The login flow, against a scripted platform ---------------------------------------------------

class Scripted:
    """A fake admin API: tokens t1, t2, ...; the first order call answers 100000 if asked to."""

    def __init__(self, expire_once: bool = False, key: str = "k") -> None:
        self.key, self.expire_once = key, expire_once
        self.logins = 0
        self.calls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request.url.path)
        if request.url.path == "/login/key":
            form = dict(x.split("=", 1) for x in request.content.decode().split("&"))
            if form.get("merchantKey") != self.key:
                return httpx.Response(200, json={"code": 10000, "msg": "商户号或商户秘钥错误"})
            self.logins += 1
            return httpx.Response(200, json={"code": 0, "msg": "success", "data": f"t{self.logins}"})
        if self.expire_once and request.headers.get("x-token") == "t1":
            return httpx.Response(200, json={"code": 100000, "msg": "登录已过期"})
        return httpx.Response(200, json={"code": 0, "msg": "success", "data": request.headers.get("x-token")})


@pytest.mark.asyncio
async def test_auth_logs_in_once_and_again_after_expiry() -> None:
    fake = Scripted(expire_once=True)
    auth = ApifmAuth("http://apifm.test", "m", "k")
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake), auth=auth, base_url="http://apifm.test") as c:
        first = await c.post("/user/apiExtOrder/list")
        second = await c.post("/user/apiExtOrder/list")
    assert first.json()["data"] == "t2" and second.json()["data"] == "t2"
    assert fake.calls == ["/login/key", "/user/apiExtOrder/list", "/login/key", "/user/apiExtOrder/list",
                          "/user/apiExtOrder/list"]
    assert auth.logins == 2


@pytest.mark.asyncio
async def test_auth_wrong_key() -> None:
    auth = ApifmAuth("http://apifm.test", "m", "wrong")
    async with httpx.AsyncClient(transport=httpx.MockTransport(Scripted()), auth=auth,
                                 base_url="http://apifm.test") as c:
        with pytest.raises(AuthenticationError) as err:
            await c.post("/user/apiExtOrder/list")
    assert err.value.code == 10000 and "商户号或商户秘钥错误" in err.value.message("zh")
