"""The detail pane's empty state, in a module of its own: the orders panel shows it
before the pane (and what the pane imports) is built, and the pane uses the same label."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QLabel

from app.ui import theme

EMPTY = QT_TRANSLATE_NOOP("OrderDetailPane", "选择一个订单查看详情")
MIN_WIDTH = 320  # the pane's: long text wraps inside it


def empty_detail() -> QLabel:
    label = QLabel(QCoreApplication.translate("OrderDetailPane", EMPTY))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setMinimumWidth(MIN_WIDTH)
    theme.style(label, "color: $muted; padding: 24px;")
    return label
