"""Every operation of the 软猫引擎 adapter against the practice platform on loopback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest

from app.domain.enums import (
    LedgerKind,
    OrderRefundState,
    OrderStatus,
    RefundDestination,
    RefundStatus,
    RefundType,
    UserStatus,
    VoucherStatus,
    WithdrawalChannel,
    WithdrawalStatus,
)
from app.domain.models import ListQuery, OrderBundle, OrderQuery, ParcelItem, Receiver
from app.platform.api import Capability, Platform, ShipRequest
from app.platform.connect import connect
from app.platform.errors import ConflictError, InvalidInputError, NotFoundError, UnsupportedError
from app.platform.ruanmao import RuanmaoPlatform
from app.platform.ruanmao.routes import ROUTES
from app.sandbox.ops import orders as sandbox_orders
from app.sandbox.ops import refunds as sandbox_refunds
from app.sandbox.ops import shop
from app.sandbox.server import SandboxServer
from tests.conftest import ruanmao_account


def platform(server: SandboxServer) -> RuanmaoPlatform:
    p = connect(ruanmao_account(server), backoff=0.01)
    assert isinstance(p, RuanmaoPlatform)
    return p


async def find(p: Platform, pred: Callable[[OrderBundle], bool], **query: object) -> OrderBundle:
    page_no = 1
    while True:
        page = await p.orders.list(OrderQuery(page=page_no, page_size=200, **query))  # type: ignore[arg-type]
        for bundle in page.items:
            if pred(bundle):
                return bundle
        if page_no >= page.total_pages:
            raise LookupError(f"no order matches in the practice shop ({query})")
        page_no += 1


def place(server: SandboxServer, uid: int, goods: tuple[tuple[int, int], ...] = ((1, 2), (2, 1)),
          paid: bool = False) -> int:
    """A buyer's new order, placed through the practice shop's own rules (the 软猫引擎
    back-office API has no buyer calls); the seeded shop has few unpaid or unshipped orders."""
    assert server.state is not None
    conn = server.state.conn
    placed = shop.create_order(conn, uid, [{"goodsId": g, "number": n} for g, n in goods], None)
    if paid:
        sandbox_orders.pay_offline(conn, placed["id"])
    return int(placed["id"])


def shippable(b: OrderBundle) -> bool:
    return b.order.needs_delivery and b.order.refund_state is OrderRefundState.NONE and b.receiver is not None


# --- reads (shared practice shop) ------------------------------------------------------------------

@pytest.mark.asyncio
async def test_platform_identity_and_capabilities(sandbox: SandboxServer) -> None:
    async with platform(sandbox) as p:
        assert p.name == "ruanmao"
        for cap in (Capability.VOUCHERS, Capability.TOKENS, Capability.FROZEN_LOG, Capability.INFO_BOARD,
                    Capability.FREIGHT_RULES, Capability.SHIP_WITHOUT_TRACKING, Capability.PARTIAL_SHIPMENT,
                    Capability.OFFLINE_PICKUP, Capability.CHANGE_RECEIVER, Capability.USER_STATS,
                    Capability.WITHDRAWAL_STATS):
            assert p.supports(cap)
        assert not p.supports(Capability.COUPONS) and not p.supports(Capability.ARTICLES)
        await p.login()
        assert p.auth.token and p.auth.stats["token_requests"] == 1


@pytest.mark.asyncio
async def test_order_list_pages_and_filters(sandbox: SandboxServer) -> None:
    async with platform(sandbox) as p:
        first = await p.orders.list(OrderQuery(page=1, page_size=50))
        assert first.total_rows == 400 and first.total_pages == 8 and len(first.items) == 50
        second = await p.orders.list(OrderQuery(page=2, page_size=50))
        assert not {b.order.id for b in first.items} & {b.order.id for b in second.items}
        assert all(b.items for b in first.items)
        shipped = await p.orders.list(OrderQuery(status=OrderStatus.SHIPPED, page_size=200))
        assert shipped.items and all(b.order.status is OrderStatus.SHIPPED for b in shipped.items)
        assert all(b.parcels for b in shipped.items if b.order.needs_delivery)
        both = await p.orders.list(OrderQuery(statuses=(OrderStatus.UNPAID, OrderStatus.CLOSED), page_size=200))
        assert {b.order.status for b in both.items} == {OrderStatus.UNPAID, OrderStatus.CLOSED}
        one = first.items[3].order
        by_number = await p.orders.list(OrderQuery(number=one.number))
        assert [b.order.id for b in by_number.items] == [one.id]
        mine = await p.orders.list(OrderQuery(uid=one.uid, page_size=200))
        assert one.id in {b.order.id for b in mine.items} and all(b.order.uid == one.uid for b in mine.items)
        pickups = await p.orders.list(OrderQuery(needs_delivery=False, page_size=200))
        assert pickups.items and all(b.order.is_pickup for b in pickups.items)
        refunding = await p.orders.list(OrderQuery(refund_state=OrderRefundState.REFUNDED, page_size=200))
        assert all(b.order.refund_state is OrderRefundState.REFUNDED for b in refunding.items)
        since = one.updated_at - timedelta(seconds=1)
        recent = await p.orders.list(OrderQuery(updated_from=since, page_size=200))
        stamps = [b.order.updated_at for b in recent.items]
        assert stamps == sorted(stamps) and all(s >= since for s in stamps)
        created = await p.orders.list(OrderQuery(created_from=one.created_at, created_to=one.created_at))
        assert one.id in {b.order.id for b in created.items}
        assert p.skipped == 0


@pytest.mark.asyncio
async def test_order_detail_traces_and_receiver(sandbox: SandboxServer) -> None:
    async with platform(sandbox) as p:
        bundle = await find(p, lambda b: bool(b.parcels), status=OrderStatus.DONE)
        detail = await p.orders.get(bundle.order.id)
        assert detail.order == bundle.order and detail.bundle.items == bundle.items
        assert detail.logs and detail.logs[0].text == "下单"
        assert any(p_.traces for p_ in detail.bundle.parcels)
        traces = await p.orders.traces(bundle.order.id)
        assert [t.tracking_number for t in traces] == [t.tracking_number for t in bundle.parcels]
        assert traces[0].traces == detail.bundle.parcels[0].traces and traces[0].traces[0].text
        assert traces[0].items and traces[0].courier_name
        assert await p.orders.receiver(bundle.order.id) == bundle.receiver
        assert bundle.items[0].pic.startswith(sandbox.base_url)
        with pytest.raises(NotFoundError):
            await p.orders.get(99_999_999)


@pytest.mark.asyncio
async def test_refund_list_and_detail(sandbox: SandboxServer) -> None:
    async with platform(sandbox) as p:
        page = await p.refunds.list(ListQuery(page_size=200))
        assert page.total_rows == len(page.items) > 0
        first = page.items[0]
        assert await p.refunds.get(first.id) == first
        open_ = await p.refunds.list(ListQuery(status=int(RefundStatus.APPLIED), page_size=200))
        assert all(r.status is RefundStatus.APPLIED for r in open_.items)
        by_order = await p.refunds.list(ListQuery(order_id=first.order_id))
        assert first.id in {r.id for r in by_order.items}
        detail = await p.orders.get(first.order_id)
        assert first.id in {r.id for r in detail.refunds}


@pytest.mark.asyncio
async def test_couriers_and_freight_rules(sandbox: SandboxServer) -> None:
    async with platform(sandbox) as p:
        couriers = await p.couriers.list()
        assert len(couriers) > 5 and any(c.name == "顺丰速运" for c in couriers)
        rules = await p.couriers.freight_rules()
        assert rules and all(r.first_fee >= 0 for r in rules)


@pytest.mark.asyncio
async def test_users_profile_level_addresses_stats(sandbox: SandboxServer) -> None:
    async with platform(sandbox) as p:
        page = await p.users.list(ListQuery(page_size=20))
        assert page.total_rows > 20 and len(page.items) == 20
        user = await p.users.get(page.items[0].id)
        assert user.id == page.items[0].id and user.level_name  # the level call names the level
        assert user.avatar.startswith("http")
        assert (await p.users.list(ListQuery(uid=user.id))).items == [user]
        addresses = await p.users.addresses(user.id)
        assert addresses and all(a.uid == user.id for a in addresses)
        orders = await p.orders.list(OrderQuery(uid=user.id, page_size=200))
        stats = await p.users.stats(user.id)
        paid = [b for b in orders.items if b.order.is_paid]
        assert stats.uid == user.id and stats.order_count == len(paid)
        assert stats.order_amount == sum((b.order.amount_paid for b in paid), Decimal("0.00"))
        if paid:
            first_paid = min(b.order.created_at for b in paid)
            period = await p.users.stats(user.id, since=first_paid, until=first_paid)
            assert period.order_count == sum(1 for b in paid if b.order.created_at == first_paid)
        many = await p.users.stats_many([u.id for u in page.items])
        assert [s.uid for s in many] == [u.id for u in page.items]
        with pytest.raises(NotFoundError):
            await p.users.get(99_999_999)


@pytest.mark.asyncio
async def test_wallet_reads(sandbox: SandboxServer) -> None:
    async with platform(sandbox) as p:
        for kind in LedgerKind:
            page = await p.wallet.ledger(kind, ListQuery(page_size=30))
            assert page.total_rows > 0 and all(e.kind is kind for e in page.items), kind
        entry = (await p.wallet.ledger(LedgerKind.BALANCE, ListQuery(page_size=1))).items[0]
        mine = await p.wallet.ledger(LedgerKind.BALANCE, ListQuery(uid=entry.uid, page_size=200))
        assert entry.id in {e.id for e in mine.items} and all(e.uid == entry.uid for e in mine.items)
        assets = await p.wallet.assets(entry.uid)
        assert assets.balance == mine.items[0].balance_after  # newest log line holds the current balance
        bank = await p.wallet.withdrawals(ListQuery(extra={"channel": "bank"}, page_size=200))
        wechat = await p.wallet.withdrawals(ListQuery(extra={"channel": "wechat"}, page_size=200))
        assert all(w.channel is WithdrawalChannel.BANK for w in bank.items)
        assert all(w.channel is WithdrawalChannel.WECHAT for w in wechat.items)
        merged = await p.wallet.withdrawals(ListQuery(page_size=200))
        assert merged.total_rows == bank.total_rows + wechat.total_rows == len(merged.items)
        one = bank.items[0]
        assert await p.wallet.withdrawal(one.id) == one
        stats = await p.wallet.withdrawal_stats()
        assert stats.count == merged.total_rows
        assert stats.total_paid == sum((w.amount for w in merged.items if w.status is WithdrawalStatus.PAID),
                                       Decimal("0.00"))
        assert (await p.wallet.withdrawal_stats(one.uid)).count >= 1


@pytest.mark.asyncio
async def test_voucher_and_cms_reads(sandbox: SandboxServer) -> None:
    async with platform(sandbox) as p:
        page = await p.vouchers.list(ListQuery(page_size=50))
        assert page.total_rows >= 40 and page.items
        v = page.items[0]
        by_user = await p.vouchers.list(ListQuery(uid=v.uid, page_size=200))
        assert v.id in {x.id for x in by_user.items}
        by_code = await p.vouchers.list(ListQuery(extra={"code": v.code}))
        assert by_code.items == [v]
        unused = await p.vouchers.list(ListQuery(status=int(VoucherStatus.UNUSED), page_size=200))
        assert all(x.status is VoucherStatus.UNUSED for x in unused.items)
        about = await p.cms.page("about")
        terms = await p.cms.page("terms")
        assert about.title == "关于我们" and "总则" in terms.content
        posts = await p.cms.info_posts(ListQuery())
        assert posts.total_rows == 6
        assert await p.cms.info_post(posts.items[0].id) == posts.items[0]
        for call in (p.cms.articles(ListQuery()), p.cms.notices(ListQuery()), p.cms.banners(), p.cms.categories(),
                     p.vouchers.coupons(ListQuery()), p.orders.redeem_pickup("123")):
            with pytest.raises(UnsupportedError):
                await call
        with pytest.raises(UnsupportedError):
            await p.cms.page("contactUs")


# --- writes (a practice shop of their own) ---------------------------------------------------------

@pytest.mark.asyncio
async def test_unpaid_order_price_remark_receiver_and_payment(fresh_sandbox: SandboxServer) -> None:
    async with platform(fresh_sandbox) as p:
        oid = place(fresh_sandbox, 11)
        unpaid = (await p.orders.get(oid)).bundle
        assert unpaid.order.status is OrderStatus.UNPAID
        await p.orders.change_price(oid, Decimal("66.60"), Decimal("6.00"))
        await p.orders.set_remark(oid, "顾客要求周末送达")
        receiver = unpaid.receiver
        assert receiver is not None
        new = Receiver(name="李四", mobile="13900139000", province_id=receiver.province_id, province="",
                       city_id=receiver.city_id, city="", district_id=receiver.district_id, district="",
                       address="新地址 1 号", postcode="100000")
        await p.orders.change_receiver(oid, new)
        detail = await p.orders.get(oid)
        assert detail.order.amount_paid == Decimal("66.60") and detail.order.amount_freight == Decimal("6.00")
        assert detail.order.admin_remark == "顾客要求周末送达"
        assert detail.bundle.receiver is not None and detail.bundle.receiver.name == "李四"
        assert detail.bundle.receiver.address == "新地址 1 号" and detail.bundle.receiver.district == receiver.district
        with pytest.raises(InvalidInputError):
            await p.orders.change_price(oid, Decimal("-1.00"))
        await p.orders.mark_paid(oid)
        paid = (await p.orders.get(oid)).order
        assert paid.is_paid and paid.status is OrderStatus.TO_SHIP
        with pytest.raises(ConflictError) as info:
            await p.orders.change_price(oid, Decimal("1.00"))
        assert "不能改价" in info.value.message("zh")

        other = (await p.orders.get(place(fresh_sandbox, 12))).bundle
        uid, due = other.order.uid, other.order.amount_paid
        await p.wallet.adjust(uid, LedgerKind.BALANCE, due + Decimal("1.00"), "测试充值")
        before = (await p.wallet.assets(uid)).balance
        await p.orders.pay_from_balance(other.order.id)
        assert (await p.orders.get(other.order.id)).order.is_paid
        assert (await p.wallet.assets(uid)).balance == before - due

        third = (await p.orders.get(place(fresh_sandbox, 13))).bundle
        await p.orders.close(third.order.id)
        assert (await p.orders.get(third.order.id)).order.status is OrderStatus.CLOSED
        with pytest.raises(ConflictError):
            await p.orders.ship(ShipRequest(third.order.id, 1, "SF0000000001"))


@pytest.mark.asyncio
async def test_ship_partial_untracked_parcels_and_add_tracking(fresh_sandbox: SandboxServer) -> None:
    async with platform(fresh_sandbox) as p:
        couriers = await p.couriers.list()
        sf = next(c for c in couriers if c.name == "顺丰速运")
        oid = place(fresh_sandbox, 21, paid=True)
        multi = (await p.orders.get(oid)).bundle
        assert multi.order.status is OrderStatus.TO_SHIP and multi.items[0].quantity == 2
        first = multi.items[0]
        await p.orders.ship(ShipRequest(oid, sf.id, "SF1000000000001", (ParcelItem(first.id, 1),)))
        after = await p.orders.get(oid)
        assert after.order.status is OrderStatus.TO_SHIP  # partly shipped
        assert after.bundle.items[0].quantity_unshipped == first.quantity - 1
        parcel = next(x for x in after.bundle.parcels if x.tracking_number == "SF1000000000001")
        assert parcel.courier_id == sf.id and parcel.items == (ParcelItem(first.id, 1),)
        await p.orders.ship(ShipRequest(oid, 0, None))  # the rest, without a tracking number
        done = await p.orders.get(oid)
        assert done.order.status is OrderStatus.SHIPPED
        assert all(i.quantity_unshipped == 0 for i in done.bundle.items)
        assert any(x.tracking_number == "" for x in done.bundle.parcels)
        await p.orders.add_tracking(oid, sf.id, ["SF1000000000002", "SF1000000000003"])
        numbers = {x.tracking_number for x in (await p.orders.traces(oid))}
        assert {"SF1000000000001", "SF1000000000002", "SF1000000000003"} <= numbers
        with pytest.raises(ConflictError):  # nothing left to ship
            await p.orders.ship(ShipRequest(oid, sf.id, "SF1000000000004"))

        two = (await p.orders.get(place(fresh_sandbox, 22, ((3, 1), (4, 1), (5, 2)), paid=True))).bundle
        await p.orders.ship_parcels(two.order.id, sf.id, [("SF2000000000001", [two.items[0].id]),
                                                          ("SF2000000000002", [i.id for i in two.items[1:]])])
        shipped = await p.orders.get(two.order.id)
        assert shipped.order.status is OrderStatus.SHIPPED
        assert {x.tracking_number for x in shipped.bundle.parcels} == {"SF2000000000001", "SF2000000000002"}
        with pytest.raises(InvalidInputError):
            await p.orders.ship(ShipRequest(oid, 99_999, "SF3"))


@pytest.mark.asyncio
async def test_pickup_success_and_refund(fresh_sandbox: SandboxServer) -> None:
    async with platform(fresh_sandbox) as p:
        one = (await p.orders.get(place(fresh_sandbox, 31, paid=True))).bundle
        await p.orders.pickup(one.order.id)
        picked = (await p.orders.get(one.order.id)).order
        assert picked.status is OrderStatus.TO_REVIEW and picked.is_pickup
        await p.orders.set_success(one.order.id)
        assert (await p.orders.get(one.order.id)).order.status is OrderStatus.DONE
        with pytest.raises(ConflictError):
            await p.orders.pickup(one.order.id)

        paid = await find(p, lambda b: b.order.refund_state is OrderRefundState.NONE and b.order.amount_paid > 2,
                          status=OrderStatus.SHIPPED)
        uid = paid.order.uid
        before = (await p.wallet.assets(uid)).balance
        await p.orders.refund(paid.order.id, Decimal("1.50"), RefundDestination.BALANCE, False, "运费差价")
        order = (await p.orders.get(paid.order.id)).order
        assert order.amount_refunded == Decimal("1.50") and order.status is OrderStatus.SHIPPED
        assert (await p.wallet.assets(uid)).balance == before + Decimal("1.50")
        with pytest.raises(InvalidInputError):  # more than is left to refund
            await p.orders.refund(paid.order.id, order.amount_paid, RefundDestination.ORIGINAL, True, "")
        await p.orders.refund(paid.order.id, Decimal("0.50"), RefundDestination.ORIGINAL, True, "关闭")
        closed = (await p.orders.get(paid.order.id)).order
        assert closed.status is OrderStatus.CLOSED and closed.amount_refunded == Decimal("2.00")


@pytest.mark.asyncio
async def test_refund_application_decisions(fresh_sandbox: SandboxServer) -> None:
    async with platform(fresh_sandbox) as p:
        assert fresh_sandbox.state is not None
        conn = fresh_sandbox.state.conn
        ids = []
        for uid, rtype in ((41, RefundType.REFUND_ONLY), (42, RefundType.RETURN_REFUND)):
            oid = place(fresh_sandbox, uid, paid=True)
            ids.append(sandbox_refunds.apply(conn, uid, oid, None, int(rtype), 0, "不想要了", 500, None, "", []))
        applied = (await p.refunds.list(ListQuery(status=int(RefundStatus.APPLIED), page_size=200))).items
        refund_only = next(r for r in applied if r.id == ids[0])
        refuse = next(r for r in applied if r.id == ids[1])
        assert refund_only.type is RefundType.REFUND_ONLY and refund_only.amount == Decimal("5.00")
        await p.refunds.refuse(refuse, "商品已影响二次销售")
        refused = await p.refunds.get(refuse.id)
        assert refused.status is RefundStatus.REFUSED and refused.refuse_reason == "商品已影响二次销售"
        with pytest.raises(ConflictError):
            await p.refunds.accept(refused)
        await p.refunds.accept(refund_only)
        assert (await p.refunds.get(refund_only.id)).status is RefundStatus.PROCESSING
        assert (await p.orders.get(refund_only.order_id)).order.refund_state is OrderRefundState.PROCESSING
        await p.refunds.complete(refund_only)
        assert (await p.refunds.get(refund_only.id)).status is RefundStatus.DONE
        order = (await p.orders.get(refund_only.order_id)).order
        assert order.amount_refunded == Decimal("5.00") and order.refund_state is OrderRefundState.REFUNDED
        with pytest.raises(ConflictError):
            await p.refunds.complete(refund_only)


@pytest.mark.asyncio
async def test_user_changes(fresh_sandbox: SandboxServer) -> None:
    async with platform(fresh_sandbox) as p:
        await p.users.modify(5, nick="新昵称", remark="老顾客", disabled=True, level=2)
        user = await p.users.get(5)
        assert (user.nick, user.remark, user.status, user.level) == ("新昵称", "老顾客", UserStatus.DISABLED, 2)
        assert user.level_name == "金卡会员"
        await p.users.modify(5, disabled=False)
        assert (await p.users.get(5)).status is UserStatus.NORMAL
        with pytest.raises(InvalidInputError):
            await p.users.modify(5, level=42)
        with pytest.raises(InvalidInputError):
            await p.users.modify(5)


@pytest.mark.asyncio
async def test_wallet_adjust_and_withdrawal_decisions(fresh_sandbox: SandboxServer) -> None:
    async with platform(fresh_sandbox) as p:
        start = await p.wallet.assets(3)
        await p.wallet.adjust(3, LedgerKind.BALANCE, Decimal("12.34"), "补偿")
        await p.wallet.adjust(3, LedgerKind.POINTS, Decimal("50"), "活动赠送")
        await p.wallet.adjust(3, LedgerKind.TOKEN, Decimal("5"), "活动赠送")
        now = await p.wallet.assets(3)
        assert now.balance == start.balance + Decimal("12.34")
        assert (now.points, now.tokens) == (start.points + 50, start.tokens + 5)
        log = (await p.wallet.ledger(LedgerKind.TOKEN, ListQuery(uid=3, page_size=1))).items[0]
        assert log.amount == Decimal(5) and log.remark == "活动赠送" and log.balance_after == Decimal(now.tokens)
        await p.wallet.adjust(3, LedgerKind.POINTS, Decimal(-10), "扣减")
        assert (await p.wallet.assets(3)).points == now.points - 10
        with pytest.raises(ConflictError) as info:
            await p.wallet.adjust(3, LedgerKind.BALANCE, -(now.balance + 1), "扣太多")
        assert "余额不足" in info.value.message("zh")
        with pytest.raises(InvalidInputError):
            await p.wallet.adjust(3, LedgerKind.FROZEN, Decimal(1), "不行")
        with pytest.raises(InvalidInputError):
            await p.wallet.adjust(3, LedgerKind.POINTS, Decimal("1.5"), "不行")

        pending = [w for w in (await p.wallet.withdrawals(ListQuery(status=int(WithdrawalStatus.PENDING),
                                                                    page_size=200))).items]
        assert len(pending) >= 2
        approve, refuse = pending[0], pending[1]
        await p.wallet.approve_withdrawal(approve.id)
        assert (await p.wallet.withdrawal(approve.id)).status is WithdrawalStatus.PAID
        balance = (await p.wallet.assets(refuse.uid)).balance
        await p.wallet.refuse_withdrawal(refuse.id, "户名不一致")
        refused = await p.wallet.withdrawal(refuse.id)
        assert refused.status is WithdrawalStatus.REFUSED and refused.refuse_reason == "户名不一致"
        assert (await p.wallet.assets(refuse.uid)).balance == balance + refuse.amount
        with pytest.raises(ConflictError):
            await p.wallet.approve_withdrawal(refuse.id)


@pytest.mark.asyncio
async def test_vouchers_issue_void_redeem(fresh_sandbox: SandboxServer) -> None:
    async with platform(fresh_sandbox) as p:
        order = (await p.orders.list(OrderQuery(status=OrderStatus.DONE, page_size=1))).items[0].order
        issued = await p.vouchers.issue(order.uid, "到店洗车券", 30, order_id=order.id)
        assert issued.status is VoucherStatus.UNUSED and issued.order_id == order.id and issued.code
        assert issued.expires_at is not None and issued.expires_at - issued.created_at == timedelta(days=30)
        by_order = await p.vouchers.list(ListQuery(order_id=order.id))
        assert [v.id for v in by_order.items] == [issued.id]
        redeemed = await p.vouchers.redeem(issued.code)
        assert redeemed.id == issued.id and redeemed.status is VoucherStatus.REDEEMED and redeemed.redeemed_at
        with pytest.raises(ConflictError) as info:
            await p.vouchers.redeem(issued.code)
        assert "已核销" in info.value.message("zh")
        other = await p.vouchers.issue(order.uid, "满减券", 7)
        await p.vouchers.void(other.id)
        assert (await p.vouchers.list(ListQuery(extra={"code": other.code}))).items[0].status is VoucherStatus.VOID
        with pytest.raises(NotFoundError):
            await p.vouchers.redeem("HX000")
        with pytest.raises(InvalidInputError):
            await p.vouchers.issue(order.uid, "坏券", 0)


@pytest.mark.asyncio
async def test_cms_pages_set(fresh_sandbox: SandboxServer) -> None:
    async with platform(fresh_sandbox) as p:
        await p.cms.set_page("about", "关于本店", "<p>新的介绍</p>")
        await p.cms.set_page("terms", "", "<p>新条款</p>")
        about, terms = await p.cms.page("aboutUs"), await p.cms.page("terms")
        assert (about.title, about.content) == ("关于本店", "<p>新的介绍</p>")
        assert (terms.title, terms.content) == ("用户服务条款", "<p>新条款</p>")
        with pytest.raises(InvalidInputError):
            await p.cms.set_page("about", "x", "")


class LoseAnswers(httpx.AsyncBaseTransport):
    """Drops the connection once per listed path: after the platform handled the request
    (``after=True``: the answer is lost) or before it arrived."""

    def __init__(self, paths: set[str], after: bool) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.pending, self.after = set(paths), after

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path in self.pending and not self.after:
            self.pending.discard(path)
            raise httpx.ReadError("connection reset before the request got through")
        response = await self.inner.handle_async_request(request)
        if path in self.pending:
            self.pending.discard(path)
            await response.aread()
            raise httpx.ReadError("connection reset, answer lost")
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.asyncio
@pytest.mark.parametrize("after", [True, False], ids=["answer-lost", "never-arrived"])
async def test_writes_with_lost_answers_are_checked_not_repeated(fresh_sandbox: SandboxServer, after: bool) -> None:
    oid, closing = place(fresh_sandbox, 51, paid=True), place(fresh_sandbox, 52)
    lose = LoseAnswers({ROUTES[op] for op in ("order.ship", "order.close", "asset.adjust_balance",
                                              "voucher.issue")}, after)
    account = ruanmao_account(fresh_sandbox)
    async with RuanmaoPlatform(account, transport=lose, backoff=0.01) as p:
        await p.orders.ship(ShipRequest(oid, 1, "SF9000000000001"))
        await p.orders.close(closing)
        before = (await p.wallet.assets(51)).balance
        await p.wallet.adjust(51, LedgerKind.BALANCE, Decimal("3.00"), "补偿")
        voucher = await p.vouchers.issue(51, "丢包测试券", 10)
        assert not lose.pending
        parcels = [x for x in (await p.orders.get(oid)).bundle.parcels if x.tracking_number == "SF9000000000001"]
        assert len(parcels) == 1  # shipped once
        assert (await p.orders.get(closing)).order.status is OrderStatus.CLOSED
        assert (await p.wallet.assets(51)).balance == before + Decimal("3.00")  # credited once
        mine = await p.vouchers.list(ListQuery(uid=51, page_size=200))
        assert [v.id for v in mine.items if v.name == "丢包测试券"] == [voucher.id]  # issued once
        assert p.transport.stats["verified_writes"] == (4 if after else 0)
