"""The main window: navigation between panels, the sync state, global search, shortcuts.

At start the window is built in two steps (``complete=False``, then ``complete()``): the
frame, the menus and the orders list first, so the cache's first rows paint before the
order and shipping actions, the outbox, the detail pane and the shipping panel (most of
what the app imports) exist; the app completes the window straight after that paint.
Whatever reaches for those parts before then (a double-click, Ctrl+Shift+O) completes
the window first.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.platform.errors import OfflineError, PlatformError
from app.store import sync_state
from app.store.database import Cache
from app.ui import theme
from app.ui.i18n import ui_language
from app.ui.orders.panel import OrdersPanel
from app.ui.shell.status import OfflineBanner, SyncStatus, resource_label
from app.ui.tasks import run_task

if TYPE_CHECKING:  # named only; imported where they are built (see the module's docstring)
    from app.platform.api import Capability
    from app.services.outbox import OutboxService
    from app.ui.orders.actions import OrderActions
    from app.ui.orders.detail import OrderDetailWindow
    from app.ui.outbox import OutboxClient
    from app.ui.preferences import PreferencesDialog
    from app.ui.printing.profile_dialog import PrintProfilesDialog
    from app.ui.shell.outbox_view import OutboxView
    from app.ui.shell.search_dialog import GlobalSearchDialog
    from app.ui.shipping.actions import ShipActions
    from app.ui.shipping.panel import ShippingPanel
    from app.ui.shipping.scan_station import ScanStation

log = logging.getLogger(__name__)
REFRESH_EVERY = 1.0  # s: a first sync reports a page many times a second; the panel re-reads at most this often
REFRESHES_ORDERS = ("orders", "refunds")  # resources whose rows the orders panel shows
SyncNow = Callable[[], Coroutine[Any, Any, object]]
RefreshOrder = Callable[[int], Awaitable[None]]
DETAIL_DELAY_MS = 500  # the selection must rest this long before its detail is fetched (not per arrow key)
DETAIL_FRESH = 30.0  # s: an order's detail fetched this recently is not fetched again
WRITE_REFRESH_MS = 50  # a write's views refresh at once; this only merges the record and the send


def app_settings() -> QSettings:
    """The user's settings: an INI file on every system, so it is one readable file to back up or reset."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "ShopDesk", "ShopDesk")


@dataclass
class PanelEntry:
    key: str
    label: str
    widget: QWidget
    action: QAction


class MainWindow(QMainWindow):
    def __init__(self, cache: Cache, title: str, practice: bool, *, settings: QSettings | None = None,
                 complete: bool = True) -> None:
        super().__init__()
        self.cache = cache
        self.settings = settings or app_settings()
        self.setWindowTitle(self.tr("{title} — 练习模式").format(title=title) if practice else title)
        self.resize(1280, 800)
        self._sync_now: SyncNow | None = None
        self._open_accounts: Callable[[], None] | None = None
        self._refresh_order: RefreshOrder | None = None
        self.online: bool | None = None  # None until the platform has answered or failed once
        self._details: dict[int, OrderDetailWindow] = {}
        self._fetched: dict[int, float] = {}  # order id → when its detail was last fetched
        self._last_refresh = float("-inf")
        self._closed = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self._refresh_views)

        self.completed = False
        self.orders_panel = OrdersPanel(cache, complete=False)
        self.orders_panel.order_activated.connect(self.open_order)
        self._write_timer = QTimer(self, singleShot=True, interval=WRITE_REFRESH_MS)
        self._write_timer.timeout.connect(self._after_write)
        self._detail_timer = QTimer(self, singleShot=True, interval=DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self._fetch_selected)
        self._search_dialog: GlobalSearchDialog | None = None
        self.outbox_view: OutboxView | None = None
        self.scan_station: ScanStation | None = None
        self.preferences: PreferencesDialog | None = None
        self.print_profiles: PrintProfilesDialog | None = None
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(132)
        # Through theme.style although it names no colour: a widget with a style sheet keeps the
        # palette it was polished with until its sheet is applied again, as a theme switch does.
        theme.style(self.nav, "#navigation { font-size: 14px; outline: 0; } #navigation::item { padding: 8px 12px; }")
        self.stack = QStackedWidget()
        self.banner = OfflineBanner()
        self.queue_button = QPushButton()
        self.queue_button.setObjectName("open_queue")
        self.queue_button.setText(self.tr("查看待发送队列"))
        self.queue_button.clicked.connect(self.show_queue)
        banner_box = self.banner.layout()
        if isinstance(banner_box, QVBoxLayout):  # status.py builds it so; below the reason, at its left
            banner_box.addWidget(self.queue_button, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            banner_box.addWidget(self.queue_button)
        self.queue_button.hide()
        self.queue_count = QToolButton()
        self.queue_count.setObjectName("queue_count")
        self.queue_count.setAutoRaise(True)
        self.queue_count.setToolTip(self.tr("打开待发送队列"))
        self.queue_count.clicked.connect(self.show_queue)
        self.queue_count.hide()
        self.sync_status = SyncStatus()
        self.statusBar().addPermanentWidget(self.queue_count)
        self.statusBar().addPermanentWidget(self.sync_status)

        self._build_actions()
        self.panels: list[PanelEntry] = []
        self._add_panel("orders", self.tr("订单"), self.orders_panel)
        self.nav.currentRowChanged.connect(self._panel_changed)
        self.nav.setCurrentRow(0)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer = QVBoxLayout()
        outer.setContentsMargins(6, 6, 6, 0)
        outer.addWidget(self.banner)
        outer.addLayout(body, 1)
        central = QWidget()
        central.setLayout(outer)
        self.setCentralWidget(central)
        self._show_stored_sync_time()
        self.restore_state()
        # Another panel was in front last time: its rows are the first ones to paint.
        if complete or self.settings.value("main/panel", "orders") != "orders":
            self.complete()

    def complete(self) -> None:
        """Build what the first painted rows do not need: the outbox client, the order and
        shipping actions (menus, context menu, the detail pane's toolbar), the detail pane
        and the shipping panel, each with its saved state."""
        if self.completed:
            return
        self.completed = True
        from app.ui.orders.actions import OrderActions
        from app.ui.outbox import OutboxClient
        from app.ui.shipping.actions import ADD, RECEIVER, SHIP, ShipActions
        from app.ui.shipping.panel import ShippingPanel

        self.outbox_client: OutboxClient = OutboxClient(self.cache, self.show_message, self)
        self.outbox_client.changed.connect(lambda: self._write_timer.start())
        self.order_actions: OrderActions = OrderActions(self.outbox_client, self.orders_panel.selected_ids, self, bulk=True)
        separator = QAction(self)
        separator.setSeparator(True)
        self.orders_panel.table.addActions([separator, *self.order_actions.all()])  # its context menu
        # Shipping from the orders list too: ship, add numbers to a shipped order, change the address.
        self.order_shipping: ShipActions = ShipActions(self.outbox_client, self.orders_panel.selected_ids, self, self.settings)
        self.orders_panel.table.addActions([self.order_shipping.actions[k] for k in (SHIP, ADD, RECEIVER)])
        self.orders_panel.complete()
        self.orders_panel.detail.set_actions(self.order_actions.all())
        self.orders_panel.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._selection_changed()

        first = self.orders_menu.actions()[0] if self.orders_menu.actions() else None
        self.order_actions.fill_menu(self.orders_menu, before=first)
        self.addActions(self.order_actions.all())

        self.shipping_panel: ShippingPanel = ShippingPanel(self.cache, self.outbox_client, self.settings)
        self._add_panel("shipping", self.tr("发货"), self.shipping_panel)
        self.shipping_panel.restore_state(self.settings)  # its keys are under "shipping/"
        self.show_panel(str(self.settings.value("main/panel", "orders")))

    @property
    def search_dialog(self) -> GlobalSearchDialog:
        """Ctrl+K's dialog, built the first time it is asked for."""
        if self._search_dialog is None:
            from app.ui.shell.search_dialog import GlobalSearchDialog

            self._search_dialog = GlobalSearchDialog(self.cache, self)
            self._search_dialog.order_chosen.connect(self.show_order)
        return self._search_dialog

    # ---- building

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str,
                slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        self.sync_action = self._action(self.tr("立即同步(&S)"), "F5", self.sync_now)
        self.sync_action.setEnabled(False)  # until the app attaches a sync (set_sync_now)
        quit_action = self._action(self.tr("退出(&Q)"), QKeySequence.StandardKey.Quit, self.close)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.preferences_action = self._action(self.tr("偏好设置…(&P)"), QKeySequence.StandardKey.Preferences,
                                               self.show_preferences)
        # On macOS Qt moves it to the application menu, where Mac users look for it.
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.print_profiles_action = self._action(self.tr("打印设置…"), "", self.show_print_profiles)
        self.accounts_action = self._action(self.tr("账号…(&A)"), "Ctrl+Shift+A", self.open_accounts)
        self.accounts_action.setEnabled(False)  # until the app attaches the dialog (set_open_accounts)
        file_menu = bar.addMenu(self.tr("文件(&F)"))
        file_menu.addAction(self.sync_action)
        file_menu.addSeparator()
        file_menu.addAction(self.accounts_action)
        file_menu.addAction(self.preferences_action)
        file_menu.addAction(self.print_profiles_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        self.search_action = self._action(self.tr("搜索订单…(&K)"), "Ctrl+K", lambda: self.search_dialog.start())
        self.find_action = self._action(self.tr("在当前列表中查找(&F)"), "Ctrl+F", self.focus_search)
        edit_menu = bar.addMenu(self.tr("查找(&E)"))
        edit_menu.addAction(self.search_action)
        edit_menu.addAction(self.find_action)

        self.orders_menu = bar.addMenu(self.tr("订单(&O)"))  # the order actions go first (complete())
        self.orders_menu.addSeparator()
        self.queue_action = self._action(self.tr("待发送队列…(&Q)"), "Ctrl+Shift+O", self.show_queue)
        self.orders_menu.addAction(self.queue_action)
        # A window of its own for a scanner: no order has to be selected first.
        self.scan_action = self._action(self.tr("扫码发货…"), "F8", self.show_scan_station)
        self.orders_menu.addAction(self.scan_action)
        self.addActions([self.queue_action, self.scan_action])

        self.view_menu = bar.addMenu(self.tr("视图(&V)"))
        self.panel_group = QActionGroup(self)

        help_menu = bar.addMenu(self.tr("帮助(&H)"))
        help_menu.addAction(self._action(self.tr("键盘快捷键(&K)"), "", self.show_shortcuts))
        help_menu.addAction(self._action(self.tr("关于 ShopDesk(&A)"), "", self.show_about))
        # Registered on the window too, so they work while the menu bar is hidden or unfocused.
        self.addActions([self.sync_action, quit_action, self.accounts_action, self.preferences_action,
                         self.search_action, self.find_action])

    def _add_panel(self, key: str, label: str, widget: QWidget) -> None:
        number = len(self.panels) + 1
        action = self._action(label, f"Ctrl+{number}", lambda: self.show_panel(key))
        action.setCheckable(True)
        self.panel_group.addAction(action)
        self.view_menu.addAction(action)
        self.addAction(action)
        item = QListWidgetItem(label)
        item.setToolTip(f"{label} (Ctrl+{number})")
        self.nav.addItem(item)
        self.stack.addWidget(widget)
        self.panels.append(PanelEntry(key, label, widget, action))

    def _panel_changed(self, row: int) -> None:
        if 0 <= row < len(self.panels):
            self.stack.setCurrentIndex(row)
            self.panels[row].action.setChecked(True)

    def show_panel(self, key: str) -> None:
        for row, entry in enumerate(self.panels):
            if entry.key == key:
                self.nav.setCurrentRow(row)
                return

    def current_panel(self) -> PanelEntry:
        return self.panels[self.stack.currentIndex()]

    # ---- orders

    def focus_search(self) -> None:
        widget = self.current_panel().widget
        if isinstance(widget, OrdersPanel):
            widget.focus_search()

    def show_order(self, order_id: int) -> None:
        """Global search chose an order: show it in the list and open it."""
        self.show_panel("orders")
        self.orders_panel.show_order(order_id)
        self.open_order(order_id)

    def open_order(self, order_id: int) -> None:
        self.complete()
        window = self._details.get(order_id)
        if window is None:
            from app.ui.orders.detail import OrderDetailWindow

            window = OrderDetailWindow(self.cache, order_id, self, client=self.outbox_client)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda _obj=None, oid=order_id: self._details.pop(oid, None))
            self._details[order_id] = window
        else:
            window.refresh()
        window.show()
        window.raise_()
        window.activateWindow()
        self.fetch_detail(order_id)

    # ---- an order's full detail (log, refunds, every parcel), fetched in the background

    def set_refresh_order(self, refresh_order: RefreshOrder) -> None:
        """What fetches one order's detail into the cache (SyncService.refresh_order)."""
        self._refresh_order = refresh_order

    def _selection_changed(self) -> None:
        self.order_actions.update()
        self.order_shipping.update()
        self._detail_timer.start()  # restarted by each change: only a selection that rests is fetched

    def _fetch_selected(self) -> None:
        ids = self.orders_panel.selected_ids()
        if len(ids) == 1:
            self.fetch_detail(ids[0])

    def fetch_detail(self, order_id: int) -> None:
        """Fetch the order's detail unless offline or fetched moments ago; the views show it
        when the cache changes."""
        if self._refresh_order is None or self.online is False or self._closed:
            return
        now = time.monotonic()
        if now - self._fetched.get(order_id, float("-inf")) < DETAIL_FRESH:
            return
        self._fetched[order_id] = now

        def failed(text: str) -> None:
            self._fetched.pop(order_id, None)  # try again next time it is shown
            log.info("detail of order %s not fetched: %s", order_id, text)

        run_task(self._refresh_order(order_id), report=failed, on_success=lambda _r: self.cache_changed())

    # ---- the outbox

    def set_outbox(self, outbox: OutboxService) -> None:
        """Writes go through this outbox from now on; the order actions become available."""
        self.complete()
        self.outbox_client.attach(outbox)

    def set_capabilities(self, supports: Callable[[Capability], bool]) -> None:
        """What the platform can do (Platform.supports): the shipping actions offer only that."""
        self.complete()
        self.order_shipping.set_supports(supports)
        self.shipping_panel.set_supports(supports)

    def show_queue(self) -> None:
        self.complete()
        if self.outbox_view is None:
            from app.ui.shell.outbox_view import OutboxView

            self.outbox_view = OutboxView(self.outbox_client, self)
        self.outbox_view.refresh()
        self.outbox_view.show()
        self.outbox_view.raise_()
        self.outbox_view.activateWindow()

    def show_scan_station(self) -> ScanStation:
        from app.ui.shipping.scan_station import ScanStation  # here: not part of the start

        """Non-modal, one at a time: F8 again brings it forward with its session count kept."""
        self.complete()
        if self.scan_station is None:
            self.scan_station = ScanStation(self.outbox_client, self.settings, self)
        self.scan_station.show()
        self.scan_station.raise_()
        self.scan_station.activateWindow()
        return self.scan_station

    def _after_write(self) -> None:
        if self._closed:
            return
        self._refresh_timer.stop()
        self._refresh_views()
        self.update_queue()

    def update_queue(self) -> None:
        """The queue's count in the status bar and the offline banner."""
        from app.ui.shell.outbox_view import queue_text

        self.complete()
        waiting, problems = len(self.outbox_client.waiting()), len(self.outbox_client.problems())
        text = queue_text(waiting, problems, self.online is not False)
        self.queue_count.setText(text)
        self.queue_count.setVisible(bool(text))
        # A template, not a colour: a theme switch re-renders it (theme.style).
        theme.style(self.queue_count, "QToolButton { color: $error; font-weight: bold; }" if problems
                    else "QToolButton { color: $pending; font-weight: bold; }")
        self.queue_button.setText(self.tr("查看待发送队列（{count} 项，恢复连接后自动发送）").format(count=waiting)
                                  if waiting else self.tr("查看待发送队列"))
        self.queue_button.setVisible(bool(waiting or problems))

    # ---- sync

    def set_open_accounts(self, open_accounts: Callable[[], None]) -> None:
        """What 账号… opens: the app's accounts dialog, which can switch this window's account."""
        self._open_accounts = open_accounts
        self.accounts_action.setEnabled(True)

    def open_accounts(self) -> None:
        if self._open_accounts is not None:
            self._open_accounts()

    def set_sync_now(self, sync_now: SyncNow) -> None:
        """What F5 runs: the app's sync of every resource, reported through on_sync_result."""
        self._sync_now = sync_now
        self.sync_action.setEnabled(True)

    def sync_now(self) -> None:
        if self._sync_now is not None:
            self.statusBar().showMessage(self.tr("正在同步…"))
            run_task(self._sync_now(), disable=self.sync_action, report=self.show_message,
                     on_success=lambda _result: self.show_message(self.tr("同步完成")))

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15_000)

    def on_sync_progress(self, resource: str, done: int, total: int) -> None:
        self.sync_status.show_progress(resource, done, total)
        if resource in REFRESHES_ORDERS and 0 < done < total:
            self.cache_changed()  # a long sync: show rows as their pages land, not only at the end

    def sync_finished(self, resource: str, when: datetime) -> None:
        self.sync_status.hide_progress()
        self.sync_status.set_last_sync(when)
        if resource in REFRESHES_ORDERS:
            self.cache_changed()

    def set_online(self, online: bool, reason: str = "") -> None:
        self.online = online
        self.sync_status.set_online(online, reason)
        if online:
            self.banner.hide()
        else:
            self.banner.show_reason(reason)
        self.update_queue()

    def on_sync_result(self, resource: str, error: Exception | None) -> None:
        """One sync attempt's outcome (SyncService.run_forever's on_result)."""
        if error is None:
            self.set_online(True)
            self.sync_finished(resource, datetime.now())
            return
        self.sync_status.hide_progress()
        if isinstance(error, OfflineError):
            self.set_online(False, error.message(ui_language()))
        elif isinstance(error, PlatformError):
            self.show_message(self.tr("同步{resource}未完成：{reason}").format(
                resource=resource_label(resource), reason=error.message(ui_language())))

    def cache_changed(self) -> None:
        """The cache was written: views re-read it, at most once every REFRESH_EVERY s."""
        if self._closed or self._refresh_timer.isActive():
            return
        wait = max(0.0, REFRESH_EVERY - (time.monotonic() - self._last_refresh))
        self._refresh_timer.start(int(wait * 1000))

    def _refresh_views(self) -> None:
        self._last_refresh = time.monotonic()
        self.complete()
        self.orders_panel.cache_changed()
        self.shipping_panel.cache_changed()
        self.order_actions.update()
        for window in self._details.values():
            window.refresh()

    def _show_stored_sync_time(self) -> None:
        stamp = sync_state.load(self.cache.read, "orders").synced_at
        if stamp:
            self.sync_status.set_last_sync(datetime.fromisoformat(stamp))

    # ---- help

    def show_shortcuts(self) -> None:
        lines = [f"{action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}\t"
                 + re.sub(r"\(&.\)|&", "", action.text())  # the menu's mnemonic is noise here
                 for action in self.actions() if not action.shortcut().isEmpty()]
        self._note(self.tr("键盘快捷键"), "\n".join(lines))

    def show_about(self) -> None:
        self._note(self.tr("关于 ShopDesk"),
                   self.tr("ShopDesk 商家工作台\n微信小程序商城的桌面后台：订单、发货、售后、客户与内容管理。"))

    def show_preferences(self) -> PreferencesDialog:
        """Non-modal, one at a time: a second ask brings the open one forward."""
        if self.preferences is None:
            from app.ui.preferences import PreferencesDialog

            dialog = PreferencesDialog(self.settings, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(lambda _obj=None: setattr(self, "preferences", None))
            self.preferences = dialog
            dialog.open()  # never exec(): a nested loop would stall the qasync coroutines
        self.preferences.raise_()
        self.preferences.activateWindow()
        return self.preferences

    def show_print_profiles(self) -> PrintProfilesDialog:
        """This workstation's printers per document: one at a time like the preferences, but non-modal."""
        if self.print_profiles is None:
            from app.ui.printing.profile_dialog import PrintProfilesDialog  # not part of the start

            dialog = PrintProfilesDialog(self.settings, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.destroyed.connect(lambda _obj=None: setattr(self, "print_profiles", None))
            self.print_profiles = dialog
            # show(), not open(): non-modal, so the lists stay usable while a test page is tuned.
            dialog.show()
        self.print_profiles.raise_()
        self.print_profiles.activateWindow()
        return self.print_profiles

    def _note(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Close, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ---- state

    def restore_state(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("main/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self.orders_panel.restore_state(self.settings)  # its keys are under "orders/"

    def save_state(self) -> None:
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/state", self.saveState())
        self.settings.setValue("main/panel", self.current_panel().key)
        self.orders_panel.save_state(self.settings)
        if self.completed:  # else its saved state is still the one it would have restored
            self.shipping_panel.save_state(self.settings)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Also called by the app on quit (a quit from elsewhere never closes the window):
        # the second time finds nothing left to do.
        if not self._closed:
            self._closed = True
            self.save_state()
            self._refresh_timer.stop()
            self._write_timer.stop()
            self._detail_timer.stop()
            if self.outbox_view is not None:
                self.outbox_view.close()
            for window in list(self._details.values()):
                window.close()
            if self._search_dialog is not None:
                self._search_dialog.close()
            self.orders_panel.shutdown()  # its reader thread ends before the cache closes
            if self.completed:
                self.shipping_panel.shutdown()
        super().closeEvent(event)
