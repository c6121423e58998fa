"""Which order actions are allowed when, what they say before they happen, and checked input."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.enums import OrderRefundState, OrderStatus
from app.domain.models import Order, OrderBundle
from app.sandbox.db import connect
from app.sandbox.ops import OpError
from app.sandbox.ops import orders as sandbox_orders
from app.sandbox.seed import SeedOptions, seed_shop
from app.services import order_actions as oa
from app.store import orders as store_orders
from app.store import outbox as store
from app.store.database import Cache

WHEN = datetime(2026, 11, 11, 9, 30)


def order(i: int = 1, status: OrderStatus = OrderStatus.UNPAID, *, paid: bool = False,
          amount: str = "88.00", refunded: str = "0.00") -> Order:
    return Order(id=i, number=f"SO2611{i:06d}", uid=7, status=status, amount_goods=Decimal("80.00"),
                 amount_freight=Decimal("8.00"), amount_discount=Decimal("0.00"), amount_paid=Decimal(amount),
                 amount_refunded=Decimal(refunded), goods_count=1, refund_state=OrderRefundState.NONE,
                 needs_delivery=True, is_paid=paid, pickup_code="", buyer_remark="", admin_remark="旧备注",
                 created_at=WHEN, updated_at=WHEN)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache.sqlite")
    yield c
    c.close()


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    conn = connect(tmp_path_factory.mktemp("shop") / "shop.db")
    seed_shop(conn, SeedOptions(seed=3, orders=40))
    yield conn
    conn.close()


# The practice shop's own rule for each action: what the platform would refuse.
SANDBOX_RULES = {
    oa.CHANGE_PRICE: lambda conn, oid: sandbox_orders.change_price(conn, oid, 100),
    oa.MARK_PAID: lambda conn, oid: sandbox_orders.pay_offline(conn, oid),
    oa.CLOSE: lambda conn, oid: sandbox_orders.close(conn, oid),
    oa.SUCCESS: lambda conn, oid: sandbox_orders.set_success(conn, oid),
    oa.REMARK: lambda conn, oid: sandbox_orders.set_remark(conn, oid, "x"),
}


@pytest.mark.parametrize("action", list(SANDBOX_RULES))
@pytest.mark.parametrize("status", list(OrderStatus))
def test_each_rule_agrees_with_what_the_practice_platform_accepts(action: str, status: OrderStatus,
                                                                  shop: sqlite3.Connection) -> None:
    """Run the platform's own operation on a copy of an order in that status: the check here
    says yes exactly when the platform would accept it."""
    conn = shop
    oid = conn.execute("SELECT id FROM orders ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("SAVEPOINT rule")
    try:
        conn.execute("UPDATE orders SET status = ?, is_pay = ? WHERE id = ?", (int(status), int(status) > 0, oid))
        try:
            SANDBOX_RULES[action](conn, oid)
            accepted = True
        except OpError as exc:
            assert exc.kind == OpError.CONFLICT, exc  # refused for the status, not for anything else
            accepted = False
    finally:
        conn.execute("ROLLBACK TO rule")
        conn.execute("RELEASE rule")
    found = oa.availability(action, oa.facts(order(status=status, paid=int(status) > 0)))
    assert found.ok == accepted, found.zh


def test_a_refused_action_says_why_in_both_languages() -> None:
    shipped = oa.facts(order(status=OrderStatus.SHIPPED, paid=True))
    found = oa.availability(oa.CHANGE_PRICE, shipped)
    assert not found.ok
    assert found.reason("zh") == "订单已发货，不能改价（仅限待付款的订单）"
    assert "shipped" in found.reason("en") and "awaiting payment" in found.reason("en")
    assert oa.availability(oa.CHANGE_PRICE, oa.facts(order())) == oa.OK


def test_pay_from_balance_needs_an_unpaid_order_and_a_platform_that_takes_it() -> None:
    unpaid = oa.facts(order())
    assert oa.availability(oa.PAY_BALANCE, unpaid).ok
    assert oa.availability(oa.PAY_BALANCE, unpaid, balance_supported=False).zh == "该平台不支持余额支付"
    assert not oa.availability(oa.PAY_BALANCE, oa.facts(order(status=OrderStatus.TO_SHIP, paid=True))).ok


def test_an_action_already_waiting_in_the_outbox_is_not_offered_again() -> None:
    unpaid = oa.facts(order())
    assert oa.availability(oa.CHANGE_PRICE, unpaid, [oa.CHANGE_PRICE]).zh == "已在待发送队列中"
    # Behind a waiting status change, the order's next status is not known yet.
    behind = oa.availability(oa.CHANGE_PRICE, unpaid, [oa.CLOSE])
    assert not behind.ok and behind.zh == "待发送队列中的「关闭订单」发送后才能改价"
    # A waiting remark changes no status: a price change may queue behind it.
    assert oa.availability(oa.CHANGE_PRICE, unpaid, [oa.REMARK]).ok


def test_waiting_actions_come_from_open_outbox_entries_only(cache: Cache) -> None:
    def put(action: str, oid: int, state: str) -> None:
        def write(conn) -> None:  # type: ignore[no-untyped-def]
            entry = store.record(conn, action, f"order:{oid}", {"order_id": oid}, "小王")
            store.mark(conn, entry.id, state)
        cache.writer.run_sync(write)

    put(oa.CLOSE, 1, "pending")
    put(oa.REMARK, 1, "sending")
    put(oa.SUCCESS, 2, "done")
    put(oa.CHANGE_PRICE, 3, "failed")
    assert oa.waiting_actions(cache.read) == {1: [oa.CLOSE, oa.REMARK]}
    assert oa.waiting_actions(cache.read, [2, 3]) == {}


def test_confirmations_say_exactly_what_will_happen() -> None:
    unpaid = oa.facts(order())
    assert oa.confirmation(oa.CLOSE, unpaid) == "订单 SO2611000001 将被关闭，买家无法再付款。此操作不能撤销。"
    paid = oa.facts(order(status=OrderStatus.TO_SHIP, paid=True, amount="88.00", refunded="8.00"))
    assert "已付的 ¥80.00 将全额退还给买家" in oa.confirmation(oa.CLOSE, paid)
    assert "¥88.00" in oa.confirmation(oa.MARK_PAID, unpaid) and "待发货" in oa.confirmation(oa.MARK_PAID, unpaid)
    assert "扣除 ¥88.00" in oa.confirmation(oa.PAY_BALANCE, unpaid)
    assert "尚未发货" in oa.confirmation(oa.SUCCESS, paid)
    shipped = oa.facts(order(status=OrderStatus.SHIPPED, paid=True))
    assert oa.confirmation(oa.SUCCESS, shipped) == "订单 SO2611000001 将被设为交易成功（已完成）。"


def test_a_bulk_plan_counts_what_it_does_and_lists_what_it_skips_with_why() -> None:
    orders = [oa.facts(order(1)), oa.facts(order(2, OrderStatus.TO_SHIP, paid=True)),
              oa.facts(order(3, OrderStatus.SHIPPED, paid=True)), oa.facts(order(4))]
    plan = oa.plan_bulk(oa.CLOSE, orders, {4: [oa.CLOSE]})
    assert [f.id for f in plan.doable] == [1, 2]
    assert [(f.id, why) for f, why in plan.skipped] == [(3, "订单已发货，不能关闭订单（仅限待付款、待发货的订单）"),
                                                        (4, "已在待发送队列中")]
    text = plan.summary()
    assert text.startswith("将对 2 笔订单关闭订单。")
    assert "其中 1 笔已付款，将全额退款" in text and "跳过 2 笔" in text and "SO2611000003：订单已发货" in text
    many = oa.plan_bulk(oa.SUCCESS, [oa.facts(order(i)) for i in range(1, 12)], {})
    assert "……另有 3 笔" in many.summary()  # eight skipped are named, the rest counted


def test_load_facts_reads_cached_rows_in_the_order_asked(cache: Cache) -> None:
    bundles = [OrderBundle(order=order(i, OrderStatus.TO_SHIP if i == 2 else OrderStatus.UNPAID, paid=i == 2),
                           items=(), receiver=None) for i in (1, 2)]
    cache.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
    found = oa.load_facts(cache.read, [2, 99, 1])
    assert [(f.id, f.status, f.is_paid, f.amount_paid, f.admin_remark) for f in found] == [
        (2, OrderStatus.TO_SHIP, True, Decimal("88.00"), "旧备注"), (1, OrderStatus.UNPAID, False, Decimal("88.00"),
                                                                    "旧备注")]
    assert found[1] == oa.facts(order(1))  # the same facts from a row as from the domain order


@pytest.mark.parametrize(("total", "freight", "field", "message"), [
    ("", "", "total", "请填写新的订单总价"),
    ("八十", "", "total", "订单总价必须是数字，例如 88 或 88.50"),
    ("-1", "", "total", "订单总价不能为负数"),
    ("12.345", "", "total", "订单总价最多两位小数（分）"),
    ("8800000", "", "total", "订单总价太大，请检查是否多输了 0"),
    ("50", "abc", "freight", "运费必须是数字，例如 88 或 88.50"),
    ("50", "60", "freight", "运费不能高于订单总价（总价已包含运费）"),
    ("88", "8", "total", "新价格与当前价格相同，无需改价"),
    ("nan", "", "total", "订单总价必须是数字，例如 88 或 88.50"),
])
def test_a_bad_price_names_the_field_and_says_what_to_type(total: str, freight: str, field: str,
                                                           message: str) -> None:
    with pytest.raises(oa.InputError) as caught:
        oa.parse_price(oa.facts(order()), total, freight)
    assert (caught.value.field, caught.value.message) == (field, message)


def test_a_good_price_is_rounded_to_cents_and_an_unchanged_freight_is_not_sent() -> None:
    unpaid = oa.facts(order())
    assert oa.parse_price(unpaid, " ¥1,280.5 ", "8.00") == oa.PriceChange(Decimal("1280.50"), None)
    change = oa.parse_price(unpaid, "80", "0")
    assert change == oa.PriceChange(Decimal("80.00"), Decimal("0.00"))
    assert change.params(1) == {"order_id": 1, "total": "80.00", "freight": "0.00"}


def test_a_remark_is_trimmed_and_kept_within_the_platforms_limit() -> None:
    assert oa.check_remark("  周末送货\n ") == "周末送货"
    with pytest.raises(oa.InputError, match="最多 500 个字，现在 501 个字"):
        oa.check_remark("字" * 501)


def test_waiting_entries_are_described_with_their_new_values(cache: Cache) -> None:
    def entry(action: str, params: dict[str, object]) -> store.OutboxEntry:
        return cache.writer.run_sync(lambda conn: store.record(conn, action, "order:1", params, "小王"))

    assert oa.describe(entry(oa.CHANGE_PRICE, {"order_id": 1, "total": "80.00", "freight": "0.00"})) == \
        "改价为 ¥80.00（运费 ¥0.00）"
    assert oa.describe(entry(oa.CHANGE_PRICE, {"order_id": 1, "total": "1280.50", "freight": None})) == \
        "改价为 ¥1,280.50"
    assert oa.describe(entry(oa.REMARK, {"order_id": 1, "remark": "周末送货"})) == "商家备注改为「周末送货」"
    assert oa.describe(entry(oa.REMARK, {"order_id": 1, "remark": ""})) == "清空商家备注"
    assert oa.describe(entry(oa.CLOSE, {"order_id": 1})) == "关闭订单"
