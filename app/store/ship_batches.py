"""Batch shipments: a file's rows, their dry-run verdicts, and how far applying them got.

A batch is written whole when staff confirm the dry run, before anything is sent, and each
row's state is written as it changes, so a batch cut short by a crash or a closed window
is found again (``unfinished``) and resumed where it stopped.

Row states: ``waiting`` (to send) → ``sending`` (its outbox entry is recorded; whether it
reached the platform is the outbox's to settle) → ``done`` | ``failed`` (the platform's
message kept; a retry sends it again) ; ``skipped`` rows are never sent (an error or skip
verdict, or a warning staff did not accept). The rows of one order are one shipment and
share its state and outbox entries.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

BatchState = Literal["dry_run", "applying", "done", "stopped"]
RowState = Literal["waiting", "sending", "done", "failed", "skipped"]
SENDABLE_STATES = ("waiting", "sending", "done", "failed")


@dataclass(frozen=True, slots=True)
class Batch:
    id: int
    created_at: str
    operator: str
    source: str  # the file's name
    header: tuple[str, ...]  # the file's header row, for the results file
    state: BatchState
    rows: int
    to_send: int  # rows that are (or were) to be sent
    done: int
    failed: int
    skipped: int
    updated_at: str

    @property
    def settled(self) -> int:
        """Rows to send that have an outcome, for a progress bar: done or failed."""
        return self.done + self.failed


@dataclass(frozen=True, slots=True)
class BatchRow:
    line: int
    order_number: str
    order_id: int | None
    courier_id: int | None
    courier_name: str
    tracking_numbers: tuple[str, ...]  # what this row sends
    verdict: str  # the dry run's: ok, warning, error, skip
    notes: tuple[tuple[str, str, str], ...]  # the dry run's notes: (kind, zh, en)
    row: dict[str, Any]  # the file's row as read: cells, courier, tracking_text, tracking_numbers
    state: RowState = "waiting"
    entry_ids: tuple[str, ...] = ()  # its order's outbox entries: the ship, then any added numbers
    message: str = ""  # the outcome: the platform's message when it failed
    updated_at: str = ""
    batch_id: int = 0


def _now() -> str:
    return datetime.now().isoformat(" ", "seconds")


def _batch(r: sqlite3.Row) -> Batch:
    return Batch(id=r["id"], created_at=r["created_at"], operator=r["operator"], source=r["source"],
                 header=tuple(json.loads(r["header"])), state=r["state"], rows=r["rows"], to_send=r["to_send"],
                 done=r["done"], failed=r["failed"], skipped=r["skipped"], updated_at=r["updated_at"])


def _row(r: sqlite3.Row) -> BatchRow:
    return BatchRow(line=r["line"], order_number=r["order_number"], order_id=r["order_id"],
                    courier_id=r["courier_id"], courier_name=r["courier_name"],
                    tracking_numbers=tuple(json.loads(r["tracking_numbers"])), verdict=r["verdict"],
                    notes=tuple(tuple(n) for n in json.loads(r["notes"])),  # type: ignore[misc]
                    row=json.loads(r["row"]), state=r["state"], entry_ids=tuple(json.loads(r["entry_ids"])),
                    message=r["message"], updated_at=r["updated_at"], batch_id=r["batch_id"])


def create(conn: sqlite3.Connection, *, source: str, operator: str, header: tuple[str, ...],
           rows: list[BatchRow]) -> int:
    """Record a batch and all its rows (in the caller's one transaction). Returns its id."""
    ts = _now()
    cur = conn.execute("INSERT INTO ship_batches (created_at, operator, source, header, state, updated_at)"
                       " VALUES (?,?,?,?,'dry_run',?)",
                       (ts, operator, source, json.dumps(list(header), ensure_ascii=False), ts))
    batch_id = int(cur.lastrowid or 0)
    conn.executemany(
        "INSERT INTO ship_batch_rows (batch_id, line, order_number, order_id, courier_id, courier_name,"
        " tracking_numbers, verdict, notes, row, state, entry_ids, message, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(batch_id, r.line, r.order_number, r.order_id, r.courier_id, r.courier_name,
          json.dumps(list(r.tracking_numbers)), r.verdict, json.dumps([list(n) for n in r.notes], ensure_ascii=False),
          json.dumps(r.row, ensure_ascii=False), r.state, json.dumps(list(r.entry_ids)), r.message, ts)
         for r in rows])
    recount(conn, batch_id)
    return batch_id


def recount(conn: sqlite3.Connection, batch_id: int) -> None:
    """The batch's counts from its rows (one indexed GROUP BY: a batch has thousands of rows at most)."""
    counts = dict.fromkeys(("waiting", "sending", "done", "failed", "skipped"), 0)
    for state, n in conn.execute("SELECT state, COUNT(*) FROM ship_batch_rows WHERE batch_id = ? GROUP BY state",
                                 (batch_id,)):
        counts[state] = n
    conn.execute("UPDATE ship_batches SET rows = ?, to_send = ?, done = ?, failed = ?, skipped = ?, updated_at = ?"
                 " WHERE id = ?", (sum(counts.values()), sum(counts[s] for s in SENDABLE_STATES), counts["done"],
                                   counts["failed"], counts["skipped"], _now(), batch_id))


def get(conn: sqlite3.Connection, batch_id: int) -> Batch | None:
    r = conn.execute("SELECT * FROM ship_batches WHERE id = ?", (batch_id,)).fetchone()
    return _batch(r) if r else None


def rows(conn: sqlite3.Connection, batch_id: int, *states: str) -> list[BatchRow]:
    """The batch's rows in file order, all of them or those in ``states``."""
    if states:
        return [_row(r) for r in conn.execute(
            f"SELECT * FROM ship_batch_rows WHERE batch_id = ? AND state IN ({','.join('?' * len(states))})"
            " ORDER BY line", (batch_id, *states))]
    return [_row(r) for r in conn.execute("SELECT * FROM ship_batch_rows WHERE batch_id = ? ORDER BY line",
                                          (batch_id,))]


def order_rows(conn: sqlite3.Connection, batch_id: int, order_id: int) -> list[BatchRow]:
    """The rows that ship this order (not the skipped ones), in file order."""
    return [_row(r) for r in conn.execute(
        "SELECT * FROM ship_batch_rows WHERE batch_id = ? AND order_id = ? AND state != 'skipped' ORDER BY line",
        (batch_id, order_id))]


def set_order_state(conn: sqlite3.Connection, batch_id: int, order_id: int, state: RowState, *,
                    message: str | None = None, entry_ids: tuple[str, ...] | None = None) -> None:
    """Move every row that ships this order to ``state`` (and recount the batch)."""
    sets, args = ["state = ?", "updated_at = ?"], [state, _now()]
    if message is not None:
        sets.append("message = ?")
        args.append(message)
    if entry_ids is not None:
        sets.append("entry_ids = ?")
        args.append(json.dumps(list(entry_ids)))
    conn.execute(f"UPDATE ship_batch_rows SET {', '.join(sets)} WHERE batch_id = ? AND order_id = ?"
                 " AND state != 'skipped'", (*args, batch_id, order_id))
    recount(conn, batch_id)


def set_state(conn: sqlite3.Connection, batch_id: int, state: BatchState) -> None:
    conn.execute("UPDATE ship_batches SET state = ?, updated_at = ? WHERE id = ?", (state, _now(), batch_id))


def unfinished(conn: sqlite3.Connection) -> list[Batch]:
    """Batches whose apply was cut short (the app closed or crashed while applying): resume them."""
    return [_batch(r) for r in conn.execute("SELECT * FROM ship_batches WHERE state = 'applying' ORDER BY id")]


def recent(conn: sqlite3.Connection, limit: int = 50) -> list[Batch]:
    return [_batch(r) for r in conn.execute("SELECT * FROM ship_batches ORDER BY id DESC LIMIT ?", (limit,))]
