"""API工厂 wire rows → domain records.

Every function takes one wire dict and raises KeyError/TypeError/ValueError when the row
cannot be understood; ``Rows`` turns that into "skip the row, log it, count it" so one bad
row never costs the whole page. ``statusStr``-style texts are ignored: the domain enums
carry their own labels.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from app.domain.enums import (
    Behavior,
    CashLogType,
    CouponStatus,
    GoodsReceived,
    LedgerKind,
    OrderRefundState,
    OrderStatus,
    RefundStatus,
    RefundType,
    ReturnLeg,
    ScoreLogType,
    UserSource,
    UserStatus,
    WithdrawalChannel,
    WithdrawalStatus,
)
from app.domain.models import (
    Address,
    Article,
    Assets,
    Banner,
    Category,
    CmsPage,
    Coupon,
    Courier,
    LedgerEntry,
    Notice,
    Order,
    OrderBundle,
    OrderDetail,
    OrderItem,
    OrderLog,
    Page,
    Parcel,
    ParcelItem,
    Receiver,
    Refund,
    Trace,
    User,
    UserCoupon,
    Withdrawal,
)
from app.platform.wire import as_bool, as_dt, as_int, as_money, as_opt_dt, as_str, json_in_string

log = logging.getLogger(__name__)
T = TypeVar("T")
ROW_ERRORS = (KeyError, TypeError, ValueError, InvalidOperation, AttributeError, OverflowError, OSError)


class Rows:
    """Maps list rows, skipping (and counting) the ones that do not parse."""

    def __init__(self) -> None:
        self.skipped = 0

    def map(self, raw: Any, fn: Callable[[Any], T], what: str) -> list[T]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise TypeError(f"{what}: expected a list, got {type(raw).__name__}")
        out = []
        for row in raw:
            try:
                out.append(fn(row))
            except ROW_ERRORS as exc:
                self.skipped += 1
                log.warning("skipped a %s row the platform sent: %s: %s (%.200r)", what, type(exc).__name__, exc, row)
        return out

    def page(self, data: Any, fn: Callable[[Any], T], what: str, page: int, size: int) -> Page[T]:
        """A list payload (``result``, ``totalRow``, ``totalPage``); None (code 700) is an empty page."""
        if data is None:
            return Page([], 0, 0, page, size)
        if not isinstance(data, dict):
            raise TypeError(f"{what}: expected an object, got {type(data).__name__}")
        items = self.map(data.get("result"), fn, what)
        total = as_int(data.get("totalRow"), len(items))
        pages = as_int(data.get("totalPage"), (total + size - 1) // size if size else 0)
        return Page(items, total, pages, page, size)


def _opt_int(value: Any) -> int:
    return as_int(value, 0)


def order(w: dict[str, Any]) -> Order:
    return Order(
        id=as_int(w["id"]), number=as_str(w["orderNumber"]), uid=as_int(w["uid"]),
        status=OrderStatus.parse(w["status"]), amount_goods=as_money(w["amount"]),
        amount_freight=as_money(w.get("amountLogistics"), Decimal("0.00")),
        amount_discount=as_money(w.get("amountCoupons"), Decimal("0.00")), amount_paid=as_money(w["amountReal"]),
        amount_refunded=as_money(w.get("amountRefundTotal"), Decimal("0.00")),
        goods_count=_opt_int(w.get("goodsNumber")),
        refund_state=OrderRefundState.parse(w.get("refundStatus") or 0),
        needs_delivery=as_bool(w.get("isNeedLogistics")), is_paid=as_bool(w.get("isPay")),
        pickup_code=as_str(w.get("hxNumber")), buyer_remark=as_str(w.get("remark")),
        admin_remark=as_str(w.get("remarkAdmin")), created_at=as_dt(w["dateAdd"]),
        updated_at=as_dt(w.get("dateUpdate") or w["dateAdd"]), paid_at=as_opt_dt(w.get("datePay")),
        closed_at=as_opt_dt(w.get("dateClose")),
    )


def order_item(w: dict[str, Any]) -> OrderItem:
    return OrderItem(
        id=as_int(w["id"]), order_id=as_int(w["orderId"]), goods_id=as_int(w["goodsId"]),
        sku_id=_opt_int(w.get("skuId")), name=as_str(w["goodsName"]), pic=as_str(w.get("pic")),
        property=as_str(w.get("property")), quantity=as_int(w["number"]),
        quantity_unshipped=_opt_int(w.get("numberNoFahuo")), unit_price=as_money(w["amountSingle"]),
        amount=as_money(w["amount"]), after_sale=as_str(w.get("afterSale") or "0,1,2"),
    )


def receiver(w: dict[str, Any] | None) -> Receiver | None:
    if not w:
        return None
    return Receiver(
        name=as_str(w["linkMan"]), mobile=as_str(w["mobile"]), province_id=as_str(w.get("provinceId")),
        province=as_str(w.get("provinceStr")), city_id=as_str(w.get("cityId")), city=as_str(w.get("cityStr")),
        district_id=as_str(w.get("districtId")), district=as_str(w.get("areaStr")), address=as_str(w["address"]),
        postcode=as_str(w.get("code")),
    )


def trace(w: dict[str, Any]) -> Trace:
    return Trace(time=as_dt(w["AcceptTime"]), text=as_str(w["AcceptStation"]))


def parcel(w: dict[str, Any], rows: Rows | None = None) -> Parcel:
    goods = json_in_string(w.get("orderGoodsShipper"), [])
    traces = json_in_string(w.get("traces"), [])
    mapped = (rows or Rows()).map(traces, trace, "trace")
    return Parcel(
        id=as_int(w["id"]), order_id=as_int(w["orderId"]), courier_id=as_int(w["expressCompanyId"]),
        courier_name=as_str(w.get("shipperName")), tracking_number=as_str(w.get("trackingNumber")),
        items=tuple(ParcelItem(as_int(g["orderGoodsId"]), as_int(g["number"])) for g in goods),
        shipped_at=as_dt(w["dateAdd"]), traces=tuple(mapped),
    )


def order_log(w: dict[str, Any]) -> OrderLog:
    return OrderLog(id=as_int(w["id"]), order_id=as_int(w["orderId"]), kind=as_int(w["type"]),
                    text=as_str(w.get("typeStr")), remark=as_str(w.get("remark")), time=as_dt(w["dateAdd"]))


def _pics(raw: Any) -> tuple[str, ...]:
    items = json_in_string(raw, [])
    return tuple(as_str(p["pic"]) if isinstance(p, dict) else as_str(p) for p in items)


def refund(w: dict[str, Any]) -> Refund:
    back = json_in_string(w.get("logisticsContent"), {})
    return Refund(
        id=as_int(w["id"]), order_id=as_int(w["orderId"]), order_item_id=as_int(w["orderGoodsId"]),
        uid=_opt_int(w.get("uid")), type=RefundType.parse(w["type"]),
        goods_received=GoodsReceived.parse(w.get("logisticsStatus") or 0), status=RefundStatus.parse(w["status"]),
        return_leg=ReturnLeg.parse(w.get("status2") or 0), amount=as_money(w["amount"]),
        quantity=_opt_int(w.get("number")), reason=as_str(w.get("reason")), remark=as_str(w.get("remark")),
        pics=_pics(w.get("pics")), return_courier=as_str(back.get("shipperName")),
        return_tracking=as_str(back.get("trackingNumber")), refuse_reason=as_str(w.get("refuseReason")),
        created_at=as_dt(w["dateAdd"]), updated_at=as_dt(w.get("dateUpdate") or w["dateAdd"]),
    )


def bundle(w: dict[str, Any], goods_map: dict[str, Any], logistics_map: dict[str, Any], rows: Rows) -> OrderBundle:
    o = order(w)
    # JSON object keys are strings; the platform keys both maps by order id.
    items = rows.map(goods_map.get(str(o.id)), order_item, "order goods")
    logistics = logistics_map.get(str(o.id)) or {}
    parcels: tuple[Parcel, ...] = ()
    if as_str(logistics.get("trackingNumber")):
        # The list names only the main parcel (no id, items or traces): a partial view.
        parcels = (Parcel(id=-o.id, order_id=o.id, courier_id=_opt_int(logistics.get("expressCompanyId")),
                          courier_name=as_str(logistics.get("shipperName")),
                          tracking_number=as_str(logistics["trackingNumber"]), items=(),
                          shipped_at=as_opt_dt(logistics.get("dateShip")) or o.updated_at),)
    return OrderBundle(order=o, items=tuple(items), receiver=receiver(logistics or None), parcels=parcels,
                       parcels_complete=False)


def detail(data: dict[str, Any], rows: Rows) -> OrderDetail:
    o = order(data["order"])
    items = rows.map(data.get("goodsList"), order_item, "order goods")
    parcels = rows.map(data.get("logisticsShippers"), lambda p: parcel(p, rows), "parcel")
    return OrderDetail(
        bundle=OrderBundle(order=o, items=tuple(items), receiver=receiver(data.get("apiExtOrderLogistics")),
                           parcels=tuple(parcels)),
        logs=tuple(rows.map(data.get("logs"), order_log, "order log")),
        refunds=tuple(rows.map(data.get("refundApplies"), refund, "refund application")),
    )


def user(w: dict[str, Any]) -> User:
    return User(
        id=as_int(w["id"]), nick=as_str(w.get("nick")), mobile=as_str(w.get("mobile")),
        avatar=as_str(w.get("avatarUrl")), level=_opt_int(w.get("levelId")), level_name=as_str(w.get("levelName")),
        source=UserSource.parse(w.get("source") or 0), status=UserStatus.parse(w.get("status") or 0),
        referrer_id=_opt_int(w.get("referrer")), remark=as_str(w.get("remark")), created_at=as_dt(w["dateAdd"]),
        last_login_at=as_opt_dt(w.get("dateLogin")), updated_at=as_dt(w.get("dateUpdate") or w["dateAdd"]),
    )


def address(w: dict[str, Any]) -> Address:
    return Address(
        id=as_int(w["id"]), uid=as_int(w["uid"]), name=as_str(w["linkMan"]), mobile=as_str(w["mobile"]),
        province_id=as_str(w.get("provinceId")), city_id=as_str(w.get("cityId")),
        district_id=as_str(w.get("districtId")), address=as_str(w["address"]), is_default=as_bool(w.get("isDefault")),
        updated_at=as_dt(w.get("dateUpdate") or w["dateAdd"]),
    )


def assets(w: dict[str, Any]) -> Assets:
    return Assets(uid=as_int(w["uid"]), balance=as_money(w["balance"]), frozen=as_money(w.get("freeze") or 0),
                  points=_opt_int(w.get("score")), tokens=0, total_consumed=as_money(w.get("totleConsumed") or 0))


def _type_text(enum: Any, value: int, given: Any) -> str:
    try:
        return str(enum(value).zh)
    except ValueError:
        return as_str(given)  # a type ShopDesk does not know: keep the platform's text


def cash_entry(w: dict[str, Any]) -> LedgerEntry:
    typ = as_int(w["type"])
    return LedgerEntry(
        id=as_int(w["id"]), uid=as_int(w["uid"]), kind=LedgerKind.BALANCE, behavior=Behavior.parse(w["behavior"]),
        type=typ, type_text=_type_text(CashLogType, typ, w.get("typeStr")), amount=abs(as_money(w["amount"])),
        balance_after=as_money(w.get("balance") or 0), order_id=_opt_int(w.get("orderId")),
        remark=as_str(w.get("remark")), created_at=as_dt(w["dateAdd"]),
    )


def score_entry(w: dict[str, Any]) -> LedgerEntry:
    typ = as_int(w["type"])
    score = as_int(w["score"])
    behavior = Behavior.parse(w["behavior"]) if w.get("behavior") not in (None, "") else \
        (Behavior.EXPENSE if score < 0 else Behavior.INCOME)
    return LedgerEntry(
        id=as_int(w["id"]), uid=as_int(w["uid"]), kind=LedgerKind.POINTS, behavior=behavior, type=typ,
        type_text=_type_text(ScoreLogType, typ, w.get("typeStr")), amount=Decimal(abs(score)),
        balance_after=Decimal(_opt_int(w.get("scoreLeft"))), order_id=_opt_int(w.get("orderId")),
        remark=as_str(w.get("remark")), created_at=as_dt(w["dateAdd"]),
    )


def withdrawal(w: dict[str, Any]) -> Withdrawal:
    card = as_str(w.get("bankCardNumber"))
    return Withdrawal(
        id=as_int(w["id"]), number=as_str(w["number"]), uid=as_int(w["uid"]),
        # The admin row has no channel field; a bank card number is what marks a bank withdrawal.
        channel=WithdrawalChannel.BANK if card else WithdrawalChannel.WECHAT,
        amount=as_money(w["money"]), fee=as_money(w.get("moneyFee") or 0), status=WithdrawalStatus.parse(w["status"]),
        account_name=as_str(w.get("name")), account_no=card, bank_name=as_str(w.get("bankName")),
        refuse_reason=as_str(w.get("rejectionReason")), created_at=as_dt(w["dateAdd"]),
        updated_at=as_dt(w.get("dateUpdate") or w["dateAdd"]),
    )


def coupon(w: dict[str, Any]) -> Coupon:
    return Coupon(id=as_int(w["id"]), name=as_str(w["name"]), amount=as_money(w["money"]),
                  threshold=as_money(w.get("moneyHreshold") or 0), total=_opt_int(w.get("numberTotle")),
                  left=_opt_int(w.get("numberLeft")), valid_days=_opt_int(w.get("dateEndDays")),
                  status=_opt_int(w.get("status")), updated_at=as_dt(w.get("dateUpdate") or w["dateAdd"]))


def user_coupon(w: dict[str, Any]) -> UserCoupon:
    return UserCoupon(
        id=as_int(w["id"]), coupon_id=_opt_int(w.get("pid")), uid=as_int(w["uid"]), name=as_str(w["name"]),
        amount=as_money(w["money"]), threshold=as_money(w.get("moneyHreshold") or 0),
        status=CouponStatus.parse(w["status"]), order_id=_opt_int(w.get("orderId")), created_at=as_dt(w["dateAdd"]),
        expires_at=as_opt_dt(w.get("dateEnd")), updated_at=as_dt(w.get("dateUpdate") or w["dateAdd"]),
    )


def courier(w: dict[str, Any]) -> Courier:
    return Courier(id=as_int(w["id"]), code=as_str(w.get("code")), name=as_str(w["name"]), kind=_opt_int(w.get("type")))


def cms_page(w: dict[str, Any]) -> CmsPage:
    return CmsPage(key=as_str(w["key"]), title=as_str(w.get("title")), content=as_str(w.get("content")),
                   updated_at=as_dt(w.get("dateUpdate") or w["dateAdd"]))


def category(w: dict[str, Any]) -> Category:
    return Category(id=as_int(w["id"]), name=as_str(w["name"]), key=as_str(w.get("key")), parent_id=_opt_int(w.get("pid")),
                    order=_opt_int(w.get("paixu")), updated_at=as_dt(w.get("dateUpdate") or w["dateAdd"]))


def _tags(raw: Any) -> tuple[str, ...]:
    return tuple(t.strip() for t in as_str(raw).replace("，", ",").split(",") if t.strip())


def article(w: dict[str, Any]) -> Article:
    return Article(
        id=as_int(w["id"]), category_id=_opt_int(w.get("categoryId")), title=as_str(w["title"]),
        summary=as_str(w.get("descript")), content=as_str(w.get("content")), pic=as_str(w.get("pic")),
        tags=_tags(w.get("tags")), author=as_str(w.get("author")), is_recommended=as_bool(w.get("isRecommend")),
        views=_opt_int(w.get("numberRead")), created_at=as_dt(w["dateAdd"]),
        updated_at=as_dt(w.get("dateUpdate") or w["dateAdd"]),
    )


def notice(w: dict[str, Any]) -> Notice:
    return Notice(id=as_int(w["id"]), type=as_str(w.get("type")), title=as_str(w["title"]),
                  content=as_str(w.get("content")), is_shown=as_bool(w.get("isShow", True)),
                  created_at=as_dt(w["dateAdd"]), updated_at=as_dt(w.get("dateUpdate") or w["dateAdd"]))


def banner(w: dict[str, Any]) -> Banner:
    return Banner(id=as_int(w["id"]), type=as_str(w.get("type")), title=as_str(w.get("title")),
                  pic=as_str(w["picUrl"]), link=as_str(w.get("linkUrl")), order=_opt_int(w.get("paixu")),
                  enabled=_opt_int(w.get("status")) == 0, updated_at=as_dt(w.get("dateUpdate") or w["dateAdd"]))


def fmt_time(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S")


def iter_nonempty(params: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Form parameters without the unset ones (None), every value as text."""
    return {k: str(v) for k, v in params if v is not None}
