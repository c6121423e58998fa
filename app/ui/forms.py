"""Pieces every form dialog shares: the red line that says what to correct, and its buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

from app.ui import theme

ERROR_STYLE = "color: $error;"


def error_label() -> QLabel:
    """Hidden until a check fails; wraps, and follows the theme's error colour."""
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    theme.style(label, ERROR_STYLE)
    label.hide()
    return label


def ok_cancel(dialog: QDialog, ok: str, cancel: str) -> QDialogButtonBox:
    """OK and Cancel in the dialog's own words (already translated), wired to accept and reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
