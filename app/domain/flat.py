"""Orders as plain values: what a first sync moves a million of.

An ``OrderBundle`` is the order as the rest of the app reads it: dataclasses, Decimal
money, datetimes, enums. A first sync only carries each order from the platform's page
to the cache's rows, and building those objects to take them apart again at once was
about a third of the sync's CPU in the app's process. ``FlatOrder`` holds the same
information as an ``OrderBundle`` as tuples of ints and strings — money in cents, times
as 'YYYY-MM-DD HH:MM:SS' text, enums and flags as ints — in the field orders below.

An adapter may map its list pages straight to ``FlatOrder``s (API工厂 does, see
``app.platform.apifm.bulk``); ``of_bundle`` makes the same from a bundle, and the two are
checked against each other on the same pages.
"""

from __future__ import annotations

from typing import NamedTuple

from app.domain.models import OrderBundle, Parcel, Receiver
from app.domain.money import cents

ORDER_FIELDS = ("id", "number", "uid", "status", "refund_state", "needs_delivery", "is_paid", "amount_goods",
                "amount_freight", "amount_discount", "amount_paid", "amount_refunded", "goods_count", "pickup_code",
                "buyer_remark", "admin_remark", "created_at", "updated_at", "paid_at", "closed_at")
# Shown names and place names first, then the region codes.
RECEIVER_FIELDS = ("name", "mobile", "province", "city", "district", "address", "province_id", "city_id",
                   "district_id", "postcode")
ITEM_FIELDS = ("id", "order_id", "goods_id", "sku_id", "name", "pic", "property", "quantity", "quantity_unshipped",
               "unit_price", "amount", "after_sale")


class FlatOrder(NamedTuple):
    order: tuple  # ORDER_FIELDS
    receiver: tuple | None  # RECEIVER_FIELDS; None for a pickup order
    items: tuple[tuple, ...]  # ITEM_FIELDS each
    parcels: tuple[Parcel, ...]  # few on a list page, and partial there: kept as they are
    parcels_complete: bool


def timestamp(value: object) -> str | None:
    return None if value is None else value.isoformat(" ", "seconds")  # type: ignore[attr-defined]


def _receiver(r: Receiver | None) -> tuple | None:
    if r is None:
        return None
    return (r.name, r.mobile, r.province, r.city, r.district, r.address, r.province_id, r.city_id, r.district_id,
            r.postcode)


def of_bundle(bundle: OrderBundle) -> FlatOrder:
    o = bundle.order
    return FlatOrder(
        order=(o.id, o.number, o.uid, int(o.status), int(o.refund_state), int(o.needs_delivery), int(o.is_paid),
               cents(o.amount_goods), cents(o.amount_freight), cents(o.amount_discount), cents(o.amount_paid),
               cents(o.amount_refunded), o.goods_count, o.pickup_code, o.buyer_remark, o.admin_remark,
               timestamp(o.created_at), timestamp(o.updated_at), timestamp(o.paid_at), timestamp(o.closed_at)),
        receiver=_receiver(bundle.receiver),
        items=tuple((i.id, i.order_id, i.goods_id, i.sku_id, i.name, i.pic, i.property, i.quantity,
                     i.quantity_unshipped, cents(i.unit_price), cents(i.amount), i.after_sale) for i in bundle.items),
        parcels=bundle.parcels, parcels_complete=bundle.parcels_complete)
