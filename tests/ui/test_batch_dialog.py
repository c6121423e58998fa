"""The batch-ship dialog against a practice platform: a file with a bad row and a repeated
one is checked row by row, applied with a progress bar, each order shipped exactly once as
the platform counts it, the results written; the same file again ships nothing; a batch
cut short (the dialog closed, or the app killed mid-send) is offered at start and resumed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import qasync
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.store import ship_batches
from app.ui.shipping.batch_dialog import BatchShipDialog, interrupted, offer_resume
from tests.integration import batch_support as support
from tests.ui.conftest import screenshot
from tests.ui.test_order_actions import NO_RAISE, Desk
from tests.ui.test_shipping import shipping_desk

ORDERS = 20
BAD_ORDER = "NO-SUCH-ORDER-1"


@dataclass
class BatchDesk(Desk):
    numbers: dict[int, tuple[str, ...]] = field(default_factory=dict)
    path: Path = Path()


@pytest.fixture
def desk(qtbot: QtBot, loop: qasync.QEventLoop, make_sandbox: object, tmp_path: Path) -> Iterator[BatchDesk]:
    # Some latency, so a batch is still sending when a test stops or kills it.
    server = make_sandbox(orders=120, chaos="latency=15ms")  # type: ignore[operator]
    conn = server.state.conn
    order_ids = support.add_orders_to_ship(conn, ORDERS)
    numbers = support.numbers_for(conn, order_ids, base=7_300_000_000_000, two_every=7)
    path = support.write_xlsx(tmp_path / "发货.xlsx", conn, numbers)
    # A row for an order that does not exist, and the first row again (a copy-paste slip).
    book = load_workbook(path)
    sheet = book.active
    first = [c.value for c in sheet[2]]
    sheet.append([BAD_ORDER, support.COURIER, "SF7399999999999"])
    sheet.append(first)
    book.save(path)

    with shipping_desk(server, loop, tmp_path) as d:
        yield BatchDesk(d.window, d.cache, d.platform, d.outbox, d.server, d.loop, numbers, path)


def open_dialog(d: BatchDesk) -> BatchShipDialog:
    panel = d.window.shipping_panel
    panel.batch.click()  # the panel's 批量发货… button
    dialog = panel.batch_dialog
    assert isinstance(dialog, BatchShipDialog) and dialog.isVisible() and not dialog.isModal()
    return dialog


def confirm_start(dialog: BatchShipDialog) -> str:
    dialog.start.click()
    assert dialog.confirm is not None and dialog.confirm_yes is not None
    text = dialog.confirm.text()
    dialog.confirm_yes.click()
    return text


def button(box: QMessageBox, text: str) -> QPushButton:
    found = [b for b in box.buttons() if b.text() == text]
    assert len(found) == 1, [b.text() for b in box.buttons()]
    return found[0]  # type: ignore[return-value]


def kinds(dialog: BatchShipDialog) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in dialog.model.lines:
        out.setdefault(line.kind, []).append(line.order_number)
    return out


@NO_RAISE
def test_a_file_is_checked_applied_once_and_exported_and_a_second_run_ships_nothing(
        desk: BatchDesk, tmp_path: Path) -> None:
    dialog = open_dialog(desk)
    assert not dialog.start.isEnabled()  # nothing read yet
    assert dialog.load(desk.path)

    # The dry run: one verdict per row, coloured, with a reason; nothing sent yet.
    assert dialog.model.rowCount() == ORDERS + 2
    found = kinds(dialog)
    assert found["error"] == [BAD_ORDER]
    assert len(found["ok"]) == ORDERS and len(found.get("skip", [])) + len(found.get("warning", [])) == 1
    assert dialog.summary.text() == "可发货 {} · 提醒 {} · 错误 1 · 跳过 {}".format(
        ORDERS, len(found.get("warning", [])), len(found.get("skip", [])))
    bad = next(i for i, x in enumerate(dialog.model.lines) if x.kind == "error")
    assert dialog.model.data(dialog.model.index(bad, 4)) == "错误"
    assert dialog.model.data(dialog.model.index(bad, 6))  # the reason is said
    assert dialog.model.data(dialog.model.index(bad, 4), 9) is not None  # ForegroundRole: a colour
    dialog.filter.setCurrentIndex(dialog.filter.findData("kind:error"))
    assert dialog.proxy.rowCount() == 1
    dialog.filter.setCurrentIndex(0)
    assert dialog.proxy.rowCount() == ORDERS + 2
    assert ship_batches.recent(desk.cache.read) == []
    dialog.table.scrollToBottom()  # the error and the repeated row are the last two
    screenshot(dialog, "batch-dry-run")

    # Apply: one confirmation that says how many orders, then progress to the end.
    text = confirm_start(dialog)
    assert text == f"将给 {ORDERS} 笔订单发货，发货信息在微信中只能修改一次。"
    assert dialog.running and dialog.progress.isVisible() and dialog.stop.isVisible()
    desk.until(lambda: not dialog.running, 60)
    assert dialog.batch is not None and dialog.batch.state == "done"
    assert (dialog.batch.done, dialog.batch.failed) == (ORDERS, 0)
    assert dialog.progress.value() == dialog.progress.maximum() == ORDERS
    assert dialog.summary.text().startswith("批量发货完成：已发货 20 · 失败 0")
    assert {x.state for x in dialog.model.lines if x.kind == "ok"} == {"done"}
    assert not dialog.retry.isVisible() and not dialog.start.isVisible()  # nothing failed, nothing left
    assert support.exactly_once(desk.server.state.conn, desk.numbers) == []

    # The results file: the source's columns plus the verdict columns, next to the source.
    assert dialog.default_results_path() == desk.path.with_name("发货-结果.xlsx")
    written = dialog.export_results(dialog.default_results_path())
    assert written is not None and written.exists()
    assert dialog.progress_text.text() == "结果已保存为 发货-结果.xlsx"
    sheet = load_workbook(written).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:4] == ["订单号", "快递公司", "快递单号", "核对结果"]
    by_order = {r[0]: r[3] for r in rows[1:]}
    assert by_order[BAD_ORDER] == "错误"
    assert [r[3] for r in rows[1:ORDERS + 1]] == ["跳过"] * ORDERS  # shipped: imported again, skipped
    screenshot(dialog, "batch-finished")

    # The same file again: every shipped row is a skip, nothing can be started.
    assert dialog.load(desk.path)
    again = kinds(dialog)
    assert "ok" not in again and "warning" not in again and len(again["skip"]) == ORDERS + 1
    assert not dialog.start.isEnabled() and dialog.to_ship() == 0
    assert support.exactly_once(desk.server.state.conn, desk.numbers) == []


@NO_RAISE
def test_a_bad_file_says_why_and_nothing_breaks(desk: BatchDesk, tmp_path: Path) -> None:
    dialog = open_dialog(desk)
    junk = tmp_path / "不是表格.xlsx"
    junk.write_bytes(b"this is not a workbook")
    assert not dialog.load(junk)
    assert dialog.notice.isVisible() and dialog.notice.text()
    assert dialog.model.rowCount() == 0 and not dialog.start.isEnabled()
    no_header = tmp_path / "无表头.csv"
    no_header.write_text("a,b\n1,2\n", encoding="utf-8")
    assert not dialog.load(no_header)
    assert dialog.notice.isVisible() and dialog.notice.text()
    assert not dialog.load(tmp_path / "不存在.csv")
    assert "无法打开文件" in dialog.notice.text() or dialog.notice.text()
    # A good file afterwards clears the message.
    assert dialog.load(desk.path) and not dialog.notice.isVisible() and dialog.start.isEnabled()


@NO_RAISE
@pytest.mark.parametrize("how", ["closed", "killed"])
def test_a_batch_cut_short_is_offered_at_start_and_resumed_once(desk: BatchDesk, how: str) -> None:
    dialog = open_dialog(desk)
    assert dialog.load(desk.path)
    runner = dialog.runner()
    assert runner is not None
    runner.concurrency = 1  # one order at a time, so it is surely cut short half-way
    confirm_start(dialog)

    async def cut_short() -> None:
        # All inside one run of the loop: a request left in flight between two runs would
        # be resumed by Qt outside the running loop.
        while not (dialog.batch is not None and dialog.batch.settled >= 3):
            await asyncio.sleep(0.02)
        if how == "closed":
            dialog.close()  # asks first: the batch is still sending
            assert dialog.isVisible() and dialog.closing is not None
            button(dialog.closing, "停止并关闭").click()
        else:  # the app quit or crashed mid-send: the task is cancelled where it stands
            assert dialog.task is not None
            dialog.task.cancel()
        while dialog.running:
            await asyncio.sleep(0.02)

    desk.loop.run_until_complete(asyncio.wait_for(cut_short(), 30))
    desk.until(lambda: True, 30)  # and whatever the cut left running has ended
    if how == "closed":
        assert not dialog.isVisible()  # closed once the order in flight finished
    batch_id = dialog.batch_id
    assert batch_id is not None
    cut = ship_batches.get(desk.cache.read, batch_id)
    assert cut is not None and 3 <= cut.settled < cut.to_send == ORDERS
    assert cut.state == ("stopped" if how == "closed" else "applying")

    # A restart: a new dialog, and the start-up offer finds the batch.
    dialog.hide()
    desk.window.shipping_panel.batch_dialog = None
    assert [b.id for b in interrupted(desk.cache.read)] == [batch_id]
    box = offer_resume(desk.window)
    assert box is not None and not box.isModal()
    settled = ship_batches.get(desk.cache.read, batch_id).settled  # type: ignore[union-attr]
    assert box.text() == f"上次批量发货在 {settled}/{ORDERS} 处中断，继续吗？"
    button(box, "继续").click()
    resumed = desk.window.shipping_panel.batch_dialog
    assert isinstance(resumed, BatchShipDialog) and resumed is not dialog and resumed.batch_id == batch_id
    desk.until(lambda: not resumed.running, 60)
    assert resumed.batch is not None and resumed.batch.state == "done" and resumed.batch.done == ORDERS
    assert support.exactly_once(desk.server.state.conn, desk.numbers) == []
    assert interrupted(desk.cache.read) == [] and offer_resume(desk.window) is None
