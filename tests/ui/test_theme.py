"""Light and dark: the palette, the app's own colours, the setting, and screenshots of the
main screens in both (SHOPDESK_SCREENSHOTS=folder; run with QT_SCALE_FACTOR=2 for high DPI)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSettings, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.domain.enums import OrderRefundState, OrderStatus
from app.services.order_columns import KEYS
from app.store import audit, resources
from app.store import orders as store_orders
from app.store.database import Cache
from app.ui import theme
from app.ui.fonts import apply_cjk_font
from app.ui.orders.detail_sections import _Rail
from app.ui.orders.images import ImageCache, Thumbnail
from app.ui.orders.panel import OrdersPanel
from app.ui.preferences import PreferencesDialog
from app.ui.shell.main_window import MainWindow
from app.ui.shell.status import OfflineBanner, SyncStatus
from tests.ui.conftest import screenshot
from tests.unit.test_order_detail_store import BUYER, make_detail

Role = QPalette.ColorRole
PICTURE = "http://pictures.invalid/goods.png"  # never fetched: the test puts it in the disk cache


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture(autouse=True)
def back_to_light(qapp: QApplication) -> Iterator[None]:
    """The theme belongs to the whole app: leave it as other tests expect it."""
    yield
    found = theme.manager()
    if found is not None:
        found.apply("light")
        qapp.styleHints().unsetColorScheme()
        found.setParent(None)
        found.deleteLater()
    qapp.setPalette(qapp.style().standardPalette())


def _bg(widget: QWidget) -> QColor:
    """The colour in the middle of the widget as drawn."""
    image = widget.grab().toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


def test_the_palette_switches_at_run_time(qapp: QApplication, settings: QSettings, qtbot: QtBot) -> None:
    manager = theme.install(qapp, settings)  # nothing saved: follows the system, light offscreen
    assert manager.scheme == "light" and qapp.style().name().lower() == "fusion"
    assert qapp.palette().color(Role.Window).name() == theme.PALETTES["light"][Role.Window]
    with qtbot.waitSignal(manager.changed) as switched:
        theme.apply_theme("dark")
    assert switched.args == ["dark"] and theme.current_scheme() == "dark"
    assert qapp.palette().color(Role.Base).name() == theme.PALETTES["dark"][Role.Base]
    assert qapp.palette().color(Role.Text).name() == theme.PALETTES["dark"][Role.Text]
    theme.apply_theme("light")
    assert qapp.palette().color(Role.Base).name() == "#ffffff"


def test_the_app_colours_follow_the_theme(qapp: QApplication, settings: QSettings, qtbot: QtBot,
                                          tmp_path: Path) -> None:
    theme.install(qapp, settings)
    banner, status = OfflineBanner(), SyncStatus()
    thumb = Thumbnail(ImageCache(tmp_path / "images"), "")
    for widget in (banner, status, thumb):
        qtbot.addWidget(widget)
    banner.show_reason("无法连接到平台")
    status.set_online(False)
    light = {"banner": banner.styleSheet(), "status": status.online.styleSheet(), "thumb": _bg(thumb).name()}
    assert theme.COLOURS["light"]["warning_bg"] in light["banner"] and "#cf222e" in light["status"]
    assert light["thumb"] == theme.COLOURS["light"]["placeholder"]

    theme.apply_theme("dark")
    assert theme.COLOURS["dark"]["warning_bg"] in banner.styleSheet()
    assert theme.COLOURS["dark"]["warning_text"] in banner.styleSheet()
    assert theme.COLOURS["dark"]["offline"] in status.online.styleSheet()
    assert _bg(thumb).name() == theme.COLOURS["dark"]["placeholder"]
    assert _bg(banner).name() == theme.COLOURS["dark"]["warning_bg"]
    # A state set after the switch is drawn in the new theme too.
    status.set_online(True)
    assert theme.COLOURS["dark"]["online"] in status.online.styleSheet()


def test_a_styled_widget_created_in_dark_is_dark(qapp: QApplication, settings: QSettings, qtbot: QtBot) -> None:
    settings.setValue(theme.SETTING, "dark")
    theme.install(qapp, settings)
    label = QLabel("说明")
    qtbot.addWidget(label)
    theme.style(label, "color: $muted;")
    assert label.styleSheet() == f"color: {theme.COLOURS['dark']['muted']};"
    assert theme.color("accent") == QColor(theme.COLOURS["dark"]["accent"])


def test_follow_the_system_while_running(qapp: QApplication, settings: QSettings,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    manager = theme.install(qapp, settings)
    assert manager.choice == "system" and manager.scheme == "light"
    # The offscreen platform has no colour scheme of its own: play the desktop turning dark.
    monkeypatch.setattr(theme, "system_scheme", lambda: "dark")
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert manager.scheme == "dark" and qapp.palette().color(Role.Window).name() == "#2b2d30"
    # An explicit choice is not overridden by the desktop.
    manager.apply("light")
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert manager.scheme == "light"


def test_preferences_apply_at_once_and_persist(qapp: QApplication, settings: QSettings, qtbot: QtBot) -> None:
    theme.install(qapp, settings)
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.restart_note.isHidden()
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert theme.current_scheme() == "dark"  # shown before OK
    assert settings.value(theme.SETTING) is None
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert dialog.restart_note.isVisibleTo(dialog)
    dialog.accept()
    assert settings.value(theme.SETTING) == "dark" and settings.value("ui/language") == "en"

    # The next start reads it back from the file.
    reread = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    theme.apply_theme("light")
    assert theme.install(qapp, reread).scheme == "dark"


def test_cancel_puts_the_theme_back(qapp: QApplication, settings: QSettings, qtbot: QtBot) -> None:
    theme.install(qapp, settings)
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.reject()
    assert theme.current_scheme() == "light" and settings.value(theme.SETTING) is None


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    def luminance(hex_colour: str) -> float:
        c = QColor(hex_colour)
        channels = [v / 255 for v in (c.red(), c.green(), c.blue())]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_colours_are_readable(scheme: theme.Scheme) -> None:
    """No dark text on dark (or pale on white): every colour used for text against the
    backgrounds it is drawn on, at WCAG's 3:1 for UI text and 4.5:1 for the body text."""
    colours, palette = theme.COLOURS[scheme], theme.PALETTES[scheme]
    for background in (palette[Role.Base], palette[Role.Window], palette[Role.AlternateBase]):
        assert _contrast(palette[Role.Text], background) >= 7
        for role in ("muted", "accent", "warning", "connecting", "online", "offline", "status_unpaid",
                     "status_to_ship", "status_closed", "error", "pending", "info_text"):
            assert _contrast(colours[role], background) >= 3, (scheme, role, background)
    assert _contrast(colours["warning_text"], colours["warning_bg"]) >= 4.5
    for role in ("info_text", "error", "text"):  # the pending-writes box shows both kinds of line
        text = palette[Role.Text] if role == "text" else colours[role]
        assert _contrast(text, colours["info_bg"]) >= 4.5, (scheme, role)
    assert _contrast(palette[Role.HighlightedText], palette[Role.Highlight]) >= 4.5
    assert set(theme.COLOURS["light"]) == set(theme.COLOURS["dark"])


# ---- screenshots of the main screens -------------------------------------------------------


def _png(colour: str) -> bytes:
    image = QImage(240, 240, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> Iterator[Cache]:
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path / "home"))
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "user-settings"))
    apply_cjk_font(qapp)
    c = Cache(tmp_path / "cache.sqlite")
    statuses = [OrderStatus.TO_SHIP, OrderStatus.UNPAID, OrderStatus.SHIPPED, OrderStatus.CLOSED, OrderStatus.DONE]
    details = []
    for i in range(1, 13):
        detail = make_detail(i, pickup=i % 5 == 0, pics=(PICTURE, ""))
        order = replace(detail.bundle.order, status=statuses[i % len(statuses)],
                        refund_state=OrderRefundState.PROCESSING if i == 7 else OrderRefundState.NONE)
        details.append(replace(detail, bundle=replace(detail.bundle, order=order)))

    def fill(conn: sqlite3.Connection) -> None:
        for detail in details:
            store_orders.write_detail(conn, detail)
        resources.write(conn, [BUYER])
        audit.append(conn, operator="店长", account="practice:apifm", action="order.remark", target="order:7",
                     before=None, after={"params": {"order_id": 7, "remark": "周末再发"}}, result="done: ok")

    c.writer.run_sync(fill)
    images = ImageCache()  # the shared folder under SHOPDESK_HOME: what the panel's pane uses
    images.folder.mkdir(parents=True, exist_ok=True)
    images.path_for(PICTURE).write_bytes(_png("#e4572e"))
    yield c
    c.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_main_screens(qapp: QApplication, qtbot: QtBot, cache: Cache, settings: QSettings,
                                         scheme: theme.Scheme) -> None:
    settings.setValue(theme.SETTING, scheme)
    theme.install(qapp, settings)
    window = MainWindow(cache, "ShopDesk 商家工作台", practice=True, settings=settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    panel = window.orders_panel
    qtbot.waitUntil(lambda: not panel.model.loading and panel.model.rowCount() > 0, timeout=5000)
    panel.show_order(7)
    qtbot.waitUntil(lambda: panel.detail.order_id == 7, timeout=5000)
    window.set_online(False, "无法连接到平台。请检查网络；已缓存的数据仍可查看，操作会在恢复联网后发送。")
    qtbot.wait(50)
    assert qapp.palette().color(Role.Window).name() == theme.PALETTES[scheme][Role.Window]
    # The table's background is the theme's, not a light one left over.
    viewport = panel.table.viewport()
    corner = viewport.grab().toImage().pixelColor(viewport.width() - 3, viewport.height() - 3).name()
    assert corner in (theme.PALETTES[scheme][Role.Base], theme.PALETTES[scheme][Role.AlternateBase])
    ratio = f"x{qapp.devicePixelRatio():g}"
    screenshot(window, f"main-{scheme}-{ratio}")
    screenshot(panel, f"orders-{scheme}-{ratio}")
    screenshot(panel.detail, f"detail-{scheme}-{ratio}")
    screenshot(panel.detail.content, f"detail-all-{scheme}-{ratio}")  # the whole pane, scrolled out of view too
    window.close()


def test_table_and_detail_colours_follow_the_theme(qapp: QApplication, qtbot: QtBot, cache: Cache,
                                                   settings: QSettings) -> None:
    """The status colours of the table and the detail pane's captions and timeline rail are
    theme roles read when drawn: dark mode shows the dark values, with no light ones left."""
    theme.install(qapp, settings)
    panel = OrdersPanel(cache)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    qtbot.waitUntil(lambda: not panel.model.loading and panel.model.rowCount() > 0, timeout=5000)
    panel.show_order(7)
    qtbot.waitUntil(lambda: panel.detail.order_id == 7, timeout=5000)
    model, column = panel.model, KEYS.index("status")

    def status_colours() -> dict[int, str]:
        found = {}
        for row in range(model.rowCount()):
            colour = model.index(row, column).data(Qt.ItemDataRole.ForegroundRole)
            if colour is not None:
                found[int(cache.read.execute("SELECT status FROM orders WHERE id = ?",
                                             (model.order_id(row),)).fetchone()[0])] = colour.name()
        return found

    def captions() -> set[str]:
        return {label.styleSheet() for label in panel.detail.content.findChildren(QLabel)
                if "$muted" in str(label.property(theme.TEMPLATE_PROPERTY) or "")}

    def rail(scheme: theme.Scheme) -> tuple[str, str]:
        first = panel.detail.content.findChildren(_Rail)[0]  # newest entry: accent dot, rail below it
        image = first.grab().toImage()
        x = first.width() // 2
        return image.pixelColor(x, _Rail.DOT_Y).name(), image.pixelColor(x - 1, image.height() - 2).name()

    for scheme in ("light", "dark"):
        theme.apply_theme(scheme)
        qtbot.wait(20)  # Qt delivers the palette to the widgets through the event loop
        colours = theme.COLOURS[scheme]
        assert status_colours() == {int(OrderStatus.TO_SHIP): colours["status_to_ship"],
                                    int(OrderStatus.UNPAID): colours["status_unpaid"],
                                    int(OrderStatus.CLOSED): colours["status_closed"]}
        assert captions() == {f"color: {colours['muted']};"}
        assert rail(scheme) == (colours["accent"], colours["rail"])
    screenshot(panel.detail.content, "detail-colours-dark")
