"""The one typed interface above both adapters, one small API class per area.

Panels and services call ``platform.orders.ship(...)`` and get domain objects back; they
never learn which platform is behind it. A feature a platform lacks raises
``UnsupportedError`` and is absent from ``Platform.capabilities``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from app.domain.enums import LedgerKind, RefundDestination
from app.domain.flat import FlatOrder, of_bundle
from app.domain.models import (
    Address,
    Article,
    Assets,
    Banner,
    Category,
    CmsPage,
    Coupon,
    Courier,
    FreightRule,
    InfoPost,
    LedgerEntry,
    ListQuery,
    Notice,
    OrderBundle,
    OrderDetail,
    OrderQuery,
    Page,
    Parcel,
    ParcelItem,
    Receiver,
    Refund,
    User,
    UserCoupon,
    UserStats,
    Voucher,
    Withdrawal,
    WithdrawalStats,
)

if TYPE_CHECKING:  # httpx, under it, is 50 ms of the app's start; the window needs none of it
    from app.platform.transport import Transport


class Capability(StrEnum):
    VOUCHERS = "vouchers"  # 核销券
    COUPONS = "coupons"  # API工厂 优惠券
    TOKENS = "tokens"  # 代币 ledger
    FROZEN_LOG = "frozen_log"
    INFO_BOARD = "info_board"
    ARTICLES = "articles"
    NOTICES = "notices"
    BANNERS = "banners"
    FREIGHT_RULES = "freight_rules"
    SHIP_WITHOUT_TRACKING = "ship_without_tracking"
    PARTIAL_SHIPMENT = "partial_shipment"
    OFFLINE_PICKUP = "offline_pickup"
    CHANGE_RECEIVER = "change_receiver"
    USER_STATS = "user_stats"
    WITHDRAWAL_STATS = "withdrawal_stats"


@dataclass(frozen=True, slots=True)
class ShipRequest:
    order_id: int
    courier_id: int
    tracking_number: str | None  # None or "": ship without a tracking number
    items: tuple[ParcelItem, ...] = ()  # empty: every unshipped item


class OrdersApi(ABC):
    @abstractmethod
    async def list(self, query: OrderQuery) -> Page[OrderBundle]: ...

    async def list_flat(self, query: OrderQuery) -> Page[FlatOrder]:
        """``list`` as plain values (app.domain.flat), for a first sync. An adapter that can
        read its pages straight into them overrides this."""
        page = await self.list(query)
        return Page([of_bundle(b) for b in page.items], page.total_rows, page.total_pages, page.page, page.page_size)

    @abstractmethod
    async def get(self, order_id: int) -> OrderDetail: ...
    @abstractmethod
    async def traces(self, order_id: int) -> list[Parcel]: ...
    @abstractmethod
    async def change_price(self, order_id: int, total: Decimal, freight: Decimal | None = None) -> None: ...
    @abstractmethod
    async def set_remark(self, order_id: int, remark: str) -> None: ...
    @abstractmethod
    async def mark_paid(self, order_id: int) -> None: ...
    @abstractmethod
    async def pay_from_balance(self, order_id: int) -> None: ...
    @abstractmethod
    async def close(self, order_id: int) -> None: ...
    @abstractmethod
    async def ship(self, request: ShipRequest) -> None: ...
    @abstractmethod
    async def add_tracking(self, order_id: int, courier_id: int, numbers: list[str]) -> None: ...
    @abstractmethod
    async def pickup(self, order_id: int) -> None: ...
    @abstractmethod
    async def redeem_pickup(self, code: str) -> int: ...
    @abstractmethod
    async def set_success(self, order_id: int) -> None: ...
    @abstractmethod
    async def refund(self, order_id: int, amount: Decimal, to: RefundDestination, close: bool,
                     remark: str) -> None: ...
    @abstractmethod
    async def change_receiver(self, order_id: int, receiver: Receiver) -> None: ...


class RefundsApi(ABC):
    @abstractmethod
    async def list(self, query: ListQuery) -> Page[Refund]: ...
    @abstractmethod
    async def get(self, refund_id: int) -> Refund: ...
    @abstractmethod
    async def accept(self, refund: Refund) -> None:
        """Agree to the application; the buyer may now send goods back (status → processing)."""
    @abstractmethod
    async def refuse(self, refund: Refund, reason: str) -> None: ...
    @abstractmethod
    async def complete(self, refund: Refund) -> None:
        """Pay out (refund/return) or close (exchange) the application (status → done)."""


class UsersApi(ABC):
    @abstractmethod
    async def list(self, query: ListQuery) -> Page[User]: ...
    @abstractmethod
    async def get(self, uid: int) -> User: ...
    @abstractmethod
    async def modify(self, uid: int, *, nick: str | None = None, remark: str | None = None,
                     disabled: bool | None = None, level: int | None = None) -> None: ...
    @abstractmethod
    async def addresses(self, uid: int) -> list[Address]: ...
    @abstractmethod
    async def stats(self, uid: int, since: datetime | None = None, until: datetime | None = None) -> UserStats: ...


class WalletApi(ABC):
    @abstractmethod
    async def assets(self, uid: int) -> Assets: ...
    @abstractmethod
    async def ledger(self, kind: LedgerKind, query: ListQuery) -> Page[LedgerEntry]: ...
    @abstractmethod
    async def adjust(self, uid: int, kind: LedgerKind, delta: Decimal, remark: str) -> None: ...
    @abstractmethod
    async def withdrawals(self, query: ListQuery) -> Page[Withdrawal]: ...
    @abstractmethod
    async def withdrawal(self, withdrawal_id: int) -> Withdrawal: ...
    @abstractmethod
    async def approve_withdrawal(self, withdrawal_id: int) -> None: ...
    @abstractmethod
    async def refuse_withdrawal(self, withdrawal_id: int, reason: str) -> None: ...
    @abstractmethod
    async def withdrawal_stats(self, uid: int | None = None) -> WithdrawalStats: ...


class VouchersApi(ABC):
    @abstractmethod
    async def list(self, query: ListQuery) -> Page[Voucher]: ...
    @abstractmethod
    async def issue(self, uid: int, name: str, valid_days: int, order_id: int = 0) -> Voucher: ...
    @abstractmethod
    async def void(self, voucher_id: int) -> None: ...
    @abstractmethod
    async def redeem(self, code: str) -> Voucher: ...
    @abstractmethod
    async def coupons(self, query: ListQuery) -> Page[Coupon]: ...
    @abstractmethod
    async def user_coupons(self, query: ListQuery) -> Page[UserCoupon]: ...
    @abstractmethod
    async def send_coupon(self, coupon_id: int, uid: int) -> None: ...
    @abstractmethod
    async def invalidate_user_coupon(self, user_coupon_id: int) -> None: ...


class CmsApi(ABC):
    @abstractmethod
    async def page(self, key: str) -> CmsPage: ...
    @abstractmethod
    async def set_page(self, key: str, title: str, content: str) -> None: ...
    @abstractmethod
    async def articles(self, query: ListQuery) -> Page[Article]: ...
    @abstractmethod
    async def article(self, article_id: int) -> Article: ...
    @abstractmethod
    async def save_article(self, article: Article) -> int:
        """Create (id 0) or update an article; returns its id."""
    @abstractmethod
    async def delete_article(self, article_id: int) -> None: ...
    @abstractmethod
    async def categories(self) -> list[Category]: ...
    @abstractmethod
    async def notices(self, query: ListQuery) -> Page[Notice]: ...
    @abstractmethod
    async def save_notice(self, notice: Notice) -> int: ...
    @abstractmethod
    async def delete_notice(self, notice_id: int) -> None: ...
    @abstractmethod
    async def banners(self) -> list[Banner]: ...
    @abstractmethod
    async def info_posts(self, query: ListQuery) -> Page[InfoPost]: ...


class CouriersApi(ABC):
    @abstractmethod
    async def list(self) -> list[Courier]: ...
    @abstractmethod
    async def freight_rules(self) -> list[FreightRule]: ...


PLATFORM_TZ = timezone(timedelta(hours=8))
"""Both platforms write their times as China time without a zone ('2026-11-25 10:30:00')."""


class Platform(ABC):
    """One connected account. Build with ``app.platform.connect``; close when done."""

    name: str  # "apifm" or "ruanmao"
    transport: Transport
    capabilities: frozenset[Capability]
    orders: OrdersApi
    refunds: RefundsApi
    users: UsersApi
    wallet: WalletApi
    vouchers: VouchersApi
    cms: CmsApi
    couriers: CouriersApi

    @abstractmethod
    async def login(self) -> None:
        """Get a token now (the "test connection" button); raises the precise error."""

    @abstractmethod
    async def aclose(self) -> None: ...

    def server_now(self) -> datetime:
        """Now on the platform's clock, in its own time zone, comparable with its dates.

        Not the desk's clock: that may be wrong, and in another zone (a sync cursor set from
        it would skip or repeat hours of changes).
        """
        ms = self.transport.clock.now_ms()
        return datetime.fromtimestamp(ms / 1000, PLATFORM_TZ).replace(tzinfo=None, microsecond=0)

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    async def __aenter__(self) -> Platform:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
