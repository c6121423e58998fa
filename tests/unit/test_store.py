"""The cache file, its migrations, its writer thread, and the order queries."""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.enums import OrderRefundState, OrderStatus
from app.domain.models import Order, OrderBundle, OrderItem, Parcel, Receiver
from app.store import migrations, queries
from app.store import orders as store_orders
from app.store.codec import dumps, loads
from app.store.database import Cache, CacheError
from app.store.queries import OrderFilter, OrderTab
from tests.unit.legacy_writes import one_text, write_bundles_before_v8

NAMES = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊"]
GOODS = ["赣南脐橙 5斤装", "五常大米 10kg", "阳澄湖大闸蟹礼盒", "西湖龙井 明前"]


def make_bundle(i: int, status: OrderStatus = OrderStatus.TO_SHIP, pickup: bool = False) -> OrderBundle:
    created = datetime(2026, 11, 1) + timedelta(minutes=i)
    order = Order(id=i, number=f"2611{i:010d}", uid=i % 7 + 1, status=status, amount_goods=Decimal("10.00") + i,
                  amount_freight=Decimal("8.00"), amount_discount=Decimal("0.00"), amount_paid=Decimal("18.00") + i,
                  amount_refunded=Decimal("0.00"), goods_count=1,
                  refund_state=OrderRefundState.PROCESSING if i % 10 == 0 else OrderRefundState.NONE,
                  needs_delivery=not pickup, is_paid=status >= 1, pickup_code="", buyer_remark="易碎品请轻放" if i % 5 == 0 else "",
                  admin_remark="", created_at=created, updated_at=created)
    items = (OrderItem(id=i * 10, order_id=i, goods_id=1, sku_id=1, name=GOODS[i % len(GOODS)], pic="", property="",
                       quantity=1, quantity_unshipped=1, unit_price=Decimal("10.00"), amount=Decimal("10.00")),)
    receiver = Receiver(NAMES[i % len(NAMES)] + ("芳" if i % 3 == 0 else ""), f"1380013{i:04d}", "330000000000", "浙江省",
                        "330100000000", "杭州市", "330106000000", "西湖区", f"文三路{i}号")
    parcels = ((Parcel(id=i, order_id=i, courier_id=1 + i % 3, courier_name="顺丰速运", tracking_number=f"SF{i:013d}",
                       items=(), shipped_at=created),) if status >= 2 else ())
    return OrderBundle(order=order, items=items, receiver=None if pickup else receiver, parcels=parcels)


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    c = Cache(tmp_path / "acct" / "cache.sqlite")
    yield c
    c.close()


def test_file_is_private_and_versioned(cache: Cache) -> None:
    if os.name == "posix":
        assert stat.S_IMODE(cache.path.stat().st_mode) == 0o600
    assert cache.read.execute("PRAGMA user_version").fetchone()[0] == migrations.MIGRATIONS[-1][0]
    assert cache.read.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_migration_backs_up_first_and_refuses_newer_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite"
    Cache(path).close()
    newest = migrations.MIGRATIONS[-1][0]
    extra = (newest + 1, "test step", ["CREATE TABLE later_thing (id INTEGER PRIMARY KEY)"])
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, extra])
    monkeypatch.setattr("app.store.database.MIGRATIONS", migrations.MIGRATIONS)
    c = Cache(path)
    assert c.migrated_from == newest
    assert (tmp_path / f"cache.sqlite.v{newest}.bak").exists()
    c.read.execute("SELECT * FROM later_thing").fetchall()
    c.close()
    monkeypatch.setattr("app.store.database.MIGRATIONS", migrations.MIGRATIONS[:-1])
    with pytest.raises(CacheError, match="newer"):
        Cache(path)


def test_writer_runs_each_job_in_one_transaction(cache: Cache) -> None:
    cache.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [make_bundle(1)]))

    def half_then_fail(conn: sqlite3.Connection) -> None:
        store_orders.write_bundles(conn, [make_bundle(2)])
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cache.writer.run_sync(half_then_fail)
    ids = [r[0] for r in cache.read.execute("SELECT id FROM orders")]
    assert ids == [1]  # the failed job left nothing behind


def test_codec_round_trips_every_field() -> None:
    b = make_bundle(30, OrderStatus.SHIPPED)
    assert loads(OrderBundle, dumps(b)) == b


@pytest.fixture
def filled(cache: Cache) -> Cache:
    bundles = [make_bundle(i, status=[OrderStatus.UNPAID, OrderStatus.TO_SHIP, OrderStatus.SHIPPED,
                                      OrderStatus.DONE, OrderStatus.CLOSED][i % 5], pickup=i % 11 == 0)
               for i in range(1, 301)]
    cache.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
    return cache


def test_upsert_replaces_items_parcels_and_search_doc(filled: Cache) -> None:
    b = make_bundle(2, OrderStatus.SHIPPED)
    changed = replace(b, order=replace(b.order, admin_remark="加急处理"))
    filled.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [changed]))
    assert store_orders.bundle(filled.read, 2) == changed
    assert filled.read.execute("SELECT COUNT(*) FROM parcels WHERE order_id = 2").fetchone()[0] == 1
    assert [r["id"] for r in queries.search(filled.read, "加急处理")] == [2]
    calmer = replace(b, order=replace(b.order, admin_remark="周末再发"))
    filled.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [calmer]))
    assert queries.search(filled.read, "加急处理") == []  # the old text left the index
    assert [r["id"] for r in queries.search(filled.read, "周末再发")] == [2]
    assert filled.read.execute("SELECT COUNT(*) FROM order_search_fts_docsize").fetchone()[0] == 300


def test_tab_counts_match_filters(filled: Cache) -> None:
    counts = queries.tab_counts(filled.read)
    assert counts[OrderTab.ALL] == 300
    for tab in OrderTab:
        assert counts[tab] == queries.count(filled.read, OrderFilter(tab=tab)), tab
    assert counts[OrderTab.TO_SHIP] == 60 and counts[OrderTab.AFTER_SALE] == 30


def test_tab_counts_under_a_date_range_read_only_the_index(filled: Cache) -> None:
    week = OrderFilter(created_from=datetime(2026, 11, 1, 2), created_to=datetime(2026, 11, 1, 4))
    counts = queries.tab_counts(filled.read, week)
    for tab in OrderTab:
        assert counts[tab] == queries.count(filled.read, replace(week, tab=tab)), tab
    assert counts[OrderTab.ALL] == 121  # both ends included
    plans: list[str] = []
    execute = filled.read.execute

    class Spy:  # the plan of the query tab_counts really runs
        def execute(self, sql: str, args: object = ()) -> object:
            if "GROUP BY" in sql:
                plans.extend(r[3] for r in execute(f"EXPLAIN QUERY PLAN {sql}", args))
            return execute(sql, args)

    queries.tab_counts(Spy(), week)  # type: ignore[arg-type]
    assert any("COVERING INDEX idx_orders_created_at_status_refund_state" in p for p in plans), plans


def test_windows_are_stable_and_complete(filled: Cache) -> None:
    flt = OrderFilter(tab=OrderTab.ALL)
    for sort in queries.SORTS:
        seen = []
        for offset in range(0, 300, 64):
            seen += queries.window_ids(filled.read, flt, sort, offset, 64)
        assert sorted(seen) == list(range(1, 301)), sort
        assert seen == queries.window_ids(filled.read, flt, sort, 0, 300), sort
    newest = queries.window(filled.read, flt, "created_desc", 0, 3)
    assert [r["id"] for r in newest] == [300, 299, 298]


def test_search_matches_chinese_substrings_numbers_and_short_text(filled: Cache) -> None:
    conn = filled.read
    assert {r["id"] for r in queries.search(conn, "大闸蟹", 500)} == {i for i in range(1, 301) if i % 4 == 2}
    assert [r["id"] for r in queries.search(conn, "SF0000000000042")] == [42]
    assert [r["id"] for r in queries.search(conn, "13800130123")] == [123]
    short = {r["id"] for r in queries.search(conn, "王伟", 500)}  # 2 characters: LIKE fallback
    assert short == {i for i in range(1, 301) if i % 6 == 0 and i % 11 != 0}
    assert queries.search(conn, 'a"b OR c*') == []  # no FTS syntax errors from user text
    assert {r["id"] for r in queries.search(conn, "文三路7号 易碎")} == {r["id"] for r in queries.search(conn, "文三路7号")
                                                                      if r["buyer_remark"]}


def test_filters_combine(filled: Cache) -> None:
    conn = filled.read
    pickup = queries.window(conn, OrderFilter(pickup=True), "created_desc", 0, 500)
    assert pickup and all(r["needs_delivery"] == 0 for r in pickup)
    courier = {r["id"] for r in queries.window(conn, OrderFilter(courier_id=2), "created_desc", 0, 500)}
    assert courier and all(i % 3 == 1 for i in courier)
    day = OrderFilter(created_from=datetime(2026, 11, 1, 1, 0), created_to=datetime(2026, 11, 1, 1, 59, 59))
    assert queries.count(conn, day) == 60


def test_tab_counters_follow_inserts_status_changes_and_deletes(filled: Cache) -> None:
    def counted() -> dict[OrderTab, int]:
        flt_counts = {}
        for tab in OrderTab:
            where, args = OrderFilter(tab=tab).where()
            flt_counts[tab] = filled.read.execute(f"SELECT COUNT(*) FROM orders WHERE {where}", args).fetchone()[0]
        return flt_counts

    assert queries.tab_counts(filled.read) == counted()
    b = make_bundle(2, OrderStatus.SHIPPED)  # was unpaid-or-other, now shipped and after-sale
    moved = replace(b, order=replace(b.order, refund_state=OrderRefundState.PROCESSING))
    filled.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [moved, make_bundle(301)]))
    filled.writer.run_sync(lambda conn: conn.execute("DELETE FROM orders WHERE id = 7"))
    assert queries.tab_counts(filled.read) == counted()
    with_base = queries.tab_counts(filled.read, OrderFilter(pickup=True))
    assert with_base[OrderTab.ALL] == queries.count(filled.read, OrderFilter(pickup=True))


def test_a_view_gives_the_same_rows_as_sql_at_any_offset(filled: Cache) -> None:
    for flt in (OrderFilter(), OrderFilter(tab=OrderTab.SHIPPED), OrderFilter(text="大闸蟹")):
        for sort in queries.SORTS:
            view = queries.OrderView(filled.read, flt, sort)
            assert len(view) == queries.count(filled.read, flt)
            for offset in (0, 37, max(len(view) - 5, 0)):
                assert [r["id"] for r in view.window(offset, 20)] == \
                    [r["id"] for r in queries.window(filled.read, flt, sort, offset, 20)], (flt, sort, offset)
    view = queries.OrderView(filled.read, OrderFilter(), "paid_desc")
    assert view.position(view.ids[42]) == 42 and view.position(99999) is None


def test_two_character_searches_use_the_gram_index(filled: Cache) -> None:
    conn = filled.read
    expected = {i for i in range(1, 301) if i % 6 == 0 and i % 11 != 0}  # receivers named 王伟 / 王伟芳
    assert {r["id"] for r in queries.search(conn, "王伟", 500)} == expected
    assert {r["id"] for r in queries.search(conn, "伟芳", 500)} == {i for i in expected if i % 3 == 0}
    assert {r["id"] for r in queries.search(conn, "闸蟹", 500)} == {i for i in range(1, 301) if i % 4 == 2}
    terms = queries.split_terms("王伟 大闸蟹 7 SF")
    assert terms == queries.Terms(long=("大闸蟹",), pairs=("王伟",), like=("7", "SF"))
    mixed = {r["id"] for r in queries.search(conn, "王伟 大闸蟹", 500)}
    assert mixed == {i for i in expected if i % 4 == 2}
    one_char = {r["id"] for r in queries.search(conn, "芳", 500)}  # LIKE fallback still works
    assert one_char == {i for i in range(1, 301) if i % 3 == 0 and i % 11 != 0}


def test_search_is_newest_first_and_stable(filled: Cache) -> None:
    ids = [r["id"] for r in queries.search(filled.read, "浙江省", 30)]
    assert ids == sorted(ids, reverse=True) and ids[0] == 300
    assert ids == [r["id"] for r in queries.search(filled.read, "浙江省", 30)]


SEARCHES = ("大闸蟹", "SF0000000000042", "13800130123", "王伟", "伟芳", "王伟 大闸蟹", "芳", "文三路7号 易碎", "浙江省")


def _answers(conn: sqlite3.Connection) -> dict[str, list[int]]:
    return {text: [r["id"] for r in queries.search(conn, text, 500)] for text in SEARCHES} | {
        f"count:{text}": [queries.count(conn, OrderFilter(text=text))] for text in SEARCHES}


def test_a_bulk_load_answers_the_same_and_its_indexes_catch_up(filled: Cache) -> None:
    from app.store import bulk_load

    def indexes() -> dict[str, str]:
        return dict(filled.read.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))

    indexed, before = _answers(filled.read), indexes()
    filled.writer.run_sync(bulk_load.start)
    assert bulk_load.active(filled.read)
    assert set(before) - set(indexes()) == set(bulk_load.DEFERRED_INDEXES)
    assert _answers(filled.read) == indexed  # read from the documents while the index waits
    # Written while deferred: invisible to the index until the rebuild, found all along.
    changed = replace(make_bundle(42), order=replace(make_bundle(42).order, admin_remark="加急改地址"))
    filled.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [changed, make_bundle(301)]))
    assert [r["id"] for r in queries.search(filled.read, "加急改地址")] == [42]
    stale = filled.read.execute("SELECT COUNT(*) FROM order_search_fts WHERE order_search_fts MATCH '\"加急改地址\"'")
    assert stale.fetchone()[0] == 0
    filled.writer.run_sync(bulk_load.finish)
    assert not bulk_load.active(filled.read)
    assert indexes() == before  # every index back, as it was declared
    assert [r["id"] for r in queries.search(filled.read, "加急改地址")] == [42]
    assert 301 in [r["id"] for r in queries.search(filled.read, "浙江省", 5)]
    filled.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [make_bundle(42)]))  # kept row by row again
    assert queries.search(filled.read, "加急改地址") == []


def test_a_version_1_cache_migrates_with_its_orders_searchable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite"
    monkeypatch.setattr("app.store.database.MIGRATIONS", migrations.MIGRATIONS[:1])
    old = Cache(path)
    bundles = [make_bundle(i, pickup=i % 11 == 0) for i in range(1, 50)]

    def write_as_version_1(conn: sqlite3.Connection) -> None:
        # Version 1 kept 30 columns and the order with its receiver as JSON in order_data.
        columns = store_orders.ORDER_COLUMNS.split(",")[:30]
        for b in bundles:
            conn.execute(f"INSERT INTO orders ({','.join(columns)}) VALUES ({','.join('?' * 30)})",
                         store_orders.order_row(b)[:30])
            conn.execute("INSERT INTO order_data VALUES (?, ?)",
                         (b.order.id, dumps({"order": b.order, "receiver": b.receiver})))
            conn.execute("INSERT INTO order_search (id, doc) VALUES (?, ?)",
                         (b.order.id, one_text(store_orders.search_doc(b))))
            conn.executemany("INSERT INTO parcels VALUES (?,?,?,?,?,?,?,?)", [
                (p.id, p.order_id, p.courier_id, p.courier_name, p.tracking_number, str(p.shipped_at), "[]", "[]")
                for p in b.parcels])
            conn.executemany("INSERT INTO order_items VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [
                (i.id, i.order_id, i.goods_id, i.sku_id, i.name, i.pic, i.property, i.quantity, i.quantity_unshipped,
                 1000, 1000, i.after_sale) for i in b.items])

    old.writer.run_sync(write_as_version_1)
    old.close()
    monkeypatch.setattr("app.store.database.MIGRATIONS", migrations.MIGRATIONS)
    c = Cache(path)
    try:
        assert c.migrated_from == 1
        for b in bundles:  # the same record comes back, receiver ids and all
            assert store_orders.bundle(c.read, b.order.id) == b
        assert store_orders.bundle(c.read, 11).receiver is None
        assert {r["id"] for r in queries.search(c.read, "大闸蟹", 500)} == {i for i in range(1, 50) if i % 4 == 2}
        c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [make_bundle(50)]))
        assert [r["id"] for r in queries.search(c.read, "13800130050")] == [50]
    finally:
        c.close()


def _index_is_exact(cache: Cache) -> None:
    for fts in ("order_search_fts", "order_grams_fts"):  # the index says exactly what its documents say
        cache.writer.run_sync(lambda c, fts=fts: c.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)"))


def test_documents_indexed_during_a_bulk_load_follow_later_changes(filled: Cache) -> None:
    from app.store import bulk_load

    def remark(i: int, text: str) -> OrderBundle:
        return replace(make_bundle(i), order=replace(make_bundle(i).order, admin_remark=text))

    filled.writer.run_sync(bulk_load.start)
    for _ in range(2):  # the same order twice before a flush: queued once
        filled.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [remark(42, "第一次备注"), make_bundle(301)]))
    assert filled.writer.run_sync(bulk_load.flush) == 2  # into the index while the load goes on
    assert filled.read.execute("SELECT COUNT(*) FROM order_search_queue").fetchone()[0] == 0
    # Changed again after its flush, and one order written before the load removed: the
    # index lets go of the old text at once, and takes the new at the next flush.
    filled.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [remark(42, "第二次备注")]))
    filled.writer.run_sync(lambda conn: conn.execute("DELETE FROM order_search WHERE id = 7"))
    stale = "SELECT COUNT(*) FROM order_search_fts WHERE order_search_fts MATCH ?"
    assert filled.read.execute(stale, ('"第一次备注"',)).fetchone()[0] == 0
    assert [r[0] for r in filled.read.execute("SELECT id FROM order_search_queue")] == [42]
    filled.writer.run_sync(bulk_load.finish)
    assert [r["id"] for r in queries.search(filled.read, "第二次备注")] == [42]
    assert queries.search(filled.read, "第一次备注") == []
    assert 301 in [r["id"] for r in queries.search(filled.read, "浙江省", 5)]
    _index_is_exact(filled)


def test_a_version_3_cache_caught_in_a_bulk_load_indexes_everything_after_migrating(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.store import bulk_load

    path = tmp_path / "cache.sqlite"
    monkeypatch.setattr("app.store.database.MIGRATIONS", migrations.MIGRATIONS[:3])
    old = Cache(path)
    old.writer.run_sync(lambda conn: write_bundles_before_v8(conn, [make_bundle(i) for i in range(1, 20)]))
    # Version 3's bulk load: triggers stand aside, the index is rebuilt at the end. (Its
    # writes knew nothing of the queue of version 4 or the counting of version 7.)
    old.writer.run_sync(lambda conn: conn.execute("UPDATE search_index SET deferred = 1"))
    changed = replace(make_bundle(5), order=replace(make_bundle(5).order, admin_remark="迁移前改过"))
    with monkeypatch.context() as version_3:
        version_3.setattr(bulk_load, "active", lambda conn: False)
        old.writer.run_sync(lambda conn: write_bundles_before_v8(conn, [changed, make_bundle(20)]))
    old.close()
    monkeypatch.setattr("app.store.database.MIGRATIONS", migrations.MIGRATIONS)
    c = Cache(path)
    try:
        assert bulk_load.active(c.read)
        assert c.read.execute("SELECT COUNT(*) FROM order_search_queue").fetchone()[0] == 20
        c.writer.run_sync(bulk_load.finish)
        assert [r["id"] for r in queries.search(c.read, "迁移前改过")] == [5]
        assert [r["id"] for r in queries.search(c.read, "13800130020")] == [20]
        _index_is_exact(c)
    finally:
        c.close()
