"""The queue: writes waiting to be sent and writes the platform did not take, with what
staff can do about each — send now, or set a failed one aside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.order_actions import describe
from app.store import outbox as store
from app.ui import theme
from app.ui.i18n import tr_label, ui_language
from app.ui.outbox import OutboxClient, order_numbers, target_text

Index = QModelIndex | QPersistentModelIndex
# Marked here, translated where shown (the language is fixed for a run, see app.ui.i18n).
HEADERS = (QT_TRANSLATE_NOOP("OutboxView", "时间"), QT_TRANSLATE_NOOP("OutboxView", "操作员"),
           QT_TRANSLATE_NOOP("OutboxView", "操作"), QT_TRANSLATE_NOOP("OutboxView", "对象"),
           QT_TRANSLATE_NOOP("OutboxView", "状态"), QT_TRANSLATE_NOOP("OutboxView", "说明"))
STATES = {"pending": QT_TRANSLATE_NOOP("OutboxView", "等待发送"), "sending": QT_TRANSLATE_NOOP("OutboxView", "正在发送"),
          "failed": QT_TRANSLATE_NOOP("OutboxView", "失败"), "conflict": QT_TRANSLATE_NOOP("OutboxView", "冲突")}
PROBLEM_STATES = ("failed", "conflict")
EntryIdRole = Qt.ItemDataRole.UserRole + 1


def queue_text(waiting: int, problems: int, online: bool) -> str:
    """The count for the status bar and the banner; empty when nothing needs attention."""
    parts = []
    if waiting:
        parts.append((tr_label("OutboxView", "{count} 项待发送") if online
                      else tr_label("OutboxView", "离线：{count} 项待发送")).format(count=waiting))
    if problems:
        parts.append(tr_label("OutboxView", "{count} 项未完成").format(count=problems))
    return " · ".join(parts)


def state_text(state: str) -> str:
    label = STATES.get(state)
    return tr_label("OutboxView", label) if label else state


@dataclass(frozen=True, slots=True)
class QueueRow:
    entry: store.OutboxEntry
    target: str  # "订单 SO…" as staff know it

    def cells(self) -> tuple[str, ...]:
        e = self.entry
        note = e.error if e.state in PROBLEM_STATES else (
            tr_label("OutboxView", "上次尝试：{error}").format(error=e.error) if e.error else "")
        return (e.created_at[5:16], e.operator, describe(e, ui_language()), self.target, state_text(e.state), note)


class OutboxModel(QAbstractTableModel):
    """Plain rows, replaced whole: the queue is short (what waits while offline)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[QueueRow] = []

    def set_rows(self, rows: Sequence[QueueRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def entry(self, row: int) -> store.OutboxEntry | None:
        return self._rows[row].entry if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and \
                0 <= section < len(HEADERS):
            return tr_label("OutboxView", HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.cells()[index.column()]
        if role == EntryIdRole:
            return row.entry.id
        if role == Qt.ItemDataRole.ForegroundRole and row.entry.state in PROBLEM_STATES:
            return theme.color("error")  # asked at paint time: follows a theme switch
        return None


class OutboxView(QDialog):
    """Non-modal: it stays open beside the work and follows the outbox as it changes."""

    def __init__(self, client: OutboxClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.setWindowTitle(self.tr("待发送队列"))
        self.setModal(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = OutboxModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((100, 70, 250, 170, 70)):
            header.resizeSection(column, width)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._buttons())
        self.detail = QLabel()  # the selected entry's whole message: the table cell cuts it short
        self.detail.setObjectName("entry_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry = QPushButton(self.tr("立即重试"))
        self.retry.clicked.connect(self._retry)
        self.dismiss = QPushButton(self.tr("搁置"))
        self.dismiss.setToolTip(self.tr("不再发送这一项（失败或冲突的项）；平台的答复仍保留在本机"))
        self.dismiss.clicked.connect(self._dismiss)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry)
        buttons.addWidget(self.dismiss)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self.resize(900, 360)
        client.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        chosen = self.selected()
        entries = self.client.waiting() + self.client.problems()
        numbers = order_numbers(self.client.cache, (e.target for e in entries))
        self.model.set_rows([QueueRow(e, target_text(e.target, numbers)) for e in entries])
        waiting = sum(1 for e in entries if e.state in store.OPEN_STATES)
        text = queue_text(waiting, len(entries) - waiting, self.client.online)
        if not entries:
            text = self.tr("没有待发送或未完成的写入。")
        elif waiting and not self.client.online:
            text += self.tr("。恢复连接后按顺序自动发送；也可以点“立即重试”马上试一次。")
        elif len(entries) > waiting:
            text += self.tr("。未完成的项请核对订单后重试，或搁置。")
        self.summary.setText(text)
        if chosen is not None:
            for row in range(self.model.rowCount()):
                found = self.model.entry(row)
                if found is not None and found.id == chosen.id:
                    self.table.selectRow(row)
        self._buttons()

    def selected(self) -> store.OutboxEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def _buttons(self) -> None:
        entry = self.selected()
        problem = entry is not None and entry.state in PROBLEM_STATES
        self.detail.setText("" if entry is None or not entry.error else self.tr("{state}：{error}").format(
            state=state_text(entry.state), error=entry.error))
        self.detail.setVisible(bool(self.detail.text()))
        self.dismiss.setEnabled(problem)
        has_waiting = any(self.model.entry(r).state in store.OPEN_STATES  # type: ignore[union-attr]
                          for r in range(self.model.rowCount()))
        self.retry.setEnabled(problem or (has_waiting and self.client.outbox is not None))
        self.retry.setToolTip(self.tr("再发送所选的失败项（先向平台核对是否已生效）") if problem
                              else self.tr("马上按顺序发送所有等待中的写入"))

    def _retry(self) -> None:
        # Disabled until the outbox says what came of it (changed → _buttons), not merely
        # until the task ends: run_task would enable it again even with nothing left to retry.
        self.retry.setEnabled(False)
        entry = self.selected()
        if entry is not None and entry.state in PROBLEM_STATES:
            self.client.retry(entry.id)
        else:
            self.client.replay(announce=True)

    def _dismiss(self) -> None:
        entry = self.selected()
        if entry is not None and entry.state in PROBLEM_STATES:
            self.client.dismiss(entry.id)
