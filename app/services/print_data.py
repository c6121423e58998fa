"""What each printed document shows, read from the cache: no Qt, no layout.

A shipping slip (发货单) and a packing list describe one order each; a pick list sums the
goods of a whole batch so one walk through the shelves serves every order in it. All of
them are built from many order ids with a few queries (``store.orders.bundles``), since a
batch of 500 slips must not cost 1,500 round trips to SQLite.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.domain.models import OrderBundle
from app.store import orders as store_orders


@dataclass(frozen=True, slots=True)
class GoodsLine:
    goods_id: int
    sku_id: int
    name: str
    spec: str  # the SKU's property text, e.g. "颜色:红;尺码:XL"
    quantity: int  # to pack: what is still unshipped, or all of it on a reprint of a shipped order


@dataclass(frozen=True, slots=True)
class SlipData:
    """One order as a shipping slip shows it."""

    order_id: int
    order_number: str
    created_at: datetime
    paid_at: datetime | None
    receiver_name: str
    receiver_phone: str  # in full: masking is the template's choice (mask_phone)
    address: str  # province, city, district and street in one line
    buyer_remark: str
    tracking_numbers: tuple[str, ...]
    courier: str  # the parcels' courier names, joined
    goods: tuple[GoodsLine, ...]

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.goods)


@dataclass(frozen=True, slots=True)
class PackingList(SlipData):
    """A slip's data plus what the packer needs and the buyer does not see on the label."""

    admin_remark: str = ""  # the shop's own note (送赠品, 加急 ...)


@dataclass(frozen=True, slots=True)
class PickOrder:
    order_number: str
    quantity: int


@dataclass(frozen=True, slots=True)
class PickLine:
    goods_id: int
    sku_id: int
    name: str
    spec: str
    quantity: int
    orders: tuple[PickOrder, ...]


@dataclass(frozen=True, slots=True)
class PickList:
    lines: tuple[PickLine, ...]
    order_numbers: tuple[str, ...]  # the batch, in the order asked
    missing: tuple[int, ...]  # ids asked for that the cache does not hold

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


def mask_phone(phone: str) -> str:
    """Hide the middle digits as couriers print them (13800130123 -> 138****0123), so a
    label on a parcel does not hand the buyer's number to everyone who handles it.

    Only the digits count: "+86 138-0013-0123" keeps its last four and its first three
    national digits. A number under 8 digits has no middle worth keeping: all but its
    last two digits are starred.
    """
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(0, len(digits) - 2) + digits[-2:]


def full_address(bundle: OrderBundle) -> str:
    receiver = bundle.receiver
    if receiver is None:
        return ""
    street = receiver.address.strip()
    # Some platforms put the whole address in the street field already; do not say 浙江省 twice.
    parts = [p for p in (receiver.province, receiver.city, receiver.district) if p]
    for n, part in enumerate(parts):
        if street.startswith(part):
            parts = parts[:n]
            break
    # A municipality repeats itself as province and city (北京市 北京市): once is enough.
    if len(parts) >= 2 and parts[0] == parts[1]:
        parts.pop(1)
    return "".join(parts) + street


def _goods(bundle: OrderBundle) -> tuple[GoodsLine, ...]:
    # A partly shipped order packs what is left; a fully shipped one being reprinted packs it all.
    unshipped = any(item.quantity_unshipped > 0 for item in bundle.items)
    return tuple(GoodsLine(goods_id=item.goods_id, sku_id=item.sku_id, name=item.name, spec=item.property,
                           quantity=item.quantity_unshipped if unshipped else item.quantity)
                 for item in bundle.items if not unshipped or item.quantity_unshipped > 0)


def _slip_fields(bundle: OrderBundle) -> dict[str, object]:
    receiver = bundle.receiver
    couriers = dict.fromkeys(p.courier_name for p in bundle.parcels if p.courier_name)
    return dict(order_id=bundle.order.id, order_number=bundle.order.number, created_at=bundle.order.created_at,
                paid_at=bundle.order.paid_at, receiver_name=receiver.name if receiver else "",
                receiver_phone=receiver.mobile if receiver else "", address=full_address(bundle),
                buyer_remark=bundle.order.buyer_remark.strip(),
                tracking_numbers=tuple(dict.fromkeys(p.tracking_number for p in bundle.parcels if p.tracking_number)),
                courier="、".join(couriers), goods=_goods(bundle))


def slip_from(bundle: OrderBundle) -> SlipData:
    return SlipData(**_slip_fields(bundle))  # type: ignore[arg-type]


def packing_from(bundle: OrderBundle) -> PackingList:
    return PackingList(**_slip_fields(bundle), admin_remark=bundle.order.admin_remark.strip())  # type: ignore[arg-type]


def slips(conn: sqlite3.Connection, order_ids: Sequence[int]) -> list[SlipData]:
    """Slips for the orders, in the order asked; orders the cache lacks are left out."""
    return [slip_from(b) for b in store_orders.bundles(conn, order_ids)]


def packing_lists(conn: sqlite3.Connection, order_ids: Sequence[int]) -> list[PackingList]:
    return [packing_from(b) for b in store_orders.bundles(conn, order_ids)]


def pick_list_from(bundles: Sequence[OrderBundle], missing: Sequence[int] = ()) -> PickList:
    """Sum the goods of a batch per SKU, each with the orders that want it, sorted by name
    and spec so the same goods stand together on the sheet as on the shelf."""
    totals: dict[tuple[int, int, str, str], list[PickOrder]] = {}
    for bundle in bundles:
        for line in _goods(bundle):
            key = (line.goods_id, line.sku_id, line.name, line.spec)
            totals.setdefault(key, []).append(PickOrder(bundle.order.number, line.quantity))
    lines = [PickLine(goods_id=g, sku_id=s, name=name, spec=spec, quantity=sum(o.quantity for o in wanted),
                      orders=tuple(wanted)) for (g, s, name, spec), wanted in totals.items()]
    lines.sort(key=lambda line: (line.name, line.spec, line.goods_id, line.sku_id))
    return PickList(lines=tuple(lines), order_numbers=tuple(b.order.number for b in bundles), missing=tuple(missing))


def pick_list(conn: sqlite3.Connection, order_ids: Sequence[int]) -> PickList:
    found = store_orders.bundles(conn, order_ids)
    held = {b.order.id for b in found}
    return pick_list_from(found, [i for i in dict.fromkeys(order_ids) if i not in held])
