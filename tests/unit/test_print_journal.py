"""The print journal and schema version 6 (batch shipments, print journal)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from app.domain.enums import OrderStatus
from app.store import migrations, print_journal, queries, ship_batches
from app.store import orders as store_orders
from app.store import outbox as store_outbox
from app.store.database import Cache
from app.store.queries import OrderFilter
from tests.unit.legacy_writes import write_bundles_before_v8
from tests.unit.test_store import make_bundle

PROFILE = {"paper": "100x150", "printer": "Deli DL-888", "template": "slip-default"}


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    c = Cache(tmp_path / "acct" / "cache.sqlite")
    # 1-20 to ship, 21-40 shipped (a parcel each), 41 a pickup order to ship.
    bundles = [make_bundle(i) for i in range(1, 21)] + [make_bundle(i, OrderStatus.SHIPPED) for i in range(21, 41)]
    bundles.append(make_bundle(41, pickup=True))
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
    yield c
    c.close()


def _printed(cache: Cache) -> set[int]:
    return {r[0] for r in cache.read.execute("SELECT id FROM orders WHERE printed = 1")}


def test_a_slip_job_is_journalled_and_marks_its_orders_printed(cache: Cache) -> None:
    at = datetime(2026, 11, 3, 9, 30)
    job = cache.writer.run_sync(lambda c: print_journal.record(c, "slip", [3, 4, 4, 22], "小王", "仓库-1", PROFILE,
                                                               copies=2, printed_at=at))
    assert _printed(cache) == {3, 4, 22}
    (entry,) = print_journal.history(cache.read, 4)
    assert (entry.job_id, entry.printed_at, entry.operator, entry.workstation, entry.kind) == (
        job, "2026-11-03 09:30:00", "小王", "仓库-1", "slip")
    assert entry.profile == PROFILE and entry.copies == 2 and entry.order_count == 3  # 4 twice is printed once
    assert print_journal.job_orders(cache.read, job) == [3, 4, 22]
    # The orders list filters on the same mark.
    assert queries.count(cache.read, OrderFilter(printed=True)) == 3


def test_packing_and_pick_lists_are_journalled_without_the_printed_mark(cache: Cache) -> None:
    cache.writer.run_sync(lambda c: print_journal.record(c, "packing", [5], "小王", "仓库-1"))
    cache.writer.run_sync(lambda c: print_journal.record(c, "picklist", [5, 6], "小李", "仓库-2"))
    assert _printed(cache) == set()
    assert [h.kind for h in print_journal.history(cache.read, 5)] == ["picklist", "packing"]  # newest first
    assert print_journal.times_printed(cache.read, [5, 6], "slip") == {}
    assert print_journal.times_printed(cache.read, [5, 6], "packing") == {5: 1}


def test_times_printed_counts_jobs_for_the_duplicate_warning(cache: Cache) -> None:
    for ids in ([1, 2], [2], [2, 3]):
        cache.writer.run_sync(lambda c, ids=ids: print_journal.record(c, "slip", ids, "小王", "仓库-1"))
    assert print_journal.times_printed(cache.read, [1, 2, 3, 4]) == {1: 1, 2: 3, 3: 1}
    many = list(range(1, 2000))  # more ids than one query may carry
    assert print_journal.times_printed(cache.read, many) == {1: 1, 2: 3, 3: 1}


def test_a_print_job_refuses_nonsense(cache: Cache) -> None:
    with pytest.raises(ValueError, match="kind"):
        cache.writer.run_sync(lambda c: print_journal.record(c, "label", [1], "小王", "仓库-1"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one"):
        cache.writer.run_sync(lambda c: print_journal.record(c, "slip", [], "小王", "仓库-1"))
    with pytest.raises(ValueError, match="copies"):
        cache.writer.run_sync(lambda c: print_journal.record(c, "slip", [1], "小王", "仓库-1", copies=0))
    assert cache.read.execute("SELECT COUNT(*) FROM print_jobs").fetchone()[0] == 0  # nothing half-written


def test_the_journal_views_match_their_filters(cache: Cache) -> None:
    # Printed: 1, 2 (to ship), 21 (shipped), 41 (pickup, to ship). Shipped: 21-40.
    cache.writer.run_sync(lambda c: print_journal.record(c, "slip", [1, 2, 21, 41], "小王", "仓库-1"))
    assert print_journal.printed_not_shipped(cache.read) == [1, 2]  # a pickup order has no label to lose
    assert print_journal.shipped_never_printed(cache.read) == list(range(22, 41))
    for state, ids in (("printed_not_shipped", [1, 2]), ("shipped_not_printed", list(range(22, 41)))):
        flt = OrderFilter(printed_state=state)
        assert queries.count(cache.read, flt) == len(ids)
        assert sorted(queries.window_ids(cache.read, flt, "id_desc", 0, 100)) == ids
    # It combines with the rest of the filter bar like any other field.
    assert queries.count(cache.read, OrderFilter(printed_state="shipped_not_printed", text="SF0000000000030")) == 1
    # Shipped after printing: it leaves the first view.
    cache.writer.run_sync(lambda c: store_orders.write_bundles(c, [make_bundle(2, OrderStatus.SHIPPED)]))
    assert print_journal.printed_not_shipped(cache.read) == [1]
    assert _printed(cache) == {1, 2, 21, 41}  # a sync of the order keeps the local mark
    with pytest.raises(ValueError, match="printed_state"):
        OrderFilter(printed_state="never").where()


def test_a_version_5_cache_migrates_to_6_with_its_data_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache.sqlite"
    version_5 = [m for m in migrations.MIGRATIONS if m[0] <= 5]
    assert len(version_5) == 5
    monkeypatch.setattr("app.store.database.MIGRATIONS", version_5)
    old = Cache(path)
    old.writer.run_sync(lambda c: write_bundles_before_v8(c, [make_bundle(i) for i in range(1, 11)]))
    old.writer.run_sync(lambda c: c.execute("UPDATE orders SET printed = 1 WHERE id IN (2, 3)"))
    queued = old.writer.run_sync(lambda c: store_outbox.record(c, "order.remark", "order:4",
                                                               {"order_id": 4, "remark": "加急"}, "小王"))
    with pytest.raises(sqlite3.OperationalError):
        old.read.execute("SELECT * FROM print_jobs")
    old.close()

    monkeypatch.setattr("app.store.database.MIGRATIONS", migrations.MIGRATIONS)
    c = Cache(path)
    try:
        assert c.migrated_from == 5
        assert c.read.execute("PRAGMA user_version").fetchone()[0] == migrations.MIGRATIONS[-1][0]  # 6, and what came after
        assert (tmp_path / "cache.sqlite.v5.bak").exists()
        for i in range(1, 11):
            assert store_orders.bundle(c.read, i) == make_bundle(i)
        assert _printed(c) == {2, 3}  # marks printed before the journal existed stay
        assert store_outbox.get(c.read, queued.id) == queued
        # The new tables work on the migrated file.
        job = c.writer.run_sync(lambda conn: print_journal.record(conn, "slip", [5], "小王", "仓库-1", PROFILE))
        assert print_journal.times_printed(c.read, [2, 5]) == {5: 1} and job == 1
        row = ship_batches.BatchRow(line=2, order_number="26110000000005", order_id=5, courier_id=1,
                                    courier_name="顺丰速运", tracking_numbers=("SF1234567890",), verdict="ok",
                                    notes=(), row={"cells": ["26110000000005", "顺丰", "SF1234567890"]})
        batch_id = c.writer.run_sync(lambda conn: ship_batches.create(conn, source="发货.xlsx", operator="小王",
                                                                       header=("订单号", "快递公司", "快递单号"),
                                                                       rows=[row]))
        batch = ship_batches.get(c.read, batch_id)
        assert batch is not None and (batch.state, batch.rows, batch.to_send, batch.done) == ("dry_run", 1, 1, 0)
        assert c.read.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.read.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        c.close()


def test_batch_rows_of_one_order_move_together_and_counts_follow(cache: Cache) -> None:
    def row(line: int, order_id: int | None, state: ship_batches.RowState, verdict: str = "ok") -> ship_batches.BatchRow:
        return ship_batches.BatchRow(line=line, order_number=str(order_id), order_id=order_id, courier_id=1,
                                     courier_name="顺丰速运", tracking_numbers=(f"SF{line:010d}",), verdict=verdict,
                                     notes=(), row={}, state=state)

    rows = [row(2, 1, "waiting"), row(3, 1, "waiting"), row(4, 2, "waiting"), row(5, None, "skipped", "error"),
            row(6, 1, "skipped", "skip")]
    batch_id = cache.writer.run_sync(lambda c: ship_batches.create(c, source="a.csv", operator="小王", header=(),
                                                                    rows=rows))
    cache.writer.run_sync(lambda c: ship_batches.set_order_state(c, batch_id, 1, "sending", entry_ids=("e1",)))
    assert [(r.line, r.state, r.entry_ids) for r in ship_batches.order_rows(cache.read, batch_id, 1)] == [
        (2, "sending", ("e1",)), (3, "sending", ("e1",))]  # the skipped row of the same order stays skipped
    cache.writer.run_sync(lambda c: ship_batches.set_order_state(c, batch_id, 1, "done", message="ok"))
    cache.writer.run_sync(lambda c: ship_batches.set_order_state(c, batch_id, 2, "failed", message="平台拒绝"))
    batch = ship_batches.get(cache.read, batch_id)
    assert batch is not None
    assert (batch.rows, batch.to_send, batch.done, batch.failed, batch.skipped, batch.settled) == (5, 3, 2, 1, 2, 3)
    assert ship_batches.unfinished(cache.read) == []
    cache.writer.run_sync(lambda c: ship_batches.set_state(c, batch_id, "applying"))
    assert [b.id for b in ship_batches.unfinished(cache.read)] == [batch_id]
