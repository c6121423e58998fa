"""The practice platform's business rules, called directly (no HTTP)."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

from app.sandbox.db import connect
from app.sandbox.ops import OpError
from app.sandbox.ops import orders as O
from app.sandbox.ops import refunds as R
from app.sandbox.ops import shop as S
from app.sandbox.ops import vouchers as V
from app.sandbox.ops import wallet as W
from app.sandbox.seed import SeedOptions, seed_shop
from app.sandbox.simulate import step


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    c = connect(tmp_path / "shop.db")
    seed_shop(c, SeedOptions(seed=3, orders=300))
    return c


def _first(conn: sqlite3.Connection, where: str) -> dict:
    row = conn.execute(f"SELECT * FROM orders WHERE {where} ORDER BY id DESC LIMIT 1").fetchone()
    assert row is not None, where
    return dict(row)


def test_ship_moves_status_writes_log_and_parcel(conn: sqlite3.Connection) -> None:
    order = _first(conn, "status = 1 AND is_need_logistics = 1 AND refund_status = 0")
    O.ship(conn, order["id"], 1, " SF1234567890123 ")
    after = O.detail(conn, order["id"])
    assert after["order"]["status"] == 2
    assert after["order"]["date_update"] >= order["date_update"]
    assert after["parcels"][-1]["tracking_number"] == "SF1234567890123"
    assert after["logs"][-1]["type_str"] == "发货"
    assert all(g["number_no_fahuo"] == 0 for g in after["goods"])
    with pytest.raises(OpError) as err:
        O.ship(conn, order["id"], 1, "SF1234567890124")
    assert err.value.kind == OpError.CONFLICT


def test_partial_shipment_keeps_status_until_all_shipped(conn: sqlite3.Connection) -> None:
    order_id = S.create_order(conn, 1, [{"goodsId": 1, "number": 2}, {"goodsId": 2, "number": 1}], None)["id"]
    O.pay_offline(conn, order_id)
    goods = O.detail(conn, order_id)["goods"]
    O.ship(conn, order_id, 2, "75312345678901", [(goods[0]["id"], 1)])
    assert O.get_order(conn, order_id)["status"] == 1
    with pytest.raises(OpError):
        O.ship(conn, order_id, 2, "75312345678902", [(goods[0]["id"], 5)])
    O.ship(conn, order_id, 2, "75312345678903")
    assert O.get_order(conn, order_id)["status"] == 2
    assert len(O.detail(conn, order_id)["parcels"]) == 2


def test_refund_to_balance_writes_cash_log(conn: sqlite3.Connection) -> None:
    order = _first(conn, "status = 3 AND amount_refund_total = 0")
    before = W.assets(conn, order["uid"])["balance"]
    O.refund(conn, order["id"], 500, 0, None, "少发一件")
    assert W.assets(conn, order["uid"])["balance"] == before + 500
    log = conn.execute("SELECT * FROM ledger WHERE uid = ? AND kind = 'balance' ORDER BY id DESC LIMIT 1",
                       (order["uid"],)).fetchone()
    assert (log["type"], log["amount"], log["order_id"], log["balance_after"]) == (3, 500, order["id"], before + 500)
    with pytest.raises(OpError):  # more than is left to refund
        O.refund(conn, order["id"], order["amount_real"], 0, None, "")


def test_pay_from_balance_needs_enough(conn: sqlite3.Connection) -> None:
    order_id = S.create_order(conn, 2, [{"goodsId": 10, "number": 1}], None)["id"]
    uid, total = 2, O.get_order(conn, order_id)["amount_real"]
    conn.execute("UPDATE assets SET balance = ? WHERE uid = ?", (total - 1, uid))
    with pytest.raises(OpError) as err:
        O.pay_balance(conn, order_id)
    assert err.value.kind == OpError.INSUFFICIENT and err.value.data == 1
    assert O.get_order(conn, order_id)["status"] == 0  # nothing half-done
    conn.execute("UPDATE assets SET balance = ? WHERE uid = ?", (total, uid))
    O.pay_balance(conn, order_id)
    assert O.get_order(conn, order_id)["status"] == 1 and W.assets(conn, uid)["balance"] == 0


def test_refund_application_lifecycle(conn: sqlite3.Connection) -> None:
    order = _first(conn, "status = 2 AND refund_status = 0")
    apply_id = R.apply(conn, order["uid"], order["id"], None, 1, 1, "质量问题", 100, None, "", ["a.png"])
    with pytest.raises(OpError) as err:
        R.apply(conn, order["uid"], order["id"], None, 1, 1, "质量问题", 100, None, "", [])
    assert err.value.kind == OpError.DUPLICATE_REFUND
    assert O.get_order(conn, order["id"])["refund_status"] == 2
    with pytest.raises(OpError):  # a refused-then-reopened order cannot be shipped twice
        O.ship(conn, order["id"], 1, "SF0000000000000")
    R.set_processing(conn, order["id"], apply_id)
    with pytest.raises(OpError):  # the buyer has not sent the goods back yet
        R.complete(conn, order["id"], apply_id)
    R.set_back_logistics(conn, order["uid"], order["id"], apply_id, "顺丰速运", "SF1111111111111")
    R.complete(conn, order["id"], apply_id)
    after = O.get_order(conn, order["id"])
    assert after["refund_status"] == 3 and after["amount_refund_total"] == 100
    assert R.get_apply(conn, apply_id)["status"] == 4
    with pytest.raises(OpError):
        R.refuse(conn, order["id"], apply_id, "太晚了")


def test_refuse_needs_reason(conn: sqlite3.Connection) -> None:
    order = _first(conn, "status = 1 AND refund_status = 0")
    apply_id = R.apply(conn, order["uid"], order["id"], None, 0, 0, "不想要了", 100, None, "", [])
    with pytest.raises(OpError):
        R.refuse(conn, order["id"], apply_id, "  ")
    R.refuse(conn, order["id"], apply_id, "已发货")
    assert O.get_order(conn, order["id"])["refund_status"] == 1


def test_withdrawal_freezes_then_pays_or_returns(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE assets SET balance = 10000 WHERE uid = 5")
    wid = W.request_withdrawal(conn, 5, 3000, "bank", "张三", "6222000011112222", "招商银行")
    a = W.assets(conn, 5)
    assert a["balance"] == 7000
    frozen = a["frozen"]
    W.refuse_withdrawal(conn, wid, "卡号有误")
    a = W.assets(conn, 5)
    assert a["balance"] == 10000 and a["frozen"] == frozen - 3000
    wid = W.request_withdrawal(conn, 5, 2000, "wechat")
    W.approve_withdrawal(conn, wid)
    with pytest.raises(OpError):
        W.approve_withdrawal(conn, wid)
    assert W.assets(conn, 5)["balance"] == 8000


def test_vouchers_issue_void_redeem(conn: sqlite3.Connection) -> None:
    v = V.issue_voucher(conn, 3, "咖啡兑换券", 30)
    assert V.redeem_voucher(conn, code=v["code"])["status"] == 1
    with pytest.raises(OpError):
        V.redeem_voucher(conn, code=v["code"])
    w = V.issue_voucher(conn, 3, "蛋糕提货券", 30)
    V.void_voucher(conn, w["id"])
    with pytest.raises(OpError) as err:
        V.redeem_voucher(conn, voucher_id=w["id"])
    assert "作废" in err.value.msg


def test_close_paid_order_refunds_it(conn: sqlite3.Connection) -> None:
    order = _first(conn, "status = 1 AND refund_status = 0 AND pay_gate = 'WXPAY'")
    O.close(conn, order["id"])
    after = O.get_order(conn, order["id"])
    assert after["status"] == -1 and after["amount_refund_total"] == after["amount_real"]


def test_change_price_only_unpaid(conn: sqlite3.Connection) -> None:
    order = S.create_order(conn, 4, [{"goodsId": 3, "number": 1}], None)
    O.change_price(conn, order["id"], 1234, 0)
    assert O.get_order(conn, order["id"])["amount_real"] == 1234
    paid = _first(conn, "status = 1")
    with pytest.raises(OpError):
        O.change_price(conn, paid["id"], 1, None)


def test_simulated_customers_act_by_the_rules(conn: sqlite3.Connection) -> None:
    rng = random.Random(1)
    before = conn.execute("SELECT MAX(id) FROM orders").fetchone()[0]
    done = [step_ for step_ in (step(_State(conn), rng) for _ in range(300)) if step_]
    assert {"order", "pay", "receive"} <= set(done)
    assert conn.execute("SELECT MAX(id) FROM orders").fetchone()[0] > before
    parcels = conn.execute("SELECT goods FROM parcels ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert isinstance(json.loads(parcels), list)


class _State:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn


def test_order_counts_stay_cached_across_bookkeeping_but_not_across_shop_writes(conn: sqlite3.Connection) -> None:
    from app.sandbox.ops import bookkeeping, rows

    def counted() -> int:
        return O.list_orders(conn, {"status": 1}, 1, 10)[1]

    before = counted()
    conn.execute("DELETE FROM orders WHERE id = (SELECT MAX(id) FROM orders WHERE status = 1)")
    # A raw delete bypasses the ops, so the count must notice it only through the change counter.
    assert counted() == before - 1
    with bookkeeping(conn):
        conn.execute("INSERT OR REPLACE INTO nonces (nonce, seen) VALUES ('n1234567890123456', 1)")
    ran: list[str] = []
    conn.set_trace_callback(ran.append)
    assert counted() == before - 1
    conn.set_trace_callback(None)
    assert not [sql for sql in ran if "COUNT(*)" in sql]  # answered from the cache
    conn.execute("UPDATE orders SET status = 1 WHERE id = (SELECT MIN(id) FROM orders WHERE status = 4)")
    assert counted() == before
    # rows() gives the same dicts sqlite3.Row did, repeated column names included.
    sql = "SELECT id, status, id AS ID FROM orders ORDER BY id LIMIT 3"
    assert rows(conn, sql) == [dict(r) for r in conn.execute(sql)]


def test_a_snapshot_lists_the_same_pages_as_the_bound_does(conn: sqlite3.Connection) -> None:
    """Orders placed by a time, newest first (a first sync's snapshot), with orders placed
    since: every page is the one the bound gives in SQL, past the newer orders."""
    from app.sandbox.ops import window

    orders = conn.execute("SELECT id, date_add FROM orders ORDER BY id DESC").fetchall()
    for newer in (0, 7, len(orders) - 3, len(orders)):  # none, a few, nearly all, all placed since
        by = orders[newer][1] if newer < len(orders) else "2000-01-01 00:00:00"
        clause, args = O.order_where({"date_add_end": by})
        total = conn.execute(f"SELECT COUNT(*) FROM orders{clause}", args).fetchone()[0]
        for page_no in range(1, total // 10 + 3):
            page, listed_total = O.list_orders(conn, {"date_add_end": by}, page_no, 10)
            assert listed_total == total
            assert [o["id"] for o in page] == [o["id"] for o in window(conn, "orders", clause, args, "id DESC",
                                                                       page_no, 10)]
        first, _ = O.list_orders(conn, {"date_add_end": by}, 1, 10)
        assert all(o["date_add"] <= by for o in first) and (newer == len(orders) or first)
