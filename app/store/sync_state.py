"""Per-resource sync progress in the cache: cursor, first-sync snapshot, pages done."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field


@dataclass
class SyncState:
    resource: str
    cursor: str = ""  # updated_at of the newest change seen ('YYYY-MM-DD HH:MM:SS')
    full_done: bool = False
    full_started_at: str = ""  # the first sync's snapshot time: it lists what existed then
    pages_done: set[int] = field(default_factory=set)
    total_pages: int = 0
    synced_at: str = ""
    skipped: int = 0


def load(conn: sqlite3.Connection, resource: str) -> SyncState:
    row = conn.execute("SELECT * FROM sync_state WHERE resource = ?", (resource,)).fetchone()
    if row is None:
        return SyncState(resource)
    return SyncState(resource, row["cursor"], bool(row["full_done"]), row["full_started_at"],
                     set(json.loads(row["pages_done"])), row["total_pages"], row["synced_at"], row["skipped"])


def save(conn: sqlite3.Connection, state: SyncState) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO sync_state (resource, cursor, full_done, full_started_at, pages_done, total_pages,"
        " synced_at, skipped) VALUES (?,?,?,?,?,?,?,?)",
        (state.resource, state.cursor, int(state.full_done), state.full_started_at,
         json.dumps(sorted(state.pages_done)), state.total_pages, state.synced_at, state.skipped))


def add_page_done(conn: sqlite3.Connection, resource: str, page_no: int) -> None:
    """Record one more page of the first sync as written (in the page's own transaction)."""
    conn.execute("UPDATE sync_state SET pages_done = json_insert(pages_done, '$[#]', ?) WHERE resource = ?",
                 (page_no, resource))


def all_states(conn: sqlite3.Connection) -> list[SyncState]:
    return [load(conn, r[0]) for r in conn.execute("SELECT resource FROM sync_state ORDER BY resource")]
