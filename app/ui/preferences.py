"""Preferences: the UI language and the theme.

A theme shows at once while the dialog is open (so staff see what they pick) and is kept
on OK; Cancel puts the previous one back. A language is kept on OK and shown after a
restart (see app.ui.i18n). Opened with ``open()``: never a nested event loop.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.ui import i18n, theme


class PreferencesDialog(QDialog):
    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("偏好设置"))
        self._theme_before = theme.load_choice(settings)
        self._language_before = i18n.load_choice(settings)

        self.language = QComboBox()
        self.language.addItem(self.tr("跟随系统"), "")
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)  # each language named in itself, whatever the UI's
        self.language.setCurrentIndex(max(0, self.language.findData(self._language_before)))
        self.restart_note = QLabel(self.tr("语言将在重启 ShopDesk 后生效。"))
        self.restart_note.setWordWrap(True)
        theme.style(self.restart_note, "color: $muted;")
        self.restart_note.setVisible(False)

        self.theme = QComboBox()
        for choice, text in (("system", self.tr("跟随系统")), ("light", self.tr("浅色")), ("dark", self.tr("深色"))):
            self.theme.addItem(text, choice)
        self.theme.setCurrentIndex(max(0, self.theme.findData(self._theme_before)))

        form = QFormLayout()
        form.addRow(self.tr("界面语言："), self.language)
        form.addRow("", self.restart_note)
        form.addRow(self.tr("外观："), self.theme)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

        self.language.currentIndexChanged.connect(self._language_changed)
        self.theme.currentIndexChanged.connect(lambda _i: theme.apply_theme(self.chosen_theme()))

    def chosen_theme(self) -> theme.Choice:
        return self.theme.currentData()

    def chosen_language(self) -> i18n.Choice:
        return self.language.currentData()

    def _language_changed(self) -> None:
        self.restart_note.setVisible(self.chosen_language() != self._language_before)

    def accept(self) -> None:
        theme.save_choice(self.settings, self.chosen_theme())
        i18n.save_choice(self.settings, self.chosen_language())
        super().accept()

    def reject(self) -> None:
        if self.chosen_theme() != self._theme_before:
            theme.apply_theme(self._theme_before)
        super().reject()
