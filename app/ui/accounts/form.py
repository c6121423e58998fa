"""The form of one real account: its fields switch with the platform, each field shows its
own error under it, and secrets sit in password fields with a show button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.platform.account import PlatformKind
from app.services.accounts import Draft, FieldError
from app.ui.i18n import ui_language
from app.ui.theme import TEMPLATE_PROPERTY, style

BAD_FIELD = "QLineEdit { border: 1px solid $error_border; border-radius: 3px; padding: 2px; }"
PLATFORM_FIELDS = {PlatformKind.RUANMAO: ("app_id", "app_secret"),
                   PlatformKind.APIFM: ("merchant_no", "merchant_key", "sub_domain")}
SECRET_FIELDS = ("app_secret", "merchant_key")


class Field(QWidget):
    """An editor with its error line under it (hidden while there is nothing to say)."""

    def __init__(self, edit: QLineEdit, trailing: QWidget | None = None) -> None:
        super().__init__()
        self.edit = edit
        self.error = QLabel()
        self.error.setWordWrap(True)
        style(self.error, "color: $error;")
        self.error.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        if trailing is not None:
            row.addWidget(trailing)
        column.addLayout(row)
        column.addWidget(self.error)

    def set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        if text:
            style(self.edit, BAD_FIELD)
        else:
            self.edit.setProperty(TEMPLATE_PROPERTY, None)
            self.edit.setStyleSheet("")


class AccountForm(QWidget):
    """Edits a Draft. ``changed`` fires on every keystroke (the dialog tracks unsaved edits)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.platform = QComboBox()
        for kind in (PlatformKind.RUANMAO, PlatformKind.APIFM):
            self.platform.addItem(kind.label(ui_language()), kind.value)
        self.edits: dict[str, QLineEdit] = {}
        self.fields: dict[str, Field] = {}
        self.reveal: dict[str, QToolButton] = {}
        placeholders = {
            "name": self.tr("例如：旗舰店"),
            "base_url": self.tr("例如：https://api.example.com"),
            "app_id": self.tr("开放平台 → 应用详情中的 AppId"),
            "app_secret": self.tr("开放平台 → 应用详情中的 AppSecret"),
            "merchant_no": self.tr("API工厂后台 → 商户信息中的商户号"),
            "merchant_key": self.tr("API工厂后台 → 商户信息中的商户密钥"),
            "sub_domain": self.tr("可不填；小程序接口用的专属域名"),
        }
        for key, placeholder in placeholders.items():
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.setPlaceholderText(placeholder)
            edit.setClearButtonEnabled(key not in SECRET_FIELDS)
            edit.textChanged.connect(self.changed)
            trailing = None
            if key in SECRET_FIELDS:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
                trailing = self._reveal_button(key, edit)
            self.edits[key] = edit
            self.fields[key] = Field(edit, trailing)
        self.platform.currentIndexChanged.connect(self._platform_changed)
        self.platform.currentIndexChanged.connect(self.changed)

        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.layout_.addRow(self.tr("名称"), self.fields["name"])
        self.layout_.addRow(self.tr("平台"), self.platform)
        self.layout_.addRow(self.tr("接口地址"), self.fields["base_url"])
        self.layout_.addRow("AppId", self.fields["app_id"])
        self.layout_.addRow("AppSecret", self.fields["app_secret"])
        self.layout_.addRow(self.tr("商户号"), self.fields["merchant_no"])
        self.layout_.addRow(self.tr("商户密钥"), self.fields["merchant_key"])
        self.layout_.addRow(self.tr("专属域名"), self.fields["sub_domain"])
        self._platform_changed()

    def _reveal_button(self, key: str, edit: QLineEdit) -> QToolButton:
        button = QToolButton()
        button.setObjectName(f"reveal_{key}")
        button.setCheckable(True)
        button.setText(self.tr("显示"))
        button.setToolTip(self.tr("显示或隐藏密钥"))

        def toggled(shown: bool) -> None:
            edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
            button.setText(self.tr("隐藏") if shown else self.tr("显示"))

        button.toggled.connect(toggled)
        self.reveal[key] = button
        return button

    def kind(self) -> PlatformKind:
        return PlatformKind(self.platform.currentData())

    def _platform_changed(self) -> None:
        # The other platform's fields are hidden, not cleared: switching back finds them as typed.
        kind = self.kind()
        for other, keys in PLATFORM_FIELDS.items():
            for key in keys:
                self.layout_.setRowVisible(self.fields[key], other is kind)

    def draft(self) -> Draft:
        text = {key: edit.text() for key, edit in self.edits.items()}
        return Draft(kind=self.kind(), **text)

    def set_draft(self, draft: Draft) -> None:
        self.blockSignals(True)  # loading is not editing
        try:
            self.platform.setCurrentIndex(self.platform.findData(draft.kind.value))
            for key, edit in self.edits.items():
                edit.setText(getattr(draft, key))
            for button in self.reveal.values():
                button.setChecked(False)
        finally:
            self.blockSignals(False)
        self._platform_changed()
        self.show_errors([])

    def show_errors(self, problems: list[FieldError]) -> None:
        """Each problem under its field; the first bad field gets the focus."""
        by_field = {p.field: p.message(ui_language()) for p in problems}
        for key, field in self.fields.items():
            field.set_error(by_field.get(key, ""))
        first = next((key for key in self.fields if key in by_field), None)
        if first is not None:
            self.edits[first].setFocus()
