"""What shipping needs to know from the cache, read in batches.

A batch file has thousands of rows: each question is asked once for all of them (chunked
under SQLite's variable limit), never once per row.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from app.domain.enums import OrderRefundState, OrderStatus
from app.domain.models import Courier
from app.store import resources

# Far below SQLite's default limit of 32766 variables, and still few round trips.
CHUNK = 900

SHIP_ACTIONS = ("order.ship", "order.add_tracking")


@dataclass(frozen=True, slots=True)
class OrderRef:
    """An order as a shipping check sees it."""

    id: int
    number: str
    status: OrderStatus
    refund_state: OrderRefundState
    needs_delivery: bool
    receiver: tuple[str, str, str]  # name, mobile, address: who a parcel goes to
    tracking_numbers: tuple[str, ...]  # already on the order's parcels, upper-case


@dataclass(frozen=True, slots=True)
class QueuedShipment:
    """A ship written from this desk that the cache may not show yet (outbox)."""

    order_id: int
    state: str  # pending | sending | done
    courier_id: int
    tracking_numbers: tuple[str, ...]
    created_at: str


def _chunks(values: Sequence[str | int]) -> Iterator[Sequence[str | int]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def orders_by_number(conn: sqlite3.Connection, numbers: Iterable[str]) -> dict[str, OrderRef]:
    """The cached orders with these numbers, by number (numbers the cache lacks are absent)."""
    wanted = sorted({n for n in numbers if n})
    rows: list[sqlite3.Row] = []
    for chunk in _chunks(wanted):
        rows += conn.execute(
            "SELECT id, number, status, refund_state, needs_delivery, receiver_name, receiver_mobile, province, city, "
            f"district, address FROM orders WHERE number IN ({_marks(chunk)}) ORDER BY id", chunk).fetchall()
    tracking = _tracking_of(conn, [r[0] for r in rows])
    # Numbers are unique on the platforms; should two rows share one, the newer order wins.
    return {r[1]: OrderRef(
        id=r[0], number=r[1], status=OrderStatus(r[2]), refund_state=OrderRefundState(r[3]),
        needs_delivery=bool(r[4]), receiver=(r[5], r[6], f"{r[7]}{r[8]}{r[9]}{r[10]}"),
        tracking_numbers=tuple(tracking.get(r[0], ()))) for r in rows}


def _tracking_of(conn: sqlite3.Connection, order_ids: Sequence[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for chunk in _chunks(order_ids):
        for order_id, number in conn.execute(
                f"SELECT order_id, tracking_number FROM parcels WHERE order_id IN ({_marks(chunk)}) ORDER BY id",
                chunk):
            if number:
                out.setdefault(order_id, []).append(number.strip().upper())
    return out


def orders_with_tracking(conn: sqlite3.Connection, numbers: Iterable[str]) -> dict[str, list[int]]:
    """Orders that already carry each of these tracking numbers (cleaned, upper-case), by
    number; numbers no order carries are absent."""
    wanted = sorted({n.upper() for n in numbers if n})
    # The platform keeps a number as it was typed: a lower-case one must match too, and
    # asking for both spellings keeps the lookup on the tracking_number index.
    spellings = sorted({s for n in wanted for s in (n, n.lower())})
    found: dict[str, set[int]] = {}
    for chunk in _chunks(spellings):
        for number, order_id in conn.execute(
                f"SELECT tracking_number, order_id FROM parcels WHERE tracking_number IN ({_marks(chunk)})", chunk):
            found.setdefault(number.upper(), set()).add(order_id)
    return {n: sorted(ids) for n, ids in sorted(found.items())}


def receivers(conn: sqlite3.Connection, order_ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """Who each order goes to (name, mobile, address): one parcel may carry several orders
    of one buyer, and several buyers' orders never."""
    ids = sorted(set(order_ids))
    out: dict[int, tuple[str, str, str]] = {}
    for chunk in _chunks(ids):
        for r in conn.execute("SELECT id, receiver_name, receiver_mobile, province, city, district, address "
                              f"FROM orders WHERE id IN ({_marks(chunk)})", chunk):
            out[r[0]] = (r[1], r[2], f"{r[3]}{r[4]}{r[5]}{r[6]}")
    return out


def queued_shipments(conn: sqlite3.Connection, order_ids: Iterable[int]) -> dict[int, list[QueuedShipment]]:
    """Ship writes for these orders waiting in the outbox or sent but not yet synced back."""
    ids = {f"order:{i}" for i in order_ids}
    out: dict[int, list[QueuedShipment]] = {}
    if not ids:
        return out
    # The outbox is small (what this desk wrote); reading its ship entries whole is cheaper
    # than a chunked IN over targets it has no index on.
    for r in conn.execute(
            f"SELECT target, state, params, created_at FROM outbox WHERE action IN ({_marks(SHIP_ACTIONS)}) "
            "AND state IN ('pending', 'sending', 'done') ORDER BY seq", SHIP_ACTIONS):
        if r[0] not in ids:
            continue
        params = json.loads(r[2])
        numbers = params.get("numbers") or ([params["tracking_number"]] if params.get("tracking_number") else [])
        order_id = int(params["order_id"])
        out.setdefault(order_id, []).append(QueuedShipment(
            order_id=order_id, state=r[1], courier_id=int(params.get("courier_id", 0)),
            tracking_numbers=tuple(str(n).strip().upper() for n in numbers), created_at=r[3]))
    return out


def couriers(conn: sqlite3.Connection) -> list[Courier]:
    """The platform's courier list as last synced (empty before the first sync)."""
    return resources.all_of(conn, Courier, order="id")


def queue_provinces(conn: sqlite3.Connection) -> list[str]:
    """Provinces the orders waiting for shipment go to: the shipping queue's region filter."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT province FROM orders WHERE status = ? AND province != '' ORDER BY province",
        (int(OrderStatus.TO_SHIP),))]
