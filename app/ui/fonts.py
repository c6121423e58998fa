"""A CJK-capable UI font on every system, so Chinese never renders as boxes.

The system's own font is used where there is one (Windows and macOS always have one).
Where there is none (a bare Linux desktop), the fonts shipped in ``app/resources/fonts``
are loaded: ``packaging/build.py`` puts Noto Sans CJK SC there in a bundle built on Linux.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)
BUNDLED = Path(__file__).resolve().parents[1] / "resources" / "fonts"
FONT_FILES = ("*.ttc", "*.otf", "*.ttf")

PREFERRED = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback")
# Among other fonts that cover Chinese, these make poor UI text (serifs, fixed width).
POOR_FOR_UI = ("serif", "mono", "ming", "song", "kai", "fang")


def cjk_family() -> str | None:
    """The best installed family for Simplified Chinese UI text; None if there is none."""
    families = set(QFontDatabase.families())
    for family in PREFERRED:
        if family in families:
            return family
    covering = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    # A system without any of the usual fonts may still have one (a distribution's own,
    # a Traditional or Japanese cut that covers the common characters): sans first.
    ranked = sorted(covering, key=lambda f: (any(word in f.lower() for word in POOR_FOR_UI), f))
    return ranked[0] if ranked else None


def load_bundled(folder: Path = BUNDLED) -> list[str]:
    """Add the font files in ``folder`` to this app's fonts; returns the families added."""
    families: list[str] = []
    for pattern in FONT_FILES:
        for path in sorted(folder.glob(pattern)):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                log.warning("could not load the font %s", path)
                continue
            families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def apply_cjk_font(app: QApplication, point_size: int = 10, bundled: Path = BUNDLED) -> str | None:
    """Use the best CJK family (in points, so it scales with the screen); returns its name,
    or None if neither the system nor the bundle has one (Chinese may then show as boxes:
    said in the log)."""
    family = cjk_family()
    if family is None and load_bundled(bundled):
        family = cjk_family()
    if family is None:
        log.warning("no font on this system covers Chinese: install Noto Sans CJK SC (fonts-noto-cjk)")
        return None
    app.setFont(QFont(family, point_size))
    return family
