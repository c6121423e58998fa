"""The practice shop: deterministic, believable, consistent."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from app.domain.couriers import COURIERS
from app.domain.regions import regions
from app.sandbox.db import connect
from app.sandbox.seed import SeedOptions, seed_shop

NOW = datetime(2026, 11, 25, 10, 0, 0)


def _shop(path: Path, seed: int = 7, orders: int = 600) -> sqlite3.Connection:
    conn = connect(path)
    seed_shop(conn, SeedOptions(seed=seed, orders=orders, now=NOW))
    return conn


def _dump(conn: sqlite3.Connection, table: str) -> list[tuple]:
    return [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY id")]


def test_same_seed_same_shop(tmp_path: Path) -> None:
    a, b = _shop(tmp_path / "a.db"), _shop(tmp_path / "b.db")
    for table in ("orders", "order_goods", "parcels", "users", "refund_applies", "ledger", "vouchers"):
        assert _dump(a, table) == _dump(b, table), table


def test_other_seed_other_shop(tmp_path: Path) -> None:
    a, b = _shop(tmp_path / "a.db", seed=1), _shop(tmp_path / "b.db", seed=2)
    assert _dump(a, "orders") != _dump(b, "orders")


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    return _shop(tmp_path_factory.mktemp("seed") / "shop.db", orders=2000)


def test_every_status_and_refund_kind_is_present(shop: sqlite3.Connection) -> None:
    statuses = {r[0] for r in shop.execute("SELECT DISTINCT status FROM orders")}
    assert statuses == {-1, 0, 1, 2, 3, 4}
    assert {r[0] for r in shop.execute("SELECT DISTINCT type FROM refund_applies")} == {0, 1, 2}
    assert {r[0] for r in shop.execute("SELECT DISTINCT status FROM refund_applies")} >= {0, 1, 2, 4}
    assert shop.execute("SELECT COUNT(*) FROM orders WHERE is_need_logistics = 0").fetchone()[0] > 50
    multi = shop.execute("SELECT COUNT(*) FROM (SELECT order_id FROM parcels GROUP BY order_id HAVING COUNT(*) > 1)")
    assert multi.fetchone()[0] > 0


def test_orders_are_consistent(shop: sqlite3.Connection) -> None:
    bad_amounts = shop.execute(
        "SELECT COUNT(*) FROM orders o WHERE amount != (SELECT SUM(amount) FROM order_goods g WHERE g.order_id = o.id)"
        " OR amount_real != amount + amount_logistics - amount_coupons").fetchone()[0]
    assert bad_amounts == 0
    # shipped orders have parcels with tracking numbers in their courier's format; unpaid ones none
    assert shop.execute("SELECT COUNT(*) FROM orders WHERE status IN (2, 3, 4) AND is_need_logistics = 1 AND id NOT IN "
                        "(SELECT order_id FROM parcels)").fetchone()[0] == 0
    assert shop.execute("SELECT COUNT(*) FROM parcels p JOIN orders o ON o.id = p.order_id WHERE o.status IN (0, 1)"
                        ).fetchone()[0] == 0
    by_id = {c.id: c for c in COURIERS}
    for courier_id, number in shop.execute("SELECT courier_id, tracking_number FROM parcels LIMIT 500"):
        assert by_id[courier_id].matches(number), (courier_id, number)
    # updated is never before created, and everything is in the past
    assert shop.execute("SELECT COUNT(*) FROM orders WHERE date_update < date_add OR date_update > ?",
                        (NOW.isoformat(" "),)).fetchone()[0] == 0


def test_addresses_use_real_region_codes(shop: sqlite3.Connection) -> None:
    table = regions()
    for p, c, d in shop.execute("SELECT province_id, city_id, district_id FROM orders WHERE link_man != '' LIMIT 300"):
        assert len(d) == 12 and table.is_valid_path(p, c, d), (p, c, d)


def test_ledgers_add_up(shop: sqlite3.Connection) -> None:
    """Each user's balance equals the sum of their balance log, and the last log line's balance."""
    mismatches = shop.execute(
        "SELECT COUNT(*) FROM assets a WHERE a.balance != COALESCE((SELECT SUM(CASE behavior WHEN 0 THEN amount "
        "ELSE -amount END) FROM ledger l WHERE l.uid = a.uid AND l.kind = 'balance'), 0)").fetchone()[0]
    assert mismatches == 0
    assert shop.execute("SELECT COUNT(*) FROM assets WHERE balance < 0 OR frozen < 0 OR points < 0").fetchone()[0] == 0
    pending = shop.execute("SELECT COALESCE(SUM(amount), 0) FROM withdrawals WHERE status IN (0, 3)").fetchone()[0]
    assert shop.execute("SELECT SUM(frozen) FROM assets").fetchone()[0] == pending


def test_chinese_content(shop: sqlite3.Connection) -> None:
    name = shop.execute("SELECT link_man FROM orders WHERE link_man != '' LIMIT 1").fetchone()[0]
    assert all("\u4e00" <= ch <= "\u9fff" for ch in name)
    assert shop.execute("SELECT COUNT(*) FROM cms_pages WHERE key IN ('aboutUs', 'terms')").fetchone()[0] == 2


def test_nothing_happens_after_now_even_in_a_busy_last_day(tmp_path: Path) -> None:
    """A sync cursor follows the newest update: one stamped in the future would hide changes."""
    conn = connect(tmp_path / "busy.db")
    seed_shop(conn, SeedOptions(seed=4, orders=3000, days=1, now=NOW))
    now = NOW.isoformat(" ")
    for table, columns in (("orders", ("date_add", "date_pay", "date_ship", "date_close", "date_success",
                                       "date_update")),
                           ("order_logs", ("date_add",)), ("parcels", ("date_add",)), ("ledger", ("date_add",)),
                           ("refund_applies", ("date_add", "date_update")), ("withdrawals", ("date_update",)),
                           ("vouchers", ("date_update",)), ("user_coupons", ("date_update",))):
        for column in columns:
            late = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} > ?", (now,)).fetchone()[0]
            assert late == 0, f"{table}.{column}: {late} rows after now"

