"""The orders panel's reader: a newer request interrupts an older one's long query."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.store import orders as store_orders
from app.store import queries
from app.store.database import Cache
from app.store.queries import OrderFilter
from app.ui.orders.loader import FIRST, ViewLoader
from tests.unit.test_store import make_bundle


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache.sqlite")
    bundles = [make_bundle(i) for i in range(1, FIRST + 51)]
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))
    yield c
    c.close()


def test_a_newer_request_interrupts_a_slow_query(qtbot: QtBot, cache: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    real_first = queries.first_window_ids

    def first_window_ids(conn: sqlite3.Connection, flt: OrderFilter, sort: str, limit: int) -> list[int]:
        if flt.text == "slow":  # minutes of work unless interrupted
            conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                         "SELECT COUNT(*) FROM (SELECT i FROM n LIMIT 5000000000)").fetchone()
        return real_first(conn, flt, sort, limit)

    monkeypatch.setattr(queries, "first_window_ids", first_window_ids)
    loader = ViewLoader(cache)
    got: list[tuple[int, int]] = []
    failed: list[tuple[int, str]] = []
    loader.first.connect(lambda request, ids, n: got.append((request, n)))
    loader.failed.connect(lambda request, message: failed.append((request, message)))
    slow = loader.request(OrderFilter(text="slow"), "created_desc")
    time.sleep(0.3)  # the slow count is running
    started = time.monotonic()
    fast = loader.request(OrderFilter(), "created_desc")
    qtbot.waitUntil(lambda: any(r == fast for r, _ in got), timeout=10_000)
    assert time.monotonic() - started < 5
    assert all(r != slow for r, _ in got) and failed == []
    assert dict(got)[fast] == FIRST + 50
    loader.close()


def test_a_short_result_needs_no_count(qtbot: QtBot, cache: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_count(conn: sqlite3.Connection, flt: OrderFilter) -> int:
        raise AssertionError("counted a result shorter than the first window")

    monkeypatch.setattr(queries, "count", no_count)
    loader = ViewLoader(cache)
    got: list[tuple[list[int], int]] = []
    loader.first.connect(lambda request, ids, n: got.append((ids, n)))
    loader.request(OrderFilter(text=make_bundle(7).order.number), "created_desc")
    qtbot.waitUntil(lambda: bool(got), timeout=5_000)
    ids, n = got[0]
    assert n == len(ids) == 1
    loader.close()


def test_a_request_after_close_reads_nothing(cache: Cache) -> None:
    loader = ViewLoader(cache)
    loader.close()
    loader.request(OrderFilter(), "created_desc")  # a late debounce timer, say: no error, no read
    loader.close()  # and closing twice is harmless
