"""Pieces every form dialog shares: the red line that says what to correct."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

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
