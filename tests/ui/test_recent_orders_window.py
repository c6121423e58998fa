"""The first window against the practice platform, through both adapters."""

from __future__ import annotations

import qasync
from pytestqt.qtbot import QtBot

from app.platform.connect import connect
from app.sandbox.server import SandboxServer
from app.ui.recent_orders_window import RecentOrdersWindow
from tests.conftest import apifm_account, ruanmao_account
from tests.ui.conftest import screenshot


def test_window_lists_newest_orders_and_refreshes(qtbot: QtBot, loop: qasync.QEventLoop,
                                                  sandbox: SandboxServer) -> None:
    platform = connect(ruanmao_account(sandbox))
    window = RecentOrdersWindow(platform, "ShopDesk 商家工作台 — 练习模式 / Practice mode")
    qtbot.addWidget(window)
    window.show()
    loop.run_until_complete(window.refresh())
    newest = sandbox.state.conn.execute("SELECT order_number FROM orders ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert window.model.rowCount() == 200
    assert window.model.index(0, 0).data() == newest
    assert "400" in window.summary.text()
    assert window.refresh_button.isEnabled()
    screenshot(window, "recent-orders")
    loop.run_until_complete(platform.aclose())


def test_window_reports_an_unreachable_platform_and_stays_usable(qtbot: QtBot, loop: qasync.QEventLoop,
                                                                 sandbox: SandboxServer) -> None:
    account = apifm_account(sandbox)
    platform = connect(type(account)(**{**account.__dict__, "base_url": "http://127.0.0.1:9"}), retries=0)
    window = RecentOrdersWindow(platform, "ShopDesk")
    qtbot.addWidget(window)
    loop.run_until_complete(window.refresh())
    assert "无法连接到平台" in window.statusBar().currentMessage()
    assert window.refresh_button.isEnabled() and window.model.rowCount() == 0
    loop.run_until_complete(platform.aclose())
