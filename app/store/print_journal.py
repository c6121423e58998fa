"""The print journal: what was printed, when, by whom, on which desk, with which profile.

Every print run is one job over one or more orders. A shipping slip sets the order's
``printed`` mark (the column every order list shows and filters on), so the mark and the
journal never disagree: both are written in the caller's one transaction. Packing and
pick lists are journalled but do not mark the order: the mark means "its label exists".
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

PrintKind = Literal["slip", "packing", "picklist"]
KINDS: tuple[PrintKind, ...] = ("slip", "packing", "picklist")
KIND_LABELS = {"slip": ("发货单", "Shipping slip"), "packing": ("装箱单", "Packing list"),
               "picklist": ("拣货单", "Pick list")}
# Far below SQLite's variable limit; a print run of a whole day's orders is a few chunks.
CHUNK = 900


@dataclass(frozen=True, slots=True)
class PrintRecord:
    """One print job as an order's history shows it."""

    job_id: int
    printed_at: str
    operator: str
    workstation: str
    kind: PrintKind
    profile: dict[str, Any]
    copies: int
    order_count: int  # how many orders the job printed, this one among them


def _chunks(values: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _now() -> str:
    return datetime.now().isoformat(" ", "seconds")


def record(conn: sqlite3.Connection, kind: PrintKind, order_ids: Iterable[int], operator: str, workstation: str,
           profile: dict[str, Any] | None = None, copies: int = 1, printed_at: datetime | None = None) -> int:
    """Journal one print job and, for slips, mark its orders printed. Returns the job id.

    Call it in a write transaction (``cache.writer.run``), after the printer took the job:
    a cancelled print dialog leaves no trace.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown print kind {kind!r}; known: {', '.join(KINDS)}")
    if copies < 1:
        raise ValueError("copies must be at least 1")
    ids = list(dict.fromkeys(int(i) for i in order_ids))  # an order twice in one job is printed once
    if not ids:
        raise ValueError("a print job prints at least one order")
    when = (printed_at or datetime.now()).isoformat(" ", "seconds")
    cur = conn.execute(
        "INSERT INTO print_jobs (printed_at, operator, workstation, kind, profile, copies, order_count)"
        " VALUES (?,?,?,?,?,?,?)",
        (when, operator, workstation, kind, json.dumps(profile or {}, ensure_ascii=False, sort_keys=True), copies,
         len(ids)))
    job_id = int(cur.lastrowid or 0)
    conn.executemany("INSERT INTO print_job_orders (job_id, order_id) VALUES (?, ?)", [(job_id, i) for i in ids])
    if kind == "slip":
        for chunk in _chunks(ids):
            conn.execute(f"UPDATE orders SET printed = 1 WHERE id IN ({','.join('?' * len(chunk))}) AND printed = 0",
                         chunk)
    return job_id


def times_printed(conn: sqlite3.Connection, order_ids: Iterable[int], kind: PrintKind = "slip") -> dict[int, int]:
    """How many jobs already printed each of these orders (as ``kind``); never-printed orders
    are absent. For "already printed N times: print again?" before a print run."""
    ids = sorted({int(i) for i in order_ids})
    out: dict[int, int] = {}
    for chunk in _chunks(ids):
        for order_id, n in conn.execute(
                "SELECT o.order_id, COUNT(*) FROM print_job_orders o JOIN print_jobs j ON j.id = o.job_id"
                f" WHERE o.order_id IN ({','.join('?' * len(chunk))}) AND j.kind = ? GROUP BY o.order_id",
                [*chunk, kind]):
            out[order_id] = n
    return out


def history(conn: sqlite3.Connection, order_id: int) -> list[PrintRecord]:
    """Every job that printed this order, newest first."""
    return [PrintRecord(job_id=r[0], printed_at=r[1], operator=r[2], workstation=r[3], kind=r[4],
                        profile=json.loads(r[5]), copies=r[6], order_count=r[7])
            for r in conn.execute(
                "SELECT j.id, j.printed_at, j.operator, j.workstation, j.kind, j.profile, j.copies, j.order_count"
                " FROM print_job_orders o JOIN print_jobs j ON j.id = o.job_id WHERE o.order_id = ?"
                " ORDER BY j.printed_at DESC, j.id DESC", (order_id,))]


def jobs(conn: sqlite3.Connection, limit: int = 200) -> list[PrintRecord]:
    """The newest print jobs on this desk (the journal's own view)."""
    return [PrintRecord(job_id=r[0], printed_at=r[1], operator=r[2], workstation=r[3], kind=r[4],
                        profile=json.loads(r[5]), copies=r[6], order_count=r[7])
            for r in conn.execute("SELECT id, printed_at, operator, workstation, kind, profile, copies, order_count"
                                  " FROM print_jobs ORDER BY id DESC LIMIT ?", (limit,))]


def job_orders(conn: sqlite3.Connection, job_id: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT order_id FROM print_job_orders WHERE job_id = ? ORDER BY order_id",
                                       (job_id,))]


def printed_not_shipped(conn: sqlite3.Connection) -> list[int]:
    """Orders with a printed slip and no parcel: a label that may be lying on the bench."""
    from app.store.queries import OrderFilter  # here: queries imports this module's conditions

    return _ids(conn, OrderFilter(printed_state="printed_not_shipped"))


def shipped_never_printed(conn: sqlite3.Connection) -> list[int]:
    """Orders that went out without a slip printed here (shipped elsewhere, or a label written by hand)."""
    from app.store.queries import OrderFilter

    return _ids(conn, OrderFilter(printed_state="shipped_not_printed"))


def _ids(conn: sqlite3.Connection, flt: Any) -> list[int]:
    where, args = flt.where()
    return [r[0] for r in conn.execute(f"SELECT id FROM orders WHERE {where} ORDER BY id", args)]


# The two journal views as conditions on the orders table, for OrderFilter.printed_state:
# both read indexed columns (printed, shipped), so the orders panel pages them like a tab.
PRINTED_STATES = {
    # A pickup order has no label to lose; a delivery order printed but without a parcel has.
    "printed_not_shipped": "printed = 1 AND shipped = 0 AND needs_delivery = 1",
    "shipped_not_printed": "shipped = 1 AND printed = 0",
}
PRINTED_STATE_LABELS = {"printed_not_shipped": ("已打印未发货", "Printed, not shipped"),
                        "shipped_not_printed": ("已发货未打印", "Shipped, never printed")}
