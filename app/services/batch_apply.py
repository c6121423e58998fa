"""Applying a checked batch-ship file: bounded concurrency, partial success, resumable.

After the dry run (``batch_ship.dry_run``) staff confirm; ``BatchRunner.start`` records the
batch and every row with its verdict in one transaction, and ``run`` sends each order's
shipment through the outbox, ``concurrency`` orders at a time: the first tracking number
with ``order.ship``, any further ones with ``order.add_tracking`` once the ship is done.

Nothing is shipped twice, whatever happens in between:

* a row is ``sending`` from the transaction that records its outbox entry, so after a
  crash every row knows the one entry that may have reached the platform;
* ``resume`` first lets the outbox settle entries caught in flight by reading the
  platform (``reconcile``), then sends what is left, each entry checked again if it was
  ever sent;
* ``retry_failed`` sends the same entries again (never new ones), so the outbox's
  check-before-retry decides whether anything is sent at all;
* the dry run of a file applied before finds its numbers on the orders or in the outbox
  and skips those rows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.services.batch_ship import Note, Row, Verdict
from app.services.outbox import OutboxService
from app.store import outbox as outbox_store
from app.store import ship_batches
from app.store.database import Cache
from app.store.ship_batches import Batch, BatchRow

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (rows settled, rows to send)
SETTLED_ENTRY = ("done",)
REFUSED_ENTRY = ("failed", "conflict", "dismissed")


def _batch_row(v: Verdict, include_warnings: bool) -> BatchRow:
    send = v.sendable and (v.kind == "ok" or include_warnings)
    if v.kind == "warning" and not send:
        message = "需确认的行未选择发送。/ Rows to confirm were not chosen to be sent."
    else:
        message = "" if send else v.message("zh")
    return BatchRow(line=v.line, order_number=v.order_number, order_id=v.order_id, courier_id=v.courier_id,
                    courier_name=v.courier_name, tracking_numbers=v.tracking_numbers, verdict=v.kind,
                    notes=tuple((n.kind, n.zh, n.en) for n in v.notes),
                    row={"cells": list(v.row.cells), "courier": v.row.courier, "tracking_text": v.row.tracking_text,
                         "tracking_numbers": list(v.row.tracking_numbers)},
                    state="waiting" if send else "skipped", message=message)


def _steps(order_id: int, courier_id: int, numbers: Sequence[str]) -> list[tuple[str, dict[str, Any]]]:
    """The outbox writes that ship one order with these numbers, in the order they must go."""
    steps: list[tuple[str, dict[str, Any]]] = [
        ("order.ship", {"order_id": order_id, "courier_id": courier_id, "tracking_number": numbers[0]})]
    if len(numbers) > 1:
        steps.append(("order.add_tracking", {"order_id": order_id, "courier_id": courier_id,
                                             "numbers": list(numbers[1:])}))
    return steps


def _numbers(rows: Sequence[BatchRow]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for r in rows for n in r.tracking_numbers))


class BatchRunner:
    """Applies recorded batches through the outbox. One runner per desk; the UI calls
    ``start`` after the dry run, then ``run`` (or ``resume`` for a batch ``unfinished``
    after a restart), ``stop`` from its cancel button, ``retry_failed`` and ``results``."""

    def __init__(self, cache: Cache, outbox: OutboxService, *, concurrency: int = 8) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.cache = cache
        self.outbox = outbox
        self.concurrency = concurrency
        self._stopping = False

    async def start(self, verdicts: Sequence[Verdict], source: str | Path, header: Sequence[str] = (), *,
                    include_warnings: bool = True) -> int:
        """Record the batch and all its rows, verdicts included, in one transaction; nothing is
        sent yet. Rows with an error or skip verdict, and warnings when not
        ``include_warnings``, are ``skipped``. Returns the batch id."""
        rows = [_batch_row(v, include_warnings) for v in verdicts]
        operator = self.outbox.operator
        return await self.cache.writer.run(lambda c: ship_batches.create(
            c, source=Path(source).name, operator=operator, header=tuple(header), rows=rows))

    def stop(self) -> None:
        """Send no more orders: those already going finish, the rest stay ``waiting`` (the
        batch ends ``stopped``; ``run`` or ``resume`` later goes on)."""
        self._stopping = True

    async def run(self, batch_id: int, on_progress: Progress | None = None) -> Batch:
        """Send every row still to send, ``concurrency`` orders at a time. Returns the batch
        as it ends: ``done`` when every row to send is done, else ``stopped`` (failures,
        offline, or ``stop``)."""
        return await self._run(batch_id, on_progress, retrying=False)

    async def resume(self, batch_id: int, on_progress: Progress | None = None) -> Batch:
        """Go on with a batch a crash or a closed window cut short.

        Entries caught ``sending`` are settled by the outbox from the platform's state
        first (applied there → done, without sending); only then is anything sent.
        """
        await self.outbox.reconcile()
        return await self._run(batch_id, on_progress, retrying=False)

    async def retry_failed(self, batch_id: int, on_progress: Progress | None = None) -> Batch:
        """Send the failed rows again, through their own outbox entries: each is checked on
        the platform first, so a failure whose write did land is not sent twice."""
        failed = ship_batches.rows(self.cache.read, batch_id, "failed")
        order_ids = list(dict.fromkeys(r.order_id for r in failed if r.order_id is not None))

        def back_to_waiting(conn: Any) -> None:
            for order_id in order_ids:
                ship_batches.set_order_state(conn, batch_id, order_id, "waiting")

        await self.cache.writer.run(back_to_waiting)
        return await self._run(batch_id, on_progress, retrying=True)

    async def _run(self, batch_id: int, on_progress: Progress | None, *, retrying: bool) -> Batch:
        if ship_batches.get(self.cache.read, batch_id) is None:
            raise KeyError(f"no ship batch {batch_id}")
        self._stopping = False
        await self.cache.writer.run(lambda c: ship_batches.set_state(c, batch_id, "applying"))
        todo = ship_batches.rows(self.cache.read, batch_id, "waiting", "sending")
        order_ids = list(dict.fromkeys(r.order_id for r in todo if r.order_id is not None))
        slots = asyncio.Semaphore(self.concurrency)

        def report() -> None:
            if on_progress is not None:
                now = ship_batches.get(self.cache.read, batch_id)
                if now is not None:
                    on_progress(now.settled, now.to_send)

        async def one(order_id: int) -> None:
            async with slots:
                if not self._stopping:
                    await self._apply_order(batch_id, order_id, retrying)
                    report()

        report()
        # A TaskGroup: a bug in one order's send cancels the others rather than leaving them
        # running unseen; the batch stays ``applying`` and resumes like after a crash.
        async with asyncio.TaskGroup() as group:
            for order_id in order_ids:
                group.create_task(one(order_id))
        ended = ship_batches.get(self.cache.read, batch_id)
        assert ended is not None
        state = "done" if ended.done == ended.to_send else "stopped"
        await self.cache.writer.run(lambda c: ship_batches.set_state(c, batch_id, state))
        return ship_batches.get(self.cache.read, batch_id)  # type: ignore[return-value]

    async def _apply_order(self, batch_id: int, order_id: int, retrying: bool) -> None:
        rows = ship_batches.order_rows(self.cache.read, batch_id, order_id)
        if not rows or rows[0].state == "done":
            return
        first = rows[0]
        numbers = _numbers(rows)
        assert first.courier_id is not None and numbers, "a row to send has a courier and a number"
        entry_ids = list(first.entry_ids)
        sending = first.state == "sending"
        for step, (action, params) in enumerate(_steps(order_id, first.courier_id, numbers)):
            if step < len(entry_ids):
                entry = await self._send_again(batch_id, order_id, entry_ids[step], retrying, sending)
                sending = True
            else:
                known = tuple(entry_ids)

                def also(conn: Any, recorded: outbox_store.OutboxEntry, known: tuple[str, ...] = known) -> None:
                    ship_batches.set_order_state(conn, batch_id, order_id, "sending", message="",
                                                 entry_ids=(*known, recorded.id))

                entry = await self.outbox.submit_now(action, params, also)
                entry_ids.append(entry.id)
                sending = True
            if entry is None or entry.state not in SETTLED_ENTRY:
                await self._failed(batch_id, order_id, entry)
                return
        shipped = "、".join(numbers)
        await self.cache.writer.run(lambda c: ship_batches.set_order_state(
            c, batch_id, order_id, "done", message=f"已发货，单号 {shipped} / Shipped: {', '.join(numbers)}"))

    async def _send_again(self, batch_id: int, order_id: int, entry_id: str, retrying: bool,
                          sending: bool) -> outbox_store.OutboxEntry | None:
        """An entry this row recorded before: done, refused, or open (left by a crash or a
        failure). It is sent again only through the outbox, which checks it first."""
        entry = outbox_store.get(self.cache.read, entry_id)
        if entry is None or entry.state in SETTLED_ENTRY:
            return entry
        if entry.state in REFUSED_ENTRY:
            if not retrying:
                return entry
            # Back to pending with its attempt counted: the platform is read before it goes.
            await self.cache.writer.run(lambda c: outbox_store.requeue(c, entry_id, entry.error))
        if not sending:
            await self.cache.writer.run(lambda c: ship_batches.set_order_state(c, batch_id, order_id, "sending",
                                                                               message=""))
        return await self.outbox.send_entry(entry_id)

    async def _failed(self, batch_id: int, order_id: int, entry: outbox_store.OutboxEntry | None) -> None:
        if entry is None:
            message = "待发送记录不见了，请在“待发送”中核对。/ The outbox entry is missing; check the outbox."
        elif entry.state == "pending" and not entry.error:
            message = ("这个订单在“待发送”中还有更早的操作，需先处理它。/ An earlier write for this order waits in "
                       "the outbox; deal with it first.")
        elif entry.state == "pending":
            # It may or may not have reached the platform; a retry reads the platform first.
            message = f"{entry.error}（重试时会先查询平台，不会重复发货）/ A retry checks the platform first."
        else:
            message = entry.error
        await self.cache.writer.run(lambda c: ship_batches.set_order_state(c, batch_id, order_id, "failed",
                                                                           message=message))
        if not self.outbox.online:  # the platform is out of reach: the rest would only fail too
            self._stopping = True

    def results(self, batch_id: int) -> list[Verdict]:
        """Every row as a verdict for ``batch_ship.write_results``: shipped rows are "skip"
        (their work is done: imported again, they are skipped), failed ones "error" with the
        platform's message, rows not yet sent keep their dry-run verdict and say so."""
        return [self._result(r) for r in ship_batches.rows(self.cache.read, batch_id)]

    def _effective_state(self, row: BatchRow) -> str:
        """A failed or interrupted row whose writes have since gone out (a replay sent them)
        counts as done: the results file must not ask staff to ship it again."""
        if row.state not in ("failed", "sending") or row.order_id is None or row.courier_id is None:
            return row.state
        wanted = len(_steps(row.order_id, row.courier_id, _numbers(
            ship_batches.order_rows(self.cache.read, row.batch_id, row.order_id))))
        entries = [outbox_store.get(self.cache.read, e) for e in row.entry_ids]
        if len(entries) == wanted and all(e is not None and e.state == "done" for e in entries):
            return "done"
        return row.state

    def _result(self, r: BatchRow) -> Verdict:
        data = r.row
        row = Row(line=r.line, order_number=r.order_number, courier=data.get("courier", ""),
                  tracking_text=data.get("tracking_text", ""), tracking_numbers=tuple(data.get("tracking_numbers", ())),
                  cells=tuple(data.get("cells", ())))
        notes = [Note(kind, zh, en) for kind, zh, en in r.notes]  # type: ignore[arg-type]
        kind = r.verdict
        numbers = r.tracking_numbers
        state = self._effective_state(r)
        at_zh, at_en = f"第 {r.line} 行：", f"Row {r.line}: "
        if state == "done":
            kind, numbers = "skip", ()
            notes.append(Note("skip", f"{at_zh}已发货（单号 {'、'.join(r.tracking_numbers)}），再次导入会跳过。",
                              f"{at_en}shipped ({', '.join(r.tracking_numbers)}); imported again, it is skipped."))
        elif state == "failed":
            kind = "error"
            notes.append(Note("error", f"{at_zh}发货失败：{r.message}", f"{at_en}not shipped: {r.message}"))
        elif state in ("waiting", "sending"):
            notes.append(Note("info", f"{at_zh}尚未发送（批量发货已停止），再次运行时会继续。",
                              f"{at_en}not sent yet (the batch stopped); running it again goes on."))
        elif r.verdict == "warning":  # a warning staff chose not to send
            notes.append(Note("info", f"{at_zh}需确认，未发送。", f"{at_en}to confirm; not sent."))
        return Verdict(line=r.line, order_number=r.order_number, order_id=r.order_id, courier_id=r.courier_id,
                       courier_name=r.courier_name, tracking_numbers=numbers, kind=kind,  # type: ignore[arg-type]
                       notes=tuple(notes), row=row)
