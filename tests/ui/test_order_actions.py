"""Order actions in the window against a practice platform: enabled by status with a reason,
said before done, shown at once as waiting, reconciled with the platform's answer; bulk
versions; refusals as messages; the queue view; the throttled detail fetch."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QItemSelectionModel, QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.platform.api import Platform
from app.platform.connect import connect
from app.sandbox.server import SandboxServer
from app.services import order_actions as oa
from app.services.outbox import OutboxService
from app.services.sync import SyncService
from app.store import outbox as store
from app.store.database import Cache
from app.ui.orders.actions import PriceDialog, RemarkDialog
from app.ui.orders.detail import WAITING, OrderDetailWindow
from app.ui.outbox import FIX_HINT
from app.ui.shell.main_window import MainWindow
from app.ui.shell.outbox_view import OutboxView
from app.ui.tasks import cancel_running
from tests.conftest import apifm_account
from tests.ui.conftest import screenshot

TITLE = "ShopDesk 商家工作台"
NO_RAISE = pytest.mark.qt_log_ignore("This plugin does not support raise")


async def _until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


@dataclass
class Desk:
    window: MainWindow
    cache: Cache
    platform: Platform
    outbox: OutboxService
    server: SandboxServer
    loop: qasync.QEventLoop

    def until(self, condition: Callable[[], bool], timeout: float = 10.0, *, settle: bool = True) -> None:
        """Let the loop run (writes are coroutines on it) until the condition holds and every
        task started meanwhile has ended: a task left half-way would take its next step from
        Qt's event processing outside the running loop."""
        async def settled() -> None:
            await _until(condition, timeout)
            if not settle:
                return
            others = asyncio.all_tasks() - {asyncio.current_task()}
            await asyncio.wait_for(asyncio.gather(*others, return_exceptions=True), timeout)

        self.loop.run_until_complete(settled())

    def ids(self, where: str) -> list[int]:
        return [r[0] for r in self.server.state.conn.execute(f"SELECT id FROM orders WHERE {where} ORDER BY id")]

    def on_platform(self, order_id: int, column: str) -> Any:
        return self.server.state.conn.execute(f"SELECT {column} FROM orders WHERE id = ?", (order_id,)).fetchone()[0]

    def select(self, ids: list[int]) -> None:
        panel = self.window.orders_panel
        selection = panel.table.selectionModel()
        selection.clearSelection()
        rows = panel.model.rows_of(ids)
        for order_id in ids:
            selection.select(panel.model.index(rows[order_id], 0),
                             QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
        selection.setCurrentIndex(panel.model.index(rows[ids[-1]], 0), QItemSelectionModel.SelectionFlag.NoUpdate)


@pytest.fixture
def desk(qtbot: QtBot, loop: qasync.QEventLoop, fresh_sandbox: SandboxServer, tmp_path: Path) -> Iterator[Desk]:
    cache = Cache(tmp_path / "cache.sqlite")
    platform = connect(apifm_account(fresh_sandbox), retries=1, backoff=0.01)
    sync = SyncService(platform, cache)
    loop.run_until_complete(sync.sync("orders"))
    window = MainWindow(cache, TITLE, practice=True,
                        settings=QSettings(str(tmp_path / "shopdesk.ini"), QSettings.Format.IniFormat))
    outbox = OutboxService(platform, cache, operator="小王", account="practice", refresh_order=sync.refresh_order)
    window.set_outbox(outbox)
    window.set_online(True)
    window.show()  # not qtbot.addWidget: its teardown deletes the window before this fixture closes it
    qtbot.waitUntil(lambda: window.orders_panel.model.rowCount() == 400 and not window.orders_panel.model.loading)
    yield Desk(window, cache, platform, outbox, fresh_sandbox, loop)
    loop.run_until_complete(cancel_running())  # nothing may step once the loop stops running
    window.close()
    loop.run_until_complete(platform.aclose())
    cache.close()


def test_each_action_is_enabled_by_the_orders_status_and_says_why_not(desk: Desk) -> None:
    actions = desk.window.order_actions.actions
    unpaid, shipped = desk.ids("status = 0")[0], desk.ids("status = 2")[0]
    assert not actions[oa.CHANGE_PRICE].isEnabled()
    assert actions[oa.CHANGE_PRICE].toolTip() == "先在列表中选择订单"

    desk.select([unpaid])
    assert actions[oa.CHANGE_PRICE].isEnabled() and actions[oa.CLOSE].isEnabled()
    assert actions[oa.CHANGE_PRICE].toolTip() == "改价（Ctrl+Shift+P）"
    assert not actions[oa.SUCCESS].isEnabled()
    assert actions[oa.SUCCESS].toolTip() == "订单待付款，不能设为交易成功（仅限待发货、已发货、待评价的订单）"

    desk.select([shipped])
    assert not actions[oa.CHANGE_PRICE].isEnabled()
    assert actions[oa.CHANGE_PRICE].toolTip() == "订单已发货，不能改价（仅限待付款的订单）"
    assert actions[oa.SUCCESS].isEnabled() and actions[oa.REMARK].isEnabled()

    desk.select([unpaid, shipped])  # several: only the bulk actions
    assert not actions[oa.CHANGE_PRICE].isEnabled()
    assert actions[oa.CHANGE_PRICE].toolTip() == "一次只能对一笔订单改价"
    assert actions[oa.CLOSE].isEnabled() and actions[oa.CLOSE].toolTip() == "对所选 2 笔订单关闭订单（Ctrl+Shift+X）"

    # The same actions in the 订单 menu (with shortcuts), the table's context menu and the pane's toolbar.
    menu = [a.text() for a in desk.window.orders_menu.actions() if a.text()]
    assert menu[:6] == ["改价…", "修改备注…", "设为已付款…", "余额支付…", "设为交易成功…", "关闭订单…"]
    assert "待发送队列…(&Q)" in menu
    table_actions = desk.window.orders_panel.table.actions()
    assert all(a in table_actions for a in actions.values())
    assert desk.window.orders_panel.detail.toolbar.actions() == list(actions.values())


@NO_RAISE
def test_change_price_checks_input_shows_the_write_at_once_then_the_platforms_value(
        desk: Desk, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    unpaid = desk.ids("status = 0")[0]
    desk.window.open_order(unpaid)
    detail: OrderDetailWindow = desk.window._details[unpaid]
    qtbot.waitExposed(detail)
    assert detail.order_actions is not None
    change = detail.order_actions.actions[oa.CHANGE_PRICE]
    assert detail.pane.toolbar.isVisible() and change.isEnabled()
    screenshot(detail, "actions-detail-window")

    change.trigger()
    dialog = detail.order_actions.dialog
    assert isinstance(dialog, PriceDialog)
    paid = Decimal(desk.on_platform(unpaid, "amount_real")) / 100
    assert dialog.total.text() == f"{paid:.2f}"  # the current value to start from
    dialog.total.setText("六十六")
    dialog.accept()
    assert dialog.isVisible() and dialog.error.text() == "订单总价必须是数字，例如 88 或 88.50"
    assert dialog.total.text() == "六十六"  # what was typed stays, to be corrected
    screenshot(dialog, "actions-change-price-error")
    dialog.total.setText("66.6")
    dialog.freight.setText("5")

    # Hold the write back (the platform "unreachable" to the outbox), to see what staff see
    # meanwhile. (Not by pausing a coroutine half-way: between the test's loop runs, Qt would
    # resume it outside the running loop.)
    desk.outbox.online = False
    dialog.accept()
    desk.until(lambda: detail.pane.pending.isVisible())
    assert detail.pane.pending.lines[0].startswith(f"{WAITING}：改价为 ¥66.60（运费 ¥5.00）（小王 ")
    assert not change.isEnabled() and change.toolTip() == "已在待发送队列中"  # not twice
    assert desk.on_platform(unpaid, "amount_real") != 6660
    screenshot(detail, "actions-detail-waiting")
    desk.outbox.online = True
    desk.window.outbox_client.replay()
    desk.until(lambda: not detail.pane.pending.isVisible())
    amounts = detail.pane.section("amounts")
    assert amounts is not None and "¥66.60" in [label.text() for label in amounts.findChildren(type(dialog.error))]
    assert desk.on_platform(unpaid, "amount_real") == 6660 and desk.on_platform(unpaid, "amount_logistics") == 500
    assert change.isEnabled()  # still unpaid: the price may change again


def test_close_says_what_will_happen_cancel_sends_nothing_and_yes_closes(desk: Desk) -> None:
    unpaid = desk.ids("status = 0")[0]
    number = desk.on_platform(unpaid, "order_number")
    desk.select([unpaid])
    actions = desk.window.order_actions
    actions.actions[oa.CLOSE].trigger()
    box = actions.dialog
    assert isinstance(box, QMessageBox)
    assert box.text() == f"订单 {number} 将被关闭，买家无法再付款。此操作不能撤销。"
    assert box.defaultButton().text() == "取消"  # Enter out of habit does not close an order
    box.defaultButton().click()
    assert desk.outbox.waiting() == [] and store.in_state(desk.cache.read, "done") == []

    actions.actions[oa.CLOSE].trigger()
    box = actions.dialog
    assert isinstance(box, QMessageBox)
    next(b for b in box.buttons() if b.text() == "关闭订单").click()
    desk.until(lambda: desk.on_platform(unpaid, "status") == -1 and desk.outbox.waiting() == []
               and desk.window.statusBar().currentMessage() == f"订单 {number}：关闭订单已完成")
    assert not actions.actions[oa.CLOSE].isEnabled()
    assert actions.actions[oa.CLOSE].toolTip() == "订单已关闭，不能关闭订单（仅限待付款、待发货的订单）"


def test_a_bulk_close_confirms_once_naming_what_it_skips_and_why(desk: Desk) -> None:
    first, second = desk.ids("status = 0")[:2]
    shipped = desk.ids("status = 2")[0]
    shipped_number = desk.on_platform(shipped, "order_number")
    desk.select([first, shipped, second])
    actions = desk.window.order_actions
    actions.actions[oa.CLOSE].trigger()
    box = actions.dialog
    assert isinstance(box, QMessageBox)
    assert box.text().startswith("将对 2 笔订单关闭订单。")
    assert f"跳过 1 笔：\n  {shipped_number}：订单已发货，不能关闭订单" in box.text()
    screenshot(box, "actions-bulk-close")
    next(b for b in box.buttons() if b.text() == "关闭订单（2 笔）").click()
    desk.until(lambda: [desk.on_platform(i, "status") for i in (first, second)] == [-1, -1]
               and desk.window.statusBar().currentMessage() == "关闭订单：2 笔已完成")
    assert desk.on_platform(shipped, "status") == 2


def test_a_bulk_remark_replaces_each_orders_remark(desk: Desk) -> None:
    ids = desk.ids("status IN (1, 2)")[:3]
    desk.select(ids)
    actions = desk.window.order_actions
    actions.actions[oa.REMARK].trigger()
    dialog = actions.dialog
    assert isinstance(dialog, RemarkDialog)
    dialog.text.setPlainText("字" * 501)
    dialog.accept()
    assert dialog.isVisible() and dialog.error.text() == "备注最多 500 个字，现在 501 个字"
    dialog.text.setPlainText("双十一 顺丰优先\n已电话确认")
    dialog.accept()
    desk.until(lambda: desk.window.statusBar().currentMessage() == "修改备注：3 笔已完成")
    assert {desk.on_platform(i, "admin_remark") for i in ids} == {"双十一 顺丰优先\n已电话确认"}


@NO_RAISE
def test_a_refused_write_is_a_message_and_the_queue_retries_or_sets_it_aside(
        desk: Desk, qtbot: QtBot, qtmodeltester: Any) -> None:
    unpaid = desk.ids("status = 0")[0]
    number = desk.on_platform(unpaid, "order_number")
    desk.server.state.conn.execute("UPDATE orders SET status = 1, is_pay = 1 WHERE id = ?", (unpaid,))  # paid meanwhile
    desk.select([unpaid])  # the cache still says unpaid
    actions = desk.window.order_actions
    actions.actions[oa.CHANGE_PRICE].trigger()
    dialog = actions.dialog
    assert isinstance(dialog, PriceDialog)
    dialog.total.setText("1.00")
    dialog.accept()
    # the count follows the outbox's signal, a moment after the entry settles
    desk.until(lambda: len(desk.outbox.problems()) == 1 and desk.window.queue_count.text() == "1 项未完成")
    message = desk.window.statusBar().currentMessage()
    assert message.startswith(f"订单 {number} 改价与平台冲突：") and message.endswith(f"{FIX_HINT}。")
    assert desk.window.queue_count.isVisible()
    assert desk.on_platform(unpaid, "amount_real") != 100

    desk.window.queue_count.click()
    view = desk.window.outbox_view
    assert isinstance(view, OutboxView) and view.isVisible()
    qtmodeltester.check(view.model)
    assert view.model.rowCount() == 1
    cells = [view.model.index(0, c).data() for c in range(view.model.columnCount())]
    assert cells[1:5] == ["小王", "改价为 ¥1.00", f"订单 {number}", "冲突"] and "待发货" in cells[5]
    view.table.selectRow(0)
    assert view.retry.isEnabled() and view.dismiss.isEnabled()
    screenshot(view, "actions-queue-conflict")

    attempts = desk.outbox.problems()[0].attempts
    view.retry.click()  # the platform is read first; still refused, still a conflict

    def retried() -> bool:  # one read: the entry is briefly not a problem while it is sent again
        problems = desk.outbox.problems()
        return bool(problems) and problems[0].attempts > attempts

    desk.until(retried)
    view.table.selectRow(0)
    view.dismiss.click()
    desk.until(lambda: view.model.rowCount() == 0 and not desk.window.queue_count.isVisible())
    assert view.summary.text() == "没有待发送或未完成的写入。"
    assert store.in_state(desk.cache.read, "dismissed")[0].error.endswith("（平台提示：订单待发货，不能改价）")


def test_the_detail_is_fetched_once_the_selection_rests_and_not_when_offline(desk: Desk) -> None:
    fetched: list[int] = []

    async def refresh(order_id: int) -> None:
        fetched.append(order_id)

    desk.window.set_refresh_order(refresh)
    ids = desk.ids("status = 1")[:5]
    for order_id in ids:  # arrow keys down the list
        desk.select([order_id])
    desk.until(lambda: fetched == [ids[-1]])
    desk.loop.run_until_complete(asyncio.sleep(0.6))  # one more debounce period: nothing else comes
    assert fetched == [ids[-1]]
    desk.select([ids[0]])
    desk.until(lambda: fetched == [ids[-1], ids[0]])
    desk.select([ids[-1]])  # fetched moments ago: not again
    desk.window.set_online(False, "平台无法连接")
    desk.select([ids[1]])
    desk.loop.run_until_complete(asyncio.sleep(0.6))
    assert fetched == [ids[-1], ids[0]]
