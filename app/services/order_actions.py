"""Which merchant actions an order allows now, what each will do, and what is waiting.

The rules mirror the platforms (platform-api-research.md §2.7, and the practice shop's
``app/sandbox/ops/orders.py`` which enforces them): change price, mark paid and pay from
balance only while 待付款; close while 待付款 or 待发货 (a paid order is refunded in full
by the platform); set success while 待发货, 已发货 or 待评价; an admin remark at any time.
Checking here first means staff see why a button is disabled instead of sending a write
the platform will refuse.

A write already waiting in the outbox counts too: the same action twice is refused, and
an action queued behind a waiting status change is refused until that change is sent,
because the order's status after it is not known yet.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain.enums import OrderStatus
from app.domain.models import Order
from app.domain.money import from_cents
from app.services.outbox import ACTIONS
from app.store import outbox as store

CHANGE_PRICE = "order.change_price"
REMARK = "order.remark"
MARK_PAID = "order.mark_paid"
PAY_BALANCE = "order.pay_balance"
CLOSE = "order.close"
SUCCESS = "order.success"
ORDER_ACTIONS = (CHANGE_PRICE, REMARK, MARK_PAID, PAY_BALANCE, CLOSE, SUCCESS)
BULK_ACTIONS = (CLOSE, SUCCESS, REMARK)
# Actions that move the order to another status: anything queued behind one must wait.
STATUS_CHANGES = (MARK_PAID, PAY_BALANCE, CLOSE, SUCCESS)

ALLOWED: dict[str, tuple[OrderStatus, ...]] = {
    CHANGE_PRICE: (OrderStatus.UNPAID,),
    REMARK: tuple(OrderStatus),
    MARK_PAID: (OrderStatus.UNPAID,),
    PAY_BALANCE: (OrderStatus.UNPAID,),
    CLOSE: (OrderStatus.UNPAID, OrderStatus.TO_SHIP),
    SUCCESS: (OrderStatus.TO_SHIP, OrderStatus.SHIPPED, OrderStatus.TO_REVIEW),
}
MAX_REMARK = 500  # the platform refuses longer remarks
MAX_PRICE = Decimal("1000000")  # far above any order; a typo with extra zeros is caught here
QUEUED_ZH, QUEUED_EN = "已在待发送队列中", "Already waiting to be sent"


def _zh(lang: str) -> bool:
    return lang.startswith("zh")


def action_name(action: str, lang: str = "zh") -> str:
    """An outbox action as staff call it, in ``lang`` ("zh…" or anything else for English)."""
    spec = ACTIONS.get(action)
    if spec is None:
        return action
    return spec.zh if _zh(lang) else spec.en


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules look at, from a domain Order or a row of the cache's orders table."""

    id: int
    number: str
    status: OrderStatus
    is_paid: bool
    amount_paid: Decimal
    amount_refunded: Decimal
    amount_freight: Decimal
    admin_remark: str


def facts(order: Order | Mapping[str, Any] | sqlite3.Row) -> Facts:
    if isinstance(order, Order):
        return Facts(order.id, order.number, order.status, order.is_paid, order.amount_paid, order.amount_refunded,
                     order.amount_freight, order.admin_remark)
    return Facts(int(order["id"]), str(order["number"]), OrderStatus(int(order["status"])), bool(order["is_paid"]),
                 from_cents(order["amount_paid"]), from_cents(order["amount_refunded"]),
                 from_cents(order["amount_freight"]), str(order["admin_remark"] or ""))


def load_facts(conn: sqlite3.Connection, order_ids: Sequence[int]) -> list[Facts]:
    """The cached orders, in the order asked for; ids not in the cache are left out."""
    found: dict[int, Facts] = {}
    for start in range(0, len(order_ids), 500):  # SQLite's limit on bound parameters
        chunk = list(order_ids[start:start + 500])
        for row in conn.execute(f"SELECT * FROM orders WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            found[row["id"]] = facts(row)
    return [found[i] for i in order_ids if i in found]


def waiting_actions(conn: sqlite3.Connection, order_ids: Iterable[int] | None = None) -> dict[int, list[str]]:
    """Order id → the actions of its outbox entries not yet sent (oldest first)."""
    wanted = None if order_ids is None else {f"order:{i}" for i in order_ids}
    found: dict[int, list[str]] = {}
    for entry in store.in_state(conn, *store.OPEN_STATES):
        if entry.target.startswith("order:") and (wanted is None or entry.target in wanted):
            found.setdefault(int(entry.target.split(":")[1]), []).append(entry.action)
    return found


@dataclass(frozen=True, slots=True)
class Availability:
    ok: bool
    zh: str = ""
    en: str = ""

    def reason(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


OK = Availability(True)


def availability(action: str, order: Facts, waiting: Sequence[str] = (), *,
                 balance_supported: bool = True) -> Availability:
    """Whether ``action`` can be done on ``order`` now; if not, why (zh and en).

    ``waiting`` are the order's outbox actions not sent yet (``waiting_actions``).
    """
    spec = ACTIONS[action]
    if action in waiting:
        return Availability(False, QUEUED_ZH, QUEUED_EN)
    ahead = next((a for a in waiting if a in STATUS_CHANGES), None)
    if ahead is not None:
        first = ACTIONS[ahead]
        return Availability(False, f"待发送队列中的「{first.zh}」发送后才能{spec.zh}",
                            f"Wait until “{first.en}” has been sent")
    if action == PAY_BALANCE and not balance_supported:
        return Availability(False, "该平台不支持余额支付", "This platform cannot take payment from the balance")
    if order.status not in ALLOWED[action]:
        allowed_zh = "、".join(s.zh for s in ALLOWED[action])
        allowed_en = ", ".join(s.en.lower() for s in ALLOWED[action])
        return Availability(False, f"订单{order.status.zh}，不能{spec.zh}（仅限{allowed_zh}的订单）",
                            f"The order is {order.status.en.lower()}: {spec.en.lower()} is only for "
                            f"orders that are {allowed_en}")
    return OK


def confirmation(action: str, order: Facts, lang: str = "zh") -> str:
    """What will happen, in one or two sentences, for the confirmation before sending."""
    if not _zh(lang):
        return _confirmation_en(action, order)
    n = order.number
    if action == MARK_PAID:
        return (f"订单 {n} 将被设为已付款（线下收款 ¥{order.amount_paid:,.2f}），状态变为待发货。"
                "请确认这笔钱已经实际收到。")
    if action == PAY_BALANCE:
        return (f"将从买家的账户余额扣除 ¥{order.amount_paid:,.2f} 支付订单 {n}，状态变为待发货。"
                "余额不足时平台会拒绝。")
    if action == CLOSE:
        left = order.amount_paid - order.amount_refunded
        if order.is_paid and left > 0:
            return f"订单 {n} 将被关闭，已付的 ¥{left:,.2f} 将全额退还给买家。此操作不能撤销。"
        return f"订单 {n} 将被关闭，买家无法再付款。此操作不能撤销。"
    if action == SUCCESS:
        if order.status == OrderStatus.TO_SHIP:
            return f"订单 {n} 尚未发货，将直接设为交易成功（已完成），未发的商品视为已交付。"
        return f"订单 {n} 将被设为交易成功（已完成）。"
    return f"订单 {n}：{ACTIONS[action].zh}。"


def _confirmation_en(action: str, order: Facts) -> str:
    n = order.number
    if action == MARK_PAID:
        return (f"Order {n} will be marked as paid (¥{order.amount_paid:,.2f} received offline) and move to "
                "to ship. Make sure the money has really arrived.")
    if action == PAY_BALANCE:
        return (f"¥{order.amount_paid:,.2f} will be taken from the buyer's balance to pay order {n}, which then "
                "moves to to ship. The platform refuses if the balance is too low.")
    if action == CLOSE:
        left = order.amount_paid - order.amount_refunded
        if order.is_paid and left > 0:
            return f"Order {n} will be closed and the ¥{left:,.2f} paid refunded to the buyer in full. This cannot be undone."
        return f"Order {n} will be closed; the buyer can no longer pay. This cannot be undone."
    if action == SUCCESS:
        if order.status == OrderStatus.TO_SHIP:
            return (f"Order {n} has not been shipped: it will be marked as completed directly, and the goods not "
                    "shipped count as delivered.")
        return f"Order {n} will be marked as completed."
    return f"Order {n}: {ACTIONS[action].en}."


# ---- bulk ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BulkPlan:
    action: str
    doable: tuple[Facts, ...]
    excluded: tuple[tuple[Facts, Availability], ...]  # with why, in both languages

    @property
    def skipped(self) -> tuple[tuple[Facts, str], ...]:
        """The orders left out, with the reason in Chinese."""
        return tuple((f, why.zh) for f, why in self.excluded)

    def skipped_in(self, lang: str) -> tuple[tuple[Facts, str], ...]:
        return tuple((f, why.reason(lang)) for f, why in self.excluded)

    def summary(self, shown: int = 8, lang: str = "zh") -> str:
        """One confirmation: how many will be done, which are skipped and why."""
        if not _zh(lang):
            return self._summary_en(shown)
        spec = ACTIONS[self.action]
        lines = [f"将对 {len(self.doable)} 笔订单{spec.zh}。"]
        if self.action == CLOSE:
            paid = sum(1 for f in self.doable if f.is_paid and f.amount_paid > f.amount_refunded)
            lines.append("关闭后买家无法再付款" + (f"；其中 {paid} 笔已付款，将全额退款" if paid else "") + "。此操作不能撤销。")
        if self.skipped:
            lines.append(f"跳过 {len(self.skipped)} 笔：")
            lines += [f"  {f.number}：{why}" for f, why in self.skipped[:shown]]
            if len(self.skipped) > shown:
                lines.append(f"  ……另有 {len(self.skipped) - shown} 笔")
        return "\n".join(lines)

    def _summary_en(self, shown: int) -> str:
        spec = ACTIONS[self.action]
        count = len(self.doable)
        lines = [f"{spec.en}: {count} order{'s' if count != 1 else ''}."]
        if self.action == CLOSE:
            paid = sum(1 for f in self.doable if f.is_paid and f.amount_paid > f.amount_refunded)
            lines.append("Buyers can no longer pay once closed"
                         + (f"; {paid} already paid will be refunded in full" if paid else "")
                         + ". This cannot be undone.")
        skipped = self.skipped_in("en")
        if skipped:
            lines.append(f"Skipped: {len(skipped)}")
            lines += [f"  {f.number}: {why}" for f, why in skipped[:shown]]
            if len(skipped) > shown:
                lines.append(f"  …and {len(skipped) - shown} more")
        return "\n".join(lines)


def plan_bulk(action: str, orders: Sequence[Facts], waiting: Mapping[int, Sequence[str]], *,
              balance_supported: bool = True) -> BulkPlan:
    doable: list[Facts] = []
    skipped: list[tuple[Facts, Availability]] = []
    for order in orders:
        found = availability(action, order, waiting.get(order.id, ()), balance_supported=balance_supported)
        if found.ok:
            doable.append(order)
        else:
            skipped.append((order, found))
    return BulkPlan(action, tuple(doable), tuple(skipped))


# ---- input -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriceChange:
    total: Decimal
    freight: Decimal | None  # None: the freight stays as it is

    def params(self, order_id: int) -> dict[str, Any]:
        return {"order_id": order_id, "total": str(self.total),
                "freight": None if self.freight is None else str(self.freight)}


class InputError(ValueError):
    """What staff typed cannot be sent; the message says what to type instead."""

    def __init__(self, field: str, message: str, en: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.message = message  # Chinese
        self.en = en or message

    def text(self, lang: str = "zh") -> str:
        return self.message if _zh(lang) else self.en


def _money(text: str, name: str, field: str, name_en: str = "") -> Decimal:
    cleaned = text.strip().replace("¥", "").replace("，", "").replace(",", "").replace(" ", "")
    name_en = name_en or name
    not_number = InputError(field, f"{name}必须是数字，例如 88 或 88.50",
                            f"{name_en} must be a number, such as 88 or 88.50")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise not_number from None
    if not value.is_finite():
        raise not_number
    if value < 0:
        raise InputError(field, f"{name}不能为负数", f"{name_en} cannot be negative")
    if value != value.quantize(Decimal("0.01")):
        raise InputError(field, f"{name}最多两位小数（分）", f"{name_en} has at most two decimals (cents)")
    if value >= MAX_PRICE:
        raise InputError(field, f"{name}太大，请检查是否多输了 0", f"{name_en} is too large: check for an extra 0")
    return value.quantize(Decimal("0.01"))


def parse_price(order: Facts, total: str, freight: str) -> PriceChange:
    """Check a new price as typed; raises InputError naming the field at fault."""
    if not total.strip():
        raise InputError("total", "请填写新的订单总价", "Enter the new order total")
    new_total = _money(total, "订单总价", "total", "The order total")
    new_freight = None if not freight.strip() else _money(freight, "运费", "freight", "The shipping fee")
    if new_freight is not None and new_freight > new_total:
        raise InputError("freight", "运费不能高于订单总价（总价已包含运费）",
                         "Shipping cannot be more than the order total (the total includes shipping)")
    if new_total == order.amount_paid and (new_freight is None or new_freight == order.amount_freight):
        raise InputError("total", "新价格与当前价格相同，无需改价",
                         "The new price is the same as the current one: nothing to change")
    return PriceChange(new_total, None if new_freight == order.amount_freight else new_freight)


def check_remark(text: str) -> str:
    remark = text.strip()
    if len(remark) > MAX_REMARK:
        raise InputError("remark", f"备注最多 {MAX_REMARK} 个字，现在 {len(remark)} 个字",
                         f"A remark has at most {MAX_REMARK} characters; this one has {len(remark)}")
    return remark


# ---- what is waiting, in words ------------------------------------------------------------


def describe(entry: store.OutboxEntry, lang: str = "zh") -> str:
    """An outbox entry as staff would say it: the action and the new value."""
    if not _zh(lang):
        return _describe_en(entry)
    spec = ACTIONS.get(entry.action)
    name = spec.zh if spec else entry.action
    p = entry.params
    if entry.action == CHANGE_PRICE:
        text = f"改价为 ¥{Decimal(p['total']):,.2f}"
        if p.get("freight") is not None:
            text += f"（运费 ¥{Decimal(p['freight']):,.2f}）"
        return text
    if entry.action == REMARK:
        remark = str(p.get("remark", ""))
        return f"商家备注改为「{remark}」" if remark else "清空商家备注"
    return name


def _describe_en(entry: store.OutboxEntry) -> str:
    p = entry.params
    if entry.action == CHANGE_PRICE:
        text = f"Change price to ¥{Decimal(p['total']):,.2f}"
        if p.get("freight") is not None:
            text += f" (shipping ¥{Decimal(p['freight']):,.2f})"
        return text
    if entry.action == REMARK:
        remark = str(p.get("remark", ""))
        return f"Set remark to “{remark}”" if remark else "Clear the remark"
    return action_name(entry.action, "en")
