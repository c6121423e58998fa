"""The UI language: English from the .ts through a .qm built at start, Chinese without one,
and .ts files that keep up with the code (every string translated, placeholders kept)."""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings, Qt, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.services.order_columns import COLUMNS, KEYS
from app.store.database import Cache
from app.ui import i18n
from app.ui.orders.export_dialog import ColumnsDialog
from app.ui.orders.filters import FilterBar
from app.ui.preferences import PreferencesDialog
from app.ui.shell.main_window import MainWindow
from app.ui.shell.status import OfflineBanner, SyncStatus, resource_label
from tests.ui.conftest import screenshot
from tests.ui.test_shell import write

ROOT = Path(__file__).resolve().parents[2]
TS_DIR = ROOT / "app" / "resources" / "i18n"
FIELD = re.compile(r"\{[^{}]*\}")


def _update_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_translations", ROOT / "packaging" / "update_translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A copy of the .ts files: no .qm sits beside them, whatever was built in the tree."""
    folder = tmp_path / "i18n"
    folder.mkdir()
    for ts in TS_DIR.glob("*.ts"):
        shutil.copy2(ts, folder / ts.name)
    return folder


@pytest.fixture(autouse=True)
def chinese_again(qapp: QApplication) -> Iterator[None]:
    """A translator is the whole app's: take ours away so other tests see Chinese."""
    yield
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.setParent(None)
    qapp.setProperty(i18n.LANGUAGE_PROPERTY, None)


def test_english_is_built_at_start_and_translates(qapp: QApplication, settings: QSettings, source: Path,
                                                  tmp_path: Path, qtbot: QtBot) -> None:
    i18n.save_choice(settings, "en")
    cache = tmp_path / "cache"
    assert i18n.install_translations(qapp, settings, source=source, cache=cache) == "en"
    assert (cache / "shopdesk_en.qm").is_file() and i18n.ui_language() == "en"
    assert QCoreApplication.translate("SyncStatus", "尚未同步") == "Not synced yet"
    status = SyncStatus()
    qtbot.addWidget(status)
    status.show_progress("ledger.frozen", 3, 10)
    assert status.last_sync.text() == "Not synced yet" and status.online.text() == "● Connecting"
    assert status.progress.text() == "Syncing frozen balance log 3/10" and resource_label("orders") == "orders"
    # Not clipped: the bar is wide enough for its longest text in this language.
    assert status.progress.width() > status.progress.fontMetrics().horizontalAdvance(status.progress.text())


def test_a_built_qm_is_reused_until_its_ts_changes(qapp: QApplication, source: Path, tmp_path: Path) -> None:
    builds: list[Path] = []

    def counting() -> Path | None:
        tool = i18n.find_lrelease()
        builds.append(tmp_path)
        return tool

    cache = tmp_path / "cache"
    first = i18n.qm_file("en", source=source, cache=cache, find_tool=counting)
    again = i18n.qm_file("en", source=source, cache=cache, find_tool=counting)
    assert first == again == cache / "shopdesk_en.qm" and len(builds) == 1
    ts = source / "shopdesk_en.ts"
    later = first.stat().st_mtime + 10
    os.utime(ts, (later, later))  # someone pulled new translations
    i18n.qm_file("en", source=source, cache=cache, find_tool=counting)
    assert len(builds) == 2 and first.stat().st_mtime >= ts.stat().st_mtime


def test_a_shipped_qm_needs_no_lrelease(qapp: QApplication, source: Path, tmp_path: Path) -> None:
    tool = i18n.find_lrelease()
    assert tool is not None
    i18n.compile_ts(tool, source / "shopdesk_en.ts", source / "shopdesk_en.qm")  # as packaging/build.py does
    assert i18n.qm_file("en", source=source, cache=tmp_path / "cache", find_tool=lambda: None) == \
        source / "shopdesk_en.qm"


def test_without_lrelease_the_app_starts_in_chinese(qapp: QApplication, settings: QSettings, source: Path,
                                                    tmp_path: Path, qtbot: QtBot,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    i18n.save_choice(settings, "en")
    with caplog.at_level(logging.WARNING, logger="app.ui.i18n"):
        language = i18n.install_translations(qapp, settings, source=source, cache=tmp_path / "cache",
                                             find_tool=lambda: None)
    assert language == "zh_CN" and i18n.ui_language() == "zh_CN"
    assert "lrelease not found" in caplog.text
    bar = FilterBar([(1, "顺丰速运")])
    qtbot.addWidget(bar)
    assert bar.clear.text() == "清除筛选" and bar.dates.itemText(0) == "全部时间"
    assert not (tmp_path / "cache" / "shopdesk_en.qm").exists()


def test_a_broken_ts_falls_back_to_chinese(qapp: QApplication, settings: QSettings, source: Path,
                                           tmp_path: Path) -> None:
    (source / "shopdesk_en.ts").write_text("<TS><context>", encoding="utf-8")
    i18n.save_choice(settings, "en")
    assert i18n.install_translations(qapp, settings, source=source, cache=tmp_path / "cache") == "zh_CN"


def test_the_language_setting() -> None:
    china, us = QLocale(QLocale.Language.Chinese, QLocale.Country.China), QLocale(QLocale.Language.English,
                                                                                   QLocale.Country.UnitedStates)
    assert i18n.resolve("", china) == "zh_CN" and i18n.resolve("", us) == "en"
    assert i18n.resolve("en", china) == "en" and i18n.resolve("zh_CN", us) == "zh_CN"


def test_preferences_say_a_language_needs_a_restart(qapp: QApplication, settings: QSettings, qtbot: QtBot) -> None:
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert dialog.restart_note.isVisibleTo(dialog)
    dialog.accept()
    assert i18n.load_choice(settings) == "en" and i18n.resolve(i18n.load_choice(settings)) == "en"


# ---- the .ts files --------------------------------------------------------------------------


def _messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [(c.findtext("name", ""), m.findtext("source", ""), m.find("translation"))  # type: ignore[misc]
            for c in root.iter("context") for m in c.iter("message")]


def test_the_ts_files_parse_and_english_is_complete() -> None:
    en = ET.parse(TS_DIR / "shopdesk_en.ts").getroot()
    assert en.get("language") == "en" and en.get("sourcelanguage") == "zh_CN"
    assert ET.parse(TS_DIR / "shopdesk_zh_CN.ts").getroot().get("language") == "zh_CN"
    messages = _messages(TS_DIR / "shopdesk_en.ts")
    assert len(messages) > 50
    for context, text, translation in messages:
        assert translation is not None and translation.get("type") is None, (context, text)
        english = "".join(translation.itertext()).strip()
        assert english, (context, text)
        # A placeholder lost or renamed in the English would raise KeyError at .format().
        assert sorted(FIELD.findall(english)) == sorted(FIELD.findall(text)), (context, text, english)


def test_every_string_in_the_code_is_in_the_ts_and_translated(tmp_path: Path) -> None:
    """Runs the update script into a copy: fails when someone added tr() text and did not
    run packaging/update_translations.py, or ran it and left the English empty."""
    script = _update_script()
    for ts in TS_DIR.glob("*.ts"):
        shutil.copy2(ts, tmp_path / ts.name)
    script.update(script.find_lupdate(), tmp_path, quiet=True)
    missing = script.untranslated(tmp_path / "shopdesk_en.ts")
    assert not missing, "run packaging/update_translations.py and translate: " + "; ".join(
        f"[{c}] {s}" for c, s in missing)
    assert {(c, s) for c, s, _t in _messages(tmp_path / "shopdesk_en.ts")} == \
        {(c, s) for c, s, _t in _messages(TS_DIR / "shopdesk_en.ts")}, "the .ts in git is out of date"


def test_english_screenshots(qapp: QApplication, settings: QSettings, source: Path, tmp_path: Path,
                             qtbot: QtBot) -> None:
    """Our widgets in English, to look for clipped text (SHOPDESK_SCREENSHOTS=folder)."""
    i18n.save_choice(settings, "en")
    assert i18n.install_translations(qapp, settings, source=source, cache=tmp_path / "cache") == "en"
    bar = FilterBar([(1, "SF Express")])
    status, banner = SyncStatus(), OfflineBanner()
    columns = ColumnsDialog(1234, [])
    prefs = PreferencesDialog(settings)
    for widget in (bar, status, banner, columns, prefs):
        qtbot.addWidget(widget)
        widget.show()
    status.show_progress("ledger.frozen", 1234, 12000)
    banner.show_reason("Cannot reach the platform. Check the network.")
    assert bar.clear.text() == "Clear filters" and columns.windowTitle() == "Export orders"
    for widget in (bar, status, banner, columns, prefs):
        assert widget.width() >= widget.minimumSizeHint().width()
    screenshot(bar, "en-filters")
    screenshot(status, "en-status")
    screenshot(banner, "en-banner")
    screenshot(columns, "en-export-columns")
    screenshot(prefs, "en-preferences")


def test_the_main_window_in_english(qapp: QApplication, settings: QSettings, source: Path, tmp_path: Path,
                                    qtbot: QtBot) -> None:
    """The window staff see first: menus, the orders table's headers and cells in English."""
    i18n.save_choice(settings, "en")
    assert i18n.install_translations(qapp, settings, source=source, cache=tmp_path / "cache") == "en"
    cache = Cache(tmp_path / "cache.sqlite")
    write(cache, range(1, 7))  # six orders to ship
    try:
        window = MainWindow(cache, "ShopDesk", practice=True, settings=settings)
        qtbot.addWidget(window)
        assert window.windowTitle() == "ShopDesk — Practice mode"
        assert [a.text() for a in window.menuBar().actions()] == ["&File", "S&earch", "&Orders", "&View", "&Help"]
        assert window.preferences_action.text() == "&Preferences…"
        panel = window.orders_panel
        qtbot.waitUntil(lambda: not panel.model.loading and panel.model.rowCount() == 6, timeout=5000)
        model = panel.model
        headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        assert headers == [c.en for c in COLUMNS] and headers[:3] == ["Order no.", "Placed", "Status"]
        assert model.index(0, KEYS.index("status")).data() == "To ship"
        assert panel.tabs.tabText(0).startswith("All") and panel.export_button.text() == "Export"
        # The status column fits its longest English text, wider than it is for Chinese.
        assert panel.table.columnWidth(KEYS.index("status")) >= \
            panel.table.fontMetrics().horizontalAdvance("Awaiting payment")
        window.close()
    finally:
        cache.close()


def test_no_literal_goes_through_a_wrapper_lupdate_cannot_see() -> None:
    """lupdate collects literals only inside tr()/translate()/QT_TRANSLATE_NOOP(): a literal
    handed to a helper of our own (``_tr("…")``) would never reach the .ts, and would stay
    Chinese in English without any test noticing."""
    app_ui = Path(__file__).resolve().parents[2] / "app" / "ui"
    wrapped = re.compile(r"\b_tr\w*\(\s*[\"']")
    found = [f"{path.relative_to(app_ui)}:{n}" for path in app_ui.rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if wrapped.search(line)]
    assert found == [], "use self.tr() or QCoreApplication.translate(context, literal): " + ", ".join(found)
