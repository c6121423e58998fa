"""The orders table: a model over the cache's ids of one filter and sort, rows on demand.

The model holds only ids (8 bytes an order, in an ``array``) and a few hundred rows read
by id in blocks of 100; scrolling a million orders reads what is on screen and keeps a
bounded number of blocks. Until the whole id list of a filter has been read (off the GUI
thread, see ``panel.ViewLoader``), the model knows the count and the first ids: the rest
shows as loading.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.domain.enums import OrderStatus
from app.services.order_columns import COLUMNS, Column, cell_text
from app.store import queries
from app.ui import theme
from app.ui.i18n import ui_language

Index = QModelIndex | QPersistentModelIndex


# Theme roles, not colours: read at paint time, so a theme switch recolours the table.
_STATUS_ROLES = {int(OrderStatus.UNPAID): "status_unpaid", int(OrderStatus.TO_SHIP): "status_to_ship",
                 int(OrderStatus.CLOSED): "status_closed"}


class OrdersModel(QAbstractTableModel):
    """Rows of the cache's orders, by id, a block at a time."""

    BLOCK = 100
    KEEP_BLOCKS = 40  # rows kept read: a few screens either way of where the user is
    COLUMNS: tuple[Column, ...] = COLUMNS  # a view of other columns (the shipping queue) sets its own

    sort_requested = Signal(str)  # a header click: the queries.SORTS key to show next

    def __init__(self, read: Callable[[], sqlite3.Connection]) -> None:
        super().__init__()
        self._read = read  # the GUI thread's read connection (Cache.read)
        self._ids = array("q")
        self._count = 0
        self.counting = False  # rows shown before the count is known
        self._blocks: OrderedDict[int, dict[int, sqlite3.Row]] = OrderedDict()
        self.lang: str = ui_language()  # fixed for a run (app.ui.i18n): headers and cells in it

    # -- what the panel tells it -------------------------------------------------------
    def show_ids(self, ids: Sequence[int], count: int) -> None:
        """A new filter or sort: ``count`` rows, of which the first ``len(ids)`` are known;
        a count of -1 is not known yet (``counting``): the known rows show until the whole
        list arrives."""
        self.beginResetModel()
        self._ids = array("q", ids)
        self._count = max(count, len(self._ids))
        self.counting = count < 0
        self._blocks.clear()
        self.endResetModel()

    def complete(self, ids: array) -> bool:
        """The whole id list arrived. Same length: rows change in place (selection and scroll
        stay); the rows shown while counting, followed by more: the rest is appended;
        otherwise the model resets. Returns whether it reset."""
        shown = len(self._ids)
        if self.counting and len(ids) > shown and ids[:shown] == self._ids:
            self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
            self._ids, self._count, self.counting = ids, len(ids), False
            self.endInsertRows()
            return False
        self.counting = False
        if len(ids) == self._count:
            self._ids = ids
            self._blocks.clear()
            if self._count:
                self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, self.columnCount() - 1))
            return False
        self.show_ids(ids, len(ids))
        return True

    def invalidate(self) -> None:
        """The cache changed under the same ids: read rows again as they are shown."""
        self._blocks.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, self.columnCount() - 1))

    def order_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, order_id: int) -> int | None:
        return self.rows_of([order_id]).get(order_id)

    def rows_of(self, order_ids: Sequence[int]) -> dict[int, int]:
        """Rows of these orders, in one pass over the ids (a selection of hundreds in a
        million rows must not be hundreds of passes on the GUI thread)."""
        wanted = set(order_ids)
        if len(wanted) == 1:
            (only,) = wanted
            try:
                return {only: self._ids.index(only)}
            except ValueError:
                return {}
        return {order_id: row for row, order_id in enumerate(self._ids) if order_id in wanted}

    @property
    def loading(self) -> bool:
        return len(self._ids) < self._count

    def ids(self) -> array:
        return self._ids

    # -- Qt ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        column = self.COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.zh if self.lang.startswith("zh") else column.en
        if role == Qt.ItemDataRole.ToolTipRole and column.ascending is None:
            # Not self.tr(): a subclass (the shipping queue) would look it up under its own name.
            return QCoreApplication.translate("OrdersModel", "此列不能排序")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        c = self.COLUMNS[column]
        key = c.ascending if order == Qt.SortOrder.AscendingOrder else c.descending
        if key is not None:
            self.sort_requested.emit(key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        key = self.COLUMNS[index.column()].key
        row = self._row(index.row())
        if row is None:  # not read yet, or removed from the cache since the ids were read
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 and index.row() >= len(self._ids):
                return self.tr("读取中…")
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = cell_text(row, key, self.lang)
            if role == Qt.ItemDataRole.ToolTipRole:
                # Also the status: a long one with its after-sale state may be cut short.
                return text if key in ("status", "goods", "region", "remark", "tracking") and text else None
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "paid":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and key == "status":
            role_name = _STATUS_ROLES.get(row["status"])
            return theme.color(role_name) if role_name else None
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        return None

    def _row(self, row: int) -> sqlite3.Row | None:
        if row >= len(self._ids):
            return None
        block = row // self.BLOCK
        rows = self._blocks.get(block)
        if rows is None:
            ids = self._ids[block * self.BLOCK:(block + 1) * self.BLOCK]
            rows = {r["id"]: r for r in queries.rows_by_id(self._read(), ids)}
            self._blocks[block] = rows
            while len(self._blocks) > self.KEEP_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block)
        return rows.get(self._ids[row])  # None: removed from the cache since the ids were read
