"""While a bulk load runs, ``orders.apply`` keeps the tab counters and queues new documents
per page (schema version 7) where triggers did it row by row: the same counts and the same
search answers, during the load, after it, and in a cache migrated in the middle of one."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.enums import OrderRefundState, OrderStatus
from app.store import bulk_load, migrations, queries
from app.store import orders as store_orders
from app.store.database import Cache
from tests.unit.legacy_writes import flush_before_v8, write_bundles_before_v8
from tests.unit.test_store import make_bundle


def counters(conn: sqlite3.Connection) -> dict[tuple[int, int], int]:
    return {(r[0], r[1]): r[2] for r in conn.execute("SELECT status, refund_state, n FROM order_counts") if r[2]}


def counted(conn: sqlite3.Connection) -> dict[tuple[int, int], int]:
    return {(r[0], r[1]): r[2] for r in conn.execute(
        "SELECT status, refund_state, COUNT(*) FROM orders GROUP BY status, refund_state")}


def index_is_exact(cache: Cache) -> None:
    for fts in ("order_search_fts", "order_grams_fts"):
        cache.writer.run_sync(lambda c, fts=fts: c.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)"))


def moved(i: int, status: OrderStatus, refund: OrderRefundState = OrderRefundState.NONE, remark: str = "") -> object:
    b = make_bundle(i, status)
    return replace(b, order=replace(b.order, refund_state=refund, admin_remark=remark))


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    c = Cache(tmp_path / "cache.sqlite")
    yield c
    c.close()


def test_counters_and_queue_during_a_bulk_load_are_what_the_triggers_keep(cache: Cache) -> None:
    write = cache.writer.run_sync
    write(lambda conn: store_orders.write_bundles(conn, [make_bundle(i) for i in range(1, 31)]))
    assert counters(cache.read) == counted(cache.read)
    write(bulk_load.start)
    assert bulk_load.active(cache.read)
    pages = [
        [make_bundle(i, OrderStatus(i % 6 - 1)) for i in range(100, 160)],  # new orders, every status
        [moved(3, OrderStatus.SHIPPED, OrderRefundState.PROCESSING), moved(4, OrderStatus.CLOSED), make_bundle(5)],
        [moved(200, OrderStatus.UNPAID), moved(200, OrderStatus.DONE, remark="同页两次"), moved(101, OrderStatus.DONE)],
    ]
    for page, total in zip(pages, (90, 90, 91), strict=True):
        write(lambda conn, page=page: store_orders.write_bundles(conn, page))
        assert counters(cache.read) == counted(cache.read)
        assert queries.tab_counts(cache.read)[queries.OrderTab.ALL] == total
    # Every new or changed document waits in each queue once; the rest are in the index.
    queued = {r[0] for r in cache.read.execute("SELECT id FROM order_search_queue")}
    assert queued == {r[0] for r in cache.read.execute("SELECT id FROM order_grams_queue")}
    assert queued == set(range(100, 160)) | {3, 4, 5, 200}
    assert [r["id"] for r in queries.search(cache.read, "同页两次")] == [200]  # read from the documents meanwhile
    write(bulk_load.flush)
    write(bulk_load.finish)
    assert not bulk_load.active(cache.read) and counters(cache.read) == counted(cache.read)
    assert [r["id"] for r in queries.search(cache.read, "同页两次")] == [200]
    index_is_exact(cache)
    # After the load the triggers count again, row by row.
    write(lambda conn: store_orders.write_bundles(conn, [moved(200, OrderStatus.CLOSED), make_bundle(300)]))
    write(lambda conn: conn.execute("DELETE FROM orders WHERE id = 1"))
    assert counters(cache.read) == counted(cache.read)


def test_a_version_6_cache_caught_in_a_bulk_load_migrates_and_finishes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite"
    monkeypatch.setattr("app.store.database.MIGRATIONS", migrations.MIGRATIONS[:6])
    old = Cache(path)
    old.writer.run_sync(lambda conn: write_bundles_before_v8(conn, [make_bundle(i) for i in range(1, 21)]))
    old.writer.run_sync(bulk_load.start)
    # Version 6's bulk load: its triggers counted and queued every row (apply did neither).
    with monkeypatch.context() as version_6:
        version_6.setattr(bulk_load, "active", lambda conn: False)
        old.writer.run_sync(lambda conn: write_bundles_before_v8(
            conn, [moved(5, OrderStatus.SHIPPED, remark="迁移前改过"), *(make_bundle(i) for i in range(21, 41))]))
        old.writer.run_sync(flush_before_v8)
        old.writer.run_sync(lambda conn: write_bundles_before_v8(conn, [make_bundle(41)]))  # waits in the queue
    old.close()
    monkeypatch.setattr("app.store.database.MIGRATIONS", migrations.MIGRATIONS)
    c = Cache(path)
    try:
        assert c.migrated_from == 6 and c.read.execute("PRAGMA user_version").fetchone()[0] == migrations.MIGRATIONS[-1][0]
        assert bulk_load.active(c.read) and counters(c.read) == counted(c.read)
        triggers = {r[0] for r in c.read.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert not {"order_search_bulk_ai", "order_grams_bulk_ai"} & triggers
        assert {"order_counts_insert", "order_search_bulk_au", "order_search_bulk_ad"} <= triggers
        # The load goes on under version 7: new, changed and flushed-then-changed orders.
        c.writer.run_sync(lambda conn: store_orders.write_bundles(
            conn, [moved(25, OrderStatus.CLOSED, remark="迁移后改过"), *(make_bundle(i) for i in range(42, 60))]))
        assert counters(c.read) == counted(c.read)
        c.writer.run_sync(bulk_load.finish)
        assert not bulk_load.active(c.read) and counters(c.read) == counted(c.read)
        assert [r["id"] for r in queries.search(c.read, "迁移前改过")] == [5]
        assert [r["id"] for r in queries.search(c.read, "迁移后改过")] == [25]
        assert [r["id"] for r in queries.search(c.read, "13800130041")] == [41]
        assert c.read.execute("SELECT COUNT(*) FROM order_search_fts_docsize").fetchone()[0] == 59
        index_is_exact(c)
    finally:
        c.close()


def test_the_page_process_indexes_what_waits_when_the_last_pages_come_near(
        cache: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from app.store import page_process

    cache.writer.run_sync(bulk_load.start)
    thresholds = gc.get_threshold()
    for name, value in (("_conn", None), ("_unindexed", 0), ("_caught_up", False)):
        monkeypatch.setattr(page_process, name, value)
    page_process._open(str(cache.path), 100)  # a flush every 100 orders
    try:
        def queued_after(first: int, orders_left: int) -> int:
            page = store_orders.prepare([make_bundle(i) for i in range(first, first + 30)])
            page_process._write("orders", first, page_process.PageProcess.pack(page), orders_left)
            return cache.read.execute("SELECT COUNT(*) FROM order_search_queue").fetchone()[0]

        assert [queued_after(1, 900), queued_after(31, 870), queued_after(61, 840)] == [30, 60, 90]
        assert queued_after(91, 810) == 0  # 120 waiting: the usual flush
        assert queued_after(121, 60) == 30
        assert queued_after(151, 20) == 0  # the last 25 orders are near: what waits goes in now
        assert queued_after(181, 0) == 30  # and the sync's last step has only the last page to index
    finally:
        assert page_process._conn is not None
        page_process._conn.close()
        gc.unfreeze()
        gc.set_threshold(*thresholds)
    cache.writer.run_sync(bulk_load.finish)
    index_is_exact(cache)
