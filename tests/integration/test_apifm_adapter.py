"""The API工厂 adapter against the practice platform on loopback: every operation of every area.

Reads share one seeded shop; every test that changes state gets a shop of its own and
checks the effect in the sandbox's database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
import pytest_asyncio

from app.domain.enums import (
    CouponStatus,
    LedgerKind,
    OrderRefundState,
    OrderStatus,
    RefundDestination,
    RefundStatus,
    WithdrawalStatus,
)
from app.domain.models import ListQuery, Notice, OrderQuery, ParcelItem, Receiver
from app.platform.api import Capability, ShipRequest
from app.platform.apifm import ApifmPlatform
from app.platform.connect import connect
from app.platform.errors import (
    AuthenticationError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    UnsupportedError,
)
from app.sandbox.ops import refunds as refund_ops
from app.sandbox.server import SandboxServer
from tests.conftest import apifm_account


def q(conn: sqlite3.Connection, sql: str, *args: Any) -> sqlite3.Row:
    row = conn.execute(sql, args).fetchone()
    assert row is not None, sql
    return row


def count(conn: sqlite3.Connection, sql: str, *args: Any) -> int:
    return conn.execute(sql, args).fetchone()[0]


@pytest_asyncio.fixture
async def shop(sandbox: SandboxServer) -> AsyncIterator[ApifmPlatform]:
    platform = connect(apifm_account(sandbox))
    assert isinstance(platform, ApifmPlatform)
    yield platform
    await platform.aclose()


@pytest_asyncio.fixture
async def fresh(fresh_sandbox: SandboxServer) -> AsyncIterator[ApifmPlatform]:
    platform = connect(apifm_account(fresh_sandbox))
    assert isinstance(platform, ApifmPlatform)
    yield platform
    await platform.aclose()


# Connection ---------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_login_and_capabilities(shop: ApifmPlatform) -> None:
    await shop.login()
    assert shop.auth.logins == 1 and shop.name == "apifm"
    assert {Capability.COUPONS, Capability.PARTIAL_SHIPMENT, Capability.SHIP_WITHOUT_TRACKING,
            Capability.OFFLINE_PICKUP, Capability.CHANGE_RECEIVER} <= shop.capabilities
    assert not shop.supports(Capability.VOUCHERS)


@pytest.mark.asyncio
async def test_wrong_merchant_key_is_an_authentication_error(sandbox: SandboxServer) -> None:
    account = replace(apifm_account(sandbox), merchant_key="wrong")
    async with connect(account) as platform:
        with pytest.raises(AuthenticationError) as err:
            await platform.login()
        assert "商户号或商户秘钥错误" in err.value.message("zh")
        with pytest.raises(AuthenticationError):
            await platform.orders.list(OrderQuery())


@pytest.mark.asyncio
async def test_expired_token_logs_in_again_once(sandbox: SandboxServer, shop: ApifmPlatform) -> None:
    await shop.login()
    sandbox.state.conn.execute("UPDATE admin_tokens SET expires = 0")
    page = await shop.orders.list(OrderQuery(page_size=1))
    assert page.total_rows == 400 and shop.auth.logins == 2


# Orders: reads ------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_order_list_pages_carry_items_and_receiver(sandbox: SandboxServer, shop: ApifmPlatform) -> None:
    conn = sandbox.state.conn
    page = await shop.orders.list(OrderQuery(page=2, page_size=25))
    assert (page.total_rows, page.total_pages, page.page, len(page.items)) == (400, 16, 2, 25)
    ids = [b.order.id for b in page.items]
    assert ids == [r[0] for r in conn.execute("SELECT id FROM orders ORDER BY id DESC LIMIT 25 OFFSET 25")]
    for b in page.items:
        row = q(conn, "SELECT * FROM orders WHERE id = ?", b.order.id)
        assert b.order.amount_paid == Decimal(row["amount_real"]) / 100
        assert b.order.status == row["status"] and b.order.number == row["order_number"]
        assert [i.id for i in b.items] == [r[0] for r in conn.execute(
            "SELECT id FROM order_goods WHERE order_id = ? ORDER BY id", (b.order.id,))]
        if row["is_need_logistics"]:
            assert b.receiver is not None and b.receiver.name == row["link_man"]
            assert b.receiver.district_id == row["district_id"] and b.receiver.district
        else:
            assert b.receiver is None
    assert shop.skipped == 0


@pytest.mark.asyncio
async def test_order_list_filters(sandbox: SandboxServer, shop: ApifmPlatform) -> None:
    conn = sandbox.state.conn
    to_ship = await shop.orders.list(OrderQuery(status=OrderStatus.TO_SHIP, page_size=200))
    assert to_ship.total_rows == count(conn, "SELECT COUNT(*) FROM orders WHERE status = 1")
    assert {b.order.status for b in to_ship.items} == {OrderStatus.TO_SHIP}
    both = await shop.orders.list(OrderQuery(statuses=(OrderStatus.SHIPPED, OrderStatus.CLOSED), page_size=1))
    assert both.total_rows == count(conn, "SELECT COUNT(*) FROM orders WHERE status IN (2, -1)")
    pickups = await shop.orders.list(OrderQuery(needs_delivery=False, page_size=200))
    assert pickups.total_rows == count(conn, "SELECT COUNT(*) FROM orders WHERE is_need_logistics = 0")
    assert all(b.order.is_pickup for b in pickups.items)
    refunded = await shop.orders.list(OrderQuery(refund_state=OrderRefundState.REFUNDED, page_size=200))
    assert refunded.total_rows == count(conn, "SELECT COUNT(*) FROM orders WHERE refund_status = 3")
    row = q(conn, "SELECT * FROM orders WHERE id = 123")
    by_number = await shop.orders.list(OrderQuery(number=row["order_number"]))
    assert [b.order.id for b in by_number.items] == [123]
    by_uid = await shop.orders.list(OrderQuery(uid=row["uid"], page_size=200))
    assert by_uid.total_rows == count(conn, "SELECT COUNT(*) FROM orders WHERE uid = ?", row["uid"])
    since = row["date_update"]
    recent = await shop.orders.list(OrderQuery(updated_from=datetime.fromisoformat(since), page_size=200))
    assert recent.total_rows == count(conn, "SELECT COUNT(*) FROM orders WHERE date_update >= ?", since)
    updated = [b.order.updated_at for b in recent.items]
    assert updated == sorted(updated)  # oldest first, so a sync cursor only moves forward
    empty = await shop.orders.list(OrderQuery(uid=999_999))
    assert (empty.items, empty.total_rows, empty.total_pages) == ([], 0, 0)


@pytest.mark.asyncio
async def test_order_detail_and_traces(sandbox: SandboxServer, shop: ApifmPlatform) -> None:
    conn = sandbox.state.conn
    row = q(conn, "SELECT o.* FROM orders o WHERE status = 4 AND is_need_logistics = 1 AND "
                  "(SELECT COUNT(*) FROM parcels p WHERE p.order_id = o.id AND p.traces != '[]') > 0 LIMIT 1")
    detail = await shop.orders.get(row["id"])
    assert detail.order.id == row["id"] and detail.order.status is OrderStatus.DONE
    parcels = conn.execute("SELECT * FROM parcels WHERE order_id = ? ORDER BY id", (row["id"],)).fetchall()
    assert [p.tracking_number for p in detail.bundle.parcels] == [p["tracking_number"] for p in parcels]
    first = detail.bundle.parcels[0]
    assert first.traces and first.traces[0].text and first.items  # both parsed out of JSON strings
    assert detail.logs[0].text == "下单"
    assert detail.bundle.receiver is not None and detail.bundle.receiver.province
    traced = await shop.orders.traces(row["id"])
    assert [p.tracking_number for p in traced] == [p["tracking_number"] for p in parcels]
    assert traced[0].traces == first.traces
    unshipped = q(conn, "SELECT id FROM orders WHERE status = 0 LIMIT 1")["id"]
    assert await shop.orders.traces(unshipped) == []
    with pytest.raises(NotFoundError):
        await shop.orders.get(999_999)


# Orders: writes -----------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_unpaid_order_price_remark_receiver_paid(fresh_sandbox: SandboxServer, fresh: ApifmPlatform) -> None:
    conn = fresh_sandbox.state.conn
    oid = q(conn, "SELECT id FROM orders WHERE status = 0 AND is_need_logistics = 1 LIMIT 1")["id"]
    await fresh.orders.change_price(oid, Decimal("88.80"), Decimal("0"))
    row = q(conn, "SELECT * FROM orders WHERE id = ?", oid)
    assert (row["amount_real"], row["amount_logistics"]) == (8880, 0)
    await fresh.orders.set_remark(oid, "客户电话确认过")
    assert q(conn, "SELECT admin_remark FROM orders WHERE id = ?", oid)[0] == "客户电话确认过"
    district = q(conn, "SELECT code, parent FROM regions WHERE level = 3 ORDER BY code LIMIT 1 OFFSET 7")
    receiver = Receiver(name="李四", mobile="13900001111", province_id="", province="", city_id="", city="",
                        district_id=district["code"], district="", address="新地址 1 号", postcode="100000")
    await fresh.orders.change_receiver(oid, receiver)
    row = q(conn, "SELECT * FROM orders WHERE id = ?", oid)
    assert (row["link_man"], row["district_id"], row["city_id"], row["address"]) == \
        ("李四", district["code"], district["parent"], "新地址 1 号")
    got = (await fresh.orders.get(oid)).bundle.receiver
    assert got is not None and got.city_id == district["parent"] and got.district
    await fresh.orders.mark_paid(oid)
    row = q(conn, "SELECT * FROM orders WHERE id = ?", oid)
    assert (row["status"], row["is_pay"], row["pay_gate"]) == (1, 1, "OFFLINE")
    with pytest.raises(ConflictError) as err:
        await fresh.orders.change_price(oid, Decimal("1"))
    assert "改价" in err.value.message("zh")  # the platform's own reason reaches staff


@pytest.mark.asyncio
async def test_pay_from_balance_close_and_balance_too_low(fresh_sandbox: SandboxServer, fresh: ApifmPlatform) -> None:
    conn = fresh_sandbox.state.conn
    orders = conn.execute("SELECT o.id, o.uid, o.amount_real, a.balance FROM orders o JOIN assets a ON a.uid = o.uid "
                          "WHERE o.status = 0 ORDER BY o.id").fetchall()
    poor = next(o for o in orders if o["balance"] < o["amount_real"])
    rich = next(o for o in orders if o["uid"] != poor["uid"])
    short = Decimal(poor["amount_real"] - poor["balance"]) / 100
    with pytest.raises(InvalidInputError) as err:
        await fresh.orders.pay_from_balance(poor["id"])
    assert err.value.code == 40000 and f"{short:.2f}" in err.value.message("zh")
    if rich["balance"] < rich["amount_real"]:
        top_up = Decimal(rich["amount_real"] - rich["balance"]) / 100
        await fresh.wallet.adjust(rich["uid"], LedgerKind.BALANCE, top_up, "到店充值")
    before = q(conn, "SELECT balance FROM assets WHERE uid = ?", rich["uid"])[0]
    await fresh.orders.pay_from_balance(rich["id"])
    assert q(conn, "SELECT status, pay_gate FROM orders WHERE id = ?", rich["id"])[:] == (1, "BALANCE")
    assert q(conn, "SELECT balance FROM assets WHERE uid = ?", rich["uid"])[0] == before - rich["amount_real"]
    await fresh.orders.close(poor["id"])
    assert q(conn, "SELECT status FROM orders WHERE id = ?", poor["id"])[0] == -1
    with pytest.raises(ConflictError):
        await fresh.orders.close(poor["id"])


@pytest.mark.asyncio
async def test_partial_shipment_without_tracking_add_tracking_success_refund(
        fresh_sandbox: SandboxServer, fresh: ApifmPlatform) -> None:
    conn = fresh_sandbox.state.conn
    oid = q(conn, "SELECT o.id FROM orders o WHERE status = 1 AND is_need_logistics = 1 AND refund_status = 0 "
                  "AND (SELECT COUNT(*) FROM order_goods g WHERE g.order_id = o.id) >= 2 LIMIT 1")["id"]
    lines = conn.execute("SELECT * FROM order_goods WHERE order_id = ? ORDER BY id", (oid,)).fetchall()
    first = lines[0]
    await fresh.orders.ship(ShipRequest(oid, 1, "SF1234567890123", (ParcelItem(first["id"], first["number"]),)))
    assert q(conn, "SELECT status FROM orders WHERE id = ?", oid)[0] == 1  # still items to ship
    await fresh.orders.ship(ShipRequest(oid, -1, None))
    parcels = conn.execute("SELECT * FROM parcels WHERE order_id = ? ORDER BY id", (oid,)).fetchall()
    assert [(p["courier_id"], p["tracking_number"]) for p in parcels] == [(1, "SF1234567890123"), (-1, "")]
    assert q(conn, "SELECT status FROM orders WHERE id = ?", oid)[0] == 2
    detail = await fresh.orders.get(oid)
    assert detail.bundle.parcels[0].items == (ParcelItem(first["id"], first["number"]),)
    assert all(i.quantity_unshipped == 0 for i in detail.bundle.items)
    await fresh.orders.add_tracking(oid, 2, ["75000000000001", "75000000000002"])
    assert count(conn, "SELECT COUNT(*) FROM parcels WHERE order_id = ? AND courier_id = 2", oid) == 2
    await fresh.orders.set_success(oid)
    assert q(conn, "SELECT status FROM orders WHERE id = ?", oid)[0] == 4
    await fresh.orders.refund(oid, Decimal("1.50"), RefundDestination.BALANCE, False, "少发赠品")
    row = q(conn, "SELECT * FROM orders WHERE id = ?", oid)
    assert (row["amount_refund_total"], row["refund_status"], row["status"]) == (150, 3, 4)
    assert q(conn, "SELECT amount, to_where, remark FROM refunds WHERE order_id = ?", oid)[:] == (150, 0, "少发赠品")
    with pytest.raises(InvalidInputError):
        await fresh.orders.refund(oid, Decimal("99999"), RefundDestination.ORIGINAL, True, "")


@pytest.mark.asyncio
async def test_refund_and_close(fresh_sandbox: SandboxServer, fresh: ApifmPlatform) -> None:
    conn = fresh_sandbox.state.conn
    row = q(conn, "SELECT * FROM orders WHERE status = 2 AND refund_status = 0 LIMIT 1")
    await fresh.orders.refund(row["id"], Decimal(row["amount_real"]) / 100, RefundDestination.ORIGINAL, True, "缺货")
    after = q(conn, "SELECT * FROM orders WHERE id = ?", row["id"])
    assert (after["status"], after["amount_refund_total"]) == (-1, row["amount_real"])


@pytest.mark.asyncio
async def test_pickup_and_redeem(fresh_sandbox: SandboxServer, fresh: ApifmPlatform) -> None:
    conn = fresh_sandbox.state.conn
    oid = q(conn, "SELECT id FROM orders WHERE status = 1 AND refund_status = 0 AND is_need_logistics = 1 "
                  "LIMIT 1")["id"]
    await fresh.orders.pickup(oid)
    row = q(conn, "SELECT * FROM orders WHERE id = ?", oid)
    assert (row["status"], row["is_need_logistics"]) == (3, 0)
    # A buyer who chose pickup at checkout shows the code at the counter.
    other = q(conn, "SELECT id FROM orders WHERE status = 1 AND refund_status = 0 AND id != ? LIMIT 1", oid)["id"]
    conn.execute("UPDATE orders SET is_need_logistics = 0, hx_number = '5550001111' WHERE id = ?", (other,))
    code_row = q(conn, "SELECT id, hx_number FROM orders WHERE id = ?", other)
    assert await fresh.orders.redeem_pickup(code_row["hx_number"]) == code_row["id"]
    assert q(conn, "SELECT status FROM orders WHERE id = ?", code_row["id"])[0] == 3
    with pytest.raises(NotFoundError):
        await fresh.orders.redeem_pickup("0000000000")


class DropFirstAnswer(httpx.AsyncBaseTransport):
    """Lets a request reach the server, then loses its answer (the write happened)."""

    def __init__(self, path: str) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.path = path
        self.dropped = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path == self.path and not self.dropped:
            await response.aread()
            self.dropped += 1
            raise httpx.ReadError("connection reset by peer")
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.asyncio
async def test_lost_answer_to_ship_is_verified_not_resent(fresh_sandbox: SandboxServer) -> None:
    conn = fresh_sandbox.state.conn
    oid = q(conn, "SELECT id FROM orders WHERE status = 1 AND is_need_logistics = 1 AND refund_status = 0 "
                  "LIMIT 1")["id"]
    dropper = DropFirstAnswer("/user/apiExtOrder/fahuo")
    async with connect(apifm_account(fresh_sandbox), transport=dropper, backoff=0.01) as platform:
        assert isinstance(platform, ApifmPlatform)
        await platform.orders.ship(ShipRequest(oid, 3, "YT1234567890123"))
        assert dropper.dropped == 1 and platform.transport.stats["verified_writes"] == 1
    assert count(conn, "SELECT COUNT(*) FROM parcels WHERE order_id = ?", oid) == 1


@pytest.mark.asyncio
async def test_bad_rows_are_skipped_and_counted(fresh_sandbox: SandboxServer, fresh: ApifmPlatform) -> None:
    conn = fresh_sandbox.state.conn
    conn.execute("UPDATE orders SET status = 9 WHERE id = 400")  # a status ShopDesk does not know
    conn.execute("UPDATE orders SET date_add = 'soon' WHERE id = 399")
    page = await fresh.orders.list(OrderQuery(page_size=10))
    assert [b.order.id for b in page.items] == list(range(398, 390, -1))
    assert page.total_rows == 400 and fresh.skipped == 2


# Refunds ------------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_refund_list_and_get(sandbox: SandboxServer, shop: ApifmPlatform) -> None:
    conn = sandbox.state.conn
    page = await shop.refunds.list(ListQuery(page_size=200))
    assert page.total_rows == count(conn, "SELECT COUNT(*) FROM refund_applies") == len(page.items)
    open_ = await shop.refunds.list(ListQuery(status=int(RefundStatus.APPLIED), page_size=200))
    assert {r.status for r in open_.items} <= {RefundStatus.APPLIED}
    assert open_.total_rows == count(conn, "SELECT COUNT(*) FROM refund_applies WHERE status = 0")
    one = page.items[0]
    got = await shop.refunds.get(one.id)
    assert got == one
    row = q(conn, "SELECT * FROM refund_applies WHERE id = ?", one.id)
    assert (got.order_id, got.amount, got.reason) == (row["order_id"], Decimal(row["amount"]) / 100, row["reason"])
    by_order = await shop.refunds.list(ListQuery(order_id=one.order_id))
    assert one.id in [r.id for r in by_order.items]
    with pytest.raises(NotFoundError):
        await shop.refunds.get(999_999)


@pytest.mark.asyncio
async def test_refund_decisions(fresh_sandbox: SandboxServer, fresh: ApifmPlatform) -> None:
    conn = fresh_sandbox.state.conn
    # Buyers ask for two more refunds, so there is something to accept and something to refuse.
    for row in conn.execute("SELECT o.id, o.uid, o.amount_real FROM orders o WHERE status = 2 AND refund_status = 0 "
                            "ORDER BY id LIMIT 2").fetchall():
        refund_ops.apply(conn, row["uid"], row["id"], None, 0, 0, "不想要了", row["amount_real"], None, "", [])
    applied = (await fresh.refunds.list(ListQuery(status=int(RefundStatus.APPLIED), page_size=50))).items
    assert len(applied) >= 2
    await fresh.refunds.accept(applied[0])
    assert q(conn, "SELECT status FROM refund_applies WHERE id = ?", applied[0].id)[0] == 3
    await fresh.refunds.refuse(applied[1], "商品已签收超过 7 天")
    row = q(conn, "SELECT status, refuse_reason FROM refund_applies WHERE id = ?", applied[1].id)
    assert row[:] == (2, "商品已签收超过 7 天")
    with pytest.raises(ConflictError):
        await fresh.refunds.refuse(applied[1], "再次拒绝")
    accepted = await fresh.refunds.get(applied[0].id)
    if accepted.return_leg == 1:  # the buyer must send the goods back first
        with pytest.raises(ConflictError):
            await fresh.refunds.complete(accepted)
        conn.execute("UPDATE refund_applies SET status2 = 2 WHERE id = ?", (accepted.id,))
    before = q(conn, "SELECT amount_refund_total FROM orders WHERE id = ?", accepted.order_id)[0]
    await fresh.refunds.complete(accepted)
    assert q(conn, "SELECT status FROM refund_applies WHERE id = ?", accepted.id)[0] == 4
    if accepted.type != 2:
        after = q(conn, "SELECT amount_refund_total FROM orders WHERE id = ?", accepted.order_id)[0]
        assert after == before + round(accepted.amount * 100)


# Users --------------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_users_read(sandbox: SandboxServer, shop: ApifmPlatform) -> None:
    conn = sandbox.state.conn
    page = await shop.users.list(ListQuery(page_size=50))
    assert page.total_rows == count(conn, "SELECT COUNT(*) FROM users") and len(page.items) == 50
    row = q(conn, "SELECT * FROM users WHERE id = 42")
    user = await shop.users.get(42)
    assert (user.nick, user.mobile, user.level, user.status) == (row["nick"], row["mobile"], row["level"],
                                                                 row["status"])
    assert user.avatar.startswith(sandbox.base_url)
    found = await shop.users.list(ListQuery(keyword=row["nick"]))
    assert 42 in [u.id for u in found.items]
    disabled = await shop.users.list(ListQuery(status=1, page_size=200))
    assert disabled.total_rows == count(conn, "SELECT COUNT(*) FROM users WHERE status = 1")
    addresses = await shop.users.addresses(42)
    assert [a.id for a in addresses] == [r[0] for r in conn.execute(
        "SELECT id FROM addresses WHERE uid = 42 AND status = 0 ORDER BY is_default DESC, id")]
    assert await shop.users.addresses(999_999) == []
    with pytest.raises(NotFoundError):
        await shop.users.get(999_999)
    with pytest.raises(UnsupportedError):
        await shop.users.stats(42)


@pytest.mark.asyncio
async def test_user_modify(fresh_sandbox: SandboxServer, fresh: ApifmPlatform) -> None:
    conn = fresh_sandbox.state.conn
    await fresh.users.modify(7, nick="老顾客", remark="只收顺丰", disabled=True, level=2)
    row = q(conn, "SELECT nick, remark, status, level FROM users WHERE id = 7")
    assert row[:] == ("老顾客", "只收顺丰", 1, 2)
    await fresh.users.modify(7, disabled=False)
    assert q(conn, "SELECT status FROM users WHERE id = 7")[0] == 0
    with pytest.raises(InvalidInputError):
        await fresh.users.modify(7, nick=" ")


# Wallet -------------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_wallet_reads(sandbox: SandboxServer, shop: ApifmPlatform) -> None:
    conn = sandbox.state.conn
    row = q(conn, "SELECT * FROM assets WHERE balance > 0 LIMIT 1")
    assets = await shop.wallet.assets(row["uid"])
    assert (assets.balance, assets.frozen, assets.points) == (Decimal(row["balance"]) / 100,
                                                              Decimal(row["frozen"]) / 100, row["points"])
    balance_log = await shop.wallet.ledger(LedgerKind.BALANCE, ListQuery(uid=row["uid"], page_size=200))
    assert balance_log.total_rows == count(conn, "SELECT COUNT(*) FROM ledger WHERE uid = ? AND kind = 'balance'",
                                           row["uid"])
    assert balance_log.items[0].balance_after == assets.balance  # newest first
    points = await shop.wallet.ledger(LedgerKind.POINTS, ListQuery(page_size=5))
    assert points.total_rows == count(conn, "SELECT COUNT(*) FROM ledger WHERE kind = 'points'")
    assert all(e.kind is LedgerKind.POINTS and e.amount > 0 for e in points.items)
    for kind in (LedgerKind.FROZEN, LedgerKind.TOKEN):
        with pytest.raises(UnsupportedError):
            await shop.wallet.ledger(kind, ListQuery())
    withdrawals = await shop.wallet.withdrawals(ListQuery(page_size=200))
    assert withdrawals.total_rows == count(conn, "SELECT COUNT(*) FROM withdrawals")
    pending = await shop.wallet.withdrawals(ListQuery(status=0, page_size=200))
    assert {w.status for w in pending.items} == {WithdrawalStatus.PENDING}
    one = await shop.wallet.withdrawal(withdrawals.items[0].id)
    assert one == withdrawals.items[0]
    with pytest.raises(NotFoundError):
        await shop.wallet.assets(999_999)
    with pytest.raises(UnsupportedError):
        await shop.wallet.withdrawal_stats()


@pytest.mark.asyncio
async def test_wallet_writes(fresh_sandbox: SandboxServer, fresh: ApifmPlatform) -> None:
    conn = fresh_sandbox.state.conn
    uid = 11
    before = q(conn, "SELECT balance, points FROM assets WHERE uid = ?", uid)
    await fresh.wallet.adjust(uid, LedgerKind.BALANCE, Decimal("12.34"), "补偿运费")
    await fresh.wallet.adjust(uid, LedgerKind.POINTS, Decimal("-50"), "兑换礼品")
    after = q(conn, "SELECT balance, points FROM assets WHERE uid = ?", uid)
    assert (after["balance"], after["points"]) == (before["balance"] + 1234, before["points"] - 50)
    newest = (await fresh.wallet.ledger(LedgerKind.BALANCE, ListQuery(uid=uid, page_size=1))).items[0]
    assert (newest.amount, newest.remark, newest.type) == (Decimal("12.34"), "补偿运费", 150)
    with pytest.raises(InvalidInputError) as err:
        await fresh.wallet.adjust(uid, LedgerKind.BALANCE, Decimal("-99999"), "扣款")
    assert err.value.code == 40000
    with pytest.raises(UnsupportedError):
        await fresh.wallet.adjust(uid, LedgerKind.TOKEN, Decimal("1"), "x")
    pending = (await fresh.wallet.withdrawals(ListQuery(status=0, page_size=2))).items
    await fresh.wallet.approve_withdrawal(pending[0].id)
    await fresh.wallet.refuse_withdrawal(pending[1].id, "账户名不一致")
    assert q(conn, "SELECT status FROM withdrawals WHERE id = ?", pending[0].id)[0] == 1
    assert q(conn, "SELECT status, refuse_reason FROM withdrawals WHERE id = ?", pending[1].id)[:] == \
        (2, "账户名不一致")
    with pytest.raises(ConflictError):
        await fresh.wallet.approve_withdrawal(pending[0].id)


# Coupons ------------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_coupons(fresh_sandbox: SandboxServer, fresh: ApifmPlatform) -> None:
    conn = fresh_sandbox.state.conn
    coupons = await fresh.vouchers.coupons(ListQuery(page_size=50))
    assert coupons.total_rows == count(conn, "SELECT COUNT(*) FROM coupons") == len(coupons.items)
    held = await fresh.vouchers.user_coupons(ListQuery(uid=3, page_size=200))
    assert held.total_rows == count(conn, "SELECT COUNT(*) FROM user_coupons WHERE uid = 3")
    coupon = coupons.items[0]
    await fresh.vouchers.send_coupon(coupon.id, 3)
    new = q(conn, "SELECT * FROM user_coupons WHERE uid = 3 ORDER BY id DESC LIMIT 1")
    assert (new["coupon_id"], new["status"]) == (coupon.id, 0)
    assert q(conn, "SELECT number_left FROM coupons WHERE id = ?", coupon.id)[0] == coupon.left - 1
    await fresh.vouchers.invalidate_user_coupon(new["id"])
    assert q(conn, "SELECT status FROM user_coupons WHERE id = ?", new["id"])[0] == 1
    usable = await fresh.vouchers.user_coupons(ListQuery(uid=3, status=0, page_size=200))
    assert {c.status for c in usable.items} <= {CouponStatus.NORMAL} and new["id"] not in [c.id for c in usable.items]
    with pytest.raises(ConflictError):
        await fresh.vouchers.invalidate_user_coupon(new["id"])
    for call in (fresh.vouchers.list(ListQuery()), fresh.vouchers.redeem("HX1"), fresh.vouchers.void(1),
                 fresh.vouchers.issue(1, "x", 3)):
        with pytest.raises(UnsupportedError):
            await call


# CMS and couriers ---------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_cms_reads_and_couriers(sandbox: SandboxServer, shop: ApifmPlatform) -> None:
    conn = sandbox.state.conn
    about = await shop.cms.page("aboutUs")
    assert about.content == q(conn, "SELECT content FROM cms_pages WHERE key = 'aboutUs'")[0]
    with pytest.raises(NotFoundError):
        await shop.cms.page("nope")
    articles = await shop.cms.articles(ListQuery(page_size=100))
    assert articles.total_rows == count(conn, "SELECT COUNT(*) FROM cms_articles WHERE status = 0")
    article = await shop.cms.article(articles.items[0].id)
    assert article == articles.items[0] and article.tags
    titled = await shop.cms.articles(ListQuery(keyword="脐橙"))
    assert titled.items and all("脐橙" in a.title for a in titled.items)
    assert [c.name for c in await shop.cms.categories()] == [r[0] for r in conn.execute(
        "SELECT name FROM cms_categories ORDER BY paixu, id")]
    notices = await shop.cms.notices(ListQuery())
    assert notices.total_rows == count(conn, "SELECT COUNT(*) FROM notices")
    banners = await shop.cms.banners()
    assert len(banners) == count(conn, "SELECT COUNT(*) FROM banners") and banners[0].pic.startswith("http")
    with pytest.raises(UnsupportedError):
        await shop.cms.info_posts(ListQuery())
    couriers = await shop.couriers.list()
    assert [(c.id, c.code) for c in couriers] == [tuple(r) for r in conn.execute(
        "SELECT id, code FROM couriers ORDER BY id")]
    with pytest.raises(UnsupportedError):
        await shop.couriers.freight_rules()


@pytest.mark.asyncio
async def test_cms_writes(fresh_sandbox: SandboxServer, fresh: ApifmPlatform) -> None:
    conn = fresh_sandbox.state.conn
    await fresh.cms.set_page("terms", "服务条款", "<p>新条款</p>")
    assert q(conn, "SELECT title, content FROM cms_pages WHERE key = 'terms'")[:] == ("服务条款", "<p>新条款</p>")
    template = (await fresh.cms.articles(ListQuery(page_size=1))).items[0]
    draft = replace(template, id=0, title="新品上架", content="<p>本周新品</p>", summary="新品", tags=("活动", "生鲜"))
    new_id = await fresh.cms.save_article(draft)
    row = q(conn, "SELECT * FROM cms_articles WHERE id = ?", new_id)
    assert (row["title"], row["tags"], row["category_id"]) == ("新品上架", "活动,生鲜", template.category_id)
    assert await fresh.cms.save_article(replace(draft, id=new_id, title="新品上架（更新）")) == new_id
    assert q(conn, "SELECT title FROM cms_articles WHERE id = ?", new_id)[0] == "新品上架（更新）"
    await fresh.cms.delete_article(new_id)
    with pytest.raises(NotFoundError):
        await fresh.cms.article(new_id)
    with pytest.raises(InvalidInputError):
        await fresh.cms.save_article(replace(draft, title=""))
    notice_id = await fresh.cms.save_notice(Notice(0, "notice", "停电通知", "<p>明天停电</p>", True,
                                                   template.created_at, template.updated_at))
    assert q(conn, "SELECT title, is_show FROM notices WHERE id = ?", notice_id)[:] == ("停电通知", 1)
    await fresh.cms.save_notice(Notice(notice_id, "notice", "停电通知", "<p>改期</p>", False,
                                       template.created_at, template.updated_at))
    assert q(conn, "SELECT content, is_show FROM notices WHERE id = ?", notice_id)[:] == ("<p>改期</p>", 0)
    await fresh.cms.delete_notice(notice_id)
    assert count(conn, "SELECT COUNT(*) FROM notices WHERE id = ?", notice_id) == 0


def test_fahuo_with_a_malformed_partial_shipment_says_what_is_expected(fresh_sandbox: SandboxServer) -> None:
    base = fresh_sandbox.base_url
    token = httpx.post(f"{base}/login/key", data={"merchantNo": "practice",
                                                  "merchantKey": "practice-merchant-key"}).json()["data"]
    conn = fresh_sandbox.state.conn
    oid = conn.execute("SELECT id FROM orders WHERE status = 1 AND is_need_logistics = 1 AND refund_status = 0"
                       " LIMIT 1").fetchone()[0]
    for bad in ("not json", '[{"number": 1}]', '[{"orderGoodsId": "x", "number": 1}]', "{}", "[]"):
        answer = httpx.post(f"{base}/user/apiExtOrder/fahuo", headers={"X-Token": token},
                            data={"id": oid, "expressCompanyId": 1, "number": "SF1234567890123",
                                  "orderGoodsShipper": bad}).json()
        assert answer["code"] not in (0, -1), (bad, answer)
        assert "orderGoodsShipper" in answer["msg"] and "orderGoodsId" in answer["msg"], (bad, answer)
    assert conn.execute("SELECT COUNT(*) FROM parcels WHERE order_id = ?", (oid,)).fetchone()[0] == 0
