"""Orders in the cache: writing what the platform sent, reading it back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from app.domain.models import Order, OrderBundle, OrderDetail, OrderItem, Parcel, ParcelItem, Receiver, Trace
from app.domain.money import cents, from_cents
from app.store.codec import dumps, loads


def _ts(value: object) -> str | None:
    return None if value is None else value.isoformat(" ", "seconds")  # type: ignore[attr-defined]


def search_doc(bundle: OrderBundle, nick: str = "", user_mobile: str = "") -> str:
    """Everything staff search an order by, as one text for the trigram index."""
    o, r = bundle.order, bundle.receiver
    parts = [o.number, o.buyer_remark, o.admin_remark, o.pickup_code, nick, user_mobile]
    if r is not None:
        parts += [r.name, r.mobile, r.full_address]
    parts += [p.tracking_number for p in bundle.parcels]
    parts += [f"{i.name} {i.property}" for i in bundle.items]
    return "\n".join(p for p in parts if p)


def grams_doc(bundle: OrderBundle, nick: str = "") -> str:
    """Every 2-character piece of the names, goods and district, space-separated."""
    r = bundle.receiver
    texts = [nick, *(i.name for i in bundle.items)]
    if r is not None:
        texts += [r.name, r.district]
    return " ".join({t[k:k + 2] for t in texts for k in range(len(t) - 1)
                     if not (t[k].isspace() or t[k + 1].isspace())})


@dataclass(frozen=True, slots=True)
class OrderHead:
    """What the ``data`` column keeps: items and parcels live in their own tables."""

    order: Order
    receiver: Receiver | None


def order_row(bundle: OrderBundle) -> tuple:
    o, r = bundle.order, bundle.receiver
    return (
        o.id, o.number, o.uid, int(o.status), int(o.refund_state), int(o.needs_delivery), int(o.is_paid),
        cents(o.amount_goods), cents(o.amount_freight), cents(o.amount_discount), cents(o.amount_paid),
        cents(o.amount_refunded), o.goods_count, o.pickup_code, o.buyer_remark, o.admin_remark,
        r.name if r else "", r.mobile if r else "", r.province if r else "", r.city if r else "",
        r.district if r else "", r.address if r else "",
        ",".join(sorted({str(p.courier_id) for p in bundle.parcels})),
        " ".join(p.tracking_number for p in bundle.parcels if p.tracking_number),
        "；".join(f"{i.name}×{i.quantity}" for i in bundle.items),
        _ts(o.created_at), _ts(o.updated_at), _ts(o.paid_at), _ts(o.closed_at), int(bool(bundle.parcels)),
    )


ORDER_COLUMNS = ("id, number, uid, status, refund_state, needs_delivery, is_paid, amount_goods, amount_freight, "
                 "amount_discount, amount_paid, amount_refunded, goods_count, pickup_code, buyer_remark, admin_remark, "
                 "receiver_name, receiver_mobile, province, city, district, address, courier_ids, tracking_numbers, "
                 "goods_names, created_at, updated_at, paid_at, closed_at, shipped")
_UPSERT = (f"INSERT INTO orders ({ORDER_COLUMNS}) VALUES ({','.join('?' * 30)}) ON CONFLICT(id) DO UPDATE SET "
           + ", ".join(f"{c.strip()} = excluded.{c.strip()}" for c in ORDER_COLUMNS.split(",")[1:]))


def _parcel_row(p: Parcel) -> tuple:
    return (p.id, p.order_id, p.courier_id, p.courier_name, p.tracking_number, _ts(p.shipped_at), dumps(p.items),
            dumps(p.traces))


def _cached_parcels(conn: sqlite3.Connection, order_ids: list[int]) -> dict[int, list[Parcel]]:
    out: dict[int, list[Parcel]] = {i: [] for i in order_ids}
    if not order_ids:
        return out
    for r in conn.execute(f"SELECT * FROM parcels WHERE order_id IN ({','.join('?' * len(order_ids))}) ORDER BY id",
                          order_ids):
        out[r["order_id"]].append(Parcel(
            id=r["id"], order_id=r["order_id"], courier_id=r["courier_id"], courier_name=r["courier_name"],
            tracking_number=r["tracking_number"], items=loads(tuple[ParcelItem, ...], r["items"]),
            shipped_at=datetime.fromisoformat(r["shipped_at"]), traces=loads(tuple[Trace, ...], r["traces"])))
    return out


def write_bundles(conn: sqlite3.Connection, bundles: Iterable[OrderBundle]) -> int:
    """Insert or replace orders with their items and parcels, and index them for search.

    A bundle with every parcel replaces the order's parcels; a list page's partial view
    (``parcels_complete`` false) only adds a tracking number the cache does not know yet,
    so parcels learned from the order's detail are kept. Runs inside the writer's
    transaction; executemany keeps a 200-order page to a few milliseconds.
    """
    # Ascending ids: pages arrive newest first, and FTS5 (like any B-tree) takes rows in
    # rowid order about three times faster than in reverse.
    bundles = sorted(bundles, key=lambda b: b.order.id)
    if not bundles:
        return 0
    ids = [b.order.id for b in bundles]
    complete = [(b.order.id,) for b in bundles if b.parcels_complete]
    conn.executemany("DELETE FROM parcels WHERE order_id = ?", complete)
    conn.executemany("INSERT OR REPLACE INTO parcels VALUES (?,?,?,?,?,?,?,?)",
                     [_parcel_row(p) for b in bundles if b.parcels_complete for p in b.parcels])
    partial = [p for b in bundles if not b.parcels_complete for p in b.parcels]
    if partial:
        known = {(r[0], r[1]) for r in conn.execute(
            f"SELECT order_id, tracking_number FROM parcels WHERE order_id IN ({','.join('?' * len(ids))})", ids)}
        conn.executemany("INSERT OR REPLACE INTO parcels VALUES (?,?,?,?,?,?,?,?)",
                         [_parcel_row(p) for p in partial if (p.order_id, p.tracking_number) not in known])
    merged = _cached_parcels(conn, ids)
    full = [replace(b, parcels=tuple(merged[b.order.id]), parcels_complete=True) for b in bundles]
    users = {r[0]: (r[1], r[2]) for r in conn.execute(
        f"SELECT id, nick, mobile FROM users WHERE id IN ({','.join('?' * len(bundles))})",
        [b.order.uid for b in bundles])}
    conn.executemany(_UPSERT, [order_row(b) for b in full])
    conn.executemany("INSERT OR REPLACE INTO order_data (id, data) VALUES (?, ?)",
                     [(b.order.id, dumps(OrderHead(b.order, b.receiver))) for b in full])
    conn.executemany("DELETE FROM order_items WHERE order_id = ?", [(i,) for i in ids])
    conn.executemany("INSERT OR REPLACE INTO order_items VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [
        (i.id, i.order_id, i.goods_id, i.sku_id, i.name, i.pic, i.property, i.quantity, i.quantity_unshipped,
         cents(i.unit_price), cents(i.amount), i.after_sale) for b in bundles for i in b.items])
    conn.executemany("INSERT INTO order_search (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET "
                     "doc = excluded.doc", [(b.order.id, search_doc(b, *users.get(b.order.uid, ("", ""))))
                                             for b in full])
    conn.executemany("INSERT INTO order_grams (id, grams) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET "
                     "grams = excluded.grams", [(b.order.id, grams_doc(b, users.get(b.order.uid, ("",))[0]))
                                                for b in full])
    return len(bundles)


def write_detail(conn: sqlite3.Connection, detail: OrderDetail) -> None:
    write_bundles(conn, [detail.bundle])
    order_id = detail.order.id
    conn.execute("DELETE FROM order_logs WHERE order_id = ?", (order_id,))
    conn.executemany("INSERT OR REPLACE INTO order_logs VALUES (?,?,?,?,?,?)", [
        (log.id, log.order_id, log.kind, log.text, log.remark, _ts(log.time)) for log in detail.logs])
    from app.store.resources import write_refunds

    write_refunds(conn, detail.refunds)


def bundle(conn: sqlite3.Connection, order_id: int) -> OrderBundle | None:
    row = conn.execute("SELECT data FROM order_data WHERE id = ?", (order_id,)).fetchone()
    if row is None:
        return None
    head = loads(OrderHead, row[0])
    items = tuple(OrderItem(
        id=r["id"], order_id=r["order_id"], goods_id=r["goods_id"], sku_id=r["sku_id"], name=r["name"], pic=r["pic"],
        property=r["property"], quantity=r["quantity"], quantity_unshipped=r["quantity_unshipped"],
        unit_price=from_cents(r["unit_price"]), amount=from_cents(r["amount"]), after_sale=r["after_sale"])
        for r in conn.execute("SELECT * FROM order_items WHERE order_id = ? ORDER BY id", (order_id,)))
    return OrderBundle(order=head.order, items=items, receiver=head.receiver,
                       parcels=tuple(_cached_parcels(conn, [order_id])[order_id]))


def order(conn: sqlite3.Connection, order_id: int) -> Order | None:
    found = bundle(conn, order_id)
    return found.order if found else None


def items(conn: sqlite3.Connection, order_id: int) -> list[OrderItem]:
    found = bundle(conn, order_id)
    return list(found.items) if found else []


def parcels(conn: sqlite3.Connection, order_id: int) -> list[Parcel]:
    found = bundle(conn, order_id)
    return list(found.parcels) if found else []


def tracking_owner(conn: sqlite3.Connection, tracking_number: str) -> list[int]:
    """Orders that already carry this tracking number (for the duplicate check)."""
    return [r[0] for r in conn.execute("SELECT DISTINCT order_id FROM parcels WHERE tracking_number = ?",
                                       (tracking_number.strip(),))]
