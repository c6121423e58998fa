"""Shipping one order from the desk: what staff typed, checked, and turned into outbox writes.

The ship dialog only collects text; this module decides. Tracking numbers are cleaned
and checked per courier (app.domain.tracking), against each other and against the other
orders that already carry them, before anything is sent: WeChat lets a shop correct an
order's shipping info only once. An error blocks sending; a warning needs staff to look
again. A plan says in one sentence what will happen, then becomes the outbox writes:
``order.ship`` with the first number (and the line items of a partial shipment), then
``order.add_tracking`` with the other parcels' numbers.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.domain import tracking
from app.domain.couriers import CourierInfo, courier_for
from app.domain.models import Courier
from app.domain.regions import regions
from app.domain.tracking import Problem
from app.services.order_actions import InputError
from app.store import shipping

SHIP = "order.ship"
ADD_TRACKING = "order.add_tracking"
PICKUP = "order.pickup"
CHANGE_RECEIVER = "order.change_receiver"
MAX_PARCELS = 20  # more numbers than this for one order is a paste of the wrong column
_MOBILE = re.compile(r"1[3-9]\d{9}")


def _zh(lang: str) -> bool:
    return lang.startswith("zh")


def known_courier(courier: Courier) -> CourierInfo | None:
    """The number forms of a platform courier, found by its code or its name."""
    return courier_for(courier.code) or courier_for(courier.name)


def find_courier(text: str, couriers: Sequence[Courier]) -> Courier | None:
    """The platform's courier staff mean by a name, an alias or a code ("顺丰", "SF Express")."""
    text = text.strip()
    if not text:
        return None
    for c in couriers:
        if text in (c.name, c.code):
            return c
    info = courier_for(text)
    if info is None:
        return None
    return next((c for c in couriers if c.code == info.code or c.name == info.name), None)


def waiting_text(paid_at: str | None, now: datetime, lang: str = "zh") -> str:
    """How long an order has waited since payment: "45 分钟", "3 小时", "2 天"."""
    hours = waiting_hours(paid_at, now)
    if hours is None:
        return ""
    if hours < 1:
        minutes = max(int(hours * 60), 0)
        return f"{minutes} 分钟" if _zh(lang) else f"{minutes} min"
    if hours < 48:
        return f"{int(hours)} 小时" if _zh(lang) else f"{int(hours)} h"
    days = int(hours // 24)
    return f"{days} 天" if _zh(lang) else f"{days} days"


def waiting_hours(paid_at: str | None, now: datetime) -> float | None:
    if not paid_at:
        return None
    try:
        paid = datetime.fromisoformat(paid_at)
    except ValueError:
        return None
    return max((now - paid).total_seconds() / 3600, 0.0)


# ---- line items -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    item_id: int
    name: str
    spec: str
    quantity: int
    unshipped: int


def lines(conn: sqlite3.Connection, order_id: int) -> list[Line]:
    return [Line(r[0], r[1], r[2] or "", r[3], r[4]) for r in conn.execute(
        "SELECT id, name, property, quantity, quantity_unshipped FROM order_items WHERE order_id = ? ORDER BY id",
        (order_id,))]


# ---- tracking numbers -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NumberCheck:
    number: str  # cleaned
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]


def split_numbers(text: str) -> list[str]:
    """One number a line (a scanner ends each with Enter); commas and semicolons split too."""
    return [n for n in (tracking.clean(part) for part in re.split(r"[\n,，;；]+", text)) if n]


def check_numbers(conn: sqlite3.Connection, order_id: int, courier: Courier | None,
                  numbers: Sequence[str]) -> list[NumberCheck]:
    """Each cleaned number with its problems: the courier's forms, a number typed twice,
    one already on this order (an error) or on another order (a warning: one parcel may
    carry two orders of one buyer, but usually it is a scan of the wrong slip)."""
    info = known_courier(courier) if courier is not None else None
    owners = shipping.orders_with_tracking(conn, numbers)
    queued = shipping.queued_shipments(conn, _order_ids_waiting(conn))
    queued_by_number = {n: q.order_id for qs in queued.values() for q in qs if q.state != "done"
                        for n in q.tracking_numbers}
    order_numbers = set(shipping.orders_by_number(conn, numbers))
    others = _numbers_of(conn, [i for ids in owners.values() for i in ids] + list(queued_by_number.values()))
    seen: set[str] = set()
    out = []
    for number in numbers:
        problems = list(tracking.check(number, info, order_numbers=order_numbers))
        if number in seen:
            problems.append(Problem("error", f"单号 {number} 填了两次。每个包裹一个单号。",
                                    f"{number} is entered twice. One number per parcel."))
        seen.add(number)
        ids = owners.get(number, [])
        if order_id in ids:
            problems.append(Problem("error", f"单号 {number} 已在这笔订单上。", f"{number} is already on this order."))
        elif ids:
            names = "、".join(others.get(i, f"#{i}") for i in ids)
            problems.append(Problem("warning", f"单号 {number} 已用于订单 {names}。请确认不是扫错了面单。",
                                    f"{number} is already on order {names}. Make sure it is not the wrong slip."))
        elif number in queued_by_number and queued_by_number[number] != order_id:
            other = others.get(queued_by_number[number], "")
            problems.append(Problem("warning", f"单号 {number} 正在待发送队列中，用于订单 {other}。",
                                    f"{number} is waiting in the outbox for order {other}."))
        out.append(NumberCheck(number, tuple(problems)))
    return out


def _order_ids_waiting(conn: sqlite3.Connection) -> list[int]:
    return [int(r[0].split(":")[1]) for r in conn.execute(
        "SELECT target FROM outbox WHERE action IN (?, ?) AND state IN ('pending', 'sending')", (SHIP, ADD_TRACKING))
        if r[0].startswith("order:")]


def _numbers_of(conn: sqlite3.Connection, order_ids: Sequence[int]) -> dict[int, str]:
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    return dict(conn.execute(f"SELECT id, number FROM orders WHERE id IN ({','.join('?' * len(ids))})", ids))


# ---- the plan -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShipPlan:
    order_id: int
    order_number: str
    courier: Courier
    numbers: tuple[str, ...]  # empty: shipped without a tracking number
    items: tuple[tuple[int, int], ...] = ()  # (order item id, quantity); empty: everything unshipped
    adding: bool = False  # add numbers to an order already shipped

    def steps(self) -> list[tuple[str, dict[str, Any]]]:
        if self.adding:
            return [(ADD_TRACKING, {"order_id": self.order_id, "courier_id": self.courier.id,
                                    "numbers": list(self.numbers)})]
        first = self.numbers[0] if self.numbers else ""
        ship: dict[str, Any] = {"order_id": self.order_id, "courier_id": self.courier.id, "tracking_number": first}
        if self.items:
            ship["items"] = [list(i) for i in self.items]
        steps: list[tuple[str, dict[str, Any]]] = [(SHIP, ship)]
        if len(self.numbers) > 1:
            steps.append((ADD_TRACKING, {"order_id": self.order_id, "courier_id": self.courier.id,
                                         "numbers": list(self.numbers[1:])}))
        return steps

    def summary(self, lang: str = "zh") -> str:
        """What will happen, said before anything is sent."""
        n, name = self.order_number, self.courier.name
        numbers = "、".join(self.numbers) if _zh(lang) else ", ".join(self.numbers)
        if self.adding:
            return (f"订单 {n} 将补充 {name} 单号 {numbers}（{len(self.numbers)} 个包裹）。" if _zh(lang) else
                    f"Order {n} gets {name} tracking number(s) {numbers} ({len(self.numbers)} parcel(s)).")
        part = ""
        if self.items:
            count = sum(q for _i, q in self.items)
            part = f"部分发货（{count} 件），" if _zh(lang) else f"partial shipment ({count} item(s)), "
        if _zh(lang):
            how = f"以 {name} {numbers} 发货，共 {len(self.numbers)} 个包裹" if self.numbers else \
                f"以 {name} 发货，不填快递单号"
            return f"订单 {n} 将{part}{how}。发货信息在微信中只能修改一次。"
        how = f"ship with {name} {numbers}, {len(self.numbers)} parcel(s)" if self.numbers else \
            f"ship with {name}, without a tracking number"
        return f"Order {n} will {part}{how}. WeChat lets the shipping info be corrected only once."


def plan(order_id: int, order_number: str, courier: Courier | None, checks: Sequence[NumberCheck], *,
         without_tracking: bool = False, items: Sequence[tuple[int, int]] = (), all_lines: Sequence[Line] = (),
         adding: bool = False) -> ShipPlan:
    """The shipment staff asked for, or InputError naming the field at fault. Warnings are
    not checked here: the dialog asks about them once the errors are gone."""
    if courier is None:
        raise InputError("courier", "请从列表中选择快递公司", "Choose a courier from the list")
    numbers = tuple(c.number for c in checks)
    if not without_tracking or adding:
        if not numbers:
            raise InputError("numbers", "请填写快递单号", "Enter the tracking number")
        for c in checks:
            if c.errors:
                raise InputError("numbers", c.errors[0].zh, c.errors[0].en)
        if len(numbers) > MAX_PARCELS:
            raise InputError("numbers", f"一笔订单最多 {MAX_PARCELS} 个包裹", f"At most {MAX_PARCELS} parcels an order")
    else:
        numbers = ()
    chosen = tuple((i, q) for i, q in items if q > 0)
    if items and not adding:
        if not chosen:
            raise InputError("items", "请至少选择一件要发的商品", "Choose at least one item to ship")
        everything = {(line.item_id, line.unshipped) for line in all_lines if line.unshipped > 0}
        if set(chosen) == everything:
            chosen = ()  # every unshipped item in full: an ordinary shipment
        elif len(numbers) > 1:
            raise InputError("numbers", "部分发货时一次只能填一个单号（一个包裹）",
                             "A partial shipment takes one tracking number (one parcel) at a time")
    else:
        chosen = ()
    return ShipPlan(order_id, order_number, courier, numbers, chosen, adding)


# ---- the receiving address ------------------------------------------------------------------


def check_receiver(name: str, mobile: str, district_id: str, address: str, postcode: str = "") -> dict[str, str]:
    """The new receiver as ``order.change_receiver`` params (without order_id), or
    InputError naming the field at fault."""
    name, mobile, address, postcode = name.strip(), re.sub(r"[\s-]", "", mobile), address.strip(), postcode.strip()
    if not name:
        raise InputError("name", "请填写收货人姓名", "Enter the receiver's name")
    if len(name) > 25:
        raise InputError("name", "收货人姓名最多 25 个字", "The receiver's name has at most 25 characters")
    if not _MOBILE.fullmatch(mobile):
        raise InputError("mobile", "手机号应为 11 位数字，以 13–19 开头", "The mobile number has 11 digits, starting 13–19")
    table = regions()
    district = table.get(district_id)
    city = table.get(district.parent) if district else None
    province = table.get(city.parent) if city else None
    if district is None or city is None or province is None or district.level != 3:
        raise InputError("region", "请选择省、市、区县", "Choose the province, city and district")
    if len(address) < 4:
        raise InputError("address", "请填写详细地址（街道、门牌号）", "Enter the street address")
    if len(address) > 120:
        raise InputError("address", "详细地址最多 120 个字", "The street address has at most 120 characters")
    if postcode and not re.fullmatch(r"\d{6}", postcode):
        raise InputError("postcode", "邮编应为 6 位数字，可以不填", "A postcode has 6 digits (or leave it empty)")
    return {"name": name, "mobile": mobile, "province_id": province.code, "province": province.name,
            "city_id": city.code, "city": table.display_city(city.code), "district_id": district.code,
            "district": district.name, "address": address, "postcode": postcode}
