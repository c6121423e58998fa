"""The scan station's steps: order barcode, then courier label, then a ship plan or a
sentence saying what to do — against a cache of a dozen orders."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.enums import OrderStatus
from app.domain.models import Courier
from app.services.scan_flow import ScanFlow
from app.store import orders as store_orders
from app.store import outbox, resources
from app.store.database import Cache
from tests.unit.test_store import make_bundle

COURIERS = [Courier(101, "SF", "顺丰速运"), Courier(102, "ZTO", "中通快递"), Courier(105, "EMS", "EMS"),
            Courier(109, "YZPY", "邮政快递包裹")]
SF_OK, SF_OTHER = "SF1409876543210", "SF1409876543227"
S10 = "EA123456785CN"  # EMS or China Post: both print S10 numbers
ZTO = "75312345678901"  # all digits: ZTO, STO, Yunda and others share such numbers


def n(i: int) -> str:
    return f"2611{i:010d}"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "c.sqlite")
    bundles = [make_bundle(i) for i in (1, 2, 3, 7, 10)]  # 10: a refund in progress (make_bundle)
    bundles += [make_bundle(4, OrderStatus.SHIPPED), make_bundle(5, pickup=True), make_bundle(6, OrderStatus.UNPAID)]

    def fill(conn: sqlite3.Connection) -> None:
        store_orders.write_bundles(conn, bundles)
        resources.write(conn, COURIERS)
        outbox.record(conn, "order.ship", "order:7", {"order_id": 7, "courier_id": 101,
                                                      "tracking_number": "SF1409876540000"}, "staff")

    c.writer.run_sync(fill)
    yield c
    c.close()


def flow(cache: Cache, default: int | None = None) -> ScanFlow:
    return ScanFlow(cache.read, COURIERS, default_courier_id=default)


def test_order_then_label_ships_with_the_courier_the_number_names(cache: Cache) -> None:
    f = flow(cache)
    assert f.state == "order"
    first = f.scan(f"]C1{n(1)}\r\n")  # a scanner's symbology prefix and line end
    assert first.kind == "order" and first.ok and f.state == "label"
    assert first.order is not None and first.order.number == n(1) and first.order.id == 1
    assert first.order.receiver == "李娜  13800130001" and first.order.address == "浙江省杭州市西湖区文三路1号"
    assert first.zh == f"订单 {n(1)}：请扫描快递面单。"
    done = f.scan(f" {SF_OK.lower()}\n")
    assert done.kind == "ship" and done.ok and done.order is not None and done.order.id == 1
    assert done.plan is not None
    assert done.plan.steps() == [("order.ship", {"order_id": 1, "courier_id": 101, "tracking_number": SF_OK})]
    assert done.zh == f"订单 {n(1)} 以 顺丰速运 {SF_OK} 发货。" and done.text("en").startswith(f"Order {n(1)} ships")
    assert f.state == "order" and f.order is None


def test_unknown_order_and_a_label_first_are_errors_that_say_what_to_scan(cache: Cache) -> None:
    f = flow(cache)
    unknown = f.scan(n(99))
    assert unknown.kind == "error" and not unknown.ok and f.state == "order"
    assert unknown.zh.startswith(f"找不到订单 {n(99)}") and "F5" in unknown.zh
    label = f.scan(SF_OK)
    assert label.kind == "error" and "像是快递单号" in label.zh and "订单条码" in label.zh
    on_order = f.scan("SF0000000000004")  # order 4's parcel: no prefix rule needed to know it
    assert on_order.kind == "error" and "像是快递单号" in on_order.zh
    assert f.scan(" \t\r\n").zh == "没有读到内容。请重新扫描。"
    assert f.state == "order"


@pytest.mark.parametrize(("order", "words"), [
    (4, "已发货（SF0000000000004），不要重复发货"),
    (5, "到店自提订单"),
    (6, "是“待付款”，不能发货"),
    (10, "售后申请"),
    (7, "待发送队列中已有发货"),
])
def test_orders_that_cannot_ship_are_refused(cache: Cache, order: int, words: str) -> None:
    f = flow(cache)
    out = f.scan(n(order))
    assert out.kind == "error" and words in out.zh and out.en
    assert f.state == "order" and f.order is None


def test_another_order_while_waiting_for_a_label_switches_with_a_note(cache: Cache) -> None:
    f = flow(cache)
    f.scan(n(1))
    again = f.scan(n(1))  # the same slip twice: still that order, nothing to note
    assert again.kind == "order" and f.order is not None and f.order.id == 1
    switched = f.scan(n(2))
    assert switched.kind == "switched" and switched.ok
    assert switched.zh == f"已换成订单 {n(2)}（订单 {n(1)} 未发货）。请扫描快递面单。"
    assert f.state == "label" and f.order is not None and f.order.id == 2
    # Switching to an order that cannot ship drops the one waiting: the table has changed.
    refused = f.scan(n(5))
    assert refused.kind == "error" and f.state == "order" and f.order is None


def test_bad_labels_are_refused_and_the_order_keeps_waiting(cache: Cache) -> None:
    f = flow(cache)
    f.scan(n(1))
    short = f.scan("SF14098765432")  # SF and 11 digits: a digit lost
    assert short.kind == "error" and "不是顺丰速运的单号格式" in short.zh and short.zh.endswith("（未发货）")
    assert short.order is not None and short.order.id == 1 and f.state == "label"
    used = f.scan("SF0000000000004")  # order 4's label
    assert used.kind == "error" and f"已用于订单 {n(4)}" in used.zh and f.state == "label"
    assert "“发货…”对话框" in used.zh and "Ship… dialog" in used.en
    assert f.scan("SF1409876543210").kind == "ship"


def test_the_same_label_twice_and_the_same_order_twice_are_refused(cache: Cache) -> None:
    f = flow(cache)
    f.scan(n(1))
    assert f.scan(SF_OK).kind == "ship"
    repeat = f.scan(n(1))  # the cache does not show the shipment yet; the session does
    assert repeat.kind == "error" and "刚刚已扫码发货" in repeat.zh and f.state == "order"
    f.scan(n(2))
    twice = f.scan(SF_OK)
    assert twice.kind == "error" and twice.zh.startswith(f"面单 {SF_OK} 刚刚已用于订单 {n(1)}")
    assert f.state == "label" and f.scan(SF_OTHER).kind == "ship"


def test_all_digit_numbers_need_a_default_courier_of_that_form(cache: Cache) -> None:
    f = flow(cache)
    f.scan(n(1))
    none = f.scan(ZTO)
    assert none.kind == "error" and "无法从单号" in none.zh and "纯数字" in none.zh and "默认快递" in none.zh
    odd = f.scan("QQ12345678")  # letters no courier prints: no word about digits
    assert odd.kind == "error" and odd.zh.startswith("无法从单号 QQ12345678 判断快递公司。")
    f.default_courier_id = 101  # SF: its numbers have a form, and this is not it
    wrong = f.scan(ZTO)
    assert wrong.kind == "error" and "不是默认快递 顺丰速运 的单号格式" in wrong.zh
    f.default_courier_id = 102
    ok = f.scan(ZTO)
    assert ok.kind == "ship" and ok.plan is not None and ok.plan.courier.id == 102


def test_a_number_several_couriers_print_takes_the_default_among_them(cache: Cache) -> None:
    f = flow(cache)
    f.scan(n(1))
    ask = f.scan(S10)
    assert ask.kind == "error" and "EMS、邮政快递包裹" in ask.zh and "再扫一次" in ask.zh
    f.default_courier_id = 101  # not one of them: still ask
    assert f.scan(S10).kind == "error"
    f.default_courier_id = 109
    ok = f.scan(S10)
    assert ok.kind == "ship" and ok.plan is not None and ok.plan.courier.name == "邮政快递包裹"


def test_a_courier_the_platform_does_not_list_is_named(cache: Cache) -> None:
    f = flow(cache)
    f.scan(n(1))
    jt = f.scan("JT1234567890123")
    assert jt.kind == "error" and "平台的快递公司列表中没有极兔速递" in jt.zh and f.state == "label"


def test_reset_and_default_courier(cache: Cache) -> None:
    f = flow(cache, default=102)
    assert f.default_courier() == COURIERS[1]
    f.scan(n(1))
    f.reset()
    assert f.state == "order" and f.order is None
    assert flow(cache, default=999).default_courier() is None


def test_a_shipment_that_did_not_happen_can_be_scanned_again(cache: Cache) -> None:
    f = flow(cache)
    f.scan(n(1))
    sent = f.scan(SF_OK)
    assert sent.plan is not None
    f.forget(sent.plan)  # the platform refused it
    assert f.scan(n(1)).kind == "order" and f.scan(SF_OK).kind == "ship"
