"""Everything the cache knows about one order, read at once for its detail view."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from app.domain.models import OrderBundle, OrderLog, Refund, User
from app.store import audit, resources
from app.store import orders as store_orders
from app.store.audit import AuditEntry


@dataclass(frozen=True, slots=True)
class OrderView:
    """An order with its buyer, log, refunds and local audit entries, as cached.

    Frozen and comparable, so a view can tell whether a re-read changed anything.
    """

    bundle: OrderBundle
    buyer: User | None  # None until the users sync has fetched this buyer
    logs: tuple[OrderLog, ...]  # newest first
    refunds: tuple[Refund, ...]  # newest first
    audit: tuple[AuditEntry, ...]  # newest first


def logs(conn: sqlite3.Connection, order_id: int) -> list[OrderLog]:
    """The order's log as the platform's detail reported it, newest first (empty until a
    detail has been fetched: list pages do not carry it)."""
    return [OrderLog(id=r["id"], order_id=r["order_id"], kind=r["kind"], text=r["text"], remark=r["remark"],
                     time=datetime.fromisoformat(r["time"]))
            for r in conn.execute("SELECT * FROM order_logs WHERE order_id = ? ORDER BY time DESC, id DESC",
                                  (order_id,))]


def refunds(conn: sqlite3.Connection, order_id: int) -> list[Refund]:
    return resources.all_of(conn, Refund, "order_id = ?", (order_id,), order="created_at DESC, id DESC")


def audit_entries(conn: sqlite3.Connection, order_id: int, refund_ids: list[int] | tuple[int, ...] = ()
                  ) -> list[AuditEntry]:
    """Local audit entries for the order and for its refunds (the outbox names an after-sale
    write by its refund, ``refund:<id>``, not by the order), newest first."""
    found = audit.entries(conn, target=f"order:{order_id}")
    for refund_id in refund_ids:
        found += audit.entries(conn, target=f"refund:{refund_id}")
    return sorted(found, key=lambda e: e.seq, reverse=True)


def load(conn: sqlite3.Connection, order_id: int) -> OrderView | None:
    """The order's view, or None when the order is not in the cache."""
    bundle = store_orders.bundle(conn, order_id)
    if bundle is None:
        return None
    order_refunds = refunds(conn, order_id)
    return OrderView(bundle=bundle, buyer=resources.get(conn, User, bundle.order.uid),
                     logs=tuple(logs(conn, order_id)), refunds=tuple(order_refunds),
                     audit=tuple(audit_entries(conn, order_id, [r.id for r in order_refunds])))
