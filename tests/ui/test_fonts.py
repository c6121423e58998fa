"""Chinese renders where the system has no Chinese font: the bundled one is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.ui import fonts

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.mark.skipif(not NOTO.exists(), reason="needs fonts-noto-cjk to have a font file to bundle")
def test_the_bundled_font_is_used_when_the_system_has_none(qapp: QApplication, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(NOTO, tmp_path / NOTO.name)
    system_has: list[str | None] = [None]  # the system: nothing covers Chinese
    real = fonts.cjk_family
    monkeypatch.setattr(fonts, "cjk_family", lambda: system_has.pop() if system_has else real())
    family = fonts.apply_cjk_font(qapp, bundled=tmp_path)
    assert family is not None and "CJK" in family
    assert qapp.font().family() == family


def test_no_font_anywhere_is_said_in_the_log(qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(fonts, "cjk_family", lambda: None)
    assert fonts.apply_cjk_font(qapp, bundled=tmp_path) is None  # an empty bundle folder
    assert "install Noto Sans CJK SC" in caplog.text


def test_load_bundled_reports_the_families(qapp: QApplication, tmp_path: Path) -> None:
    assert fonts.load_bundled(tmp_path) == []
    if NOTO.exists():
        shutil.copy(NOTO, tmp_path / NOTO.name)
        assert "Noto Sans CJK SC" in fonts.load_bundled(tmp_path)
