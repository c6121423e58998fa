"""The scan station's steps: scan the order barcode on the slip, then the courier label.

A keyboard-wedge scanner types each barcode and Enter; the station hands every complete
scan here. There is no button to confirm and nobody looking at a form, so anything
doubtful is refused with a sentence that says what to do, never sent with a warning:
WeChat lets a shop correct an order's shipping info only once. Deliberate exceptions
(a parcel shared by two orders, an unusual number) go through the ship dialog instead.

The checks on a number are ship_one's, the ones the ship dialog makes; the plan is
ship_one's too, so a scanned shipment is the same ``order.ship`` write as a typed one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from app.domain import tracking
from app.domain.couriers import COURIERS, CourierInfo
from app.domain.enums import OrderRefundState, OrderStatus
from app.domain.models import Courier
from app.services import order_actions, ship_one
from app.store import shipping

State = Literal["order", "label"]  # waiting for an order barcode | for a courier label
Kind = Literal["order", "switched", "ship", "error"]

# Writes that decide whether a scanned order may still ship (as the ship action's BLOCKING).
_BLOCKING = (ship_one.SHIP, ship_one.PICKUP, "order.close", "order.success")


@dataclass(frozen=True, slots=True)
class ScanOrder:
    """The order on the slip, as the station shows it."""

    id: int
    number: str
    receiver: str  # name and mobile
    address: str
    goods: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one scan came to. ``ship`` carries the plan to send; ``error`` says what to do."""

    kind: Kind
    zh: str
    en: str
    order: ScanOrder | None = None  # the order now waiting for its label, or the one shipped
    plan: ship_one.ShipPlan | None = None

    @property
    def ok(self) -> bool:
        return self.kind != "error"

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


@dataclass
class ScanFlow:
    """Fed complete scans with ``scan(raw)``; ``state`` says which barcode comes next.

    ``couriers`` is the platform's list (shipping.couriers); ``default_courier_id`` a
    platform courier id, used for numbers whose form names no courier (all digits: ZTO,
    STO, Yunda share them) or several (S10: EMS and China Post).
    """

    conn: sqlite3.Connection
    couriers: Sequence[Courier]
    default_courier_id: int | None = None
    state: State = "order"
    order: ScanOrder | None = None
    # What this session sent: the cache shows a shipment only after the platform's answer
    # is synced back, and a scan arrives a second later.
    used_numbers: dict[str, str] = field(default_factory=dict)  # tracking number → order number
    shipped_ids: set[int] = field(default_factory=set)

    def scan(self, raw: str) -> Outcome:
        code = tracking.clean(raw)
        if not code:
            return self._error("没有读到内容。请重新扫描。", "Nothing was read. Scan again.")
        found = shipping.orders_by_number(self.conn, [code]).get(code)
        if found is not None or self.state == "order":
            return self._take_order(code, found)
        return self._take_label(code)

    def reset(self) -> None:
        """Back to waiting for an order (staff pressed Esc or put the parcel aside)."""
        self.state, self.order = "order", None

    def forget(self, plan: ship_one.ShipPlan) -> None:
        """A shipment that did not happen (refused, or never sent): its order and label may be
        scanned again."""
        for number in plan.numbers:
            self.used_numbers.pop(number, None)
        self.shipped_ids.discard(plan.order_id)

    def default_courier(self) -> Courier | None:
        return next((c for c in self.couriers if c.id == self.default_courier_id), None)

    # ---- the order

    def _take_order(self, code: str, ref: shipping.OrderRef | None) -> Outcome:
        switching = self.state == "label" and self.order is not None
        if ref is None:
            # Waiting for an order, so it is not taken for a label: say what to scan.
            if tracking.looks_like(code) or shipping.orders_with_tracking(self.conn, [code]):
                return self._error(f"{code} 像是快递单号。请先扫描发货单上的订单条码。",
                                   f"{code} looks like a tracking number. Scan the order barcode on the slip first.")
            return self._error(f"找不到订单 {code}。请确认扫的是发货单上的订单条码；新订单请先同步（F5）。",
                               f"No order {code}. Make sure it is the order barcode on the slip; "
                               "for a new order, sync first (F5).")
        problem = self._cannot_ship(ref)
        if problem is not None:
            if switching:
                self.reset()  # the order on the table is no longer the one waiting
            return self._error(*problem)
        previous = self.order
        self.order = self._describe(ref)
        self.state = "label"
        if switching and previous is not None and previous.id != ref.id:
            return Outcome("switched", f"已换成订单 {ref.number}（订单 {previous.number} 未发货）。请扫描快递面单。",
                           f"Switched to order {ref.number} (order {previous.number} was not shipped). "
                           "Scan the courier label.", self.order)
        return Outcome("order", f"订单 {ref.number}：请扫描快递面单。", f"Order {ref.number}: scan the courier label.",
                       self.order)

    def _cannot_ship(self, ref: shipping.OrderRef) -> tuple[str, str] | None:
        n = ref.number
        if ref.id in self.shipped_ids:
            return (f"订单 {n} 刚刚已扫码发货。请拿下一张发货单。", f"Order {n} was just shipped here. Take the next slip.")
        if ref.status in (OrderStatus.SHIPPED, OrderStatus.TO_REVIEW, OrderStatus.DONE):
            numbers = "、".join(ref.tracking_numbers)
            return (f"订单 {n} 已发货{f'（{numbers}）' if numbers else ''}，不要重复发货。请把包裹放一边核对。",
                    f"Order {n} is already shipped{f' ({numbers})' if numbers else ''}. "
                    "Do not ship it twice; put the parcel aside and check.")
        if ref.status != OrderStatus.TO_SHIP:
            return (f"订单 {n} 是“{ref.status.label('zh')}”，不能发货。请把包裹放一边核对。",
                    f"Order {n} is '{ref.status.label('en')}' and cannot ship. Put the parcel aside and check.")
        if not ref.needs_delivery:
            return (f"订单 {n} 是到店自提订单，不需要快递。请放到自提区。",
                    f"Order {n} is for pickup in store, not delivery. Put it with the pickup orders.")
        if ref.refund_state in (OrderRefundState.HAS_REFUND, OrderRefundState.PROCESSING):
            return (f"订单 {n} 有买家的售后申请。请先在订单中处理售后，再发货。",
                    f"Order {n} has an after-sale request from the buyer. Handle it in the order before shipping.")
        waiting = order_actions.waiting_actions(self.conn, [ref.id]).get(ref.id, [])
        if any(a in _BLOCKING for a in waiting):
            return (f"订单 {n} 在待发送队列中已有发货或关闭的写入。请等它发送后再核对。",
                    f"Order {n} already has a ship or close waiting in the outbox. Check it once that is sent.")
        return None

    def _describe(self, ref: shipping.OrderRef) -> ScanOrder:
        row = self.conn.execute("SELECT goods_names FROM orders WHERE id = ?", (ref.id,)).fetchone()
        name, mobile, address = ref.receiver
        return ScanOrder(ref.id, ref.number, f"{name}  {mobile}".strip(), address, str(row[0] or "") if row else "")

    # ---- the label

    def _take_label(self, number: str) -> Outcome:
        order = self.order
        assert order is not None  # state "label" always has its order
        if number in self.used_numbers:
            return self._error(f"面单 {number} 刚刚已用于订单 {self.used_numbers[number]}。请扫描这个包裹自己的面单。",
                               f"Label {number} was just used for order {self.used_numbers[number]}. "
                               "Scan this parcel's own label.")
        courier = self._courier_for(number)
        if isinstance(courier, tuple):
            return self._error(*courier)
        checks = ship_one.check_numbers(self.conn, order.id, courier, [number])
        # No one confirms a warning here: any problem refuses, and says so.
        problems = [p for c in checks for p in c.problems]
        if problems:
            first = problems[0]
            if first.level == "error":
                return self._error(f"{first.zh}（未发货）", f"{first.en} (Not shipped.)")
            # Only unusual (a parcel shared by two orders): staff may mean it, elsewhere.
            return self._error(f"{first.zh}（未发货。确实要这样发，请用“发货…”对话框。）",
                               f"{first.en} (Not shipped. If this is intended, use the Ship… dialog.)")
        # Cannot raise: a courier, one number, and no errors (checked just above).
        plan = ship_one.plan(order.id, order.number, courier, checks)
        self.used_numbers[number] = order.number
        self.shipped_ids.add(order.id)
        self.reset()
        return Outcome("ship", f"订单 {order.number} 以 {courier.name} {number} 发货。",
                       f"Order {order.number} ships with {courier.name} {number}.", order, plan)

    def _courier_for(self, number: str) -> Courier | tuple[str, str]:
        """The platform courier whose number form this is, or why it cannot be told."""
        default = self.default_courier()
        default_info = ship_one.known_courier(default) if default is not None else None
        # A number with a courier's letters but not its form (a digit lost) is still that
        # courier's: tracking.check then says what is wrong with it.
        found = tracking.looks_like(number) or [c for c in COURIERS if c.prefix and number.startswith(c.prefix)]
        if len(found) > 1:
            if default is not None and default_info is not None and any(c.id == default_info.id for c in found):
                return default
            names = "、".join(c.name for c in found)
            return (f"单号 {number} 可能属于 {names}。请在上方“默认快递”中选择其中之一，再扫一次面单。",
                    f"{number} may belong to {', '.join(c.code for c in found)}. Choose one as the default courier "
                    "above, then scan the label again.")
        if len(found) == 1:
            return self._platform_courier(found[0], number)
        if default is None:
            why_zh, why_en = ("（纯数字单号多家快递通用）", " (several couriers use all-digit numbers)") \
                if number.isdigit() else ("", "")
            return (f"无法从单号 {number} 判断快递公司{why_zh}。请在上方“默认快递”中选择快递公司，再扫一次面单。",
                    f"The courier cannot be told from {number}{why_en}. "
                    "Choose the default courier above, then scan the label again.")
        if default_info is not None and default_info.pattern and not default_info.matches(number):
            shape = f"（{default_info.shape_zh}）" if default_info.shape_zh else ""
            return (f"单号 {number} 不是默认快递 {default.name} 的单号格式{shape}。请核对面单，或在上方更换默认快递后再扫一次。",
                    f"{number} is not in the default courier {default.name}'s format. Check the label, or change "
                    "the default courier above and scan again.")
        return default

    def _platform_courier(self, info: CourierInfo, number: str) -> Courier | tuple[str, str]:
        for c in self.couriers:
            known = ship_one.known_courier(c)
            if known is not None and known.id == info.id:
                return c
        return (f"单号 {number} 是{info.name}的，但平台的快递公司列表中没有{info.name}。请先同步快递公司，或在平台后台启用它。",
                f"{number} is a {info.name} number, but the platform's courier list lacks it. Sync the couriers, "
                "or enable it in the platform's admin.")

    def _error(self, zh: str, en: str) -> Outcome:
        return Outcome("error", zh, en, self.order)
