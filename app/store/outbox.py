"""The outbox: every write intent, recorded before it is sent.

States: ``pending`` (waiting to be sent, e.g. offline) → ``sending`` (handed to the
platform; if the app dies now, the platform's state decides on restart) → ``done`` |
``failed`` (the platform said no; staff see why) | ``conflict`` (the platform's state
moved on, e.g. refunded while a shipment was queued: kept and shown, never dropped) |
``dismissed`` (staff set a failed or conflicting entry aside).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

OPEN_STATES = ("pending", "sending")


@dataclass(frozen=True)
class OutboxEntry:
    id: str
    seq: int
    created_at: str
    operator: str
    action: str
    target: str
    params: dict[str, Any]
    state: str
    attempts: int
    result: str
    error: str
    updated_at: str


def _now() -> str:
    return datetime.now().isoformat(" ", "seconds")


def _entry(row: sqlite3.Row) -> OutboxEntry:
    return OutboxEntry(row["id"], row["seq"], row["created_at"], row["operator"], row["action"], row["target"],
                       json.loads(row["params"]), row["state"], row["attempts"], row["result"], row["error"],
                       row["updated_at"])


def record(conn: sqlite3.Connection, action: str, target: str, params: dict[str, Any], operator: str) -> OutboxEntry:
    entry_id = uuid.uuid4().hex
    seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox").fetchone()[0]
    ts = _now()
    conn.execute("INSERT INTO outbox (id, seq, created_at, operator, action, target, params, state, updated_at)"
                 " VALUES (?,?,?,?,?,?,?,'pending',?)",
                 (entry_id, seq, ts, operator, action, target, json.dumps(params, ensure_ascii=False), ts))
    return get(conn, entry_id)  # type: ignore[return-value]


def get(conn: sqlite3.Connection, entry_id: str) -> OutboxEntry | None:
    row = conn.execute("SELECT * FROM outbox WHERE id = ?", (entry_id,)).fetchone()
    return _entry(row) if row else None


def mark(conn: sqlite3.Connection, entry_id: str, state: str, *, result: str = "", error: str = "",
         attempt: bool = False) -> None:
    conn.execute("UPDATE outbox SET state = ?, result = ?, error = ?, attempts = attempts + ?, updated_at = ?"
                 " WHERE id = ?", (state, result, error, int(attempt), _now(), entry_id))


def requeue(conn: sqlite3.Connection, entry_id: str, error: str = "") -> None:
    """Back to ``pending`` after it may have reached the platform: attempts stays above zero,
    so the next send first reads the platform to see whether it already took effect."""
    conn.execute("UPDATE outbox SET state = 'pending', error = ?, attempts = MAX(attempts, 1), updated_at = ?"
                 " WHERE id = ?", (error, _now(), entry_id))


def set_aside(conn: sqlite3.Connection, entry_id: str) -> bool:
    """``failed``/``conflict`` → ``dismissed``, keeping the platform's message; False if it was not a problem."""
    cur = conn.execute("UPDATE outbox SET state = 'dismissed', updated_at = ? WHERE id = ?"
                       " AND state IN ('failed', 'conflict')", (_now(), entry_id))
    return cur.rowcount == 1


def in_state(conn: sqlite3.Connection, *states: str) -> list[OutboxEntry]:
    marks = ",".join("?" * len(states))
    return [_entry(r) for r in conn.execute(f"SELECT * FROM outbox WHERE state IN ({marks}) ORDER BY seq", states)]


def for_target(conn: sqlite3.Connection, target: str) -> list[OutboxEntry]:
    return [_entry(r) for r in conn.execute("SELECT * FROM outbox WHERE target = ? ORDER BY seq", (target,))]
