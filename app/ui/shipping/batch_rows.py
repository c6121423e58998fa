"""The batch-ship dialog's table: one line per row of the file, its dry-run verdict and,
once sending, its state; and the filter by verdict or state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QWidget

from app.services.batch_ship import Verdict
from app.store.ship_batches import BatchRow
from app.ui import theme

CONTEXT = "BatchShipDialog"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


@dataclass(frozen=True, slots=True)
class Line:
    """One file row as the table shows it: its verdict, then (once sending) its state."""

    line: int
    order_number: str
    courier: str
    numbers: str
    kind: str  # the dry run's verdict: ok, warning, error, skip
    message: str
    state: str = ""  # "" before the batch is recorded; then a ship_batches row state


def line_of_verdict(v: Verdict, lang: str) -> Line:
    return Line(v.line, v.order_number, v.courier_name, "、".join(v.row.tracking_numbers), v.kind, v.message(lang))


def line_of_row(r: BatchRow, lang: str) -> Line:
    zh = lang.startswith("zh")
    notes = [zh_text if zh else en_text for _kind, zh_text, en_text in r.notes]
    if r.message:  # the outcome ("zh / en" as the runner writes it) goes first: it is what changed
        parts = r.message.split(" / ", 1)
        notes.insert(0, parts[0] if zh or len(parts) == 1 else parts[1])
    return Line(r.line, r.order_number, r.courier_name, "、".join(r.row.get("tracking_numbers", ())), r.verdict,
                "\n".join(notes), r.state)


# Marked for lupdate here, translated where shown (_tr): the tables hold the source text.
COLUMNS = (
    QT_TRANSLATE_NOOP("BatchShipDialog", "行"),
    QT_TRANSLATE_NOOP("BatchShipDialog", "订单号"),
    QT_TRANSLATE_NOOP("BatchShipDialog", "快递公司"),
    QT_TRANSLATE_NOOP("BatchShipDialog", "快递单号"),
    QT_TRANSLATE_NOOP("BatchShipDialog", "核对结果"),
    QT_TRANSLATE_NOOP("BatchShipDialog", "发货状态"),
    QT_TRANSLATE_NOOP("BatchShipDialog", "说明"),
)
KIND_TEXT = {
    "ok": QT_TRANSLATE_NOOP("BatchShipDialog", "可发货"),
    "warning": QT_TRANSLATE_NOOP("BatchShipDialog", "提醒"),
    "error": QT_TRANSLATE_NOOP("BatchShipDialog", "错误"),
    "skip": QT_TRANSLATE_NOOP("BatchShipDialog", "跳过"),
}
KIND_ROLE = {"ok": "online", "warning": "warning", "error": "error", "skip": "muted"}
STATE_TEXT = {
    "waiting": QT_TRANSLATE_NOOP("BatchShipDialog", "待发送"),
    "sending": QT_TRANSLATE_NOOP("BatchShipDialog", "发送中"),
    "done": QT_TRANSLATE_NOOP("BatchShipDialog", "已发货"),
    "failed": QT_TRANSLATE_NOOP("BatchShipDialog", "失败"),
    "skipped": QT_TRANSLATE_NOOP("BatchShipDialog", "不发送"),
}
STATE_ROLE = {"waiting": "muted", "sending": "pending", "done": "online", "failed": "error", "skipped": "muted"}
FILTERS = (
    ("", QT_TRANSLATE_NOOP("BatchShipDialog", "全部行")),
    ("kind:ok", QT_TRANSLATE_NOOP("BatchShipDialog", "可发货")),
    ("kind:warning", QT_TRANSLATE_NOOP("BatchShipDialog", "提醒")),
    ("kind:error", QT_TRANSLATE_NOOP("BatchShipDialog", "错误")),
    ("kind:skip", QT_TRANSLATE_NOOP("BatchShipDialog", "跳过")),
    ("state:failed", QT_TRANSLATE_NOOP("BatchShipDialog", "发货失败")),
    ("state:open", QT_TRANSLATE_NOOP("BatchShipDialog", "尚未发送")),
)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # "kind:x state:y" for the verdict filter


class RowsModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[Line] = []

    def set_lines(self, lines: list[Line]) -> None:
        if [x.line for x in lines] == [x.line for x in self.lines] and self.lines:
            # Same rows, new states: an update, so the view keeps its scroll and selection.
            self.lines = lines
            self.dataChanged.emit(self.index(0, 0), self.index(len(lines) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self.lines = lines
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        x = self.lines[index.row()]
        column = index.column()
        if role == KEY_ROLE:
            return f"kind:{x.kind} state:{x.state}"
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 6:  # one line in the cell; the whole message is in the tooltip
                return x.message.split("\n", 1)[0]
            return (str(x.line), x.order_number, x.courier, x.numbers, _tr(KIND_TEXT.get(x.kind, x.kind)),
                    _tr(STATE_TEXT[x.state]) if x.state else "", "")[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (3, 6) and (x.message or x.numbers):
            return x.message if column == 6 else x.numbers
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 4:
                return theme.color(KIND_ROLE.get(x.kind, "muted"))
            if column == 5 and x.state:
                return theme.color(STATE_ROLE[x.state])
        return None


class VerdictFilter(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.want = ""

    def set_want(self, want: str) -> None:
        self.beginFilterChange()
        self.want = want
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.want:
            return True
        key = str(self.sourceModel().data(self.sourceModel().index(row, 0, parent), KEY_ROLE))
        if self.want == "state:open":
            return "state:waiting" in key or "state:sending" in key
        return self.want in key.split()
