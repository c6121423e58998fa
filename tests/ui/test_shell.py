"""The app shell: navigation, the sync state in the status bar and the offline banner,
global search, saved window state, the async-task helper, and the real wiring against a
practice platform."""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.domain.enums import OrderRefundState, OrderStatus
from app.domain.models import Order, OrderBundle, OrderItem, Receiver
from app.platform.connect import connect
from app.platform.errors import OfflineError, ServerError
from app.sandbox.server import SandboxServer
from app.services import sync as sync_module
from app.services.crash_report import register_secret
from app.store import orders as store_orders
from app.store.database import Cache
from app.ui.desk import Desk, Reachability
from app.ui.shell.main_window import MainWindow
from app.ui.shell.search_dialog import HINT, NOTHING
from app.ui.shell.status import OFFLINE_TEXT, RESOURCE_LABELS
from app.ui.tasks import CrashHandler, run_task
from tests.conftest import apifm_account
from tests.ui.conftest import screenshot

TITLE = "ShopDesk 商家工作台"
# The offscreen platform has no window stacking; on a desktop raise() brings a window forward.
NO_RAISE = pytest.mark.qt_log_ignore("This plugin does not support raise")
ROOT = Path(__file__).resolve().parents[2]
GOODS = ["赣南脐橙 5斤装", "五常大米 10kg", "阳澄湖大闸蟹礼盒"]
NAMES = ["王伟", "李娜", "张敏"]


def bundle(i: int) -> OrderBundle:
    created = datetime(2026, 11, 1, 9) + timedelta(minutes=i)
    order = Order(id=i, number=f"2611{i:010d}", uid=i, status=OrderStatus.TO_SHIP, amount_goods=Decimal("10.00"),
                  amount_freight=Decimal("8.00"), amount_discount=Decimal("0.00"), amount_paid=Decimal("18.00"),
                  amount_refunded=Decimal("0.00"), goods_count=1, refund_state=OrderRefundState.NONE,
                  needs_delivery=True, is_paid=True, pickup_code="", buyer_remark="", admin_remark="",
                  created_at=created, updated_at=created)
    items = (OrderItem(id=i * 10, order_id=i, goods_id=1, sku_id=1, name=GOODS[i % len(GOODS)], pic="", property="",
                       quantity=1, quantity_unshipped=1, unit_price=Decimal("10.00"), amount=Decimal("10.00")),)
    receiver = Receiver(NAMES[i % len(NAMES)], f"1380013{i:04d}", "330000000000", "浙江省", "330100000000", "杭州市",
                        "330106000000", "西湖区", f"文三路{i}号")
    return OrderBundle(order=order, items=items, receiver=receiver, parcels=())


def write(cache: Cache, ids: range) -> None:
    bundles = [bundle(i) for i in ids]
    cache.writer.run_sync(lambda conn: store_orders.write_bundles(conn, bundles))


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    """Anything that opens the user's settings gets a folder of this test's instead."""
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "user-settings"))


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache.sqlite")
    write(c, range(1, 7))
    yield c
    c.close()


def settings_file(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "shopdesk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: QtBot, cache: Cache, tmp_path: Path) -> Iterator[MainWindow]:
    w = MainWindow(cache, TITLE, practice=True, settings=settings_file(tmp_path))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.orders_panel.model.rowCount() == 6)
    yield w
    w.close()  # before the cache closes: the panel's reader thread ends here


def shot(qtbot: QtBot, widget: QWidget, name: str) -> None:
    qtbot.wait(20)  # let the status bar lay out its changed labels first
    screenshot(widget, name)


def shortcuts_in_menus(window: MainWindow) -> dict[str, str]:
    found = {}
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if not action.shortcut().isEmpty():
                found[action.shortcut().toString()] = action.text()
    return found


def test_navigation_lists_only_built_panels_and_menus_show_every_shortcut(window: MainWindow) -> None:
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == ["订单", "发货"]
    assert window.stack.count() == 2 and window.stack.currentWidget() is window.orders_panel
    assert window.windowTitle() == f"{TITLE} — 练习模式"
    shortcuts = shortcuts_in_menus(window)
    assert {"Ctrl+K", "Ctrl+F", "F5", "Ctrl+1"} <= set(shortcuts)
    assert shortcuts["Ctrl+1"] == "订单" and shortcuts["Ctrl+2"] == "发货"
    assert not window.sync_action.isEnabled()  # nothing to sync with until the app attaches it
    window.show_shortcuts()
    help_box = window.findChild(QMessageBox)
    assert "Ctrl+K\t搜索订单…" in help_box.text() and "F5\t立即同步" in help_box.text()
    help_box.close()
    assert set(RESOURCE_LABELS) == {r.name for r in sync_module.RESOURCES}


def test_ctrl_f_puts_the_cursor_in_the_panels_search(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    window.nav.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    focused = QApplication.focusWidget()
    assert isinstance(focused, QLineEdit) and window.orders_panel.isAncestorOf(focused)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.orders_panel and window.panels[0].action.isChecked()


def test_status_bar_follows_sync_progress_and_online_state(window: MainWindow, qtbot: QtBot) -> None:
    status = window.sync_status
    assert status.progress.isHidden() and window.banner.isHidden()
    assert status.online.text() == "● 正在连接" and status.last_sync.text() == "尚未同步"

    window.on_sync_progress("orders", 3, 10)
    assert status.progress.isVisible() and status.progress.text() == "同步订单 3/10"
    shot(qtbot, window, "shell-syncing")
    window.sync_finished("orders", datetime.now().replace(hour=9, minute=5, second=7))
    assert status.progress.isHidden() and status.last_sync.text() == "上次同步 09:05:07"

    window.set_online(False, "无法连接到平台。请检查网络。")
    assert window.banner.isVisible() and OFFLINE_TEXT in window.banner.title.text()
    assert window.banner.reason.text() == "无法连接到平台。请检查网络。"
    assert status.online.text() == "● 离线" and "#cf222e" in status.online.styleSheet()
    shot(qtbot, window, "shell-offline")
    window.set_online(True)
    assert window.banner.isHidden() and status.online.text() == "● 在线"

    # What the schedule reports: unreachable means offline, a server fault only a message.
    window.on_sync_progress("refunds", 1, 4)
    window.on_sync_result("refunds", OfflineError("connection refused"))
    assert window.banner.isVisible() and status.progress.isHidden()
    assert window.banner.reason.text() == OfflineError().message("zh")
    window.on_sync_result("orders", None)
    assert window.banner.isHidden() and status.online.text() == "● 在线"
    window.on_sync_result("users", ServerError("HTTP 503"))
    assert status.online.text() == "● 在线" and window.statusBar().currentMessage().startswith("同步客户未完成")
    shot(qtbot, window, "shell-online")


def test_the_panel_rereads_synced_orders_at_most_once_a_second(window: MainWindow, cache: Cache,
                                                              qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    write(cache, range(7, 10))
    window.sync_finished("orders", datetime.now())
    qtbot.waitUntil(lambda: window.orders_panel.model.rowCount() == 9)

    calls: list[float] = []
    monkeypatch.setattr(window.orders_panel, "cache_changed", lambda: calls.append(time.monotonic()))
    started = time.monotonic()
    while time.monotonic() - started < 2.2:  # a first sync landing pages as fast as it can
        window.on_sync_progress("orders", len(calls) + 1, 1000)
        qtbot.wait(20)
    qtbot.wait(1100)
    assert 2 <= len(calls) <= 4
    assert all(b - a >= 0.95 for a, b in itertools.pairwise(calls))
    window.on_sync_progress("users", 1, 1000)  # not shown by the orders panel
    qtbot.wait(1100)
    assert len(calls) <= 4


@NO_RAISE
def test_global_search_finds_by_phone_and_number_and_opens_the_order(window: MainWindow, qtbot: QtBot) -> None:
    dialog = window.search_dialog
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitExposed(dialog)
    assert dialog.hint.text() == HINT and dialog.results.count() == 0
    qtbot.keyClicks(dialog.edit, "13800130004")
    qtbot.waitUntil(lambda: dialog.results.count() == 1)
    assert dialog.results.item(0).text().startswith("26110000000004")
    assert "李娜 13800130004" in dialog.results.item(0).text()

    dialog.edit.setText("no such order")
    qtbot.waitUntil(lambda: dialog.hint.text() == NOTHING)
    assert dialog.results.count() == 0

    dialog.edit.setText("261100000000")  # every order's number: newest first
    qtbot.waitUntil(lambda: dialog.results.count() == 6)
    assert dialog.results.currentRow() == 0
    shot(qtbot, dialog, "global-search")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Up)
    assert dialog.results.currentRow() == 1 and dialog.edit.hasFocus()
    with qtbot.waitSignal(dialog.order_chosen) as chosen:
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert chosen.args == [5]
    assert not dialog.isVisible()
    assert window.orders_panel.selected_ids() == [5]
    detail = window._details[5]
    assert detail.isVisible() and "26110000000005" in detail.windowTitle()
    window.open_order(5)  # opening it again raises the same window
    assert list(window._details) == [5]


@NO_RAISE
def test_enter_right_after_typing_searches_first(window: MainWindow, qtbot: QtBot) -> None:
    dialog = window.search_dialog
    dialog.start()
    with qtbot.waitSignal(dialog.order_chosen) as chosen:
        dialog.edit.setText("26110000000003")
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)  # before the debounce fires
    assert chosen.args == [3]


def test_window_geometry_and_panel_state_survive_a_restart(qtbot: QtBot, cache: Cache, tmp_path: Path) -> None:
    first = MainWindow(cache, TITLE, practice=False, settings=settings_file(tmp_path))
    qtbot.addWidget(first)
    first.show()
    # The offscreen screen is 800×600, narrower than the window's minimum width: restoring
    # fits the width to the screen, so the height tells whether the geometry came back.
    first.resize(first.minimumSizeHint().width(), 520)
    first.orders_panel.splitter.setSizes([700, 300])
    splitter = first.orders_panel.splitter.sizes()
    first.close()
    assert first.windowTitle() == TITLE
    assert settings_file(tmp_path).value("main/panel") == "orders"

    second = MainWindow(cache, TITLE, practice=False, settings=settings_file(tmp_path))
    qtbot.addWidget(second)
    second.show()
    assert second.height() == 520
    assert second.orders_panel.splitter.sizes() == splitter
    second.close()
    assert not (tmp_path / "user-settings").exists()  # the user's own settings were never touched


def test_run_task_reports_a_platform_error_and_reenables_the_control(qtbot: QtBot,
                                                                     loop: qasync.QEventLoop) -> None:
    host = QMainWindow()
    qtbot.addWidget(host)
    button = QPushButton("发货", host)
    host.setCentralWidget(button)
    seen: list[bool] = []

    async def ship() -> None:
        seen.append(button.isEnabled())
        await asyncio.sleep(0)
        raise OfflineError("connection refused")

    with qtbot.capture_exceptions() as crashes:
        task = run_task(ship(), disable=button)
        assert not button.isEnabled()
        loop.run_until_complete(task)
    assert seen == [False] and button.isEnabled()
    assert host.statusBar().currentMessage() == OfflineError().message("zh")
    assert crashes == []

    results: list[int] = []
    loop.run_until_complete(run_task(asyncio.sleep(0, 42), disable=[button], on_success=results.append))
    assert results == [42] and button.isEnabled()


def test_run_task_sends_a_bug_to_the_crash_handler(qtbot: QtBot, loop: qasync.QEventLoop) -> None:
    button = QPushButton("发货")
    qtbot.addWidget(button)
    told: list[str] = []

    async def broken() -> None:
        raise KeyError("bug")

    with qtbot.capture_exceptions() as crashes:
        loop.run_until_complete(run_task(broken(), disable=button, report=told.append))
    assert [type(e[1]) for e in crashes] == [KeyError]
    assert told == [] and button.isEnabled()


def test_crash_handler_shows_each_bug_once(qtbot: QtBot) -> None:
    handler = CrashHandler()
    for _ in range(2):
        try:
            {}["missing"]
        except KeyError as exc:
            handler(KeyError, exc, exc.__traceback__)
    assert len(handler.boxes) == 1
    box = handler.boxes[0]
    assert box.isVisible() and "KeyError" in box.detailedText()
    box.close()
    qtbot.waitUntil(lambda: handler.boxes == [])


def test_crash_report_names_the_versions_and_hides_secrets(qtbot: QtBot) -> None:
    register_secret("the-merchant-key-0042")
    handler = CrashHandler()
    try:
        raise ValueError("login with the-merchant-key-0042 failed: GET /user/list?token=tok-991&page=2")
    except ValueError as exc:
        handler(ValueError, exc, exc.__traceback__)
    report = handler.boxes[0].detailedText()
    assert report.startswith("ShopDesk ") and "Python " in report and "Qt " in report
    assert "the-merchant-key-0042" not in report and "tok-991" not in report
    assert "page=2" in report and "ValueError" in report
    handler.boxes[0].close()
    qtbot.waitUntil(lambda: handler.boxes == [])


def test_reachability_probes_once_in_a_while_when_offline() -> None:
    now = [100.0]
    reach = Reachability(probe_every=10, clock=lambda: now[0])
    assert reach.allows()
    reach.record(ServerError("HTTP 502"))  # answering, badly: keep trying on schedule
    assert reach.allows()
    reach.record(OfflineError())
    assert not reach.allows()
    now[0] += 10
    assert reach.allows()
    reach.record(None)
    assert reach.allows() and reach.down_at is None


async def _until(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)


@pytest.fixture
def live_window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """A window over an empty cache, for a Desk to fill."""
    cache = Cache(tmp_path / "live.sqlite")
    window = MainWindow(cache, TITLE, practice=True, settings=settings_file(tmp_path))
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    cache.close()


# Each scenario runs in one run_until_complete: qasync's run_until_complete processes Qt
# events once more after the loop has stopped, which would step a still-running sync task
# outside any running loop.
def test_desk_syncs_a_practice_platform_into_the_window(live_window: MainWindow, loop: qasync.QEventLoop,
                                                        sandbox: SandboxServer) -> None:
    window = live_window
    desk = Desk(connect(apifm_account(sandbox)), window.cache, window)
    assert window.sync_action.isEnabled()

    async def scenario() -> None:
        desk.start()
        try:
            await _until(lambda: desk.orders_synced and window.orders_panel.model.rowCount() == 400)
            assert window.sync_status.online.text() == "● 在线" and window.banner.isHidden()
            assert window.sync_status.last_sync.text().startswith("上次同步 ")
            await asyncio.sleep(0.1)  # the panel's counts come in after its rows
            screenshot(window, "shell-practice-shop")
            window.sync_now()  # F5: every resource again, reported in the status bar
            assert not window.sync_action.isEnabled()
            await _until(window.sync_action.isEnabled)
            assert window.statusBar().currentMessage() == "同步完成"
        finally:
            await desk.stop()

    loop.run_until_complete(scenario())


def test_desk_shows_an_unreachable_platform_as_offline(live_window: MainWindow, loop: qasync.QEventLoop,
                                                       sandbox: SandboxServer) -> None:
    window = live_window
    account = apifm_account(sandbox)
    unreachable = type(account)(**{**account.__dict__, "base_url": "http://127.0.0.1:9"})
    desk = Desk(connect(unreachable, retries=0), window.cache, window)

    async def scenario() -> None:
        desk.start()
        try:
            await _until(window.banner.isVisible, 10)
            assert window.sync_status.online.text() == "● 离线" and not desk.reach.allows()
            assert window.orders_panel.model.rowCount() == 0 and not desk.orders_synced
            window.sync_now()  # F5 while offline: says so, and F5 works again after
            await _until(window.sync_action.isEnabled, 10)
            assert window.statusBar().currentMessage() == OfflineError().message("zh")
        finally:
            await desk.stop()

    loop.run_until_complete(scenario())


@pytest.mark.skipif(sys.platform != "linux", reason="looks for a leftover practice shop in /proc")
def test_the_app_starts_its_practice_shop_shows_orders_and_leaves_nothing_behind(tmp_path: Path) -> None:
    env = {**os.environ, "SHOPDESK_HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "app", "--quit-after-load"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=150)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "home" / "practice" / "practice-shop.sqlite").exists()
    assert (tmp_path / "home" / "accounts" / "practice" / "cache.sqlite").exists()
    assert (tmp_path / "config" / "ShopDesk" / "ShopDesk.ini").exists()  # the window's state was saved
    leftovers = [p for p in Path("/proc").glob("[0-9]*")
                 if str(tmp_path) in _cmdline(p)]
    assert leftovers == []


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
