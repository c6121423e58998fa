"""The local audit log: every write staff make, append-only and hash-chained.

Each entry's hash covers its own fields and the previous entry's hash, so changing or
removing any entry breaks the chain from that point on; the database also refuses
UPDATE and DELETE on the table (triggers), and the newest hash and the count are kept
aside so that cutting entries off the end is detected too.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
FIELDS = ("seq", "time", "operator", "account", "action", "target", "before", "after", "result")


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    time: str
    operator: str
    account: str
    action: str
    target: str
    before: str
    after: str
    result: str
    prev_hash: str
    hash: str


def _digest(prev_hash: str, values: tuple[Any, ...]) -> str:
    payload = json.dumps([prev_hash, *values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _head(conn: sqlite3.Connection) -> tuple[int, str]:
    row = conn.execute("SELECT count, hash FROM audit_head WHERE id = 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def append(conn: sqlite3.Connection, *, operator: str, account: str, action: str, target: str,
           before: Any, after: Any, result: str, when: datetime | None = None) -> AuditEntry:
    """Add one entry (inside the writer's transaction)."""
    count, prev = _head(conn)
    seq = count + 1
    values = (seq, (when or datetime.now()).isoformat(" ", "seconds"), operator, account, action, target,
              json.dumps(before, ensure_ascii=False, default=str), json.dumps(after, ensure_ascii=False, default=str),
              result)
    digest = _digest(prev, values)
    conn.execute(f"INSERT INTO audit_log ({', '.join(FIELDS)}, prev_hash, hash) VALUES ({','.join('?' * 11)})",
                 (*values, prev, digest))
    conn.execute("INSERT OR REPLACE INTO audit_head (id, count, hash) VALUES (1, ?, ?)", (seq, digest))
    return AuditEntry(*values, prev, digest)


def entries(conn: sqlite3.Connection, target: str | None = None) -> list[AuditEntry]:
    sql = f"SELECT {', '.join(FIELDS)}, prev_hash, hash FROM audit_log"
    rows = conn.execute(sql + " WHERE target = ? ORDER BY seq" if target else sql + " ORDER BY seq",
                        (target,) if target else ()).fetchall()
    return [AuditEntry(*r) for r in rows]


def verify(conn: sqlite3.Connection) -> list[str]:
    """Problems with the chain, in order; an empty list means it is intact."""
    problems: list[str] = []
    prev, expected_seq = GENESIS, 1
    for e in entries(conn):
        if e.seq != expected_seq:
            problems.append(f"entry {expected_seq} is missing (found {e.seq} next)")
        if e.prev_hash != prev:
            problems.append(f"entry {e.seq} does not follow the entry before it")
        values = (e.seq, e.time, e.operator, e.account, e.action, e.target, e.before, e.after, e.result)
        if _digest(e.prev_hash, values) != e.hash:
            problems.append(f"entry {e.seq} was changed after it was written")
        prev, expected_seq = e.hash, e.seq + 1
    found = expected_seq - 1
    head_row = conn.execute("SELECT count, hash FROM audit_head WHERE id = 1").fetchone()
    if head_row is None:
        if found:
            problems.append(f"the record of the newest entry is missing (the log has {found} entries)")
        return problems
    count, head = head_row
    if count > found:
        missing = f"entry {count}" if count == found + 1 else f"entries {found + 1}–{count}"
        problems.append(f"{missing} removed from the end (the log should have {count} entries; it has {found})")
    elif count != found or head != prev:
        problems.append(f"the log should have {count} entries ending in {head[:12]}…; "
                        f"it has {found} ending in {prev[:12]}…")
    return problems


def export_csv(conn: sqlite3.Connection, path: Path) -> int:
    """Write the whole log as CSV (UTF-8 with BOM, so Excel shows the Chinese)."""
    rows = entries(conn)
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["序号 seq", "时间 time", "操作人 operator", "账号 account", "操作 action", "对象 target",
                    "之前 before", "之后 after", "结果 result", "prev_hash", "hash"])
        for e in rows:
            w.writerow([e.seq, e.time, e.operator, e.account, e.action, e.target, e.before, e.after, e.result,
                        e.prev_hash, e.hash])
    return len(rows)
