"""Light and dark for the whole app: the Fusion palette, plus named colours for what the
app draws or styles itself (a banner, muted captions, status colours).

Widgets never hold a colour: they ask ``color(role)`` when they paint, or style
themselves with ``style(widget, "color: $muted;")``, a template that is re-rendered when
the theme changes. A widget that keeps a pixmap drawn in theme colours defines
``theme_changed()``, called on a switch. So a switch at run time needs no restart and no
widget has to connect to anything (``ThemeManager.changed`` is there for non-widgets).

The choice ("light", "dark" or "system") is one setting, ``ui/theme``; "system" follows
``QStyleHints.colorScheme()`` and its changes while the app runs.
"""

from __future__ import annotations

import logging
from string import Template
from typing import Literal, cast

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

log = logging.getLogger(__name__)

Choice = Literal["light", "dark", "system"]
Scheme = Literal["light", "dark"]
CHOICES: tuple[Choice, ...] = ("system", "light", "dark")
SETTING = "ui/theme"
DEFAULT: Choice = "system"
TEMPLATE_PROPERTY = "shopdesk_style"  # a widget's style-sheet template, re-rendered on a switch

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# Qt's own roles. Light is spelled out rather than taken from Fusion's standardPalette(),
# which follows the system's dark mode and would make "light" dark on such a desktop.
PALETTES: dict[Scheme, dict[Role, str]] = {
    "light": {
        Role.Window: "#efefef", Role.WindowText: "#1f2328", Role.Base: "#ffffff", Role.AlternateBase: "#f6f7f9",
        Role.Text: "#1f2328", Role.Button: "#efefef", Role.ButtonText: "#1f2328", Role.BrightText: "#ffffff",
        Role.Light: "#ffffff", Role.Midlight: "#f7f7f7", Role.Mid: "#b8b8b8", Role.Dark: "#9f9f9f",
        Role.Shadow: "#767676", Role.Highlight: "#2f6fd6", Role.HighlightedText: "#ffffff",
        Role.Link: "#0b62d6", Role.LinkVisited: "#6f42c1", Role.ToolTipBase: "#ffffdc", Role.ToolTipText: "#1f2328",
        Role.PlaceholderText: "#80868e", Role.Accent: "#2f6fd6",
    },
    "dark": {
        Role.Window: "#2b2d30", Role.WindowText: "#e4e6eb", Role.Base: "#1e1f22", Role.AlternateBase: "#26282c",
        Role.Text: "#e4e6eb", Role.Button: "#36383c", Role.ButtonText: "#e4e6eb", Role.BrightText: "#ffffff",
        Role.Light: "#4a4d52", Role.Midlight: "#404347", Role.Mid: "#2a2c2f", Role.Dark: "#1a1b1d",
        Role.Shadow: "#000000", Role.Highlight: "#2f66d0", Role.HighlightedText: "#ffffff",
        Role.Link: "#7aa7ff", Role.LinkVisited: "#c3a6ff", Role.ToolTipBase: "#3c3f43", Role.ToolTipText: "#e4e6eb",
        Role.PlaceholderText: "#8b8f96", Role.Accent: "#2f66d0",
    },
}
# Greyed-out text must stay readable but clearly off: one step towards the background.
DISABLED: dict[Scheme, str] = {"light": "#9ca3af", "dark": "#6f737a"}

# The app's own colours. Light keeps the values the widgets used before themes existed.
COLOURS: dict[Scheme, dict[str, str]] = {
    "light": {
        "muted": "#6b7280", "accent": "#2563eb", "warning": "#c2410c",
        "rule": "#e5e7eb", "rail": "#d1d5db", "rail_dot": "#9ca3af", "placeholder": "#e5e7eb",
        "connecting": "#6e7781", "online": "#1a7f37", "offline": "#cf222e",
        "warning_bg": "#fff4e5", "warning_border": "#f0b849", "warning_text": "#5c3c00",
        "status_unpaid": "#b26a00", "status_to_ship": "#c62828", "status_closed": "#777777",
        "error": "#b42318", "error_border": "#d92d20", "pending": "#9a6700", "success": "#1a7f37",
        "info_bg": "#eff6ff", "info_border": "#bfdbfe", "info_text": "#1d4ed8",
    },
    "dark": {
        "muted": "#9ca3af", "accent": "#6ea2ff", "warning": "#fb923c",
        "rule": "#3f4247", "rail": "#4b5058", "rail_dot": "#7b818b", "placeholder": "#3a3d42",
        "connecting": "#8b949e", "online": "#3fb950", "offline": "#ff7b72",
        "warning_bg": "#3b2a05", "warning_border": "#9e6a03", "warning_text": "#f5d58a",
        "status_unpaid": "#e3a440", "status_to_ship": "#ff7b72", "status_closed": "#9a9a9a",
        "error": "#ff7b72", "error_border": "#f85149", "pending": "#e3b341", "success": "#3fb950",
        "info_bg": "#172338", "info_border": "#2f4a75", "info_text": "#9cc2ff",
    },
}
ROLES = tuple(COLOURS["light"])


def palette(scheme: Scheme) -> QPalette:
    result = QPalette()
    for role, value in PALETTES[scheme].items():
        result.setColor(role, QColor(value))
    for role in (Role.WindowText, Role.Text, Role.ButtonText, Role.PlaceholderText):
        result.setColor(Group.Disabled, role, QColor(DISABLED[scheme]))
    # A selection in a window that lost focus still shows, only quieter.
    result.setColor(Group.Inactive, Role.Highlight, QColor(PALETTES[scheme][Role.Highlight]).darker(125)
                    if scheme == "dark" else QColor("#c5d7f2"))
    result.setColor(Group.Inactive, Role.HighlightedText, QColor(PALETTES[scheme][Role.Text]))
    return result


def system_scheme() -> Scheme:
    """What the desktop asks for; light when it does not say (offscreen, older desktops)."""
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication) and app.styleHints().colorScheme() == Qt.ColorScheme.Dark:
        return "dark"
    return "light"


def _as_choice(value: object) -> Choice:
    return cast(Choice, value) if value in CHOICES else DEFAULT


def load_choice(settings: QSettings) -> Choice:
    return _as_choice(settings.value(SETTING, DEFAULT))


def save_choice(settings: QSettings, choice: Choice) -> None:
    settings.setValue(SETTING, _as_choice(choice))
    settings.sync()


class ThemeManager(QObject):
    """The theme in force for one QApplication; ``changed`` tells which scheme is shown."""

    changed = Signal(str)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.choice: Choice = "light"
        self.scheme: Scheme = "light"
        self._styled = False
        app.styleHints().colorSchemeChanged.connect(self._system_changed)

    def apply(self, choice: Choice) -> None:
        choice = _as_choice(choice)
        self.choice = choice
        if not self._styled:
            # Fusion everywhere: the native styles ignore parts of a custom palette, so a
            # dark theme would show light buttons and menus on Windows.
            style = QStyleFactory.create("Fusion")
            if style is not None:
                self.app.setStyle(style)
            self._styled = True
        hints = self.app.styleHints()
        # Tell the platform too, so native file dialogs and the title bar match; the
        # signal this may send back is ignored by _system_changed unless following it.
        if choice == "system":
            hints.unsetColorScheme()
        else:
            hints.setColorScheme(Qt.ColorScheme.Dark if choice == "dark" else Qt.ColorScheme.Light)
        self._show(system_scheme() if choice == "system" else choice)

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self._show(system_scheme())

    def _show(self, scheme: Scheme) -> None:
        self.scheme = scheme
        self.app.setPalette(palette(scheme))
        for widget in self.app.allWidgets():
            template = widget.property(TEMPLATE_PROPERTY)
            if isinstance(template, str):
                widget.setStyleSheet(render(template, scheme))
            # Widgets that keep a drawing of theme colours (a pixmap) redraw it; Qt's palette
            # events are not enough for them, as Qt sends none before the event loop runs.
            redraw = getattr(widget, "theme_changed", None)
            if callable(redraw):
                redraw()
        log.info("theme %s (%s)", scheme, self.choice)
        self.changed.emit(scheme)


def manager() -> ThemeManager | None:
    """The running app's theme, if one was installed (tests often run without)."""
    app = QApplication.instance()
    return app.findChild(ThemeManager) if isinstance(app, QApplication) else None


def current_scheme() -> Scheme:
    found = manager()
    return found.scheme if found is not None else "light"


def hex_of(role: str, scheme: Scheme | None = None) -> str:
    return COLOURS[scheme or current_scheme()][role]


def color(role: str) -> QColor:
    """A named colour of the theme in force: ask at paint time, never keep it."""
    return QColor(hex_of(role))


def render(template: str, scheme: Scheme | None = None) -> str:
    """``$role`` in a style sheet replaced by the theme's colour ($ is free in QSS, braces are not)."""
    return Template(template).substitute(COLOURS[scheme or current_scheme()])


def style(widget: QWidget, template: str) -> None:
    """Give the widget a style sheet whose colours follow the theme, now and after a switch."""
    widget.setProperty(TEMPLATE_PROPERTY, template)
    widget.setStyleSheet(render(template))


def install(app: QApplication, settings: QSettings) -> ThemeManager:
    """At start, before the first window: the saved theme for the whole app."""
    found = manager() or ThemeManager(app)
    found.apply(load_choice(settings))
    return found


def apply_theme(choice: Choice, settings: QSettings | None = None) -> None:
    """Switch now (and remember it when given the settings)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    (manager() or ThemeManager(app)).apply(choice)
    if settings is not None:
        save_choice(settings, choice)
