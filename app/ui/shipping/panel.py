"""The shipping queue (发货): paid orders waiting for shipment and pickup orders, the longest
waiting first, with filters by courier, goods, region, printed and delivery, and the
actions a packing bench needs — ship (Enter), print, offline pickup, change the address.

It reads through the orders panel's model and loader (ids in SQL order, rows on demand,
off the GUI thread), with a fixed 待发货 filter and its own columns.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.platform.api import Capability
from app.services.ship_sheet import default_name, export_ship_sheet
from app.store import shipping
from app.store.database import Cache
from app.store.queries import SORTS, OrderFilter, OrderTab
from app.ui.file_job import FileJob
from app.ui.orders.filters import DELIVERY, PRINTED, _combo, _select, _translated
from app.ui.orders.loader import ViewLoader
from app.ui.orders.table import order_table
from app.ui.outbox import OutboxClient
from app.ui.shipping.actions import PICKUP, RECEIVER, SHIP, ShipActions
from app.ui.shipping.model import COLUMNS, DEFAULT_LIMIT_HOURS, ShippingModel

if TYPE_CHECKING:  # named only: the dialog is imported when it opens, not at start
    from app.ui.shipping.batch_dialog import BatchShipDialog

TYPING_DELAY_MS = 150  # the goods filter waits for a pause in typing
WIDTHS = {"number": 150, "paid_at": 130, "waiting": 70, "receiver": 120, "region": 160, "goods": 240,
          "courier": 90, "printed": 60}
SHEET_DIR = "shipping/sheet_dir"  # the folder the last to-ship sheet went to


class ShipSheetJob(FileJob):
    """One to-ship sheet written on a thread of its own (1,000 orders take about 0.15 s,
    but the whole queue may hold many thousands); the end is reported on the GUI thread."""

    def __init__(self, cache: Cache, ids: Sequence[int], path: Path) -> None:
        ids = list(ids)
        super().__init__(cache, path, lambda read, _progress: export_ship_sheet(read(), ids, path), "ship-sheet")


class ShippingPanel(QWidget):
    def __init__(self, cache: Cache, client: OutboxClient, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.client = client
        self.settings = settings
        self.sheet_job: ShipSheetJob | None = None
        self._sheet_chooser: QFileDialog | None = None
        self.batch_dialog: BatchShipDialog | None = None
        self.sort = "paid_at_asc"
        self._request = 0
        self._couriers: dict[int, str] = {}

        self.courier = _combo(((None, self.tr("全部快递")),), self.tr("快递公司（已发出的包裹）"))
        self.goods = QLineEdit()
        self.goods.setPlaceholderText(self.tr("商品名称包含…"))
        self.goods.setClearButtonEnabled(True)
        self.goods.setMinimumWidth(160)
        self.region = _combo(((None, self.tr("全部地区")),), self.tr("收货省份"))
        self.printed = _combo(_translated(PRINTED), self.tr("是否已打印发货单"))
        self.delivery = _combo(_translated(DELIVERY), self.tr("快递配送还是到店自提"))
        self.limit = QSpinBox()
        self.limit.setRange(1, 24 * 30)
        self.limit.setValue(DEFAULT_LIMIT_HOURS)
        self.limit.setPrefix(self.tr("超过 "))
        self.limit.setSuffix(self.tr(" 小时标色"))
        self.limit.setToolTip(self.tr("付款后等待超过这么久的订单标为超时"))
        self.clear = QPushButton(self.tr("清除筛选"))
        self.clear.clicked.connect(self.reset_filters)
        self._typing = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._typing.timeout.connect(self.reload)
        self.goods.textChanged.connect(lambda _t: self._typing.start())
        for box in (self.courier, self.region, self.printed, self.delivery):
            box.currentIndexChanged.connect(lambda _i: self.reload())
        self.limit.valueChanged.connect(self._limit_changed)

        self.model = ShippingModel(lambda: cache.read, lambda: self._couriers)
        self.model.sort_requested.connect(self.set_sort)
        self.table = order_table(self.model)
        header = self.table.horizontalHeader()
        header.sortIndicatorChanged.connect(lambda column, order: self.model.sort(column, order))
        metrics = self.table.fontMetrics()
        for column, c in enumerate(COLUMNS):
            label = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            header.resizeSection(column, max(WIDTHS[c.key], metrics.horizontalAdvance(label) + 36))

        self.actions = ShipActions(client, self.selected_ids, self, settings, shortcut_ship=True)
        separator = QAction(self)
        separator.setSeparator(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addActions([self.actions.actions[SHIP], self.actions.actions[RECEIVER],
                               self.actions.actions[PICKUP], separator, *self.actions.prints.values()])
        self.table.doubleClicked.connect(lambda _i: self.actions.trigger(SHIP))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for action in (self.actions.actions[SHIP], *self.actions.prints.values(), self.actions.actions[PICKUP],
                       self.actions.actions[RECEIVER]):
            button = QPushButton(action.text())
            button.clicked.connect(action.trigger)
            action.changed.connect(lambda b=button, a=action: (b.setEnabled(a.isEnabled()), b.setToolTip(a.toolTip())))
            button.setEnabled(action.isEnabled())
            button.setToolTip(action.toolTip())
            self.buttons[action.text()] = button
            bar.addWidget(button)
        self.batch = QPushButton(self.tr("批量发货…"))
        self.batch.setToolTip(self.tr("从 CSV 或 XLSX 文件批量发货：先核对每一行，再发送"))
        self.batch.clicked.connect(lambda: self.open_batch())
        bar.addWidget(self.batch)
        self.sheet = QPushButton(self.tr("导出待发货表…"))
        self.sheet.setToolTip(self.tr("把选中的订单（未选时为筛选出的全部订单）导出为 Excel，交给仓库或快递员；"
                                      "填好快递单号后可用“批量发货”导入"))
        self.sheet.clicked.connect(lambda: self.choose_ship_sheet())
        bar.addWidget(self.sheet)
        bar.addStretch(1)

        filters = QHBoxLayout()
        for w in (self.goods, self.courier, self.region, self.printed, self.delivery, self.limit, self.clear):
            filters.addWidget(w)
        filters.addStretch(1)
        self.footer = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.footer)

        self._stale = True  # not read since the cache last changed (read when shown)
        self.loader = ViewLoader(cache)
        self.loader.first.connect(self._first)
        self.loader.full.connect(self._full)
        self.loader.failed.connect(self._failed)
        self._fill_choices()
        self._show_sort()
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    # -- what the window calls --------------------------------------------------------
    def set_supports(self, supports: Callable[[Capability], bool]) -> None:
        """What the platform can do (Platform.supports): offline pickup, address changes."""
        self.actions.set_supports(supports)
        self.actions.actions[PICKUP].setVisible(supports(Capability.OFFLINE_PICKUP))

    def cache_changed(self) -> None:
        self._fill_choices()
        self.reload()

    def current_filter(self) -> OrderFilter:
        return OrderFilter(tab=OrderTab.TO_SHIP, goods=self.goods.text().strip(),
                           province=self.region.currentData() or "", courier_id=self.courier.currentData(),
                           printed=self.printed.currentData(), pickup=self.delivery.currentData())

    def state(self) -> dict[str, Any]:
        out: dict[str, Any] = {"sort": self.sort, "limit": self.limit.value()}
        for key, value in (("goods", self.goods.text()), ("courier", self.courier.currentData()),
                           ("region", self.region.currentData()), ("printed", self.printed.currentData()),
                           ("pickup", self.delivery.currentData())):
            if value not in (None, ""):
                out[key] = value
        return out

    def set_state(self, state: dict[str, Any]) -> None:
        for w in (self.goods, self.courier, self.region, self.printed, self.delivery, self.limit):
            w.blockSignals(True)
        self.goods.setText(str(state.get("goods", "")))
        _select(self.courier, state.get("courier"))
        _select(self.region, state.get("region"))
        _select(self.printed, state.get("printed"))
        _select(self.delivery, state.get("pickup"))
        self.limit.setValue(int(state.get("limit", DEFAULT_LIMIT_HOURS)))
        for w in (self.goods, self.courier, self.region, self.printed, self.delivery, self.limit):
            w.blockSignals(False)
        self.model.limit_hours = self.limit.value()
        self.set_sort(str(state.get("sort", "paid_at_asc")), reload=False)
        self.reload()

    def reset_filters(self) -> None:
        self.set_state({"sort": self.sort, "limit": self.limit.value()})

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("shipping/header", self.table.horizontalHeader().saveState())
        settings.setValue("shipping/view", json.dumps(self.state(), ensure_ascii=False))

    def restore_state(self, settings: QSettings) -> None:
        if (header := settings.value("shipping/header")) is not None:
            self.table.horizontalHeader().restoreState(header)
        try:
            view = json.loads(str(settings.value("shipping/view", "{}")))
        except (ValueError, TypeError):
            return  # damaged settings: keep the defaults
        if isinstance(view, dict) and view:
            self.set_state(view)

    def open_batch(self) -> BatchShipDialog:
        """The batch-ship dialog: one per panel, so a batch being sent is found again when
        it is reopened rather than started a second time."""
        if self.batch_dialog is None:
            from app.ui.shipping.batch_dialog import BatchShipDialog  # here: not part of the start

            self.batch_dialog = BatchShipDialog(self.cache, self.client, self)
        self.batch_dialog.show()  # not open(): that would make it modal to the window
        self.batch_dialog.raise_()
        self.batch_dialog.activateWindow()
        return self.batch_dialog

    def ship_sheet_ids(self) -> list[int] | None:
        """The orders a to-ship sheet holds: the selection, else the whole filtered queue;
        None (and said why) when there is nothing to export or the queue is still being read."""
        if ids := self.selected_ids():
            return ids
        if self.model.loading or self.model.counting:
            # Half a queue exported as if it were all of it would leave orders unpacked.
            self.client.report(self.tr("待发货订单还在读取中，请稍后再导出。"))
            return None
        if not (ids := list(self.model.ids())):
            self.client.report(self.tr("没有可导出的订单：待发货列表为空。"))
            return None
        return ids

    def choose_ship_sheet(self) -> QFileDialog | None:
        """Ask where to save the sheet (not modal to the window), then write it."""
        ids = self.ship_sheet_ids()
        if ids is None:
            return None
        folder = Path(str(self.settings.value(SHEET_DIR, str(Path.home()))))
        chooser = QFileDialog(self, self.tr("导出待发货表"), str(folder), self.tr("Excel 工作簿 (*.xlsx)"))
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setDefaultSuffix("xlsx")
        chooser.selectFile(default_name(datetime.now()))
        # The orders as they were when asked: the selection may change while the dialog is open.
        chooser.fileSelected.connect(lambda name: self.write_ship_sheet(ids, Path(name)))
        self._sheet_chooser = chooser
        chooser.open()
        return chooser

    def write_ship_sheet(self, ids: Sequence[int], path: Path) -> ShipSheetJob:
        """Write the sheet off the GUI thread; the status bar says where it went or what to do."""
        self.settings.setValue(SHEET_DIR, str(path.parent))
        job = ShipSheetJob(self.cache, ids, path)
        exported = self.tr("已导出 {count} 笔订单到 {path}")
        job.finished.connect(lambda n, p: self.client.report(exported.format(count=f"{n:,}", path=p)))
        job.failed.connect(self.client.report)
        # One sheet at a time: a second click while writing would race for the same file.
        self.sheet.setEnabled(False)
        job.finished.connect(lambda _n, _p: self.sheet.setEnabled(True))
        job.failed.connect(lambda _m: self.sheet.setEnabled(True))
        self.sheet_job = job
        job.start()
        return job

    def shutdown(self) -> None:
        self._typing.stop()
        self.loader.close()

    # -- reading ------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        """The courier and region lists from the cache (they change with a sync)."""
        couriers = shipping.couriers(self.cache.read)
        self._couriers = {c.id: c.name for c in couriers}
        for box, values in ((self.courier, [(c.id, c.name) for c in couriers]),
                            (self.region, [(p, p) for p in shipping.queue_provinces(self.cache.read)])):
            current = box.currentData()
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for value, text in values:
                box.addItem(text, value)
            _select(box, current)
            box.blockSignals(False)

    def _limit_changed(self, hours: int) -> None:
        self.model.limit_hours = hours
        self.model.invalidate()

    def set_sort(self, sort: str, reload: bool = True) -> None:
        self.sort = sort if sort in SORTS else "paid_at_asc"
        self._show_sort()
        if reload:
            self.reload()

    def _show_sort(self) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for column, c in enumerate(COLUMNS):
            if self.sort in (c.ascending, c.descending):
                order = Qt.SortOrder.AscendingOrder if c.ascending == self.sort else Qt.SortOrder.DescendingOrder
                header.setSortIndicator(column, order)
                break
        header.blockSignals(False)

    def reload(self) -> None:
        self._typing.stop()
        if not self.isVisible():
            # Read when shown: at start the orders list is what is on screen, and a second
            # reader thread would compete with it for the first paint.
            self._stale = True
            return
        self._stale = False
        self.clear.setEnabled(self.state().keys() - {"sort", "limit"} != set())
        self._request = self.loader.request(self.current_filter(), self.sort)
        if not self.model.rowCount():  # a refresh keeps the count shown until the new one arrives
            self.footer.setText(self.tr("读取中…"))

    def _first(self, request: int, ids: list[int], count: int) -> None:
        if request == self._request and list(self.model.ids()[:len(ids)]) != ids:
            kept = self.selected_ids()
            self.model.show_ids(ids, count)
            self._reselect(kept)
        self._update_footer()

    def _full(self, request: int, ids: array) -> None:
        if request != self._request:
            return
        kept = self.selected_ids()
        if self.model.complete(ids):
            self._reselect(kept)
        self.actions.update()
        self._update_footer()

    def _failed(self, request: int, message: str) -> None:
        if request == self._request:
            self.footer.setText(self.tr("读取本地订单失败：{error}").format(error=message))

    # -- selection ----------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [i for i in (self.model.order_id(r) for r in rows) if i is not None]

    def select(self, ids: list[int]) -> None:
        """Select these orders (those in the queue) and make the last one current."""
        self._reselect(ids)

    def _reselect(self, ids: list[int]) -> None:
        selection = self.table.selectionModel()
        rows = self.model.rows_of(ids)
        selection.clearSelection()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for order_id in ids:
            if (row := rows.get(order_id)) is not None:
                selection.select(self.model.index(row, 0), flags)
        if ids and (row := rows.get(ids[-1])) is not None:
            selection.setCurrentIndex(self.model.index(row, 0), selection.SelectionFlag.NoUpdate)

    def _selection_changed(self) -> None:
        self.actions.update()
        self._update_footer()

    def _update_footer(self) -> None:
        text = self.tr("待发货 {count} 笔").format(count=f"{self.model.rowCount():,}")
        if self.model.loading or self.model.counting:
            text += self.tr("（读取中…）")
        if selected := len(self.selected_ids()):
            text += self.tr(" · 已选 {count} 笔").format(count=selected)
        self.footer.setText(text)
