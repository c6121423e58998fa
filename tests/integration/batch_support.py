"""What the batch-apply tests and benchmark share: orders to ship placed on the practice
platform as a customer would, a batch file for them, and the platform's own count of what
was shipped."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from app.sandbox.ops import orders as order_ops
from app.sandbox.ops import shop as shop_ops

COURIER = "顺丰速运"


def add_orders_to_ship(conn: sqlite3.Connection, n: int, seed: int = 11) -> list[int]:
    """Place and pay ``n`` delivery orders (one to three lines each) on the practice platform.
    Deterministic from ``seed``, so two shops seeded alike get the same orders."""
    rng = random.Random(seed)
    # Enough stock that a thousand orders never run a SKU out (a refusal would be a test bug).
    conn.execute("UPDATE skus SET stock = stock + 100000")
    conn.commit()
    buyers = [r[0] for r in conn.execute("SELECT DISTINCT uid FROM addresses WHERE status = 0 ORDER BY uid")]
    goods = [r[0] for r in conn.execute("SELECT id FROM goods WHERE status = 0 ORDER BY id")]
    placed: list[int] = []
    for _ in range(n):
        uid = rng.choice(buyers)
        lines = [{"goodsId": g, "number": rng.choice((1, 1, 2))} for g in rng.sample(goods, rng.choice((1, 1, 2, 3)))]
        order = shop_ops.create_order(conn, uid, lines, None)
        order_ops.pay_online(conn, int(order["id"]), uid)
        placed.append(int(order["id"]))
    return placed


def numbers_for(conn: sqlite3.Connection, order_ids: Sequence[int], *, base: int,
                two_every: int = 0) -> dict[int, tuple[str, ...]]:
    """Unique SF numbers per order; every ``two_every``-th order gets two (a split parcel)."""
    out: dict[int, tuple[str, ...]] = {}
    for i, order_id in enumerate(order_ids):
        first = f"SF{base + 2 * i:013d}"
        out[order_id] = (first, f"SF{base + 2 * i + 1:013d}") if two_every and i % two_every == 0 else (first,)
    return out


def write_xlsx(path: Path, conn: sqlite3.Connection, numbers: dict[int, tuple[str, ...]]) -> Path:
    """A batch-ship workbook as staff keep it: numbers as text, several in one cell by comma."""
    from openpyxl import Workbook

    order_numbers = dict(conn.execute(
        f"SELECT id, order_number FROM orders WHERE id IN ({','.join('?' * len(numbers))})", list(numbers)).fetchall())
    book = Workbook()
    sheet = book.active
    sheet.append(["订单号", "快递公司", "快递单号"])
    for order_id, tracking in numbers.items():
        sheet.append([order_numbers[order_id], COURIER, ",".join(tracking)])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"
    book.save(path)
    return path


def shipped_on_platform(conn: sqlite3.Connection, order_ids: Sequence[int]) -> dict[int, tuple[list[str], int]]:
    """Per order, as the platform has it: its parcels' numbers, and how many ship logs it has
    (one per ``fahuo``: a second shipment of the same order would show as two)."""
    out: dict[int, tuple[list[str], int]] = {}
    for order_id in order_ids:
        parcels = [r[0] for r in conn.execute("SELECT tracking_number FROM parcels WHERE order_id = ? ORDER BY id",
                                              (order_id,))]
        logs = conn.execute("SELECT COUNT(*) FROM order_logs WHERE order_id = ? AND type = 2",
                            (order_id,)).fetchone()[0]
        out[order_id] = (parcels, int(logs))
    return out


def exactly_once(conn: sqlite3.Connection, numbers: dict[int, tuple[str, ...]]) -> list[str]:
    """What differs from "every order shipped once, with exactly its numbers": empty when right."""
    wrong = []
    for order_id, (parcels, logs) in shipped_on_platform(conn, list(numbers)).items():
        if sorted(parcels) != sorted(numbers[order_id]) or logs != 1:
            wrong.append(f"order {order_id}: parcels {parcels}, ship logs {logs}, wanted {numbers[order_id]}")
    return wrong
