"""Sending write intents from the outbox: once, in order, safely across crashes and outages.

Every action knows how to run on the platform and how to tell, by reading the platform,
whether it has already taken effect. That check runs before any second attempt: after a
crash while an entry was ``sending``, after an answer lost in transit, and before replaying
what waited offline. So a write is never applied twice, and never silently dropped.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.domain.enums import LedgerKind, RefundDestination, RefundStatus
from app.domain.models import ParcelItem, Receiver
from app.platform.api import Platform, ShipRequest
from app.platform.errors import ConflictError, OfflineError, PlatformError
from app.store import audit
from app.store import orders as store_orders
from app.store import outbox as store
from app.store.codec import dumps
from app.store.database import Cache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Action:
    name: str
    zh: str
    en: str
    execute: Callable[[Platform, dict[str, Any]], Awaitable[Any]]
    applied: Callable[[Platform, dict[str, Any]], Awaitable[bool]]

    def target(self, params: dict[str, Any]) -> str:
        for key, kind in (("order_id", "order"), ("refund_id", "refund"), ("withdrawal_id", "withdrawal"),
                          ("voucher_id", "voucher"), ("uid", "user")):
            if key in params:
                return f"{kind}:{params[key]}"
        return "shop"


async def _order(p: Platform, params: dict[str, Any]) -> Any:
    return (await p.orders.get(int(params["order_id"]))).order


async def _parcels(p: Platform, params: dict[str, Any]) -> list[str]:
    return [x.tracking_number for x in (await p.orders.get(int(params["order_id"]))).bundle.parcels]


def _ship_request(params: dict[str, Any]) -> ShipRequest:
    return ShipRequest(order_id=int(params["order_id"]), courier_id=int(params["courier_id"]),
                       tracking_number=params.get("tracking_number") or None,
                       items=tuple(ParcelItem(int(i), int(n)) for i, n in params.get("items", [])))


RECEIVER_FIELDS = ("name", "mobile", "province_id", "province", "city_id", "city", "district_id", "district",
                   "address", "postcode")


def receiver_of(params: dict[str, Any]) -> Receiver:
    """The new receiver an ``order.change_receiver`` entry carries."""
    return Receiver(**{k: str(params.get(k) or "") for k in RECEIVER_FIELDS})


async def _receiver_applied(p: Platform, params: dict[str, Any]) -> bool:
    # What the platform keeps of a receiver (names of regions come from its own table).
    got = (await p.orders.get(int(params["order_id"]))).bundle.receiver
    wanted = receiver_of(params)
    return got is not None and (got.name, got.mobile, got.district_id, got.address) == (
        wanted.name, wanted.mobile, wanted.district_id, wanted.address)


async def _refund(p: Platform, params: dict[str, Any]) -> Any:
    return await p.refunds.get(int(params["refund_id"]))


async def _ship_applied(p: Platform, params: dict[str, Any]) -> bool:
    tracking = params.get("tracking_number")
    if tracking:
        return tracking in await _parcels(p, params)
    detail = await p.orders.get(int(params["order_id"]))
    wanted = {int(i) for i, _ in params.get("items", [])}
    items = [i for i in detail.bundle.items if not wanted or i.id in wanted]
    return all(i.quantity_unshipped == 0 for i in items)


ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("order.change_price", "改价", "Change price",
           lambda p, a: p.orders.change_price(int(a["order_id"]), Decimal(a["total"]),
                                              Decimal(a["freight"]) if a.get("freight") is not None else None),
           lambda p, a: _price_applied(p, a)),
    Action("order.remark", "修改备注", "Admin remark",
           lambda p, a: p.orders.set_remark(int(a["order_id"]), a["remark"]),
           lambda p, a: _check(p, a, lambda o: o.admin_remark == a["remark"])),
    Action("order.mark_paid", "设为已付款", "Mark paid",
           lambda p, a: p.orders.mark_paid(int(a["order_id"])),
           lambda p, a: _check(p, a, lambda o: o.is_paid)),
    Action("order.pay_balance", "余额支付", "Pay from balance",
           lambda p, a: p.orders.pay_from_balance(int(a["order_id"])),
           lambda p, a: _check(p, a, lambda o: o.is_paid)),
    Action("order.close", "关闭订单", "Close order",
           lambda p, a: p.orders.close(int(a["order_id"])),
           lambda p, a: _check(p, a, lambda o: int(o.status) == -1)),
    Action("order.success", "设为交易成功", "Set completed",
           lambda p, a: p.orders.set_success(int(a["order_id"])),
           lambda p, a: _check(p, a, lambda o: int(o.status) == 4)),
    Action("order.ship", "发货", "Ship", lambda p, a: p.orders.ship(_ship_request(a)), _ship_applied),
    Action("order.add_tracking", "补充快递单号", "Add tracking numbers",
           lambda p, a: p.orders.add_tracking(int(a["order_id"]), int(a["courier_id"]), list(a["numbers"])),
           lambda p, a: _has_all(p, a)),
    Action("order.pickup", "线下取货", "Picked up in store",
           lambda p, a: p.orders.pickup(int(a["order_id"])),
           lambda p, a: _check(p, a, lambda o: int(o.status) >= 3)),
    Action("order.change_receiver", "修改收货地址", "Change delivery address",
           lambda p, a: p.orders.change_receiver(int(a["order_id"]), receiver_of(a)),
           lambda p, a: _receiver_applied(p, a)),
    Action("refund.accept", "同意售后", "Accept after-sale",
           lambda p, a: _with_refund(p, a, lambda r: p.refunds.accept(r)),
           lambda p, a: _refund_at_least(p, a, RefundStatus.PROCESSING)),
    Action("refund.refuse", "拒绝售后", "Refuse after-sale",
           lambda p, a: _with_refund(p, a, lambda r: p.refunds.refuse(r, a["reason"])),
           lambda p, a: _refund_is(p, a, RefundStatus.REFUSED)),
    Action("refund.complete", "完成售后", "Complete after-sale",
           lambda p, a: _with_refund(p, a, lambda r: p.refunds.complete(r)),
           lambda p, a: _refund_is(p, a, RefundStatus.DONE)),
    Action("order.refund", "退款", "Refund money",
           lambda p, a: p.orders.refund(int(a["order_id"]), Decimal(a["amount"]), RefundDestination(int(a["to"])),
                                        bool(a.get("close")), a.get("remark", "")),
           lambda p, a: _check(p, a, lambda o: o.amount_refunded >= Decimal(a["expected_refunded"]))),
    Action("wallet.adjust", "调整资产", "Adjust assets",
           lambda p, a: p.wallet.adjust(int(a["uid"]), LedgerKind(a["kind"]), Decimal(a["delta"]), a["remark"]),
           lambda p, a: _assets_applied(p, a)),
)}


async def _check(p: Platform, params: dict[str, Any], test: Callable[[Any], bool]) -> bool:
    return bool(test(await _order(p, params)))


async def _price_applied(p: Platform, params: dict[str, Any]) -> bool:
    order = await _order(p, params)
    return order.amount_paid == Decimal(params["total"])


async def _has_all(p: Platform, params: dict[str, Any]) -> bool:
    have = set(await _parcels(p, params))
    return all(n in have for n in params["numbers"])


async def _with_refund(p: Platform, params: dict[str, Any], fn: Callable[[Any], Awaitable[Any]]) -> Any:
    return await fn(await _refund(p, params))


async def _refund_is(p: Platform, params: dict[str, Any], status: RefundStatus) -> bool:
    return (await _refund(p, params)).status == status


async def _refund_at_least(p: Platform, params: dict[str, Any], status: RefundStatus) -> bool:
    return (await _refund(p, params)).status in (status, RefundStatus.DONE)


async def _assets_applied(p: Platform, params: dict[str, Any]) -> bool:
    assets = await p.wallet.assets(int(params["uid"]))
    value = {"balance": assets.balance, "points": Decimal(assets.points), "token": Decimal(assets.tokens)}
    return value[params["kind"]] == Decimal(params["expected"])


class OutboxService:
    def __init__(self, platform: Platform, cache: Cache, *, operator: str, account: str,
                 refresh_order: Callable[[int], Awaitable[None]] | None = None) -> None:
        self.platform = platform
        self.cache = cache
        self.operator = operator
        self.account = account
        self.refresh_order = refresh_order
        self.online = True  # False after the platform could not be reached; replay() tries again
        # One queue walk at a time: a replay and a new submit must not both pick up the same entry.
        import asyncio  # here: the orders window imports this module's ACTIONS at start, before any loop

        self._sending = asyncio.Lock()
        # Entries being sent or checked right now, by any path (submit, replay, reconcile,
        # send_entry): an entry is only ever in one of them at a time, so it is never sent
        # twice by two coroutines. The event is set when the entry is let go.
        self._claims: dict[str, asyncio.Event] = {}

    async def submit(self, action: str, params: dict[str, Any],
                     on_recorded: Callable[[store.OutboxEntry], None] | None = None) -> store.OutboxEntry:
        """Record the intent, then send it now if the platform is reachable.

        ``on_recorded`` hears of the entry once it is stored and before it is sent, so a
        view can show the waiting write while the platform is still answering.
        """
        spec = ACTIONS[action]
        entry = await self.cache.writer.run(lambda c: store.record(c, action, spec.target(params), params,
                                                                   self.operator))
        if on_recorded is not None:
            on_recorded(entry)
        if self.online:
            async with self._sending:
                if not self._earlier_waiting(entry) and self._try_claim(entry.id):
                    try:
                        await self._send(entry)
                    finally:
                        self._release(entry.id)
        return store.get(self.cache.read, entry.id) or entry

    async def submit_now(self, action: str, params: dict[str, Any],
                         also: Callable[[sqlite3.Connection, store.OutboxEntry], None] | None = None,
                         ) -> store.OutboxEntry:
        """Record the intent and send it at once, alongside other sends: for writes that do
        not depend on each other's order (a batch shipment, one order per write).

        ``submit`` sends one entry at a time behind the whole queue; here only the writes of
        the same target keep their order (an earlier open entry for it holds this one back,
        ``pending`` until a replay). The guarantees are the same: recorded before it is
        sent, claimed so that nothing else sends it meanwhile, and checked on the platform
        before any second attempt. ``also(conn, entry)`` runs in the transaction that
        records it, so a caller's own record (a batch row) points at the entry from the
        moment it exists: a crash cannot leave an entry nobody knows is theirs.
        """
        spec = ACTIONS[action]

        def record(conn: sqlite3.Connection) -> store.OutboxEntry:
            entry = store.record(conn, action, spec.target(params), params, self.operator)
            if also is not None:
                also(conn, entry)
            return entry

        entry = await self.cache.writer.run(record)
        return await self.send_entry(entry.id)

    async def send_entry(self, entry_id: str) -> store.OutboxEntry | None:
        """Send one recorded entry now, if it is still open, without waiting for the queue.

        If another coroutine is sending or checking it, this waits for that to finish and
        then looks again (usually finding it settled). An entry that was sent before (after
        a crash, a lost answer or a failure staff retried) is first checked on the platform,
        as every send does. Returns the entry as it stands afterwards (None if unknown).
        """
        await self._claim(entry_id)
        try:
            entry = store.get(self.cache.read, entry_id)
            if entry is not None and entry.state in store.OPEN_STATES and not self._earlier_for_target(entry):
                await self._send(entry)
        finally:
            self._release(entry_id)
        return store.get(self.cache.read, entry_id)

    def _try_claim(self, entry_id: str) -> bool:
        import asyncio

        if entry_id in self._claims:
            return False
        self._claims[entry_id] = asyncio.Event()
        return True

    async def _claim(self, entry_id: str) -> None:
        while not self._try_claim(entry_id):
            await self._claims[entry_id].wait()

    def _release(self, entry_id: str) -> None:
        released = self._claims.pop(entry_id, None)
        if released is not None:
            released.set()

    def _earlier_waiting(self, entry: store.OutboxEntry) -> bool:
        """Writes go out in the order staff made them: a newer one waits behind older ones.

        An entry another target's ``submit_now`` is sending right now does not count: it is
        not waiting, and a batch of hundreds in flight must not hold up staff's next write."""
        return any(e.seq < entry.seq and (e.target == entry.target or e.id not in self._claims)
                   for e in store.in_state(self.cache.read, *store.OPEN_STATES))

    def _earlier_for_target(self, entry: store.OutboxEntry) -> bool:
        """An older open write for the same record: this one must not overtake it."""
        return any(e.seq < entry.seq and e.target == entry.target
                   for e in store.in_state(self.cache.read, *store.OPEN_STATES))

    def _before(self, entry: store.OutboxEntry) -> Any:
        if entry.target.startswith("order:"):
            found = store_orders.order(self.cache.read, int(entry.target.split(":")[1]))
            return json_of(found)
        return None

    async def _check_failed(self, entry: store.OutboxEntry, before: Any, exc: PlatformError) -> str:
        """Reading the platform to see whether an entry took effect did not work. A passing
        fault leaves it ``pending`` (checked again before it is sent); a refusal, such as the
        record being gone, fails it so that it does not hold up the entries behind it."""
        log.info("could not check %s %s on the platform: %s", entry.action, entry.target, exc)
        error = exc.message("zh")
        if exc.retryable:
            if isinstance(exc, OfflineError):
                self.online = False
            await self.cache.writer.run(lambda c: store.requeue(c, entry.id, error))
            return "pending"
        return await self._finish(entry, "failed", before, error)

    async def _send(self, entry: store.OutboxEntry) -> str:
        spec = ACTIONS[entry.action]
        before = self._before(entry)
        if entry.attempts > 0 or entry.state == "sending":
            # It may have reached the platform before: look before sending again.
            try:
                applied = await spec.applied(self.platform, entry.params)
            except PlatformError as exc:
                return await self._check_failed(entry, before, exc)
            if applied:
                return await self._finish(entry, "done", before, "applied before (checked on the platform)")
        await self.cache.writer.run(lambda c: store.mark(c, entry.id, "sending", attempt=True))
        try:
            await spec.execute(self.platform, entry.params)
        except OfflineError as exc:
            self.online = False
            error = exc.message("zh")
            await self.cache.writer.run(lambda c: store.requeue(c, entry.id, error))
            return "pending"
        except ConflictError as exc:
            return await self._finish(entry, "conflict", before, exc.message("zh"))
        except PlatformError as exc:
            if exc.retryable:  # it gave up retrying; the platform's state decides next time
                error = exc.message("zh")
                await self.cache.writer.run(lambda c: store.requeue(c, entry.id, error))
                return "pending"
            return await self._finish(entry, "failed", before, exc.message("zh"))
        return await self._finish(entry, "done", before, "ok")

    async def _finish(self, entry: store.OutboxEntry, state: str, before: Any, result: str) -> str:
        if self.refresh_order is not None and entry.target.startswith("order:"):
            try:
                await self.refresh_order(int(entry.target.split(":")[1]))
            except PlatformError as exc:
                log.info("could not refresh %s after %s: %s", entry.target, entry.action, exc)
        after = self._before(entry)

        def write(conn: Any) -> None:
            store.mark(conn, entry.id, state, result=result if state == "done" else "",
                       error="" if state == "done" else result)
            audit.append(conn, operator=entry.operator, account=self.account, action=entry.action,
                         target=entry.target, before=before, after={"params": entry.params, "state": after},
                         result=f"{state}: {result}")

        await self.cache.writer.run(write)
        return state

    async def reconcile(self) -> int:
        """After a restart: settle each entry that was in flight by reading the platform's state.

        Applied there → ``done``; not applied → ``pending`` (replay sends it); the platform
        could not tell → ``pending``, checked again before it is sent. Returns how many were
        found applied.
        """
        applied = 0
        async with self._sending:
            for entry in store.in_state(self.cache.read, "sending"):
                if not self._try_claim(entry.id):
                    continue  # in flight here and now, not left over from before: its sender settles it
                try:
                    applied += await self._reconcile_one(entry)
                finally:
                    self._release(entry.id)
        return applied

    async def _reconcile_one(self, entry: store.OutboxEntry) -> int:
        before = self._before(entry)
        try:
            found = await ACTIONS[entry.action].applied(self.platform, entry.params)
        except PlatformError as exc:
            await self._check_failed(entry, before, exc)
            return 0
        if found:
            await self._finish(entry, "done", before, "applied before (checked on the platform)")
            return 1
        await self.cache.writer.run(lambda c: store.requeue(c, entry.id, entry.error))
        return 0

    async def replay(self) -> int:
        """Send what waited, oldest first; stop at the first sign of being offline.
        Returns how many entries were settled (done, failed or conflict)."""
        self.online = True
        sent = 0
        async with self._sending:
            busy: set[str] = set()  # targets with an entry in flight elsewhere: what follows it waits
            for waiting in store.in_state(self.cache.read, *store.OPEN_STATES):
                if waiting.target in busy or not self._try_claim(waiting.id):
                    busy.add(waiting.target)
                    continue
                try:
                    entry = store.get(self.cache.read, waiting.id)
                    if entry is None or entry.state not in store.OPEN_STATES:
                        continue
                    outcome = await self._send(entry)
                finally:
                    self._release(waiting.id)
                if outcome == "pending":
                    break
                sent += 1
        return sent

    async def retry(self, entry_id: str) -> int:
        """Send a failed or conflicting entry again once staff have dealt with the cause.

        It goes back to ``pending`` with its attempt counted, so the platform is read before
        it is sent again; then everything waiting is replayed in order. Returns replay's count.
        """
        entry = store.get(self.cache.read, entry_id)
        if entry is not None and entry.state in ("failed", "conflict"):
            await self.cache.writer.run(lambda c: store.requeue(c, entry_id, entry.error))
        return await self.replay()

    def waiting(self) -> list[store.OutboxEntry]:
        return store.in_state(self.cache.read, *store.OPEN_STATES)

    def problems(self) -> list[store.OutboxEntry]:
        return store.in_state(self.cache.read, "failed", "conflict")

    async def dismiss(self, entry_id: str) -> bool:
        """Set a failed or conflicting entry aside (it stays in the outbox with its message)."""
        return await self.cache.writer.run(lambda c: store.set_aside(c, entry_id))


def json_of(value: Any) -> Any:
    return None if value is None else json.loads(dumps(value))
