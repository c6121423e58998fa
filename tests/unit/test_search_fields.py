"""The search document in fields (schema version 8): the same answers as one text gave, a
version 7 cache migrated to the very documents the writer makes now, and no trigram that
spans two fields."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.enums import OrderStatus
from app.domain.models import OrderBundle, OrderItem, Receiver
from app.store import bulk_load, migrations, queries
from app.store import orders as store_orders
from app.store.database import Cache
from tests.unit.legacy_writes import write_bundles_before_v8
from tests.unit.test_store import make_bundle

V7 = [m for m in migrations.MIGRATIONS if m[0] <= 7]


def bundles() -> list[OrderBundle]:
    """Orders with every field a document has, and the odd cases: a pickup order (no
    receiver), a pickup code, both remarks, a city that repeats its province or says 市辖区,
    two items, two parcels, a parcel without a tracking number, a buyer unknown to the cache."""
    out = [make_bundle(i, OrderStatus(i % 5), pickup=i % 9 == 0) for i in range(1, 41)]
    b = out[3]
    out[3] = replace(b, order=replace(b.order, pickup_code="8801", admin_remark="周末再发", buyer_remark="要发票"))
    b = out[4]
    out[4] = replace(b, receiver=Receiver("韩梅梅", "13911112222", "110000", "北京市", "110100", "北京市", "110105",
                                          "朝阳区", "建国路88号"))
    b = out[5]
    out[5] = replace(b, receiver=Receiver("李雷", "13933334444", "310000", "上海市", "310100", "市辖区", "310104",
                                          "徐汇区", "漕溪北路1号"),
                     items=(*b.items, OrderItem(id=b.order.id * 10 + 1, order_id=b.order.id, goods_id=2, sku_id=3,
                                                name="景德镇茶杯", pic="", property="青花 4只装", quantity=1,
                                                quantity_unshipped=1, unit_price=b.items[0].unit_price,
                                                amount=b.items[0].amount)))
    b = out[7]  # shipped: two parcels, one without a tracking number
    first = b.parcels[0]
    out[7] = replace(b, parcels=(first, replace(first, id=first.id + 1000, tracking_number=""),
                                 replace(first, id=first.id + 2000, tracking_number="YT7788990011")))
    b = out[8]
    out[8] = replace(b, order=replace(b.order, uid=999))  # no such user in the cache
    return out


def write_users(conn: sqlite3.Connection) -> None:
    conn.executemany("INSERT INTO users (id, nick, mobile, level, source, status, referrer_id, created_at, updated_at, "
                     "data) VALUES (?, ?, ?, 0, 0, 0, 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00', '{}')",
                     [(u, f"买家{u}号", f"1770000{u:04d}" if u % 2 else "") for u in range(1, 8)])


WORDS = ("26110000000004", "8801", "周末再发", "要发票", "韩梅梅", "北京市朝阳区建国路", "上海市徐汇区", "市辖区",
         "景德镇", "4只装", "YT7788990011", "买家3号", "17700000003", "13800130012", "文三路7号", "浙江省杭州市",
         "SF0000000000008", "大闸蟹", "王伟", "易碎品")


def answers(conn: sqlite3.Connection) -> dict[str, list[int]]:
    return {w: [r["id"] for r in queries.search(conn, w, 100)] for w in WORDS}


def documents(conn: sqlite3.Connection) -> list[tuple]:
    return [tuple(r) for r in conn.execute(
        f"SELECT id, {', '.join(bulk_load.DOC_FIELDS)} FROM order_search ORDER BY id")]


def index_is_exact(conn: sqlite3.Connection) -> None:
    for fts in ("order_search_fts", "order_grams_fts"):
        conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")


@pytest.fixture
def now(tmp_path: Path) -> Cache:
    """The same orders, written by this version."""
    c = Cache(tmp_path / "now.sqlite")
    c.writer.run_sync(write_users)
    c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles()))
    yield c
    c.close()


def version_7(path: Path, monkeypatch: pytest.MonkeyPatch, bulk: bool = False) -> dict[str, list[int]] | None:
    """A version 7 cache of the same orders; what its index answered (None in a first sync:
    this version reads no one-text documents)."""
    with monkeypatch.context() as m:
        m.setattr("app.store.database.MIGRATIONS", V7)
        old = Cache(path)
        old.writer.run_sync(write_users)
        if bulk:
            old.writer.run_sync(bulk_load.start)
        old.writer.run_sync(lambda conn: write_bundles_before_v8(conn, bundles()))
        before = None if bulk else answers(old.read)
        old.close()
    return before


def test_fields_answer_as_the_one_text_did(now: Cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = version_7(tmp_path / "v7.sqlite", monkeypatch)
    assert answers(now.read) == before
    assert all(before[w] for w in WORDS if w != "市辖区")  # every word finds something: the comparison means something
    assert before["市辖区"] == []  # (but the city that only says 市辖区 is left out, as on the screen)


def test_a_version_7_cache_gets_the_documents_this_version_writes(
        now: Cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v7.sqlite"
    before = version_7(path, monkeypatch)
    c = Cache(path)
    try:
        assert c.migrated_from == 7
        assert documents(c.read) == documents(now.read)
        assert answers(c.read) == before
        c.writer.run_sync(index_is_exact)
        # Kept row by row after the migration: a change, a removal.
        changed = replace(bundles()[0], order=replace(bundles()[0].order, admin_remark="迁移后的备注"))
        c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [changed]))
        c.writer.run_sync(lambda conn: conn.execute("DELETE FROM order_search WHERE id = 2"))
        assert [r["id"] for r in queries.search(c.read, "迁移后的备注")] == [1]
        assert 2 not in [r["id"] for r in queries.search(c.read, "浙江省杭州市", 100)]
        c.writer.run_sync(index_is_exact)
    finally:
        c.close()


def test_a_version_7_cache_caught_in_a_first_sync_indexes_it_all_at_the_end(
        now: Cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v7.sqlite"
    version_7(path, monkeypatch, bulk=True)
    before = answers(now.read)  # the same as version 7's (the test above)
    c = Cache(path)
    try:
        assert bulk_load.active(c.read)
        assert c.read.execute("SELECT COUNT(*) FROM order_search_queue").fetchone()[0] == len(bundles())
        assert answers(c.read) == before  # read from the documents while the index waits
        # The load goes on (a pickup order: none of the words above is in it).
        c.writer.run_sync(lambda conn: store_orders.write_bundles(conn, [make_bundle(77, pickup=True)]))
        c.writer.run_sync(bulk_load.finish)
        assert answers(c.read) == before
        assert [r["id"] for r in queries.search(c.read, "26110000000077")] == [77]
        c.writer.run_sync(index_is_exact)
    finally:
        c.close()


def test_no_trigram_spans_two_fields(now: Cache) -> None:
    now.writer.run_sync(lambda conn: conn.execute(
        "CREATE VIRTUAL TABLE temp.search_terms USING fts5vocab(main, order_search_fts, row)"))
    terms = now.writer.run_sync(lambda conn: {r[0] for r in conn.execute("SELECT term FROM temp.search_terms")})
    # Order 4: its number ends in 4 and its pickup code 8801 follows in the same field; its
    # buyer's remark 要发票 starts the next field, and the receiver's name the one after.
    assert "4\n8" in terms and "\n88" in terms
    assert "4\n要" not in terms and "\n要发" not in terms
    assert "票\n周" in terms  # the two remarks share a field
    assert not any(t.endswith("\n韩") or t.endswith("\n李") for t in terms)  # nothing comes before a name
