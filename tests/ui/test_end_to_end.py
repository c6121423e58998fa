"""The real window and its Desk against a practice platform that is really stopped and
started again: open, first sync, search, filter, a detail window, change a price, go
offline, queue a write, come back, and see it replayed exactly once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.platform.connect import connect
from app.sandbox.server import SandboxServer
from app.services import order_actions as oa
from app.store.database import Cache
from app.store.queries import OrderTab
from app.ui.desk import Desk
from app.ui.orders.actions import PriceDialog, RemarkDialog
from app.ui.orders.detail import WAITING, OrderDetailWindow
from app.ui.outbox import QUEUED_OFFLINE
from app.ui.shell.main_window import MainWindow
from tests.conftest import apifm_account
from tests.ui.conftest import screenshot

NO_RAISE = pytest.mark.qt_log_ignore("This plugin does not support raise")


async def _until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


def restart(server: SandboxServer) -> None:
    """Bring the stopped practice platform back on the same address, with the same data."""
    server.config.port = server.port
    server.start()


@NO_RAISE
def test_a_day_at_the_desk_through_an_outage(qtbot: QtBot, loop: qasync.QEventLoop, fresh_sandbox: SandboxServer,
                                             tmp_path: Path) -> None:
    server = fresh_sandbox
    cache = Cache(tmp_path / "cache.sqlite")
    window = MainWindow(cache, "ShopDesk 商家工作台", practice=True,
                        settings=QSettings(str(tmp_path / "shopdesk.ini"), QSettings.Format.IniFormat))
    window.show()
    desk = Desk(connect(apifm_account(server), retries=1, backoff=0.01), cache, window, operator="小王")
    desk.reach.probe_every = 0.3  # a desk tries every 10 s; the test need not wait that long
    panel = window.orders_panel

    def platform(sql: str, *args: object) -> list[tuple]:
        return [tuple(r) for r in server.state.conn.execute(sql, args)]

    unpaid = platform("SELECT id, order_number, amount_real FROM orders WHERE status = 0 ORDER BY id")
    order_id, number, amount = unpaid[0]

    async def scenario() -> None:
        desk.start()
        try:
            # The first sync fills the panel.
            await _until(lambda: desk.orders_synced and panel.model.rowCount() == 400 and not panel.model.loading)
            assert window.banner.isHidden() and window.sync_status.online.text() == "● 在线"

            # Search as staff type, then a status tab as the filter.
            qtbot.keyClicks(panel.search, number)
            await _until(lambda: panel.model.rowCount() == 1 and panel.model.order_id(0) == order_id)
            panel.search.clear()
            panel.tabs.setCurrentIndex(list(OrderTab).index(OrderTab.UNPAID))
            await _until(lambda: panel.model.rowCount() == len(unpaid) and not panel.model.loading)

            # A detail window: its full detail (the order's log) is fetched in the background.
            window.open_order(order_id)
            detail: OrderDetailWindow = window._details[order_id]
            await _until(lambda: detail.pane.view is not None and len(detail.pane.view.logs) > 0)
            assert detail.order_actions is not None

            # Change the price: sent, and the platform's value comes back.
            detail.order_actions.actions[oa.CHANGE_PRICE].trigger()
            price = detail.order_actions.dialog
            assert isinstance(price, PriceDialog)
            price.total.setText(f"{amount / 100 - 10:.2f}")
            price.accept()
            await _until(lambda: platform("SELECT amount_real FROM orders WHERE id = ?", order_id)[0][0]
                         == amount - 1000 and detail.pane.view is not None
                         and detail.pane.view.bundle.order.amount_paid * 100 == amount - 1000
                         and not detail.pane.pending.isVisible())  # the entry is done: nothing shown as waiting

            # The platform goes away for real.
            server.stop()
            window.sync_now()  # F5: finds it unreachable
            await _until(window.banner.isVisible)
            assert window.sync_status.online.text() == "● 离线"
            # Browsing and searching go on from the cache.
            qtbot.keyClicks(panel.search, number)
            await _until(lambda: panel.model.rowCount() == 1)

            # A write while offline is queued, shown as waiting, and counted.
            detail.order_actions.actions[oa.REMARK].trigger()
            remark = detail.order_actions.dialog
            assert isinstance(remark, RemarkDialog)
            remark.text.setPlainText("断网时写的备注：周末送货")
            remark.accept()
            await _until(lambda: len(desk.outbox.waiting()) == 1
                         and window.statusBar().currentMessage() == f"修改备注：{QUEUED_OFFLINE}"
                         and window.queue_count.isVisible())
            assert window.queue_count.text() == "离线：1 项待发送"
            assert window.queue_button.isVisible() and "1 项" in window.queue_button.text()
            assert detail.pane.pending.lines[0].startswith(f"{WAITING}：商家备注改为「断网时写的备注：周末送货」")
            screenshot(window, "actions-offline-banner-and-queue")
            window.queue_button.click()
            assert window.outbox_view is not None and window.outbox_view.model.rowCount() == 1
            await asyncio.sleep(0)  # let the view lay out before its picture
            screenshot(window.outbox_view, "actions-queue-offline")

            # The platform is back: the queue replays by itself and the banner goes.
            restart(server)
            await _until(lambda: desk.outbox.waiting() == [] and window.banner.isHidden()
                         and not window.queue_count.isVisible(), 20)
            await _until(lambda: window.outbox_view is not None and window.outbox_view.model.rowCount() == 0)
            assert platform("SELECT admin_remark FROM orders WHERE id = ?", order_id)[0][0] == "断网时写的备注：周末送货"
            assert platform("SELECT COUNT(*) FROM order_logs WHERE order_id = ? AND remark = ?",
                            order_id, "断网时写的备注：周末送货")[0][0] == 1  # exactly once
            await _until(lambda: not detail.pane.pending.isVisible()
                         and detail.pane.view is not None
                         and detail.pane.view.bundle.order.admin_remark == "断网时写的备注：周末送货")
        finally:
            await desk.stop()

    try:
        loop.run_until_complete(scenario())
    finally:
        window.close()
        cache.close()
