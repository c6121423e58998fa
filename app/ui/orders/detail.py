"""An order's detail: a side pane beside the orders table, or a window of its own.

Everything shown comes from the local cache (app.store.order_detail), so the pane opens
instantly and offline; ``refresh()`` re-reads after a sync or an outbox write.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.services.order_actions import describe
from app.store import order_detail
from app.store import outbox as outbox_store
from app.store.database import Cache
from app.store.order_detail import OrderView
from app.ui import theme
from app.ui.i18n import ui_language
from app.ui.orders.actions import OrderActions
from app.ui.orders.detail_empty import EMPTY, MIN_WIDTH, empty_detail
from app.ui.orders.detail_sections import SECTIONS
from app.ui.orders.images import ImageCache, shared_images
from app.ui.outbox import OutboxClient, fix_hint

# Source strings (marked for lupdate), shown through tr().
MISSING = QT_TRANSLATE_NOOP("OrderDetailPane", "该订单已不在本地缓存中")
WAITING = QT_TRANSLATE_NOOP("PendingWrites", "待同步")
PROBLEM = QT_TRANSLATE_NOOP("PendingWrites", "未完成")
SHOWN_STATES = (*outbox_store.OPEN_STATES, "failed", "conflict")


class PendingWrites(QFrame):
    """The order's writes the platform has not confirmed: each with its new value, until
    the outbox entry is done and the cache shows the platform's own value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pendingWrites")
        theme.style(self, "#pendingWrites { background: $info_bg; border: 1px solid $info_border; border-radius: 4px; }"
                          "#pendingWrites QLabel { background: transparent; border: none; }")
        self.lines: list[str] = []
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(10, 6, 10, 6)
        self._box.setSpacing(2)
        self.hide()

    def show_entries(self, entries: Sequence[outbox_store.OutboxEntry]) -> None:
        lines: list[str] = []
        problems: list[bool] = []
        lang = ui_language()
        for e in entries:
            if e.state in outbox_store.OPEN_STATES:
                sending = self.tr("正在发送") if e.state == "sending" else self.tr("等待发送")
                lines.append(self.tr("{label}：{what}（{operator} {time}，{state}）").format(
                    label=self.tr(WAITING), what=describe(e, lang), operator=e.operator, time=e.created_at[11:16],
                    state=sending))
                problems.append(False)
            else:
                kind = self.tr("与平台冲突") if e.state == "conflict" else self.tr("平台未接受")
                lines.append(self.tr("{label}：{what} — {kind}：{error}。{hint}。").format(
                    label=self.tr(PROBLEM), what=describe(e, lang), kind=kind, error=e.error, hint=fix_hint()))
                problems.append(True)
        if lines == self.lines:
            return
        self.lines = lines
        while self._box.count():
            item = self._box.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        for line, problem in zip(lines, problems, strict=True):
            label = QLabel(line)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)  # remarks are typed text, never markup
            theme.style(label, "color: $error;" if problem else "color: $info_text;")
            self._box.addWidget(label)
        self.setVisible(bool(lines))


class OrderDetailPane(QWidget):
    """One order's detail, scrolling; ``show_order(None)`` shows the empty state."""

    def __init__(self, cache: Cache, parent: QWidget | None = None, *, images: ImageCache | None = None) -> None:
        super().__init__(parent)
        self.cache = cache
        self.images = images if images is not None else shared_images()
        self.order_id: int | None = None
        self.view: OrderView | None = None  # what is on screen now
        self._shown: dict[str, tuple[Hashable, QWidget]] = {}

        self.message = empty_detail()

        self.content = QWidget()
        self.content.setObjectName("order_detail_content")
        self._sections = QVBoxLayout(self.content)
        self._sections.setContentsMargins(14, 8, 14, 14)
        self._sections.setSpacing(4)
        self._sections.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Never wider than the pane: long text wraps instead of scrolling sideways.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.content)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.scroll)
        self.toolbar = QToolBar(self.tr("订单操作"))
        self.toolbar.setObjectName("order_actions")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.hide()  # until actions are given and an order is shown
        self.pending = PendingWrites()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.pending)
        layout.addWidget(self.stack)
        self.setMinimumWidth(MIN_WIDTH)

    def set_actions(self, actions: Sequence[QAction]) -> None:
        """The order actions over the detail (the ones for the order shown)."""
        self.toolbar.clear()
        self.toolbar.addActions(list(actions))
        self._show_toolbar()

    def _show_toolbar(self) -> None:
        self.toolbar.setVisible(bool(self.toolbar.actions()) and self.stack.currentWidget() is self.scroll)

    def show_order(self, order_id: int | None) -> None:
        if order_id == self.order_id:
            self._render()
            return
        self._clear()
        self.order_id = order_id
        self._render()
        self.scroll.verticalScrollBar().setValue(0)

    def refresh(self) -> None:
        """Re-read the shown order; sections whose data did not change stay as they are,
        and the scroll position is kept."""
        self._render()

    def section(self, name: str) -> QWidget | None:
        """The widget showing one part of the order (tests and the panel look inside)."""
        found = self._shown.get(name)
        return found[1] if found else None

    def _render(self) -> None:
        if self.order_id is None:
            self.pending.show_entries([])
            self._show_message(self.tr(EMPTY))
            return
        self.pending.show_entries([e for e in outbox_store.for_target(self.cache.read, f"order:{self.order_id}")
                                   if e.state in SHOWN_STATES])
        view = order_detail.load(self.cache.read, self.order_id)
        if view is None:
            self._show_message(self.tr(MISSING))
            return
        if view == self.view:
            return
        self.view = view
        self.content.setUpdatesEnabled(False)  # swap changed sections in one paint
        try:
            for index, spec in enumerate(SECTIONS):
                key = spec.key(view)
                old = self._shown.get(spec.name)
                if old is not None and old[0] == key:
                    continue
                widget = spec.build(view, self.images)
                if old is None:
                    self._sections.insertWidget(index, widget)
                else:
                    self._sections.replaceWidget(old[1], widget)
                    old[1].hide()
                    old[1].deleteLater()
                self._shown[spec.name] = (key, widget)
        finally:
            self.content.setUpdatesEnabled(True)
        self.stack.setCurrentWidget(self.scroll)
        self._show_toolbar()

    def _show_message(self, text: str) -> None:
        self._clear()
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self._show_toolbar()

    def _clear(self) -> None:
        for _key, widget in self._shown.values():
            self._sections.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._shown.clear()
        self.view = None


class OrderDetailWindow(QMainWindow):
    """The pane in a window of its own (double-click in the orders table)."""

    def __init__(self, cache: Cache, order_id: int, parent: QWidget | None = None, *,
                 images: ImageCache | None = None, client: OutboxClient | None = None) -> None:
        super().__init__(parent)
        self.order_id = order_id
        self._number = ""
        self.pane = OrderDetailPane(cache, self, images=images)
        self.setCentralWidget(self.pane)
        self.resize(760, 900)
        for keys in (QKeySequence(QKeySequence.StandardKey.Close), QKeySequence(Qt.Key.Key_Escape)):
            QShortcut(keys, self, self.close)
        self.order_actions: OrderActions | None = None
        if client is not None:
            self.order_actions = OrderActions(client, lambda: [self.order_id], self, bulk=False)
            self.pane.set_actions(self.order_actions.all())
            self.order_actions.fill_menu(self.menuBar().addMenu(self.tr("订单(&O)")))
        self.pane.show_order(order_id)
        self._title()

    def refresh(self) -> None:
        self.pane.refresh()
        if self.order_actions is not None:
            self.order_actions.update()
        self._title()

    def _title(self) -> None:
        if self.pane.view is not None:
            self._number = self.pane.view.bundle.order.number
        # An order gone from the cache keeps the number it was opened with.
        self.setWindowTitle(self.tr("订单 {number}").format(number=self._number) if self._number
                            else self.tr("订单 #{id}").format(id=self.order_id))
