"""The window's side of the outbox: submitting writes, replaying, retrying, and saying how it went.

Every write from the UI goes through ``OutboxClient.submit``: the entry is stored first
(``changed`` fires, so the detail pane shows it as waiting at once), then sent; the
outcome is one non-modal message that says what happened and, when it did not work,
what to do. The platform's own answer reaches the views through the cache refresh the
outbox service does after each send.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal

from app.services.order_actions import action_name
from app.store import outbox as store
from app.store.database import Cache
from app.ui.i18n import tr_label, ui_language
from app.ui.tasks import Control, run_task

if TYPE_CHECKING:  # the UI only names these; importing them would slow the window's start
    import asyncio

    from app.services.outbox import OutboxService

# Source strings, marked for lupdate: pass through tr() (or use the functions below) to show.
QUEUED_OFFLINE = QT_TRANSLATE_NOOP("OutboxClient", "已加入待发送队列，恢复连接后自动发送")
QUEUED_BEHIND = QT_TRANSLATE_NOOP("OutboxClient", "已加入待发送队列，排在之前的写入之后发送")
NOT_CONNECTED = QT_TRANSLATE_NOOP("OutboxClient", "尚未连接平台，请稍候再试")
FIX_HINT = QT_TRANSLATE_NOOP("OutboxClient", "请核对订单后在“待发送队列”中重试或搁置")


def _tr(text: str) -> str:
    return tr_label("OutboxClient", text)


def fix_hint() -> str:
    """What to do about a write the platform did not take, in the UI's language."""
    return _tr(FIX_HINT)


def order_numbers(cache: Cache, targets: Iterable[str]) -> dict[str, str]:
    """``order:<id>`` → the order's number, for the ones in the cache."""
    ids = [int(t.split(":")[1]) for t in targets if t.startswith("order:")]
    if not ids:
        return {}
    rows = cache.read.execute(f"SELECT id, number FROM orders WHERE id IN ({','.join('?' * len(ids))})", ids)
    return {f"order:{r[0]}": r[1] for r in rows}


def target_text(target: str, numbers: dict[str, str]) -> str:
    if target in numbers:
        return tr_label("OutboxClient", "订单 {number}").format(number=numbers[target])
    kind, _, key = target.partition(":")
    names = {"order": tr_label("OutboxClient", "订单 #{id}"), "refund": tr_label("OutboxClient", "售后 #{id}"),
             "user": tr_label("OutboxClient", "客户 #{id}")}
    return names[kind].format(id=key) if kind in names else target


def outcome(entries: Sequence[store.OutboxEntry], online: bool, numbers: dict[str, str]) -> str:
    """One message for what a submit came to: done, queued, refused or in conflict."""
    if not entries:
        return ""
    name = action_name(entries[0].action, ui_language())
    problems = [e for e in entries if e.state in ("failed", "conflict")]
    queued = [e for e in entries if e.state in store.OPEN_STATES]
    done = [e for e in entries if e.state == "done"]
    if problems:
        first = problems[0]
        name = action_name(first.action, ui_language())  # a chain's later step may be the one refused
        what = target_text(first.target, numbers)
        text = (tr_label("OutboxClient", "{target} {action}与平台冲突：{error}") if first.state == "conflict"
                else tr_label("OutboxClient", "{target} {action}未完成：{error}"))
        text = text.format(target=what, action=name, error=first.error)
        if len(problems) > 1:
            text += tr_label("OutboxClient", "（另有 {count} 笔同样未完成）").format(count=len(problems) - 1)
        text += tr_label("OutboxClient", "。{hint}。").format(hint=fix_hint())
        if done:
            text = tr_label("OutboxClient", "{count} 笔已完成；").format(count=len(done)) + text
        return text
    if queued:
        why = _tr(QUEUED_OFFLINE if not online else QUEUED_BEHIND)
        text = tr_label("OutboxClient", "{action}：{why}").format(action=name, why=why)
        if len(entries) > 1:
            text += tr_label("OutboxClient", "（{count} 笔）").format(count=len(queued))
        return text
    if len(done) == 1:
        return tr_label("OutboxClient", "{target}：{action}已完成").format(
            target=target_text(done[0].target, numbers), action=name)
    return tr_label("OutboxClient", "{action}：{count} 笔已完成").format(action=name, count=len(done))


class OutboxClient(QObject):
    changed = Signal()  # an entry was recorded, sent, retried or set aside: views re-read

    def __init__(self, cache: Cache, report: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.report = report
        self.outbox: OutboxService | None = None
        self._replaying: asyncio.Task[None] | None = None

    def attach(self, outbox: OutboxService) -> None:
        self.outbox = outbox
        self.changed.emit()

    @property
    def online(self) -> bool:
        return self.outbox is not None and self.outbox.online

    def waiting(self) -> list[store.OutboxEntry]:
        return store.in_state(self.cache.read, *store.OPEN_STATES)

    def problems(self) -> list[store.OutboxEntry]:
        return store.in_state(self.cache.read, "failed", "conflict")

    def submit(self, action: str, params: Sequence[dict[str, Any]], *,
               disable: Control | Iterable[Control] | None = None) -> asyncio.Task[None] | None:
        """Record and send each write in turn (one per order); one message at the end."""
        outbox = self.outbox
        if outbox is None:
            self.report(_tr(NOT_CONNECTED))
            return None

        async def go() -> list[store.OutboxEntry]:
            results = []
            for one in params:
                results.append(await outbox.submit(action, one, on_recorded=lambda _e: self.changed.emit()))
                self.changed.emit()
            return results

        def finished(results: list[store.OutboxEntry]) -> None:
            self.changed.emit()
            self.report(outcome(results, outbox.online, order_numbers(self.cache, (e.target for e in results))))

        return run_task(go(), disable=disable, report=self._failed, on_success=finished)

    def submit_steps(self, steps: Sequence[tuple[str, dict[str, Any]]], *,
                     disable: Control | Iterable[Control] | None = None) -> asyncio.Task[None] | None:
        """Several writes that build on each other (ship, then add the other parcels'
        numbers), recorded and sent in turn; the outbox keeps their order when they queue.
        One refused stops the chain, and the message names it."""
        outbox = self.outbox
        if outbox is None:
            self.report(_tr(NOT_CONNECTED))
            return None

        async def go() -> list[store.OutboxEntry]:
            results = []
            for action, params in steps:
                entry = await outbox.submit(action, params, on_recorded=lambda _e: self.changed.emit())
                results.append(entry)
                self.changed.emit()
                if entry.state in ("failed", "conflict"):
                    break  # the next step needs this one on the platform; one only queued goes out first
            return results

        def finished(results: list[store.OutboxEntry]) -> None:
            self.changed.emit()
            shown = [e for e in results if e.state != "done"] or results[:1]
            self.report(outcome(shown, outbox.online, order_numbers(self.cache, (e.target for e in results))))

        return run_task(go(), disable=disable, report=self._failed, on_success=finished)

    def replay(self, *, disable: Control | Iterable[Control] | None = None,
               announce: bool = False) -> asyncio.Task[None] | None:
        """Send what waits, oldest first. One replay at a time: a second ask while one runs
        would only find the same entries locked behind it."""
        outbox = self.outbox
        if outbox is None or (self._replaying is not None and not self._replaying.done()):
            return None
        before = len(self.waiting())

        def finished(sent: int) -> None:
            self.changed.emit()
            left = len(self.waiting())
            if announce or (before and not left):
                text = tr_label("OutboxClient", "待发送队列：已发送 {sent} 项").format(sent=sent)
                if left:
                    text += tr_label("OutboxClient", "，仍有 {left} 项等待连接").format(left=left)
                self.report(text)

        self._replaying = run_task(outbox.replay(), disable=disable, report=self._failed, on_success=finished)
        return self._replaying

    def retry(self, entry_id: str, *, disable: Control | Iterable[Control] | None = None) -> asyncio.Task[None] | None:
        outbox = self.outbox
        if outbox is None:
            self.report(_tr(NOT_CONNECTED))
            return None

        def finished(_sent: int) -> None:
            self.changed.emit()
            entry = store.get(self.cache.read, entry_id)
            if entry is not None:
                self.report(outcome([entry], outbox.online, order_numbers(self.cache, [entry.target])))

        return run_task(outbox.retry(entry_id), disable=disable, report=self._failed, on_success=finished)

    def dismiss(self, entry_id: str) -> asyncio.Task[None] | None:
        outbox = self.outbox
        if outbox is None:
            self.report(_tr(NOT_CONNECTED))
            return None

        def finished(ok: bool) -> None:
            self.changed.emit()
            self.report(tr_label("OutboxClient", "已搁置：该项不会再发送，平台的答复仍保留在本机") if ok
                        else tr_label("OutboxClient", "该项已不是失败或冲突状态，无需搁置"))

        return run_task(outbox.dismiss(entry_id), report=self._failed, on_success=finished)

    def _failed(self, text: str) -> None:
        self.changed.emit()  # whatever was recorded before the error still shows
        self.report(tr_label("OutboxClient", "{error}。{hint}。").format(error=text, hint=fix_hint()))
