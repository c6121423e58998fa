"""A CJK-capable UI font on every system, so Chinese never renders as boxes."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

PREFERRED = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback")


def apply_cjk_font(app: QApplication, point_size: int = 10) -> str | None:
    """Use the first installed CJK family; returns its name, or None if there is none."""
    families = set(QFontDatabase.families())
    for family in PREFERRED:
        if family in families:
            app.setFont(QFont(family, point_size))
            return family
    return None
