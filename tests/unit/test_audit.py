"""The audit log: append-only in the database, hash-chained, exportable to CSV."""

from __future__ import annotations

import csv
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from app.store import audit
from app.store.database import Cache

WRITES = [
    ("order.ship", "order:101", {"status": 1}, {"status": 2, "tracking": "SF1234567890123"}, "done: ok"),
    ("order.remark", "order:102", {"admin_remark": ""}, {"admin_remark": "客户说\"放门口\", 别打电话\n下午到"},
     "done: ok"),
    ("order.change_price", "order:103", {"amount_paid": "88.00"}, {"amount_paid": "80.00"},
     "conflict: 订单待发货，不能改价\n（平台提示：\"已付款\", 请刷新）"),
    ("wallet.adjust", "user:7", None, {"balance": "+20.00"}, "failed: 平台拒绝了提交的内容"),
]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache.sqlite")
    for i, (action, target, before, after, result) in enumerate(WRITES):
        c.writer.run_sync(lambda conn, i=i, a=action, t=target, b=before, f=after, r=result: audit.append(
            conn, operator="小王" if i % 2 else "店长", account="practice:apifm", action=a, target=t, before=b,
            after=f, result=r, when=datetime(2026, 11, 11, 9, 30, i)))
    yield c
    c.close()


def test_entries_chain_and_verify_clean(cache: Cache) -> None:
    entries = audit.entries(cache.read)
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert len({e.hash for e in entries}) == 4
    assert entries[1].operator == "小王" and entries[1].time == "2026-11-11 09:30:01"
    assert [e.seq for e in audit.entries(cache.read, "order:103")] == [3]
    assert audit.verify(cache.read) == []


@pytest.mark.parametrize("sql", [
    "UPDATE audit_log SET result = 'done: ok' WHERE seq = 3",
    "DELETE FROM audit_log WHERE seq = 2",
    "DELETE FROM audit_log",
    # REPLACE removes the old row without firing DELETE triggers: refused too.
    "INSERT OR REPLACE INTO audit_log SELECT seq, time, operator, account, action, target, before, after,"
    " 'done: ok', prev_hash, hash FROM audit_log WHERE seq = 3",
])
def test_the_database_refuses_to_change_or_remove_an_entry(cache: Cache, sql: str) -> None:
    before = audit.entries(cache.read)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        cache.writer.run_sync(lambda conn: conn.execute(sql))
    assert audit.entries(cache.read) == before
    assert audit.verify(cache.read) == []


def tampered(cache: Cache, tmp_path: Path, change: Callable[[sqlite3.Connection], None]) -> sqlite3.Connection:
    """A copy of the cache file changed by someone who removed the triggers first."""
    conn = sqlite3.connect(tmp_path / "copy.sqlite", isolation_level=None)
    source = sqlite3.connect(cache.path)
    source.backup(conn)  # the file as it stands, what is still in the WAL included
    source.close()
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DROP TRIGGER audit_no_replace")
    change(conn)
    return conn


@pytest.mark.parametrize(("change", "named"), [
    (lambda c: c.execute("UPDATE audit_log SET result = 'done: ok' WHERE seq = 3"),
     ["entry 3 was changed after it was written"]),
    (lambda c: c.execute("UPDATE audit_log SET operator = '店长' WHERE seq = 2"),
     ["entry 2 was changed after it was written"]),
    (lambda c: c.execute("UPDATE audit_log SET time = '2026-11-12 09:30:00' WHERE seq = 1"),
     ["entry 1 was changed after it was written"]),
    (lambda c: c.execute("DELETE FROM audit_log WHERE seq = 2"),
     ["entry 2 is missing", "entry 3 does not follow the entry before it"]),
    (lambda c: c.execute("DELETE FROM audit_log WHERE seq = 4"),
     ["entry 4 removed from the end"]),
    (lambda c: c.executescript("DELETE FROM audit_log WHERE seq = 4; DELETE FROM audit_head;"),
     ["the record of the newest entry is missing"]),
])
def test_tampering_past_the_triggers_is_detected_and_named(
        cache: Cache, tmp_path: Path, change: Callable[[sqlite3.Connection], None], named: list[str]) -> None:
    conn = tampered(cache, tmp_path, change)
    problems = audit.verify(conn)
    conn.close()
    assert problems, "tampering went unnoticed"
    for text in named:
        assert any(text in p for p in problems), (text, problems)
    assert audit.verify(cache.read) == []  # the original is untouched


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_chain_after_it(cache: Cache, tmp_path: Path) -> None:
    def rewrite(conn: sqlite3.Connection) -> None:
        row = conn.execute("SELECT * FROM audit_log WHERE seq = 2").fetchone()
        values = (*row[:8], "failed: 假的")
        conn.execute("UPDATE audit_log SET result = ?, hash = ? WHERE seq = 2",
                     (values[8], audit._digest(row[9], values)))

    conn = tampered(cache, tmp_path, rewrite)
    problems = audit.verify(conn)
    conn.close()
    assert "entry 3 does not follow the entry before it" in problems
    assert not any("entry 2" in p for p in problems)  # entry 2 itself is self-consistent now


def test_appending_after_verify_keeps_the_chain(cache: Cache) -> None:
    cache.writer.run_sync(lambda conn: audit.append(conn, operator="店长", account="practice:apifm",
                                                    action="order.close", target="order:104", before={"status": 0},
                                                    after={"status": -1}, result="done: ok"))
    assert [e.seq for e in audit.entries(cache.read)][-1] == 5
    assert audit.verify(cache.read) == []


def test_export_csv_is_utf8_with_bom_and_round_trips(cache: Cache, tmp_path: Path) -> None:
    out = tmp_path / "审计日志.csv"
    assert audit.export_csv(cache.read, out) == 4
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    with out.open(newline="", encoding="utf-8-sig") as f:
        header, *rows = list(csv.reader(f))
    assert header[0] == "序号 seq" and header[-1] == "hash" and len(header) == 11
    want = [[str(e.seq), e.time, e.operator, e.account, e.action, e.target, e.before, e.after, e.result,
             e.prev_hash, e.hash] for e in audit.entries(cache.read)]
    assert rows == want
    assert "\n" in rows[2][8] and '"已付款", ' in rows[2][8]  # quotes, commas and newlines survive
