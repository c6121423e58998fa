"""The domain's records. Adapters build these from wire data; nothing above the adapters
ever sees a platform's field names, string-typed numbers or JSON-inside-strings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Generic, TypeVar

from app.domain.enums import (
    Behavior,
    CouponStatus,
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

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total_rows: int
    total_pages: int
    page: int
    page_size: int


def full_address(province: str, city: str, district: str, address: str) -> str:
    """The address as staff read and search it: a city that repeats the province (直辖市)
    or says only 市辖区 is left out."""
    shown_city = "" if city in ("", province, "市辖区") else city
    return f"{province}{shown_city}{district}{address}"


@dataclass(frozen=True, slots=True)
class Receiver:
    name: str
    mobile: str
    province_id: str
    province: str
    city_id: str
    city: str
    district_id: str
    district: str
    address: str
    postcode: str = ""

    @property
    def full_address(self) -> str:
        return full_address(self.province, self.city, self.district, self.address)


@dataclass(frozen=True, slots=True)
class OrderItem:
    id: int
    order_id: int
    goods_id: int
    sku_id: int
    name: str
    pic: str
    property: str
    quantity: int
    quantity_unshipped: int
    unit_price: Decimal
    amount: Decimal
    after_sale: str = "0,1,2"


@dataclass(frozen=True, slots=True)
class Trace:
    time: datetime
    text: str


@dataclass(frozen=True, slots=True)
class ParcelItem:
    order_item_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class Parcel:
    id: int
    order_id: int
    courier_id: int
    courier_name: str
    tracking_number: str
    items: tuple[ParcelItem, ...]
    shipped_at: datetime
    traces: tuple[Trace, ...] = ()


@dataclass(frozen=True, slots=True)
class OrderLog:
    id: int
    order_id: int
    kind: int
    text: str
    remark: str
    time: datetime


@dataclass(frozen=True, slots=True)
class Order:
    id: int
    number: str
    uid: int
    status: OrderStatus
    amount_goods: Decimal
    amount_freight: Decimal
    amount_discount: Decimal
    amount_paid: Decimal
    amount_refunded: Decimal
    goods_count: int
    refund_state: OrderRefundState
    needs_delivery: bool
    is_paid: bool
    pickup_code: str
    buyer_remark: str
    admin_remark: str
    created_at: datetime
    updated_at: datetime
    paid_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def is_pickup(self) -> bool:
        return not self.needs_delivery


@dataclass(frozen=True, slots=True)
class OrderBundle:
    """An order with what a list page carries: line items, receiver and parcels."""

    order: Order
    items: tuple[OrderItem, ...]
    receiver: Receiver | None
    parcels: tuple[Parcel, ...] = ()
    # False when a list page named only the main tracking number (API工厂's logisticsMap);
    # the order's detail then has every parcel. Stores merge rather than replace.
    parcels_complete: bool = True


@dataclass(frozen=True, slots=True)
class Refund:
    id: int
    order_id: int
    order_item_id: int
    uid: int
    type: RefundType
    goods_received: GoodsReceived
    status: RefundStatus
    return_leg: ReturnLeg
    amount: Decimal
    quantity: int
    reason: str
    remark: str
    pics: tuple[str, ...]
    return_courier: str
    return_tracking: str
    refuse_reason: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class OrderDetail:
    bundle: OrderBundle
    logs: tuple[OrderLog, ...]
    refunds: tuple[Refund, ...]

    @property
    def order(self) -> Order:
        return self.bundle.order


@dataclass(frozen=True, slots=True)
class User:
    id: int
    nick: str
    mobile: str
    avatar: str
    level: int
    level_name: str
    source: UserSource
    status: UserStatus
    referrer_id: int
    remark: str
    created_at: datetime
    last_login_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Address:
    id: int
    uid: int
    name: str
    mobile: str
    province_id: str
    city_id: str
    district_id: str
    address: str
    is_default: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Assets:
    uid: int
    balance: Decimal
    frozen: Decimal
    points: int
    tokens: int
    total_consumed: Decimal


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One line of a balance, frozen-balance, points or token log.

    ``amount`` is always positive; ``behavior`` says which way it went. Points and
    tokens are whole numbers carried in the same Decimal field.
    """

    id: int
    uid: int
    kind: LedgerKind
    behavior: Behavior
    type: int
    type_text: str
    amount: Decimal
    balance_after: Decimal
    order_id: int
    remark: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Withdrawal:
    id: int
    number: str
    uid: int
    channel: WithdrawalChannel
    amount: Decimal
    fee: Decimal
    status: WithdrawalStatus
    account_name: str
    account_no: str
    bank_name: str
    refuse_reason: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class WithdrawalStats:
    uid: int
    count: int
    total_paid: Decimal
    total_pending: Decimal
    total_refused: Decimal


@dataclass(frozen=True, slots=True)
class Voucher:
    """A 核销券: a code a customer shows at the counter."""

    id: int
    code: str
    uid: int
    order_id: int
    name: str
    status: VoucherStatus
    created_at: datetime
    expires_at: datetime | None
    redeemed_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Coupon:
    """A coupon template (API工厂 优惠券)."""

    id: int
    name: str
    amount: Decimal
    threshold: Decimal
    total: int
    left: int
    valid_days: int
    status: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class UserCoupon:
    id: int
    coupon_id: int
    uid: int
    name: str
    amount: Decimal
    threshold: Decimal
    status: CouponStatus
    order_id: int
    created_at: datetime
    expires_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Courier:
    id: int
    code: str
    name: str
    kind: int = 0


@dataclass(frozen=True, slots=True)
class FreightRule:
    id: int
    name: str
    first_pieces: int
    first_fee: Decimal
    extra_pieces: int
    extra_fee: Decimal
    free_over: Decimal
    excluded_regions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CmsPage:
    key: str
    title: str
    content: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Category:
    id: int
    name: str
    key: str
    parent_id: int
    order: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    category_id: int
    title: str
    summary: str
    content: str
    pic: str
    tags: tuple[str, ...]
    author: str
    is_recommended: bool
    views: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Notice:
    id: int
    type: str
    title: str
    content: str
    is_shown: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Banner:
    id: int
    type: str
    title: str
    pic: str
    link: str
    order: int
    enabled: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class InfoPost:
    """A post on the 万能信息公示系统 (info board)."""

    id: int
    category: str
    title: str
    content: str
    views: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class UserStats:
    uid: int
    order_count: int
    order_amount: Decimal
    refund_count: int
    last_order_at: datetime | None


@dataclass(frozen=True, slots=True)
class OrderQuery:
    """What a list call filters on. Every field is optional; None means "any"."""

    page: int = 1
    page_size: int = 50
    status: OrderStatus | None = None
    statuses: tuple[OrderStatus, ...] = ()
    refund_state: OrderRefundState | None = None
    needs_delivery: bool | None = None
    uid: int | None = None
    number: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None


@dataclass(frozen=True, slots=True)
class ListQuery:
    """Filters for the other lists (refunds, users, logs, withdrawals…)."""

    page: int = 1
    page_size: int = 50
    uid: int | None = None
    status: int | None = None
    order_id: int | None = None
    keyword: str | None = None
    updated_from: datetime | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)
