"""软猫引擎 wire rows -> domain records. Every quirk of the wire (money as strings,
points as integers, dates as China-time text, booleans as true/1, nested JSON, field
names) is handled here and nowhere above. Each function raises ValueError, KeyError or
TypeError on a row it cannot make sense of; list callers skip such rows and count them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from app.domain.enums import (
    Behavior,
    GoodsReceived,
    LedgerKind,
    OrderRefundState,
    OrderStatus,
    RefundStatus,
    RefundType,
    ReturnLeg,
    UserSource,
    UserStatus,
    VoucherStatus,
    WithdrawalChannel,
    WithdrawalStatus,
)
from app.domain.models import (
    Address,
    Assets,
    CmsPage,
    Courier,
    FreightRule,
    InfoPost,
    LedgerEntry,
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
    UserStats,
    Voucher,
    Withdrawal,
    WithdrawalStats,
)
from app.platform.wire import as_bool, as_dt, as_int, as_money, as_opt_dt

T = TypeVar("T")
Row = dict[str, Any]


def _row(value: Any) -> Row:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return value


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
    return value


def _text(value: Any) -> str:
    """A text field: strings (and numbers sent as such) pass, objects are a broken row."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return str(value)


def _id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"expected an integer id, got {type(value).__name__}")
    return as_int(value)


def _count(value: Any) -> int:
    """Points and tokens travel as integers; a fraction is a broken row, not rounded away."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    return as_int(value)


def _money(value: Any) -> Decimal:
    # The contract sends money as "99.50"; a float would have lost cents on the way.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"expected money as a string, got {type(value).__name__}")
    return as_money(value)


# --- orders ----------------------------------------------------------------------------------

def order(row: Row) -> Order:
    r = _row(row)
    return Order(
        id=_id(r["id"]), number=_text(r["orderNumber"]), uid=_id(r["uid"]), status=OrderStatus.parse(r["status"]),
        amount_goods=_money(r["amount"]), amount_freight=_money(r["amountLogistics"]),
        amount_discount=_money(r.get("amountCoupons", "0")), amount_paid=_money(r["amountReal"]),
        amount_refunded=_money(r.get("amountRefundTotal", "0")), goods_count=_count(r["goodsNumber"]),
        refund_state=OrderRefundState.parse(r.get("refundStatus", 0)), needs_delivery=as_bool(r["needLogistics"]),
        is_paid=as_bool(r["isPay"]), pickup_code=_text(r.get("hxNumber")), buyer_remark=_text(r.get("remark")),
        admin_remark=_text(r.get("adminRemark")), created_at=as_dt(r["dateAdd"]), updated_at=as_dt(r["dateUpdate"]),
        paid_at=as_opt_dt(r.get("datePay")), closed_at=as_opt_dt(r.get("dateClose")),
    )


def order_item(row: Row) -> OrderItem:
    r = _row(row)
    return OrderItem(
        id=_id(r["id"]), order_id=_id(r["orderId"]), goods_id=_id(r["goodsId"]), sku_id=_id(r.get("skuId", 0)),
        name=_text(r["goodsName"]), pic=_text(r.get("pic")), property=_text(r.get("property")),
        quantity=_count(r["number"]), quantity_unshipped=_count(r["numberUnshipped"]),
        unit_price=_money(r["amountSingle"]), amount=_money(r["amount"]), after_sale=_text(r.get("afterSale", "0,1,2")),
    )


def receiver(row: Any) -> Receiver | None:
    if row is None:
        return None
    r = _row(row)
    return Receiver(
        name=_text(r["linkMan"]), mobile=_text(r["mobile"]), province_id=_text(r.get("provinceId")),
        province=_text(r.get("province")), city_id=_text(r.get("cityId")), city=_text(r.get("city")),
        district_id=_text(r.get("districtId")), district=_text(r.get("district")), address=_text(r["address"]),
        postcode=_text(r.get("postcode")),
    )


def trace(row: Row) -> Trace:
    r = _row(row)
    return Trace(time=as_dt(r["acceptTime"]), text=_text(r["acceptStation"]))


def parcel(row: Row) -> Parcel:
    r = _row(row)
    items = tuple(ParcelItem(order_item_id=_id(_row(i)["orderGoodsId"]), quantity=_count(i["number"]))
                  for i in _list(r.get("items")))
    return Parcel(
        id=_id(r["id"]), order_id=_id(r["orderId"]), courier_id=as_int(r.get("expressCompanyId"), -1),
        courier_name=_text(r.get("expressCompanyName")), tracking_number=_text(r.get("trackingNumber")),
        items=items, shipped_at=as_dt(r["dateAdd"]), traces=tuple(trace(t) for t in _list(r.get("traces"))),
    )


def order_bundle(row: Row) -> OrderBundle:
    r = _row(row)
    return OrderBundle(
        order=order(r), items=tuple(order_item(g) for g in _list(r.get("goods"))),
        receiver=receiver(r.get("receiving")), parcels=tuple(parcel(p) for p in _list(r.get("parcels"))),
    )


def order_log(row: Row) -> OrderLog:
    r = _row(row)
    return OrderLog(id=_id(r["id"]), order_id=_id(r["orderId"]), kind=as_int(r["type"]), text=_text(r.get("typeStr")),
                    remark=_text(r.get("remark")), time=as_dt(r["dateAdd"]))


def order_detail(row: Row) -> OrderDetail:
    r = _row(row)
    return OrderDetail(bundle=order_bundle(r), logs=tuple(order_log(x) for x in _list(r.get("logs"))),
                       refunds=tuple(refund(x) for x in _list(r.get("refundApplies"))))


# --- after-sale ------------------------------------------------------------------------------

def refund(row: Row) -> Refund:
    r = _row(row)
    return Refund(
        id=_id(r["id"]), order_id=_id(r["orderId"]), order_item_id=_id(r["orderGoodsId"]), uid=_id(r["uid"]),
        type=RefundType.parse(r["type"]), goods_received=GoodsReceived.parse(r.get("logisticsStatus", 0)),
        status=RefundStatus.parse(r["status"]), return_leg=ReturnLeg.parse(r.get("status2", 0)),
        amount=_money(r["amount"]), quantity=_count(r.get("number", 1)), reason=_text(r.get("reason")),
        remark=_text(r.get("remark")), pics=tuple(_text(p) for p in _list(r.get("pics"))),
        return_courier=_text(r.get("backShipper")), return_tracking=_text(r.get("backTracking")),
        refuse_reason=_text(r.get("refuseReason")), created_at=as_dt(r["dateAdd"]), updated_at=as_dt(r["dateUpdate"]),
    )


# --- users -----------------------------------------------------------------------------------

def user(row: Row, level_name: str = "") -> User:
    r = _row(row)
    return User(
        id=_id(r["id"]), nick=_text(r.get("nick")), mobile=_text(r.get("mobile")), avatar=_text(r.get("avatar")),
        level=as_int(r.get("level"), 0), level_name=level_name or _text(r.get("levelName")),
        source=UserSource.parse(r.get("source", 0)), status=UserStatus.parse(r.get("status", 0)),
        referrer_id=as_int(r.get("referrerId"), 0), remark=_text(r.get("remark")), created_at=as_dt(r["dateAdd"]),
        last_login_at=as_opt_dt(r.get("dateLogin")), updated_at=as_dt(r["dateUpdate"]),
    )


def level_name(row: Any) -> str:
    return _text(_row(row).get("levelName"))


def address(row: Row) -> Address:
    r = _row(row)
    return Address(
        id=_id(r["id"]), uid=_id(r["uid"]), name=_text(r["linkMan"]), mobile=_text(r["mobile"]),
        province_id=_text(r.get("provinceId")), city_id=_text(r.get("cityId")), district_id=_text(r["districtId"]),
        address=_text(r["address"]), is_default=as_bool(r.get("isDefault")), updated_at=as_dt(r["dateUpdate"]),
    )


def user_stats(row: Row) -> UserStats:
    r = _row(row)
    return UserStats(uid=_id(r["uid"]), order_count=_count(r["orderCount"]), order_amount=_money(r["orderAmount"]),
                     refund_count=_count(r.get("refundCount", 0)), last_order_at=as_opt_dt(r.get("lastOrderDate")))


# --- wallet ----------------------------------------------------------------------------------

def assets(row: Row) -> Assets:
    r = _row(row)
    return Assets(uid=_id(r["uid"]), balance=_money(r["balance"]), frozen=_money(r["freeze"]),
                  points=_count(r["score"]), tokens=_count(r["token"]),
                  total_consumed=_money(r.get("totalConsumed", "0")))


def ledger_entry(kind: LedgerKind) -> Callable[[Row], LedgerEntry]:
    """Balance and frozen logs carry money strings; points and token logs carry integers."""
    money = kind in (LedgerKind.BALANCE, LedgerKind.FROZEN)

    def amount(value: Any) -> Decimal:
        return _money(value) if money else Decimal(_count(value))

    def build(row: Row) -> LedgerEntry:
        r = _row(row)
        return LedgerEntry(
            id=_id(r["id"]), uid=_id(r["uid"]), kind=kind, behavior=Behavior.parse(r["behavior"]),
            type=as_int(r["type"]), type_text=_text(r.get("typeStr")), amount=amount(r["amount"]),
            balance_after=amount(r["balance"]), order_id=as_int(r.get("orderId"), 0), remark=_text(r.get("remark")),
            created_at=as_dt(r["dateAdd"]),
        )

    return build


def withdrawal(row: Row) -> Withdrawal:
    r = _row(row)
    return Withdrawal(
        id=_id(r["id"]), number=_text(r["number"]), uid=_id(r["uid"]), channel=WithdrawalChannel(r["channel"]),
        amount=_money(r["amount"]), fee=_money(r.get("fee", "0")), status=WithdrawalStatus.parse(r["status"]),
        account_name=_text(r.get("realName")), account_no=_text(r.get("accountNo")),
        bank_name=_text(r.get("bankName")), refuse_reason=_text(r.get("refuseReason")),
        created_at=as_dt(r["dateAdd"]), updated_at=as_dt(r["dateUpdate"]),
    )


def withdrawal_stats(row: Row) -> WithdrawalStats:
    r = _row(row)
    return WithdrawalStats(uid=as_int(r.get("uid"), 0), count=_count(r["count"]), total_paid=_money(r["paid"]),
                           total_pending=_money(r["pending"]), total_refused=_money(r["refused"]))


# --- vouchers, couriers, cms ---------------------------------------------------------------

def voucher(row: Row) -> Voucher:
    r = _row(row)
    return Voucher(
        id=_id(r["id"]), code=_text(r["code"]), uid=_id(r["uid"]), order_id=as_int(r.get("orderId"), 0),
        name=_text(r["name"]), status=VoucherStatus.parse(r["status"]), created_at=as_dt(r["dateAdd"]),
        expires_at=as_opt_dt(r.get("dateEnd")), redeemed_at=as_opt_dt(r.get("dateUse")),
        updated_at=as_dt(r["dateUpdate"]),
    )


def courier(row: Row) -> Courier:
    r = _row(row)
    return Courier(id=_id(r["id"]), code=_text(r["code"]), name=_text(r["name"]), kind=as_int(r.get("type"), 0))


def freight_rule(row: Row) -> FreightRule:
    r = _row(row)
    return FreightRule(
        id=_id(r["id"]), name=_text(r["name"]), first_pieces=_count(r["firstPieces"]), first_fee=_money(r["firstFee"]),
        extra_pieces=_count(r["extraPieces"]), extra_fee=_money(r["extraFee"]), free_over=_money(r["freeOver"]),
        excluded_regions=tuple(_text(c) for c in _list(r.get("excludedRegions"))),
    )


def cms_page(key: str, row: Row) -> CmsPage:
    r = _row(row)
    return CmsPage(key=key, title=_text(r.get("title")), content=_text(r["content"]), updated_at=as_dt(r["dateUpdate"]))


def info_post(row: Row) -> InfoPost:
    r = _row(row)
    return InfoPost(id=_id(r["id"]), category=_text(r.get("category")), title=_text(r["title"]),
                    content=_text(r.get("content")), views=as_int(r.get("views"), 0), created_at=as_dt(r["dateAdd"]),
                    updated_at=as_dt(r["dateUpdate"]))


# --- lists -----------------------------------------------------------------------------------

BAD_ROW = (KeyError, TypeError, ValueError, AttributeError)


def rows_of(values: Any, build: Callable[[Row], T], on_bad: Callable[[Any, Exception], None]) -> list[T]:
    """Map a list of rows; a row that cannot be read is reported and left out, never fatal."""
    out: list[T] = []
    for value in _list(values):
        try:
            out.append(build(value))
        except BAD_ROW as exc:
            on_bad(value, exc)
    return out


def page(data: Any, build: Callable[[Row], T], page_no: int, page_size: int,
         on_bad: Callable[[Any, Exception], None]) -> Page[T]:
    """A ``{result, totalRow, totalPage}`` list as a Page; the envelope itself must be sound."""
    d = _row(data)
    total = as_int(d.get("totalRow"), 0)
    pages = as_int(d.get("totalPage"), 0) or ((total + page_size - 1) // page_size if page_size else 0)
    return Page(items=rows_of(d.get("result"), build, on_bad), total_rows=total, total_pages=pages,
                page=page_no, page_size=page_size)


def since(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S")
