"""The print settings dialog: values round-trip through profiles.load, bad values are
clamped, a vanished printer is named and kept, and the test page opens a preview."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinterInfo
from pytestqt.qtbot import QtBot

from app.store.database import Cache
from app.ui.printing import profiles
from app.ui.printing.dialog import PrintPreview
from app.ui.printing.profile_dialog import MAX_COPIES_IN_FORM, PrintProfilesDialog
from app.ui.printing.profiles import PrintProfile
from app.ui.shell.main_window import MainWindow
from tests.ui.conftest import screenshot

# The offscreen platform has no window stacking; on a desktop raise() brings a window forward.
NO_RAISE = pytest.mark.qt_log_ignore("This plugin does not support raise")
GONE = "Zebra-GK420-仓库"  # no such printer: offscreen has none, and a real desk will not have this one


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "shopdesk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def dialog(qtbot: QtBot, settings: QSettings) -> Iterator[PrintProfilesDialog]:
    d = PrintProfilesDialog(settings)
    qtbot.addWidget(d)
    d.show()
    yield d
    d.close()


def reopened(settings: QSettings, qtbot: QtBot) -> PrintProfilesDialog:
    d = PrintProfilesDialog(settings)
    qtbot.addWidget(d)
    return d


def test_values_saved_are_what_profiles_load_gives_back(dialog: PrintProfilesDialog, settings: QSettings,
                                                         qtbot: QtBot) -> None:
    form = dialog.forms["slip"]
    form.paper.setCurrentIndex(form.paper.findData("76x130"))
    form.offset_x.setValue(1.5)
    form.offset_y.setValue(-2.0)
    form.copies.setValue(3)
    picklist = dialog.forms["picklist"]
    picklist.paper.setCurrentIndex(picklist.paper.findData("a4-2up"))
    dialog.save_button.click()

    assert profiles.load(settings, "slip") == PrintProfile("slip", "", "76x130", 1.5, -2.0, 3)
    assert profiles.load(settings, "picklist").paper == "a4-2up"
    assert profiles.load(settings, "packing") == PrintProfile("packing", "", "a4")  # untouched: the defaults
    again = reopened(settings, qtbot)
    assert again.profile("slip") == PrintProfile("slip", "", "76x130", 1.5, -2.0, 3)


def test_cancel_writes_nothing(dialog: PrintProfilesDialog, settings: QSettings) -> None:
    dialog.forms["slip"].offset_x.setValue(4.0)
    dialog.cancel_button.click()
    assert profiles.load(settings, "slip").offset_x_mm == 0.0
    assert not settings.contains("printing/slip/offset_x_mm")


def test_bad_values_are_clamped_on_the_way_in_and_out(settings: QSettings, qtbot: QtBot) -> None:
    # A hand-edited INI: out-of-range offsets, too many copies, an unknown paper, garbage.
    settings.setValue("printing/slip/offset_x_mm", "55")
    settings.setValue("printing/slip/offset_y_mm", "-80")
    settings.setValue("printing/slip/copies", "99")
    settings.setValue("printing/slip/paper", "b5")
    settings.setValue("printing/packing/offset_x_mm", "abc")
    settings.setValue("printing/packing/copies", "0")
    d = reopened(settings, qtbot)
    slip = d.profile("slip")
    assert (slip.offset_x_mm, slip.offset_y_mm, slip.paper) == (20.0, -20.0, "100x150")
    assert slip.copies == MAX_COPIES_IN_FORM
    assert (d.profile("packing").offset_x_mm, d.profile("packing").copies) == (0.0, 1)

    form = d.forms["picklist"]
    form.offset_x.setValue(33.3)  # what typing past the range does: the box holds its limit
    form.offset_y.setValue(0.26)  # one decimal: kept as the box shows it
    form.copies.setValue(50)
    d.accept()
    loaded = profiles.load(settings, "picklist")
    assert (loaded.offset_x_mm, loaded.offset_y_mm, loaded.copies) == (20.0, 0.3, MAX_COPIES_IN_FORM)
    assert profiles.load(settings, "slip").offset_y_mm == -20.0


def test_a_printer_that_is_gone_is_named_and_kept_until_changed(settings: QSettings, qtbot: QtBot) -> None:
    assert GONE not in QPrinterInfo.availablePrinterNames()
    profiles.save(settings, PrintProfile("slip", GONE, "100x150"))
    d = reopened(settings, qtbot)
    printer = d.forms["slip"].printer
    assert printer.currentText() == f"（已不存在）{GONE}"
    assert printer.itemText(0) == "（每次询问 / 预览）"
    # Other kinds never had it: they do not offer a printer that is gone.
    assert d.forms["packing"].printer.findData(GONE) == -1
    d.forms["slip"].offset_x.setValue(1.0)  # saving some other change must not drop it
    d.accept()
    assert profiles.load(settings, "slip").printer == GONE

    d = reopened(settings, qtbot)
    d.forms["slip"].printer.setCurrentIndex(0)  # the user picks "preview every time"
    d.accept()
    assert profiles.load(settings, "slip").printer == ""
    assert reopened(settings, qtbot).forms["slip"].printer.findData(GONE) == -1


def dark_columns(image: QImage, row: int) -> list[int]:
    return [x for x in range(image.width()) if image.pixelColor(x, row).lightness() < 100]


def test_the_test_page_opens_a_preview_with_the_values_on_screen(dialog: PrintProfilesDialog, qtbot: QtBot,
                                                                  tmp_path: Path) -> None:
    form = dialog.forms["slip"]
    form.copies.setValue(5)
    form.offset_x.setValue(4.0)
    dialog.tabs.setCurrentIndex(0)
    qtbot.waitExposed(dialog)
    screenshot(dialog, "print-profiles")
    form.test_page.click()
    preview = dialog.preview
    assert isinstance(preview, PrintPreview)
    qtbot.waitExposed(preview)
    assert preview.profile.offset_x_mm == 4.0 and preview.profile.copies == 1  # a test needs one sheet
    preview.preview.updatePreview()
    assert preview.page_count() == 1
    screenshot(preview, "print-profiles-test-page")

    pdf = tmp_path / "test-page.pdf"
    assert preview.save_pdf(pdf) == 1
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils are needed to look at the border")
    # The border moves with the offset: at 4 mm right, its left edge is 4 + 3 (margin) mm in.
    subprocess.run(["pdftoppm", "-r", "254", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    image = QImage(str(tmp_path / "page.png"))  # 10 px per mm
    assert abs(image.width() - 1000) <= 1  # poppler rounds the page down a pixel
    row = image.height() - 200  # 20 mm above the bottom: below the text, across the border only
    dark = dark_columns(image, row)
    # The left border, 4 mm + 3 mm (margin) in; the right one is pushed off the label.
    assert dark and all(abs(x - 70) <= 3 for x in dark), dark
    # 5 mm above the centre: the border and the cross's upright, at 50 + 4 mm.
    upright = [x for x in dark_columns(image, image.height() // 2 - 50) if x > 100]
    assert upright and all(abs(x - 540) <= 3 for x in upright), upright


def test_a_second_test_page_replaces_the_first(dialog: PrintProfilesDialog, qtbot: QtBot) -> None:
    first = dialog.show_test_page("packing")
    qtbot.waitExposed(first)
    second = dialog.show_test_page("packing")
    assert second is not first and not first.isVisible()
    assert dialog.preview is second


@NO_RAISE
def test_the_file_menu_opens_one_non_modal_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "user-settings"))
    cache = Cache(tmp_path / "cache.sqlite")
    window = MainWindow(cache, "ShopDesk", practice=True,
                        settings=QSettings(str(tmp_path / "shopdesk.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    try:
        file_menu = window.menuBar().actions()[0].menu()
        actions = file_menu.actions()
        at = actions.index(window.print_profiles_action)
        assert actions[at - 1] is window.preferences_action  # next to the preferences
        window.print_profiles_action.trigger()
        opened = window.print_profiles
        assert isinstance(opened, PrintProfilesDialog) and opened.isVisible()
        assert opened.windowModality() == Qt.WindowModality.NonModal  # staff keep it open beside the lists
        window.print_profiles_action.trigger()
        assert window.print_profiles is opened  # one instance
        opened.close()
        qtbot.waitUntil(lambda: window.print_profiles is None)
    finally:
        window.close()
        cache.close()
