"""The orders panel: status tabs with live counts, search as you type, filters, saved
views, the table, and the selected order's detail beside it.

Built in two steps at start (``complete=False``): the table and what sits above it first,
so the first rows paint without the detail pane's imports (the order actions, the
outbox, the pictures); ``complete()`` puts the pane where its empty state stood.
"""

from __future__ import annotations

import json
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import OrderStatus
from app.services.order_columns import COLUMNS, KEYS, cell_text, status_text
from app.store.database import Cache
from app.store.queries import SORTS, OrderFilter, OrderTab
from app.ui.i18n import ui_language
from app.ui.orders.detail_empty import empty_detail
from app.ui.orders.filters import FilterBar
from app.ui.orders.loader import ViewLoader
from app.ui.orders.model import OrdersModel
from app.ui.orders.table import order_table

if TYPE_CHECKING:
    from app.ui.orders.detail import OrderDetailPane
    from app.ui.orders.export_dialog import ExportJob

TABS = tuple(OrderTab)
SEARCH_DELAY_MS = 40  # keys closer than this (a scanner, a paste, key repeat) are one search


class OrdersPanel(QWidget):
    order_activated = Signal(int)  # open this order in its own window

    def __init__(self, cache: Cache, parent: QWidget | None = None, *, complete: bool = True) -> None:
        super().__init__(parent)
        self.cache = cache
        self.sort = "created_desc"
        self._request = 0
        self._select_after: list[int] = []  # order ids to select once the rows are there
        self._current_after: int | None = None
        self.views: dict[str, dict[str, Any]] = {}

        self.tabs = QTabBar()
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        for tab in TABS:
            self.tabs.addTab(tab.label(ui_language()))
        self.tabs.currentChanged.connect(lambda _i: self.reload())

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索订单号、收货人、手机、地址、快递单号、商品、备注（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self._typing = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._typing.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._typing.start())
        self.search.returnPressed.connect(self._search_now)

        couriers = [(r[0], r[1]) for r in cache.read.execute("SELECT id, name FROM couriers ORDER BY name")]
        self.filters = FilterBar(couriers)
        self.filters.changed.connect(self.reload)
        # Push buttons, not instant-popup tool buttons: a push button's size hint makes room
        # for its menu arrow, where Fusion draws a tool button's arrow over its last letter.
        self.views_button = QPushButton(self.tr("视图"))
        self.views_button.setToolTip(self.tr("保存的视图：状态页、搜索、筛选和排序一起保存"))
        self.views_button.setMenu(QMenu(self.views_button))
        self.views_button.menu().aboutToShow.connect(self._fill_views_menu)

        self.export_button = QPushButton(self.tr("导出"))
        self.export_button.setToolTip(self.tr("把当前视图或所选订单导出为 Excel 或 CSV"))
        export_menu = QMenu(self.export_button)
        self.export_view = export_menu.addAction(self.tr("导出当前视图…"), lambda: self._export(self.model.ids()))
        self.export_selected = export_menu.addAction(self.tr("导出所选订单…"),
                                                     lambda: self._export(self.selected_ids()))
        self.export_button.setMenu(export_menu)
        self.export_columns: list[str] = []
        self.export_dir = str(Path.home())
        self._exports: list[ExportJob] = []

        self.model = OrdersModel(lambda: cache.read)
        self.model.sort_requested.connect(self.set_sort)
        self.table = order_table(self.model)
        header = self.table.horizontalHeader()
        header.sortIndicatorChanged.connect(self._header_clicked)
        for column, width in enumerate(self._column_widths()):
            header.resizeSection(column, width)
        # Right-click on the header: which columns to show (kept with the header's state).
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: self.column_menu().popup(header.mapToGlobal(pos)))
        self.table.doubleClicked.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.copy_numbers = QAction(self.tr("复制订单号"), self, shortcut=QKeySequence.StandardKey.Copy)
        self.copy_numbers.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_numbers.triggered.connect(self._copy_numbers)
        self.open_detail = QAction(self.tr("在新窗口打开"), self, shortcut=QKeySequence(Qt.Key.Key_Return))
        self.open_detail.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.open_detail.triggered.connect(self._open_current)
        self.table.addActions([self.open_detail, self.copy_numbers])

        self.completed = False
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(empty_detail())  # the pane's own empty state, until complete()
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 420])

        self._show_sort()
        self.footer = QLabel()
        self.footer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.views_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addLayout(bar)
        layout.addWidget(self.filters)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.footer)

        self.loader = ViewLoader(cache)
        if not complete:
            self.loader.hold_after_first()  # the rest of the list once the first rows are painted
        self.loader.first.connect(self._first)
        self.loader.full.connect(self._full)
        self.loader.counts.connect(self._counts)
        self.loader.failed.connect(self._failed)
        self._counts_shown: dict[OrderTab, int] = {}
        self.answered = False  # the cache has answered once: what the start waits to paint
        self.reload()
        if complete:
            self.complete()

    def complete(self) -> None:
        """The detail pane in place of its empty state (the splitter keeps the sizes)."""
        if self.completed:
            return
        from app.ui.orders.detail import OrderDetailPane

        self.completed = True
        self.loader.release()
        self.detail: OrderDetailPane = OrderDetailPane(self.cache)
        sizes = self.splitter.sizes()
        self.splitter.replaceWidget(1, self.detail).deleteLater()
        self.splitter.setSizes(sizes)  # else the next layout goes back to the sizes it was built with
        self._selection_changed()

    def _column_widths(self) -> list[int]:
        """Widths to start with: the status and receiver columns fit their longest fixed
        text in the UI's language ("Awaiting payment" is wider than 待付款)."""
        lang = ui_language()
        metrics = self.table.fontMetrics()
        padding = 16  # the cell's margins either side of the text

        def fits(*texts: str) -> int:
            return max(metrics.horizontalAdvance(t) for t in texts) + padding

        widths = dict(zip(KEYS, (150, 130, 110, 80, 110, 150, 240, 90, 150, 60, 100), strict=True))
        statuses = [status_text(int(s), 0, True, lang) for s in OrderStatus]
        widths["status"] = max(widths["status"], fits(*statuses, status_text(int(OrderStatus.TO_SHIP), 0, False, lang)))
        pickup = {"status": 0, "refund_state": 0, "needs_delivery": 0, "receiver_name": ""}
        widths["receiver"] = max(widths["receiver"], fits(cell_text(pickup, "receiver", lang)))  # type: ignore[arg-type]
        return [widths[key] for key in KEYS]

    # -- what the window calls --------------------------------------------------------
    def cache_changed(self) -> None:
        """A sync or a write changed the cache: read again, keep the selection and the place."""
        self._keep_selection()
        if self.completed:
            self.detail.refresh()
        self.reload(keep=True)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def show_order(self, order_id: int) -> None:
        """Select an order (from global search): in this view if it is there, else in 全部."""
        row = self.model.row_of(order_id)
        if row is not None:
            self._select_rows([order_id], order_id)
            return
        self._select_after, self._current_after = [order_id], order_id
        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(0)
        self.tabs.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.filters.blockSignals(True)
        self.filters.reset()
        self.filters.blockSignals(False)
        self.reload(keep=True)

    def current_filter(self) -> OrderFilter:
        base = OrderFilter(tab=TABS[max(self.tabs.currentIndex(), 0)], text=self.search.text().strip())
        return self.filters.order_filter(base)

    def state(self) -> dict[str, Any]:
        return {"tab": TABS[max(self.tabs.currentIndex(), 0)].value, "text": self.search.text(),
                "filters": self.filters.state(), "sort": self.sort}

    def set_state(self, state: dict[str, Any]) -> None:
        self.tabs.blockSignals(True)
        values = [t.value for t in TABS]
        self.tabs.setCurrentIndex(values.index(state["tab"]) if state.get("tab") in values else 0)
        self.tabs.blockSignals(False)
        self.search.blockSignals(True)
        self.search.setText(str(state.get("text", "")))
        self.search.blockSignals(False)
        self.filters.blockSignals(True)
        self.filters.set_state(dict(state.get("filters") or {}))
        self.filters.blockSignals(False)
        self.set_sort(str(state.get("sort", "created_desc")), reload=False)
        self.reload()

    def column_menu(self) -> QMenu:
        """Columns to show or hide; the last visible one cannot be hidden."""
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        shown = [i for i in range(len(COLUMNS)) if not header.isSectionHidden(i)]
        for i in range(len(COLUMNS)):
            action = menu.addAction(str(self.model.headerData(i, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(i in shown)
            action.setEnabled(shown != [i])
            action.toggled.connect(lambda on, i=i: header.setSectionHidden(i, not on))
        menu.addSeparator()
        every = menu.addAction(self.tr("显示全部列"))
        every.triggered.connect(lambda: [header.setSectionHidden(i, False) for i in range(len(COLUMNS))])
        return menu

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("orders/header", self.table.horizontalHeader().saveState())
        settings.setValue("orders/splitter", self.splitter.saveState())
        settings.setValue("orders/view", json.dumps(self.state(), ensure_ascii=False))
        settings.setValue("orders/saved_views", json.dumps(self.views, ensure_ascii=False))
        settings.setValue("orders/export", json.dumps({"columns": self.export_columns, "dir": self.export_dir}))

    def restore_state(self, settings: QSettings) -> None:
        if (header := settings.value("orders/header")) is not None:
            self.table.horizontalHeader().restoreState(header)
        if (splitter := settings.value("orders/splitter")) is not None:
            self.splitter.restoreState(splitter)
        try:
            self.views = dict(json.loads(str(settings.value("orders/saved_views", "{}"))))
            view = json.loads(str(settings.value("orders/view", "{}")))
            export = json.loads(str(settings.value("orders/export", "{}")))
            self.export_columns = [str(k) for k in export.get("columns", [])]
            self.export_dir = str(export.get("dir", self.export_dir))
        except (ValueError, TypeError):
            return  # settings from elsewhere or damaged: keep the defaults
        if isinstance(view, dict) and view:
            self.set_state(view)

    def shutdown(self) -> None:
        """Stop reading (the window is closing): the workers finish and close their connections."""
        self._typing.stop()
        self.loader.close()
        for job in self._exports:
            job.wait(60)

    # -- reading ------------------------------------------------------------------------
    def set_sort(self, sort: str, reload: bool = True) -> None:
        self.sort = sort if sort in SORTS else "created_desc"
        self._show_sort()
        if reload:
            self._keep_selection()
            self.reload(keep=True)

    def _header_clicked(self, column: int, order: Qt.SortOrder) -> None:
        self.model.sort(column, order)  # asks for set_sort when the column can be sorted
        self._show_sort()

    def _show_sort(self) -> None:
        """The header's arrow on the column the rows are really sorted by."""
        header = self.table.horizontalHeader()
        for column, c in enumerate(COLUMNS):
            for key, order in ((c.descending, Qt.SortOrder.DescendingOrder), (c.ascending, Qt.SortOrder.AscendingOrder)):
                if key == self.sort:
                    header.blockSignals(True)
                    header.setSortIndicator(column, order)
                    header.blockSignals(False)
                    return
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)

    def _search_now(self) -> None:
        self._typing.stop()
        self.reload()

    def reload(self, keep: bool = False) -> None:
        if not keep:
            self._select_after, self._current_after = [], None
        self._typing.stop()
        self._request = self.loader.request(self.current_filter(), self.sort)
        self.footer.setText(self.tr("读取中…"))

    def _first(self, request: int, ids: list[int], count: int) -> None:
        if request != self._request:
            return
        self.answered = True
        same_start = list(self.model.ids()[:len(ids)]) == ids
        if count < 0:
            # Not counted yet: rows already shown that start the same stay (a refresh of the
            # cache must not jump back to the top); the whole list settles the rest.
            if not same_start:
                self.model.show_ids(ids, count)
        elif self.model.loading or self.model.counting or self.model.rowCount() != count or not same_start:
            self.model.show_ids(ids, count)
        self._reselect()
        self._update_footer()

    def _full(self, request: int, ids: array) -> None:
        if request != self._request:
            return
        current = self.model.ids()
        if len(current) == len(ids) and current == ids and not self.model.counting:
            self.model.invalidate()  # same rows, maybe changed contents
        else:
            self.model.complete(ids)
        self._reselect()
        self._update_footer()

    def _counts(self, request: int, counts: dict[OrderTab, int]) -> None:
        if request != self._request:
            return
        self._counts_shown = counts
        for i, tab in enumerate(TABS):
            self.tabs.setTabText(i, f"{tab.label(ui_language())} {counts.get(tab, 0):,}")

    def _failed(self, request: int, message: str) -> None:
        if request == self._request:
            self.footer.setText(self.tr("读取本地订单失败：{error}。请重启程序；若仍失败，请在设置中重建本地缓存。")
                                .format(error=message))

    # -- selection ----------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [i for i in (self.model.order_id(r) for r in rows) if i is not None]

    def _keep_selection(self) -> None:
        if not self._select_after:
            self._select_after = self.selected_ids()
            current = self.table.currentIndex()
            self._current_after = self.model.order_id(current.row()) if current.isValid() else None

    def _reselect(self) -> None:
        if self._select_after and not self.model.loading:
            ids, current = self._select_after, self._current_after
            self._select_after, self._current_after = [], None
            self._select_rows(ids, current)

    def _select_rows(self, ids: list[int], current: int | None) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        rows = self.model.rows_of([*ids, *([current] if current is not None else [])])
        for order_id in ids:
            if (row := rows.get(order_id)) is not None:
                selection.select(self.model.index(row, 0), flags)
        row = rows.get(current) if current is not None else None
        if row is not None:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(index, selection.SelectionFlag.NoUpdate)
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _selection_changed(self) -> None:
        current = self.table.currentIndex()
        ids = self.selected_ids()
        order_id = self.model.order_id(current.row()) if current.isValid() and len(ids) <= 1 else None
        if self.completed:
            self.detail.show_order(order_id if order_id is not None else (ids[0] if len(ids) == 1 else None))
        self._update_footer()

    def _update_footer(self) -> None:
        count = self.model.rowCount()
        if self.model.counting:
            text = self.tr("{count} 笔以上，正在计数…").format(count=f"{count:,}")
        else:
            text = self.tr("共 {count} 笔订单").format(count=f"{count:,}")
        if self.model.loading:
            text += self.tr("（正在读取全部行…）")
        if selected := len(self.selected_ids()):
            text += self.tr(" · 已选 {count} 笔（Ctrl+C 复制订单号）").format(count=f"{selected:,}")
        self.footer.setText(text)

    def _activated(self, index: Any) -> None:
        order_id = self.model.order_id(index.row())
        if order_id is not None:
            self.order_activated.emit(order_id)

    def _open_current(self) -> None:
        self._activated(self.table.currentIndex())

    def _copy_numbers(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        numbers = dict(self.cache.read.execute(
            f"SELECT id, number FROM orders WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall())
        QGuiApplication.clipboard().setText("\n".join(numbers[i] for i in ids if i in numbers))
        self.footer.setText(self.tr("已复制 {count} 个订单号").format(count=f"{len(ids):,}"))

    def _export(self, ids: Any) -> None:
        from app.ui.orders.export_dialog import ask_export

        if self.model.loading:
            self.footer.setText(self.tr("仍在读取全部行，请稍候再导出。"))
            return
        started = ask_export(self, self.cache, list(ids), self.export_columns, self.export_dir, self.footer.setText)
        if started is not None:
            job, self.export_columns, self.export_dir = started
            self._exports = [j for j in self._exports if j.running] + [job]

    # -- saved views --------------------------------------------------------------------
    def _fill_views_menu(self) -> None:
        menu = self.views_button.menu()
        menu.clear()
        for name in sorted(self.views):
            menu.addAction(name, lambda name=name: self.set_state(self.views[name]))
        if self.views:
            menu.addSeparator()
        menu.addAction(self.tr("保存当前视图…"), self._save_view)
        if self.views:
            remove = menu.addMenu(self.tr("删除视图"))
            for name in sorted(self.views):
                remove.addAction(name, lambda name=name: self.views.pop(name, None))

    def _save_view(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("保存视图"), self.tr("视图名称（如“今天待发货”）："))
        if ok and name.strip():
            self.save_view(name.strip())

    def save_view(self, name: str) -> None:
        self.views[name] = self.state()

