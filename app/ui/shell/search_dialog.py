"""Ctrl+K: find any order in the local cache by number, phone, name or goods, and open it."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.domain.enums import OrderRefundState, OrderStatus
from app.store import queries
from app.store.database import Cache
from app.ui.i18n import tr_label, ui_language

DEBOUNCE_MS = 150  # typing pauses longer than this; shorter would query on every key
LIMIT = 50
HINT = QT_TRANSLATE_NOOP("GlobalSearchDialog", "输入订单号、手机号、收货人或商品名，搜索本地缓存中的订单。↑↓ 选择，Enter 打开，Esc 关闭。")
NOTHING = QT_TRANSLATE_NOOP("GlobalSearchDialog", "没有找到")
NAVIGATION_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


def _status(row: sqlite3.Row) -> str:
    lang = ui_language()
    try:
        text = OrderStatus(row["status"]).label(lang)
    except ValueError:
        text = str(row["status"])
    if row["refund_state"] == OrderRefundState.PROCESSING:
        text += " · " + OrderRefundState.PROCESSING.label(lang)
    return text


def result_text(row: sqlite3.Row) -> str:
    receiver = (" ".join(filter(None, (row["receiver_name"], row["receiver_mobile"])))
                or tr_label("GlobalSearchDialog", "到店自提"))
    placed = tr_label("GlobalSearchDialog", "下单 {time}").format(time=str(row["created_at"])[:16])
    return f"{row['number']}    {_status(row)}    {receiver}\n{row['goods_names'] or ''}    {placed}"


class GlobalSearchDialog(QDialog):
    order_chosen = Signal(int)

    def __init__(self, cache: Cache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.setWindowTitle(self.tr("搜索订单 (Ctrl+K)"))
        self.resize(640, 460)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("订单号 / 手机号 / 收货人 / 商品"))
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)
        self.hint = QLabel(self.tr(HINT))
        self.hint.setWordWrap(True)
        self.results = QListWidget()
        self.results.setAlternatingRowColors(True)
        self.results.setUniformItemSizes(True)
        self.results.itemActivated.connect(lambda _item: self.choose())
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.search_now)
        self.edit.textChanged.connect(lambda _text: self.timer.start())
        self.edit.returnPressed.connect(self.choose)
        box = QVBoxLayout(self)
        box.addWidget(self.edit)
        box.addWidget(self.hint)
        box.addWidget(self.results, 1)
        self.search_now()

    def start(self) -> None:
        """Show the dialog ready to type (non-modal: the window stays usable behind it)."""
        self.edit.selectAll()
        self.edit.setFocus()
        self.show()
        self.raise_()
        self.activateWindow()

    def search_now(self) -> None:
        self.timer.stop()
        text = self.edit.text().strip()
        self.results.clear()
        rows = queries.search(self.cache.read, text, LIMIT) if text else []
        for row in rows:
            item = QListWidgetItem(result_text(row))
            item.setData(Qt.ItemDataRole.UserRole, int(row["id"]))
            self.results.addItem(item)
        if rows:
            self.results.setCurrentRow(0)
            more = self.tr("（仅显示最新 {limit} 笔）").format(limit=LIMIT) if len(rows) == LIMIT else ""
            self.hint.setText(self.tr("找到 {count} 笔订单{more}。↑↓ 选择，Enter 打开。").format(
                count=len(rows), more=more))
        else:
            self.hint.setText(self.tr(NOTHING) if text else self.tr(HINT))

    def choose(self) -> None:
        if self.timer.isActive():  # Enter typed before the pause: search what is there first
            self.search_now()
        item = self.results.currentItem()
        if item is None:
            return
        self.order_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The cursor stays in the box while the arrow keys walk the results.
        if watched is self.edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in NAVIGATION_KEYS:
            self.results.keyPressEvent(event)
            return True
        return super().eventFilter(watched, event)
