"""Orders in the cache: writing what the platform sent, reading it back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from app.domain.enums import OrderRefundState, OrderStatus
from app.domain.flat import FlatOrder, of_bundle
from app.domain.models import (
    Order,
    OrderBundle,
    OrderDetail,
    OrderItem,
    Parcel,
    ParcelItem,
    Receiver,
    Trace,
    full_address,
)
from app.domain.money import cents, from_cents
from app.store import bulk_load
from app.store.codec import dumps, loads


def _ts(value: object) -> str | None:
    return None if value is None else value.isoformat(" ", "seconds")  # type: ignore[attr-defined]


class Shipped(NamedTuple):
    """What the order row and search text need of a parcel."""

    courier_id: int
    tracking_number: str


def search_doc(bundle: OrderBundle, nick: str = "", user_mobile: str = "",
               parcels: Sequence[Shipped | Parcel] | None = None) -> tuple[str, ...]:
    """Everything staff search an order by, one text per field of ``bulk_load.DOC_FIELDS``."""
    shipped = bundle.parcels if parcels is None else parcels
    return _with(_own_doc(bundle), nick, user_mobile, [p.tracking_number for p in shipped])


def _own_doc(bundle: OrderBundle) -> tuple[str, ...]:
    """The fields the order itself fills (the buyer and the parcels come from the cache)."""
    o, r = bundle.order, bundle.receiver
    return _doc(o.number, o.pickup_code, o.buyer_remark, o.admin_remark, r and r.name, r and r.mobile,
                r and r.full_address, [f"{i.name} {i.property}" for i in bundle.items])


def _doc(number: str, pickup_code: str, buyer_remark: str, admin_remark: str, name: str | None,
         mobile: str | None, address: str | None, goods: list[str]) -> tuple[str, ...]:
    # numbers, remarks, names, phones, destination, goods (tracking is added by _with)
    return (_lines(number, pickup_code), _lines(buyer_remark, admin_remark), name or "", mobile or "",
            address or "", "\n".join(goods))


def _lines(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _with(doc: tuple[str, ...], nick: str, user_mobile: str, tracking: list[str]) -> tuple[str, ...]:
    """The whole document: the order's own fields, the buyer's nick and mobile, the parcels'
    tracking numbers."""
    numbers, remarks, names, phones, destination, goods = doc
    return (numbers, remarks, _lines(names, nick), _lines(phones, user_mobile), destination, goods, _lines(*tracking))


def grams_doc(bundle: OrderBundle, nick: str = "") -> str:
    """Every 2-character piece of the names, goods and district, space-separated."""
    return _with_nick(_own_grams(bundle), nick)


def _own_grams(bundle: OrderBundle) -> str:
    r = bundle.receiver
    texts = [i.name for i in bundle.items]
    if r is not None:
        texts += [r.name, r.district]
    return " ".join(frozenset().union(*map(_pairs, texts)))


def _with_nick(grams: str, nick: str) -> str:
    return " ".join(p for p in (grams, " ".join(_pairs(nick))) if p)


@lru_cache(maxsize=1 << 16)
def _pairs(text: str) -> frozenset[str]:
    # Goods, districts and names repeat across thousands of orders: each is split once.
    return frozenset(text[k:k + 2] for k in range(len(text) - 1) if not (text[k].isspace() or text[k + 1].isspace()))


def order_row(bundle: OrderBundle, parcels: Sequence[Shipped | Parcel] | None = None) -> tuple:
    o, r = bundle.order, bundle.receiver
    if parcels is None:
        parcels = bundle.parcels
    return (
        o.id, o.number, o.uid, int(o.status), int(o.refund_state), int(o.needs_delivery), int(o.is_paid),
        cents(o.amount_goods), cents(o.amount_freight), cents(o.amount_discount), cents(o.amount_paid),
        cents(o.amount_refunded), o.goods_count, o.pickup_code, o.buyer_remark, o.admin_remark,
        r.name if r else "", r.mobile if r else "", r.province if r else "", r.city if r else "",
        r.district if r else "", r.address if r else "", *_parcel_columns(parcels),
        "；".join(f"{i.name}×{i.quantity}" for i in bundle.items),
        _ts(o.created_at), _ts(o.updated_at), _ts(o.paid_at), _ts(o.closed_at), int(bool(parcels)),
        r.province_id if r else "", r.city_id if r else "", r.district_id if r else "", r.postcode if r else "",
        int(r is not None),
    )


def _parcel_columns(parcels: Sequence[Shipped | Parcel]) -> tuple[str, str]:
    """courier_ids and tracking_numbers of an order row."""
    return (",".join(sorted({str(p.courier_id) for p in parcels})),
            " ".join(p.tracking_number for p in parcels if p.tracking_number))


def _with_parcels(row: tuple, parcels: Sequence[Shipped]) -> tuple:
    # A prepared row has these columns empty already: only an order with parcels needs this.
    # Positions in ORDER_COLUMNS: courier_ids 22, tracking_numbers 23, shipped 29.
    return (*row[:22], *_parcel_columns(parcels), *row[24:29], int(bool(parcels)), *row[30:])


ORDER_COLUMNS = ("id, number, uid, status, refund_state, needs_delivery, is_paid, amount_goods, amount_freight, "
                 "amount_discount, amount_paid, amount_refunded, goods_count, pickup_code, buyer_remark, admin_remark, "
                 "receiver_name, receiver_mobile, province, city, district, address, courier_ids, tracking_numbers, "
                 "goods_names, created_at, updated_at, paid_at, closed_at, shipped, province_id, city_id, district_id, "
                 "postcode, has_receiver")
_UPSERT = (f"INSERT INTO orders ({ORDER_COLUMNS}) VALUES ({','.join('?' * 35)}) ON CONFLICT(id) DO UPDATE SET "
           + ", ".join(f"{c.strip()} = excluded.{c.strip()}" for c in ORDER_COLUMNS.split(",")[1:]))

_SEARCH_UPSERT = (f"INSERT INTO order_search (id, {', '.join(bulk_load.DOC_FIELDS)}) VALUES "
                  f"({','.join('?' * (1 + len(bulk_load.DOC_FIELDS)))}) ON CONFLICT (id) DO UPDATE SET "
                  + ", ".join(f"{c} = excluded.{c}" for c in bulk_load.DOC_FIELDS))


def _parcel_row(p: Parcel) -> tuple:
    # A list page's parcels have no items or traces: no encoder call for their "[]".
    return (p.id, p.order_id, p.courier_id, p.courier_name, p.tracking_number, _ts(p.shipped_at),
            dumps(p.items) if p.items else "[]", dumps(p.traces) if p.traces else "[]")


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


class Prepared(NamedTuple):
    """A page of orders as plain values, made without the cache (so in any process), in
    ascending ids: pages arrive newest first, and B-trees, FTS5's above all, take rows in
    key order about three times faster than in reverse."""

    ids: list[int]
    uids: list[int]
    complete: list[int]  # orders whose every parcel the page lists
    parcels: list[tuple]  # their parcels
    partial: list[tuple]  # a list page's main parcel only: added when the cache lacks it
    rows: list[tuple]  # order rows, parcel columns empty until applied
    items: list[tuple]
    docs: list[tuple[str, ...]]  # search fields without what the cache adds (buyer, parcels)
    grams: list[str]


def prepare(bundles: Iterable[OrderBundle]) -> Prepared:
    return prepare_flat(map(of_bundle, bundles))


_NO_PLACE = ("",) * 6  # a pickup order's receiver columns (name … address)
_NO_CODES = ("",) * 4  # … and its region codes and postcode


def _order_id(flat: FlatOrder) -> int:
    return flat.order[0]  # type: ignore[no-any-return]


def prepare_flat(orders: Iterable[FlatOrder]) -> Prepared:
    """The page's rows, search text and grams; what ``order_row``, ``search_doc`` and
    ``grams_doc`` make of a bundle, made in one pass over plain values (a first sync's
    hot path: no object is built that the rows do not need)."""
    # An order twice on a page (a platform's page shifting under it) is written once, as it
    # came last: ``apply`` writes each id once, so its per-page bookkeeping holds.
    ordered = sorted({f.order[0]: f for f in orders}.values(), key=_order_id)
    rows, items, docs, grams, parcels, partial, complete = [], [], [], [], [], [], []
    for o, r, its, shipped, whole in ordered:
        goods = "；".join(f"{i[4]}×{i[7]}" for i in its)
        texts = [i[4] for i in its]
        lines = [f"{i[4]} {i[6]}" for i in its]
        if r is None:
            rows.append((*o[:16], *_NO_PLACE, "", "", goods, *o[16:], 0, *_NO_CODES, 0))
            docs.append(_doc(o[1], o[13], o[14], o[15], None, None, None, lines))
        else:
            rows.append((*o[:16], *r[:6], "", "", goods, *o[16:], 0, *r[6:], 1))
            docs.append(_doc(o[1], o[13], o[14], o[15], r[0], r[1], full_address(r[2], r[3], r[4], r[5]), lines))
            texts += (r[0], r[4])
        grams.append(" ".join(frozenset().union(*map(_pairs, texts))))
        items += its
        if whole:
            complete.append(o[0])
            parcels += map(_parcel_row, shipped)
        else:
            partial += map(_parcel_row, shipped)
    return Prepared(ids=[f.order[0] for f in ordered], uids=[f.order[2] for f in ordered], complete=complete,
                    parcels=parcels, partial=partial, rows=rows, items=items, docs=docs, grams=grams)


def apply(conn: sqlite3.Connection, page: Prepared) -> int:
    """Write a prepared page: orders with their items and parcels, indexed for search.

    A complete bundle replaces the order's parcels; a list page's partial view only adds
    a tracking number the cache does not know yet, so parcels learned from the order's
    detail are kept. Runs inside the caller's transaction.
    """
    if not page.ids:
        return 0
    ids, marks = page.ids, ",".join("?" * len(page.ids))
    conn.executemany("DELETE FROM parcels WHERE order_id = ?", [(i,) for i in page.complete])
    conn.executemany("INSERT OR REPLACE INTO parcels VALUES (?,?,?,?,?,?,?,?)", page.parcels)
    if page.partial:
        known = {(r[0], r[1]) for r in conn.execute(
            f"SELECT order_id, tracking_number FROM parcels WHERE order_id IN ({marks})", ids)}
        conn.executemany("INSERT OR REPLACE INTO parcels VALUES (?,?,?,?,?,?,?,?)",
                         [p for p in page.partial if (p[1], p[4]) not in known])
    # Every parcel the cache now holds for these orders, as the row and search text need them.
    shipped: dict[int, list[Shipped]] = {i: [] for i in ids}
    for order_id, courier_id, tracking in conn.execute(
            f"SELECT order_id, courier_id, tracking_number FROM parcels WHERE order_id IN ({marks}) ORDER BY id", ids):
        shipped[order_id].append(Shipped(courier_id, tracking))
    users = {r[0]: (r[1], r[2]) for r in conn.execute(
        f"SELECT id, nick, mobile FROM users WHERE id IN ({marks})", page.uids)}
    bulk = bulk_load.active(conn)
    if bulk:  # the tab counters are kept here, per page, while a bulk load runs
        before = [(r[0], r[1]) for r in conn.execute(
            f"SELECT status, refund_state FROM orders WHERE id IN ({marks})", ids)]
    conn.executemany(_UPSERT, [_with_parcels(row, shipped[row[0]]) if shipped[row[0]] else row for row in page.rows])
    conn.execute(f"DELETE FROM order_items WHERE order_id IN ({marks})", ids)
    conn.executemany("INSERT OR REPLACE INTO order_items VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", page.items)
    buyers = [users.get(uid, ("", "")) for uid in page.uids]
    conn.executemany(_SEARCH_UPSERT, [(i, *_with(doc, nick, mobile, [p.tracking_number for p in shipped[i]]))
                                      for i, doc, (nick, mobile) in zip(ids, page.docs, buyers, strict=True)])
    conn.executemany("INSERT INTO order_grams (id, grams) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET "
                     "grams = excluded.grams", [(i, _with_nick(grams, nick))
                                                for i, grams, (nick, _) in zip(ids, page.grams, buyers, strict=True)])
    if bulk:
        _recount(conn, before, page.rows)
        bulk_load.queue(conn, ids)
    return len(ids)


def _recount(conn: sqlite3.Connection, before: list[tuple[int, int]], rows: list[tuple]) -> None:
    """Move the tab counters from the (status, refund state) the page's orders had to the
    ones they have now: what the counter triggers do row by row outside a bulk load."""
    delta: dict[tuple[int, int], int] = {}
    for key in before:
        delta[key] = delta.get(key, 0) - 1
    for row in rows:
        key = (row[3], row[4])
        delta[key] = delta.get(key, 0) + 1
    conn.executemany("INSERT INTO order_counts VALUES (?, ?, ?) ON CONFLICT (status, refund_state) "
                     "DO UPDATE SET n = n + excluded.n", [(*key, n) for key, n in delta.items() if n])


def write_bundles(conn: sqlite3.Connection, bundles: Iterable[OrderBundle]) -> int:
    """Insert or replace orders with their items and parcels, and index them for search."""
    return apply(conn, prepare(bundles))


def write_detail(conn: sqlite3.Connection, detail: OrderDetail) -> None:
    write_bundles(conn, [detail.bundle])
    order_id = detail.order.id
    conn.execute("DELETE FROM order_logs WHERE order_id = ?", (order_id,))
    conn.executemany("INSERT OR REPLACE INTO order_logs VALUES (?,?,?,?,?,?)", [
        (log.id, log.order_id, log.kind, log.text, log.remark, _ts(log.time)) for log in detail.logs])
    from app.store.resources import write_refunds

    write_refunds(conn, detail.refunds)


def bundle(conn: sqlite3.Connection, order_id: int) -> OrderBundle | None:
    row = conn.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
    if row is None:
        return None
    items = tuple(_item(r) for r in conn.execute("SELECT * FROM order_items WHERE order_id = ? ORDER BY id",
                                                 (order_id,)))
    return OrderBundle(order=_order(row), items=items, receiver=_receiver(row),
                       parcels=tuple(_cached_parcels(conn, [order_id])[order_id]))


BATCH = 900  # ids per IN (...): under SQLite's oldest variable limit (999)


def bundles(conn: sqlite3.Connection, order_ids: Sequence[int]) -> list[OrderBundle]:
    """Many orders at once, in the order asked, missing ones left out: three queries per
    900 orders rather than three per order (printing 500 slips reads them all)."""
    found: dict[int, OrderBundle] = {}
    wanted = list(dict.fromkeys(order_ids))
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start:start + BATCH]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(f"SELECT * FROM orders WHERE id IN ({marks})", chunk).fetchall()
        items: dict[int, list[OrderItem]] = {r["id"]: [] for r in rows}
        for r in conn.execute(f"SELECT * FROM order_items WHERE order_id IN ({marks}) ORDER BY order_id, id", chunk):
            items.setdefault(r["order_id"], []).append(_item(r))
        parcels = _cached_parcels(conn, [r["id"] for r in rows])
        for r in rows:
            found[r["id"]] = OrderBundle(order=_order(r), items=tuple(items[r["id"]]), receiver=_receiver(r),
                                         parcels=tuple(parcels[r["id"]]))
    return [found[i] for i in wanted if i in found]


def _item(r: sqlite3.Row) -> OrderItem:
    return OrderItem(
        id=r["id"], order_id=r["order_id"], goods_id=r["goods_id"], sku_id=r["sku_id"], name=r["name"], pic=r["pic"],
        property=r["property"], quantity=r["quantity"], quantity_unshipped=r["quantity_unshipped"],
        unit_price=from_cents(r["unit_price"]), amount=from_cents(r["amount"]), after_sale=r["after_sale"])


def _order(r: sqlite3.Row) -> Order:
    return Order(
        id=r["id"], number=r["number"], uid=r["uid"], status=OrderStatus(r["status"]),
        amount_goods=from_cents(r["amount_goods"]), amount_freight=from_cents(r["amount_freight"]),
        amount_discount=from_cents(r["amount_discount"]), amount_paid=from_cents(r["amount_paid"]),
        amount_refunded=from_cents(r["amount_refunded"]), goods_count=r["goods_count"],
        refund_state=OrderRefundState(r["refund_state"]), needs_delivery=bool(r["needs_delivery"]),
        is_paid=bool(r["is_paid"]), pickup_code=r["pickup_code"], buyer_remark=r["buyer_remark"],
        admin_remark=r["admin_remark"], created_at=datetime.fromisoformat(r["created_at"]),
        updated_at=datetime.fromisoformat(r["updated_at"]), paid_at=_dt(r["paid_at"]), closed_at=_dt(r["closed_at"]))


def _receiver(r: sqlite3.Row) -> Receiver | None:
    if not r["has_receiver"]:
        return None
    return Receiver(name=r["receiver_name"], mobile=r["receiver_mobile"], province_id=r["province_id"],
                    province=r["province"], city_id=r["city_id"], city=r["city"], district_id=r["district_id"],
                    district=r["district"], address=r["address"], postcode=r["postcode"])


def _dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


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
